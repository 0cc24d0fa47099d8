"""Running an action the way rasa-sdk does, with trackers built inline.

`tracker` and `run` make one turn; `Chat` makes a conversation of them, each turn's
tracker carrying the slots and events the turns before left (what Rasa's tracker
store would hold), so multi-turn behaviour is tested without a Rasa server.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from kb.answering import NluSignal
from monitoring.models import FeedbackRow, TurnRow

_PAYLOAD = re.compile(r"^/(\w+)(\{.*\})?$")
DOMAIN_FILE = Path(__file__).resolve().parents[2] / "domain" / "assistant.yml"


@lru_cache(maxsize=1)
def domain_slots() -> Tuple[str, ...]:
    """The slots Rasa's tracker holds from the first turn on (all empty: none has an initial value)."""
    return tuple(yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["slots"])


def tracker(text: str, intent: str = "nlu_fallback", confidence: float = 0.9, sender: str = "tg:42",
            slots: Optional[Dict[str, Any]] = None, entities: Optional[List[dict]] = None,
            ranking: Optional[List[tuple]] = None, events: Optional[List[dict]] = None,
            metadata: Optional[Dict[str, Any]] = None) -> Tracker:
    """The tracker rasa-sdk hands an action for `text`, after `events` (earlier turns), with `slots`."""
    ranking = ranking or [(intent, confidence)]
    latest = {"text": text, "intent": {"name": intent, "confidence": confidence},
              "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking], "entities": entities or [],
              "metadata": metadata or {}}
    user = {"event": "user", "text": text, "timestamp": float(len(events or []) + 1), "parse_data": latest}
    return Tracker(sender, slots or {}, latest, list(events or []) + [user], False, None, {}, "action_listen")


async def run(action, trk: Tracker):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, trk, {})
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    return dispatcher.messages, slots


def reading(intent: str = "nlu_fallback", confidence: float = 0.3, programs: Tuple[str, ...] = ()) -> NluSignal:
    return NluSignal(intent, confidence, [(intent, confidence)], tuple(programs))


class FakeNlu:
    """Stands in for Rasa's /model/parse (the one part that needs a trained model): the readings a test
    gives for texts containing given words, a neutral one otherwise, and the texts it was asked about."""

    def __init__(self, default: Optional[NluSignal] = None):
        self.default = default or reading()
        self.readings: List[Tuple[Tuple[str, ...], NluSignal]] = []
        self.asked: List[str] = []

    def reads(self, *parts: str, signal: NluSignal) -> None:
        """Texts containing every one of `parts` are read as `signal`."""
        self.readings.append((parts, signal))

    def __call__(self, text: str) -> NluSignal:
        self.asked.append(text)
        return next((s for parts, s in self.readings if all(p in text for p in parts)), self.default)


@dataclass
class Turn:
    messages: List[Dict[str, Any]]
    changed: Dict[str, Any]  # the slots this turn set to a new value
    slots: Dict[str, Any]  # every slot after the turn, as Rasa's tracker holds them

    @property
    def text(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.messages)

    @property
    def buttons(self) -> List[Dict[str, str]]:
        return [b for m in self.messages for b in m.get("buttons") or []]

    def button(self, title: str) -> Dict[str, str]:
        return next(b for b in self.buttons if b["title"] == title)


class Chat:
    """One participant talking to `action`: the slots and events carry over from turn to turn."""

    def __init__(self, action, sender: str = "tg:42", slots: Optional[Dict[str, Any]] = None):
        self.action = action
        self.sender = sender
        self.slots: Dict[str, Any] = {**dict.fromkeys(domain_slots()), **(slots or {})}
        self.events: List[Dict[str, Any]] = []

    def new_session(self) -> None:
        """Rasa starts a new session after two idle hours (slots carried over, as the domain says)."""
        self.events.append({"event": "session_started", "timestamp": float(len(self.events) + 1)})

    async def say(self, text: str, intent: str = "nlu_fallback", confidence: float = 0.3,
                  entities: Optional[List[dict]] = None, ranking: Optional[List[tuple]] = None,
                  metadata: Optional[Dict[str, Any]] = None) -> Turn:
        """A typed message with the NLU reading Rasa would have given it."""
        trk = tracker(text, intent, confidence, self.sender, dict(self.slots), entities, ranking, self.events,
                      metadata)
        self.events = list(trk.events)
        dispatcher = CollectingDispatcher()
        events = await self.action.run(dispatcher, trk, {})
        self.events += events
        changed = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
        self.slots.update(changed)
        return Turn(dispatcher.messages, changed, dict(self.slots))

    async def press(self, button: Dict[str, str]) -> Turn:
        """A button: Rasa reads `/intent{"entity": "value"}` directly, with full confidence."""
        payload = button["payload"]
        match = _PAYLOAD.match(payload)
        assert match, f"not a payload: {payload}"
        values = json.loads(match.group(2)) if match.group(2) else {}
        entities = [{"entity": k, "value": v} for k, v in values.items()]
        return await self.say(payload, match.group(1), 1.0, entities)


# ---- what a conversation left in the database ----------------------------------------------
def feedback_given(db, sender: str) -> List[Tuple[str, bool, Optional[str]]]:
    """(faq_id, helpful, question) of each "was this helpful?" answer, oldest first."""
    with db.session() as s:
        rows = s.execute(select(FeedbackRow).where(FeedbackRow.sender_id == sender).order_by(FeedbackRow.id))
        return [(r.faq_id, r.helpful, r.question) for r in rows.scalars()]


def turn_log(db, sender: str) -> List[Tuple[str, Optional[str], Optional[str]]]:
    """(outcome, faq_id, ticket_number) of each logged turn, oldest first (what KPIs are computed from)."""
    with db.session() as s:
        rows = s.execute(select(TurnRow).where(TurnRow.sender_id == sender).order_by(TurnRow.id))
        return [(r.outcome, r.faq_id, r.ticket_number) for r in rows.scalars()]
