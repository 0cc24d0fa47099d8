"""Tickets: what the assistant could not resolve, with status history and service times.

All SQL for tickets lives here. A ticket number is the branch prefix and the
row id (MDK-000042): unique, short enough to type, and it says nothing else.
"""
from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

import texts
from accounts import audit
from core.db import Database, utcnow
from core.identity import is_telegram
from core.input_limits import strip_invisible
from core.masking import mask_pii
from core.settings import get_settings
from branch.profile import BranchProfile
from messaging import outbox
from monitoring import notifications, satisfaction
from monitoring.models import TicketEventRow, TicketRow, TurnRow
from monitoring.service_time import add_working_hours, local_time_text

STAFF = texts.STAFF_LANGUAGE  # audit details and history lines are written in the staff's language
KINDS = ("complaint", "unresolved_question", "handoff", "negative_feedback")
STATUSES = ("open", "in_progress", "waiting_participant", "resolved", "closed")
OPEN_STATUSES = ("open", "in_progress", "waiting_participant")
MAX_TEXT = 4000
DEDUP_WINDOW = dt.timedelta(minutes=10)
# A ticket opened without a topic takes the one the participant's conversation was last answered on, this recent.
TOPIC_LOOKBACK = dt.timedelta(hours=24)
_NUMBER = re.compile(r"^\s*([A-Za-z]{2,5})[\s-]?(\d{1,6})\s*$")


class TicketError(ValueError):
    pass


@dataclass(frozen=True)
class TicketEvent:
    at: dt.datetime
    actor: str
    kind: str
    from_status: Optional[str]
    to_status: Optional[str]
    text: Optional[str]


@dataclass(frozen=True)
class Ticket:
    id: int
    number: str
    kind: str
    status: str
    sender_id: str
    channel: str
    language: str
    text: str
    messages: List[Dict[str, Any]]
    intent: Optional[str]
    confidence: Optional[float]
    topic: Optional[str]
    candidates: List[Dict[str, Any]]
    contact: Optional[Dict[str, Any]]
    assignee: Optional[str]
    created_at: dt.datetime
    due_at: dt.datetime
    resolve_due_at: dt.datetime
    first_response_at: Optional[dt.datetime]
    resolved_at: Optional[dt.datetime]
    updated_at: dt.datetime
    redacted: bool
    events: List[TicketEvent] = field(default_factory=list)
    merged_into: Optional[str] = None  # the ticket this duplicate was merged into

    @property
    def last_staff_reply(self) -> str:
        """The text of staff's latest reply ("" when none, or when the events were not loaded)."""
        replies = [e.text for e in self.events if e.kind == "reply" and e.text]
        return replies[-1] if replies else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def reaches_participant(self) -> bool:
        """Whether replies and status notes are sent to the participant (Telegram), or only recorded."""
        return is_telegram(self.sender_id) and not self.redacted

    @property
    def participant_messages(self) -> List[str]:
        """What the participant wrote, oldest first: the question, recent messages, details added later."""
        seen: List[str] = []
        for text in [self.text, *(m.get("text") or "" for m in self.messages),
                     *(e.text or "" for e in self.events if e.kind == "participant_message")]:
            for line in text.split("\n"):
                line = line.strip()
                if line and line not in seen:
                    seen.append(line)
        return seen


def normalize_number(text: str) -> Optional[str]:
    """'mdk000123', 'MDK 123', 'Mdk-000123' -> 'MDK-000123'; None if it is not a ticket number."""
    match = _NUMBER.match(text or "")
    if not match:
        return None
    return f"{match.group(1).upper()}-{int(match.group(2)):06d}"


def _ticket(row: TicketRow, events: Sequence[TicketEventRow] = ()) -> Ticket:
    return Ticket(
        id=row.id, number=row.number, kind=row.kind, status=row.status, sender_id=row.sender_id,
        channel=row.channel, language=row.language, text=row.text, messages=list(row.messages or []),
        intent=row.intent, confidence=row.confidence, topic=row.topic, candidates=list(row.candidates or []),
        contact=dict(row.contact) if row.contact else None, assignee=row.assignee, created_at=row.created_at,
        due_at=row.due_at, resolve_due_at=row.resolve_due_at, first_response_at=row.first_response_at,
        resolved_at=row.resolved_at, updated_at=row.updated_at, redacted=bool(row.redacted),
        events=[TicketEvent(e.at, e.actor, e.kind, e.from_status, e.to_status, e.text) for e in events],
        merged_into=row.merged_into,
    )


