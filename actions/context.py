"""What an action needs to know about the current turn, read once from the tracker."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker

from kb.answering import NluSignal
from kb.language import detect_language


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
        return NluSignal(self.intent, self.confidence, self.ranking, tuple(self.entity_values("program")))


def _intent_reading(message: Dict[str, Any]) -> Tuple[Optional[str], float, List[Tuple[str, float]]]:
    """Intent, confidence and ranking from a parsed message (the tracker's latest message or /model/parse)."""
    intent = (message.get("intent") or {}).get("name")
    confidence = float((message.get("intent") or {}).get("confidence") or 0.0)
    ranking = [(r.get("name"), float(r.get("confidence") or 0.0)) for r in message.get("intent_ranking") or []
               if r.get("name")]
    return intent, confidence, ranking or ([(intent, confidence)] if intent else [])


def nlu_signal(parsed: Dict[str, Any]) -> NluSignal:
    """The NLU reading of a parsed text (Rasa's /model/parse answer) as the knowledge base takes it."""
    intent, confidence, ranking = _intent_reading(parsed)
    programs = tuple(str(e.get("value")) for e in parsed.get("entities") or [] if e.get("entity") == "program")
    return NluSignal(intent, confidence, ranking, programs)


def read_context(tracker: Tracker) -> TurnContext:
    message = tracker.latest_message or {}
    text = message.get("text") or ""
    intent, confidence, ranking = _intent_reading(message)
    sender = tracker.sender_id or "unknown"
    channel = "telegram" if sender.startswith("tg:") else (tracker.get_latest_input_channel() or "rest")
    slots = dict(tracker.slots or {})
    chosen = slots.get("language_choice")
    language = chosen or detect_language(text, default=slots.get("language") or "id") or "id"
    return TurnContext(
        sender_id=sender, channel=channel, text=text, intent=intent, confidence=confidence, ranking=ranking,
        entities=list(message.get("entities") or []), language=language, is_payload=text.lstrip().startswith("/"),
        slots=slots, replied_ticket=(message.get("metadata") or {}).get("reply_to_ticket") or None,
    )
