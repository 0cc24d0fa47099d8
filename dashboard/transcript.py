"""A participant's conversation as staff read it, from the tracker of Rasa's HTTP API.

Each turn is one participant message with what the assistant understood (intent and
confidence) and what it did: its messages, and the knowledge-base answer it gave
(slots `answer_topic` / `answer_faq_id`). The tracker store records a slot event only
when the value changes, so the slots are replayed in order and read at the end of
each turn (every action of the assistant resets them to null unless it answers, so a
value still set at the end of a turn is that turn's answer).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from core.rasa_client import RasaClient, RasaUnavailable
from dashboard import labels

RESET_EVENTS = ("restart", "session_started", "reset_slots")
MAX_TURNS = 200  # the most recent turns shown


@dataclass
class BotMessage:
    at: Optional[dt.datetime]
    text: str
    buttons: List[str] = field(default_factory=list)


@dataclass
class Turn:
    at: Optional[dt.datetime]
    text: str
    is_button: bool = False
    intent: Optional[str] = None
    confidence: Optional[float] = None
    bot: List[BotMessage] = field(default_factory=list)
    answer_topic: Optional[str] = None
    answer_faq_id: Optional[str] = None
    ticket_id: Optional[str] = None  # a ticket opened, or added to, in this turn
    is_command: bool = False  # typed as a command (/status, /start): the text is what was typed


@dataclass
class Transcript:
    opening: List[BotMessage] = field(default_factory=list)  # bot messages before the first participant message
    turns: List[Turn] = field(default_factory=list)
    truncated: int = 0  # older turns left out


def _time(value: Any) -> Optional[dt.datetime]:
    try:
        return dt.datetime.fromtimestamp(float(value), dt.timezone.utc).replace(tzinfo=None)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _buttons(event: Dict[str, Any]) -> List[str]:
    data = event.get("data") or {}
    buttons = data.get("buttons") if isinstance(data, dict) else None
    if not isinstance(buttons, list):
        return []
    return [_text(b.get("title")) for b in buttons if isinstance(b, dict)]


def _intent(event: Dict[str, Any]) -> Tuple[Optional[str], Optional[float]]:
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") if isinstance(parse, dict) else None
    if not isinstance(intent, dict):
        return None, None
    confidence = intent.get("confidence")
    try:
        confidence = float(confidence) if confidence is not None else None
    except (TypeError, ValueError):
        confidence = None
    name = intent.get("name")
    return (name if isinstance(name, str) else None), confidence


def _what_was_sent(event: Dict[str, Any]) -> Tuple[str, bool, bool]:
    """(text, a button tap, a typed command) of a user event. The gateway says how a payload came
    (metadata `input`: text, command, callback); without that, a payload is taken for a button."""
    text = _text(event.get("text"))
    metadata = event.get("metadata")
    how = metadata.get("input") if isinstance(metadata, dict) else None
    if how == "command":
        typed = metadata.get("command")
        return (typed if isinstance(typed, str) and typed else text), False, True
    return text, text.startswith("/") and how != "text", False


def parse_tracker(tracker: Dict[str, Any]) -> Transcript:
    """Turn the tracker's event list into turns; unknown or malformed events are skipped."""
    transcript = Transcript()
    slots: Dict[str, Any] = {}
    current: Optional[Turn] = None

    def close(turn: Optional[Turn]) -> None:
        if turn is not None:
            turn.answer_topic = slots.get("answer_topic")
            turn.answer_faq_id = slots.get("answer_faq_id")
            turn.ticket_id = slots.get("ticket_id")

    events = tracker.get("events") if isinstance(tracker, dict) else None
    for event in events if isinstance(events, list) else []:
        if not isinstance(event, dict):
            continue
        kind = event.get("event")
        if kind == "user":
            close(current)
            text, is_button, is_command = _what_was_sent(event)
            intent, confidence = _intent(event)
            current = Turn(_time(event.get("timestamp")), text, is_button, intent, confidence, is_command=is_command)
            transcript.turns.append(current)
        elif kind == "bot":
            message = BotMessage(_time(event.get("timestamp")), _text(event.get("text")), _buttons(event))
            (current.bot if current is not None else transcript.opening).append(message)
        elif kind == "slot" and isinstance(event.get("name"), str):
            slots[event["name"]] = event.get("value")
        elif kind in RESET_EVENTS:
            slots.clear()
    close(current)
    if len(transcript.turns) > MAX_TURNS:
        transcript.truncated = len(transcript.turns) - MAX_TURNS
        transcript.turns = transcript.turns[-MAX_TURNS:]
    return transcript


def fetch_transcript(client: RasaClient, sender_id: str) -> Tuple[Optional[Transcript], Optional[str]]:
    """The transcript, or None and a note for staff saying why it is not available."""
    try:
        tracker = client.tracker(sender_id)
    except RasaUnavailable as exc:
        return None, labels.text("ticket.transcript_unreachable", error=exc)
    except ValueError:
        return None, labels.text("ticket.transcript_unreadable")
    return parse_tracker(tracker), None
