import dataclasses
import datetime as dt

from branch.holidays import JOINT_LEAVE, Holiday
from tests.branch.profiles import load_test_profile
from monitoring.tickets import TicketService
from monitoring.service_time import (DUE_SOON, ON_TIME, OVERDUE, add_working_hours, local_time_text, reply_by_text,
                                   sla_state, working_hours_between)

PROFILE = load_test_profile()  # Mon-Fri 08:00-15:30 WIB (UTC+7)


def utc(y, m, d, h, mi=0):
    """A WIB wall-clock time as naive UTC."""
    return dt.datetime(y, m, d, h, mi) - dt.timedelta(hours=7)


def test_within_the_same_day():
    assert add_working_hours(utc(2026, 11, 30, 9), 2, PROFILE) == utc(2026, 11, 30, 11)


def test_rolls_over_to_the_next_working_day():
    # Monday 14:30 + 2h: 1h on Monday, 1h from Tuesday 08:00.
    assert add_working_hours(utc(2026, 11, 30, 14, 30), 2, PROFILE) == utc(2026, 12, 1, 9)


def test_weekend_and_night_count_nothing():
    # Friday 20:00 -> next office time is Monday 08:00.
    assert add_working_hours(utc(2026, 12, 4, 20), 1, PROFILE) == utc(2026, 12, 7, 9)


def test_public_holidays_are_skipped():
    # Friday 2026-12-25 is a holiday: Thursday 15:00 + 1h ends Monday 08:30.
    assert add_working_hours(utc(2026, 12, 24, 15), 1, PROFILE) == utc(2026, 12, 28, 8, 30)


def test_working_hours_between_is_the_inverse():
    start = utc(2026, 11, 27, 13)  # Friday
    due = add_working_hours(start, 8, PROFILE)
    assert abs(working_hours_between(start, due, PROFILE) - 8) < 1e-9
    assert working_hours_between(due, start, PROFILE) == 0


def test_sla_state():
    due = utc(2026, 11, 30, 12)
    assert sla_state(due, utc(2026, 11, 30, 8), PROFILE) == ON_TIME
    assert sla_state(due, utc(2026, 11, 30, 10, 30), PROFILE) == DUE_SOON
    assert sla_state(due, utc(2026, 11, 30, 12), PROFILE) == OVERDUE


def test_local_time_text():
    assert local_time_text(utc(2026, 11, 30, 10), PROFILE, "id") == "Senin, 30 November 2026 pukul 10.00 WIB"
    assert local_time_text(utc(2026, 11, 30, 10), PROFILE, "en") == "Monday, 30 November 2026 at 10:00 WIB"


def test_participants_get_a_reply_time_only_from_a_published_standard():
    due = utc(2026, 12, 1, 9, 30)
    internal = reply_by_text(due, PROFILE, "id")  # the test profile's standard is an internal target
    assert internal.startswith("secepatnya pada jam kerja") and "Desember" not in internal
    assert "during office hours" in reply_by_text(due, PROFILE, "en")
    published = dataclasses.replace(PROFILE, standard_published=True, standard_document="Maklumat Pelayanan")
    assert reply_by_text(due, published, "id").startswith("paling lambat Selasa, 1 Desember 2026 pukul 09.30 WIB")


# Around Idul Fitri 2026 (SKB of 19 Sep 2025): joint leave on 18, 20, 23 and 24 March, Nyepi on Thursday
# 19 March, Idul Fitri on the weekend of 21-22 March.
IDUL_FITRI_2026 = dataclasses.replace(PROFILE, holidays=[
    Holiday(dt.date(2026, 3, 18), "Cuti bersama", JOINT_LEAVE), Holiday(dt.date(2026, 3, 19), "Hari Suci Nyepi"),
    Holiday(dt.date(2026, 3, 20), "Cuti bersama", JOINT_LEAVE), Holiday(dt.date(2026, 3, 21), "Idul Fitri 1447 H"),
    Holiday(dt.date(2026, 3, 22), "Idul Fitri 1447 H"), Holiday(dt.date(2026, 3, 23), "Cuti bersama", JOINT_LEAVE),
    Holiday(dt.date(2026, 3, 24), "Cuti bersama", JOINT_LEAVE),
])


def test_joint_leave_and_moving_holidays_are_skipped():
    # Tuesday 17 March 14:00 + 8 h: 1.5 h on Tuesday, then nothing until Wednesday 25 March (6.5 h).
    assert add_working_hours(utc(2026, 3, 17, 14), 8, IDUL_FITRI_2026) == utc(2026, 3, 25, 14, 30)
    # Without the decree's days the same ticket would be due on Wednesday 18 March.
    assert add_working_hours(utc(2026, 3, 17, 14), 8, PROFILE) == utc(2026, 3, 18, 14, 30)
    assert working_hours_between(utc(2026, 3, 17, 14), utc(2026, 3, 25, 14, 30), IDUL_FITRI_2026) == 8


def test_a_ticket_opened_on_nyepi_is_due_after_idul_fitri(db):
    # Thursday 19 March 2026, 14:00 WIB: the office is closed until Wednesday 25 March.
    ticket = TicketService(db, IDUL_FITRI_2026).open("complaint", "tg:1", "telegram", "x", now=utc(2026, 3, 19, 14))
    assert ticket.due_at == utc(2026, 3, 26, 8, 30)  # 7.5 h on Wednesday 25, 0.5 h on Thursday 26
    assert ticket.resolve_due_at == utc(2026, 3, 30, 9, 30)  # 24 h: 25, 26, 27 March, 1.5 h on Monday 30
    assert sla_state(ticket.due_at, utc(2026, 3, 24, 15), IDUL_FITRI_2026) == ON_TIME  # 8 h ahead, not due soon
