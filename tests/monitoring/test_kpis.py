import datetime as dt

import pytest

from tests.branch.profiles import load_test_profile
from monitoring.kpis import DayFigures, KpiService, Period, PeriodError, auto_grouping, group, quiet_days
from monitoring.models import FeedbackRow, TurnRow
from monitoring.tickets import TicketService

PROFILE = load_test_profile()  # Mon-Fri 08:00-15:30 WIB; 8 h / 24 h standard
MON, TUE = dt.date(2026, 11, 30), dt.date(2026, 12, 1)


def wib(y, m, d, h, mi=0):
    return dt.datetime(y, m, d, h, mi) - dt.timedelta(hours=7)


def turn(s, at, outcome, text="pertanyaan", topic=None, ticket=None):
    s.add(TurnRow(sender_id="tg:1", at=at, text=text, outcome=outcome, topic=topic, ticket_number=ticket))


@pytest.fixture
def report(db):
    svc = TicketService(db, PROFILE)
    t1 = svc.open("complaint", "tg:1", "telegram", "antrean lama", now=wib(2026, 11, 30, 9))
    svc.reply(t1.number, "ani", "Maaf, kami cek.", now=wib(2026, 11, 30, 11))
    svc.change_status(t1.number, "resolved", "ani", now=wib(2026, 12, 1, 10))
    t2 = svc.open("unresolved_question", "tg:2", "telegram", "jmo error 505", topic="jmo.app_error",
                  now=wib(2026, 11, 30, 14))
    svc.reply(t2.number, "ani", "Coba perbarui aplikasi.", now=wib(2026, 12, 1, 10))
    t3 = svc.open("handoff", "tg:3", "telegram", "mau petugas", now=wib(2026, 11, 27, 9))
    svc.reply(t3.number, "ani", "Halo.", now=wib(2026, 11, 30, 10))
    svc.change_status(t3.number, "resolved", "ani", now=wib(2026, 12, 1, 15))
    t4 = svc.open("negative_feedback", "tg:4", "telegram", "kurang jelas", topic="jht.balance",
                  now=wib(2026, 11, 25, 9))
    svc.change_status(t4.number, "resolved", "ani", now=wib(2026, 11, 30, 12))
    t5 = svc.open("unresolved_question", "tg:5", "telegram", "cara klaim jkp gagal", topic="jkp.apply",
                  now=wib(2026, 12, 1, 9))
    with db.session() as s:
        turn(s, dt.datetime(2026, 11, 29, 16, 59), "answered")  # Sunday 23:59 WIB: outside
        turn(s, dt.datetime(2026, 11, 29, 17, 0), "answered")  # Monday 00:00 WIB
        for _ in range(3):
            turn(s, wib(2026, 11, 30, 10), "answered", topic="jht.eligibility")
        turn(s, wib(2026, 11, 30, 10), "clarified", topic="jmo.login_failed")
        turn(s, wib(2026, 11, 30, 10), "fallback", text="jmo error 505")
        turn(s, wib(2026, 11, 30, 11), "fallback", text="  JMO ERROR 505 ")
        turn(s, wib(2026, 11, 30, 12), "dialogue", text="halo")
        turn(s, wib(2026, 11, 30, 12), "ticket", text="mau komplain", ticket=t1.number)
        turn(s, dt.datetime(2026, 11, 30, 23, 30), "answered")  # Tuesday 06:30 WIB, a Monday in UTC
        turn(s, wib(2026, 12, 1, 9), "out_of_scope", text="cuaca hari ini")
        turn(s, wib(2026, 12, 1, 9), "ticket", text="cara klaim jkp gagal", ticket=t5.number)
        turn(s, wib(2026, 12, 2, 9), "fallback", text="di luar periode")
        for topic, helpful, at in [("jht.balance", True, wib(2026, 11, 30, 10)), ("jht.balance", False, wib(2026, 11, 30, 11)),
                                   ("jht.balance", False, wib(2026, 12, 1, 11)), ("jkk.report", True, wib(2026, 12, 1, 12)),
                                   ("jkk.report", True, wib(2026, 12, 1, 13)), ("jkk.report", False, wib(2026, 12, 2, 9))]:
            s.add(FeedbackRow(sender_id="tg:9", faq_id="x", topic=topic, helpful=helpful, created_at=at))
    return KpiService(db, PROFILE).report(Period(MON, TUE))


def test_questions_per_day_in_local_days(report):
    mon, tue = report.daily
    assert (mon.day, tue.day) == (MON, TUE)
    assert mon.outcomes == {"answered": 4, "clarified": 1, "fallback": 2, "dialogue": 1, "ticket": 1}
    assert tue.outcomes == {"answered": 1, "out_of_scope": 1, "ticket": 1}
    assert (mon.questions, tue.questions, mon.messages) == (8, 3, 9)


