"""The relay between Telegram chats and Rasa, with the inbox, the outbox and per-chat order.

Telegram-facing calls go through a `telegram.Bot`; everything that touches the
database or Rasa (blocking code) runs in worker threads, so one slow chat never
stalls the others. Each chat's messages are handled one at a time, in order.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Dict, List, Optional

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from telegram import Bot, ForceReply, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.intake import UpdateGate
from core.ratelimit import RateLimiter
from bot.rendering import Outgoing, render
from bot.texts import t
import texts
from core.db import Database, utcnow
from core.input_limits import MAX_MESSAGE_CHARS, clean_message
from core.identity import telegram_sender
from core.rasa_client import RasaClient, RasaUnavailable
from messaging.callbacks import CallbackPayloads
from messaging.inbox import Inbox, InboxMessage
from messaging.outbox import Outbox, OutboxMessage

log = logging.getLogger("bot")

RASA_TIMEOUT = 8.0  # the participant hears within 10 s when Rasa is down or slow
MAX_ATTEMPTS_BEFORE_TICKET = 10
OUTBOX_MAX_ATTEMPTS = 12
# The database cannot be reached (stopped, restarting, failing over): worth retrying, not a bug.
DATABASE_DOWN = (OperationalError, InterfaceError, PoolTimeout)
DRAIN_ROUNDS = 50  # outbox rounds per tick (a round sends at most one message per chat)


@dataclass
class GatewayConfig:
    staff_chat_id: Optional[int] = None
    rate_limit: int = 20
    rate_window: float = 60.0
    rasa_timeout: float = RASA_TIMEOUT
    rasa_concurrency: int = 64  # chats that may wait for Rasa at the same time
    # The typing indicator is shown only when an answer takes noticeably long: an instant answer
    # needs none, and skipping it saves a Bot API call per message.
    typing_delay: float = 0.5
    # Background work: the outbox is drained every `outbox_interval` seconds; messages kept while Rasa
    # was down are replayed every `replay_interval` seconds once they have waited `replay_after`.
    outbox_interval: float = 1.0
    replay_interval: float = 5.0
    replay_after: float = 3.0


def rasa_metadata(message: InboxMessage) -> dict:
    """What Rasa gets besides the text: Telegram ids, the language, how the text came (typed, a command, a
    button) and the ticket of a staff reply it answers."""
    metadata: dict = {"telegram": {"update_id": message.update_id, "user_id": message.user_id,
                                   "language_code": message.meta.get("language_code")},
                      "input": message.kind}  # text, command or callback: how staff see it in the transcript
    if message.kind == "command" and message.meta.get("command"):
        metadata["command"] = message.meta["command"]  # what was typed, e.g. "/status MDK-000001"
    if message.meta.get("reply_to_ticket"):
        metadata["reply_to_ticket"] = message.meta["reply_to_ticket"]
    return metadata


def sender_of(chat_id: int) -> str:
    return telegram_sender(chat_id)


class Gateway:
    def __init__(self, bot: Bot, db: Database, rasa: RasaClient, config: GatewayConfig,
                 gate: Optional[UpdateGate] = None):
        self.bot = bot
        self.gate = gate or UpdateGate()  # told when an update is recorded (bot/intake.py)
        self._started_at = utcnow()  # messages received before were left by an earlier run
        self.db = db
        self.rasa = rasa
        self.config = config
        self.inbox = Inbox(db)
        self.outbox = Outbox(db)
        self.callbacks = CallbackPayloads(db)
        self.limiter = RateLimiter(config.rate_limit, config.rate_window)
        self._intake: Dict[int, asyncio.Lock] = defaultdict(asyncio.Lock)  # recording a chat's updates
        self._locks: Dict[int, asyncio.Lock] = defaultdict(asyncio.Lock)  # answering a chat's messages
        # Rasa calls block a thread each while Rasa works; asyncio's default pool (CPU count + 4
        # threads) would let only a handful of chats wait for Rasa at once.
        self._rasa_calls = ThreadPoolExecutor(max_workers=config.rasa_concurrency, thread_name_prefix="rasa")

    # ---- inbound ------------------------------------------------------------
    async def relay(self, update_id: int, chat_id: int, user_id: Optional[int], text: str, kind: str = "text",
                    meta: Optional[dict] = None) -> None:
        """Record an update once, then answer the chat's waiting messages in order."""
        meta = meta or {}
        # Cleaned and capped as the Rasa channel does (core/input_limits.py), before the inbox keeps it.
        message = clean_message(text)
        lang = meta.get("language_code")
        # Recorded first: Telegram counts an update as delivered once the next poll confirms it, so it
        # goes into the inbox before it waits for anything (Rasa, the chat's earlier messages); a crash
        # of the gateway then loses none. The chat's intake lock is taken before anything else is
        # awaited and held only while recording: a chat's updates are recorded in arrival order.
        async with self._intake[chat_id]:
            allowed = self.limiter.allow(chat_id)
            recorded = await self._record(update_id, chat_id, user_id, kind, message.text, meta,
                                          "received" if allowed else "ignored")
        self.gate.settled(update_id)  # in the inbox: Telegram may forget it
        if not allowed:
            if self.limiter.should_warn(chat_id):
                await self.send_in_order(chat_id, Outgoing(html.escape(texts.say("channel.rate_limited", lang))))
            return
        if not recorded:
            log.info("update %s was handled before; not answering twice", update_id)
            return
        if message.cut:
            await self.send_in_order(chat_id, Outgoing(html.escape(
                texts.say("channel.message_cut", lang, limit=MAX_MESSAGE_CHARS))))
        await self.process_chat(chat_id)

    async def _record(self, update_id: int, chat_id: int, user_id: Optional[int], kind: str, text: str,
                      meta: dict, status: str) -> bool:
        """Record the update (False if seen before); while the database is unreachable the update exists
        nowhere else, so it is kept in memory and recording is retried until the database is back."""
        delay, told = 0.5, False
        while True:
            try:
                return await asyncio.to_thread(self.inbox.receive, update_id, chat_id, user_id, kind, text, meta,
                                               status)
            except DATABASE_DOWN as exc:
                log.warning("database unreachable (%s): update %s kept in memory; retrying in %g s",
                            type(exc).__name__, update_id, delay)
            if not told and status == "received":  # tell the participant once, as when Rasa is down
                told = True
                await self.send(chat_id, Outgoing(html.escape(t("disturbed", meta.get("language_code")))))
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    async def _mark_done(self, message: InboxMessage) -> None:
        """Mark an answered message done, retrying while the database is unreachable: a message left
        open would be replayed, and answered twice."""
        delay = 0.5
        while True:
            try:
                await asyncio.to_thread(self.inbox.mark, message.id, "done", True)
                return
            except DATABASE_DOWN as exc:
                log.warning("database unreachable (%s): message %s answered, marking it done in %g s",
                            type(exc).__name__, message.id, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    async def send_in_order(self, chat_id: int, outgoing: Outgoing) -> None:
        """Send the gateway's own reply behind anything still being answered in this chat."""
        async with self._locks[chat_id]:
            await self.send(chat_id, outgoing)

    async def process_chat(self, chat_id: int) -> None:
        async with self._locks[chat_id]:
            await self._answer_waiting(chat_id)

    async def _answer_waiting(self, chat_id: int) -> None:
        await self._answer_in_order(await asyncio.to_thread(self.inbox.open_for_chat, chat_id))

    async def _answer_in_order(self, messages: List[InboxMessage]) -> None:
        for message in messages:
            if not await self._answer(message):
                break  # keep the rest in order behind the one that failed

    async def _answer(self, message: InboxMessage) -> bool:
        typing = asyncio.create_task(self._typing(message.chat_id))
        loop = asyncio.get_running_loop()
        try:
            replies = None
            if message.attempts or message.received_at < self._started_at:
                # Tried before, or received before a crash: Rasa may have run the turn already.
                replies = await asyncio.wait_for(loop.run_in_executor(self._rasa_calls, self._replies_given, message),
                                                 timeout=self.config.rasa_timeout + 1)
            if replies is None:
                replies = await asyncio.wait_for(
                    loop.run_in_executor(self._rasa_calls, self.rasa.send, sender_of(message.chat_id), message.text,
                                         rasa_metadata(message), self.config.rasa_timeout),
                    timeout=self.config.rasa_timeout + 1)
            if not replies:
                # Every message gets a reply; none means Rasa lost the turn (e.g. a failed action call).
                raise RasaUnavailable("Rasa answered nothing")
        except (RasaUnavailable, asyncio.TimeoutError) as exc:
            log.warning("Rasa unavailable for chat %s (%s); message kept", message.chat_id, type(exc).__name__)
            await asyncio.to_thread(self.inbox.mark, message.id, "pending", True)
            if message.status == "received":  # tell the participant once, not at every retry
                await self.send(message.chat_id, Outgoing(html.escape(t("disturbed", message.meta.get("language_code")))))
            elif message.attempts + 1 >= MAX_ATTEMPTS_BEFORE_TICKET:
                await self._give_up(message)
                return True
            return False
        finally:
            typing.cancel()
        for outgoing in render(replies):
            await self.send(message.chat_id, outgoing, fallback_to_outbox=True)
        await self._mark_done(message)
        return True

    def _replies_given(self, message: InboxMessage) -> Optional[List[dict]]:
        """Rasa's replies to this very update if it ran the turn before (the gateway crashed or gave up
        waiting before sending them), from the conversation's tracker; None if it did not. Sending the
        message again would run the turn twice: stored twice, and answered as a repeated question."""
        events = self.rasa.tracker(sender_of(message.chat_id)).get("events") or []
        replies: List[dict] = []
        found = False
        for event in events:
            if event.get("event") == "user":
                if found:
                    break
                telegram = (event.get("metadata") or {}).get("telegram") or {}
                found = telegram.get("update_id") == message.update_id
            elif found and event.get("event") == "bot":
                replies.append({"text": event.get("text"), "buttons": (event.get("data") or {}).get("buttons")})
        if found and replies:
            log.info("update %s was answered by Rasa before; sending that answer", message.update_id)
            return replies
        return None

    async def _give_up(self, message: InboxMessage) -> None:
        """A message Rasa keeps failing on becomes a ticket, so a person answers it."""
        def open_ticket() -> str:
            ticket = self.tickets().open("unresolved_question", sender_of(message.chat_id), "telegram", message.text,
                                         "en" if (message.meta.get("language_code") or "").startswith("en") else "id",
                                         messages=[{"at": message.received_at.isoformat(), "text": message.text}])
            self.inbox.mark(message.id, "failed", True)
            return ticket.number

        number = await asyncio.to_thread(open_ticket)
        await self.send(message.chat_id, Outgoing(html.escape(
            t("ticket_unresolvable", message.meta.get("language_code"), number=number))), fallback_to_outbox=True)

    def branch(self):
        from branch.source import current_branch

        return current_branch(self.db)

    def tickets(self):
        from monitoring.tickets import TicketService

        return TicketService(self.db, self.branch())

    async def _typing(self, chat_id: int) -> None:
        try:
            await asyncio.sleep(self.config.typing_delay)
            while True:
                await self.bot.send_chat_action(chat_id, ChatAction.TYPING)
                await asyncio.sleep(4.5)
        except asyncio.CancelledError:
            pass
        except TelegramError:
            pass  # the typing indicator is a courtesy

    # ---- outbound -----------------------------------------------------------
    async def keyboard(self, buttons: List[Dict[str, str]]) -> Optional[InlineKeyboardMarkup]:
        if not buttons:
            return None
        payloads = [b["payload"] for b in buttons]
        if all(self.callbacks.fits(p) for p in payloads):
            datas = payloads  # the common case: no database round trip
        else:
            datas = await asyncio.to_thread(lambda: [self.callbacks.store(p) for p in payloads])
        items = [InlineKeyboardButton(b["title"][:64], callback_data=d) for b, d in zip(buttons, datas)]
        if (len(items) <= 3 and all(len(b["title"]) <= 18 for b in buttons)) or \
                (len(items) <= 5 and all(len(b["title"]) <= 4 for b in buttons)):  # a scale such as 1 ⭐ ... 5 ⭐
            return InlineKeyboardMarkup([items])
        return InlineKeyboardMarkup([[i] for i in items])

    async def send(self, chat_id: int, outgoing: Outgoing, fallback_to_outbox: bool = False) -> Optional[int]:
        """Send now, retrying briefly; a reply that still cannot go out waits in the outbox."""
        markup = (ForceReply(input_field_placeholder=outgoing.force_reply[:64]) if outgoing.force_reply
                  else await self.keyboard(outgoing.buttons))
        for attempt in range(3):
            try:
                sent = await self.bot.send_message(chat_id, outgoing.text, parse_mode=ParseMode.HTML,
                                                   reply_markup=markup, disable_web_page_preview=True)
                return sent.message_id
            except RetryAfter as exc:
                await asyncio.sleep(min(float(_seconds(exc.retry_after)), 5.0))
            except (TimedOut, NetworkError) as exc:
                if isinstance(exc, BadRequest):
                    break
                await asyncio.sleep(0.5 * (attempt + 1))
            except Forbidden:
                log.info("chat %s blocked the bot; reply dropped", chat_id)
                return None
            except TelegramError as exc:
                log.warning("could not send to chat %s: %s", chat_id, type(exc).__name__)
                break
        if fallback_to_outbox:
            await asyncio.to_thread(self.outbox.enqueue, sender_of(chat_id), html.unescape(outgoing.text), "notice",
                                    None, outgoing.buttons or None)
        return None


def _seconds(value) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


class Delivery:
    """Background work of the gateway: the outbox and the replay of kept messages."""

    def __init__(self, gateway: Gateway):
        self.gw = gateway

    async def deliver_once(self, limit: int = 50) -> int:
        due = await asyncio.to_thread(self.gw.outbox.due, limit)
        delivered = 0
        for message in due:
            delivered += await self._deliver(message)
        return delivered

    async def _deliver(self, message: OutboxMessage) -> int:
        outbox = self.gw.outbox
        chat_id = message.chat_id
        if message.recipient == "staff":
            chat_id = self.gw.config.staff_chat_id
            if chat_id is None:
                await asyncio.to_thread(outbox.mark_failed, message.id, "no staff chat configured (TELEGRAM_STAFF_CHAT_ID)")
                return 0
        if chat_id is None:
            await asyncio.to_thread(outbox.mark_failed, message.id, f"recipient {message.recipient} is not on Telegram")
            return 0
        try:
            sent = await self.gw.bot.send_message(
                chat_id, html.escape(message.text, quote=False), parse_mode=ParseMode.HTML,
                reply_markup=await self.gw.keyboard(message.buttons or []), disable_web_page_preview=True)
        except RetryAfter as exc:
            await asyncio.to_thread(outbox.mark_retry, message.id, "429 Too Many Requests", _seconds(exc.retry_after))
            return 0
        except Forbidden as exc:
            await asyncio.to_thread(outbox.mark_failed, message.id, f"forbidden: {exc.message}")
            return 0
        except BadRequest as exc:
            await asyncio.to_thread(outbox.mark_failed, message.id, f"bad request: {exc.message}")
            return 0
        except (TimedOut, NetworkError) as exc:
            if message.attempts + 1 >= OUTBOX_MAX_ATTEMPTS:
                await asyncio.to_thread(outbox.mark_failed, message.id, f"gave up: {type(exc).__name__}")
            else:
                await asyncio.to_thread(outbox.mark_retry, message.id, f"{type(exc).__name__}: {exc.message}"[:300],
                                        min(300.0, 2.0 ** message.attempts))
            return 0
        await asyncio.to_thread(self._sent, message, chat_id, sent.message_id)
        return 1

    def _sent(self, message: OutboxMessage, chat_id: int, message_id: int) -> None:
        self.gw.outbox.mark_sent(message.id, message_id, chat_id=chat_id)

    async def replay_once(self) -> int:
        """Answer kept messages once Rasa is reachable again (oldest chats first)."""
        chats = await asyncio.to_thread(self.gw.inbox.chats_waiting, dt.timedelta(seconds=self.gw.config.replay_after))
        if not chats or not await asyncio.to_thread(self._rasa_up):
            return 0
        for chat_id in chats:
            await self.gw.process_chat(chat_id)
        return len(chats)

    def _rasa_up(self) -> bool:
        try:
            self.gw.rasa.status()
            return True
        except Exception:
            return False

    async def run(self, stop: asyncio.Event) -> None:
        """The outbox and the replay as two loops: replaying kept messages waits for Rasa (up to its
        timeout per message), and a staff reply must not wait behind that."""
        config = self.gw.config
        await asyncio.gather(self._every(config.outbox_interval, self._drain_outbox, stop),
                             self._every(config.replay_interval, self.replay_once, stop))

    async def _drain_outbox(self) -> None:
        # Each round sends the oldest due message of every chat; a backlog (say, a burst of new
        # tickets for the staff chat) drains in one tick instead of one message a second.
        for _ in range(DRAIN_ROUNDS):
            if not await self.deliver_once():
                break

    @staticmethod
    async def _every(interval: float, work, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await work()
            except DATABASE_DOWN as exc:
                log.warning("gateway background work: database unreachable (%s); retrying", type(exc).__name__)
            except Exception:
                log.exception("gateway background work failed; retrying")
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval)
            except asyncio.TimeoutError:
                pass
