"""What an action needs to know about the current turn, read once from the tracker."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker

from core.identity import channel_of
from kb.answering import NluSignal
from kb.language import detect_language
from rasa_ext.intents import dialogue_intent
from rasa_ext.nlu_result import intent_reading, nlu_signal


@dataclass
class TurnContext:
    sender_id: str
    channel: str
    text: str
    intent: Optional[str]
    confidence: float
    ranking: List[Tuple[str, float]]
    entities: List[Dict[str, Any]]
    language: str
    is_payload: bool
    slots: Dict[str, Any] = field(default_factory=dict)
    replied_ticket: Optional[str] = None  # the ticket of a staff reply this message answers (Telegram "reply")

    def entity_values(self, name: str) -> List[str]:
        return [str(e.get("value")) for e in self.entities if e.get("entity") == name and e.get("value") is not None]

    def entity(self, name: str) -> Optional[str]:
        values = self.entity_values(name)
        return values[0] if values else None

    def nlu(self) -> NluSignal:
        """The classifier's reading in topics, as the knowledge base takes it."""
        return nlu_signal(self.intent, self.confidence, self.ranking, tuple(self.entity_values("program")))

    def dialogue_intent(self) -> Optional[str]:
        """The intent as the planner acts on it (None for a knowledge topic: the planner reads those as topics)."""
        return dialogue_intent(self.intent)


def read_context(tracker: Tracker) -> TurnContext:
    message = tracker.latest_message or {}
    text = message.get("text") or ""
    intent, confidence, ranking = intent_reading(message)
    sender = tracker.sender_id or "unknown"
    # The channel follows the sender id's namespace, which the REST input channel has checked (core/identity.py).
    channel = channel_of(sender)
    slots = dict(tracker.slots or {})
    chosen = slots.get("language_choice")
    language = chosen or detect_language(text, default=slots.get("language") or "id") or "id"
    return TurnContext(
        sender_id=sender, channel=channel, text=text, intent=intent, confidence=confidence, ranking=ranking,
        entities=list(message.get("entities") or []), language=language, is_payload=text.lstrip().startswith("/"),
        slots=slots, replied_ticket=(message.get("metadata") or {}).get("reply_to_ticket") or None,
    )