def _status_name(status: str) -> str:
    return texts.lookup(f"tickets.status.{status}.staff", texts.STAFF_LANGUAGE) or status


def _sort_time(value: Any) -> float:
    """A message's time for ordering: Rasa's timestamps are seconds; anything else sorts first."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _clip(text: Optional[str]) -> str:
    text = (text or "").replace("\x00", "")
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


class TicketService:
    def __init__(self, db: Database, profile: BranchProfile):
        self.db = db
        self.profile = profile

    # ---- opening -----------------------------------------------------------
    def open(self, kind: str, sender_id: str, channel: str, text: str, language: str = "id",
             intent: Optional[str] = None, confidence: Optional[float] = None, topic: Optional[str] = None,
             candidates: Sequence[Dict[str, Any]] = (), messages: Sequence[Dict[str, Any]] = (),
             contact: Optional[Dict[str, Any]] = None, now: Optional[dt.datetime] = None) -> Ticket:
        """Open a ticket; the same request repeated within minutes returns the ticket already open."""
        if kind not in KINDS:
            raise TicketError(f"unknown ticket kind {kind!r}")
        if not sender_id:
            raise TicketError("a ticket needs a sender")
        now = now or utcnow()
        text = _clip(text) or "(tanpa teks)"
        with self.db.session() as s:
            existing = s.execute(
                select(TicketRow).where(and_(
                    TicketRow.sender_id == sender_id, TicketRow.kind == kind, TicketRow.text == text,
                    TicketRow.status.in_(OPEN_STATUSES), TicketRow.created_at >= now - DEDUP_WINDOW,
                )).order_by(TicketRow.id.desc()).limit(1)
            ).scalar_one_or_none()
            if existing is not None:
                return _ticket(existing)
            topic = topic or self._conversation_topic(s, sender_id, now)
            row = TicketRow(
                number=f"tmp-{uuid.uuid4().hex[:20]}", kind=kind, status="open", sender_id=sender_id,
                channel=channel or "unknown", language=language or "id", text=text,
                messages=[{"at": m.get("at"), "text": _clip(m.get("text"))} for m in messages][-20:],
                intent=intent, confidence=confidence, topic=topic,
                candidates=[dict(c) for c in candidates][:5], contact=contact or None,
                created_at=now, updated_at=now,
                due_at=add_working_hours(now, self.profile.first_response_hours, self.profile),
                resolve_due_at=add_working_hours(now, self.profile.resolution_hours, self.profile),
            )
            s.add(row)
            s.flush()
            row.number = f"{self.profile.ticket_prefix}-{row.id:06d}"
            s.add(TicketEventRow(ticket_id=row.id, at=now, actor="assistant", kind="created", to_status="open"))
            s.flush()
            self._announce(s, row)
            return _ticket(row)

    @staticmethod
    def _conversation_topic(s: Session, sender_id: str, now: dt.datetime) -> Optional[str]:
        """The topic the participant's conversation was last answered or clarified on (the turn log holds
        knowledge topics only), within TOPIC_LOOKBACK."""
        return s.execute(select(TurnRow.topic).where(
            TurnRow.sender_id == sender_id, TurnRow.topic.isnot(None), TurnRow.at >= now - TOPIC_LOOKBACK,
            TurnRow.at <= now).order_by(TurnRow.at.desc(), TurnRow.id.desc()).limit(1)).scalar_one_or_none()

    # ---- reading -----------------------------------------------------------
    def get(self, number: str, with_events: bool = False) -> Optional[Ticket]:
        number = normalize_number(number) or number
        with self.db.session() as s:
            row = s.execute(select(TicketRow).where(TicketRow.number == number)).scalar_one_or_none()
            if row is None:
                return None
            return _ticket(row, self._events(s, row.id) if with_events else ())

    def get_for_sender(self, sender_id: str, number: str) -> Optional[Ticket]:
        """The ticket only if it belongs to `sender_id`: participants never see others' tickets."""
        ticket = self.get(number, with_events=True)
        return ticket if ticket is not None and ticket.sender_id == sender_id else None

    def for_sender(self, sender_id: str, limit: int = 5) -> List[Ticket]:
        stmt = (select(TicketRow).where(TicketRow.sender_id == sender_id)
                .order_by(TicketRow.id.desc()).limit(limit))
        with self.db.session() as s:
            return [_ticket(r) for r in s.execute(stmt).scalars()]

    def events(self, number: str) -> List[TicketEvent]:
        ticket = self.get(number, with_events=True)
        return ticket.events if ticket else []

    @staticmethod
    def _events(s: Session, ticket_id: int) -> List[TicketEventRow]:
        return list(s.execute(select(TicketEventRow).where(TicketEventRow.ticket_id == ticket_id)
                              .order_by(TicketEventRow.id)).scalars())

    # ---- changing ----------------------------------------------------------
    def _locked(self, s: Session, number: str) -> TicketRow:
        number = normalize_number(number) or number
        row = s.execute(select(TicketRow).where(TicketRow.number == number).with_for_update()).scalar_one_or_none()
        if row is None:
            raise TicketError(f"no ticket {number}")
        return row

    def _announce(self, s: Session, row: TicketRow) -> None:
        """Queue the staff-chat post about a new ticket (the gateway sends it where staff work)."""
        excerpt = mask_pii(row.text)
        excerpt = excerpt if len(excerpt) <= 600 else excerpt[:597] + "..."
        link = f"{get_settings().dashboard_url}/tickets/{row.number}"
        text = notifications.staff_notice(row.number, row.kind, row.topic, excerpt,
                                          local_time_text(row.due_at, self.profile, "id"), link)
        outbox.add(s, "staff", text, "staff_notice", ticket_number=row.number, dedupe_key=f"ticket-open:{row.id}")

    @staticmethod
    def _reachable(row: TicketRow) -> bool:
        """The participant can be told about the ticket (on Telegram, and did not ask to be forgotten)."""
        return is_telegram(row.sender_id) and not row.redacted

    @classmethod
    def _notify(cls, s: Session, row: TicketRow, event: TicketEventRow, kind: str, text: str,
                buttons: Optional[List[Dict[str, str]]] = None) -> None:
        """Queue a message to the participant, in the same transaction as the change it announces."""
        if cls._reachable(row):
            outbox.add(s, row.sender_id, text, kind, ticket_number=row.number, buttons=buttons,
                       dedupe_key=f"ticket-event:{event.id}")

    def change_status(self, number: str, status: str, actor: str, note: Optional[str] = None,
                      now: Optional[dt.datetime] = None, notify: bool = True, source: str = "system") -> Ticket:
        """Change the status, audited as `actor` from `source` (dashboard, telegram, ...) in the same transaction."""
        if status not in STATUSES:
            raise TicketError(f"unknown status {status!r}")
        now = now or utcnow()
        with self.db.session() as s:
            row = self._locked(s, number)
            previous = row.status
            row.status = status
            row.updated_at = now
            if status in ("resolved", "closed") and row.resolved_at is None:
                row.resolved_at = now
            if status in OPEN_STATUSES:
                row.resolved_at = None
            event = TicketEventRow(ticket_id=row.id, at=now, actor=actor, kind="status", from_status=previous,
                                   to_status=status, text=_clip(note) or None)
            s.add(event)
            audit.add(s, actor, "ticket_status", row.number,
                      texts.say("tickets.audit.status", STAFF, before=_status_name(previous), after=_status_name(status)), source, now)
            s.flush()
            if notify and previous != status:
                text = notifications.status_changed(row.number, status, event.text, row.language)
                # A resolved ticket's participant is asked, once per ticket, how satisfied they are.
                question = satisfaction.ask(s, row, now) if status == "resolved" and self._reachable(row) else None
                self._notify(s, row, event, "resolution" if status in ("resolved", "closed") else "status_change",
                             f"{text}\n\n{question.text}" if question else text, question.buttons if question else None)
            return _ticket(row, self._events(s, row.id))

    def reply(self, number: str, actor: str, text: str, now: Optional[dt.datetime] = None,
              source: str = "system") -> Ticket:
        """Record a staff reply and queue it to the participant (the first one stops the response clock);
        audited as `actor` from `source` in the same transaction."""
        text = strip_invisible(_clip(text)).strip()  # a reply of zero-width characters only is no reply
        if not text:
            raise TicketError("a reply needs text")
        now = now or utcnow()
        with self.db.session() as s:
            row = self._locked(s, number)
            if row.first_response_at is None:
                row.first_response_at = now
            previous = row.status
            if row.status == "open":
                row.status = "in_progress"
            row.updated_at = now
            event = TicketEventRow(ticket_id=row.id, at=now, actor=actor, kind="reply", from_status=previous,
                                   to_status=row.status, text=text)
            s.add(event)
            audit.add(s, actor, "ticket_reply", row.number, None, source, now)
            s.flush()
            self._notify(s, row, event, "staff_reply", notifications.staff_reply(row.number, text, row.language))
            return _ticket(row, self._events(s, row.id))

    def add_participant_message(self, number: str, sender_id: str, text: str,
                                contact: Optional[Dict[str, Any]] = None, now: Optional[dt.datetime] = None) -> Ticket:
        """More details from the participant for their open ticket: kept on the ticket and posted to staff.

        A ticket waiting for the participant goes back to staff; contact details, when given, are recorded.
        Only the ticket's own participant may add to it, and only while it is open.
        """
        text = _clip(text).strip()
        if not text:
            raise TicketError("a message needs text")
        now = now or utcnow()
        with self.db.session() as s:
            row = self._locked(s, number)
            if row.sender_id != sender_id or row.status not in OPEN_STATUSES:
                raise TicketError(f"ticket {row.number} is not open for this participant")
            previous = row.status
            if row.status == "waiting_participant":
                row.status = "in_progress"
            at = now.replace(tzinfo=dt.timezone.utc).timestamp()
            row.messages = (list(row.messages or []) + [{"at": at, "text": text}])[-20:]
            if contact:
                row.contact = {**(row.contact or {}), **contact}
            row.updated_at = row.participant_added_at = now
            event = TicketEventRow(ticket_id=row.id, at=now, actor="participant", kind="participant_message",
                                   from_status=previous, to_status=row.status, text=text)
            s.add(event)
            s.flush()
            excerpt = mask_pii(text)
            excerpt = excerpt if len(excerpt) <= 600 else excerpt[:597] + "..."
            link = f"{get_settings().dashboard_url}/tickets/{row.number}"
            outbox.add(s, "staff", notifications.participant_added(row.number, excerpt, link), "staff_notice",
                       ticket_number=row.number, dedupe_key=f"ticket-event:{event.id}")
            return _ticket(row, self._events(s, row.id))

    def assign(self, number: str, assignee: Optional[str], actor: str, now: Optional[dt.datetime] = None,
               source: str = "system") -> Ticket:
        """Give the ticket to `assignee` (any colleague; the caller checks the account), or to no one."""
        now = now or utcnow()
        with self.db.session() as s:
            row = self._locked(s, number)
            row.assignee = assignee
            row.updated_at = now
            s.add(TicketEventRow(ticket_id=row.id, at=now, actor=actor, kind="assigned", text=assignee or "(none)"))
            detail = (texts.say("tickets.audit.assigned", STAFF, assignee=assignee) if assignee
                      else texts.say("tickets.audit.unassigned", STAFF))
            audit.add(s, actor, "ticket_assigned", row.number, detail, source, now)
            s.flush()
            return _ticket(row, self._events(s, row.id))

    def add_note(self, number: str, actor: str, text: str, now: Optional[dt.datetime] = None,
                 source: str = "system") -> Ticket:
        """An internal note for colleagues: kept in the history, never sent to the participant, and it neither
        stops the response clock nor changes the status."""
        text = _clip(text).strip()
        if not text:
            raise TicketError("a note needs text")
        now = now or utcnow()
        with self.db.session() as s:
            row = self._locked(s, number)
            row.updated_at = now
            s.add(TicketEventRow(ticket_id=row.id, at=now, actor=actor, kind="note", text=text))
            audit.add(s, actor, "ticket_note", row.number, texts.say("tickets.audit.note", STAFF), source, now)
            s.flush()
            return _ticket(row, self._events(s, row.id))

    def set_topic(self, number: str, topic: Optional[str], actor: str, now: Optional[dt.datetime] = None,
                  source: str = "system") -> Ticket:
        """Staff correct the ticket's topic (the caller checks it is a knowledge topic)."""
        now = now or utcnow()
        with self.db.session() as s:
            row = self._locked(s, number)
            previous = row.topic
            if previous != topic:
                row.topic = topic
                row.updated_at = now
                s.add(TicketEventRow(ticket_id=row.id, at=now, actor=actor, kind="topic", text=topic))
                none = texts.say("tickets.audit.no_topic", STAFF)
                audit.add(s, actor, "ticket_topic", row.number,
                          texts.say("tickets.audit.topic", STAFF, before=previous or none, after=topic or none), source, now)
                s.flush()
            return _ticket(row, self._events(s, row.id))

    def merge(self, duplicate: str, into: str, actor: str, now: Optional[dt.datetime] = None,
              source: str = "system") -> Ticket:
        """Merge a participant's duplicate ticket into another of theirs: the duplicate is closed and points to
        the other, keeping its own history; the other gains its question, messages and contact details, and a
        history line. The participant is told where their ticket went. Returns the ticket merged into."""
        now = now or utcnow()
        with self.db.session() as s:
            # Lock in id order, so two opposite merges at once cannot deadlock.
            numbers = sorted({normalize_number(duplicate) or duplicate, normalize_number(into) or into})
            if len(numbers) != 2:
                raise TicketError("a ticket cannot be merged into itself")
            rows = {n: self._locked(s, n) for n in numbers}
            dup, target = rows[normalize_number(duplicate) or duplicate], rows[normalize_number(into) or into]
            if dup.sender_id != target.sender_id:
                raise TicketError("only tickets of the same participant can be merged")
            if dup.merged_into or target.merged_into or target.status not in OPEN_STATUSES:
                raise TicketError(f"ticket {target.number} is closed or merged; merge into an open ticket")
            if dup.status not in OPEN_STATUSES:
                raise TicketError(f"ticket {dup.number} is no longer open")
            previous = dup.status
            dup.status, dup.merged_into, dup.updated_at = "closed", target.number, now
            dup.resolved_at = dup.resolved_at or now
            closed = TicketEventRow(ticket_id=dup.id, at=now, actor=actor, kind="merged_into", from_status=previous,
                                    to_status="closed", text=target.number)
            s.add(closed)
            messages = [{"at": m.get("at"), "text": m.get("text")} for m in (target.messages or [])]
            known = {m["text"] for m in messages}
            added = [m for m in (dup.messages or []) if m.get("text") not in known]
            target.messages = sorted(messages + added, key=lambda m: _sort_time(m.get("at")))[-20:]
            target.contact = {**(dup.contact or {}), **(target.contact or {})} or None
            target.topic = target.topic or dup.topic
            target.updated_at = now
            s.add(TicketEventRow(ticket_id=target.id, at=now, actor=actor, kind="merged_from",
                                 text=_clip(texts.say("tickets.merged_from", STAFF, number=dup.number, text=dup.text))))
            audit.add(s, actor, "ticket_merged", dup.number, texts.say("tickets.audit.merged", STAFF, into=target.number), source, now)
            s.flush()
            self._notify(s, dup, closed, "status_change",
                         notifications.ticket_merged(target.number, dup.number, dup.language))
            return _ticket(target, self._events(s, target.id))

    def redact_sender(self, sender_id: str) -> int:
        """Mask the participant's texts on their tickets (the numbers and history stay for staff)."""
        with self.db.session() as s:
            rows = list(s.execute(select(TicketRow).where(TicketRow.sender_id == sender_id)).scalars())
            for row in rows:
                row.text = "(dihapus atas permintaan peserta)"
                row.messages = []
                row.contact = None
                row.redacted = True
            if rows:  # details the participant added, and duplicates merged in, live in the history too
                s.execute(update(TicketEventRow).where(
                    TicketEventRow.ticket_id.in_([r.id for r in rows]),
                    TicketEventRow.kind.in_(("participant_message", "merged_from")),
                ).values(text="(dihapus atas permintaan peserta)"))
            return len(rows)
