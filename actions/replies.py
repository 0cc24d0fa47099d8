"""Knowledge replies: an answer, a clarification, a fallback, a decline (the planner chose which)."""
from __future__ import annotations

from typing import Any, Dict, List, Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions import services
from actions.base import AssistantAction, Reply
from actions.context import TurnContext
from actions.payloads import AFFIRM, DENY, HANDOFF, REQUEST_TICKET, topic_payload
from actions.texts import button, main_menu_buttons, say
from conversation.moves import Move
from kb.answering import HEALTH, Option, out_of_scope_reason
from kb.entry import Entry
from monitoring.escalation import Failures
from monitoring.service_time import reply_by_text
from monitoring.tickets import Ticket


def staff_buttons(lang: str, with_helpful: bool = False) -> List[Dict[str, str]]:
    """The offer of staff: a ticket or a person (after "helpful?" when the answer came with it)."""
    buttons = [button("helpful_yes", lang, AFFIRM)] if with_helpful else []
    return buttons + [button("make_ticket", lang, REQUEST_TICKET), button("talk_to_staff", lang, HANDOFF)]


def entry_buttons(entries: Sequence[Entry], lang: str) -> List[Dict[str, str]]:
    """One button per entry: its title, and the payload that answers it."""
    kb = services.knowledge_base()
    return [{"title": kb.title(e, lang), "payload": topic_payload(e.topic, e.id)} for e in entries]


def existing_entries(entry_ids: Sequence[str]) -> List[Entry]:
    kb = services.knowledge_base()
    return [e for e in (kb.entry(i) for i in entry_ids) if e is not None]


def answer_with(ctx: TurnContext, reply: Reply, entry: Entry, move: Move) -> List[EventType]:
    kb = services.knowledge_base()
    lang = ctx.language
    if move.how.endswith("_again"):  # the same entry as the last answer, asked about again
        reply.say("answer_again")
    text = kb.answer(entry, lang)
    if move.offer_staff:
        reply.text(text)
        reply.say("offer_staff", buttons=staff_buttons(lang, with_helpful=True))
    else:
        reply.text(f"{text}\n\n" + say("feedback_question", lang),
                   buttons=[button("helpful_yes", lang, AFFIRM), button("helpful_no", lang, DENY)])
    related = existing_entries(move.related)
    if related:  # the other cases of the same question, or a second problem the message named
        reply.say(move.related_kind, buttons=entry_buttons(related, lang))
    AssistantAction.log_turn(ctx, "answered", topic=entry.topic, faq_id=entry.id, score=move.score)
    return [SlotSet("answer_topic", entry.topic), SlotSet("answer_faq_id", entry.id),
            SlotSet("escalation_offered", True if move.offer_staff else None),
            SlotSet("fallback_count", 0), SlotSet("failed_messages", None)]


def clarify_with(ctx: TurnContext, reply: Reply, move: Move) -> List[EventType]:
    buttons = entry_buttons(existing_entries([o.entry_id for o in move.options]), ctx.language)
    if move.offer_staff:
        buttons.append(button("talk_to_staff", ctx.language, HANDOFF))
    buttons.append({"title": say("clarify_none", ctx.language), "payload": DENY})
    reply.say("clarify", buttons=buttons)
    options = move.options
    AssistantAction.log_turn(ctx, "clarified", topic=options[0].topic if options else None,
                             score=options[0].score if options else None)
    return [SlotSet("suggested_topics", [o.topic for o in options]),
            SlotSet("escalation_offered", True if move.offer_staff else None)]


def due_texts(ticket: Ticket, lang: str) -> Dict[str, str]:
    branch = services.branch()
    return {"number": ticket.number, "reply_by": reply_by_text(ticket.due_at, branch, lang)}


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


def fail(ctx: TurnContext, reply: Reply, tracker: Tracker, move: Move) -> List[EventType]:
    """Nothing fits: apologise and suggest; the second failure in a row becomes a ticket."""
    candidates: Sequence[Option] = move.options
    question = ctx.text if not ctx.is_payload else (move.question or "")
    failures = Failures.of(ctx.slots.get("fallback_count"), ctx.slots.get("failed_messages")).after(question)
    if not failures.opens_ticket:
        guesses = existing_entries(move.related) if move.related_kind == "guesses" else []
        if guesses:  # not understood, but about our field: the likeliest topics to tap
            reply.say("fallback_guess", buttons=entry_buttons(guesses, ctx.language) + [
                {"title": say("clarify_none", ctx.language), "payload": DENY}])
        else:
            reply.say("fallback_first", buttons=main_menu_buttons(ctx.language))
        AssistantAction.log_turn(ctx, "fallback", score=candidates[0].score if candidates else None)
        return [SlotSet("fallback_count", failures.count), SlotSet("failed_messages", list(failures.messages)),
                SlotSet("suggested_topics", [e.topic for e in guesses] or None)]
    ticket = services.tickets().open(
        "unresolved_question", ctx.sender_id, ctx.channel, failures.ticket_text, ctx.language,
        intent=ctx.intent, confidence=ctx.confidence, topic=candidates[0].topic if candidates else None,
        candidates=[c.to_dict() for c in candidates[:5]], messages=recent_user_messages(tracker),
    )
    reply.say("fallback_ticket", **due_texts(ticket, ctx.language))
    AssistantAction.log_turn(ctx, "ticket", ticket_number=ticket.number)
    return [SlotSet("ticket_id", ticket.number), SlotSet("fallback_count", 0), SlotSet("failed_messages", None)]


def decline(ctx: TurnContext, reply: Reply) -> List[EventType]:
    """Out of scope: never a knowledge-base answer."""
    reason = out_of_scope_reason(services.knowledge_base().index.tokens(ctx.text))
    reply.say("out_of_scope_health" if reason == HEALTH else "out_of_scope", buttons=main_menu_buttons(ctx.language))
    AssistantAction.log_turn(ctx, "out_of_scope")
    return []
