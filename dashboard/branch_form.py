"""The branch-profile form of the admin page: its fields -> a checked profile, and a profile -> its fields.

Holidays are one textarea per kind (national holidays, joint leave), one `YYYY-MM-DD name` per line, and
one decree field per year (`holiday_source_<year>`).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Dict, List, Sequence

from branch.holidays import JOINT_LEAVE, NATIONAL, YearCoverage
from branch.profile import DAYS, BranchError, BranchProfile
from dashboard import labels

HOLIDAY_FIELDS = {NATIONAL: "holidays", JOINT_LEAVE: "joint_leave"}  # one textarea per kind
SOURCE_FIELD = re.compile(r"^holiday_source_(\d{4})$")  # the decree of one year
_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[\s,;:|–-]+(.*))?$")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def _holiday_lines(text: str, kind: str) -> List[Dict[str, str]]:
    """`YYYY-MM-DD name` lines (the name may be left out) as the profile's holidays of `kind`."""
    days = []
    for raw in (text or "").splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        match = _LINE.match(line)
        name = (match.group(2) or "").strip() if match else ""
        try:
            day = dt.date.fromisoformat(match.group(1)) if match and not _DATE.search(name) else None
        except ValueError:
            day = None
        if day is None:  # not a date, an impossible one, or two dates on one line
            raise BranchError(labels.text("admin.bad_holiday", line=line[:60]))
        days.append({"date": day.isoformat(), "name": name[:200], "kind": kind})
    return days


def _holidays_from_form(form) -> List[Dict[str, str]]:
    """Both textareas as one list; a date in both, or twice with different names, is refused."""
    days: Dict[str, Dict[str, str]] = {}
    for kind, name in HOLIDAY_FIELDS.items():
        for day in _holiday_lines(form.get(name) or "", kind):
            if day["date"] in days and days[day["date"]] != day:
                raise BranchError(labels.text("admin.holiday_twice", date=day["date"]))
            days[day["date"]] = day
    return sorted(days.values(), key=lambda d: d["date"])


def _sources_from_form(current: BranchProfile, form) -> Dict[str, str]:
    """Each year's decree: a year's field left empty clears it, a year the form does not show keeps it."""
    sources = {str(year): text for year, text in current.holiday_sources.items()}
    for name in form:
        match = SOURCE_FIELD.match(name)
        if match:
            sources[match.group(1)] = " ".join((form.get(name) or "").split())[:300]
    return sources


def _number(form, name: str) -> float:
    try:
        return float((form.get(name) or "").replace(",", "."))
    except ValueError:
        raise BranchError(labels.text("admin.not_a_number", field=name)) from None


def profile_from_form(current: BranchProfile, form) -> BranchProfile:
    data: Dict[str, Any] = current.to_dict()
    data["name"] = {"id": (form.get("name_id") or "").strip()[:200] or current.name["id"],
                    "en": (form.get("name_en") or "").strip()[:200] or current.name["en"]}
    for key in ("address", "phone", "map_url"):
        data[key] = (form.get(key) or "").strip()[:300] or None
    if data["map_url"] and not data["map_url"].startswith(("https://", "http://")):
        raise BranchError(labels.text("admin.map_url_scheme"))
    data["office_hours"] = {"days": [d for d in DAYS if d in form.getlist("days")],
                            "open": (form.get("open") or "").strip(), "close": (form.get("close") or "").strip(),
                            "source": (form.get("hours_source") or "").strip()[:300]}
    data["service_standard"] = {key: _number(form, key)
                                for key in ("first_response_hours", "resolution_hours", "due_soon_hours")}
    if data["service_standard"]["due_soon_hours"] < 0:
        raise BranchError(labels.text("admin.negative_due_soon"))
    data["service_standard"]["published"] = form.get("standard_published") == "1"
    data["service_standard"]["document"] = (form.get("standard_document") or "").strip()[:300] or None
    data["holidays"] = _holidays_from_form(form)
    data["holiday_sources"] = _sources_from_form(current, form)
    return BranchProfile.from_dict(data)


def form_values(profile: BranchProfile, years: Sequence[YearCoverage]) -> Dict[str, Any]:
    """The form's fields as the stored profile fills them."""
    values: Dict[str, Any] = {
        "name_id": profile.name["id"], "name_en": profile.name["en"], "address": profile.address or "",
        "phone": profile.phone or "", "map_url": profile.map_url or "", "days": list(profile.open_days),
        "open": profile.open_time, "close": profile.close_time, "hours_source": profile.hours_source,
        "first_response_hours": f"{profile.first_response_hours:g}",
        "resolution_hours": f"{profile.resolution_hours:g}", "due_soon_hours": f"{profile.due_soon_hours:g}",
        "standard_published": "1" if profile.standard_published else "", "standard_document": profile.standard_document,
    }
    for kind, name in HOLIDAY_FIELDS.items():
        values[name] = "".join(f"{h.date.isoformat()} {h.name}".rstrip() + "\n"
                               for h in profile.holidays if h.kind == kind)
    for year in years:
        values[f"holiday_source_{year.year}"] = year.source
    return values
