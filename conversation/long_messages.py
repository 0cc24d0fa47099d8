"""Long real messages: split into sentences and find the main problem.

Participants write several sentences that mix praise, venting and one or more concrete
problems ("aplikasinya bagus, tapi sejak update tidak bisa login. 175 juga susah
dihubungi!!"). The main problem is the sentence with a concrete failure that the
knowledge base knows best; praise and venting are never it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional

from conversation.reading import is_question, names_failure, praise_or_venting
from kb.search import Candidate, SearchIndex

# A sentence and the punctuation that ends it ("...ga ya?" keeps its question mark).
_SENTENCES = re.compile(r"[^.!?…;\n]+(?:[.!?…;]+(?=\s|[A-Za-z\"'(]|$)|$)|[^\n]+?(?=\n|$)")
_CLAUSES = re.compile(r",\s*|\s+(?=(?:tapi|tp|tpi|namun|padahal|pdhl|but|however|terus|trus|lalu|dan juga)\b)",
                      re.IGNORECASE)
MIN_WORDS = 12  # shorter messages are one question
MAX_PART_WORDS = 22  # longer sentences are split at commas and "tapi" / "padahal"
MIN_CLAUSE_WORDS = 6  # when clauses are asked for, shorter sentences stay whole
MIN_PART_TOKENS = 2


@dataclass(frozen=True)
class Part:
    text: str
    failure: bool  # names a concrete failure
    praise: bool  # praise or venting without a failure
    question: bool  # asks something ("kira2 sy termasuk yg bisa dapet ga ya")
    best: Optional[Candidate]  # what the knowledge base knows best about it

    @property
    def score(self) -> float:
        """How likely this part is the problem to answer."""
        base = self.best.score if self.best else 0.0
        return base + (0.12 if self.failure else 0.0) + (0.2 if self.question else 0.0) - (0.3 if self.praise else 0.0)


def _words(text: str) -> int:
    return len(text.split())


def split(text: str, clauses: bool = False) -> List[str]:
    """Sentences, and long sentences (`clauses`: every sentence) cut at commas and contrast words."""
    parts: List[str] = []
    for sentence in _SENTENCES.findall(text or ""):
        sentence = sentence.strip(" ,.;-\"'")
        if not sentence:
            continue
        if _words(sentence) <= (MIN_CLAUSE_WORDS if clauses else MAX_PART_WORDS):
            parts.append(sentence)
            continue
        chunk: List[str] = []
        for clause in _CLAUSES.split(sentence):
            chunk.append(clause.strip())
            if _words(" ".join(chunk)) >= 6:
                parts.append(" ".join(chunk))
                chunk = []
        if chunk:
            if parts and _words(" ".join(chunk)) < 4:
                parts[-1] = f"{parts[-1]} {' '.join(chunk)}"
            else:
                parts.append(" ".join(chunk))
    return [p for p in parts if p]


def is_long(text: str) -> bool:
    return _words(text or "") >= MIN_WORDS and len(split(text)) >= 2


def parts_of(text: str, index: SearchIndex, clauses: bool = False) -> List[Part]:
    """The message's parts with what the knowledge base makes of each, most problem-like first."""
    out = []
    for piece in split(text, clauses):
        if len(index.tokens(piece)) < MIN_PART_TOKENS:
            continue
        found = index.search(piece, limit=1)
        failure = names_failure(piece)
        out.append(Part(piece, failure, praise_or_venting(piece) and not failure, is_question(piece),
                        found[0] if found else None))
    return sorted(out, key=lambda p: -p.score)
