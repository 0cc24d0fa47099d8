"""Fit the search-score calibration on development data (the classifier's training examples).

`calibrate()` maps raw similarity to the probability that the top candidate's topic
is right (Platt scaling), using (text, topic) examples as positives/negatives and
out-of-scope examples (topic None) as negatives, then writes kb/calibration.json.
The examples come from the classifier's adapter (`scripts/calibrate_search.py` reads
Rasa's training data); the held-out test sets are never used here.
"""
from __future__ import annotations

import json
import math
from typing import Dict, Optional, Sequence, Tuple

import numpy as np

from kb.content import read_entries
from kb.search import CALIBRATION_FILE, Calibration, SearchIndex

Example = Tuple[str, Optional[str]]  # (text, its topic; None: not this agency's matter)


def fit(index: SearchIndex, examples: Sequence[Example]) -> Tuple[float, float]:
    xs, ys = [], []
    for text, topic in examples:
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


def answer_threshold(index: SearchIndex, examples: Sequence[Example], rejection: float = 0.9) -> float:
    """The lowest calibrated threshold that keeps `rejection` of the out-of-scope examples below it."""
    scores = sorted((r[0].score if r else 0.0) for r in
                    (index.search(t, limit=1) for t, topic in examples if topic is None))
    if not scores:
        return Calibration().answer_threshold
    cut = scores[min(len(scores) - 1, math.ceil(rejection * len(scores)) - 1)]
    return round(min(0.95, math.ceil((cut + 1e-9) * 20) / 20), 2)  # next multiple of 0.05 above


def fitted(examples: Sequence[Example]) -> Dict[str, float]:
    """kb/calibration.json's content refitted on `examples` (settings other than the fit kept)."""
    index = SearchIndex(read_entries(), calibration=Calibration())
    slope, intercept = fit(index, examples)
    calibrated = Calibration(slope=slope, intercept=intercept)
    threshold = answer_threshold(SearchIndex(read_entries(), calibration=calibrated), examples)
    return {**Calibration.load().__dict__, "slope": round(slope, 4), "intercept": round(intercept, 4),
            "answer_threshold": threshold, "clarify_threshold": round(threshold - 0.3, 2)}


def calibrate(examples: Sequence[Example]) -> str:
    """Refit and write kb/calibration.json; a one-line summary."""
    data = fitted(examples)
    CALIBRATION_FILE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    slope, intercept = data["slope"], data["intercept"]
    return (f"calibration: p = 1 / (1 + exp(-({slope:.3f} * raw + {intercept:.3f}))); "
            f"raw for p=0.5: {-intercept / slope:.3f}; answer threshold {data['answer_threshold']}")
