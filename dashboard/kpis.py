"""KPI page (charts drawn on the server) and CSV export, for a date range."""
from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Iterable, List, Optional, Tuple
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, render_template, request

from core.masking import mask_pii
from dashboard import charts, labels
from dashboard.services import services
from branch.profile import BranchProfile
from monitoring.kpis import (GROUPINGS, QUESTION_OUTCOMES, SMALL_SAMPLE, Bucket, KpiReport, Period, PeriodError,
                             auto_grouping, group, quiet_days)
from monitoring.satisfaction import SCALE, SatisfactionSummary
from monitoring.tickets import KINDS

bp = Blueprint("kpis", __name__, url_prefix="/kpis")

DEFAULT_DAYS = 30
TABLES = ("daily", "helpfulness", "unresolved_questions", "unresolved_topics", "satisfaction")


def _today(profile: BranchProfile) -> dt.date:
    return dt.datetime.now(ZoneInfo(profile.timezone)).date()


def _date(value: Optional[str]) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def period_from_args(args, profile: BranchProfile) -> Tuple[Period, Optional[str]]:
    """The requested period, or the last 30 days and a note when the input is unusable."""
    default = Period.last_days(DEFAULT_DAYS, _today(profile))
    start, end = _date(args.get("from")), _date(args.get("to"))
    if not args.get("from") and not args.get("to"):
        return default, None
    if start is None or end is None:
        return default, labels.text("kpis.bad_date")
    try:
        return Period(start, end), None
    except PeriodError:
        return default, labels.text("kpis.bad_range")


def grouping_from_args(args, report: KpiReport) -> Tuple[str, bool]:
    """(day, week or month, chosen automatically?): what the user asked for, else what suits the period."""
    asked = args.get("by")
    if asked in GROUPINGS:
        return asked, False
    return auto_grouping(report.daily), True


def bucket_label(bucket: Bucket, by: str) -> str:
    if by == "month":
        return f"{labels.MONTHS[bucket.start.month - 1]} {bucket.start.year % 100:02d}"
    return charts.short_day(bucket.start)


def _charts(report: KpiReport, by: str) -> dict:
    buckets = group(report.daily, by)
    categories = [bucket_label(b, by) for b in buckets]
    outcome_names = [labels.label("outcome", o) for o in QUESTION_OUTCOMES]
    kind_names = [labels.label("kind", k) for k in KINDS]
    unit = labels.label("grouping", by)
    out = {
        "questions": charts.stacked_bars(categories, charts.series_from(buckets, "outcomes", QUESTION_OUTCOMES, outcome_names),
                                         labels.text("kpis.chart_questions", unit=unit), width=1100),
        "opened": charts.stacked_bars(categories, charts.series_from(buckets, "opened", KINDS, kind_names),
                                      labels.text("kpis.chart_opened", unit=unit), width=560),
        "resolved": charts.stacked_bars(categories, charts.series_from(buckets, "resolved", KINDS, kind_names),
                                        labels.text("kpis.chart_resolved", unit=unit), width=560),
        "helpfulness": charts.share_bars(
            [(h.topic, h.share, labels.text("kpis.helpfulness_counts", helpful=h.helpful, not_helpful=h.not_helpful))
             for h in report.helpfulness],
            labels.text("kpis.chart_helpfulness")),
    }
    if report.satisfaction.answered:
        out["satisfaction"] = satisfaction_chart(report.satisfaction)
    return out


def satisfaction_chart(sat: SatisfactionSummary) -> str:
    """Ratings 5 to 1 as shares of the answered questions (the KPI page and the monthly review)."""
    counts = sat.distribution()
    return charts.share_bars(
        [(f"{score} ★", counts[score] / sat.answered, str(counts[score])) for score in reversed(SCALE)],
        labels.text("kpis.chart_satisfaction"), width=560)


@bp.get("")
def index():
    svc = services()
    profile = svc.profile()
    period, note = period_from_args(request.args, profile)
    report = svc.kpis().report(period)
    by, automatic = grouping_from_args(request.args, report)
    return render_template("kpis.html", report=report, period=period, note=note, charts=_charts(report, by),
                           outcomes=QUESTION_OUTCOMES, kinds=KINDS, profile=profile, by=by, automatic=automatic,
                           groupings=GROUPINGS, small_sample=SMALL_SAMPLE, notes=_notes(report, by, automatic))


def sample_notes() -> dict:
    """The marks of a share computed from too few cases."""
    return {"small_sample": labels.text("kpis.small_sample", n=SMALL_SAMPLE),
            "small_sample_badge": labels.text("kpis.small_sample_badge"), "no_activity": labels.text("kpis.no_activity")}


def _notes(report: KpiReport, by: str, automatic: bool) -> dict:
    grouped = None
    if automatic and by != "day":
        grouped = labels.text("kpis.grouped_auto", unit=labels.label("grouping", by), quiet=quiet_days(report.daily),
                              days=len(report.daily))
    return {**sample_notes(), "grouped": grouped}


def safe_cell(value) -> str:
    """Spreadsheet programs run cells starting with = + - @ as formulas: quote those."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _rows(report: KpiReport, table: str) -> Iterable[List]:
    if table == "daily":
        yield (["date", "questions", *QUESTION_OUTCOMES, "dialogue"] + [f"opened_{k}" for k in KINDS]
               + [f"resolved_{k}" for k in KINDS])
        for d in report.daily:
            yield ([d.day.isoformat(), d.questions, *(d.outcomes.get(o, 0) for o in QUESTION_OUTCOMES),
                    d.outcomes.get("dialogue", 0)] + [d.opened.get(k, 0) for k in KINDS]
                   + [d.resolved.get(k, 0) for k in KINDS])
    elif table == "helpfulness":
        yield ["topic", "helpful", "not_helpful", "share_helpful"]
        for h in report.helpfulness:
            yield [h.topic, h.helpful, h.not_helpful, "" if h.share is None else f"{h.share:.3f}"]
    elif table == "unresolved_questions":
        yield ["question", "count", "last_seen_utc"]
        for u in report.unresolved_questions:
            yield [mask_pii(u.text), u.count, u.last_at.isoformat(timespec="seconds")]
    elif table == "satisfaction":
        yield ["ticket", "kind", "topic", "rating", "rated_at_utc", "language", "comment"]
        for r in report.satisfaction.ratings:
            yield [r.number, r.kind, r.topic or "", r.rating, r.rated_at.isoformat(timespec="seconds"), r.language,
                   mask_pii(r.comment or "")]
    else:
        yield ["topic", "not_helpful", "clarified", "unresolved_tickets", "total"]
        for t in report.unresolved_topics:
            yield [t.topic or "", t.not_helpful, t.clarified, t.tickets, t.total]


@bp.get("/export.csv")
def export():
    svc = services()
    period, _ = period_from_args(request.args, svc.profile())
    table = request.args.get("table") if request.args.get("table") in TABLES else "daily"
    report = svc.kpis().report(period, top=200)
    out = io.StringIO()
    writer = csv.writer(out)
    for row in _rows(report, table):
        writer.writerow([safe_cell(v) for v in row])
    name = f"kpi-{table}-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
