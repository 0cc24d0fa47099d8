"""Held-out sets must not copy or nearly copy training-side text.

Training side: the hand-written NLU examples (data/nlu, without the generated
file) and the knowledge base's question variants (kb/content). Held-out side:
the team evaluation set, the knowledge-base paraphrases, the held-out NLU set,
the unrelated messages and the turns of the multi-turn sets. A near-copy is a character similarity (rapidfuzz ratio,
lower-cased, whitespace-normalised) of NEAR_COPY or more.

    python -m evaluation.independence        # lists near-copies, exits 1 if any
"""
from __future__ import annotations

import sys
from typing import Dict, List, Tuple

import yaml
from rapidfuzz import fuzz, process

from core.settings import PROJECT_ROOT
from kb.content import read_entries
from rasa_ext.training_data import nlu_examples

NEAR_COPY = 90.0
HELD_OUT = {
    "tests/eval/team_set.yml": "items",
    "tests/kb/heldout_paraphrases.yml": "items",
    "tests/kb/heldout_paraphrases2.yml": "items",
    "tests/kb/heldout_paraphrases3.yml": "items",
    "tests/kb/heldout_paraphrases4.yml": "items",
    "tests/kb/heldout_paraphrases5.yml": "items",
    "tests/kb/heldout_paraphrases6.yml": "items",
    "tests/kb/heldout_paraphrases7.yml": "items",
    "tests/kb/unrelated.yml": "items",
    "tests/nlu/heldout.yml": "nlu",
    "tests/eval/conversations_dev.yml": "conversations",
    "tests/eval/conversations_test.yml": "conversations",
    "tests/eval/conversations_dev12.yml": "conversations",
    "tests/eval/conversations_dev13.yml": "conversations",
}
# Only the scored (last) turn of a conversation is held out; earlier turns set the scene with everyday
# questions ("cara cek saldo jht") that anyone writes the same way. "halo" or "kalau jkp?" are too short to tell.
MIN_TURN_WORDS = 4


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def training_texts() -> List[str]:
    texts = [t for t, _ in nlu_examples()]
    texts += [q for e in read_entries() for lang in ("id", "en") for q in e.questions[lang]]
    return sorted({_norm(t) for t in texts})


def held_out_texts(relative: str) -> List[str]:
    path = PROJECT_ROOT / relative
    if HELD_OUT[relative] == "nlu":
        return [t for t, _ in nlu_examples(path)]
    if HELD_OUT[relative] == "conversations":
        conversations = yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]
        return [str(c["turns"][-1]) for c in conversations if len(str(c["turns"][-1]).split()) >= MIN_TURN_WORDS]
    return [str(i["t"]) for i in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]]


def near_copies(threshold: float = NEAR_COPY) -> Dict[str, List[Tuple[str, str, float]]]:
    train = training_texts()
    found: Dict[str, List[Tuple[str, str, float]]] = {}
    for relative in HELD_OUT:
        hits = []
        for text in held_out_texts(relative):
            match = process.extractOne(_norm(text), train, scorer=fuzz.ratio, score_cutoff=threshold)
            if match is not None:
                hits.append((text, match[0], round(match[1], 1)))
        found[relative] = hits
    return found


def main() -> int:
    found = near_copies()
    for relative, hits in found.items():
        print(f"{relative}: {len(hits)} near-copies")
        for text, match, score in hits:
            print(f"  {score:5.1f}  {text!r}  ~  {match!r}")
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
