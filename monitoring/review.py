"""The monthly service-quality review: one month's figures, next to the month before.

What the branch head reviews against the service standard (all days and hours are the branch's local
ones, all service times working hours of the branch profile):
- volumes: questions, participants, conversations and tickets, by channel, by topic, and by day of the
  week and hour of the day (the peak hours, and how many questions come while the office is closed);
- containment: conversations (a participant's questions on one day) that ended without a ticket, i.e.
  answered without staff;
- first response and resolution: tickets first answered / resolved in the month, their median and 90th
  percentile against the standard, the share on time, with the number of tickets, in total and by kind;
- overdue: tickets opened in the month whose first response or resolution came after its due time (or
  has not come and is past due at the month's end), and the open tickets past due at the month's end;
- satisfaction (monitoring/satisfaction.py), the most frequent unresolved questions and topics
  (monitoring/kpis.py);
- feedback and complaints placed in the five SERVQUAL dimensions (monitoring/servqual.py): complaint and
  unhelpful-answer tickets, "not helpful" answers that did not become such a ticket within the hour,
  and ratings with a comment or of 1-2.

All SQL of the review lives here and in the services it uses (no Flask).
"""
from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Set, Tuple
from zoneinfo import ZoneInfo

from sqlalchemy import select

from branch.profile import BranchProfile
from core.db import Database, utcnow
from core.identity import is_telegram
from core.masking import mask_pii
from monitoring.kpis import QUESTION_OUTCOMES, KpiService, Period, UnresolvedQuestion, UnresolvedTopic
from monitoring.models import FeedbackRow, SatisfactionRow, TicketRow, TurnRow
from monitoring.satisfaction import SatisfactionSummary, SatisfactionSurvey
from monitoring.servqual import DimensionCount, Item, Placed, Rules, classify, counts, load_file
from monitoring.service_time import in_office_hours, working_hours_between
from monitoring.tickets import KINDS

