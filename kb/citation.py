"""An entry's sources as structured citations, and the source line participants read.

Kinds (YAML form; the dashboard edits one per line, see `parse_lines`):

- `{faq: [247, "267-270"]}`: data rows (1-based) of the official FAQ
  (../shared/data/bpjstk-official-faq/ketenagakerjaan_clean.csv);
- `{regulation: "PP 46/2015", article: "Pasal 31", excerpt: "..."}`;
- `{url: "https://...", title: "...", excerpt: "..."}`: an official article or a news page;
- `{facts: 13}`: a section of the project's facts file (shared/kb/FACTS.md), for staff and the
  grounding check only; participants never see it;
- `{branch: true}`: the branch profile (the {{branch.*}} placeholders).

Participants read the public ones by name ("FAQ resmi BPJS Ketenagakerjaan (bpjsketenagakerjaan.go.id)",
"PP 46/2015 Pasal 31", a news site by its domain); row numbers, sections and excerpts stay with staff.
The entry's free-text `source` field is a note for staff (how a source was read, its gaps).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Sequence, Tuple
from urllib.parse import urlparse

import texts

KINDS = ("faq", "regulation", "url", "facts", "branch")
OFFICIAL_SITE = "bpjsketenagakerjaan.go.id"
MAX_EXCERPT = 600
_ROW_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+))?\s*$")
_REGULATION = re.compile(r"^(PP|UU|Perpres|Permenaker|Permen\w*|Kepmen\w*|SKB)\s+(No\.?\s*)?[\d.]+/\d{4}$",
                         re.IGNORECASE)


class CitationError(ValueError):
    """A citation breaks a rule; the message says which and why."""


@dataclass(frozen=True)
class Citation:
    kind: str
    rows: Tuple[int, ...] = ()  # faq
    name: str = ""  # regulation name or page title
    article: str = ""  # regulation article, e.g. "Pasal 31"
    url: str = ""
    excerpt: str = ""  # the words a number in an answer is checked against
    section: int = 0  # facts

    @property
    def public(self) -> bool:
        return self.kind != "facts"

    def to_dict(self) -> Dict[str, Any]:
        if self.kind == "faq":
            return {"faq": _compact_rows(self.rows)}
        if self.kind == "facts":
            return {"facts": self.section}
        if self.kind == "branch":
            return {"branch": True}
        out: Dict[str, Any] = {"regulation": self.name} if self.kind == "regulation" else {"url": self.url,
                                                                                           "title": self.name}
        if self.kind == "regulation" and self.article:
            out["article"] = self.article
        if self.kind == "regulation" and self.url:
            out["url"] = self.url
        if self.excerpt:
            out["excerpt"] = self.excerpt
        return out

    def readable(self, lang: str) -> str:
        if self.kind == "faq":
            return texts.say("participant.citation.faq", lang)
        if self.kind == "branch":
            return texts.say("participant.citation.branch", lang)
        if self.kind == "regulation":
            return f"{self.name} {self.article}".strip()
        if self.kind == "url":
            host = _host(self.url)
            if host.endswith(OFFICIAL_SITE):
                return texts.say("participant.citation.article", lang)
            return texts.say("participant.citation.news", lang, sites=host)
        return ""


def _host(url: str) -> str:
    host = (urlparse(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _rows(value: Any) -> Tuple[int, ...]:
    items = value if isinstance(value, list) else str(value).split(",")
    rows: List[int] = []
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool):
            rows.append(item)
            continue
        match = _ROW_RANGE.match(str(item))
        if not match:
            raise CitationError(f"faq rows: {item!r} is not a row number or a range like 267-270")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first or last - first > 50:
            raise CitationError(f"faq rows: range {item!r} is reversed or too wide")
        rows += range(first, last + 1)
    if not rows or min(rows) < 1:
        raise CitationError("faq: give at least one row number (1-based data rows of the official FAQ)")
    return tuple(sorted(set(rows)))


def _compact_rows(rows: Sequence[int]) -> List[Any]:
    out: List[Any] = []
    ordered = sorted(rows)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        out.append(ordered[i] if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return out


def _text(value: Any, what: str, max_len: int, required: bool = True) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise CitationError(f"{what} must not be empty")
    if len(text) > max_len:
        raise CitationError(f"{what}: {len(text)} characters, at most {max_len}")
    return text


def _url(value: Any) -> str:
    url = _text(value, "url", 400)
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise CitationError(f"url {url!r}: give a full http(s) address")
    return url


def citation_from(data: Any) -> Citation:
    if not isinstance(data, Mapping):
        raise CitationError(f"a citation is a mapping such as {{faq: [247]}}, got {data!r}")
    kinds = [k for k in KINDS if k in data]
    if len(kinds) != 1:
        raise CitationError(f"a citation names exactly one of {list(KINDS)}, got {sorted(data)}")
    kind = kinds[0]
    allowed = {"faq": {"faq"}, "facts": {"facts"}, "branch": {"branch"},
               "regulation": {"regulation", "article", "excerpt", "url"},
               "url": {"url", "title", "excerpt"}}[kind]
    unknown = set(data) - allowed
    if unknown:
        raise CitationError(f"{kind} citation: unknown field(s) {sorted(unknown)}")
    excerpt = _text(data.get("excerpt"), "excerpt", MAX_EXCERPT, required=False)
    if kind == "faq":
        return Citation("faq", rows=_rows(data["faq"]))
    if kind == "facts":
        try:
            section = int(data["facts"])
        except (TypeError, ValueError):
            raise CitationError(f"facts: {data['facts']!r} is not a section number") from None
        return Citation("facts", section=section)
    if kind == "branch":
        return Citation("branch")
    if kind == "regulation":
        name = _text(data["regulation"], "regulation", 80)
        if not _REGULATION.match(name):
            raise CitationError(f"regulation {name!r}: write it as e.g. 'PP 46/2015' or 'Permenaker 4/2022'")
        return Citation("regulation", name=name, article=_text(data.get("article"), "article", 60, required=False),
                        url=_url(data["url"]) if data.get("url") else "", excerpt=excerpt)
    return Citation("url", url=_url(data["url"]), name=_text(data.get("title"), "title", 200), excerpt=excerpt)


def citations_from(value: Any) -> List[Citation]:
    """Validated citations (a list of mappings, or the dashboard's lines); at least one participants can read."""
    if isinstance(value, str):
        value = parse_lines(value)
    if not isinstance(value, list) or not value:
        raise CitationError("citations: give a list with at least one source (e.g. - faq: [247])")
    citations = [citation_from(item) for item in value]
    if not any(c.public for c in citations):
        raise CitationError("citations: add a source participants can read (faq, regulation, url or branch); "
                            "a FACTS.md section alone is for staff")
    return citations


def public_source(citations: Sequence[Citation], lang: str) -> str:
    """The source line participants read, e.g. 'FAQ resmi BPJS Ketenagakerjaan (bpjsketenagakerjaan.go.id); PP 46/2015'."""
    readable: List[str] = []
    for c in citations:
        text = c.readable(lang)
        if text and text not in readable:
            readable.append(text)
    return "; ".join(readable)


# ---- the dashboard's one-citation-per-line form --------------------------------
def format_lines(citations: Sequence[Any]) -> str:
    """The dashboard's lines for citations (Citation objects or their mappings; text is kept as it is)."""
    if isinstance(citations, str):
        return citations
    lines = []
    for item in citations:
        try:
            c = item if isinstance(item, Citation) else citation_from(item)
        except CitationError:
            continue
        if c.kind == "faq":
            lines.append("faq: " + ", ".join(str(r) for r in _compact_rows(c.rows)))
        elif c.kind == "facts":
            lines.append(f"facts: {c.section}")
        elif c.kind == "branch":
            lines.append("branch")
        elif c.kind == "regulation":
            lines.append(" | ".join(["regulation: " + c.name, c.article, c.excerpt]).rstrip(" |"))
        else:
            lines.append(" | ".join(["url: " + c.url, c.name, c.excerpt]).rstrip(" |"))
    return "\n".join(lines)


def parse_lines(text: str) -> List[Dict[str, Any]]:
    """Citation mappings from 'faq: 247, 267-270', 'regulation: PP 46/2015 | Pasal 31 | excerpt',
    'url: https://... | title | excerpt', 'facts: 13' and 'branch' lines (validated later)."""
    out: List[Dict[str, Any]] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        kind, _, rest = line.partition(":")
        kind = kind.strip().lower()
        if kind == "branch" or line.lower() == "branch":
            out.append({"branch": True})
        elif kind == "faq":
            out.append({"faq": [p.strip() for p in rest.split(",") if p.strip()]})
        elif kind == "facts":
            out.append({"facts": rest.strip()})
        elif kind in ("regulation", "url"):
            fields = [p.strip() for p in rest.split("|")]
            second = "article" if kind == "regulation" else "title"
            item: Dict[str, Any] = {kind: fields[0]}
            if len(fields) > 1 and fields[1]:
                item[second] = fields[1]
            if len(fields) > 2 and fields[2]:
                item["excerpt"] = " | ".join(fields[2:])
            out.append(item)
        else:
            raise CitationError(f"citation line {line!r}: start with faq:, regulation:, url:, facts: or branch")
    return out
