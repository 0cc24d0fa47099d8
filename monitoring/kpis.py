"""Key figures for the dashboard: how the assistant answers, and how staff handle tickets.

All SQL of the KPIs lives here (no Flask). Days are the branch's local calendar
days: timestamps are stored as naive UTC and shifted by the branch time zone's
offset before grouping (Indonesian zones have no daylight saving time).

Definitions (the dashboard shows them next to the figures):
- questions: participant messages the assistant treated as a question, i.e. every turn
  except small talk and dialogue steps (outcome "dialogue");
- answered / clarified / fallback / out of scope / ticket: the turn's outcome, as a share of questions;
- tickets opened per day by kind (created in the period), resolved per day by kind
  (resolved or closed in the period);
- time to first response and to resolution: working hours (office hours, open days, minus
  holidays of the branch profile) from opening, over tickets first answered / resolved in
  the period, against the standard of the branch profile;
- helpfulness: participants' answers to "Apakah jawaban ini membantu?" by topic;
- unresolved questions: fallback turns, and turns that opened an unresolved-question ticket,
  grouped by their (masked) text; unresolved topics: unhelpful answers, clarifications and
  unresolved-question or unhelpful-answer tickets per topic;
- satisfaction: ratings (1-5) participants gave in the period to the handling of their resolved
  tickets, and the questions asked in it (monitoring/satisfaction.py).

Every share comes with the count it is a share of: below SMALL_SAMPLE the dashboard marks it as
too small a sample to conclude from. Per-day figures can be grouped into weeks or months
(`group`): a long or sparse period reads better that way than as rows of empty days.
"""
from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, literal_column, or_, select

from core.db import Database
from branch.profile import BranchProfile
from monitoring.models import FeedbackRow, TicketRow, TurnRow
from monitoring.satisfaction import SatisfactionSummary, SatisfactionSurvey
from monitoring.service_time import working_hours_between
from monitoring.tickets import KINDS

