"""The monthly service-quality review (Tinjauan bulanan): the page with charts, its printable version for
the branch head's meeting, its CSV tables, and the improvement actions admins record in it.

The figures come from monitoring/review.py (this month next to the last), the FAQ gaps from kb/gaps.py,
the SERVQUAL rules in force from monitoring/servqual.py, and each action's check from
monitoring/improvements.py; this module only puts them together.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Tuple
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for

from branch.profile import DAY_NAMES, BranchProfile
from core.db import utcnow
from core.masking import mask_pii
from dashboard import charts, labels
from dashboard.kpis import safe_cell, sample_notes, satisfaction_chart
from dashboard.security import admin_required
from dashboard.services import services
from dashboard.servqual_rules import rules_source
from kb.gaps import QuestionGap, TopicGap, question_gaps, topic_gaps
from kb.service import KnowledgeBaseUnavailable
from kb.store import EntryRecord, NotFound, Revision
from kb.topics import kb_topic_codes
from monitoring.improvements import METRICS, STATUSES, Action, ActionError, Check, ImprovementActions, Measure
from monitoring.kpis import SMALL_SAMPLE, Period
from monitoring.review import DimensionCount, Month, Review, ReviewService
from monitoring.servqual import DIMENSIONS, Placed, ServqualRules
from texts import STAFF_LANGUAGE

bp = Blueprint("review", __name__, url_prefix="/review")

TABLES = ("summary", "channels", "topics", "hours", "service", "overdue", "feedback", "gaps", "actions")
MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
               "November", "Desember")


def month_name(month: Month) -> str:
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def _today(profile: BranchProfile) -> dt.date:
    return dt.datetime.now(ZoneInfo(profile.timezone)).date()


def month_from_args(args, profile: BranchProfile) -> Tuple[Month, Optional[str]]:
    """The month asked for, else the last complete month (what a review looks back on), with a note."""
    default = Month.of(_today(profile)).previous()
    if not args.get("month"):
        return default, None
    try:
        return Month.parse(args.get("month")), None
    except ValueError:
        return default, labels.text("monthly.bad_month", month=month_name(default))


@dataclass(frozen=True)
class FollowUp:
    """An earlier review's action, its linked entry's changes since, and its metric before and after."""

    action: Action
    check: Check
    entry: Optional[EntryRecord]
    changes: Tuple[Revision, ...]  # the linked entry's revisions since the action was recorded


@dataclass(frozen=True)
class Plan:
    """An action recorded in this month's review, with its metric's baseline (the four weeks before it)."""

    action: Action
    baseline: Measure
    entry: Optional[EntryRecord]


def _entry(action: Action) -> Tuple[Optional[EntryRecord], Tuple[Revision, ...]]:
    if not action.kb_entry_id:
        return None, ()
    store = services().kb_store()
    try:
        record = store.get(action.kb_entry_id)
    except NotFound:
        return None, ()
    changes = tuple(sorted((r for r in store.revisions(action.kb_entry_id) if r.changed_at >= action.created_at),
                           key=lambda r: r.id))
    return record, changes


def _follow_ups(actions: ImprovementActions, month: Month, until: dt.date) -> List[FollowUp]:
    out = []
    for action in actions.to_follow_up(month):
        entry, changes = _entry(action)
        check = actions.check(action, until, changes[0].changed_at if changes else None)
        out.append(FollowUp(action, check, entry, changes))
    return out


def _plans(actions: ImprovementActions, month: Month) -> List[Plan]:
    out = []
    for action in actions.recorded_in(month):
        day, _ = actions.change_point(action)
        baseline = actions.measure(action.metric, Period(day - dt.timedelta(days=28), day - dt.timedelta(days=1)),
                                   action.topic)
        out.append(Plan(action, baseline, _entry(action)[0]))
    return out


def _gaps(review: Review) -> Tuple[List[QuestionGap], List[TopicGap], bool]:
    """The FAQ gaps the month's unresolved questions and topics point to (False: the knowledge base could
    not be searched, the questions are listed without their nearest entry)."""
    svc = services()
    current = review.current
    entries = Counter(r.entry.topic for r in svc.kb_store().list(active=True))
    topics = topic_gaps([(t.topic, t.not_helpful, t.clarified, t.tickets) for t in current.unresolved_topics], entries)
    try:
        kb = svc.knowledge_base()
        questions = question_gaps(kb.index, [(u.text, u.count) for u in current.unresolved_questions], kb.calibration)
        return questions, topics, True
    except KnowledgeBaseUnavailable:
        return [QuestionGap(u.text, u.count, "no_entry") for u in current.unresolved_questions], topics, False


def _charts(review: Review) -> Dict[str, Any]:
    v = review.current.volumes
    days = DAY_NAMES[STAFF_LANGUAGE]
    hours = [f"{h:02d}" for h in range(24)]
    closed = [total - open_ for total, open_ in zip(v.by_hour, v.open_by_hour)]
    out: Dict[str, Any] = {
        "heat": charts.heatmap(days, hours, v.heat, labels.text("monthly.chart_heat")),
        "hours": charts.stacked_bars(hours, [(labels.text("monthly.office_open"), [float(n) for n in v.open_by_hour]),
                                             (labels.text("monthly.office_closed"), [float(n) for n in closed])],
                                     labels.text("monthly.chart_hours"), width=1100, height=220,
                                     colors=(charts.PALETTE[0], charts.PALETTE[3])),
    }
    dims: List[DimensionCount] = list(review.current.dimensions)
    if any(d.items for d in dims):
        out["servqual"] = charts.stacked_hbars(
            [(labels.label("servqual", d.dimension), [float(d.negative), float(d.positive),
                                                      float(d.items - d.negative - d.positive)]) for d in dims],
            [labels.text("monthly.negative"), labels.text("monthly.positive"), labels.text("monthly.neutral")],
            labels.text("monthly.chart_servqual"))
    if review.current.satisfaction.answered:
        out["satisfaction"] = satisfaction_chart(review.current.satisfaction)
    return out


def _peaks(review: Review) -> List[str]:
    days = DAY_NAMES[STAFF_LANGUAGE]
    return [labels.text("monthly.peak", day=days[wd], start=f"{h:02d}.00", end=f"{(h + 1) % 24:02d}.00", count=n)
            for wd, h, n in review.current.volumes.peaks()]


def _by_dimension(review: Review) -> Tuple[Dict[str, List[Placed]], Dict[str, List[Tuple[Tuple[str, str], int]]]]:
    """Each dimension's items, and the rules that placed most of them ((by, rule), items)."""
    items: Dict[str, List[Placed]] = {code: [] for code in DIMENSIONS}
    rules: Dict[str, Counter] = {code: Counter() for code in DIMENSIONS}
    for placed in review.current.feedback:
        for code in placed.dimensions:
            items[code].append(placed)
            rules[code].update({(r.by, r.rule) for r in placed.reasons(code)})
    return items, {code: counter.most_common(6) for code, counter in rules.items()}


