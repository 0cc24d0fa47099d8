"""Participants writing to the assistant through the fake Bot API, and the tally of what came back:
each message answered exactly once, each ticket opened (and announced to staff) exactly once."""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List

from sqlalchemy import select

from bot.texts import t
from core.db import Database
from devtools.fake_bot_api import FakeBotAPIClient
from messaging.models import InboxRow, OutboxRow
from monitoring.models import TicketRow
from tests.polling import wait_until

# What each participant asks, and how its answer begins (one Telegram message per answer).
ANSWERS = {
    "otp jmo ga masuk2": "Jika kode OTP",
    "cara cek saldo jht": "Cara cek saldo JHT",
    "jam buka kantor cabang": "Jam layanan",
    "saya mau bicara dengan petugas": "Baik, permintaan Anda untuk berbicara dengan petugas",
}
FIRST_WAVE = ["otp jmo ga masuk2", "cara cek saldo jht"]  # before the fault
SECOND_WAVE = ["jam buka kantor cabang", "saya mau bicara dengan petugas"]  # while it lasts
HANDOFF = "saya mau bicara dengan petugas"  # opens a ticket, announced in the staff chat
KEPT_NOTICE = t("disturbed", "id")  # "your message is kept": not an answer


@dataclass
class Tally:
    sent: int = 0
    answered: int = 0  # answered exactly once
    duplicated: int = 0  # answered more than once
    lost: int = 0  # not answered
    tickets_expected: int = 0
    tickets: int = 0  # opened exactly once
    tickets_duplicated: int = 0
    tickets_lost: int = 0
    notices_duplicated: int = 0  # a ticket announced to staff more than once
    notices_lost: int = 0
    kept_notices: int = 0  # "kept, will be answered" notices the participants saw
    unexpected: List[str] = field(default_factory=list)  # bot messages that are none of the above
    missing: List[str] = field(default_factory=list)  # the messages lost, with what the gateway's inbox says

    @property
    def clean(self) -> bool:
        return (self.answered == self.sent and self.tickets == self.tickets_expected
                and not (self.duplicated or self.lost or self.tickets_duplicated or self.tickets_lost
                         or self.notices_duplicated or self.notices_lost or self.unexpected))


class Participants:
    def __init__(self, bot: FakeBotAPIClient, db: Database, staff_chat: int, chats: int):
        self.bot, self.db, self.staff_chat = bot, db, staff_chat
        self.chat_ids = random.sample(range(10**8, 10**9), chats)
        self.asked: Dict[int, List[str]] = {chat: [] for chat in self.chat_ids}
        self.updates: List[dict] = []

    @property
    def senders(self) -> List[str]:
        return [f"tg:{chat}" for chat in self.chat_ids]

    def send(self, texts: List[str]) -> List[dict]:
        """Every participant sends `texts`, one after the other, all chats at once."""
        sent = []
        for text in texts:
            for chat in self.chat_ids:
                sent.append(self.bot.inject("text", chat_id=chat, text=text))
                self.asked[chat].append(text)
        self.updates += sent
        return sent

    def redeliver(self, updates: List[dict]) -> None:
        """Telegram delivers these updates again (same update ids)."""
        for update in updates:
            self.bot.inject("update", update=update)

    def _received(self) -> Dict[int, List[str]]:
        sent = self.bot.state()["sent"]
        return {chat: [m.get("text", "") for m in sent.get(str(chat), [])] for chat in self.chat_ids}

    def _answers(self, texts: List[str], asked: str) -> int:
        return sum(text.startswith(ANSWERS[asked]) for text in texts)

    def answered(self) -> int:
        """Messages answered at least once so far."""
        received = self._received()
        return sum(self._answers(received[chat], asked) >= 1 for chat in self.chat_ids
                   for asked in dict.fromkeys(self.asked[chat]))

    def wait_answered(self, count: int, timeout: float) -> None:
        wait_until(lambda: self.answered() >= count, timeout=timeout, what=f"{count} answers", interval=0.2)

    def wait_consumed(self, timeout: float) -> None:
        """Until the gateway has taken every update from the Bot API (its next poll confirmed them)."""
        wait_until(lambda: not self.bot.state()["pending"], timeout=timeout, what="the updates consumed",
                   interval=0.02)

    def settled(self) -> bool:
        """Nothing more will come: every update consumed, every message handled, every notice delivered."""
        if self.bot.state()["pending"]:
            return False
        try:
            with self.db.session() as s:
                open_messages = s.execute(select(InboxRow.id).where(
                    InboxRow.chat_id.in_(self.chat_ids), InboxRow.status.in_(("received", "pending")))).first()
                numbers = s.execute(select(TicketRow.number).where(TicketRow.sender_id.in_(self.senders))).scalars().all()
                undelivered = s.execute(select(OutboxRow.id).where(
                    (OutboxRow.recipient.in_(self.senders) | OutboxRow.ticket_number.in_(numbers)),
                    OutboxRow.status == "pending")).first()
        except Exception:  # the database is not back yet
            return False
        return open_messages is None and undelivered is None

    def tally(self) -> Tally:
        tally = Tally()
        received = self._received()
        with self.db.session() as s:
            inbox = {(chat, text): status for chat, text, status in s.execute(
                select(InboxRow.chat_id, InboxRow.text, InboxRow.status).where(InboxRow.chat_id.in_(self.chat_ids)))}
        for chat in self.chat_ids:
            known = 0
            for asked in dict.fromkeys(self.asked[chat]):
                n = self._answers(received[chat], asked)
                tally.sent += 1
                tally.answered += n == 1
                tally.duplicated += n > 1
                tally.lost += n == 0
                if n == 0:
                    got = [text[:40] for text in received[chat]]
                    tally.missing.append(f"{chat}: {asked!r} ({inbox.get((chat, asked), 'not in the inbox')}; "
                                         f"the chat got {got})")
                known += n
            kept = received[chat].count(KEPT_NOTICE)
            tally.kept_notices += kept
            if len(received[chat]) != known + kept:
                tally.unexpected += [f"{chat} got: {text[:300]!r}" for text in received[chat]
                                     if text != KEPT_NOTICE and not any(text.startswith(a) for a in ANSWERS.values())]
        with self.db.session() as s:
            tickets = s.execute(select(TicketRow.sender_id, TicketRow.number)
                                .where(TicketRow.sender_id.in_(self.senders))).all()
        per_sender = Counter(sender for sender, _ in tickets)

        expecting = [f"tg:{chat}" for chat in self.chat_ids if HANDOFF in self.asked[chat]]
        tally.tickets_expected = len(expecting)
        tally.tickets = sum(per_sender[s] == 1 for s in expecting)
        tally.tickets_duplicated = sum(per_sender[s] > 1 for s in expecting)
        tally.tickets_lost = sum(per_sender[s] == 0 for s in expecting)
        tally.missing += [f"{s}: {per_sender[s]} tickets" for s in expecting if per_sender[s] != 1]
        staff = self.bot.state()["sent"].get(str(self.staff_chat), [])
        for _, number in tickets:
            posts = sum(m.get("text", "").startswith(f"🆕 Tiket {number}") for m in staff)
            tally.notices_duplicated += posts > 1
            tally.notices_lost += posts == 0
        return tally
