"""Topic codes (kb/topics.yml): knowledge topics answered from entries, dialogue topics handled by the
conversation. How a classifier names them is its adapter's business (for Rasa: rasa_ext/).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

TOPICS_FILE = Path(__file__).resolve().parent / "topics.yml"
# The dialogue topic of a message that is not this agency's matter.
OUT_OF_SCOPE_TOPIC = "out_of_scope"
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