def _ticket_peaks(review: Review) -> List[Tuple[int, int]]:
    """The three hours of the day most tickets were opened in: (hour, tickets)."""
    hours = [(h, n) for h, n in enumerate(review.current.volumes.tickets_by_hour) if n]
    return sorted(hours, key=lambda hn: (-hn[1], hn[0]))[:3]


def _context(month: Month) -> Dict[str, Any]:
    svc = services()
    profile = svc.profile()
    rules = ServqualRules(svc.db).current()
    review = ReviewService(svc.db, profile, rules).review(month)
    actions = ImprovementActions(svc.db, profile)
    until = min(month.last, _today(profile))
    questions, topics, searched = _gaps(review)
    generated = labels.local_time(utcnow(), profile.timezone)
    by_dimension, top_rules = _by_dimension(review)
    return {
        "by_dimension": by_dimension, "top_rules": top_rules,
        "month": month, "month_name": month_name(month), "previous_name": month_name(month.previous()),
        "review": review, "m": review.current, "p": review.previous, "figures": review.figures, "topics": review.topics,
        "charts": _charts(review), "peaks": _peaks(review), "ticket_peaks": _ticket_peaks(review),
        "question_gaps": questions, "topic_gaps": topics,
        "gaps_searched": searched, "follow_ups": _follow_ups(actions, month, until), "plans": _plans(actions, month),
        "rules": rules, "dimensions": DIMENSIONS, "profile": profile, "small_sample": SMALL_SAMPLE,
        "notes": {**sample_notes(), "generated": labels.text("monthly.generated", at=generated,
                                                             hours=profile.office_hours_text(STAFF_LANGUAGE)),
                  "rules_source": rules_source(rules, profile)},
        "metrics": METRICS, "statuses": STATUSES, "topic_codes": kb_topic_codes(), "today": _today(profile),
    }


