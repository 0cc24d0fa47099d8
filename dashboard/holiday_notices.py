"""Warnings for admins when the branch profile lacks the current or the next year's holidays: due times
in such a year count national holidays and joint leave as working days."""
from __future__ import annotations

import datetime as dt
from typing import List
from zoneinfo import ZoneInfo

from branch.profile import BranchProfile
from dashboard import labels


def today(profile: BranchProfile) -> dt.date:
    """The branch's date now (its time zone decides when a year begins)."""
    return dt.datetime.now(ZoneInfo(profile.timezone)).date()


def warnings(profile: BranchProfile) -> List[str]:
    notes = []
    for year in profile.unloaded_holiday_years(today(profile)):
        key = "holidays.no_decree" if year.days else "holidays.missing"
        notes.append(labels.text(key, year=year.year, previous=year.year - 1, count=year.days))
    return notes
