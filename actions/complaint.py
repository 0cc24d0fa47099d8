"""The complaint form: what happened, optional contact details, then a ticket."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import services
from actions.base import AssistantAction, Reply
from actions.context import TurnContext, read_context
from actions.replies import due_texts, recent_user_messages
from actions.texts import say

CANCEL = re.compile(r"^\s*(batal|batalkan|cancel|tidak jadi|gak jadi|ga jadi|nggak jadi|stop)\s*[.!]*\s*$", re.I)
SKIP = re.compile(r"^\s*(lewati|lewat|skip|tidak|tidak usah|gak usah|ga usah|no|-)\s*[.!]*\s*$", re.I)
MIN_WORDS = 3
FORM_SLOTS = ("complaint_text", "complaint_contact", "complaint_cancelled")


class ValidateComplaintForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_complaint_form"

    async def validate_complaint_text(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> Dict[Text, Any]:
        text = str(value or "").strip()
        lang = read_context(tracker).language
        if CANCEL.match(text):
            return {"complaint_text": "-", "complaint_contact": "-", "complaint_cancelled": True}
        if len(re.findall(r"\w+", text)) < MIN_WORDS or text.startswith("/"):
            dispatcher.utter_message(text=say("complaint_too_short", lang))
            return {"complaint_text": None}
        return {"complaint_text": text[:4000]}

    async def validate_complaint_contact(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                         domain: DomainDict) -> Dict[Text, Any]:
        text = str(value or "").strip()
        if CANCEL.match(text):
            return {"complaint_contact": "-", "complaint_cancelled": True}
        return {"complaint_contact": "-" if SKIP.match(text) or text.startswith("/") else text[:500]}


class ActionAskComplaintText(AssistantAction):
    def name(self) -> str:
        return "action_ask_complaint_text"

    def act(self, ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
        reply.say("complaint_ask_text")
        return []


class ActionAskComplaintContact(AssistantAction):
    def name(self) -> str:
        return "action_ask_complaint_contact"

    def act(self, ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
        reply.say("complaint_ask_contact")
        return []


class ActionSubmitComplaint(AssistantAction):
    def name(self) -> str:
        return "action_submit_complaint"

    def act(self, ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
        reset = [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("pending_question", None)]
        if ctx.slots.get("complaint_cancelled"):
            reply.say("complaint_cancelled")
            self.log_turn(ctx, "dialogue")
            return reset
        contact = ctx.slots.get("complaint_contact")
        ticket = services.tickets().open(
            "complaint", ctx.sender_id, ctx.channel, ctx.slots.get("complaint_text") or ctx.text, ctx.language,
            intent="complaint", contact={"text": contact} if contact and contact != "-" else None,
            messages=recent_user_messages(tracker),
        )
        reply.say("complaint_received", **due_texts(ticket, ctx.language))
        self.log_turn(ctx, "ticket", ticket_number=ticket.number)
        return reset + [SlotSet("ticket_id", ticket.number)]
