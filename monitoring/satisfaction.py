"""Participants' satisfaction with how their resolved ticket was handled.

When staff resolve a ticket, the message telling the participant (Telegram, in the ticket's language)
also asks for a rating from 1 (very dissatisfied) to 5 (very satisfied), as buttons; after rating, the
participant may add a comment. One question per ticket, ever: a ticket reopened and resolved again is
not asked twice, and only the first rating and the first comment count. The answers are stored with
the ticket (table ticket_satisfaction) and summarised for the KPIs and the monthly review.

All SQL of the satisfaction question lives here (no Flask, no Telegram).
"""
from __future__ import annotations

import datetime as dt
import re
import statistics
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.db import Database, utcnow
from core.masking import mask_pii
from messaging.callbacks import GATEWAY_PREFIX
from monitoring.models import SatisfactionRow, TicketRow
from texts import say

SCALE = (1, 2, 3, 4, 5)
SATISFIED = 4  # a rating of 4 or 5 counts as satisfied
MAX_COMMENT = 1000
# Button data the gateway handles itself (never sent to Rasa): g:rate:<ticket number>:<rating>.
PAYLOAD_PREFIX = f"{GATEWAY_PREFIX}rate:"
_PAYLOAD = re.compile(r"^rate:([A-Z]{2,5}-\d{6}):([1-5])$")

RECORDED, ALREADY, UNKNOWN, NOT_RATED = "recorded", "already", "unknown", "not_rated"


@dataclass(frozen=True)
class Question:
    text: str
    buttons: List[Dict[str, str]]


@dataclass(frozen=True)
class Answer:
    """What became of a participant's rating or comment: recorded, already given, or not theirs to give."""

    status: str
    number: str
    language: str = "id"
    rating: Optional[int] = None


@dataclass(frozen=True)
class Rating:
    number: str
    kind: str
    topic: Optional[str]
    rating: int
    rated_at: dt.datetime
    comment: Optional[str]
    language: str


@dataclass(frozen=True)
class SatisfactionSummary:
    """Questions asked and answers given in a period (ratings by the time they were given)."""

    asked: int
    ratings: List[Rating] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return len(self.ratings)

    @property
    def response_rate(self) -> Optional[float]:
        return min(1.0, self.answered / self.asked) if self.asked else None

    @property
    def mean(self) -> Optional[float]:
        return statistics.mean(r.rating for r in self.ratings) if self.ratings else None

    @property
    def satisfied(self) -> int:
        return sum(1 for r in self.ratings if r.rating >= SATISFIED)

    @property
    def satisfied_share(self) -> Optional[float]:
        return self.satisfied / self.answered if self.answered else None

    def distribution(self) -> Dict[int, int]:
        out = {score: 0 for score in SCALE}
        for r in self.ratings:
            out[r.rating] += 1
        return out

    @property
    def comments(self) -> List[Rating]:
        """Ratings with a comment, newest first."""
        return sorted((r for r in self.ratings if r.comment), key=lambda r: r.rated_at, reverse=True)


def rating_payload(number: str, rating: int) -> str:
    return f"{PAYLOAD_PREFIX}{number}:{rating}"


def read_payload(action: str) -> Optional[Tuple[str, int]]:
    """(ticket number, rating) from a gateway action 'rate:MDK-000042:4' (the data without 'g:')."""
    match = _PAYLOAD.match(action or "")
    return (match.group(1), int(match.group(2))) if match else None


def ask(s: Session, row: TicketRow, now: dt.datetime) -> Optional[Question]:
    """The question to add to the resolution message of `row`, recorded as asked; None when this
    ticket's participant was asked before (only one question per ticket). The caller sends it
    only to a participant it can reach, in the same transaction."""
    if s.execute(select(SatisfactionRow.id).where(SatisfactionRow.ticket_id == row.id)).first() is not None:
        return None
    s.add(SatisfactionRow(ticket_id=row.id, sender_id=row.sender_id, language=row.language or "id", asked_at=now))
    s.flush()
    return Question(say("notifications.satisfaction_question", row.language),
                    [{"title": f"{n} ⭐", "payload": rating_payload(row.number, n)} for n in SCALE])


