"""The knowledge-base entry form: HTML form fields <-> entry data, plus diffs of revisions.

Validation itself is `kb.entry.validate_entry` (one place decides what a valid entry is).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional

from kb.citation import Citation, CitationError, citations_from, format_lines
from kb.content import dump_entries
from kb.entry import Entry, validate_entry
from kb.topics import ASPECTS, PROGRAMS
from kb.validation import shape_problems

LANGS = ("id", "en")


def _lines(text: str) -> List[str]:
    return [line.strip() for line in (text or "").replace("\r", "").split("\n") if line.strip()]


def data_from_form(form) -> Dict[str, Any]:
    """Entry data from submitted fields (not yet validated)."""
    def field(name: str) -> str:
        return (form.get(name) or "").replace("\r\n", "\n").replace("\r", "\n").strip()

    return {
        "id": field("id").lower(),
        "topic": field("topic"),
        "title": {lang: field(f"title_{lang}") for lang in LANGS},
        "questions": {lang: _lines(form.get(f"questions_{lang}") or "") for lang in LANGS},
        "answer": {lang: field(f"answer_{lang}") for lang in LANGS},
        "citations": field("citations"),  # one per line; kb.citation parses and validates them
        "source": field("source"),
        "programs": [p for p in form.getlist("programs") if p in PROGRAMS],
        "aspects": [a for a in form.getlist("aspects") if a in ASPECTS],
        "active": False,
    }


def form_from_data(data: Mapping[str, Any]) -> Dict[str, Any]:
    """Template values for an entry (or entry-like data)."""
    return {
        "id": data.get("id") or "",
        "topic": data.get("topic") or "",
        **{f"title_{lang}": (data.get("title") or {}).get(lang, "") for lang in LANGS},
        **{f"questions_{lang}": "\n".join((data.get("questions") or {}).get(lang, [])) for lang in LANGS},
        **{f"answer_{lang}": (data.get("answer") or {}).get(lang, "") for lang in LANGS},
        "citations": format_lines(data.get("citations") or []),
        "source": data.get("source") or "",
        "programs": list(data.get("programs") or []),
        "aspects": list(data.get("aspects") or []),
    }


def _lenient_citations(data: Mapping[str, Any]) -> List[Citation]:
    try:
        return citations_from(data.get("citations") or [])
    except CitationError:
        return []


def preview_entry(data: Mapping[str, Any]) -> Entry:
    """A lenient Entry for the chat preview, even while the form is still incomplete."""
    answer = data.get("answer") or {}
    return Entry(id=data.get("id") or "draft", topic=data.get("topic") or "", title=dict(data.get("title") or {}),
                 questions=dict(data.get("questions") or {}),
                 answer={lang: answer.get(lang) or "" for lang in LANGS}, citations=_lenient_citations(data),
                 source=data.get("source") or "",
                 programs=list(data.get("programs") or []), active=False,
                 aspects=list(data.get("aspects") or []))


def snapshot_lines(snapshot: Optional[Mapping[str, Any]]) -> List[str]:
    """A revision as YAML lines (the format of the content files), for diffs."""
    if not snapshot:
        return []
    try:
        entry = validate_entry(dict(snapshot))
    except Exception:  # an old snapshot that no longer validates is still shown
        entry = Entry(**{k: snapshot.get(k) for k in ("id", "topic", "title", "questions", "answer", "source")},
                      citations=_lenient_citations(snapshot),
                      programs=list(snapshot.get("programs") or []), active=bool(snapshot.get("active", True)),
                      aspects=list(snapshot.get("aspects") or []))
    return dump_entries([entry]).splitlines()


@dataclass(frozen=True)
class DiffLine:
    kind: str  # add, del, hunk, same
    text: str


def diff(old: Optional[Mapping[str, Any]], new: Optional[Mapping[str, Any]]) -> List[DiffLine]:
    lines = []
    for line in difflib.unified_diff(snapshot_lines(old), snapshot_lines(new), "sebelumnya", "revisi ini",
                                     lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        lines.append(DiffLine(kind, line))
    return lines


def shape_notes(data: Mapping[str, Any]) -> List[str]:
    """What the answer's shape still lacks (kb/validation.py), for the languages already written."""
    entry = preview_entry(data)
    written = [lang for lang in LANGS if entry.answer.get(lang)]
    return [p for p in shape_problems(entry) if any(f": {lang} answer" in p for lang in written)]
