"""Search quality on held-out paraphrases written apart from the content's question variants."""
from pathlib import Path

import pytest

from kb.content import CONTENT_DIR, read_entries
from kb.quality import load_labelled, measure, rejection_rate
from kb.search import SearchIndex

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def index():
    return SearchIndex(read_entries(CONTENT_DIR))


def test_heldout_paraphrases_hit_at_1_and_3(index):
    items = load_labelled(HERE / "heldout_paraphrases.yml")
    assert len(items) >= 150
    quality = measure(index, items)
    report = "\n".join(f"  {t!r}: expected {e}, got {r}" for t, e, r in quality.misses[:40])
    assert quality.hit_at_1 >= 0.85, f"hit@1 {quality.hit_at_1:.3f}\n{report}"
    assert quality.hit_at_3 >= 0.95, f"hit@3 {quality.hit_at_3:.3f}\n{report}"


def test_unrelated_messages_stay_below_the_answer_threshold(index):
    texts = [t for t, _ in load_labelled(HERE / "unrelated.yml")]
    assert len(texts) >= 60
    assert rejection_rate(index, texts) >= 0.90
