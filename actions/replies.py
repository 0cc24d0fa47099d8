"""Reply building blocks shared by several actions: an answer, a clarification, a fallback, a ticket."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions import services
from actions.base import AssistantAction, Reply
from actions.context import TurnContext
from actions.payloads import AFFIRM, DENY, topic_payload
from actions.texts import button, main_menu_buttons
from kb.answering import Option
from kb.entry import Entry
from monitoring.service_time import local_time_text
from monitoring.tickets import Ticket

HEALTH_WORDS = re.compile(r"\b(bpjs\s*kes(ehatan)?|jkn|kis|faskes|puskesmas|rujukan|rawat inap|kelas\s*[123]|"
                          r"mobile\s*jkn|dokter keluarga|health insurance)\b", re.IGNORECASE)


def answer_with(ctx: TurnContext, reply: Reply, entry: Entry, score: Optional[float] = None) -> List[EventType]:
    kb = services.knowledge_base()
    reply.text(kb.answer(entry, ctx.language))
    reply.say("feedback_question", buttons=[button("helpful_yes", ctx.language, AFFIRM),
                                            button("helpful_no", ctx.language, DENY)])
    AssistantAction.log_turn(ctx, "answered", topic=entry.topic, faq_id=entry.id, score=score)
    return [
        SlotSet("answer_topic", entry.topic), SlotSet("answer_faq_id", entry.id),
        SlotSet("pending_question", "feedback"), SlotSet("last_faq_id", entry.id),
        SlotSet("last_question", ctx.text if not ctx.is_payload else None),
        SlotSet("fallback_count", 0), SlotSet("failed_messages", None),
    ]


def clarify_with(ctx: TurnContext, reply: Reply, options: Sequence[Option]) -> List[EventType]:
    kb = services.knowledge_base()
    buttons = []
    for option in options:
        entry = kb.entry(option.entry_id)
        if entry is not None:
            buttons.append({"title": kb.title(entry, ctx.language), "payload": topic_payload(entry.topic, entry.id)})
    buttons.append({"title": _none_of_these(ctx.language), "payload": DENY})
    reply.say("clarify", buttons=buttons)
    AssistantAction.log_turn(ctx, "clarified", topic=options[0].topic if options else None,
                             score=options[0].score if options else None)
    return [
        SlotSet("suggested_topics", [o.topic for o in options]), SlotSet("pending_question", "clarify"),
        SlotSet("last_question", ctx.text if not ctx.is_payload else ctx.slots.get("last_question")),
    ]


def _none_of_these(lang: str) -> str:
    from actions.texts import say

    return say("clarify_none", lang)


def due_texts(ticket: Ticket, lang: str) -> Dict[str, str]:
    branch = services.knowledge_base().branch
    return {"number": ticket.number, "due": local_time_text(ticket.due_at, branch, lang),
            "hours": branch.office_hours_text(lang)}


def recent_user_messages(tracker: Tracker, limit: int = 5) -> List[Dict[str, Any]]:
    """The participant's last typed messages (button payloads left out), oldest first."""
    out = []
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            text = (event.get("text") or "").strip()
            if text and not text.startswith("/"):
                out.append({"at": event.get("timestamp"), "text": text})
                if len(out) == limit:
                    break
    return list(reversed(out))


def fail(ctx: TurnContext, reply: Reply, tracker: Tracker, candidates: Sequence[Option] = ()) -> List[EventType]:
    """Nothing fits: apologise and suggest; the second failure in a row becomes a ticket."""
    failures = int(ctx.slots.get("fallback_count") or 0) + 1
    failed = list(ctx.slots.get("failed_messages") or [])
    question = ctx.text if not ctx.is_payload else (ctx.slots.get("last_question") or "")
    if question:
        failed.append(question)
    if failures < 2:
        reply.say("fallback_first", buttons=main_menu_buttons(ctx.language))
        AssistantAction.log_turn(ctx, "fallback", score=candidates[0].score if candidates else None)
        return [SlotSet("fallback_count", failures), SlotSet("failed_messages", failed[-5:]),
                SlotSet("pending_question", None)]
    ticket = services.tickets().open(
        "unresolved_question", ctx.sender_id, ctx.channel, "\n".join(failed[-5:]) or question, ctx.language,
        intent=ctx.intent, confidence=ctx.confidence, topic=candidates[0].topic if candidates else None,
        candidates=[c.to_dict() for c in candidates[:5]], messages=recent_user_messages(tracker),
    )
    reply.say("fallback_ticket", **due_texts(ticket, ctx.language))
    AssistantAction.log_turn(ctx, "ticket", ticket_number=ticket.number)
    return [SlotSet("ticket_id", ticket.number), SlotSet("fallback_count", 0), SlotSet("failed_messages", None),
            SlotSet("pending_question", None)]


def decline(ctx: TurnContext, reply: Reply) -> List[EventType]:
    """Out of scope: never a knowledge-base answer."""
    key = "out_of_scope_health" if HEALTH_WORDS.search(ctx.text or "") else "out_of_scope"
    reply.say(key, buttons=main_menu_buttons(ctx.language))
    AssistantAction.log_turn(ctx, "out_of_scope")
    return [SlotSet("pending_question", None)]
