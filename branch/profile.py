"""A branch profile: the facts of one branch office (name, hours, holidays, service standard, ticket
prefix), and rendering them into answers.

Answers say `{{branch.office_hours}}` instead of a time, so one knowledge base
serves any branch and an admin corrects a branch fact in one place.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Union

import yaml

import texts
from branch import holidays as holiday_calendar
from branch.holidays import Holiday, YearCoverage
from core.language import lang_of

BRANCHES_DIR = Path(__file__).resolve().parent / "profiles"
# Branch facts in answers: {{branch.key}}.
PLACEHOLDER = re.compile(r"\{\{\s*branch\.([a-z_]+)\s*\}\}")
PLACEHOLDER_KEYS = ("name", "address", "office_hours", "phone", "map_url", "response_time", "resolution_time",
                    "ticket_standard")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
TZ_ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# Facts a profile may leave unset (texts/branch.yml says what they render as then).
UNSET_FACTS = ("address", "phone", "map_url")


class BranchError(ValueError):
    pass


@dataclass
class BranchProfile:
    code: str
    name: Dict[str, str]
    timezone: str
    open_days: List[str]
    open_time: str
    close_time: str
    first_response_hours: float
    resolution_hours: float
    due_soon_hours: float = 2.0
    ticket_prefix: str = "TKT"
    address: Optional[str] = None
    phone: Optional[str] = None
    map_url: Optional[str] = None
    # Days the office is closed besides its weekly days off (branch/holidays.py), and per year the
    # decree that lists them.
    holidays: List[Holiday] = field(default_factory=list)
    holiday_sources: Dict[int, str] = field(default_factory=dict)
    hours_source: str = ""
    # The ticket standard is the branch's internal target until an admin publishes it, naming the
    # official document it comes from; only a published standard is promised to participants.
    standard_published: bool = False
    standard_document: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "BranchProfile":
        try:
            hours = data["office_hours"]
            standard = data["service_standard"]
            profile = cls(
                code=str(data["code"]),
                name={"id": str(data["name"]["id"]), "en": str(data["name"]["en"])},
                timezone=str(data.get("timezone") or "Asia/Jakarta"),
                open_days=[str(d) for d in hours["days"]],
                open_time=str(hours["open"]), close_time=str(hours["close"]),
                hours_source=str(hours.get("source") or ""),
                first_response_hours=float(standard["first_response_hours"]),
                resolution_hours=float(standard["resolution_hours"]),
                due_soon_hours=float(standard.get("due_soon_hours", 2)),
                standard_published=_flag(standard.get("published", False)),
                standard_document=str(standard.get("document") or "").strip(),
                ticket_prefix=str(data.get("ticket_prefix") or "TKT").upper(),
                address=data.get("address") or None, phone=data.get("phone") or None,
                map_url=data.get("map_url") or None,
                holidays=holiday_calendar.read_holidays(data.get("holidays") or []),
                holiday_sources=holiday_calendar.read_sources(_mapping(data.get("holiday_sources"), "holiday_sources")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise BranchError(f"branch profile is incomplete or malformed: {exc}") from None
        profile.check()
        return profile

    def check(self) -> None:
        if not re.match(r"^[a-z0-9-]{2,40}$", self.code):
            raise BranchError(f"branch code {self.code!r}: use 2-40 lowercase letters, digits, dashes")
        if not self.open_days or any(d not in DAYS for d in self.open_days):
            raise BranchError(f"office_hours.days must be drawn from {list(DAYS)}")
        for t in (self.open_time, self.close_time):
            if not _TIME.match(t):
                raise BranchError(f"office hours time {t!r}: use HH:MM")
        if self.open_time >= self.close_time:
            raise BranchError("office hours: opening time must be before closing time")
        if not re.match(r"^[A-Z]{2,5}$", self.ticket_prefix):
            raise BranchError("ticket_prefix must be 2-5 letters, e.g. MDK")
        if self.first_response_hours <= 0 or self.resolution_hours <= 0:
            raise BranchError("service standard hours must be positive")
        if self.standard_published and not self.standard_document:
            raise BranchError("a published service standard must name the official document it comes from "
                              "(service_standard.document)")
        try:
            import zoneinfo

            zoneinfo.ZoneInfo(self.timezone)
        except Exception:
            raise BranchError(f"unknown timezone {self.timezone!r}") from None

    def to_dict(self) -> Dict[str, Any]:
        return {
            "code": self.code, "name": dict(self.name), "ticket_prefix": self.ticket_prefix, "address": self.address, "phone": self.phone,
            "map_url": self.map_url, "timezone": self.timezone,
            "office_hours": {"days": list(self.open_days), "open": self.open_time, "close": self.close_time,
                             "source": self.hours_source},
            "service_standard": {"first_response_hours": self.first_response_hours,
                                 "resolution_hours": self.resolution_hours, "due_soon_hours": self.due_soon_hours,
                                 "published": self.standard_published, "document": self.standard_document or None},
            # Years as strings: the database stores the profile as JSON, whose keys are strings.
            "holiday_sources": {str(year): source for year, source in sorted(self.holiday_sources.items())},
            "holidays": [h.to_dict() for h in self.holidays],
        }

    # ---- holidays ----------------------------------------------------------
    @property
    def holiday_dates(self) -> FrozenSet[dt.date]:
        return frozenset(h.date for h in self.holidays)

    def holiday_years(self, today: dt.date) -> List[YearCoverage]:
        """What the profile holds for each year it lists, and for the current and the next year."""
        return holiday_calendar.years(self.holidays, self.holiday_sources, today)

    def unloaded_holiday_years(self, today: dt.date) -> List[YearCoverage]:
        """The current and the next year when their decree's holidays are not loaded."""
        return holiday_calendar.unloaded_years(self.holidays, self.holiday_sources, today)

    def with_holiday_year(self, other: "BranchProfile", year: int) -> "BranchProfile":
        """This profile with `other`'s holidays of `year` added and its decree for that year."""
        sources = dict(self.holiday_sources)
        if other.holiday_sources.get(year):
            sources[year] = other.holiday_sources[year]
        return dataclasses.replace(self, holidays=holiday_calendar.with_year(self.holidays, other.holidays, year),
                                   holiday_sources=sources)

    @property
    def ticket_example(self) -> str:
        """A ticket number as help texts show it (this branch's prefix)."""
        return f"{self.ticket_prefix}-000123"

    # ---- rendering ---------------------------------------------------------
    def _day_range(self, lang: str) -> str:
        idx = [DAYS.index(d) for d in self.open_days]
        names = DAY_NAMES[lang]
        if idx == list(range(idx[0], idx[-1] + 1)) and len(idx) > 2:
            return f"{names[idx[0]]}–{names[idx[-1]]}"
        return ", ".join(names[i] for i in idx)

    def office_hours_text(self, lang: str) -> str:
        lang = lang_of(lang)
        opens, closes = self.open_time, self.close_time
        if lang == "id":  # Indonesian writes 08.00
            opens, closes = opens.replace(":", "."), closes.replace(":", ".")
        return texts.say("branch.office_hours", lang, days=self._day_range(lang), opens=opens, closes=closes,
                         tz=TZ_ABBREVIATIONS.get(self.timezone, self.timezone))

    @staticmethod
    def _hours_text(hours: float, lang: str) -> str:
        return texts.say("branch.working_hours", lang, hours=f"{hours:g}")

    def value(self, key: str, lang: str) -> str:
        lang = lang if lang in ("id", "en") else "id"
        if key == "name":
            return self.name[lang]
        if key == "office_hours":
            return self.office_hours_text(lang)
        if key in ("response_time", "resolution_time", "ticket_standard") and not self.standard_published:
            return texts.say(f"branch.unpublished.{key}", lang)
        if key == "response_time":
            return self._hours_text(self.first_response_hours, lang)
        if key == "resolution_time":
            return self._hours_text(self.resolution_hours, lang)
        if key == "ticket_standard":
            return texts.say("branch.ticket_standard", lang, response=self._hours_text(self.first_response_hours, lang),
                             resolution=self._hours_text(self.resolution_hours, lang),
                             document=self.standard_document)
        if key in UNSET_FACTS:
            return getattr(self, key) or texts.say(f"branch.unset.{key}", lang)
        raise BranchError(f"unknown placeholder branch.{key}")

    def render(self, text: str, lang: str) -> str:
        return PLACEHOLDER.sub(lambda m: self.value(m.group(1), lang), text)


def _mapping(value: Any, key: str) -> Mapping[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise BranchError(f"{key} must be a mapping of year to decree")
    return value


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise BranchError(f"service_standard.published must be true or false, got {value!r}")


def read_profile_file(path: Union[str, Path]) -> BranchProfile:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise BranchError(f"{path}: malformed YAML ({exc})") from None
    if not isinstance(data, dict):
        raise BranchError(f"{path}: expected a mapping")
    return BranchProfile.from_dict(data)
