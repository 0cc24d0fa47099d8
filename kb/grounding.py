"""Grounding check: every number, amount, percentage, deadline, phone number, URL and e-mail in an
answer must appear in a source the entry cites.

Sources: the official FAQ rows it cites (read from the shared data folder), the FACTS.md sections it
cites, and the excerpts stored with its regulation and URL citations. Numbers are compared by value
("Rp15 juta" = "Rp 15.000.000", "5,7%" = "5.7%"), so wording may differ but the figure may not.
Numbered-list markers and {{branch.*}} placeholders (filled from the branch profile) are not facts.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Set

from branch.profile import PLACEHOLDER
from kb.citation import Citation
from kb.entry import Entry

FAQ_CSV = Path("data") / "bpjstk-official-faq" / "ketenagakerjaan_clean.csv"  # under the shared directory
FACTS_MD = Path("kb") / "FACTS.md"  # under the shared directory

_URL = re.compile(r"https?://[^\s)]+|\b(?:[a-z0-9-]+\.)+(?:go\.id|co\.id|or\.id|ac\.id|id|com|org|net)\b(?:/[^\s)]*)?",
                  re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<![\d.,])(?:\+62[\s-]?|0)\d{2,4}(?:[\s-]?\d{2,5}){1,3}(?![\d.,]*\d)")
_NUMBER = re.compile(r"(?<!\d)(?<!\d[.,])(\d+(?:[.,]\d+)*)(?:\s*(juta|ribu|miliar|million|thousand|billion))?", re.IGNORECASE)
_LIST_MARKER = re.compile(r"^(\s*)\d{1,2}[.)](?=\s)", re.MULTILINE)
_MULTIPLIER = {"ribu": 1e3, "thousand": 1e3, "juta": 1e6, "million": 1e6, "miliar": 1e9, "billion": 1e9}


@dataclass
class GroundingReport:
    checked: int = 0
    unsupported: Dict[str, List[str]] = field(default_factory=dict)  # entry id -> "lang: token" lines
    unavailable: str = ""  # why sources could not be read (../shared absent)

    @property
    def ok(self) -> bool:
        return not self.unsupported and not self.unavailable


def _values(digits: str) -> Set[float]:
    """Every value a written number can mean: '15.000' is 15000 (Indonesian) or 15.0, '5,7' is 5.7 or 57."""
    out: Set[float] = set()
    plain = digits.replace(".", "").replace(",", "")
    out.add(float(plain))
    for sep in (".", ","):
        head, _, tail = digits.rpartition(sep)
        if head and tail.isdigit():
            try:
                out.add(float(head.replace(".", "").replace(",", "") + "." + tail))
            except ValueError:
                pass
    return out


def number_values(text: str) -> Set[float]:
    values: Set[float] = set()
    for match in _NUMBER.finditer(text):
        base = _values(match.group(1))
        values |= base
        if match.group(2):
            values |= {v * _MULTIPLIER[match.group(2).lower()] for v in base}
    return values


def _strip(text: str) -> str:
    text = PLACEHOLDER.sub(" ", text)
    return _LIST_MARKER.sub(r"\1", text)


def _address(token: str) -> str:
    token = token.lower().rstrip(".,;:")
    token = re.sub(r"^https?://", "", token)
    return token[4:] if token.startswith("www.") else token


def claims(text: str) -> List[str]:
    """The checkable tokens of an answer, in order: URLs, e-mails, then numbers (with their unit word)."""
    text = _strip(text)
    found: List[str] = []
    for pattern in (_EMAIL, _URL, _PHONE):
        for match in pattern.finditer(text):
            found.append(match.group(0).rstrip(".,;:"))
        text = pattern.sub(" ", text)
    found += [m.group(0) for m in _NUMBER.finditer(text)]
    return found


def _digits(text: str) -> str:
    return re.sub(r"(?<=\d)[\s-](?=\d)", "", text)


def _supported(token: str, corpus: str, values: FrozenSet[float]) -> bool:
    if _PHONE.fullmatch(token):
        return _digits(token).lstrip("+") in _digits(corpus)
    if "@" in token or not token[0].isdigit():
        return _address(token).split("/")[0] in corpus
    return bool(number_values(token) & values)


def load_faq_rows(shared_dir: Path) -> Optional[Dict[int, str]]:
    """The official FAQ's rows (question and answer) by 1-based row number, or None when the dump is absent."""
    path = Path(shared_dir) / FAQ_CSV
    return _faq_rows(str(path)) if path.exists() else None


@lru_cache(maxsize=4)
def _faq_rows(path: str) -> Dict[int, str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return {i: f"{r.get('question', '')}\n{r.get('answer', '')}" for i, r in enumerate(csv.DictReader(handle), 1)}


@lru_cache(maxsize=4)
def _facts_sections(path: str) -> Dict[int, str]:
    sections: Dict[int, str] = {}
    current: Optional[int] = None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^##\s+(\d+)\.", line)
        if heading:
            current = int(heading.group(1))
        elif line.startswith("## "):
            current = None
        if current is not None:
            sections[current] = sections.get(current, "") + line + "\n"
    return sections


class SourceTexts:
    """The texts citations point at, read from the shared data folder."""

    def __init__(self, shared_dir: Path):
        self.faq_path = Path(shared_dir) / FAQ_CSV
        self.facts_path = Path(shared_dir) / FACTS_MD

    def missing(self) -> str:
        absent = [str(p) for p in (self.faq_path, self.facts_path) if not p.exists()]
        return f"sources not found: {', '.join(absent)} (../shared is absent)" if absent else ""

    def text_of(self, citations: Sequence[Citation]) -> str:
        rows = _faq_rows(str(self.faq_path))
        sections = _facts_sections(str(self.facts_path))
        parts: List[str] = []
        for c in citations:
            if c.kind == "faq":
                parts += [rows.get(r, "") for r in c.rows]
            elif c.kind == "facts":
                parts.append(sections.get(c.section, ""))
            parts.append(" ".join(x for x in (c.name, c.article, c.url, c.excerpt) if x))
        return "\n".join(parts)

    def unknown_citations(self, citations: Sequence[Citation]) -> List[str]:
        rows = _faq_rows(str(self.faq_path))
        sections = _facts_sections(str(self.facts_path))
        out = [f"FAQ row {r} does not exist" for c in citations if c.kind == "faq" for r in c.rows if r not in rows]
        out += [f"FACTS.md section {c.section} does not exist" for c in citations
                if c.kind == "facts" and c.section not in sections]
        return out


def unsupported_claims(entry: Entry, sources: SourceTexts) -> List[str]:
    corpus = sources.text_of(entry.citations)
    lowered = corpus.lower()
    values = frozenset(number_values(corpus))
    problems = sources.unknown_citations(entry.citations)
    for lang, answer in entry.answer.items():
        for token in dict.fromkeys(claims(answer)):
            if not _supported(token, lowered, values):
                problems.append(f"{lang}: {token!r}")
    return problems


def check_grounding(entries: Iterable[Entry], shared_dir: Path) -> GroundingReport:
    sources = SourceTexts(shared_dir)
    report = GroundingReport(unavailable=sources.missing())
    if report.unavailable:
        return report
    for entry in entries:
        report.checked += 1
        problems = unsupported_claims(entry, sources)
        if problems:
            report.unsupported[entry.id] = problems
    return report
