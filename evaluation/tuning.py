"""Tune the answer/clarify/fallback thresholds (kb/fusion.json) on a development set.

The development set is the held-out NLU file (tests/nlu/heldout.yml) plus the
unrelated messages of tests/kb/unrelated.yml as out-of-scope examples: their
messages were never trained on, so the classifier's confidences are realistic.
The knowledge-base paraphrases and the team evaluation set stay untouched for
testing. Objective: the most right answers while wrong answers stay at or below
MAX_WRONG (a wrong answer misleads; a clarification or a ticket does not); ties
go to fewer wrong answers.
"""
from __future__ import annotations

import itertools
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import requests

from evaluation.datasets import development_set
from kb.answering import ANSWER, CLARIFY, FUSION_FILE, OUT_OF_SCOPE, FusionConfig, NluSignal, decide
from kb.content import read_entries
from kb.topics import OUT_OF_SCOPE_TOPIC
from kb.search import SearchIndex
from rasa_ext.intents import FALLBACK_INTENT, is_kb_intent, topic_for_intent
from rasa_ext.nlu_result import intent_reading, parsed_signal

MAX_WRONG = 0.025
MAX_OUT_OF_SCOPE_ANSWERED = 0.03


class CachedIndex:
    """A SearchIndex whose results are memoised, so a grid search does each search once."""

    def __init__(self, index: SearchIndex):
        self._index = index
        self.entries = index.entries
        self.normalizer = index.normalizer
        self.calibration = index.calibration
        self._search = lru_cache(maxsize=None)(self._uncached)

    def _uncached(self, text, limit, topics):
        return self._index.search(text, limit=limit, topics=list(topics) if topics else None)

    def search(self, text, limit=5, topics=None, **_):
        return self._search(text, limit, tuple(topics) if topics else None)

    def entry(self, entry_id):
        return self._index.entry(entry_id)

    def tokens(self, text):
        return self._index.tokens(text)

    def understands(self, text):
        return self._index.understands(text)


@dataclass(frozen=True)
class Reading:
    routed_elsewhere: bool  # a dialogue intent (greet, affirm, ...): no knowledge-base answer is tried
    nlu: NluSignal


def parse_all(rasa_url: str, token: str, texts: List[str]) -> List[Reading]:
    session = requests.Session()
    out = []
    for text in texts:
        data = session.post(f"{rasa_url}/model/parse", params={"token": token}, json={"text": text}, timeout=60).json()
        intent = intent_reading(data)[0]
        answering = is_kb_intent(intent) or topic_for_intent(intent) == OUT_OF_SCOPE_TOPIC or intent == FALLBACK_INTENT
        out.append(Reading(not answering, parsed_signal(data)))
    return out


def outcome(gold: str, reading: Reading, index, config: FusionConfig, text: str) -> str:
    if reading.routed_elsewhere:
        return "routed_elsewhere"  # a dialogue rule handles it; no knowledge-base answer
    d = decide(text, index, reading.nlu, config)
    if gold == "out_of_scope":
        return "wrong" if d.kind == ANSWER else "right"
    if d.kind == ANSWER:
        return "right" if d.best.topic == gold else "wrong"
    if d.kind == CLARIFY:
        return "clarify"
    return "oos" if d.kind == OUT_OF_SCOPE else "fallback"


def score(items, readings, index, config: FusionConfig) -> Dict[str, float]:
    counts: Dict[str, int] = {}
    oos = oos_answered = 0
    for (text, gold), reading in zip(items, readings):
        o = outcome(gold, reading, index, config, text)
        counts[o] = counts.get(o, 0) + 1
        if gold == "out_of_scope":
            oos += 1
            oos_answered += o == "wrong"
    n = len(items)
    right, wrong = counts.get("right", 0) / n, counts.get("wrong", 0) / n
    oos_rate = oos_answered / oos if oos else 0.0
    feasible = wrong <= MAX_WRONG and oos_rate <= MAX_OUT_OF_SCOPE_ANSWERED
    return {"right": right, "wrong": wrong, "out_of_scope_answered": oos_rate,
            "objective": right if feasible else -1.0, "counts": counts}


GRID = {
    "search_weight": [0.3, 0.4, 0.5, 0.6],
    "answer_threshold": [0.3, 0.35, 0.4, 0.45, 0.5, 0.55],
    "clarify_threshold": [0.15, 0.2, 0.25],
    # No zero: two close candidates must lead to a question, not a coin toss (issue 3).
    "margin": [0.05, 0.1, 0.15],
    "out_of_scope_confidence": [0.4, 0.5, 0.6],
}


def tune(rasa_url: str, token: str, dev_file: Path, write: bool = True) -> Tuple[FusionConfig, Dict[str, float]]:
    items = development_set(dev_file)
    readings = parse_all(rasa_url, token, [t for t, _ in items])
    index = CachedIndex(SearchIndex(read_entries()))
    best: Optional[Tuple[FusionConfig, Dict[str, float]]] = None
    for values in itertools.product(*GRID.values()):
        params = dict(zip(GRID, values))
        if params["clarify_threshold"] >= params["answer_threshold"]:
            continue
        params["nlu_weight"] = round(1 - params["search_weight"], 2)
        config = FusionConfig(**{**asdict(FusionConfig()), **params})
        result = score(items, readings, index, config)
        key = (result["objective"], -result["wrong"])
        if best is None or key > (best[1]["objective"], -best[1]["wrong"]):
            best = (config, result)
    assert best is not None
    if write:
        FUSION_FILE.write_text(json.dumps(asdict(best[0]), indent=2) + "\n", encoding="utf-8")
    return best
