"""Held-out sets do not copy or nearly copy the training data or the knowledge base's variants."""
from evaluation.independence import NEAR_COPY, near_copies


def test_no_held_out_item_nearly_copies_training_text():
    found = near_copies()
    report = {k: v[:5] for k, v in found.items() if v}
    assert not report, f"near-copies (similarity >= {NEAR_COPY}): {report}"
