"""Improvement actions decided in the monthly review: plan, do, check.

In a month's review an admin records an action (what, who, the due date, the problem or topic it
targets and the metric that should move; a knowledge-base change made for it may be linked). The next
months' reviews show its status and whether its metric moved: the metric over the weeks before the
change and the same number of weeks after it (at most WINDOW_DAYS each, ending with the reviewed month).
The change is when the linked knowledge-base entry was changed, else when the action was marked done,
else when it was recorded. Counts per week are of the action's topic where the metric is about one
(tickets and complaints count all topics unless the action names one).

Verdicts are deliberately plain: "improved" or "worsened" only when the metric moved by at least
the threshold of its form (a fifth for counts per week, 5 points for shares, 0.3 for a mean rating)
over at least MIN_CASES cases on both sides together and at least MIN_WINDOW_DAYS after the change.

All SQL of improvement actions lives here (no Flask).
"""
from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from accounts import audit
from branch.profile import BranchProfile
from core.db import Database, utcnow
from monitoring.kpis import UNRESOLVED_TICKET_KINDS, KpiService, Period
from monitoring.models import FeedbackRow, ImprovementActionRow, TicketRow, TurnRow
from monitoring.review import Month, ReviewService
from monitoring.satisfaction import SatisfactionSurvey

STATUSES = ("planned", "in_progress", "done", "dropped")
OPEN_STATUSES = ("planned", "in_progress")
PER_WEEK, SHARE, MEAN = "per_week", "share", "mean"
LOWER, HIGHER = "lower", "higher"
WINDOW_DAYS = 28
MIN_WINDOW_DAYS = 7
MIN_CASES = 10
THRESHOLDS = {PER_WEEK: 0.2, SHARE: 0.05, MEAN: 0.3}  # relative for counts per week, absolute otherwise
MAX_TEXT = 1000
IMPROVED, WORSENED, UNCHANGED, TOO_FEW, TOO_EARLY = "improved", "worsened", "unchanged", "too_few", "too_early"


@dataclass(frozen=True)
class Metric:
    code: str
    form: str  # per_week, share or mean
    better: str  # lower or higher
    needs_topic: bool = False
    by_topic: bool = False  # counted on the action's topic when it names one

    @property
    def uses_topic(self) -> bool:
        return self.needs_topic or self.by_topic


METRICS: Dict[str, Metric] = {m.code: m for m in (
    Metric("topic_tickets", PER_WEEK, LOWER, True),  # tickets on the topic per week
    Metric("topic_unresolved", PER_WEEK, LOWER, True),  # not understood, clarified, unhelpful, unresolved tickets
    Metric("complaints", PER_WEEK, LOWER, by_topic=True),
    Metric("tickets", PER_WEEK, LOWER, by_topic=True),
    Metric("fallback_share", SHARE, LOWER),
    Metric("containment", SHARE, HIGHER),
    Metric("first_response_on_time", SHARE, HIGHER),
    Metric("resolution_on_time", SHARE, HIGHER),
    Metric("overdue", PER_WEEK, LOWER),
    Metric("satisfaction", MEAN, HIGHER),
)}


