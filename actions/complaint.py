"""Complaints: the story becomes a ticket at once; contact details and more may follow."""
from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions import services
from actions.base import AssistantAction, Reply
from actions.context import TurnContext
from actions.replies import due_texts, recent_user_messages
from actions.tickets import contact_in, ticket_topic
from conversation.moves import Move


def ask_story(ctx: TurnContext, reply: Reply, tracker: Tracker, move: Move) -> List[EventType]:
    reply.say("complaint_too_short" if move.how == "too_short" else "complaint_ask_text")
    AssistantAction.log_turn(ctx, "dialogue")
    return []


def open_complaint(ctx: TurnContext, reply: Reply, tracker: Tracker, move: Move) -> List[EventType]:
    story = move.question or ctx.text
    kb = services.knowledge_base()
    entry = kb.entry(move.entry_id or "")
    ticket = services.tickets().open(
        "complaint", ctx.sender_id, ctx.channel, story, ctx.language, intent="complaint",
        topic=ctx.slots.get("context_topic") or (entry.topic if entry else ticket_topic(ctx, story)),
        contact=contact_in(story), messages=recent_user_messages(tracker),
    )
    reply.say("complaint_received", **due_texts(ticket, ctx.language))
    AssistantAction.log_turn(ctx, "ticket", ticket_number=ticket.number)
    events = [SlotSet("ticket_id", ticket.number)]
    if entry is not None:  # the story is also a question the knowledge base answers: the answer meanwhile
        reply.say("complaint_info")
        reply.text(kb.answer(entry, ctx.language))
        events += [SlotSet("answer_topic", entry.topic), SlotSet("answer_faq_id", entry.id)]
    return events


def cancel(ctx: TurnContext, reply: Reply, tracker: Tracker, move: Move) -> List[EventType]:
    reply.say("complaint_cancelled")
    AssistantAction.log_turn(ctx, "dialogue")
    return []