class SatisfactionSurvey:
    def __init__(self, db: Database):
        self.db = db

    def _asked(self, s: Session, number: str, sender_id: str) -> Optional[SatisfactionRow]:
        """The question asked about ticket `number`, only if it was asked of `sender_id`."""
        row = s.execute(select(SatisfactionRow).join(TicketRow, TicketRow.id == SatisfactionRow.ticket_id)
                        .where(TicketRow.number == number).with_for_update()).scalar_one_or_none()
        return row if row is not None and row.sender_id == sender_id else None

    def rate(self, number: str, sender_id: str, rating: int, now: Optional[dt.datetime] = None) -> Answer:
        """Record the participant's rating; a second rating of the same ticket is not taken."""
        if rating not in SCALE:
            return Answer(UNKNOWN, number)
        with self.db.session() as s:
            row = self._asked(s, number, sender_id)
            if row is None:
                return Answer(UNKNOWN, number)
            if row.rating is not None:
                return Answer(ALREADY, number, row.language, row.rating)
            row.rating, row.rated_at = rating, now or utcnow()
            return Answer(RECORDED, number, row.language, rating)

    def comment(self, number: str, sender_id: str, text: str, now: Optional[dt.datetime] = None) -> Answer:
        """Record the participant's comment after their rating (masked, clipped); only the first one."""
        text = mask_pii(" ".join((text or "").replace("\x00", "").split()))[:MAX_COMMENT]
        with self.db.session() as s:
            row = self._asked(s, number, sender_id)
            if row is None or not text:
                return Answer(UNKNOWN, number)
            if row.rating is None:
                return Answer(NOT_RATED, number, row.language)
            if row.comment:
                return Answer(ALREADY, number, row.language, row.rating)
            row.comment, row.commented_at = text, now or utcnow()
            return Answer(RECORDED, number, row.language, row.rating)

    def for_ticket(self, number: str) -> Optional[Rating]:
        stmt = (select(SatisfactionRow, TicketRow).join(TicketRow, TicketRow.id == SatisfactionRow.ticket_id)
                .where(TicketRow.number == number, SatisfactionRow.rating.is_not(None)))
        with self.db.session() as s:
            found = s.execute(stmt).first()
            return _rating(*found) if found else None

    def summary(self, start: dt.datetime, end: dt.datetime) -> SatisfactionSummary:
        """Questions asked in [start, end) and ratings given in it (naive UTC)."""
        with self.db.session() as s:
            asked = len(s.execute(select(SatisfactionRow.id).where(
                SatisfactionRow.asked_at >= start, SatisfactionRow.asked_at < end)).all())
            rows = s.execute(select(SatisfactionRow, TicketRow).join(TicketRow, TicketRow.id == SatisfactionRow.ticket_id)
                             .where(SatisfactionRow.rated_at >= start, SatisfactionRow.rated_at < end)
                             .order_by(SatisfactionRow.rated_at)).all()
            return SatisfactionSummary(asked, [_rating(a, t) for a, t in rows])

    def redact_sender(self, sender_id: str) -> int:
        """Mask a participant's comments (their ratings stay for the figures)."""
        with self.db.session() as s:
            return s.execute(update(SatisfactionRow).where(
                SatisfactionRow.sender_id == sender_id, SatisfactionRow.comment.is_not(None),
            ).values(comment="(dihapus atas permintaan peserta)")).rowcount or 0


def _rating(row: SatisfactionRow, ticket: TicketRow) -> Rating:
    return Rating(ticket.number, ticket.kind, ticket.topic, int(row.rating), row.rated_at, row.comment, row.language)
