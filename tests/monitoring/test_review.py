"""The monthly review's figures on a seeded month whose counts, times and dimensions are worked out by hand.

The test profile: Monday-Friday 08:00-15:30 WIB (7.5 working hours a day), first response within 8 and
resolution within 24 working hours. October 2026 begins on a Thursday and has no holiday in the profile.
"""
import datetime as dt

import pytest

from monitoring.models import FeedbackRow, TurnRow
from monitoring.review import Month, ReviewService, channel_of, headline, topic_changes
from monitoring.satisfaction import SatisfactionSurvey
from monitoring.servqual import load_file
from monitoring.tickets import TicketService
from tests.branch.profiles import load_test_profile

PROFILE = load_test_profile()
OCTOBER = Month(2026, 10)
AFTER_THE_MONTH = dt.datetime(2026, 12, 1)


def wib(m, d, h, mi=0):
    return dt.datetime(2026, m, d, h, mi) - dt.timedelta(hours=7)


def turn(s, sender, at, outcome, topic=None, text="pertanyaan"):
    s.add(TurnRow(sender_id=sender, at=at, text=text, outcome=outcome, topic=topic))


@pytest.fixture
def month(db):
    tickets, survey = TicketService(db, PROFILE), SatisfactionSurvey(db)
    # September: a complaint answered in September and resolved on 1 October after 22.5 working hours.
    t0 = tickets.open("complaint", "tg:10", "telegram", "berkas saya hilang", now=wib(9, 28, 9))
    tickets.reply(t0.number, "ani", "Kami cek.", now=wib(9, 28, 10))
    tickets.change_status(t0.number, "resolved", "ani", now=wib(10, 1, 9))  # asked, never answered
    # T5, Thursday 1 Oct: a hand-off answered in half an hour and resolved in an hour; rated 1, no comment.
    t5 = tickets.open("handoff", "tg:9", "telegram", "mau bicara dengan petugas", now=wib(10, 1, 9))
    tickets.reply(t5.number, "ani", "Halo.", now=wib(10, 1, 9, 30))
    tickets.change_status(t5.number, "resolved", "ani", now=wib(10, 1, 10))
    survey.rate(t5.number, "tg:9", 1, now=wib(10, 1, 11))
    # T1, Monday 5 Oct 10:05: answered in 1 h, resolved after 7.5 working hours; rated 5 with praise.
    t1 = tickets.open("handoff", "tg:3", "telegram", "otp tidak masuk, mau petugas", topic="jmo.otp", now=wib(10, 5, 10, 5))
    tickets.reply(t1.number, "ani", "Kami bantu.", now=wib(10, 5, 11, 5))
    tickets.change_status(t1.number, "resolved", "ani", now=wib(10, 6, 10, 5))
    survey.rate(t1.number, "tg:3", 5, now=wib(10, 6, 11))
    survey.comment(t1.number, "tg:3", "petugasnya ramah dan cepat", now=wib(10, 6, 11, 1))
    # T2, Tuesday 6 Oct 09:00: first response after 15 working hours (due Wed 09:30), resolved after 30
    # (due Fri 10:30): late twice; rated 2 without a comment.
    t2 = tickets.open("complaint", "tg:4", "telegram", "antrean di kantor lama sekali, petugas tidak ramah",
                      now=wib(10, 6, 9))
    tickets.reply(t2.number, "ani", "Mohon maaf.", now=wib(10, 8, 9))
    tickets.change_status(t2.number, "resolved", "ani", now=wib(10, 12, 9))
    survey.rate(t2.number, "tg:4", 2, now=wib(10, 12, 10))
    # T3, Wednesday 7 Oct 10:00: an unhelpful-answer ticket nobody answered (response due Thu 10:30).
    t3 = tickets.open("negative_feedback", "tg:5", "telegram", "saldo tidak sesuai", topic="jht.balance",
                      now=wib(10, 7, 10))
    # T4, Friday 30 Oct 15:00: not yet due at the month's end.
    tickets.open("unresolved_question", "tg:6", "telegram", "cara klaim jkp gagal", topic="jkp.apply", now=wib(10, 30, 15))
    with db.session() as s:
        turn(s, "tg:1", wib(9, 15, 10), "answered", "jmo.otp")
        turn(s, "tg:1", wib(9, 15, 10, 5), "answered", "jmo.otp")
        turn(s, "tg:1", wib(10, 1, 9), "answered", "jmo.otp")
        turn(s, "tg:1", wib(10, 1, 9, 1), "dialogue", text="halo")
        turn(s, "tg:1", wib(10, 1, 9, 10), "fallback", text="jmo error 505")
        turn(s, "tg:2", wib(10, 1, 20), "answered", "jht.eligibility")  # office closed
        turn(s, "tg:1", wib(10, 3, 11), "clarified", "jmo.login_failed")  # Saturday
        turn(s, "tg:3", wib(10, 5, 10), "answered", "jmo.otp")
        turn(s, "tg:3", wib(10, 5, 10, 5), "ticket", "jmo.otp")
        turn(s, "web-7", wib(10, 5, 10, 30), "answered", "jmo.otp")
        turn(s, "tg:4", wib(10, 6, 9), "ticket")
        turn(s, "tg:1", wib(11, 2, 9), "answered", "jmo.otp")  # November
        # "Not helpful": tg:5's became T3 ten minutes later (counted once, as the ticket); tg:8's did not.
        s.add(FeedbackRow(sender_id="tg:5", faq_id="jht-saldo", topic="jht.balance", helpful=False,
                          question="cek saldo jht", created_at=wib(10, 7, 9, 50)))
        s.add(FeedbackRow(sender_id="tg:8", faq_id="antrean", topic="service.queue", helpful=False,
                          question="bagaimana caranya", created_at=wib(10, 8, 14)))
        s.add(FeedbackRow(sender_id="tg:8", faq_id="antrean", topic="service.queue", helpful=True,
                          question="ambil nomor antrean", created_at=wib(10, 8, 15)))
    review = ReviewService(db, PROFILE, load_file()).review(OCTOBER, now=AFTER_THE_MONTH)
    return review, {"t0": t0.number, "t1": t1.number, "t2": t2.number, "t3": t3.number, "t5": t5.number}