@bp.get("")
def index():
    profile = services().profile()
    month, note = month_from_args(request.args, profile)
    form = {"topic": (request.args.get("topic") or "")[:64], "problem": (request.args.get("problem") or "")[:500],
            "metric": request.args.get("metric") if request.args.get("metric") in METRICS else ""}
    return render_template("review/index.html", note=note, form=form, **_context(month))


@bp.get("/print")
def printable():
    profile = services().profile()
    month, note = month_from_args(request.args, profile)
    return render_template("review/print.html", note=note, **_context(month))


# ---- improvement actions (admins) ------------------------------------------------------------------
def _date(value: Optional[str]) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def _known_entry(entry_id: str) -> bool:
    try:
        services().kb_store().get(entry_id)
        return True
    except NotFound:
        return False


def _back(month: Month):
    return redirect(url_for("review.index", month=str(month)) + "#tindakan")


@bp.post("/actions")
@admin_required
def record_action():
    profile = services().profile()
    month, _ = month_from_args(request.form, profile)
    form = request.form
    entry = " ".join((form.get("kb_entry_id") or "").split())
    if entry and not _known_entry(entry):
        flash(labels.text("monthly.action_entry_unknown", entry=entry[:80]), "error")
        return _back(month)
    try:
        ImprovementActions(services().db, profile).create(
            month, form.get("what") or "", form.get("owner") or "", _date(form.get("due_date")), form.get("metric") or "",
            g.user.username, problem=form.get("problem"), topic=form.get("topic"), kb_entry_id=entry or None)
    except ActionError as exc:
        flash(labels.text(f"monthly.action_error.{exc.code}"), "error")
        return _back(month)
    flash(labels.text("monthly.action_recorded"), "info")
    return _back(month)


@bp.post("/actions/<int:action_id>")
@admin_required
def update_action(action_id: int):
    profile = services().profile()
    month, _ = month_from_args(request.form, profile)
    form = request.form
    entry = " ".join((form.get("kb_entry_id") or "").split()) if "kb_entry_id" in form else None
    if entry and not _known_entry(entry):
        flash(labels.text("monthly.action_entry_unknown", entry=entry[:80]), "error")
        return _back(month)
    try:
        ImprovementActions(services().db, profile).update(action_id, g.user.username, status=form.get("status") or None,
                                                          note=form.get("note"), kb_entry_id=entry)
    except ActionError as exc:
        if exc.code == "not_found":
            abort(404)
        flash(labels.text(f"monthly.action_error.{exc.code}"), "error")
        return _back(month)
    flash(labels.text("monthly.action_updated"), "info")
    return _back(month)


# ---- CSV -----------------------------------------------------------------------------------------
def _value(form: str, value: Optional[float]) -> str:
    if value is None:
        return ""
    return str(int(value)) if form == "count" else f"{value:.3f}"


