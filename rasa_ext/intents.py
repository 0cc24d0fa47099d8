"""Rasa's intent names for the topics of kb/topics.yml.

Knowledge topics are intents `kb_<code with dots as underscores>`; dialogue topics
(greet, complaint, out_of_scope, ...) are intents with exactly their code (DESIGN.md).
The other intents (affirm, deny, menu, set_language, request_ticket) and Rasa's own
`nlu_fallback` stand for no topic. Plain Python, so that the action server, the
gateway and the scripts use it without loading Rasa.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Dict, List, Optional

from kb.topics import Topic, load_topics, topics_by_code

KB_INTENT_PREFIX = "kb_"
FALLBACK_INTENT = "nlu_fallback"  # Rasa's FallbackClassifier: nothing understood


def _intent_of(topic: Topic) -> str:
    return KB_INTENT_PREFIX + topic.code.replace(".", "_") if topic.kind == "kb" else topic.code


def intent_for_topic(code: str) -> str:
    return _intent_of(topics_by_code()[code])


def kb_intents() -> List[str]:
    """One intent per knowledge topic, in the order of kb/topics.yml."""
    return [_intent_of(t) for t in load_topics() if t.kind == "kb"]


@lru_cache(maxsize=1)
def _intent_index() -> Dict[str, str]:
    return {_intent_of(t): t.code for t in load_topics()}


def topic_for_intent(intent: Optional[str]) -> Optional[str]:
    """The topic code an intent stands for, or None (e.g. affirm, nlu_fallback)."""
    return _intent_index().get(intent or "")


def is_kb_intent(intent: Optional[str]) -> bool:
    topic = topic_for_intent(intent)
    return topic is not None and topics_by_code()[topic].kind == "kb"


def dialogue_intent(intent: Optional[str]) -> Optional[str]:
    """The intent as the conversation planner acts on it: a dialogue intent (greet, affirm, complaint, ...),
    or None when it stands for a knowledge topic (the planner reads those as topics) or nothing understood."""
    if intent is None or intent == FALLBACK_INTENT or is_kb_intent(intent):
        return None
    return intent