QUESTION_OUTCOMES = ("answered", "clarified", "fallback", "out_of_scope", "ticket")
UNRESOLVED_TICKET_KINDS = ("unresolved_question", "negative_feedback")
MAX_DAYS = 366
SMALL_SAMPLE = 10  # a share of fewer cases than this is shown, but marked as too few to conclude from
GROUPINGS = ("day", "week", "month")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    """Local calendar days from `start` to `end`, both included."""

    start: dt.date
    end: dt.date

    def __post_init__(self):
        if self.end < self.start:
            raise PeriodError("the end date is before the start date")
        if (self.end - self.start).days + 1 > MAX_DAYS:
            raise PeriodError(f"a period spans at most {MAX_DAYS} days")

    @classmethod
    def last_days(cls, days: int, today: dt.date) -> "Period":
        return cls(today - dt.timedelta(days=days - 1), today)

    def days(self) -> List[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def utc_bounds(self, timezone: str) -> Tuple[dt.datetime, dt.datetime]:
        """[start, end) in naive UTC."""
        tz = ZoneInfo(timezone)

        def utc(day: dt.date) -> dt.datetime:
            local = dt.datetime(day.year, day.month, day.day, tzinfo=tz)
            return local.astimezone(dt.timezone.utc).replace(tzinfo=None)

        return utc(self.start), utc(self.end + dt.timedelta(days=1))


class _OutcomeTotals:
    """Totals over the `outcomes` counts of a day or a bucket of days."""

    outcomes: Dict[str, int]

    @property
    def questions(self) -> int:
        return sum(self.outcomes.get(o, 0) for o in QUESTION_OUTCOMES)

    @property
    def messages(self) -> int:
        return sum(self.outcomes.values())


@dataclass
class DayFigures(_OutcomeTotals):
    day: dt.date
    outcomes: Dict[str, int] = field(default_factory=dict)
    opened: Dict[str, int] = field(default_factory=dict)
    resolved: Dict[str, int] = field(default_factory=dict)


@dataclass
class Bucket(_OutcomeTotals):
    """The figures of consecutive days of a period: a day, a week (Monday to Sunday) or a calendar month,
    clipped to the period."""

    start: dt.date
    end: dt.date
    outcomes: Dict[str, int] = field(default_factory=dict)
    opened: Dict[str, int] = field(default_factory=dict)
    resolved: Dict[str, int] = field(default_factory=dict)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _bucket_start(day: dt.date, by: str) -> dt.date:
    if by == "week":
        return day - dt.timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    return day


def group(daily: List[DayFigures], by: str) -> List[Bucket]:
    """Per-day figures added up per day, week or month (`by`), in order."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}")
    buckets: Dict[dt.date, Bucket] = {}
    for day in daily:
        key = _bucket_start(day.day, by)
        bucket = buckets.setdefault(key, Bucket(day.day, day.day))
        bucket.end = day.day
        for attribute in ("outcomes", "opened", "resolved"):
            totals = getattr(bucket, attribute)
            for code, n in getattr(day, attribute).items():
                totals[code] = totals.get(code, 0) + n
    return [buckets[k] for k in sorted(buckets)]


def quiet_days(daily: List[DayFigures]) -> int:
    """Days without a message or a ticket opened or resolved."""
    return sum(1 for d in daily if not (d.messages or d.opened or d.resolved))


def auto_grouping(daily: List[DayFigures]) -> str:
    """Days for up to a fortnight, or a month with activity on most days; weeks for longer or sparser
    periods; months beyond a quarter."""
    if len(daily) > 92:
        return "month"
    if len(daily) > 31 or (len(daily) > 14 and quiet_days(daily) * 2 > len(daily)):
        return "week"
    return "day"


@dataclass(frozen=True)
class OutcomeShares:
    questions: int
    counts: Dict[str, int]

    def share(self, outcome: str) -> Optional[float]:
        return self.counts.get(outcome, 0) / self.questions if self.questions else None


@dataclass(frozen=True)
class ServiceTimes:
    responded: int
    median_first_response_hours: Optional[float]
    responded_on_time: int
    first_response_standard_hours: float
    resolved: int
    median_resolution_hours: Optional[float]
    resolved_on_time: int
    resolution_standard_hours: float

    @property
    def responded_on_time_share(self) -> Optional[float]:
        return self.responded_on_time / self.responded if self.responded else None

    @property
    def resolved_on_time_share(self) -> Optional[float]:
        return self.resolved_on_time / self.resolved if self.resolved else None


@dataclass(frozen=True)
class TopicHelpfulness:
    topic: str
    helpful: int
    not_helpful: int

    @property
    def total(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def share(self) -> Optional[float]:
        return self.helpful / self.total if self.total else None


@dataclass(frozen=True)
class UnresolvedQuestion:
    text: str
    count: int
    last_at: dt.datetime


@dataclass(frozen=True)
class UnresolvedTopic:
    topic: Optional[str]
    not_helpful: int
    clarified: int
    tickets: int

    @property
    def total(self) -> int:
        return self.not_helpful + self.clarified + self.tickets


@dataclass(frozen=True)
class KpiReport:
    period: Period
    daily: List[DayFigures]
    outcomes: OutcomeShares
    service: ServiceTimes
    helpfulness: List[TopicHelpfulness]
    unresolved_questions: List[UnresolvedQuestion]
    unresolved_topics: List[UnresolvedTopic]
    satisfaction: SatisfactionSummary

    def totals(self, attribute: str) -> Dict[str, int]:
        """Sum of a per-day mapping (opened or resolved) over the period, by kind."""
        out = {k: 0 for k in KINDS}
        for day in self.daily:
            for key, n in getattr(day, attribute).items():
                out[key] = out.get(key, 0) + n
        return out


def _median(values: List[float]) -> Optional[float]:
    return statistics.median(values) if values else None


class KpiService:
    def __init__(self, db: Database, profile: BranchProfile):
        self.db = db
        self.profile = profile

    # ---- helpers -----------------------------------------------------------
    def _offset(self, period: Period) -> dt.timedelta:
        start = dt.datetime(period.start.year, period.start.month, period.start.day)
        return ZoneInfo(self.profile.timezone).utcoffset(start) or dt.timedelta()

    def _local_day(self, column, offset: dt.timedelta):
        """SQL for the local calendar day of a naive-UTC column."""
        # Literal SQL (an int we computed), not bound parameters: PostgreSQL must see the
        # same expression in SELECT and GROUP BY.
        minutes = int(offset.total_seconds() // 60)
        if self.db.dialect == "sqlite":
            return func.date(column, literal_column(f"'{minutes:+d} minutes'"))
        return func.date(column + literal_column(f"interval '{minutes} minutes'"))

    @staticmethod
    def _as_date(value) -> dt.date:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])

    # ---- the report --------------------------------------------------------
    def report(self, period: Period, top: int = 20) -> KpiReport:
        daily = self.daily(period)
        counts: Dict[str, int] = {}
        for day in daily:
            for outcome, n in day.outcomes.items():
                counts[outcome] = counts.get(outcome, 0) + n
        questions = sum(counts.get(o, 0) for o in QUESTION_OUTCOMES)
        return KpiReport(period, daily, OutcomeShares(questions, counts), self.service_times(period),
                         self.helpfulness(period), self.unresolved_questions(period, top),
                         self.unresolved_topics(period, top), self.satisfaction(period))

    def satisfaction(self, period: Period) -> SatisfactionSummary:
        return SatisfactionSurvey(self.db).summary(*period.utc_bounds(self.profile.timezone))

    def daily(self, period: Period) -> List[DayFigures]:
        start, end = period.utc_bounds(self.profile.timezone)
        offset = self._offset(period)
        days = {d: DayFigures(d) for d in period.days()}
        turn_day = self._local_day(TurnRow.at, offset)
        opened_day = self._local_day(TicketRow.created_at, offset)
        resolved_day = self._local_day(TicketRow.resolved_at, offset)
        with self.db.session() as s:
            turns = s.execute(select(turn_day, TurnRow.outcome, func.count())
                              .where(TurnRow.at >= start, TurnRow.at < end)
                              .group_by(turn_day, TurnRow.outcome)).all()
            opened = s.execute(select(opened_day, TicketRow.kind, func.count())
                               .where(TicketRow.created_at >= start, TicketRow.created_at < end)
                               .group_by(opened_day, TicketRow.kind)).all()
            resolved = s.execute(select(resolved_day, TicketRow.kind, func.count())
                                 .where(TicketRow.resolved_at >= start, TicketRow.resolved_at < end)
                                 .group_by(resolved_day, TicketRow.kind)).all()
        for rows, attribute in ((turns, "outcomes"), (opened, "opened"), (resolved, "resolved")):
            for day, key, n in rows:
                figures = days.get(self._as_date(day))
                if figures is not None:
                    getattr(figures, attribute)[key] = int(n)
        return [days[d] for d in sorted(days)]

    def service_times(self, period: Period) -> ServiceTimes:
        start, end = period.utc_bounds(self.profile.timezone)
        with self.db.session() as s:
            responded = s.execute(select(TicketRow.created_at, TicketRow.first_response_at, TicketRow.due_at)
                                  .where(TicketRow.first_response_at >= start, TicketRow.first_response_at < end)).all()
            resolved = s.execute(select(TicketRow.created_at, TicketRow.resolved_at, TicketRow.resolve_due_at)
                                 .where(TicketRow.resolved_at >= start, TicketRow.resolved_at < end)).all()
        response_hours = [working_hours_between(c, r, self.profile) for c, r, _ in responded]
        resolution_hours = [working_hours_between(c, r, self.profile) for c, r, _ in resolved]
        return ServiceTimes(
            responded=len(responded), median_first_response_hours=_median(response_hours),
            responded_on_time=sum(1 for _, r, due in responded if r <= due),
            first_response_standard_hours=self.profile.first_response_hours,
            resolved=len(resolved), median_resolution_hours=_median(resolution_hours),
            resolved_on_time=sum(1 for _, r, due in resolved if r <= due),
            resolution_standard_hours=self.profile.resolution_hours,
        )

    def helpfulness(self, period: Period) -> List[TopicHelpfulness]:
        start, end = period.utc_bounds(self.profile.timezone)
        helpful = func.sum(case((FeedbackRow.helpful.is_(True), 1), else_=0))
        total = func.count()
        stmt = (select(FeedbackRow.topic, helpful, total)
                .where(FeedbackRow.created_at >= start, FeedbackRow.created_at < end)
                .group_by(FeedbackRow.topic))
        with self.db.session() as s:
            rows = [TopicHelpfulness(t, int(h or 0), int(n) - int(h or 0)) for t, h, n in s.execute(stmt)]
        # Least helpful first: those are the answers to rewrite.
        return sorted(rows, key=lambda r: (r.share if r.share is not None else 1.0, -r.total, r.topic))

    def unresolved_questions(self, period: Period, top: int = 20) -> List[UnresolvedQuestion]:
        start, end = period.utc_bounds(self.profile.timezone)
        text = func.lower(func.trim(TurnRow.text))
        count = func.count()
        stmt = (select(text, count, func.max(TurnRow.at))
                .select_from(TurnRow)
                .outerjoin(TicketRow, TicketRow.number == TurnRow.ticket_number)
                .where(TurnRow.at >= start, TurnRow.at < end,
                       or_(TurnRow.outcome == "fallback",
                           and_(TurnRow.outcome == "ticket", TicketRow.kind == "unresolved_question")))
                .group_by(text).order_by(count.desc(), func.max(TurnRow.at).desc(), text).limit(max(1, top)))
        with self.db.session() as s:
            return [UnresolvedQuestion(t, int(n), last) for t, n, last in s.execute(stmt) if t]

    def unresolved_topics(self, period: Period, top: int = 20) -> List[UnresolvedTopic]:
        start, end = period.utc_bounds(self.profile.timezone)
        figures: Dict[Optional[str], List[int]] = {}
        with self.db.session() as s:
            not_helpful = s.execute(select(FeedbackRow.topic, func.count())
                                    .where(FeedbackRow.created_at >= start, FeedbackRow.created_at < end,
                                           FeedbackRow.helpful.is_(False))
                                    .group_by(FeedbackRow.topic)).all()
            clarified = s.execute(select(TurnRow.topic, func.count())
                                  .where(TurnRow.at >= start, TurnRow.at < end, TurnRow.outcome == "clarified")
                                  .group_by(TurnRow.topic)).all()
            tickets = s.execute(select(TicketRow.topic, func.count())
                                .where(TicketRow.created_at >= start, TicketRow.created_at < end,
                                       TicketRow.kind.in_(UNRESOLVED_TICKET_KINDS))
                                .group_by(TicketRow.topic)).all()
        for index, rows in enumerate((not_helpful, clarified, tickets)):
            for topic, n in rows:
                figures.setdefault(topic, [0, 0, 0])[index] += int(n)
        items = [UnresolvedTopic(t, *v) for t, v in figures.items()]
        items.sort(key=lambda u: (-u.total, u.topic is None, u.topic or ""))
        return items[:max(1, top)]
