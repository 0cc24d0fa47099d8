"""Rasa's NLU result read in the knowledge base's terms: topics instead of intent names.

The same shape arrives from the tracker's latest message (the action server) and from
`/model/parse` (the rewritten questions of the planner, the evaluation). Plain Python:
the action server imports it without loading Rasa.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

from kb.answering import NluSignal
from rasa_ext.intents import topic_for_intent

Ranking = List[Tuple[str, float]]


def intent_reading(parsed: Dict[str, Any]) -> Tuple[Optional[str], float, Ranking]:
    """Intent, confidence and ranking of a parse result; a payload's lone intent is its own ranking."""
    intent = (parsed.get("intent") or {}).get("name")
    confidence = float((parsed.get("intent") or {}).get("confidence") or 0.0)
    ranking = [(r.get("name"), float(r.get("confidence") or 0.0)) for r in parsed.get("intent_ranking") or []
               if r.get("name")]
    return intent, confidence, ranking or ([(intent, confidence)] if intent else [])


def entity_values(parsed: Dict[str, Any], name: str) -> Tuple[str, ...]:
    return tuple(str(e.get("value")) for e in parsed.get("entities") or []
                 if e.get("entity") == name and e.get("value") is not None)


def nlu_signal(intent: Optional[str], confidence: float, ranking: Sequence[Tuple[str, float]],
               programs: Sequence[str] = ()) -> NluSignal:
    """The classifier's reading as topics; intents that stand for no topic (affirm, nlu_fallback) drop out of
    the ranking, but the reading still counts as the classifier's."""
    topics = [(topic, float(conf)) for topic, conf in ((topic_for_intent(i), c) for i, c in ranking) if topic]
    return NluSignal(topic=topic_for_intent(intent), confidence=float(confidence), ranking=tuple(topics),
                     programs=tuple(programs), classified=bool(ranking))


def parsed_signal(parsed: Dict[str, Any]) -> NluSignal:
    """A parse result (Rasa's /model/parse answer) as the knowledge base takes it."""
    intent, confidence, ranking = intent_reading(parsed)
    return nlu_signal(intent, confidence, ranking, entity_values(parsed, "program"))
