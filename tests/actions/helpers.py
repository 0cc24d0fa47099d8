"""Running an action the way rasa-sdk does, with a tracker built inline."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def tracker(text: str, intent: str = "nlu_fallback", confidence: float = 0.9, sender: str = "tg:42",
            slots: Optional[Dict[str, Any]] = None, entities: Optional[List[dict]] = None,
            ranking: Optional[List[tuple]] = None) -> Tracker:
    ranking = ranking or [(intent, confidence)]
    latest = {"text": text, "intent": {"name": intent, "confidence": confidence},
              "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking], "entities": entities or []}
    return Tracker(sender, slots or {}, latest, [{"event": "user", "text": text, "timestamp": 1.0}], False, None,
                   {}, "action_listen")


async def run(action, trk: Tracker):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, trk, {})
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    return dispatcher.messages, slots
