"""Resolving a follow-up against the conversation: (program, aspect) is a lookup, not a guess.

"dokumennya apa aja?" after a JHT answer asks for (JHT, documents); "and for JKP?"
after a JHT eligibility answer asks for (JKP, eligibility); "kenapa?" asks for more
about the topic just answered. Entries carry `programs` and `aspects` (kb/entry.py),
so these are lookups; several entries for one pair are ranked by the conversation's
words (the earlier question and the follow-up together).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence

from kb.entry import Entry
from kb.search import SearchIndex

PRIMARY_BONUS = 0.08  # an entry mainly about the program beats one that also mentions it
CLEAR_MARGIN = 0.06  # below this the best two entries are too close to choose between


@dataclass(frozen=True)
class Ranked:
    entry: Entry
    score: float


def entries_for(index: SearchIndex, program: str, aspect: str, primary_only: bool = False) -> List[Entry]:
    """Active entries about `aspect` of `program`, those mainly about the program first
    (`primary_only`: only those, when any, e.g. after the participant switched to this program)."""
    found = [e for e in index.entries if program in e.programs and aspect in e.aspects]
    primary = [e for e in found if e.programs[0] == program]
    if primary_only and primary:
        return sorted(primary, key=lambda e: e.id)
    return sorted(found, key=lambda e: (e.programs[0] != program, e.id))


def shared(entry: Entry) -> bool:
    """An entry of a topic shared by the programs (claim times, claim status, registering), not one program's."""
    return entry.topic.split(".")[0].upper() not in entry.programs


def covers(entry: Entry, program: str, aspect: str) -> bool:
    """An entry of a shared topic that covers `program`'s `aspect`."""
    return shared(entry) and program in entry.programs and aspect in entry.aspects


def rank(index: SearchIndex, entries: Sequence[Entry], text: str, program: Optional[str] = None) -> List[Ranked]:
    """`entries` ordered by how well they fit `text` (search restricted to them), best first."""
    if not entries:
        return []
    scores = {c.entry_id: c.score for c in index.search(text, limit=len(entries), entry_ids=[e.id for e in entries])}
    ranked = [Ranked(e, scores.get(e.id, 0.0) + (PRIMARY_BONUS if program and e.programs[:1] == [program] else 0.0))
              for e in entries]
    return sorted(ranked, key=lambda r: (-r.score, r.entry.id))


def clear_winner(ranked: Sequence[Ranked], margin: float = CLEAR_MARGIN) -> Optional[Entry]:
    if not ranked:
        return None
    if len(ranked) == 1 or ranked[0].score - ranked[1].score >= margin:
        return ranked[0].entry
    return None


def program_of(entry: Entry, mentioned: Sequence[str] = (), previous: Optional[str] = None) -> Optional[str]:
    """The program a conversation is about after answering `entry`."""
    for program in mentioned:
        if program in entry.programs:
            return program
    if previous and previous in entry.programs and len(entry.programs) > 1:
        return previous
    if entry.programs and not (shared(entry) and len(entry.programs) > 1):
        return entry.programs[0]
    # JMO and service entries name no program, and registering as a BPU member is about no one program
    # ("syarat umurnya?" then is not JKK's): the conversation's stays.
    return previous
