"""Send each labelled message as a new conversation and classify what the assistant did."""
from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any, Dict, List, Optional, Sequence

from core.rasa_client import RasaClient, RasaUnavailable
from evaluation.datasets import Item
from kb.topics import topics_by_code

RIGHT, WRONG = "right", "wrong"
CLARIFY_RIGHT, CLARIFY_WRONG = "clarify_right", "clarify_wrong"
FALLBACK, TICKET = "fallback", "ticket"
OOS_DECLINED, OOS_ANSWERED = "declined", "answered_out_of_scope"
ERROR = "error"
OUTCOMES = (RIGHT, WRONG, CLARIFY_RIGHT, CLARIFY_WRONG, FALLBACK, TICKET, OOS_DECLINED, OOS_ANSWERED, ERROR)


@dataclass
class ItemResult:
    text: str
    expected: str
    outcome: str
    got_topic: Optional[str]
    faq_id: Optional[str]
    suggested: Optional[List[str]]
    ticket: Optional[str]
    intent: Optional[str]
    confidence: Optional[float]
    latency_ms: float
    ref: str = ""

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)


def classify(expected: str, slots: Dict[str, Any], intent: Optional[str]) -> str:
    answer = slots.get("answer_topic")
    suggested = slots.get("suggested_topics") or []
    if expected == "out_of_scope":
        return OOS_ANSWERED if answer else OOS_DECLINED
    topic = topics_by_code().get(expected)
    if topic is not None and topic.kind == "dialogue":
        if answer:
            return WRONG
        return RIGHT if intent == expected else (FALLBACK if intent in (None, "nlu_fallback") else WRONG)
    if answer:
        return RIGHT if answer == expected else WRONG
    if suggested:
        return CLARIFY_RIGHT if expected in suggested else CLARIFY_WRONG
    if slots.get("ticket_id"):
        return TICKET
    return FALLBACK


def _last_user_intent(tracker: Dict[str, Any]) -> tuple:
    parse = (tracker.get("latest_message") or {}).get("intent") or {}
    return parse.get("name"), parse.get("confidence")


def score_item(client: RasaClient, item: Item, run_id: str, index: int) -> ItemResult:
    result = _score_item(client, item, run_id, index)
    if item.ref.startswith("review"):
        result.text = ""  # real reviews are read from ../shared and never written into reports
    return result


def _score_item(client: RasaClient, item: Item, run_id: str, index: int) -> ItemResult:
    sender = f"eval-{run_id}-{index}"
    started = time.perf_counter()
    try:
        client.send(sender, item.text)
        latency = (time.perf_counter() - started) * 1000
        tracker = client.tracker(sender, include_events="NONE")
    except RasaUnavailable:
        return ItemResult(item.text, item.topic, ERROR, None, None, None, None, None, None,
                          (time.perf_counter() - started) * 1000, item.ref)
    slots = tracker.get("slots") or {}
    intent, confidence = _last_user_intent(tracker)
    return ItemResult(item.text, item.topic, classify(item.topic, slots, intent), slots.get("answer_topic"),
                      slots.get("answer_faq_id"), slots.get("suggested_topics"), slots.get("ticket_id"),
                      intent, confidence, latency, item.ref)


def score_items(client: RasaClient, items: Sequence[Item], concurrency: int = 4) -> List[ItemResult]:
    run_id = uuid.uuid4().hex[:8]
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(lambda pair: score_item(client, pair[1], run_id, pair[0]), enumerate(items)))


def summarize(results: Sequence[ItemResult]) -> Dict[str, Any]:
    """Overall and per-topic shares; 'right' counts declined out-of-scope messages as right."""
    def shares(rs: Sequence[ItemResult]) -> Dict[str, Any]:
        n = len(rs) or 1
        counts = {o: sum(r.outcome == o for r in rs) for o in OUTCOMES}
        right = counts[RIGHT] + counts[OOS_DECLINED]
        wrong = counts[WRONG] + counts[OOS_ANSWERED]
        clar = counts[CLARIFY_RIGHT] + counts[CLARIFY_WRONG]
        return {"n": len(rs), "counts": counts, "right": right / n, "wrong": wrong / n, "clarified": clar / n,
                "fallback": (counts[FALLBACK] + counts[TICKET]) / n, "errors": counts[ERROR]}

    oos = [r for r in results if r.expected == "out_of_scope"]
    topics = sorted({r.expected for r in results})
    confusions: Dict[str, int] = {}
    for r in results:
        if r.outcome in (WRONG, OOS_ANSWERED):
            key = f"{r.expected} -> {r.got_topic or r.intent}"
            confusions[key] = confusions.get(key, 0) + 1
    latencies = sorted(r.latency_ms for r in results)

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else 0.0

    return {
        "overall": shares(results),
        "out_of_scope_answered": (sum(r.outcome == OOS_ANSWERED for r in oos) / len(oos)) if oos else None,
        "per_topic": {t: shares([r for r in results if r.expected == t]) for t in topics},
        "confusions": dict(sorted(confusions.items(), key=lambda kv: -kv[1])),
        "latency_ms": {"p50": pct(0.5), "p95": pct(0.95), "max": latencies[-1] if latencies else 0.0},
        "slowest": [r.to_dict() for r in sorted(results, key=lambda r: -r.latency_ms)[:10]],
    }
