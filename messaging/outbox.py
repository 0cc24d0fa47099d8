"""The outbox: messages to participants and staff from outside the conversation.

Writers (ticket replies, status changes, staff notices) add rows, in the same
transaction as the change they announce. The gateway delivers them: per chat in
the order written, retried with back-off, marked failed with the reason when
Telegram refuses for good (e.g. the participant blocked the bot).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Dict, List, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db import Database, utcnow
from core.identity import telegram_chat
from messaging.models import OutboxRow, StaffPostRow

KINDS = ("staff_reply", "status_change", "resolution", "staff_notice", "notice")


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    recipient: str
    chat_id: Optional[int]
    kind: str
    text: str
    buttons: Optional[list]
    ticket_number: Optional[str]
    attempts: int
    status: str
    last_error: Optional[str]
    created_at: dt.datetime
    sent_at: Optional[dt.datetime]


def _message(row: OutboxRow) -> OutboxMessage:
    return OutboxMessage(row.id, row.recipient, row.chat_id, row.kind, row.text, row.buttons, row.ticket_number,
                         row.attempts, row.status, row.last_error, row.created_at, row.sent_at)


def telegram_chat_id(recipient: str) -> Optional[int]:
    """'tg:123' or 'staff:-100123' -> the chat id; None otherwise ('staff' = the configured staff chat)."""
    prefix, _, rest = recipient.partition(":")
    if prefix == "staff" and re.fullmatch(r"-?[0-9]{1,20}", rest):
        return int(rest)
    return telegram_chat(recipient)


def add(session: Session, recipient: str, text: str, kind: str, ticket_number: Optional[str] = None,
        buttons: Optional[list] = None, dedupe_key: Optional[str] = None) -> Optional[int]:
    """Queue a message inside the caller's transaction; a repeated dedupe_key queues nothing."""
    if kind not in KINDS:
        raise ValueError(f"unknown outbox kind {kind!r}")
    if dedupe_key:
        existing = session.execute(select(OutboxRow.id).where(OutboxRow.dedupe_key == dedupe_key)).scalar_one_or_none()
        if existing is not None:
            return existing
    row = OutboxRow(recipient=recipient, chat_id=telegram_chat_id(recipient), kind=kind, text=text[:20000],
                    buttons=buttons, ticket_number=ticket_number, dedupe_key=dedupe_key, status="pending",
                    next_attempt_at=utcnow())
    session.add(row)
    session.flush()
    return row.id


class Outbox:
    def __init__(self, db: Database):
        self.db = db

    def enqueue(self, recipient: str, text: str, kind: str, ticket_number: Optional[str] = None,
                buttons: Optional[list] = None, dedupe_key: Optional[str] = None) -> Optional[int]:
        with self.db.session() as s:
            return add(s, recipient, text, kind, ticket_number, buttons, dedupe_key)

    def due(self, limit: int = 50, now: Optional[dt.datetime] = None) -> List[OutboxMessage]:
        """For each chat, its oldest pending message if it is due: later ones wait, so order holds."""
        now = now or utcnow()
        oldest = (select(OutboxRow.recipient, func.min(OutboxRow.id).label("first_id"))
                  .where(OutboxRow.status == "pending").group_by(OutboxRow.recipient).subquery())
        stmt = (select(OutboxRow).join(oldest, OutboxRow.id == oldest.c.first_id)
                .where(OutboxRow.next_attempt_at <= now).order_by(OutboxRow.id).limit(limit))
        with self.db.session() as s:
            return [_message(r) for r in s.execute(stmt).scalars()]

    def mark_sent(self, message_id: int, telegram_message_id: Optional[int] = None,
                  chat_id: Optional[int] = None) -> None:
        """Delivered; a staff notice also records which ticket its post in `chat_id` is about, so a
        staff member's Telegram reply to that post reaches the ticket."""
        with self.db.session() as s:
            row = s.get(OutboxRow, message_id)
            if row is not None:
                row.status, row.sent_at = "sent", utcnow()
                row.attempts += 1
                row.telegram_message_id = telegram_message_id
                if row.kind == "staff_notice" and row.ticket_number and chat_id is not None \
                        and telegram_message_id is not None:
                    s.merge(StaffPostRow(chat_id=chat_id, message_id=telegram_message_id,
                                         ticket_number=row.ticket_number))

    def ticket_for_post(self, chat_id: int, message_id: int) -> Optional[str]:
        """The ticket a staff-chat post is about (None for other messages)."""
        with self.db.session() as s:
            return s.execute(select(StaffPostRow.ticket_number).where(
                StaffPostRow.chat_id == chat_id, StaffPostRow.message_id == message_id)).scalar_one_or_none()

    def mark_retry(self, message_id: int, error: str, delay_seconds: float) -> None:
        with self.db.session() as s:
            row = s.get(OutboxRow, message_id)
            if row is not None:
                row.attempts += 1
                row.last_error = error[:300]
                row.next_attempt_at = utcnow() + dt.timedelta(seconds=delay_seconds)

    def mark_failed(self, message_id: int, error: str) -> None:
        with self.db.session() as s:
            row = s.get(OutboxRow, message_id)
            if row is not None:
                row.attempts += 1
                row.status, row.last_error = "failed", error[:300]

    def get(self, message_id: int) -> Optional[OutboxMessage]:
        with self.db.session() as s:
            row = s.get(OutboxRow, message_id)
            return _message(row) if row else None

    def for_ticket(self, ticket_number: str) -> List[OutboxMessage]:
        stmt = select(OutboxRow).where(OutboxRow.ticket_number == ticket_number).order_by(OutboxRow.id)
        with self.db.session() as s:
            return [_message(r) for r in s.execute(stmt).scalars()]

    def counts(self) -> Dict[str, int]:
        with self.db.session() as s:
            return dict(s.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status)).all())
