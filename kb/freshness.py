"""Which entries need a fresh look: not reviewed for REVIEW_EVERY_DAYS, or cited FAQ rows that changed.

An entry records who reviewed it and when, plus a digest of the official FAQ rows it cites as they
read at that review. When a newer FAQ dump changes one of those rows, the digest no longer matches
and the entry is listed for review even if the review is recent.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from kb.entry import Entry

REVIEW_EVERY_DAYS = 180


@dataclass(frozen=True)
class Due:
    entry: Entry
    reason: str  # "never", "old", "sources_changed"
    days: Optional[int] = None  # since the last review


def faq_digest(entry: Entry, faq_rows: Optional[Dict[int, str]]) -> str:
    """A short fingerprint of the FAQ rows the entry cites ('' when the FAQ dump is not available)."""
    rows = sorted({r for c in entry.citations if c.kind == "faq" for r in c.rows})
    if faq_rows is None or not rows:
        return ""
    text = "\n".join(f"{r}\t{faq_rows.get(r, '')}" for r in rows)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def due_for_review(entries: Sequence[Entry], today: dt.date, faq_rows: Optional[Dict[int, str]] = None,
                   every_days: int = REVIEW_EVERY_DAYS) -> List[Due]:
    """Entries to review, sources changed first, then never reviewed, then the oldest review."""
    out: List[Due] = []
    for e in entries:
        days = (today - e.reviewed_at).days if e.reviewed_at else None
        current = faq_digest(e, faq_rows)
        if e.reviewed_digest and current and current != e.reviewed_digest:
            out.append(Due(e, "sources_changed", days))
        elif days is None:
            out.append(Due(e, "never"))
        elif days >= every_days:
            out.append(Due(e, "old", days))
    order = {"sources_changed": 0, "never": 1, "old": 2}
    return sorted(out, key=lambda d: (order[d.reason], -(d.days or 0), d.entry.id))
