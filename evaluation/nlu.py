"""Intent accuracy of the running assistant's NLU on a held-out NLU file (Rasa YAML)."""
from __future__ import annotations

from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

import requests

from rasa_ext.training_data import nlu_examples


def parse(url: str, token: str, text: str, session: requests.Session) -> Tuple[Optional[str], float]:
    response = session.post(f"{url}/model/parse", params={"token": token}, json={"text": text}, timeout=60)
    response.raise_for_status()
    intent = response.json().get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def evaluate_nlu(url: str, token: str, path: Path, concurrency: int = 4) -> Dict[str, Any]:
    examples = nlu_examples(path)
    session = requests.Session()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        predictions = list(pool.map(lambda ex: parse(url, token, ex[0], session), examples))
    per_intent: Dict[str, Counter] = defaultdict(Counter)
    confusions: Counter = Counter()
    for (text, gold), (predicted, _) in zip(examples, predictions):
        # The fallback classifier's "nlu_fallback" keeps the top intent in the ranking; count it as a miss.
        ok = predicted == gold
        per_intent[gold]["n"] += 1
        per_intent[gold]["right"] += ok
        if not ok:
            confusions[f"{gold} -> {predicted}"] += 1
    n = len(examples)
    right = sum(c["right"] for c in per_intent.values())
    return {
        "n": n, "accuracy": right / n if n else 0.0,
        "per_intent": {k: {"n": v["n"], "accuracy": v["right"] / v["n"]} for k, v in sorted(per_intent.items())},
        "confusions": dict(confusions.most_common(30)),
    }


def markdown(result: Dict[str, Any], source: str) -> str:
    lines = [f"# NLU held-out evaluation ({source})", "", f"Intent accuracy: **{result['accuracy']:.3f}** on {result['n']} messages "
             "(the fallback classifier's nlu_fallback counts as wrong).", "", "| intent | n | accuracy |", "|---|---|---|"]
    lines += [f"| {k} | {v['n']} | {v['accuracy']:.2f} |" for k, v in result["per_intent"].items()]
    lines += ["", "## Most frequent confusions", ""] + [f"- {k}: {v}" for k, v in result["confusions"].items()]
    return "\n".join(lines) + "\n"
