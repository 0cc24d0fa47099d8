"""FAQ gaps: what the questions the assistant could not answer point to in the knowledge base.

For an unresolved question, the nearest active entry by the same search the assistant uses: below the
clarify threshold no entry covers it (write one); above it an entry does, but the participant's wording
did not reach it (add the question as a variant of that entry, or check its answer). For a topic with
unresolved signals (unhelpful answers, clarifications, tickets), its active entries and which signal
dominates: no entry, answers judged unhelpful, too many cases to choose from, or escalations to staff.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from kb.search import Calibration, SearchIndex

NO_ENTRY, WORDING, UNHELPFUL, AMBIGUOUS, ESCALATED = "no_entry", "wording", "unhelpful", "ambiguous", "escalated"


@dataclass(frozen=True)
class QuestionGap:
    text: str
    count: int
    gap: str  # no_entry or wording
    entry_id: Optional[str] = None  # the nearest entry
    topic: Optional[str] = None
    score: Optional[float] = None  # calibrated, 0..1


@dataclass(frozen=True)
class TopicGap:
    topic: Optional[str]
    entries: int  # active entries on the topic
    not_helpful: int
    clarified: int
    tickets: int
    gap: str  # no_entry, unhelpful, ambiguous or escalated

    @property
    def total(self) -> int:
        return self.not_helpful + self.clarified + self.tickets


def question_gaps(index: SearchIndex, questions: Sequence[Tuple[str, int]],
                  calibration: Optional[Calibration] = None) -> List[QuestionGap]:
    """Each (question, times asked) with its nearest entry and the gap it points to."""
    threshold = (calibration or Calibration.load()).clarify_threshold
    out = []
    for text, count in questions:
        best = next(iter(index.search(text, limit=1)), None)
        if best is None or best.score < threshold:
            out.append(QuestionGap(text, count, NO_ENTRY, best.entry_id if best else None,
                                   best.topic if best else None, best.score if best else None))
        else:
            out.append(QuestionGap(text, count, WORDING, best.entry_id, best.topic, best.score))
    return out


def topic_gaps(signals: Sequence[Tuple[Optional[str], int, int, int]], entries_per_topic: Dict[str, int]) -> List[TopicGap]:
    """(topic, not helpful, clarified, tickets) per topic, with its active entries and dominant gap."""
    out = []
    for topic, not_helpful, clarified, tickets in signals:
        entries = entries_per_topic.get(topic or "", 0)
        if not entries:
            gap = NO_ENTRY
        else:
            gap = max(((not_helpful, UNHELPFUL), (clarified, AMBIGUOUS), (tickets, ESCALATED)), key=lambda s: s[0])[1]
        out.append(TopicGap(topic, entries, not_helpful, clarified, tickets, gap))
    return out
