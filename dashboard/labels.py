"""Staff-language labels for codes and the dashboard's sentences (texts/), and small display formatters
(Jinja filters)."""
from __future__ import annotations

import datetime as dt
from typing import Optional
from zoneinfo import ZoneInfo

import texts
from branch.profile import DAY_NAMES, DAYS, TZ_ABBREVIATIONS
from texts import STAFF_LANGUAGE

# Where the catalogue names each family of codes for staff ({} is the code).
LABELS = {
    "status": "tickets.status.{}.staff", "kind": "tickets.kind.{}.staff", "sla": "dashboard.label.sla.{}",
    "outcome": "dashboard.label.outcome.{}", "event": "dashboard.label.event.{}",
    "aspect": "dashboard.label.aspect.{}", "delivery": "dashboard.label.delivery.{}",
    "role": "dashboard.label.role.{}", "deadline": "dashboard.label.deadline.{}", "audit": "dashboard.label.audit.{}",
    "review": "dashboard.label.review.{}", "grouping": "dashboard.label.grouping.{}",
    "channel": "dashboard.label.channel.{}", "figure": "dashboard.label.figure.{}",
    "direction": "dashboard.label.direction.{}", "servqual": "dashboard.label.servqual.{}",
    "servqual_about": "dashboard.label.servqual_about.{}", "feedback_source": "dashboard.label.feedback_source.{}",
    "match_by": "dashboard.label.match_by.{}", "missed": "dashboard.label.missed.{}", "gap": "dashboard.label.gap.{}",
    "action_status": "dashboard.label.action_status.{}", "metric": "dashboard.label.metric.{}",
    "verdict": "dashboard.label.verdict.{}", "change_basis": "dashboard.label.change_basis.{}",
    "contact": "dashboard.label.contact.{}", "placeholder": "dashboard.templates.placeholder.{}",
}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def local_time(at_utc: Optional[dt.datetime], timezone: str, with_date: bool = True) -> str:
    """A naive-UTC time as the branch reads it: '30 Nov 2026 10.00 WIB'."""
    if at_utc is None:
        return "–"
    local = at_utc.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo(timezone))
    tz = TZ_ABBREVIATIONS.get(timezone, timezone)
    clock = f"{local:%H.%M}"
    if not with_date:
        return f"{clock} {tz}"
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} {clock} {tz}"


def local_today(timezone: str) -> dt.date:
    return dt.datetime.now(ZoneInfo(timezone)).date()


def local_date(day: Optional[dt.date]) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else "–"


def from_timestamp(value) -> Optional[dt.datetime]:
    """A Unix timestamp (as Rasa stores them) as naive UTC; None when it is not one."""
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromtimestamp(float(value), dt.timezone.utc).replace(tzinfo=None)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def percent(value: Optional[float]) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def share(value: Optional[float], n: int) -> str:
    """A share with the count it is a share of: '100% (n=1)'."""
    return f"{percent(value)} (n={n})"


def decimal(value: Optional[float], digits: int = 1) -> str:
    """A number the Indonesian way: 4,2."""
    return "–" if value is None else f"{value:.{digits}f}".replace(".", ",")


def signed(value: Optional[float], digits: int = 0, unit: str = "") -> str:
    """A change: '+3', '−12%', '±0'."""
    if value is None:
        return "–"
    text = f"{abs(value):.{digits}f}".replace(".", ",")
    if float(text.replace(",", ".")) == 0:
        return f"±0{unit}"
    return f"{'+' if value > 0 else '−'}{text}{unit}"


def hours(value: Optional[float]) -> str:
    if value is None:
        return "–"
    text = f"{value:.1f}".replace(".", ",")
    return texts.say("branch.working_hours", STAFF_LANGUAGE, hours=text[:-2] if text.endswith(",0") else text)


def text(key: str, **values) -> str:
    """The dashboard's sentence `key` (texts/dashboard.yml) for staff."""
    return texts.say(f"dashboard.{key}", STAFF_LANGUAGE, **values)


def label(family: str, code: Optional[str]) -> str:
    """The staff's name for a code of `family` (a key of LABELS); the code itself when it has none."""
    if code is None:
        return "–"
    return texts.lookup(LABELS[family].format(code), STAFF_LANGUAGE) or code


def day_label(code: Optional[str]) -> str:
    if code is None:
        return "–"
    return DAY_NAMES[STAFF_LANGUAGE][DAYS.index(code)] if code in DAYS else code
