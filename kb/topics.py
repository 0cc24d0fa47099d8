"""Topic codes (kb/topics.yml) and their mapping to Rasa intent names.

Knowledge topics map to intents `kb_<code with dots as underscores>`; dialogue
topics (greet, complaint, ...) are intents with exactly their code.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

TOPICS_FILE = Path(__file__).resolve().parent / "topics.yml"
KB_INTENT_PREFIX = "kb_"
PROGRAMS = ("JHT", "JKK", "JKM", "JP", "JKP")
# What an entry says about its programs, so a follow-up ("dokumennya?", "and for JKP?")
# is a (program, aspect) lookup. Admins set them per entry; most entries have one.
ASPECTS = {
    "eligibility": "who may claim and when",
    "documents": "documents / requirements to submit",
    "apply": "how and where to apply, the steps",
    "online": "applying online (JMO, Lapak Asik, SIAPkerja)",
    "duration": "how long it takes, deadlines",
    "amount": "benefits and amounts",
    "status": "following up a claim in process",
}


@dataclass(frozen=True)
class Topic:
    code: str
    kind: str  # "kb" or "dialogue"
    about: str

    @property
    def group(self) -> str:
        """The part before the dot: jht, jkk, jmo, service, ..."""
        return self.code.split(".", 1)[0]

    @property
    def intent(self) -> str:
        return KB_INTENT_PREFIX + self.code.replace(".", "_") if self.kind == "kb" else self.code


@lru_cache(maxsize=4)
def load_topics(path: Path = TOPICS_FILE) -> Tuple[Topic, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(Topic(code=t["code"], kind=t["kind"], about=t.get("about", "")) for t in data["topics"])


def topics_by_code() -> Dict[str, Topic]:
    return {t.code: t for t in load_topics()}


def kb_topic_codes() -> List[str]:
    return [t.code for t in load_topics() if t.kind == "kb"]


def is_kb_topic(code: str) -> bool:
    topic = topics_by_code().get(code)
    return topic is not None and topic.kind == "kb"


def intent_for_topic(code: str) -> str:
    return topics_by_code()[code].intent


@lru_cache(maxsize=1)
def _intent_index() -> Dict[str, str]:
    return {t.intent: t.code for t in load_topics()}


def topic_for_intent(intent: Optional[str]) -> Optional[str]:
    """The topic code an intent stands for, or None (e.g. affirm, nlu_fallback)."""
    return _intent_index().get(intent or "")
