"""Improvement actions: recorded in a review, followed up in the next, their metric before and after."""
import datetime as dt

import pytest

from accounts.audit import AuditLog
from monitoring.improvements import (IMPROVED, METRICS, TOO_EARLY, TOO_FEW, UNCHANGED, WORSENED, ActionError,
                                     ImprovementActions, Measure, verdict)
from monitoring.kpis import Period
from monitoring.models import TurnRow
from monitoring.review import Month
from monitoring.satisfaction import SatisfactionSurvey
from monitoring.tickets import TicketService
from tests.branch.profiles import load_test_profile

PROFILE = load_test_profile()
OCTOBER, NOVEMBER = Month(2026, 10), Month(2026, 11)


def wib(m, d, h, mi=0):
    return dt.datetime(2026, m, d, h, mi) - dt.timedelta(hours=7)


@pytest.fixture
def actions(db):
    return ImprovementActions(db, PROFILE)


def record(actions, **extra):
    fields = dict(month=OCTOBER, what="Tambah entri OTP JMO tidak masuk", owner="Sari (CS)", due_date=dt.date(2026, 11, 13),
                  metric="topic_tickets", actor="budi", problem="Banyak tiket OTP", topic="jmo.otp", now=wib(11, 2, 9))
    fields.update(extra)
    return actions.create(**fields)


def test_recording_and_updating_an_action_is_audited(db, actions):
    action = record(actions)
    assert (action.status, action.review_month, action.topic, action.created_by) == ("planned", OCTOBER, "jmo.otp", "budi")
    assert action.late(dt.date(2026, 11, 14)) and not action.late(dt.date(2026, 11, 13))
    done = actions.update(action.id, "budi", status="done", note="Entri jmo-otp-tidak-masuk terbit",
                          kb_entry_id="jmo-otp-tidak-masuk", now=wib(11, 6, 10))
    assert (done.status, done.done_at, done.kb_entry_id, done.note) == ("done", wib(11, 6, 10), "jmo-otp-tidak-masuk",
                                                                        "Entri jmo-otp-tidak-masuk terbit")
    assert not done.late(dt.date(2027, 1, 1))
    assert actions.update(action.id, "budi", status="done").updated_at == wib(11, 6, 10)  # nothing changed
    reopened = actions.update(action.id, "budi", status="in_progress", kb_entry_id="")
    assert reopened.done_at is None and reopened.kb_entry_id is None
    assert [e.action for e in AuditLog(db).list(actor="budi")] == ["improvement_updated", "improvement_updated",
                                                                   "improvement_recorded"]


@pytest.mark.parametrize("extra, code", [
    ({"what": "  "}, "what_missing"), ({"owner": ""}, "owner_missing"), ({"due_date": None}, "due_missing"),
    ({"metric": "happiness"}, "metric_unknown"), ({"topic": None}, "topic_missing"),
])
def test_an_incomplete_action_is_refused(actions, extra, code):
    with pytest.raises(ActionError) as refused:
        record(actions, **extra)
    assert refused.value.code == code


def test_unknown_status_or_action(actions):
    action = record(actions)
    with pytest.raises(ActionError):
        actions.update(action.id, "budi", status="forgotten")
    with pytest.raises(ActionError):
        actions.update(999, "budi", status="done")
    assert actions.get(999) is None


def test_the_next_months_review_follows_up_the_earlier_actions(actions):
    open_one = record(actions)
    closed_early = record(actions, what="Sudah selesai", metric="tickets", topic=None)
    actions.update(closed_early.id, "budi", status="done", now=wib(10, 20, 9))
    closed_late = record(actions, what="Selesai November", metric="tickets", topic=None)
    actions.update(closed_late.id, "budi", status="dropped", now=wib(11, 20, 9))
    november_plan = record(actions, month=NOVEMBER, what="Rencana November")
    assert [a.id for a in actions.recorded_in(OCTOBER)] == [open_one.id, closed_early.id, closed_late.id]
    assert [a.id for a in actions.to_follow_up(NOVEMBER)] == [open_one.id, closed_late.id]
    assert [a.id for a in actions.recorded_in(NOVEMBER)] == [november_plan.id]
    assert actions.to_follow_up(OCTOBER) == []


def otp_tickets(db, days):
    tickets = TicketService(db, PROFILE)
    for i, (m, d) in enumerate(days):
        tickets.open("unresolved_question", f"tg:{i}", "telegram", f"otp {i}", topic="jmo.otp", now=wib(m, d, 10))
    tickets.open("complaint", "tg:99", "telegram", "lain", topic="jht.balance", now=wib(11, 10, 10))


