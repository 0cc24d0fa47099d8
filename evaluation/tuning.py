"""Tune the answer/clarify/fallback thresholds (kb/fusion.json) on a development set.

The development set is the held-out NLU file (tests/nlu/heldout.yml) plus the
unrelated messages of tests/kb/unrelated.yml as out-of-scope examples: their
messages were never trained on, so the classifier's confidences are realistic.
The knowledge-base paraphrases and the team evaluation set stay untouched for
testing. Objective: the most right answers while wrong answers stay at or below
MAX_WRONG (a wrong answer misleads; a clarification or a ticket does not); ties
go to fewer wrong answers.

kb/fusion.json records fingerprints of what it was tuned on (the served model's
training inputs, the knowledge base's search inputs, the development set), and a
test fails once they change. Code is not fingerprinted: re-tune after changing
how search or fusion work.
"""
from __future__ import annotations

import itertools
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import requests

from core.rasa_client import RasaClient
from core.settings import PROJECT_ROOT
from evaluation.datasets import DEV_NLU, DEV_UNRELATED, development_set
from kb.answering import ANSWER, CLARIFY, FUSION_FILE, OUT_OF_SCOPE, FusionConfig, NluSignal, decide
from kb.content import read_entries
from kb.topics import OUT_OF_SCOPE_TOPIC
from kb.search import SearchIndex
from rasa_ext.intents import FALLBACK_INTENT, is_kb_intent, topic_for_intent
from rasa_ext.nlu_result import intent_reading, parsed_signal
from stack.training import fingerprint, model_fingerprint

MAX_WRONG = 0.025
MAX_OUT_OF_SCOPE_ANSWERED = 0.03

INPUTS_KEY = "inputs"  # FusionConfig.load ignores keys it does not know
# Besides the model: what the knowledge base's search scores come from.
KNOWLEDGE_BASE_INPUTS = ("kb/content", "kb/calibration.json", "kb/topics.yml", "kb/scope.yml")
RETUNE = "start the stack (make run), run `.venv/bin/python -m evaluation tune` and commit kb/fusion.json"


class TuningError(RuntimeError):
    pass


def tuning_inputs(model: str, dev_file: str = str(DEV_NLU.relative_to(PROJECT_ROOT)),
                  root: Path = PROJECT_ROOT) -> Dict[str, str]:
    """Fingerprints of what a tuning depends on; `model` is the served model's training fingerprint and
    `dev_file` is relative to `root`."""
    return {"model": model,
            "knowledge_base": fingerprint(root, KNOWLEDGE_BASE_INPUTS),
            "development_set": fingerprint(root, (dev_file, str(DEV_UNRELATED.relative_to(PROJECT_ROOT))))}


def stale_inputs(path: Path = FUSION_FILE, root: Path = PROJECT_ROOT) -> List[str]:
    """The inputs that changed since kb/fusion.json was tuned (all of them when it records none)."""
    recorded = json.loads(path.read_text(encoding="utf-8")).get(INPUTS_KEY) or {}
    current = tuning_inputs(fingerprint(root), root=root)
    return [name for name, value in current.items() if recorded.get(name) != value]


def served_model(client: RasaClient) -> str:
    """The training fingerprint of the model the running stack serves, which must be the current inputs' model."""
    model_file = client.status().get("model_file") or ""
    served, current = model_fingerprint(model_file), fingerprint()
    if served != current:
        raise TuningError(f"the running stack serves {model_file or 'no model'}, not the model of the current "
                          f"training inputs ({current}): restart it with `make run` before tuning")
    return current


def _in_project(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        raise TuningError(f"{path}: tune on a development set inside the project, where tests can check it") from None


class CachedIndex:
    """A SearchIndex whose results are memoised, so a grid search does each search once."""

    def __init__(self, index: SearchIndex):
        self._index = index
        self.entries = index.entries
        self.normalizer = index.normalizer
        self.calibration = index.calibration
        self.learned = index.learned
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
        return "right" if d.best is not None and d.best.topic == gold else "wrong"
    if d.kind == CLARIFY:
        return "clarify"
    return "oos" if d.kind == OUT_OF_SCOPE else "fallback"


def score(items, readings, index, config: FusionConfig) -> Dict[str, Any]:
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


def tune(rasa_url: str, token: str, dev_file: Path, write: bool = True) -> Tuple[FusionConfig, Dict[str, Any]]:
    # Fingerprinted before the run: what it reads, even if a file changes meanwhile.
    inputs = tuning_inputs(served_model(RasaClient(rasa_url, token)), _in_project(dev_file)) if write else None
    items = development_set(dev_file)
    readings = parse_all(rasa_url, token, [t for t, _ in items])
    index = CachedIndex(SearchIndex(read_entries()))
    best: Optional[Tuple[FusionConfig, Dict[str, Any]]] = None
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
    if inputs is not None:
        FUSION_FILE.write_text(json.dumps({**asdict(best[0]), INPUTS_KEY: inputs}, indent=2) + "\n", encoding="utf-8")
    return best
