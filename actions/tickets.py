"""Hand-off to staff and participants' own ticket status."""
from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions import services
from actions.base import AssistantAction, Reply
from actions.context import TurnContext
from actions.replies import due_texts, recent_user_messages
from actions.texts import say
from monitoring.service_time import local_time_text
from monitoring.tickets import Ticket, normalize_number


class ActionHandoff(AssistantAction):
    def name(self) -> str:
        return "action_handoff"

    def act(self, ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
        messages = recent_user_messages(tracker)
        text = "\n".join(m["text"] for m in messages) or ctx.text
        ticket = services.tickets().open(
            "handoff", ctx.sender_id, ctx.channel, text, ctx.language, intent=ctx.intent,
            confidence=ctx.confidence, messages=messages,
        )
        reply.say("handoff", **due_texts(ticket, ctx.language))
        self.log_turn(ctx, "ticket", ticket_number=ticket.number)
        return [SlotSet("ticket_id", ticket.number), SlotSet("pending_question", None)]


def describe(ticket: Ticket, lang: str) -> str:
    branch = services.knowledge_base().branch
    extra = ""
    if ticket.is_open:
        extra += say("ticket_status_due", lang, due=local_time_text(ticket.due_at, branch, lang))
    replies = [e for e in ticket.events if e.kind == "reply" and e.text]
    if replies:
        text = replies[-1].text
        extra += say("ticket_status_reply", lang, reply=text if len(text) <= 300 else text[:297] + "...")
    return say("ticket_status_one", lang, number=ticket.number, kind=say(f"kind.{ticket.kind}", lang),
               status=say(f"status.{ticket.status}", lang),
               created=local_time_text(ticket.created_at, branch, lang), extra=extra)


class ActionTicketStatus(AssistantAction):
    def name(self) -> str:
        return "action_ticket_status"

    def act(self, ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
        tickets = services.tickets()
        asked = ctx.entity("ticket_id")
        if asked:
            number = normalize_number(asked) or asked.upper()
            ticket = tickets.get_for_sender(ctx.sender_id, number)
            if ticket is None:  # unknown, or someone else's: the same answer either way
                reply.say("ticket_status_not_found", number=number)
                self.log_turn(ctx, "dialogue")
                return []
            reply.text(describe(ticket, ctx.language))
            self.log_turn(ctx, "dialogue", ticket_number=ticket.number)
            return [SlotSet("ticket_id", ticket.number)]
        own = tickets.for_sender(ctx.sender_id, limit=5)
        if not own:
            reply.say("ticket_status_none")
            self.log_turn(ctx, "dialogue")
            return []
        detailed = [tickets.get_for_sender(ctx.sender_id, t.number) or t for t in own]
        lines = [say("ticket_status_list", ctx.language)] + [f"• {describe(t, ctx.language)}" for t in detailed]
        reply.text("\n".join(lines))
        self.log_turn(ctx, "dialogue", ticket_number=own[0].number)
        return [SlotSet("ticket_id", own[0].number)]