def _rows(ctx: Dict[str, Any], table: str) -> Iterable[List]:
    m, p = ctx["m"], ctx["p"]
    if table == "summary":
        yield ["figure", "form", "month", "n", "previous_month", "previous_n", "change", "direction"]
        for f in ctx["figures"]:
            yield [f.code, f.form, _value(f.form, f.value), f.n if f.n is not None else "", _value(f.form, f.previous),
                   f.previous_n if f.previous_n is not None else "", _value(f.form, f.change), f.direction or ""]
    elif table == "channels":
        yield ["channel", "questions", "participants", "tickets"]
        for c in m.volumes.by_channel:
            yield [c.channel, c.questions, c.participants, c.tickets]
    elif table == "topics":
        yield ["topic", "questions", "previous_questions", "tickets", "previous_tickets"]
        before = {t.topic: t for t in p.volumes.by_topic}
        for t in m.volumes.by_topic:
            old = before.get(t.topic)
            yield [t.topic or "", t.questions, old.questions if old else 0, t.tickets, old.tickets if old else 0]
    elif table == "hours":
        yield ["weekday", "hour", "questions", "questions_office_open", "tickets_opened"]
        days = DAY_NAMES["en"]
        for wd in range(7):
            for h in range(24):
                if m.volumes.heat[wd][h] or m.volumes.tickets_heat[wd][h]:
                    yield [days[wd], h, m.volumes.heat[wd][h], "", m.volumes.tickets_heat[wd][h]]
        for h in range(24):
            yield ["all", h, m.volumes.by_hour[h], m.volumes.open_by_hour[h], m.volumes.tickets_by_hour[h]]
    elif table == "service":
        yield ["kind", "measure", "n", "median_hours", "p90_hours", "on_time", "standard_hours"]
        rows = [("all", m.service.first_response, m.service.resolution), *m.service.by_kind]
        for kind, first, final in rows:
            for name, t in (("first_response", first), ("resolution", final)):
                yield [kind, name, t.n, "" if t.median is None else f"{t.median:.2f}",
                       "" if t.p90 is None else f"{t.p90:.2f}", t.on_time, t.standard]
    elif table == "overdue":
        yield ["ticket", "kind", "topic", "missed", "due_utc", "done_utc", "working_hours_late"]
        for o in m.overdue.tickets:
            yield [o.number, o.kind, o.topic or "", o.missed, o.due_at.isoformat(timespec="minutes"),
                   o.done_at.isoformat(timespec="minutes") if o.done_at else "", f"{o.hours_late:.1f}"]
    elif table == "feedback":
        yield ["at_utc", "source", "ticket", "kind", "topic", "rating", "dimensions", "matched", "text"]
        for placed in m.feedback:
            i = placed.item
            yield [i.at.isoformat(timespec="minutes"), i.source, i.ticket or "", i.kind or "", i.topic or "",
                   i.rating or "", " ".join(placed.dimensions),
                   "; ".join(f"{x.dimension}:{x.by}:{x.rule}" for x in placed.matches), mask_pii(i.text)]
    elif table == "gaps":
        yield ["question", "count", "gap", "nearest_entry", "nearest_topic", "score"]
        for q in ctx["question_gaps"]:
            yield [mask_pii(q.text), q.count, q.gap, q.entry_id or "", q.topic or "",
                   "" if q.score is None else f"{q.score:.2f}"]
    else:
        yield ["id", "review_month", "what", "owner", "due_date", "status", "topic", "metric", "kb_entry",
               "change_day", "before", "after", "verdict"]
        for f in ctx["follow_ups"]:
            a, c = f.action, f.check
            yield [a.id, str(a.review_month), a.what, a.owner, a.due_date.isoformat(), a.status, a.topic or "", a.metric,
                   a.kb_entry_id or "", c.change_day.isoformat(), _value("share", c.before.value),
                   _value("share", c.after.value), c.verdict]
        for plan in ctx["plans"]:
            a = plan.action
            yield [a.id, str(a.review_month), a.what, a.owner, a.due_date.isoformat(), a.status, a.topic or "", a.metric,
                   a.kb_entry_id or "", "", _value("share", plan.baseline.value), "", ""]


@bp.get("/export.csv")
def export():
    profile = services().profile()
    month, _ = month_from_args(request.args, profile)
    table = request.args.get("table") if request.args.get("table") in TABLES else "summary"
    out = io.StringIO()
    writer = csv.writer(out)
    for row in _rows(_context(month), table):
        writer.writerow([safe_cell(v) for v in row])
    name = f"review-{month}-{table}.csv"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
