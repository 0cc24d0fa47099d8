"""The participant's word on an answer ("was this helpful?"), by button or in their own words."""
from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions import services
from actions.base import AssistantAction, Reply
from actions.context import TurnContext
from actions.payloads import DENY
from actions.replies import staff_buttons
from actions.texts import button, main_menu_buttons
from conversation.moves import Move
from conversation.reading import STILL_FAILING


def record(ctx: TurnContext, move: Move) -> None:
    """Keep the participant's verdict on the answer it is about (answer feedback KPIs)."""
    entry = services.knowledge_base().entry(move.entry_id or "")
    if entry is not None:
        services.feedback().record(ctx.sender_id, entry.id, entry.topic, bool(move.helpful),
                                   question=ctx.slots.get("last_question"), language=ctx.language)


def feedback(ctx: TurnContext, reply: Reply, tracker: Tracker, move: Move) -> List[EventType]:
    record(ctx, move)
    AssistantAction.log_turn(ctx, "dialogue", faq_id=move.entry_id)
    if move.helpful:
        reply.say("feedback_thanks")
        return []
    # Not helpful, or "tetap sama" in words: offer staff with the question that was asked.
    key = {STILL_FAILING: "still_failing", "same_answer": "same_answer"}.get(move.how, "feedback_sorry")
    reply.say(key, buttons=staff_buttons(ctx.language) + [button("no_thanks", ctx.language, DENY)])
    return [SlotSet("escalation_offered", True)]


def decline_offer(ctx: TurnContext, reply: Reply, tracker: Tracker, move: Move) -> List[EventType]:
    reply.say("offer_declined", buttons=main_menu_buttons(ctx.language))
    AssistantAction.log_turn(ctx, "dialogue")
    return []