def test_volumes_by_channel_topic_and_hour(month):
    review, _ = month
    v = review.current.volumes
    assert (v.questions, v.messages, v.participants, v.tickets) == (8, 9, 5, 5)
    assert [(c.channel, c.questions, c.participants, c.tickets) for c in v.by_channel] == [
        ("telegram", 7, 4, 5), ("rest", 1, 1, 0)]
    assert [(t.topic, t.questions, t.tickets) for t in v.by_topic] == [
        ("jmo.otp", 4, 1), (None, 2, 2), ("jht.eligibility", 1, 0), ("jmo.login_failed", 1, 0),
        ("jht.balance", 0, 1), ("jkp.apply", 0, 1)]
    assert v.heat[0][10] == 3 and v.heat[3][9] == 2 and v.heat[3][20] == 1 and v.heat[5][11] == 1 and v.heat[1][9] == 1
    assert v.by_weekday == [3, 1, 0, 3, 0, 1, 0] and sum(v.by_hour) == 8
    assert v.peaks() == [(0, 10, 3), (3, 9, 2), (1, 9, 1)]  # Monday 10-11, Thursday 9-10, Tuesday 9-10
    assert v.peak_hours() == [(9, 3), (10, 3), (11, 1)]
    assert (v.in_office_hours, v.outside_office_hours, v.outside_office_share) == (6, 2, 0.25)
    assert v.tickets_by_hour[9] == 2 and v.tickets_by_hour[10] == 2 and v.tickets_by_hour[15] == 1
    assert channel_of("tg:1") == "telegram" and channel_of("web-7") == "rest"


def test_containment_answered_and_fallback(month):
    review, _ = month
    m = review.current
    # Conversations: tg:1 on 1 and 3 Oct, tg:2 on 1 Oct, tg:3 and web-7 on 5 Oct, tg:4 on 6 Oct; tg:3 and tg:4
    # got a ticket that day.
    assert (m.containment.conversations, m.containment.contained) == (6, 4)
    assert (m.answered, m.fallback, m.answered_share, m.fallback_share) == (4, 1, 0.5, 0.125)


def test_service_times_against_the_standard_with_sample_sizes(month):
    review, _ = month
    s = review.current.service
    # First responses in October: 0.5 h, 1 h, 15 h (over the 8 h standard).
    assert (s.first_response.n, s.first_response.median, s.first_response.p90, s.first_response.on_time) == (3, 1.0, 15.0, 2)
    # Resolutions in October: 1 h, 7.5 h, 22.5 h (the September ticket) and 30 h (over 24 h).
    assert (s.resolution.n, s.resolution.median, s.resolution.p90, s.resolution.on_time) == (4, 15.0, 30.0, 3)
    assert s.resolution.on_time_share == 0.75 and s.resolution.standard == 24
    kinds = {kind: (first.n, final.n, final.on_time) for kind, first, final in s.by_kind}
    assert kinds == {"complaint": (1, 2, 1), "handoff": (2, 2, 2)}


def test_overdue_tickets(month):
    review, numbers = month
    o = review.current.overdue
    assert (o.opened, o.late_response, o.late_resolution, o.overdue, o.open_past_due_at_end) == (5, 2, 2, 2, 1)
    assert o.overdue_share == 0.4
    first, second = o.tickets
    # T3: due Thursday 8 Oct 10:30, still unanswered at the month's end: 5 h that day and 16 working days.
    assert (first.number, first.missed, first.done_at, first.hours_late) == (numbers["t3"], "response", None, 125.0)
    # T2: due Wednesday 09:30, answered Thursday 09:00.
    assert (second.number, second.missed, second.hours_late) == (numbers["t2"], "response", pytest.approx(7.0))


