"""What the planner decides for one turn (a `Move`) and what it reads (a `Message`): the vocabulary shared by
the planner and the actions that carry its moves out."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional, Tuple

from kb.answering import NluSignal, Option

# Move kinds.
EMPTY = "empty"  # no word in the message
DIALOGUE = "dialogue"  # greet, goodbye, thanks, bot_challenge, menu, set_language, ticket_status, yes_no
HANDOFF = "handoff"  # talk to a person: a ticket
COMPLAINT_ASK = "complaint_ask"  # ask for the complaint's story
COMPLAINT_OPEN = "complaint_open"  # open the complaint ticket with the story
COMPLAINT_CANCEL = "complaint_cancel"
REQUEST_TICKET = "request_ticket"  # pass the last question to staff as a ticket
DECLINE_OFFER = "decline_offer"
FEEDBACK_MOVE = "feedback"  # "was this helpful?" answered (helpful or not)
ATTACH = "attach"  # add the message to the open ticket
ANSWER_MOVE = "answer"
CLARIFY_MOVE = "clarify"
FALLBACK_MOVE = "fallback"
DECLINE = "decline"  # out of scope


@dataclass(frozen=True)
class Message:
    text: str
    nlu: NluSignal = field(default_factory=NluSignal)  # the classifier's reading, in topics
    is_payload: bool = False
    entities: Tuple[Tuple[str, str], ...] = ()  # (entity, value) pairs: faq_id, menu, language, ticket_id
    replied_ticket: Optional[str] = None  # an open ticket whose staff reply this message answers
    # The dialogue intent recognised (greet, affirm, complaint, ...; see DIALOGUE_INTENTS), None when the
    # classifier's best guess is a knowledge topic (nlu.topic) or nothing.
    intent: Optional[str] = None

    def entity(self, name: str) -> Optional[str]:
        return next((v for e, v in self.entities if e == name), None)


@dataclass(frozen=True)
class Move:
    kind: str
    entry_id: Optional[str] = None  # the entry to answer with
    options: Tuple[Option, ...] = ()  # clarify: the entries to choose from; fallback: the candidates
    question: str = ""  # the participant's question this move is about (ticket text, feedback, logs)
    score: Optional[float] = None
    offer_staff: bool = False  # answer, plus the offer of a ticket or a person
    # Entries offered as buttons under the answer: the other cases of the same question ("other_cases"),
    # or a second problem the message named ("second_problem"); under a fallback, the best guesses
    # at a message not understood ("guesses").
    related: Tuple[str, ...] = ()
    related_kind: str = ""
    helpful: Optional[bool] = None  # feedback moves
    intent: Optional[str] = None  # dialogue moves: which one
    ticket: Optional[str] = None  # attach / hand-off: the conversation's open ticket
    how: str = ""  # why (standalone, follow_up, clarify_reply, long_message, ...): logs and tests


Parser = Callable[[str], NluSignal]
