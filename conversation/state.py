"""What the conversation is about, kept in Rasa slots between turns (plain data here).

pending: what the assistant asked last and is waiting for
  feedback      "Apakah jawaban ini membantu?" after an answer
  offer_ticket  "Teruskan ke petugas?" after an unhelpful answer
  clarify       "Maksud Anda yang mana?" with the offered entries
  guess         a message not understood, with the best guesses offered as buttons (weaker than a
                clarification: a typed reply is read as a message of its own)
  complaint     "Silakan ceritakan pengaduan Anda" (the complaint's story)
open_ticket: a hand-off or complaint ticket of this conversation that further details go to.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Dict, Mapping, Optional, Tuple

FEEDBACK, OFFER_TICKET, CLARIFY, COMPLAINT, GUESS = "feedback", "offer_ticket", "clarify", "complaint", "guess"
PENDING = (FEEDBACK, OFFER_TICKET, CLARIFY, COMPLAINT, GUESS)

# Slot names (domain/assistant.yml) for each field.
SLOTS = {
    "pending": "pending_question",
    "program": "context_program",
    "topic": "context_topic",
    "last_entry": "last_faq_id",
    "last_question": "last_question",
    "offered": "offered_options",
    "open_ticket": "open_ticket",
}


@dataclass(frozen=True)
class ConversationState:
    pending: Optional[str] = None
    program: Optional[str] = None  # the program the conversation is about (JHT, JKK, ...)
    topic: Optional[str] = None  # the topic of the last answer or clarification
    last_entry: Optional[str] = None  # the knowledge-base entry answered last
    last_question: Optional[str] = None  # the participant's question behind it (a ticket's text)
    offered: Tuple[str, ...] = field(default_factory=tuple)  # entry ids offered in a clarification
    open_ticket: Optional[str] = None

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> "ConversationState":
        values: Dict[str, Any] = {name: slots.get(slot) for name, slot in SLOTS.items()}
        values["offered"] = tuple(values["offered"] or ())
        if values["pending"] not in PENDING:
            values["pending"] = None
        return cls(**values)

    def to_slots(self) -> Dict[str, Any]:
        return {slot: (list(self.offered) or None) if name == "offered" else getattr(self, name)
                for name, slot in SLOTS.items()}

    def but(self, **changes: Any) -> "ConversationState":
        return replace(self, **changes)