TELEGRAM, OTHER_CHANNEL = "telegram", "rest"
FEEDBACK_TICKET_KINDS = {"complaint": "complaint", "negative_feedback": "unhelpful_answer"}
# A "not helpful" answer followed this soon by the participant's unhelpful-answer ticket counts once, as the ticket.
SAME_FEEDBACK = dt.timedelta(hours=1)
LOW_RATING = 2
PEAK_HOURS = 3
TOP = 10
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self):
        if not (1 <= self.month <= 12 and 2000 <= self.year <= 2100):
            raise ValueError(f"no month {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: Optional[str]) -> "Month":
        match = _MONTH.match(text or "")
        if not match:
            raise ValueError(f"not a month (YYYY-MM): {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> "Month":
        return cls(day.year, day.month)

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def previous(self) -> "Month":
        return Month.of(self.first - dt.timedelta(days=1))

    def next(self) -> "Month":
        return Month.of(self.last + dt.timedelta(days=1))

    def period(self) -> Period:
        return Period(self.first, self.last)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def channel_of(sender_id: str) -> str:
    """The channel a participant's messages came through, from their sender id."""
    return TELEGRAM if is_telegram(sender_id) else OTHER_CHANNEL


# ---- the figures ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChannelVolume:
    channel: str
    questions: int
    participants: int
    tickets: int


@dataclass(frozen=True)
class TopicVolume:
    topic: Optional[str]
    questions: int
    tickets: int


@dataclass(frozen=True)
class Volumes:
    questions: int
    messages: int  # questions and dialogue steps
    participants: int
    tickets: int
    by_channel: Tuple[ChannelVolume, ...]
    by_topic: Tuple[TopicVolume, ...]  # most questions first
    heat: Tuple[Tuple[int, ...], ...]  # questions per [weekday, Monday first][hour of day]
    tickets_heat: Tuple[Tuple[int, ...], ...]  # tickets opened, likewise
    open_by_hour: Tuple[int, ...]  # questions per hour of the day asked while the office was open

    @property
    def in_office_hours(self) -> int:
        return sum(self.open_by_hour)

    @property
    def by_hour(self) -> List[int]:
        return [sum(day[h] for day in self.heat) for h in range(24)]

    @property
    def by_weekday(self) -> List[int]:
        return [sum(day) for day in self.heat]

    @property
    def tickets_by_hour(self) -> List[int]:
        return [sum(day[h] for day in self.tickets_heat) for h in range(24)]

    @property
    def outside_office_hours(self) -> int:
        return self.questions - self.in_office_hours

    @property
    def outside_office_share(self) -> Optional[float]:
        return self.outside_office_hours / self.questions if self.questions else None

    def peaks(self, n: int = PEAK_HOURS) -> List[Tuple[int, int, int]]:
        """The busiest (weekday, hour, questions), busiest first."""
        cells = sorted(((count, wd, h) for wd, day in enumerate(self.heat) for h, count in enumerate(day) if count),
                       key=lambda c: (-c[0], c[1], c[2]))
        return [(wd, h, count) for count, wd, h in cells[:n]]

    def peak_hours(self, n: int = PEAK_HOURS) -> List[Tuple[int, int]]:
        """The busiest hours of the day over the month: (hour, questions)."""
        hours = sorted(((h, c) for h, c in enumerate(self.by_hour) if c), key=lambda hc: (-hc[1], hc[0]))
        return hours[:n]


@dataclass(frozen=True)
class Containment:
    conversations: int
    contained: int

    @property
    def share(self) -> Optional[float]:
        return self.contained / self.conversations if self.conversations else None


@dataclass(frozen=True)
class TimeFigures:
    """One service time (first response or resolution) of a set of tickets, in working hours."""

    n: int
    median: Optional[float]
    p90: Optional[float]
    on_time: int
    standard: float

    @property
    def on_time_share(self) -> Optional[float]:
        return self.on_time / self.n if self.n else None


@dataclass(frozen=True)
class ServiceReview:
    first_response: TimeFigures
    resolution: TimeFigures
    by_kind: Tuple[Tuple[str, TimeFigures, TimeFigures], ...]  # (kind, first response, resolution)


@dataclass(frozen=True)
class OverdueTicket:
    number: str
    kind: str
    topic: Optional[str]
    missed: str  # response or resolution (the first deadline missed)
    due_at: dt.datetime
    done_at: Optional[dt.datetime]  # None: not done by the month's end
    hours_late: float  # working hours


@dataclass(frozen=True)
class Overdue:
    opened: int  # tickets opened in the month
    late_response: int
    late_resolution: int
    tickets: Tuple[OverdueTicket, ...]  # most late first
    open_past_due_at_end: int  # any age, still open at the month's end and past its resolution due time

    @property
    def overdue(self) -> int:
        return len(self.tickets)

    @property
    def overdue_share(self) -> Optional[float]:
        return self.overdue / self.opened if self.opened else None


@dataclass(frozen=True)
class MonthReview:
    month: Month
    volumes: Volumes
    containment: Containment
    answered: int  # questions answered from the knowledge base
    fallback: int  # questions not understood
    service: ServiceReview
    overdue: Overdue
    satisfaction: SatisfactionSummary
    unresolved_questions: Tuple[UnresolvedQuestion, ...]
    unresolved_topics: Tuple[UnresolvedTopic, ...]
    feedback: Tuple[Placed, ...]
    dimensions: Tuple[DimensionCount, ...]
    rules: Rules

    @property
    def answered_share(self) -> Optional[float]:
        return self.answered / self.volumes.questions if self.volumes.questions else None

    @property
    def fallback_share(self) -> Optional[float]:
        return self.fallback / self.volumes.questions if self.volumes.questions else None

    @property
    def unplaced(self) -> Tuple[Placed, ...]:
        return tuple(p for p in self.feedback if not p.matches)


# ---- headline figures, this month against the last ---------------------------------------------
COUNT, SHARE, HOURS, MEAN = "count", "share", "hours", "mean"
LOWER, HIGHER = "lower", "higher"
# A change smaller than this (half of what the page shows as one step) is no change.
SAME = {COUNT: 0.5, SHARE: 0.005, HOURS: 0.05, MEAN: 0.05}


@dataclass(frozen=True)
class Figure:
    code: str
    form: str  # count, share, hours or mean
    value: Optional[float]
    n: Optional[int]  # what a share, time or mean was computed over
    previous: Optional[float]
    previous_n: Optional[int]
    better: Optional[str] = None  # lower or higher is better; None: neither

    @property
    def change(self) -> Optional[float]:
        """The difference to the previous month (points for shares: 0.05 is 5 points)."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def direction(self) -> Optional[str]:
        """better, worse or same (None when no comparison or no better direction)."""
        change = self.change
        if change is None or self.better is None:
            return None
        if abs(change) < SAME[self.form]:
            return "same"
        return "better" if (change < 0) == (self.better == LOWER) else "worse"


def _figures(m: MonthReview) -> Dict[str, Tuple[str, Optional[float], Optional[int], Optional[str]]]:
    v, s, sat = m.volumes, m.service, m.satisfaction
    complaints = sum(1 for p in m.feedback if p.item.source == "complaint")
    return {
        "questions": (COUNT, v.questions, None, None),
        "participants": (COUNT, v.participants, None, None),
        "tickets": (COUNT, v.tickets, None, None),
        "outside_office_share": (SHARE, v.outside_office_share, v.questions, None),
        "containment": (SHARE, m.containment.share, m.containment.conversations, HIGHER),
        "answered_share": (SHARE, m.answered_share, v.questions, HIGHER),
        "fallback_share": (SHARE, m.fallback_share, v.questions, LOWER),
        "first_response_median": (HOURS, s.first_response.median, s.first_response.n, LOWER),
        "first_response_on_time": (SHARE, s.first_response.on_time_share, s.first_response.n, HIGHER),
        "resolution_median": (HOURS, s.resolution.median, s.resolution.n, LOWER),
        "resolution_on_time": (SHARE, s.resolution.on_time_share, s.resolution.n, HIGHER),
        "overdue": (COUNT, m.overdue.overdue, m.overdue.opened, LOWER),
        "satisfaction": (MEAN, sat.mean, sat.answered, HIGHER),
        "satisfied_share": (SHARE, sat.satisfied_share, sat.answered, HIGHER),
        "complaints": (COUNT, complaints, None, LOWER),
    }


FIGURES = ("questions", "participants", "tickets", "outside_office_share", "containment", "answered_share",
           "fallback_share", "first_response_median", "first_response_on_time", "resolution_median",
           "resolution_on_time", "overdue", "satisfaction", "satisfied_share", "complaints")


def headline(current: MonthReview, previous: Optional[MonthReview]) -> List[Figure]:
    now = _figures(current)
    before = _figures(previous) if previous is not None else {}
    out = []
    for code in FIGURES:
        form, value, n, better = now[code]
        _, old, old_n, _ = before.get(code, (form, None, None, None))
        out.append(Figure(code, form, None if value is None else float(value), n,
                          None if old is None else float(old), old_n, better))
    return out


@dataclass(frozen=True)
class TopicChange:
    topic: Optional[str]
    questions: int
    previous: int
    tickets: int
    previous_tickets: int

    @property
    def change(self) -> int:
        return self.questions - self.previous


def topic_changes(current: MonthReview, previous: Optional[MonthReview], top: int = TOP) -> List[TopicChange]:
    """The month's busiest topics with their counts the month before."""
    before = {t.topic: t for t in previous.volumes.by_topic} if previous is not None else {}
    out = []
    for t in current.volumes.by_topic[:top]:
        old = before.get(t.topic)
        out.append(TopicChange(t.topic, t.questions, old.questions if old else 0, t.tickets, old.tickets if old else 0))
    return out


@dataclass(frozen=True)
class Review:
    current: MonthReview
    previous: MonthReview

    @property
    def figures(self) -> List[Figure]:
        return headline(self.current, self.previous)

    @property
    def topics(self) -> List[TopicChange]:
        return topic_changes(self.current, self.previous)


# ---- computing -----------------------------------------------------------------------------------
def _percentile(values: Sequence[float], q: float) -> Optional[float]:
    """The q-th percentile (nearest rank), None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


class ReviewService:
    def __init__(self, db: Database, profile: BranchProfile, rules: Optional[Rules] = None):
        self.db = db
        self.profile = profile
        self.rules = rules or load_file()  # the rules in force: monitoring.servqual.ServqualRules(db).current()
        self.tz = ZoneInfo(profile.timezone)

    def _local(self, at: dt.datetime) -> dt.datetime:
        return at.replace(tzinfo=dt.timezone.utc).astimezone(self.tz)

    def review(self, month: Month, now: Optional[dt.datetime] = None) -> Review:
        return Review(self.month(month, now), self.month(month.previous(), now))

    def month(self, month: Month, now: Optional[dt.datetime] = None) -> MonthReview:
        period = month.period()
        start, end = period.utc_bounds(self.profile.timezone)
        cutoff = min(end, now or utcnow())  # a month still running is judged as of now
        with self.db.session() as s:
            turns = s.execute(select(TurnRow.sender_id, TurnRow.at, TurnRow.outcome, TurnRow.topic)
                              .where(TurnRow.at >= start, TurnRow.at < end)).all()
            opened = list(s.execute(select(TicketRow).where(TicketRow.created_at >= start, TicketRow.created_at < end)
                                    .order_by(TicketRow.id)).scalars())
        kpis = KpiService(self.db, self.profile)
        placed = tuple(classify(item, self.rules) for item in self.feedback_items(start, end))
        questions = [t for t in turns if t.outcome in QUESTION_OUTCOMES]
        return MonthReview(
            month=month, volumes=self._volumes(questions, len(turns), opened),
            containment=self._containment(questions, opened),
            answered=sum(1 for t in questions if t.outcome == "answered"),
            fallback=sum(1 for t in questions if t.outcome == "fallback"),
            service=self.service(start, end), overdue=self._overdue(opened, cutoff, end),
            satisfaction=SatisfactionSurvey(self.db).summary(start, end),
            unresolved_questions=tuple(kpis.unresolved_questions(period, TOP)),
            unresolved_topics=tuple(kpis.unresolved_topics(period, TOP)),
            feedback=placed, dimensions=tuple(counts(placed)), rules=self.rules,
        )

    # ---- volumes and containment ----------------------------------------------------------------
    def _volumes(self, questions, messages: int, opened: List[TicketRow]) -> Volumes:
        heat = [[0] * 24 for _ in range(7)]
        tickets_heat = [[0] * 24 for _ in range(7)]
        open_by_hour = [0] * 24
        channel_questions: Counter = Counter()
        channel_participants: Dict[str, Set[str]] = defaultdict(set)
        topic_questions: Counter = Counter()
        for t in questions:
            local = self._local(t.at)
            heat[local.weekday()][local.hour] += 1
            open_by_hour[local.hour] += in_office_hours(t.at, self.profile)
            channel = channel_of(t.sender_id)
            channel_questions[channel] += 1
            channel_participants[channel].add(t.sender_id)
            topic_questions[t.topic] += 1
        channel_tickets: Counter = Counter(r.channel for r in opened)
        topic_tickets: Counter = Counter(r.topic for r in opened)
        for r in opened:
            local = self._local(r.created_at)
            tickets_heat[local.weekday()][local.hour] += 1
        channels = sorted(set(channel_questions) | set(channel_tickets),
                          key=lambda c: (-channel_questions[c], -channel_tickets[c], c))
        topics = sorted(set(topic_questions) | set(topic_tickets),
                        key=lambda t: (-topic_questions[t], -topic_tickets[t], t is None, t or ""))
        return Volumes(
            questions=len(questions), messages=messages, participants=len({t.sender_id for t in questions}),
            tickets=len(opened),
            by_channel=tuple(ChannelVolume(c, channel_questions[c], len(channel_participants[c]), channel_tickets[c])
                             for c in channels),
            by_topic=tuple(TopicVolume(t, topic_questions[t], topic_tickets[t]) for t in topics),
            heat=tuple(tuple(day) for day in heat), tickets_heat=tuple(tuple(day) for day in tickets_heat),
            open_by_hour=tuple(open_by_hour),
        )

    def _containment(self, questions, opened: List[TicketRow]) -> Containment:
        """A conversation is a participant's questions on one local day; contained when no ticket of
        theirs was opened that day."""
        conversations = {(t.sender_id, self._local(t.at).date()) for t in questions}
        escalated = {(r.sender_id, self._local(r.created_at).date()) for r in opened}
        return Containment(len(conversations), len(conversations - escalated))

    def containment(self, period: Period) -> Containment:
        start, end = period.utc_bounds(self.profile.timezone)
        with self.db.session() as s:
            questions = s.execute(select(TurnRow.sender_id, TurnRow.at).where(
                TurnRow.at >= start, TurnRow.at < end, TurnRow.outcome.in_(QUESTION_OUTCOMES))).all()
            opened = list(s.execute(select(TicketRow).where(TicketRow.created_at >= start,
                                                            TicketRow.created_at < end)).scalars())
        return self._containment(questions, opened)

    # ---- service times and overdue tickets ------------------------------------------------------
    def _times(self, rows, standard: float) -> TimeFigures:
        hours = [working_hours_between(created, done, self.profile) for created, done, _ in rows]
        return TimeFigures(len(rows), statistics.median(hours) if hours else None, _percentile(hours, 0.9),
                           sum(1 for _, done, due in rows if done <= due), standard)

    def service(self, start: dt.datetime, end: dt.datetime) -> ServiceReview:
        """Tickets first answered / resolved in [start, end)."""
        with self.db.session() as s:
            responded = s.execute(select(TicketRow.kind, TicketRow.created_at, TicketRow.first_response_at,
                                         TicketRow.due_at)
                                  .where(TicketRow.first_response_at >= start, TicketRow.first_response_at < end)).all()
            resolved = s.execute(select(TicketRow.kind, TicketRow.created_at, TicketRow.resolved_at,
                                        TicketRow.resolve_due_at)
                                 .where(TicketRow.resolved_at >= start, TicketRow.resolved_at < end)).all()
        first, final = self.profile.first_response_hours, self.profile.resolution_hours
        by_kind = tuple((kind, self._times([r[1:] for r in responded if r[0] == kind], first),
                         self._times([r[1:] for r in resolved if r[0] == kind], final))
                        for kind in KINDS if any(r[0] == kind for r in [*responded, *resolved]))
        return ServiceReview(self._times([r[1:] for r in responded], first),
                             self._times([r[1:] for r in resolved], final), by_kind)

    def _overdue(self, opened: List[TicketRow], cutoff: dt.datetime, end: dt.datetime) -> Overdue:
        items = []
        late_response = late_resolution = 0
        for r in opened:
            response_done = r.first_response_at if r.first_response_at is not None and r.first_response_at < cutoff else None
            resolve_done = r.resolved_at if r.resolved_at is not None and r.resolved_at < cutoff else None
            response_late = (response_done or cutoff) > r.due_at
            resolution_late = (resolve_done or cutoff) > r.resolve_due_at
            late_response += response_late
            late_resolution += resolution_late
            if response_late or resolution_late:
                missed, due, done = (("response", r.due_at, response_done) if response_late
                                     else ("resolution", r.resolve_due_at, resolve_done))
                items.append(OverdueTicket(r.number, r.kind, r.topic, missed, due, done,
                                           working_hours_between(due, done or cutoff, self.profile)))
        with self.db.session() as s:
            past_due = len(s.execute(select(TicketRow.id).where(
                TicketRow.created_at < cutoff, TicketRow.resolve_due_at < cutoff,
                (TicketRow.resolved_at.is_(None)) | (TicketRow.resolved_at >= cutoff))).all())
        items.sort(key=lambda o: (-o.hours_late, o.number))
        return Overdue(len(opened), late_response, late_resolution, tuple(items), past_due)

    def overdue(self, period: Period, now: Optional[dt.datetime] = None) -> Overdue:
        start, end = period.utc_bounds(self.profile.timezone)
        with self.db.session() as s:
            opened = list(s.execute(select(TicketRow).where(TicketRow.created_at >= start,
                                                            TicketRow.created_at < end)).scalars())
        return self._overdue(opened, min(end, now or utcnow()), end)

    # ---- feedback and complaints ----------------------------------------------------------------
    def feedback_items(self, start: dt.datetime, end: dt.datetime) -> List[Item]:
        """Complaints and feedback of [start, end), texts masked, oldest first."""
        with self.db.session() as s:
            tickets = list(s.execute(select(TicketRow).where(
                TicketRow.created_at >= start, TicketRow.created_at < end,
                TicketRow.kind.in_(tuple(FEEDBACK_TICKET_KINDS)))).scalars())
            unhelpful = list(s.execute(select(FeedbackRow).where(
                FeedbackRow.created_at >= start, FeedbackRow.created_at < end,
                FeedbackRow.helpful.is_(False))).scalars())
            followed = s.execute(select(TicketRow.sender_id, TicketRow.created_at).where(
                TicketRow.kind == "negative_feedback", TicketRow.created_at >= start,
                TicketRow.created_at < end + SAME_FEEDBACK)).all()
            ratings = s.execute(select(SatisfactionRow, TicketRow).join(TicketRow, TicketRow.id == SatisfactionRow.ticket_id)
                                .where(SatisfactionRow.rated_at >= start, SatisfactionRow.rated_at < end,
                                       (SatisfactionRow.comment.is_not(None)) | (SatisfactionRow.rating <= LOW_RATING))
                                ).all()
        items = [Item(FEEDBACK_TICKET_KINDS[t.kind], mask_pii(t.text), t.created_at, t.kind, t.topic, t.number)
                 for t in tickets]
        for f in unhelpful:
            if any(sender == f.sender_id and f.created_at <= at <= f.created_at + SAME_FEEDBACK for sender, at in followed):
                continue  # the same verdict, counted as its ticket
            items.append(Item("answer_feedback", mask_pii(f.question or ""), f.created_at, None, f.topic))
        items += [Item("satisfaction", mask_pii(a.comment or ""), a.rated_at, t.kind, t.topic, t.number, a.rating)
                  for a, t in ratings]
        return sorted(items, key=lambda i: i.at)