def test_a_month_still_running_is_judged_as_of_now(db, month):
    running = ReviewService(db, PROFILE).month(OCTOBER, now=wib(10, 7, 12))
    # At noon on 7 Oct, T2 (response due that day at 09:30, answered the next day) is late; T3 (due 8 Oct) not yet.
    assert [t.missed for t in running.overdue.tickets] == ["response"] and running.overdue.late_resolution == 0


def test_satisfaction_unresolved_questions_and_topics(month):
    review, _ = month
    m = review.current
    assert (m.satisfaction.asked, m.satisfaction.answered, m.satisfaction.satisfied) == (4, 3, 1)
    assert m.satisfaction.mean == pytest.approx(8 / 3) and m.satisfaction.distribution() == {1: 1, 2: 1, 3: 0, 4: 0, 5: 1}
    assert [(u.text, u.count) for u in m.unresolved_questions] == [("jmo error 505", 1)]
    assert [(t.topic, t.total) for t in m.unresolved_topics] == [("jht.balance", 2), ("jkp.apply", 1),
                                                                 ("jmo.login_failed", 1), ("service.queue", 1)]


def test_feedback_and_complaints_by_servqual_dimension(month):
    review, numbers = month
    m = review.current
    placed = {(p.item.source, p.item.ticket or p.item.topic): p for p in m.feedback}
    assert sorted(placed) == sorted([("complaint", numbers["t2"]), ("unhelpful_answer", numbers["t3"]),
                                     ("answer_feedback", "service.queue"), ("satisfaction", numbers["t5"]),
                                     ("satisfaction", numbers["t1"]), ("satisfaction", numbers["t2"])])
    complaint = placed[("complaint", numbers["t2"])]
    assert complaint.dimensions == ("responsiveness", "empathy")
    assert [(r.by, r.rule) for r in complaint.reasons("responsiveness")] == [("word", "lama"), ("word", "antre*")]
    assert {r.rule for r in complaint.reasons("empathy")} == {"ramah", "tidak ramah"}
    assert [(r.dimension, r.by, r.rule) for r in placed[("unhelpful_answer", numbers["t3"])].matches] == [
        ("reliability", "word", "tidak sesuai")]
    assert [(r.dimension, r.by) for r in placed[("answer_feedback", "service.queue")].matches] == [("responsiveness", "topic")]
    assert [(r.dimension, r.by, r.rule) for r in placed[("satisfaction", numbers["t5"])].matches] == [
        ("empathy", "kind", "handoff")]  # a 1 for a hand-off, without a comment
    assert placed[("satisfaction", numbers["t1"])].dimensions == ("responsiveness", "empathy")
    assert [p.item.ticket for p in m.unplaced] == [numbers["t2"]]  # a 2 for a complaint, without a comment
    assert [(d.dimension, d.items, d.negative, d.positive) for d in m.dimensions] == [
        ("tangibles", 0, 0, 0), ("reliability", 1, 1, 0), ("responsiveness", 3, 2, 1), ("assurance", 0, 0, 0),
        ("empathy", 3, 2, 1)]


def test_this_month_against_the_last(month):
    review, _ = month
    assert review.previous.month == Month(2026, 9) and review.previous.volumes.questions == 2
    figures = {f.code: f for f in review.figures}
    assert (figures["questions"].value, figures["questions"].previous, figures["questions"].change) == (8, 2, 6)
    assert figures["questions"].direction is None  # more questions is neither better nor worse
    fr = figures["first_response_on_time"]
    assert (fr.value, fr.n, fr.previous, fr.previous_n, fr.direction) == (pytest.approx(2 / 3), 3, 1.0, 1, "worse")
    assert figures["satisfaction"].previous is None and figures["satisfaction"].direction is None
    assert (figures["overdue"].value, figures["complaints"].value) == (2, 1)
    otp = topic_changes(review.current, review.previous)[0]
    assert (otp.topic, otp.questions, otp.previous, otp.change) == ("jmo.otp", 4, 2, 2)
    assert headline(review.current, None)[0].previous is None


def test_months():
    assert Month.parse("2026-10").period().days()[-1] == dt.date(2026, 10, 31)
    assert (Month(2026, 1).previous(), Month(2026, 12).next()) == (Month(2025, 12), Month(2027, 1))
    assert str(Month.parse(" 2026-2 ")) == "2026-02" and Month.of(dt.date(2024, 2, 29)).last == dt.date(2024, 2, 29)
    for bad in ("2026-13", "26-10", "", None, "2026-10-01"):
        with pytest.raises(ValueError):
            Month.parse(bad)
