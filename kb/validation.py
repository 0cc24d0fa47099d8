"""Whole-collection checks of knowledge-base content (beyond single-entry rules)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Sequence

from kb.entry import Entry
from kb.topics import kb_topic_codes

PHONE_SCREEN_CHARS = 1000


@dataclass
class ValidationReport:
    errors: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def validate_collection(entries: Sequence[Entry]) -> ValidationReport:
    report = ValidationReport()
    ids: Dict[str, int] = {}
    for e in entries:
        ids[e.id] = ids.get(e.id, 0) + 1
    report.errors += [f"duplicate id {i!r} ({n} entries)" for i, n in sorted(ids.items()) if n > 1]

    covered = {e.topic for e in entries if e.active}
    missing = [t for t in kb_topic_codes() if t not in covered]
    report.errors += [f"topic {t} has no active entry" for t in missing]

    owners: Dict[str, str] = {}
    for e in entries:
        for lang, variants in e.questions.items():
            for q in variants:
                key = " ".join(q.lower().split())
                if key in owners and owners[key] != e.id:
                    report.errors.append(f"question variant {q!r} appears in {owners[key]} and {e.id}")
                owners.setdefault(key, e.id)
        for lang, text in e.answer.items():
            if len(text) > PHONE_SCREEN_CHARS:
                report.warnings.append(f"{e.id}: {lang} answer has {len(text)} characters (long for a phone screen)")
    return report
