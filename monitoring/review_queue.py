"""The review queue: tickets filtered, searched, sorted and paged for staff, with the counts that matter.

All SQL of the ticket list lives here. A ticket's *deadline* is the one that
currently runs: the first-response due time until staff first answer, then the
resolution due time. Its service-time state (on time / due soon / overdue) is
decided in SQL with the same working-hours rule as `service_time.sla_state`.

The default order is the team's working order ("priority"): overdue tickets first, then the open ones
by deadline, soonest first, then those no longer open; newest first within the same place (tickets
opened overnight share a deadline, and the morning's should not sink below last week's).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from typing import Any, Dict, List, Mapping, Optional

from sqlalchemy import and_, case, func, or_, select

from core.db import Database, utcnow
from branch.profile import BranchProfile
from monitoring.models import TicketRow
from monitoring.service_time import DUE_SOON, ON_TIME, OVERDUE, add_working_hours, sla_state
from monitoring.tickets import KINDS, OPEN_STATUSES, STATUSES, normalize_number

SLA_STATES = (ON_TIME, DUE_SOON, OVERDUE)
STATUS_CHOICES = ("active", "all") + STATUSES  # "active" = every open status
SORTS = ("priority", "due", "created", "updated", "number", "status", "kind")
PER_PAGE_CHOICES = (10, 25, 50, 100)
UNASSIGNED = "none"
MAX_QUERY = 200
_LIKE_ESCAPE = "\\"


def _pick(value: Any, choices, default=None):
    value = (value or "").strip() if isinstance(value, str) else value
    return value if value in choices else default


def _int(value: Any, default: int, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))


@dataclass(frozen=True)
class QueueFilter:
    status: str = "active"
    kind: Optional[str] = None
    topic: Optional[str] = None
    assignee: Optional[str] = None  # a username, or "none" for unassigned
    sla: Optional[str] = None
    q: str = ""
    sort: str = "priority"
    descending: bool = False
    page: int = 1
    per_page: int = 25

    @classmethod
    def from_mapping(cls, args: Mapping[str, Any], me: Optional[str] = None) -> "QueueFilter":
        """Build a filter from untrusted query parameters: anything unknown falls back to a default."""
        assignee = (args.get("assignee") or "").strip()[:100] or None
        if assignee == "me":
            assignee = me
        topic = (args.get("topic") or "").strip()[:64] or None
        return cls(
            status=_pick(args.get("status"), STATUS_CHOICES, "active"),
            kind=_pick(args.get("kind"), KINDS),
            topic=topic,
            assignee=assignee,
            sla=_pick(args.get("sla"), SLA_STATES),
            q=" ".join(str(args.get("q") or "").replace("\x00", "").split())[:MAX_QUERY],
            sort=_pick(args.get("sort"), SORTS, "priority"),
            descending=(args.get("dir") == "desc"),
            page=_int(args.get("page"), 1, 1, 100_000),
            per_page=_pick(_int(args.get("per_page"), 25, 1, 1000), PER_PAGE_CHOICES, 25),
        )

    def params(self, **changes) -> Dict[str, Any]:
        """Query parameters reproducing this filter (with `changes`), for links and pagination."""
        f = replace(self, **changes)
        out = {"status": f.status, "kind": f.kind, "topic": f.topic, "assignee": f.assignee, "sla": f.sla,
               "q": f.q or None, "sort": f.sort, "dir": "desc" if f.descending else "asc", "page": f.page,
               "per_page": f.per_page}
        return {k: v for k, v in out.items() if v not in (None, "")}


@dataclass(frozen=True)
class QueueItem:
    number: str
    kind: str
    status: str
    topic: Optional[str]
    text: str
    assignee: Optional[str]
    language: str
    created_at: dt.datetime
    updated_at: dt.datetime
    deadline: dt.datetime
    deadline_kind: str  # "response" or "resolution"
    sla: Optional[str]  # None once the ticket is resolved or closed
    redacted: bool
    # The participant's latest details, when adding them was the last thing that happened to the ticket.
    new_details: Optional[str] = None


@dataclass(frozen=True)
class QueuePage:
    items: List[QueueItem]
    total: int
    page: int
    pages: int
    per_page: int


@dataclass(frozen=True)
class QueueCounts:
    open: int
    overdue: int
    due_soon: int
    unassigned: int
    mine: int


def _deadline():
    return case((TicketRow.first_response_at.is_(None), TicketRow.due_at), else_=TicketRow.resolve_due_at)


def _escape_like(text: str) -> str:
    return text.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", _LIKE_ESCAPE + "%").replace("_", _LIKE_ESCAPE + "_")


class ReviewQueue:
    def __init__(self, db: Database, profile: BranchProfile):
        self.db = db
        self.profile = profile

    def due_soon_limit(self, now: dt.datetime) -> dt.datetime:
        """The latest deadline still 'due soon' at `now`: at most `due_soon_hours` working hours away.

        `add_working_hours(t, 0)` moves a deadline that falls on closing time to the next opening,
        since no working time passes in between.
        """
        return add_working_hours(add_working_hours(now, self.profile.due_soon_hours, self.profile), 0, self.profile)

    def _sla_condition(self, state: str, now: dt.datetime):
        deadline = _deadline()
        is_open = TicketRow.status.in_(OPEN_STATUSES)
        if state == OVERDUE:
            return and_(is_open, deadline <= now)
        limit = self.due_soon_limit(now)
        if state == DUE_SOON:
            return and_(is_open, deadline > now, deadline <= limit)
        return and_(is_open, deadline > limit)

    def _conditions(self, f: QueueFilter, now: dt.datetime) -> list:
        conditions = []
        if f.status == "active":
            conditions.append(TicketRow.status.in_(OPEN_STATUSES))
        elif f.status in STATUSES:
            conditions.append(TicketRow.status == f.status)
        if f.kind:
            conditions.append(TicketRow.kind == f.kind)
        if f.topic:
            conditions.append(TicketRow.topic == f.topic)
        if f.assignee == UNASSIGNED:
            conditions.append(TicketRow.assignee.is_(None))
        elif f.assignee:
            conditions.append(TicketRow.assignee == f.assignee)
        if f.sla:
            conditions.append(self._sla_condition(f.sla, now))
        if f.q:
            pattern = f"%{_escape_like(f.q)}%"
            matches = [TicketRow.text.ilike(pattern, escape=_LIKE_ESCAPE),
                       TicketRow.number.ilike(pattern, escape=_LIKE_ESCAPE),
                       TicketRow.topic.ilike(pattern, escape=_LIKE_ESCAPE)]
            number = normalize_number(f.q)
            if number:
                matches.append(TicketRow.number == number)
            conditions.append(or_(*matches))
        return conditions

    @staticmethod
    def _priority(now: dt.datetime) -> list:
        """Overdue first (newest first), then open by deadline (soonest first, newest first on a tie), then the
        rest (newest first). No key is ever NULL: SQLite and PostgreSQL order NULLs differently."""
        is_open = TicketRow.status.in_(OPEN_STATUSES)
        overdue = and_(is_open, _deadline() <= now)
        place = case((overdue, 0), (is_open, 1), else_=2)
        by_deadline = case((and_(is_open, _deadline() > now), _deadline()), else_=now)
        return [place.asc(), by_deadline.asc(), TicketRow.created_at.desc(), TicketRow.id.desc()]

    def _order(self, f: QueueFilter, now: dt.datetime) -> list:
        if f.sort == "priority":
            return self._priority(now)
        columns = {"due": _deadline(), "created": TicketRow.created_at, "updated": TicketRow.updated_at,
                   "number": TicketRow.id, "status": TicketRow.status, "kind": TicketRow.kind}
        order = columns[f.sort].desc() if f.descending else columns[f.sort].asc()
        return [order, TicketRow.id.desc() if f.descending else TicketRow.id.asc()]

    def list(self, f: QueueFilter, now: Optional[dt.datetime] = None) -> QueuePage:
        now = now or utcnow()
        conditions = self._conditions(f, now)
        with self.db.session() as s:
            total = int(s.execute(select(func.count()).select_from(TicketRow).where(*conditions)).scalar_one())
            pages = max(1, math.ceil(total / f.per_page))
            page = min(f.page, pages)
            rows = s.execute(select(TicketRow).where(*conditions).order_by(*self._order(f, now))
                             .limit(f.per_page).offset((page - 1) * f.per_page)).scalars().all()
            items = [self._item(r, now) for r in rows]
        return QueuePage(items, total, page, pages, f.per_page)

    def _item(self, row: TicketRow, now: dt.datetime) -> QueueItem:
        responded = row.first_response_at is not None
        deadline = row.resolve_due_at if responded else row.due_at
        state = sla_state(deadline, now, self.profile) if row.status in OPEN_STATUSES else None
        news = row.participant_added_at is not None and row.participant_added_at >= row.updated_at
        latest = (row.messages or [{}])[-1].get("text") if news and row.messages else None
        return QueueItem(row.number, row.kind, row.status, row.topic, row.text, row.assignee, row.language,
                         row.created_at, row.updated_at, deadline, "resolution" if responded else "response",
                         state, bool(row.redacted), latest)

    def counts(self, now: Optional[dt.datetime] = None, me: Optional[str] = None) -> QueueCounts:
        now = now or utcnow()
        is_open = TicketRow.status.in_(OPEN_STATUSES)

        def flag(condition):
            return func.sum(case((condition, 1), else_=0))

        stmt = select(
            flag(is_open), flag(self._sla_condition(OVERDUE, now)), flag(self._sla_condition(DUE_SOON, now)),
            flag(and_(is_open, TicketRow.assignee.is_(None))),
            flag(and_(is_open, TicketRow.assignee == (me or ""))),
        ).select_from(TicketRow)
        with self.db.session() as s:
            values = s.execute(stmt).one()
        return QueueCounts(*(int(v or 0) for v in values))

    def topics(self) -> List[str]:
        with self.db.session() as s:
            return sorted(t for t in s.execute(select(TicketRow.topic).distinct()).scalars() if t)

    def assignees(self) -> List[str]:
        with self.db.session() as s:
            return sorted(a for a in s.execute(select(TicketRow.assignee).distinct()).scalars() if a)
