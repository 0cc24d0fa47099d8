"""What participants read as an answer's source, made from the entry's `source` field.

The `source` field is written for staff and admins: FAQ row numbers, where a regulation was read,
notes on gaps ("no official error-code list found"). Participants get the readable part only: the
official FAQ by name and address, regulation names, an official article, the branch's own data,
news sites by name. Row numbers and notes stay in the dashboard. A source whose readable part is
empty is a validation error (kb/entry.py): every answer names a source participants can check.
"""
from __future__ import annotations

import re
from typing import List

import texts

_REGULATION = re.compile(r"^((?:PP|UU|Perpres|Permenaker|Permen\w*|Kepmen\w*|SKB)\s+(?:No\.?\s*)?\d+/\d{4}"
                         r"(?:\s+Pasal\s+\d+)?)", re.IGNORECASE)
_DOMAIN = re.compile(r"\b((?:[a-z0-9-]+\.)+(?:com|id|org|net))\b")
OFFICIAL_SITE = "bpjsketenagakerjaan.go.id"


def parts(source: str) -> List[str]:
    """The `;`-separated citations of a source field (a `;` inside parentheses does not split)."""
    out, depth, current = [], 0, ""
    for ch in source:
        depth += (ch == "(") - (ch == ")")
        if ch == ";" and depth == 0:
            out.append(current.strip())
            current = ""
        else:
            current += ch
    out.append(current.strip())
    return [p for p in out if p]


def _readable(part: str, lang: str) -> List[str]:
    lowered = part.lower()
    if lowered.startswith(f"{OFFICIAL_SITE} faq"):
        return [texts.say("participant.citation.faq", lang)]
    if lowered.startswith(f"{OFFICIAL_SITE} article"):
        return [texts.say("participant.citation.article", lang)]
    if lowered.startswith("branch profile"):
        return [texts.say("participant.citation.branch", lang)]
    regulation = _REGULATION.match(part)
    if regulation:
        return [regulation.group(1)]
    sites = [d for d in dict.fromkeys(_DOMAIN.findall(lowered)) if not d.endswith(OFFICIAL_SITE)]
    if sites:
        return [texts.say("participant.citation.news", lang, sites=", ".join(sites))]
    return []  # a note for staff ("no official ... found", "derived from ...")


def public_source(source: str, lang: str) -> str:
    """The source line participants read, e.g. 'FAQ resmi BPJS Ketenagakerjaan (bpjsketenagakerjaan.go.id); PP 46/2015'."""
    readable: List[str] = []
    for part in parts(source):
        readable += [r for r in _readable(part, lang) if r not in readable]
    return "; ".join(readable)