def test_tickets_on_the_topic_per_week_before_and_after(db, actions):
    # 8 tickets on jmo.otp in the four weeks before 2 November, 2 in the four weeks after.
    otp_tickets(db, [(10, 6), (10, 8), (10, 12), (10, 15), (10, 20), (10, 22), (10, 27), (10, 30), (11, 4), (11, 25)])
    action = record(actions)
    check = actions.check(action, NOVEMBER.last)
    assert (check.change_day, check.change_basis) == (dt.date(2026, 11, 2), "recorded")
    assert (check.before.period, check.after.period) == (Period(dt.date(2026, 10, 5), dt.date(2026, 11, 1)),
                                                         Period(dt.date(2026, 11, 2), dt.date(2026, 11, 29)))
    assert (check.before.value, check.before.cases, check.after.value, check.after.cases) == (2.0, 8, 0.5, 2)
    assert check.change == -1.5 and check.verdict == IMPROVED
    # Measured from the linked knowledge-base change instead, when there is one.
    from_kb = actions.check(action, NOVEMBER.last, kb_changed_at=wib(11, 5, 9))
    assert (from_kb.change_day, from_kb.change_basis) == (dt.date(2026, 11, 5), "kb_change")
    # Three days after the change is too early to tell.
    assert actions.check(action, dt.date(2026, 11, 4)).verdict == TOO_EARLY


def test_marked_done_the_action_is_measured_from_then(db, actions):
    action = actions.update(record(actions).id, "budi", status="done", now=wib(11, 9, 16))
    assert actions.check(action, NOVEMBER.last).change_day == dt.date(2026, 11, 9)


def test_other_metrics(db, actions):
    tickets, survey = TicketService(db, PROFILE), SatisfactionSurvey(db)
    for i, rating in enumerate([2, 3, 5, 4]):
        t = tickets.open("complaint", f"tg:{i}", "telegram", "x", now=wib(11, 3, 9))
        tickets.reply(t.number, "ani", "ok", now=wib(11, 3, 10) if i else wib(11, 5, 10))
        tickets.change_status(t.number, "resolved", "ani", now=wib(11, 4, 9))
        survey.rate(t.number, f"tg:{i}", rating, now=wib(11, 4, 10))
    with db.session() as s:
        for outcome in ("answered", "answered", "fallback", "fallback", "ticket"):
            s.add(TurnRow(sender_id="tg:50", at=wib(11, 3, 9), text="q", outcome=outcome))
    week = Period(dt.date(2026, 11, 2), dt.date(2026, 11, 8))
    assert actions.measure("satisfaction", week) == Measure(week, 3.5, 4)
    assert actions.measure("fallback_share", week) == Measure(week, 0.4, 5)
    assert actions.measure("first_response_on_time", week) == Measure(week, 0.75, 4)
    assert actions.measure("resolution_on_time", week) == Measure(week, 1.0, 4)
    assert actions.measure("complaints", week) == Measure(week, 4.0, 4)
    assert actions.measure("tickets", week).value == 4.0
    assert actions.measure("containment", week) == Measure(week, 1.0, 1)  # tg:50 asked and got no ticket
    assert actions.measure("overdue", week).cases == 1  # the complaint answered two days late
    assert actions.measure("topic_unresolved", week, "jmo.otp").cases == 0


def test_verdicts():
    per_week, share, mean = METRICS["topic_tickets"], METRICS["containment"], METRICS["satisfaction"]
    p = Period(dt.date(2026, 11, 2), dt.date(2026, 11, 29))

    def m(value, cases):
        return Measure(p, value, cases)

    assert verdict(per_week, m(2.0, 8), m(1.5, 6), 28) == IMPROVED  # -25 %
    assert verdict(per_week, m(2.0, 8), m(1.75, 7), 28) == UNCHANGED  # -12.5 %
    assert verdict(per_week, m(1.0, 4), m(1.5, 6), 28) == WORSENED
    assert verdict(per_week, m(0.0, 0), m(2.5, 10), 28) == WORSENED
    assert verdict(per_week, m(1.0, 4), m(0.5, 2), 28) == TOO_FEW
    assert verdict(share, m(0.60, 100), m(0.66, 100), 28) == IMPROVED and verdict(share, m(0.6, 50), m(0.63, 50), 28) == UNCHANGED
    assert verdict(mean, m(3.0, 10), m(3.4, 10), 28) == IMPROVED and verdict(mean, m(3.0, 10), None or m(None, 0), 28) == TOO_FEW
    assert verdict(share, m(0.6, 100), m(0.9, 100), 5) == TOO_EARLY
