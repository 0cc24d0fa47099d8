"""Play each multi-turn conversation as a new chat and classify what the assistant did with its last turn.

The last turn is read from outside, like every other evaluation: the observable slots
(answer_topic, suggested_topics, ticket_id, escalation_offered) and the buttons of the
reply (an offer of a ticket or of a person, as opposed to the generic menu).
"""
from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any, Dict, List, Optional, Sequence

from core.rasa_client import RasaClient, RasaUnavailable
from evaluation.datasets import Conversation
from evaluation.scoring import (CLARIFY_RIGHT, CLARIFY_WRONG, ERROR, FALLBACK, OOS_ANSWERED, OOS_DECLINED, RIGHT,
                                WRONG, classify)

ESCALATED = "escalated"  # a ticket was opened or a ticket / a person was offered
CONVERSATION_OUTCOMES = (RIGHT, ESCALATED, WRONG, CLARIFY_RIGHT, CLARIFY_WRONG, FALLBACK, OOS_DECLINED,
                         OOS_ANSWERED, ERROR)
ESCALATION_PAYLOADS = ("/human_handoff", "/request_ticket")


@dataclass
class ConversationResult:
    kind: str
    turns: List[str]
    expected: str
    outcome: str
    got_topic: Optional[str]
    suggested: Optional[List[str]]
    ticket: Optional[str]
    offered: bool
    offer_expected: bool
    intent: Optional[str]
    latency_ms: float
    ref: str = ""

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)


def offered_escalation(slots: Dict[str, Any], messages: Sequence[Dict[str, Any]]) -> bool:
    """A ticket or a person offered in this reply; the main menu's "talk to staff" button is not an offer."""
    if slots.get("escalation_offered"):
        return True
    payloads = [str(b.get("payload") or "") for m in messages for b in m.get("buttons") or []]
    if any(p.startswith("/menu") for p in payloads):
        return False
    return any(p.startswith(ESCALATION_PAYLOADS) for p in payloads)


def classify_last_turn(conversation: Conversation, slots: Dict[str, Any], intent: Optional[str],
                       offered: bool) -> str:
    expect = conversation.expect
    answer = slots.get("answer_topic")
    escalated = bool(slots.get("ticket_id")) or offered
    if expect.get("ticket"):
        if slots.get("ticket_id"):
            return RIGHT
        return WRONG if answer else FALLBACK
    if expect.get("escalate"):
        if answer:
            return WRONG
        if escalated:
            return RIGHT
        return CLARIFY_WRONG if slots.get("suggested_topics") else FALLBACK
    outcome = classify(str(expect["topic"]), slots, intent)
    if outcome == FALLBACK and escalated and expect["topic"] != "out_of_scope":
        return ESCALATED
    return outcome


def _last_intent(tracker: Dict[str, Any]) -> Optional[str]:
    return ((tracker.get("latest_message") or {}).get("intent") or {}).get("name")


def score_conversation(client: RasaClient, conversation: Conversation, run_id: str, index: int) -> ConversationResult:
    sender = f"eval-{run_id}-c{index}"
    latency = 0.0
    try:
        messages: List[Dict[str, Any]] = []
        for text in conversation.turns:
            started = time.perf_counter()
            messages = client.send(sender, text)
            latency = (time.perf_counter() - started) * 1000
        tracker = client.tracker(sender, include_events="NONE")
    except RasaUnavailable:
        return ConversationResult(conversation.kind, list(conversation.turns), conversation.expected, ERROR, None,
                                  None, None, False, bool(conversation.expect.get("offer")), None, latency,
                                  conversation.ref)
    slots = tracker.get("slots") or {}
    intent = _last_intent(tracker)
    offered = offered_escalation(slots, messages)
    return ConversationResult(conversation.kind, list(conversation.turns), conversation.expected,
                              classify_last_turn(conversation, slots, intent, offered), slots.get("answer_topic"),
                              slots.get("suggested_topics"), slots.get("ticket_id"), offered,
                              bool(conversation.expect.get("offer")), intent, latency, conversation.ref)


def score_conversations(client: RasaClient, conversations: Sequence[Conversation],
                        concurrency: int = 4) -> List[ConversationResult]:
    run_id = uuid.uuid4().hex[:8]
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(lambda pair: score_conversation(client, pair[1], run_id, pair[0]),
                             enumerate(conversations)))


def summarize_conversations(results: Sequence[ConversationResult]) -> Dict[str, Any]:
    """Shares overall and per kind; declined out-of-scope messages count as right."""
    def shares(rs: Sequence[ConversationResult]) -> Dict[str, Any]:
        n = len(rs) or 1
        counts = {o: sum(r.outcome == o for r in rs) for o in CONVERSATION_OUTCOMES}
        right = counts[RIGHT] + counts[OOS_DECLINED]
        offers = [r for r in rs if r.offer_expected and r.outcome == RIGHT]
        return {
            "n": len(rs), "counts": counts, "right": right / n,
            "right_or_escalated": (right + counts[ESCALATED]) / n,
            "wrong": (counts[WRONG] + counts[OOS_ANSWERED]) / n,
            "clarified": (counts[CLARIFY_RIGHT] + counts[CLARIFY_WRONG]) / n,
            "right_or_right_option": (right + counts[CLARIFY_RIGHT]) / n,
            "fallback": counts[FALLBACK] / n, "errors": counts[ERROR],
            # Of the account-specific complaints answered right, how many also offered staff.
            "offer_made": (sum(r.offered for r in offers) / len(offers)) if offers else None,
        }

    kinds = sorted({r.kind for r in results})
    latencies = sorted(r.latency_ms for r in results)

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else 0.0

    wrong = [r.to_dict() for r in results if r.outcome in (WRONG, OOS_ANSWERED, CLARIFY_WRONG, FALLBACK)]
    return {
        "overall": shares(results),
        "per_kind": {k: shares([r for r in results if r.kind == k]) for k in kinds},
        "misses": wrong,
        "latency_ms": {"p50": pct(0.5), "p95": pct(0.95), "max": latencies[-1] if latencies else 0.0},
    }
