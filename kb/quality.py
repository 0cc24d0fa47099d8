"""Search quality on a labelled set: hit@k by topic and the unrelated-message rejection rate."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List, Sequence, Tuple

import yaml

from kb.search import SearchIndex


@dataclass
class SearchQuality:
    n: int
    hit_at_1: float
    hit_at_3: float
    misses: List[Tuple[str, str, List[str]]]  # text, expected, top-3 topics


def load_labelled(path: Path) -> List[Tuple[str, str]]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [(str(i["t"]), str(i.get("topic", ""))) for i in data["items"]]


def topics_ranked(index: SearchIndex, text: str, k: int) -> List[str]:
    ranked: List[str] = []
    for c in index.search(text, limit=10):
        if c.topic not in ranked:
            ranked.append(c.topic)
        if len(ranked) == k:
            break
    return ranked


def measure(index: SearchIndex, items: Sequence[Tuple[str, str]]) -> SearchQuality:
    hit1 = hit3 = 0
    misses = []
    for text, topic in items:
        ranked = topics_ranked(index, text, 3)
        hit1 += bool(ranked) and ranked[0] == topic
        hit3 += topic in ranked
        if not ranked or ranked[0] != topic:
            misses.append((text, topic, ranked))
    n = len(items) or 1
    return SearchQuality(len(items), hit1 / n, hit3 / n, misses)


def rejection_rate(index: SearchIndex, texts: Sequence[str]) -> float:
    """Share of messages whose best candidate stays below the answer threshold."""
    threshold = index.calibration.answer_threshold
    below = 0
    for text in texts:
        results = index.search(text, limit=1)
        below += not results or results[0].score < threshold
    return below / (len(texts) or 1)
