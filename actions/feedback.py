"""Yes / no replies, read in the light of the question the assistant asked last."""
from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions import services
from actions.base import AssistantAction, Reply
from actions.context import TurnContext
from actions.payloads import AFFIRM, DENY, HANDOFF
from actions.replies import due_texts, fail, recent_user_messages
from actions.texts import button, main_menu_buttons


class ActionHandleYesNo(AssistantAction):
    def name(self) -> str:
        return "action_handle_yes_no"

    def act(self, ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
        yes = ctx.intent == "affirm"
        pending = ctx.slots.get("pending_question")
        if pending == "feedback":
            return self._feedback(ctx, reply, yes)
        if pending == "offer_ticket":
            return self._offer_ticket(ctx, reply, tracker, yes)
        if pending == "clarify" and not yes:
            return fail(ctx, reply, tracker)
        reply.say("yes_no_without_context", buttons=main_menu_buttons(ctx.language))
        self.log_turn(ctx, "dialogue")
        return [SlotSet("pending_question", None)]

    def _feedback(self, ctx: TurnContext, reply: Reply, helpful: bool) -> List[EventType]:
        faq_id = ctx.slots.get("last_faq_id")
        entry = services.knowledge_base().entry(faq_id or "")
        if entry is not None:
            services.feedback().record(ctx.sender_id, entry.id, entry.topic, helpful,
                                       question=ctx.slots.get("last_question"), language=ctx.language)
        self.log_turn(ctx, "dialogue", topic=entry.topic if entry else None, faq_id=faq_id)
        if helpful:
            reply.say("feedback_thanks")
            return [SlotSet("pending_question", None)]
        reply.say("feedback_sorry", buttons=[button("make_ticket", ctx.language, AFFIRM),
                                             button("talk_to_staff", ctx.language, HANDOFF),
                                             button("no_thanks", ctx.language, DENY)])
        return [SlotSet("pending_question", "offer_ticket")]

    def _offer_ticket(self, ctx: TurnContext, reply: Reply, tracker: Tracker, yes: bool) -> List[EventType]:
        if not yes:
            reply.say("offer_declined", buttons=main_menu_buttons(ctx.language))
            self.log_turn(ctx, "dialogue")
            return [SlotSet("pending_question", None)]
        kb = services.knowledge_base()
        entry = kb.entry(ctx.slots.get("last_faq_id") or "")
        question = ctx.slots.get("last_question") or "(pertanyaan tidak tercatat)"
        ticket = services.tickets().open(
            "negative_feedback", ctx.sender_id, ctx.channel, question, ctx.language,
            topic=entry.topic if entry else None,
            candidates=[{"entry_id": entry.id, "topic": entry.topic, "score": None}] if entry else [],
            messages=recent_user_messages(tracker),
        )
        reply.say("ticket_opened", **due_texts(ticket, ctx.language))
        self.log_turn(ctx, "ticket", ticket_number=ticket.number)
        return [SlotSet("ticket_id", ticket.number), SlotSet("pending_question", None)]
