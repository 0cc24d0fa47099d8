"""Whole-collection checks of knowledge-base content (beyond single-entry rules)."""
from __future__ import annotations

from dataclasses import dataclass, field
import re
from typing import Dict, List, Sequence

from branch.profile import PLACEHOLDER

from kb.entry import Entry
from kb.topics import kb_topic_codes

# One phone screen before the source line; a {{branch.*}} placeholder counts as a typical filled value.
PHONE_SCREEN_CHARS = 900
PLACEHOLDER_CHARS = 40
NEXT_STEP = {"id": "Langkah berikutnya:", "en": "Next step:"}
# An answer leads with the action or the fact asked for, not with courtesy or a restated question.
_PREAMBLE = re.compile(r"^(terima kasih|halo|hai|baik[,.]|mohon maaf|maaf|pertanyaan yang bagus|thank you|thanks|hello|hi[,!]|"
                       r"great question|sorry)\b", re.IGNORECASE)


def screen_length(text: str) -> int:
    return len(PLACEHOLDER.sub("x" * PLACEHOLDER_CHARS, text))


def shape_problems(entry: Entry) -> List[str]:
    """An answer fits one phone screen, leads with the action and ends with exactly one next step."""
    problems = []
    for lang, text in entry.answer.items():
        length = screen_length(text)
        if length > PHONE_SCREEN_CHARS:
            problems.append(f"{entry.id}: {lang} answer is {length} characters; one phone screen is {PHONE_SCREEN_CHARS}")
        if _PREAMBLE.match(text.strip()):
            problems.append(f"{entry.id}: {lang} answer opens with a courtesy; lead with the action")
        paragraphs = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
        marker = NEXT_STEP.get(lang, NEXT_STEP["en"])
        if text.count(marker) != 1 or not paragraphs[-1].startswith(marker):
            problems.append(f"{entry.id}: {lang} answer must end with one '{marker} ...' paragraph")
    return problems


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
        report.errors += shape_problems(e)
    return report
