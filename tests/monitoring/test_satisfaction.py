"""The satisfaction question after a resolved ticket: asked once, in the ticket's language, answered once."""
import datetime as dt

import pytest
from sqlalchemy import select

from messaging.outbox import Outbox
from monitoring.models import SatisfactionRow
from monitoring.privacy import forget_participant
from monitoring.satisfaction import (ALREADY, NOT_RATED, RECORDED, UNKNOWN, SatisfactionSurvey, rating_payload,
                                     read_payload)
from monitoring.tickets import TicketService
from tests.branch.profiles import load_test_profile

PROFILE = load_test_profile()


def wib(d, h, mi=0):
    return dt.datetime(2026, 11, d, h, mi) - dt.timedelta(hours=7)


def resolution(db, number):
    (message,) = [m for m in Outbox(db).for_ticket(number) if m.kind == "resolution"]
    return message


def test_resolving_asks_once_in_the_tickets_language_with_a_scale_of_buttons(db):
    tickets = TicketService(db, PROFILE)
    t = tickets.open("complaint", "tg:7", "telegram", "My claim is stuck", language="en")
    tickets.reply(t.number, "ani", "We checked it.")
    tickets.change_status(t.number, "resolved", "ani", note="Paid today.")
    message = resolution(db, t.number)
    assert message.text.startswith(f"✅ Ticket {t.number} has been resolved.\nNote from staff: Paid today.\n\n")
    assert message.text.endswith("Choose 1 (very dissatisfied) to 5 (very satisfied).")
    assert [b["title"] for b in message.buttons] == ["1 ⭐", "2 ⭐", "3 ⭐", "4 ⭐", "5 ⭐"]
    assert message.buttons[3]["payload"] == f"g:rate:{t.number}:4" == rating_payload(t.number, 4)
    assert all(len(b["payload"].encode()) <= 64 for b in message.buttons)
    # Reopened and resolved again, or closed: no second question.
    tickets.change_status(t.number, "in_progress", "ani")
    tickets.change_status(t.number, "resolved", "ani")
    tickets.change_status(t.number, "closed", "ani")
    finals = [m for m in Outbox(db).for_ticket(t.number) if m.kind == "resolution"]
    assert len(finals) == 3 and [bool(m.buttons) for m in finals] == [True, False, False]
    with db.session() as s:
        assert len(s.execute(select(SatisfactionRow)).all()) == 1


def test_indonesian_question_and_no_question_for_closed_unreachable_or_forgotten_participants(db):
    tickets = TicketService(db, PROFILE)
    t = tickets.open("handoff", "tg:8", "telegram", "mau bicara dengan petugas")
    tickets.change_status(t.number, "resolved", "ani")
    assert resolution(db, t.number).text.endswith("Pilih 1 (sangat tidak puas) sampai 5 (sangat puas).")
    closed = tickets.open("complaint", "tg:9", "telegram", "spam")
    tickets.change_status(closed.number, "closed", "ani")  # closed without being resolved: nothing to rate
    rest = tickets.open("complaint", "rest-1", "rest", "lewat web")
    tickets.change_status(rest.number, "resolved", "ani")
    quiet = tickets.open("complaint", "tg:10", "telegram", "diam")
    tickets.change_status(quiet.number, "resolved", "ani", notify=False)
    with db.session() as s:
        assert len(s.execute(select(SatisfactionRow)).all()) == 1
    assert not resolution(db, closed.number).buttons


def test_a_rating_and_a_comment_are_taken_once_and_only_from_the_ticket_owner(db):
    tickets, survey = TicketService(db, PROFILE), SatisfactionSurvey(db)
    t = tickets.open("complaint", "tg:7", "telegram", "antrean lama")
    assert survey.rate(t.number, "tg:7", 4).status == UNKNOWN  # not asked yet
    tickets.change_status(t.number, "resolved", "ani", now=wib(30, 10))
    assert survey.comment(t.number, "tg:7", "bagus").status == NOT_RATED
    assert survey.rate(t.number, "tg:99", 1).status == UNKNOWN  # someone else's ticket
    assert survey.rate(t.number, "tg:7", 9).status == UNKNOWN
    answer = survey.rate(t.number, "tg:7", 4, now=wib(30, 11))
    assert (answer.status, answer.rating, answer.language) == (RECORDED, 4, "id")
    assert survey.rate(t.number, "tg:7", 1).status == ALREADY and survey.for_ticket(t.number).rating == 4
    assert survey.comment(t.number, "tg:7", "Cepat, tapi  hubungi saya di 081234567890").status == RECORDED
    assert survey.comment(t.number, "tg:7", "lagi").status == ALREADY
    rated = survey.for_ticket(t.number)
    assert rated.comment.startswith("Cepat, tapi hubungi saya di ") and "081234567890" not in rated.comment


def test_summary_of_a_period(db):
    tickets, survey = TicketService(db, PROFILE), SatisfactionSurvey(db)
    for i, (rating, comment) in enumerate([(5, "ramah"), (4, None), (2, "lama sekali"), (None, None)]):
        t = tickets.open("complaint", f"tg:{i}", "telegram", f"keluhan {i}", now=wib(2, 9))
        tickets.change_status(t.number, "resolved", "ani", now=wib(3, 9))
        if rating:
            survey.rate(t.number, f"tg:{i}", rating, now=wib(3, 10 + i))
        if comment:
            survey.comment(t.number, f"tg:{i}", comment, now=wib(3, 12))
    summary = survey.summary(wib(1, 0), wib(30, 0))
    assert (summary.asked, summary.answered, summary.satisfied) == (4, 3, 2)
    assert summary.mean == pytest.approx(11 / 3) and summary.response_rate == pytest.approx(0.75)
    assert summary.distribution() == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    assert [c.comment for c in summary.comments] == ["lama sekali", "ramah"]
    empty = survey.summary(wib(10, 0), wib(11, 0))
    assert (empty.asked, empty.mean, empty.response_rate, empty.satisfied_share) == (0, None, None, None)


def test_forgetting_masks_the_comment_and_keeps_the_rating(db):
    tickets, survey = TicketService(db, PROFILE), SatisfactionSurvey(db)
    t = tickets.open("complaint", "tg:7", "telegram", "keluhan")
    tickets.change_status(t.number, "resolved", "ani")
    survey.rate(t.number, "tg:7", 2)
    survey.comment(t.number, "tg:7", "petugas Budi kurang ramah")
    report = forget_participant(db, PROFILE, "tg:7", lambda sender: 0)
    assert report.comments_masked == 1
    rated = survey.for_ticket(t.number)
    assert rated.rating == 2 and "Budi" not in rated.comment


def test_payloads_are_read_back():
    assert read_payload("rate:MDK-000042:5") == ("MDK-000042", 5)
    assert read_payload("rate:MDK-000042:6") is None and read_payload("rate:x:1") is None and read_payload("") is None
