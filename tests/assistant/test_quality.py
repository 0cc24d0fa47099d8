"""Quality through the whole running assistant, on held-out sets written apart from the training data."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import VAR_DIR
from evaluation.datasets import load_items
from evaluation.nlu import evaluate_nlu, markdown
from evaluation.scoring import score_items, summarize

TESTS = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.stack


def test_nlu_heldout_intent_accuracy(assistant):
    result = evaluate_nlu(assistant.stack.rasa_url, assistant.stack.token, TESTS / "nlu" / "heldout.yml")
    report = VAR_DIR / "reports" / "nlu-heldout.md"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(markdown(result, "tests/nlu/heldout.yml"), encoding="utf-8")
    assert min(v["n"] for v in result["per_intent"].values()) >= 10
    assert result["accuracy"] >= 0.90, f"accuracy {result['accuracy']:.3f}; see {report}"


def test_paraphrases_through_the_whole_assistant(assistant):
    results = score_items(assistant.client, load_items(TESTS / "kb" / "heldout_paraphrases.yml"))
    summary = summarize(results)["overall"]
    wrong = [f"{r.text!r}: {r.expected} -> {r.got_topic}" for r in results if r.outcome == "wrong"]
    assert summary["errors"] == 0
    assert summary["right"] >= 0.85, f"right {summary['right']:.3f}"
    assert summary["wrong"] <= 0.05, f"wrong {summary['wrong']:.3f}:\n" + "\n".join(wrong)


def test_team_evaluation_set_gate(assistant):
    """CI gate (evaluation issue): right answers >= 85%, wrong answers <= 5% on the team's own set."""
    items = load_items(TESTS / "eval" / "team_set.yml")
    assert len(items) >= 250
    summary = summarize(score_items(assistant.client, items))
    overall = summary["overall"]
    assert overall["errors"] == 0
    assert overall["right"] >= 0.85, f"right {overall['right']:.3f}"
    assert overall["wrong"] <= 0.05, f"wrong {overall['wrong']:.3f}; confusions {summary['confusions']}"
