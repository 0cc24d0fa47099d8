"""The days a branch office is closed besides its weekly days off: national holidays and joint leave
(cuti bersama), each with its name, and per year the decree that lists them.

Indonesia's moving holidays and joint leave are set each year by a joint decree (SKB) of the Ministers
of Religious Affairs, Manpower and Administrative Reform, usually signed in September of the year
before. A year is *loaded* once its days are listed and that decree is named; until then ticket due
times in that year count the decree's days as working days, and admins are warned
(`unloaded_years`).

A profile stores `holidays` as a list of `{date, name, kind}` and `holiday_sources` as year -> decree.
Profiles saved before holidays had names hold plain `YYYY-MM-DD` strings; they still load, as
unnamed national holidays.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Sequence

NATIONAL, JOINT_LEAVE = "national_holiday", "joint_leave"
KINDS = (NATIONAL, JOINT_LEAVE)
MAX_NAME = 200
MAX_SOURCE = 300
# Years a holiday or a decree may be for: catches a mistyped year (0226, 20266) before it is stored.
FIRST_YEAR, LAST_YEAR = 2000, 2099


class HolidayError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Holiday:
    date: dt.date
    name: str = ""
    kind: str = NATIONAL

    @classmethod
    def from_value(cls, value: Any) -> "Holiday":
        """A `{date, name, kind}` mapping, or a plain date (the profile's older form)."""
        if isinstance(value, Mapping):
            holiday = cls(_date(value.get("date")), str(value.get("name") or "").strip(),
                          str(value.get("kind") or NATIONAL))
        else:
            holiday = cls(_date(value))
        holiday.check()
        return holiday

    def check(self) -> None:
        if self.kind not in KINDS:
            raise HolidayError(f"holiday {self.date.isoformat()}: kind {self.kind!r} is not one of {list(KINDS)}")
        if len(self.name) > MAX_NAME:
            raise HolidayError(f"holiday {self.date.isoformat()}: name longer than {MAX_NAME} characters")
        _check_year(self.date.year, f"holiday {self.date.isoformat()}")

    def to_dict(self) -> Dict[str, str]:
        return {"date": self.date.isoformat(), "name": self.name, "kind": self.kind}


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value  # YAML reads an unquoted 2026-01-01 as a date
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise HolidayError(f"holiday {value!r} is not a date (YYYY-MM-DD)") from None


def _check_year(year: int, what: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise HolidayError(f"{what}: year {year} is outside {FIRST_YEAR}-{LAST_YEAR}")


def read_holidays(values: Iterable[Any]) -> List[Holiday]:
    """The profile's `holidays`, sorted; one date listed twice is refused (which name would hold?)."""
    holidays = sorted(set(Holiday.from_value(v) for v in values))
    seen: Dict[dt.date, Holiday] = {}
    for holiday in holidays:
        if holiday.date in seen:
            raise HolidayError(f"holiday {holiday.date.isoformat()} is listed twice "
                               f"({seen[holiday.date].name or seen[holiday.date].kind} / {holiday.name or holiday.kind})")
        seen[holiday.date] = holiday
    return holidays


def read_sources(values: Mapping[Any, Any]) -> Dict[int, str]:
    """The profile's `holiday_sources` (year -> decree); a year with an empty decree is left out."""
    sources: Dict[int, str] = {}
    for key, value in values.items():
        try:
            year = int(str(key).strip())
        except ValueError:
            raise HolidayError(f"holiday_sources: {key!r} is not a year") from None
        _check_year(year, "holiday_sources")
        text = " ".join(str(value or "").split())
        if len(text) > MAX_SOURCE:
            raise HolidayError(f"holiday_sources {year}: longer than {MAX_SOURCE} characters")
        if text:
            sources[year] = text
    return dict(sorted(sources.items()))


@dataclass(frozen=True)
class YearCoverage:
    """What a profile holds for one calendar year."""
    year: int
    national: int  # national holidays listed
    joint_leave: int  # joint-leave days listed
    source: str  # the decree, "" when none is named

    @property
    def days(self) -> int:
        return self.national + self.joint_leave

    @property
    def loaded(self) -> bool:
        """The year's days are listed from a named decree (fixed-date holidays alone are not enough)."""
        return bool(self.source) and self.days > 0


def coverage(holidays: Sequence[Holiday], sources: Mapping[int, str], year: int) -> YearCoverage:
    kinds = [h.kind for h in holidays if h.date.year == year]
    return YearCoverage(year, kinds.count(NATIONAL), kinds.count(JOINT_LEAVE), sources.get(year, ""))


def years(holidays: Sequence[Holiday], sources: Mapping[int, str], today: dt.date) -> List[YearCoverage]:
    """Every year with days or a decree, and always the current and the next one, in order."""
    wanted = {h.date.year for h in holidays} | set(sources) | {today.year, today.year + 1}
    return [coverage(holidays, sources, year) for year in sorted(wanted)]


def unloaded_years(holidays: Sequence[Holiday], sources: Mapping[int, str], today: dt.date) -> List[YearCoverage]:
    """The current and the next year when their decree's days are not loaded (due times there would
    count those days as working days)."""
    return [c for c in (coverage(holidays, sources, y) for y in (today.year, today.year + 1)) if not c.loaded]


def with_year(holidays: Sequence[Holiday], other: Sequence[Holiday], year: int) -> List[Holiday]:
    """`holidays` with `other`'s days of `year` added; on a date both list, `other`'s name and kind."""
    incoming = {h.date: h for h in other if h.date.year == year}
    return sorted([h for h in holidays if h.date not in incoming] + list(incoming.values()))
