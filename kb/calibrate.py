"""Fit the search-score calibration on development data (the NLU training examples).

`python -m kb.calibrate` maps raw similarity to the probability that the top
candidate's topic is right (Platt scaling), using the knowledge intents'
training examples as positives/negatives and out_of_scope examples as negatives,
then writes kb/calibration.json. The held-out test sets are never used here.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import List, Tuple

import numpy as np
import yaml

from core.settings import PROJECT_ROOT
from kb.content import read_entries
from kb.search import CALIBRATION_FILE, Calibration, SearchIndex
from kb.topics import topic_for_intent

NLU_DIR = PROJECT_ROOT / "data" / "nlu"
# Generated from the content's own question variants: not independent of the index, so never dev data.
GENERATED = {"kb_variants.yml"}
_ANNOTATION = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")


def nlu_examples(source: Path = NLU_DIR) -> List[Tuple[str, str]]:
    """(text, intent) pairs from a Rasa NLU YAML file or folder, entity annotations removed."""
    pairs = []
    paths = [p for p in sorted(source.glob("*.yml")) if p.name not in GENERATED] if source.is_dir() else [source]
    for path in paths:
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    pairs.append((_ANNOTATION.sub(r"\1", line[2:]).strip(), block["intent"]))
    return pairs


def fit(index: SearchIndex, examples: List[Tuple[str, str]]) -> Tuple[float, float]:
    xs, ys = [], []
    for text, intent in examples:
        topic = topic_for_intent(intent)
        if intent != "out_of_scope" and (topic is None or not intent.startswith("kb_")):
            continue
        results = index.search(text, limit=1)
        raw = results[0].raw if results else 0.0
        xs.append(raw)
        ys.append(1.0 if results and results[0].topic == topic else 0.0)
    x, y = np.asarray(xs), np.asarray(ys)
    a, b = 5.0, -2.0
    for _ in range(5000):  # plain gradient descent on the log-loss; two parameters need no library
        p = 1 / (1 + np.exp(-(a * x + b)))
        a -= 0.5 * float(np.mean((p - y) * x))
        b -= 0.5 * float(np.mean(p - y))
    return a, b


def answer_threshold(index: SearchIndex, examples: List[Tuple[str, str]], rejection: float = 0.9) -> float:
    """The lowest calibrated threshold that keeps `rejection` of the out_of_scope examples below it."""
    scores = sorted((r[0].score if r else 0.0) for r in
                    (index.search(t, limit=1) for t, intent in examples if intent == "out_of_scope"))
    if not scores:
        return Calibration().answer_threshold
    cut = scores[min(len(scores) - 1, math.ceil(rejection * len(scores)) - 1)]
    return round(min(0.95, math.ceil((cut + 1e-9) * 20) / 20), 2)  # next multiple of 0.05 above


def main() -> None:
    examples = nlu_examples()
    index = SearchIndex(read_entries(), calibration=Calibration())
    slope, intercept = fit(index, examples)
    current = Calibration.load()
    calibrated = Calibration(slope=slope, intercept=intercept)
    threshold = answer_threshold(SearchIndex(read_entries(), calibration=calibrated), examples)
    data = {**current.__dict__, "slope": round(slope, 4), "intercept": round(intercept, 4),
            "answer_threshold": threshold, "clarify_threshold": round(threshold - 0.3, 2)}
    CALIBRATION_FILE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"calibration: p = 1 / (1 + exp(-({slope:.3f} * raw + {intercept:.3f}))); "
          f"raw for p=0.5: {-intercept / slope:.3f}; answer threshold {threshold}")


if __name__ == "__main__":
    main()