class ActionError(ValueError):
    """An action that cannot be recorded; `code` names the problem (the dashboard words it)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Action:
    id: int
    review_month: Month
    what: str
    owner: str
    due_date: dt.date
    problem: Optional[str]
    topic: Optional[str]
    metric: str
    status: str
    kb_entry_id: Optional[str]
    note: Optional[str]
    created_by: str
    created_at: dt.datetime
    updated_by: str
    updated_at: dt.datetime
    done_at: Optional[dt.datetime]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def late(self, today: dt.date) -> bool:
        return self.is_open and self.due_date < today


def _action(row: ImprovementActionRow) -> Action:
    return Action(row.id, Month.of(row.review_month), row.what, row.owner, row.due_date, row.problem, row.topic,
                  row.metric, row.status, row.kb_entry_id, row.note, row.created_by, row.created_at, row.updated_by,
                  row.updated_at, row.done_at)


@dataclass(frozen=True)
class Measure:
    period: Period
    value: Optional[float]
    cases: int  # what the value was computed from (tickets, questions, conversations, ratings)


@dataclass(frozen=True)
class Check:
    change_day: dt.date
    change_basis: str  # kb_change, done or recorded
    before: Measure
    after: Measure
    verdict: str

    @property
    def change(self) -> Optional[float]:
        if self.before.value is None or self.after.value is None:
            return None
        return self.after.value - self.before.value


def _clip(text: Optional[str]) -> Optional[str]:
    text = " ".join((text or "").replace("\x00", "").split())
    return text[:MAX_TEXT] or None


class ImprovementActions:
    def __init__(self, db: Database, profile: BranchProfile):
        self.db = db
        self.profile = profile
        self.tz = ZoneInfo(profile.timezone)

    # ---- recording ------------------------------------------------------------------------------
    @staticmethod
    def _validated(what: Optional[str], owner: Optional[str], due_date: Optional[dt.date], metric: str,
                   topic: Optional[str]) -> Tuple[str, str]:
        what_text, owner_text = _clip(what), _clip(owner)
        if not what_text:
            raise ActionError("what_missing")
        if not owner_text:
            raise ActionError("owner_missing")
        if due_date is None:
            raise ActionError("due_missing")
        if metric not in METRICS:
            raise ActionError("metric_unknown")
        if METRICS[metric].needs_topic and not topic:
            raise ActionError("topic_missing")
        return what_text, owner_text[:100]

    def create(self, month: Month, what: str, owner: str, due_date: Optional[dt.date], metric: str, actor: str,
               problem: Optional[str] = None, topic: Optional[str] = None, kb_entry_id: Optional[str] = None,
               source: str = "dashboard", now: Optional[dt.datetime] = None) -> Action:
        topic = _clip(topic)
        what_text, owner_text = self._validated(what, owner, due_date, metric, topic)
        now = now or utcnow()
        with self.db.session() as s:
            row = ImprovementActionRow(
                review_month=month.first, what=what_text, owner=owner_text, due_date=due_date, problem=_clip(problem),
                topic=(topic or "")[:64] or None, metric=metric, status="planned",
                kb_entry_id=(_clip(kb_entry_id) or "")[:80] or None, created_by=actor, created_at=now,
                updated_by=actor, updated_at=now)
            s.add(row)
            s.flush()
            audit.add(s, actor, "improvement_recorded", f"action {row.id}", what_text[:200], source, now)
            return _action(row)

    def update(self, action_id: int, actor: str, status: Optional[str] = None, note: Optional[str] = None,
               kb_entry_id: Optional[str] = None, source: str = "dashboard", now: Optional[dt.datetime] = None) -> Action:
        """Change the status, the note or the linked entry ("" unlinks it); done records when."""
        if status is not None and status not in STATUSES:
            raise ActionError("status_unknown")
        now = now or utcnow()
        with self.db.session() as s:
            row = self._locked(s, action_id)
            changes = []
            if status is not None and status != row.status:
                changes.append(f"{row.status} -> {status}")
                row.status = status
                row.done_at = now if status == "done" else None
            if note is not None and _clip(note) != row.note:
                row.note = _clip(note)
                changes.append("note")
            if kb_entry_id is not None and ((_clip(kb_entry_id) or "")[:80] or None) != row.kb_entry_id:
                row.kb_entry_id = (_clip(kb_entry_id) or "")[:80] or None
                changes.append(f"entry={row.kb_entry_id or '-'}")
            if changes:
                row.updated_by, row.updated_at = actor, now
                audit.add(s, actor, "improvement_updated", f"action {row.id}", ", ".join(changes), source, now)
            return _action(row)

    @staticmethod
    def _locked(s: Session, action_id: int) -> ImprovementActionRow:
        row = s.execute(select(ImprovementActionRow).where(ImprovementActionRow.id == action_id)
                        .with_for_update()).scalar_one_or_none()
        if row is None:
            raise ActionError("not_found")
        return row

    # ---- reading --------------------------------------------------------------------------------
    def get(self, action_id: int) -> Optional[Action]:
        with self.db.session() as s:
            row = s.get(ImprovementActionRow, action_id)
            return _action(row) if row else None

    def recorded_in(self, month: Month) -> List[Action]:
        """The actions decided in this month's review."""
        stmt = (select(ImprovementActionRow).where(ImprovementActionRow.review_month == month.first)
                .order_by(ImprovementActionRow.id))
        with self.db.session() as s:
            return [_action(r) for r in s.execute(stmt).scalars()]

    def to_follow_up(self, month: Month) -> List[Action]:
        """Actions of earlier reviews this month's review follows up: still open, or closed in this
        month or later (their check still reads this month)."""
        start = dt.datetime(month.first.year, month.first.month, month.first.day) - dt.timedelta(days=1)
        stmt = (select(ImprovementActionRow).where(ImprovementActionRow.review_month < month.first)
                .order_by(ImprovementActionRow.review_month, ImprovementActionRow.id))
        with self.db.session() as s:
            rows = [_action(r) for r in s.execute(stmt).scalars()]
        return [a for a in rows if a.is_open or a.updated_at >= start]

    # ---- checking -------------------------------------------------------------------------------
    def _local_day(self, at: dt.datetime) -> dt.date:
        return at.replace(tzinfo=dt.timezone.utc).astimezone(self.tz).date()

    def change_point(self, action: Action, kb_changed_at: Optional[dt.datetime] = None) -> Tuple[dt.date, str]:
        if kb_changed_at is not None:
            return self._local_day(kb_changed_at), "kb_change"
        if action.status == "done" and action.done_at is not None:
            return self._local_day(action.done_at), "done"
        return self._local_day(action.created_at), "recorded"

    def check(self, action: Action, until: dt.date, kb_changed_at: Optional[dt.datetime] = None) -> Check:
        """The action's metric before and after its change, up to `until` (the reviewed month's last day)."""
        day, basis = self.change_point(action, kb_changed_at)
        after_days = (until - day).days + 1
        length = max(1, min(WINDOW_DAYS, after_days))
        before = self.measure(action.metric, Period(day - dt.timedelta(days=length), day - dt.timedelta(days=1)),
                              action.topic)
        after = self.measure(action.metric, Period(day, day + dt.timedelta(days=length - 1)), action.topic)
        return Check(day, basis, before, after, verdict(METRICS[action.metric], before, after, after_days))

    def measure(self, metric: str, period: Period, topic: Optional[str] = None) -> Measure:
        spec = METRICS[metric]
        start, end = period.utc_bounds(self.profile.timezone)
        weeks = ((period.end - period.start).days + 1) / 7
        kpis = KpiService(self.db, self.profile)
        if spec.form == PER_WEEK:
            n = self._count(metric, period, start, end, topic)
            return Measure(period, n / weeks, n)
        if metric == "satisfaction":
            summary = SatisfactionSurvey(self.db).summary(start, end)
            return Measure(period, summary.mean, summary.answered)
        if metric == "containment":
            contained = ReviewService(self.db, self.profile).containment(period)
            return Measure(period, contained.share, contained.conversations)
        if metric == "fallback_share":
            outcomes = kpis.report(period, top=1).outcomes
            return Measure(period, outcomes.share("fallback"), outcomes.questions)
        times = kpis.service_times(period)
        if metric == "first_response_on_time":
            return Measure(period, times.responded_on_time_share, times.responded)
        return Measure(period, times.resolved_on_time_share, times.resolved)

    def _count(self, metric: str, period: Period, start: dt.datetime, end: dt.datetime, topic: Optional[str]) -> int:
        if metric == "overdue":
            return ReviewService(self.db, self.profile).overdue(period).overdue

        def on_topic(value: Optional[str]) -> bool:
            return bool(topic) and value is not None and fnmatch.fnmatchcase(value, topic or "")

        with self.db.session() as s:
            tickets = s.execute(select(TicketRow.kind, TicketRow.topic).where(
                TicketRow.created_at >= start, TicketRow.created_at < end)).all()
            if metric == "tickets":
                return sum(1 for _, t in tickets if not topic or on_topic(t))
            if metric == "complaints":
                return sum(1 for kind, t in tickets if kind == "complaint" and (not topic or on_topic(t)))
            if metric == "topic_tickets":
                return sum(1 for _, t in tickets if on_topic(t))
            turns = s.execute(select(TurnRow.topic).where(
                TurnRow.at >= start, TurnRow.at < end, TurnRow.outcome.in_(("fallback", "clarified")))).all()
            unhelpful = s.execute(select(FeedbackRow.topic).where(
                FeedbackRow.created_at >= start, FeedbackRow.created_at < end, FeedbackRow.helpful.is_(False))).all()
        return (sum(1 for (t,) in turns if on_topic(t)) + sum(1 for (t,) in unhelpful if on_topic(t))
                + sum(1 for kind, t in tickets if kind in UNRESOLVED_TICKET_KINDS and on_topic(t)))


def verdict(metric: Metric, before: Measure, after: Measure, after_days: int) -> str:
    if after_days < MIN_WINDOW_DAYS:
        return TOO_EARLY
    if before.cases + after.cases < MIN_CASES or before.value is None or after.value is None:
        return TOO_FEW
    change = after.value - before.value
    if metric.form == PER_WEEK:
        moved = abs(change) >= THRESHOLDS[PER_WEEK] * before.value if before.value else change != 0
    else:
        moved = abs(change) >= THRESHOLDS[metric.form] - 1e-9
    if not moved:
        return UNCHANGED
    return IMPROVED if (change < 0) == (metric.better == LOWER) else WORSENED

