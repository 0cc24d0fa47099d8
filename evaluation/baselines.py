"""The baselines every evaluation reports beside the assistant, scored the same way on the same set.

(a) TF-IDF nearest neighbour over the knowledge base's question variants, with an
    answer threshold tuned on the development set (never on the set being scored).
(b) Rasa's default pipeline and policies (what `rasa init` uses) trained on the same
    domain, NLU data and rules, answering through the same action server.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

import rasa
from core.settings import PROJECT_ROOT
from evaluation.datasets import Item
from evaluation.scoring import ItemResult, classify
from kb.entry import Entry
from stack.training import MODELS_DIR, fingerprint

MAX_WRONG = 0.025
STOCK_CONFIG = Path(rasa.__file__).resolve().parent / "cli" / "initial_project" / "config.yml"


class TfidfBaseline:
    """Nearest question variant by character n-gram TF-IDF cosine; answers its entry's topic above a threshold."""

    def __init__(self, entries: Sequence[Entry], threshold: float = 0.5):
        self.texts: List[str] = []
        self.topics: List[str] = []
        for e in entries:
            if e.active:
                for lang in ("id", "en"):
                    for q in e.questions[lang]:
                        self.texts.append(q.lower())
                        self.topics.append(e.topic)
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        self.matrix = self.vectorizer.fit_transform(self.texts)
        self.threshold = threshold

    def nearest(self, text: str) -> Tuple[Optional[str], float]:
        vector = self.vectorizer.transform([(text or "").lower()])
        if vector.nnz == 0:
            return None, 0.0
        sims = (self.matrix @ vector.T).toarray().ravel()
        best = int(np.argmax(sims))
        return self.topics[best], float(sims[best])

    def tune(self, dev: Sequence[Tuple[str, str]]) -> float:
        """The threshold with the most right answers while wrong ones stay at or below MAX_WRONG."""
        scored = [(self.nearest(text), gold) for text, gold in dev]
        best_key, best_threshold = None, self.threshold
        for threshold in np.arange(0.1, 0.96, 0.025):
            right = sum(1 for (topic, s), gold in scored if s >= threshold and topic == gold)
            wrong = sum(1 for (topic, s), gold in scored if s >= threshold and topic != gold)
            n = len(scored) or 1
            key = (right / n if wrong / n <= MAX_WRONG else -1.0, -wrong)
            if best_key is None or key > best_key:
                best_key, best_threshold = key, float(threshold)
        self.threshold = best_threshold
        return best_threshold

    def score(self, items: Sequence[Item]) -> List[ItemResult]:
        results = []
        for item in items:
            started = time.perf_counter()
            topic, similarity = self.nearest(item.text)
            answered = topic if topic is not None and similarity >= self.threshold else None
            slots = {"answer_topic": answered}
            results.append(ItemResult("" if item.ref.startswith("review") else item.text, item.topic,
                                      classify(item.topic, slots, None), answered, None, None, None, None,
                                      round(similarity, 4), (time.perf_counter() - started) * 1000, item.ref))
        return results


def stock_pipeline_model(models_dir: Path = MODELS_DIR, root: Path = PROJECT_ROOT) -> Path:
    """Train (once per data version) our domain and data with Rasa's default pipeline and policies."""
    digest = hashlib.sha256((fingerprint(root) + STOCK_CONFIG.read_text(encoding="utf-8")).encode()).hexdigest()[:16]
    target = models_dir / f"stock-pipeline-{digest}.tar.gz"
    if target.exists():
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "rasa", "train", "--config", str(STOCK_CONFIG), "--domain", "domain", "--data",
               "data", "--out", str(models_dir), "--fixed-model-name", target.name[: -len(".tar.gz")]]
    subprocess.run(command, cwd=root, check=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2",
                                                        "PYTHONPATH": str(root)})
    return target