def test_outcome_shares(report):
    assert report.outcomes.questions == 11
    assert report.outcomes.share("answered") == pytest.approx(5 / 11)
    assert report.outcomes.share("clarified") == pytest.approx(1 / 11)
    assert report.outcomes.share("fallback") == pytest.approx(2 / 11)


def test_tickets_opened_and_resolved_per_day_by_kind(report):
    mon, tue = report.daily
    assert mon.opened == {"complaint": 1, "unresolved_question": 1} and tue.opened == {"unresolved_question": 1}
    assert mon.resolved == {"negative_feedback": 1} and tue.resolved == {"complaint": 1, "handoff": 1}
    assert report.totals("opened") == {"complaint": 1, "unresolved_question": 2, "handoff": 0, "negative_feedback": 0}


def test_service_times_in_working_hours_against_the_standard(report):
    s = report.service
    # First responses in the period: 2.0 h, 3.5 h and 8.5 h (the last one over the 8 h standard).
    assert s.responded == 3 and s.median_first_response_hours == pytest.approx(3.5)
    assert s.responded_on_time == 2 and s.first_response_standard_hours == 8
    # Resolutions in the period: 8.5 h, 21 h (on time) and 25.5 h (over 24 h).
    assert s.resolved == 3 and s.median_resolution_hours == pytest.approx(21.0)
    assert s.resolved_on_time == 2 and s.resolved_on_time_share == pytest.approx(2 / 3)


def test_helpfulness_by_topic_least_helpful_first(report):
    rows = [(h.topic, h.helpful, h.not_helpful) for h in report.helpfulness]
    assert rows == [("jht.balance", 1, 2), ("jkk.report", 2, 0)]
    assert report.helpfulness[0].share == pytest.approx(1 / 3)


def test_unresolved_questions_and_topics(report):
    assert [(u.text, u.count) for u in report.unresolved_questions] == [("jmo error 505", 2), ("cara klaim jkp gagal", 1)]
    topics = [(t.topic, t.not_helpful, t.clarified, t.tickets) for t in report.unresolved_topics]
    assert topics == [("jht.balance", 2, 0, 0), ("jkp.apply", 0, 0, 1), ("jmo.app_error", 0, 0, 1),
                      ("jmo.login_failed", 0, 1, 0)]


def test_empty_period(db):
    report = KpiService(db, PROFILE).report(Period(dt.date(2020, 1, 1), dt.date(2020, 1, 3)))
    assert [d.questions for d in report.daily] == [0, 0, 0]
    assert report.outcomes.share("answered") is None
    assert report.service.median_first_response_hours is None and report.service.resolved_on_time_share is None
    assert report.helpfulness == [] and report.unresolved_questions == [] and report.unresolved_topics == []


def test_period_rules():
    with pytest.raises(PeriodError):
        Period(TUE, MON)
    with pytest.raises(PeriodError):
        Period(dt.date(2025, 1, 1), dt.date(2026, 6, 1))
    assert Period.last_days(30, TUE).start == dt.date(2026, 11, 2)
    assert Period(MON, MON).utc_bounds("Asia/Jakarta") == (dt.datetime(2026, 11, 29, 17), dt.datetime(2026, 11, 30, 17))


def test_days_grouped_into_weeks_and_months():
    days = Period(dt.date(2026, 11, 25), dt.date(2026, 12, 8)).days()
    daily = [DayFigures(d, outcomes={"answered": 1} if d.day % 2 else {}, opened={"complaint": 1} if d.day == 30 else {})
             for d in days]
    weeks = group(daily, "week")  # Wednesday 25 Nov to Tuesday 8 Dec: three weeks, clipped to the period
    assert [(w.start, w.end, w.days) for w in weeks] == [(dt.date(2026, 11, 25), dt.date(2026, 11, 29), 5),
                                                        (dt.date(2026, 11, 30), dt.date(2026, 12, 6), 7),
                                                        (dt.date(2026, 12, 7), dt.date(2026, 12, 8), 2)]
    assert [w.questions for w in weeks] == [3, 3, 1] and weeks[1].opened == {"complaint": 1}
    months = group(daily, "month")
    assert [(m.start, m.questions) for m in months] == [(dt.date(2026, 11, 25), 3), (dt.date(2026, 12, 1), 4)]
    assert group(daily, "day")[0].questions == 1 and len(group(daily, "day")) == 14
    with pytest.raises(ValueError):
        group(daily, "year")


def test_the_grouping_suits_the_period():
    def figures(days, active):
        return [DayFigures(dt.date(2026, 1, 1) + dt.timedelta(days=i), outcomes={"answered": 1} if i < active else {})
                for i in range(days)]

    assert auto_grouping(figures(14, 0)) == "day"  # a fortnight: days, even when quiet
    assert auto_grouping(figures(30, 20)) == "day" and auto_grouping(figures(30, 10)) == "week"
    assert quiet_days(figures(30, 10)) == 20
    assert auto_grouping(figures(60, 60)) == "week" and auto_grouping(figures(120, 120)) == "month"
