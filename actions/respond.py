"""The one action for every participant message: read it in the light of the conversation, then act.

Rasa's NLU reads the message alone; `conversation.planner` reads it with the dialogue
state kept in slots (what the assistant asked last, the program and topic, an open
ticket) and chooses a move. This module only carries the move out and stores the state.
"""
from __future__ import annotations

import re
from typing import Callable, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions import complaint, dialogue, feedback, replies, services, tickets
from actions.base import AssistantAction, Reply
from actions.context import TurnContext
from conversation import moves
from conversation.moves import Message, Move
from conversation.state import ConversationState
from core.settings import get_settings

_MARKUP = re.compile(r"<[^<>]{0,300}>")  # HTML tags are never part of a question
MAX_QUESTION_CHARS = 2000  # longer messages are read by their beginning

Handler = Callable[[TurnContext, Reply, Tracker, Move], List[EventType]]


def _dialogue(ctx: TurnContext, reply: Reply, tracker: Tracker, move: Move) -> List[EventType]:
    if move.helpful:  # "sudah bisa, makasih" after an answer: thanks, and the answer helped
        feedback.record(ctx, move)
    handler = dialogue.HANDLERS.get(move.intent or "")
    events = handler(ctx, reply, tracker) if handler else tickets.ticket_status(ctx, reply, tracker)
    AssistantAction.log_turn(ctx, "dialogue")
    return events


def _answer(ctx: TurnContext, reply: Reply, tracker: Tracker, move: Move) -> List[EventType]:
    entry = services.knowledge_base().entry(move.entry_id or "")
    if entry is None:  # an admin deactivated it between the plan and now
        return replies.fail(ctx, reply, tracker, move)
    return replies.answer_with(ctx, reply, entry, move)


def _empty(ctx: TurnContext, reply: Reply, tracker: Tracker, move: Move) -> List[EventType]:
    reply.say("empty_message")
    AssistantAction.log_turn(ctx, "dialogue")
    return []


HANDLERS: Dict[str, Handler] = {
    moves.EMPTY: _empty,
    moves.DIALOGUE: _dialogue,
    moves.HANDOFF: tickets.handoff,
    moves.REQUEST_TICKET: tickets.request_ticket,
    moves.ATTACH: tickets.attach,
    moves.COMPLAINT_ASK: complaint.ask_story,
    moves.COMPLAINT_OPEN: complaint.open_complaint,
    moves.COMPLAINT_CANCEL: complaint.cancel,
    moves.FEEDBACK_MOVE: feedback.feedback,
    moves.DECLINE_OFFER: feedback.decline_offer,
    moves.ANSWER_MOVE: _answer,
    moves.CLARIFY_MOVE: lambda ctx, reply, tracker, move: replies.clarify_with(ctx, reply, move),
    moves.FALLBACK_MOVE: replies.fail,
    moves.DECLINE: lambda ctx, reply, tracker, move: replies.decline(ctx, reply),
}


def message_of(ctx: TurnContext) -> Message:
    text = _MARKUP.sub(" ", ctx.text or "")[:MAX_QUESTION_CHARS]
    entities = tuple((str(e.get("entity")), str(e.get("value"))) for e in ctx.entities
                     if e.get("entity") and e.get("value") is not None)
    replied = tickets.open_ticket_of(ctx, ctx.replied_ticket)  # only the participant's own open ticket
    return Message(text, ctx.nlu(), ctx.is_payload, entities, replied.number if replied else None,
                   intent=ctx.dialogue_intent())


def starts_session(tracker: Tracker) -> bool:
    """True when this message opens a new session (after two idle hours): old context no longer applies."""
    seen_current = False
    for event in reversed(tracker.events or []):
        kind = event.get("event")
        if kind == "user":
            if seen_current:
                return False
            seen_current = True
        elif kind == "session_started" and seen_current:
            return True
    return False


class ActionRespond(AssistantAction):
    def name(self) -> str:
        return "action_respond"

    def act(self, ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
        fresh = starts_session(tracker) or not get_settings().conversation_context
        state = ConversationState() if fresh else ConversationState.from_slots(ctx.slots)
        if state.open_ticket:
            current = tickets.open_ticket_of(ctx, state.open_ticket)  # resolved, closed or merged by staff meanwhile
            state = state.but(open_ticket=current.number if current else None)
        planner = services.planner()
        message = message_of(ctx)
        move = planner.plan(message, state)
        events = HANDLERS[move.kind](ctx, reply, tracker, move)
        opened = next((e["value"] for e in events if e.get("event") == "slot" and e.get("name") == "ticket_id"), None)
        after = planner.after(move, state, message, ticket=opened)
        return events + [SlotSet(slot, value) for slot, value in after.to_slots().items()]
