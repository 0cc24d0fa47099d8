"""Service times in working hours: office hours on open days, minus public holidays.

All datetimes in and out are naive UTC (the storage convention); the branch's
time zone only decides where a working day starts and ends.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional
from zoneinfo import ZoneInfo

import texts
from branch.profile import DAYS, BranchProfile

MAX_DAYS = 3 * 366  # guard against a profile with no working time at all

ON_TIME, DUE_SOON, OVERDUE = "on_time", "due_soon", "overdue"


def _local(at_utc: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    return at_utc.replace(tzinfo=dt.timezone.utc).astimezone(tz)


def _utc(at_local: dt.datetime) -> dt.datetime:
    return at_local.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _window(day: dt.date, profile: BranchProfile, tz: ZoneInfo):
    """Opening and closing time of `day` (aware, local), or None when the office is closed."""
    if DAYS[day.weekday()] not in profile.open_days or day in profile.holiday_dates:
        return None
    open_h, open_m = map(int, profile.open_time.split(":"))
    close_h, close_m = map(int, profile.close_time.split(":"))
    return (dt.datetime(day.year, day.month, day.day, open_h, open_m, tzinfo=tz),
            dt.datetime(day.year, day.month, day.day, close_h, close_m, tzinfo=tz))


def add_working_hours(start_utc: dt.datetime, hours: float, profile: BranchProfile) -> dt.datetime:
    """The moment `hours` of office time have passed after `start_utc`."""
    tz = ZoneInfo(profile.timezone)
    cursor = _local(start_utc, tz)
    remaining = dt.timedelta(hours=hours)
    for _ in range(MAX_DAYS):
        window = _window(cursor.date(), profile, tz)
        if window is not None:
            opens, closes = window
            begin = max(cursor, opens)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return _utc(begin + remaining)
                remaining -= available
        next_day = cursor.date() + dt.timedelta(days=1)
        cursor = dt.datetime(next_day.year, next_day.month, next_day.day, tzinfo=tz)
    raise ValueError("the branch profile has no working time in the next three years")


def working_hours_between(start_utc: dt.datetime, end_utc: dt.datetime, profile: BranchProfile) -> float:
    """Office hours elapsed from `start_utc` to `end_utc` (0 if end is before start)."""
    if end_utc <= start_utc:
        return 0.0
    tz = ZoneInfo(profile.timezone)
    start, end = _local(start_utc, tz), _local(end_utc, tz)
    total = dt.timedelta()
    day = start.date()
    for _ in range(MAX_DAYS * 4):
        if day > end.date():
            break
        window = _window(day, profile, tz)
        if window is not None:
            begin, finish = max(window[0], start), min(window[1], end)
            if finish > begin:
                total += finish - begin
        day += dt.timedelta(days=1)
    return total.total_seconds() / 3600


def in_office_hours(at_utc: dt.datetime, profile: BranchProfile) -> bool:
    """The office is open at this moment (an open day, not a holiday, within opening hours)."""
    tz = ZoneInfo(profile.timezone)
    local = _local(at_utc, tz)
    window = _window(local.date(), profile, tz)
    return window is not None and window[0] <= local < window[1]


def sla_state(due_at: dt.datetime, now: dt.datetime, profile: BranchProfile) -> str:
    if now >= due_at:
        return OVERDUE
    if working_hours_between(now, due_at, profile) <= profile.due_soon_hours:
        return DUE_SOON
    return ON_TIME


def local_time_text(at_utc: dt.datetime, profile: BranchProfile, lang: str) -> str:
    """A due time as participants read it, e.g. 'Senin, 30 November 2026 pukul 10.00 WIB'."""
    from branch.profile import DAY_NAMES, TZ_ABBREVIATIONS

    local = _local(at_utc, ZoneInfo(profile.timezone))
    tz = TZ_ABBREVIATIONS.get(profile.timezone, profile.timezone)
    day = DAY_NAMES["id" if lang == "id" else "en"][local.weekday()]
    if lang == "id":
        months = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                  "Oktober", "November", "Desember")
        return f"{day}, {local.day} {months[local.month - 1]} {local.year} pukul {local:%H.%M} {tz}"
    return f"{day}, {local.day} {local:%B %Y} at {local:%H:%M} {tz}"


def reply_by_text(due_at_utc: dt.datetime, profile: BranchProfile, lang: str) -> str:
    """When participants may expect a reply: the due time only where the branch has published its standard.

    An unpublished standard is an internal target (staff still see the due time); telling participants
    "by Tuesday 09.30" would be a promise no official document makes.
    """
    hours = profile.office_hours_text(lang)
    due = promised_due_text(due_at_utc, profile, lang)
    if due:
        return texts.say("participant.reply_by.due", lang, due=due, hours=hours)
    return texts.say("participant.reply_by.unpublished", lang, hours=hours)


def promised_due_text(due_at_utc: dt.datetime, profile: BranchProfile, lang: str) -> Optional[str]:
    """The due time participants may be told: only one from a published standard."""
    return local_time_text(due_at_utc, profile, lang) if profile.standard_published else None
