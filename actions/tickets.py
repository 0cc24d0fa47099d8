"""Tickets from the conversation: hand-off, a question passed to staff, details added, status."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

import texts
from actions import services
from actions.base import AssistantAction, Reply
from actions.context import TurnContext
from actions.replies import due_texts, recent_user_messages
from actions.texts import say
from conversation.moves import Move
from monitoring.service_time import local_time_text, promised_due_text
from monitoring.tickets import OPEN_STATUSES, Ticket, normalize_number

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# A ticket's text names its topic when its best knowledge-base match scores at least this (calibrated).
TOPIC_FROM_TEXT = 0.4
_PHONE = re.compile(r"(?:\+62|62|0)8[\d\s.-]{7,14}\d")


def open_ticket_of(ctx: TurnContext, number: Optional[str]) -> Optional[Ticket]:
    """The conversation's ticket if it is still open (staff may have resolved it meanwhile); a duplicate
    staff merged into another ticket stands for that one."""
    if not number:
        return None
    ticket = services.tickets().get(number)
    if ticket is not None and ticket.merged_into:
        ticket = services.tickets().get(ticket.merged_into)
    if ticket is None or ticket.sender_id != ctx.sender_id or ticket.status not in OPEN_STATUSES:
        return None
    return ticket


def ticket_topic(ctx: TurnContext, text: str) -> Optional[str]:
    """The topic a new ticket is filed under: the conversation's, else the one its text clearly matches
    (else, in monitoring/, the topic the participant was last answered on)."""
    topic = ctx.slots.get("context_topic")
    if topic:
        return topic
    found = services.knowledge_base().search(text, limit=1) if text else []
    return found[0].topic if found and found[0].score >= TOPIC_FROM_TEXT else None


def handoff(ctx: TurnContext, reply: Reply, tracker: Tracker, move: Move) -> List[EventType]:
    current = open_ticket_of(ctx, move.ticket)
    if current is not None and current.kind == "handoff":
        if not ctx.is_payload:
            services.tickets().add_participant_message(current.number, ctx.sender_id, ctx.text)
        reply.say("handoff_already", **due_texts(current, ctx.language))
        AssistantAction.log_turn(ctx, "ticket", ticket_number=current.number)
        return [SlotSet("ticket_id", current.number)]
    messages = recent_user_messages(tracker)
    text = "\n".join(m["text"] for m in messages) or ctx.text
    ticket = services.tickets().open(
        "handoff", ctx.sender_id, ctx.channel, text, ctx.language, intent=ctx.intent,
        confidence=ctx.confidence, topic=ticket_topic(ctx, text), messages=messages,
    )
    reply.say("handoff", **due_texts(ticket, ctx.language))
    AssistantAction.log_turn(ctx, "ticket", ticket_number=ticket.number)
    return [SlotSet("ticket_id", ticket.number)]


def request_ticket(ctx: TurnContext, reply: Reply, tracker: Tracker, move: Move) -> List[EventType]:
    """The participant asked for staff after an answer: the question behind it becomes the ticket."""
    kb = services.knowledge_base()
    entry = kb.entry(ctx.slots.get("last_faq_id") or "")
    unhelpful = ctx.slots.get("pending_question") == "offer_ticket"
    ticket = services.tickets().open(
        "negative_feedback" if unhelpful else "unresolved_question", ctx.sender_id, ctx.channel,
        move.question or texts.say("tickets.unrecorded_question", texts.STAFF_LANGUAGE), ctx.language,
        topic=entry.topic if entry else ticket_topic(ctx, move.question or ""),
        candidates=[{"entry_id": entry.id, "topic": entry.topic, "score": None}] if entry else [],
        messages=recent_user_messages(tracker),
    )
    reply.say("ticket_opened", **due_texts(ticket, ctx.language))
    AssistantAction.log_turn(ctx, "ticket", ticket_number=ticket.number)
    return [SlotSet("ticket_id", ticket.number)]


def contact_in(text: str) -> Optional[Dict[str, Any]]:
    """Contact details a participant wrote (phone or e-mail), kept on the ticket for staff."""
    found = {"email": _EMAIL.findall(text), "phone": _PHONE.findall(text)}
    found = {k: v[0].strip() for k, v in found.items() if v}
    return found or None


def attach(ctx: TurnContext, reply: Reply, tracker: Tracker, move: Move) -> List[EventType]:
    """Details for the conversation's open ticket (checked open this turn): added to it, and the participant told so."""
    contact = contact_in(ctx.text)
    ticket = services.tickets().add_participant_message(move.ticket or "", ctx.sender_id, ctx.text, contact=contact)
    reply.say("ticket_contact_added" if contact else "ticket_details_added", **due_texts(ticket, ctx.language))
    AssistantAction.log_turn(ctx, "ticket", ticket_number=ticket.number)
    return [SlotSet("ticket_id", ticket.number)]


def describe(ticket: Ticket, lang: str) -> str:
    branch = services.branch()
    extra = ""
    due = promised_due_text(ticket.due_at, branch, lang) if ticket.is_open else None
    if due:
        extra += say("ticket_status_due", lang, due=due)
    text = ticket.last_staff_reply
    if text:
        extra += say("ticket_status_reply", lang, reply=text if len(text) <= 300 else text[:297] + "...")
    return say("ticket_status_one", lang, number=ticket.number,
               kind=texts.say(f"tickets.kind.{ticket.kind}.participant", lang),
               status=texts.say(f"tickets.status.{ticket.status}.participant", lang),
               created=local_time_text(ticket.created_at, branch, lang), extra=extra)


def ticket_status(ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
    tickets = services.tickets()
    asked = ctx.entity("ticket_id")
    if asked:
        number = normalize_number(asked) or asked.upper()
        ticket = tickets.get_for_sender(ctx.sender_id, number)
        if ticket is None:  # unknown, or someone else's: the same answer either way
            reply.say("ticket_status_not_found", number=number, example=services.branch().ticket_example)
            return []
        reply.text(describe(ticket, ctx.language))
        return [SlotSet("ticket_id", ticket.number)]
    own = tickets.for_sender(ctx.sender_id, limit=5)
    if not own:
        reply.say("ticket_status_none")
        return []
    detailed = [tickets.get_for_sender(ctx.sender_id, t.number) or t for t in own]
    lines = [say("ticket_status_list", ctx.language)] + [f"• {describe(t, ctx.language)}" for t in detailed]
    reply.text("\n".join(lines))
    return [SlotSet("ticket_id", own[0].number)]
