"""The knowledge-base entry as plain data, and its validation rules.

One place decides what a valid entry is; the content loader, the CLI, the
store and the dashboard all call `validate_entry`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple

from branch.profile import PLACEHOLDER, PLACEHOLDER_KEYS
from core.language import LANGUAGES
from kb.citation import Citation, CitationError, citations_from
from kb.topics import ASPECTS, PROGRAMS, is_kb_topic, topics_by_code

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{2,79}$")
MAX_TITLE = 120
MAX_QUESTION = 300
# An answer must fit a phone screen or two; longer text belongs in a linked page.
MAX_ANSWER = 1500
MIN_QUESTIONS = {"id": 3, "en": 1}

_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_SQL = re.compile(
    r"(\b(drop|truncate|alter)\s+(table|database)\b|\bunion\s+(all\s+)?select\b|"
    r"\bdelete\s+from\b|\binsert\s+into\b|;\s*--|'\s*or\s+'?1'?\s*=\s*'?1)",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class EntryError(ValueError):
    """An entry breaks a rule; the message says which field and why."""


@dataclass
class Entry:
    id: str
    topic: str
    title: Dict[str, str]
    questions: Dict[str, List[str]]
    answer: Dict[str, str]
    citations: List[Citation]
    source: str = ""  # a note for staff: how the sources were read, their gaps
    programs: List[str] = field(default_factory=list)
    active: bool = True
    aspects: List[str] = field(default_factory=list)
    reviewed_at: Optional[dt.date] = None  # kb/freshness.py
    reviewed_by: str = ""
    reviewed_digest: str = ""  # the cited FAQ rows' fingerprint at that review

    def to_dict(self) -> Dict[str, Any]:
        data = asdict(self)
        data["citations"] = [c.to_dict() for c in self.citations]
        data["reviewed_at"] = self.reviewed_at.isoformat() if self.reviewed_at else None
        return data

    def text(self, lang: str) -> str:
        return self.answer.get(lang) or self.answer["id"]

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title["id"]


def _check_text(where: str, value: Any, max_len: int) -> str:
    if not isinstance(value, str):
        raise EntryError(f"{where}: must be text, got {type(value).__name__}")
    value = value.strip()
    if not value:
        raise EntryError(f"{where}: must not be empty")
    if len(value) > max_len:
        raise EntryError(f"{where}: {len(value)} characters, at most {max_len} allowed")
    if _CONTROL.search(value):
        raise EntryError(f"{where}: contains control characters (binary data?)")
    if _HTML.search(value):
        raise EntryError(f"{where}: looks like HTML markup; knowledge-base text must be plain text")
    if _SQL.search(value):
        raise EntryError(f"{where}: looks like an SQL statement; knowledge-base text must be plain text")
    unknown = sorted({m.group(1) for m in PLACEHOLDER.finditer(value)} - set(PLACEHOLDER_KEYS))
    if unknown:
        raise EntryError(f"{where}: unknown placeholder(s) {unknown}; known: {list(PLACEHOLDER_KEYS)}")
    return value


def _bilingual(where: str, value: Any, max_len: int) -> Dict[str, str]:
    if not isinstance(value, Mapping):
        raise EntryError(f"{where}: expected a mapping with 'id' and 'en' texts")
    unknown = set(value) - set(LANGUAGES)
    if unknown:
        raise EntryError(f"{where}: unknown language(s) {sorted(unknown)}; use 'id' and 'en'")
    return {lang: _check_text(f"{where}.{lang}", value.get(lang), max_len) for lang in LANGUAGES}


def _review(where: str, data: Mapping[str, Any]) -> Tuple[Optional[dt.date], str, str]:
    raw = data.get("reviewed_at")
    if raw in (None, ""):
        return None, "", ""
    try:
        at = raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw)[:10])
    except ValueError:
        raise EntryError(f"{where}: reviewed_at {raw!r} is not a date (YYYY-MM-DD)") from None
    by = data.get("reviewed_by")
    if not isinstance(by, str) or not by.strip() or len(by) > 100:
        raise EntryError(f"{where}: reviewed_by names who reviewed the entry (up to 100 characters)")
    digest = data.get("reviewed_digest") or ""
    if not isinstance(digest, str) or len(digest) > 16:
        raise EntryError(f"{where}: reviewed_digest must be a short fingerprint")
    return at, by.strip(), digest


def validate_entry(data: Mapping[str, Any]) -> Entry:
    """Return a clean Entry or raise EntryError naming the first broken rule."""
    if not isinstance(data, Mapping):
        raise EntryError("an entry must be a mapping of fields")
    known = {"id", "topic", "title", "questions", "answer", "citations", "source", "programs", "aspects", "active",
             "reviewed_at", "reviewed_by", "reviewed_digest"}
    unknown = set(data) - known
    if unknown:
        raise EntryError(f"unknown field(s) {sorted(unknown)}")
    entry_id = data.get("id")
    if not isinstance(entry_id, str) or not ID_PATTERN.match(entry_id):
        raise EntryError(f"id {entry_id!r}: use 3-80 lowercase letters, digits and dashes")
    where = f"entry {entry_id}"
    topic = data.get("topic")
    if not isinstance(topic, str) or not is_kb_topic(topic):
        hint = " (a dialogue topic, not answered from the knowledge base)" if topic in topics_by_code() else ""
        raise EntryError(f"{where}: unknown knowledge-base topic {topic!r}{hint}")
    title = _bilingual(f"{where}: title", data.get("title"), MAX_TITLE)
    answer = _bilingual(f"{where}: answer", data.get("answer"), MAX_ANSWER)
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, Mapping):
        raise EntryError(f"{where}: questions must map 'id' and 'en' to lists of question variants")
    questions: Dict[str, List[str]] = {}
    for lang in LANGUAGES:
        items = raw_questions.get(lang) or []
        if not isinstance(items, list):
            raise EntryError(f"{where}: questions.{lang} must be a list")
        cleaned = [_check_text(f"{where}: questions.{lang}[{i}]", q, MAX_QUESTION) for i, q in enumerate(items)]
        if len(cleaned) < MIN_QUESTIONS[lang]:
            raise EntryError(f"{where}: needs at least {MIN_QUESTIONS[lang]} question variant(s) in '{lang}'")
        lowered = [q.lower() for q in cleaned]
        dupes = sorted({q for q in lowered if lowered.count(q) > 1})
        if dupes:
            raise EntryError(f"{where}: duplicate question variant(s) {dupes}")
        questions[lang] = cleaned
    try:
        citations = citations_from(data.get("citations"))
    except CitationError as exc:
        raise EntryError(f"{where}: {exc}") from None
    raw_source = data.get("source")
    blank = raw_source is None or (isinstance(raw_source, str) and not raw_source.strip())
    source = "" if blank else _check_text(f"{where}: source", raw_source, 500)
    programs = data.get("programs") or []
    if not isinstance(programs, list) or any(p not in PROGRAMS for p in programs):
        raise EntryError(f"{where}: programs must be a list drawn from {list(PROGRAMS)}")
    aspects = data.get("aspects") or []
    if not isinstance(aspects, list) or any(a not in ASPECTS for a in aspects):
        raise EntryError(f"{where}: aspects must be a list drawn from {list(ASPECTS)}")
    if aspects and not programs:
        raise EntryError(f"{where}: aspects describe programs; set programs too")
    active = data.get("active", True)
    if not isinstance(active, bool):
        raise EntryError(f"{where}: active must be true or false")
    reviewed_at, reviewed_by, reviewed_digest = _review(where, data)
    return Entry(
        reviewed_at=reviewed_at, reviewed_by=reviewed_by, reviewed_digest=reviewed_digest,
        id=entry_id, topic=topic, title=title, questions=questions, answer=answer, citations=citations,
        source=source, programs=list(programs), active=active, aspects=list(dict.fromkeys(aspects)),
    )
