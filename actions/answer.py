"""Answering a question from the knowledge base, clarifying, or falling back."""
from __future__ import annotations

import re
from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType

from actions import services
from actions.base import AssistantAction, Reply
from actions.context import TurnContext
from actions.replies import answer_with, clarify_with, decline, fail
from kb.answering import ANSWER, CLARIFY, OUT_OF_SCOPE, Option, decide
from kb.topics import topic_for_intent

_HAS_WORD = re.compile(r"[^\W_]", re.UNICODE)
_MARKUP = re.compile(r"<[^<>]{0,300}>")  # HTML tags are never part of a question
MAX_QUESTION_CHARS = 2000  # longer messages are searched by their beginning


class ActionAnswerQuestion(AssistantAction):
    def name(self) -> str:
        return "action_answer_question"

    def act(self, ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
        question = _MARKUP.sub(" ", ctx.text or "")[:MAX_QUESTION_CHARS]
        if not _HAS_WORD.search(question):
            reply.say("empty_message")
            self.log_turn(ctx, "dialogue")
            return []
        kb = services.knowledge_base()
        topic = topic_for_intent(ctx.intent)
        if ctx.is_payload and topic:  # a menu or clarification button
            entry = kb.entry(ctx.entity("faq_id") or "")
            if entry is not None:
                return answer_with(ctx, reply, entry, score=1.0)
            entries = kb.entries_for_topic(topic)
            if len(entries) == 1:
                return answer_with(ctx, reply, entries[0], score=1.0)
            if entries:
                return clarify_with(ctx, reply, [Option(e.id, e.topic, 1.0) for e in entries[:3]])
        decision = decide(question, kb.index, ctx.nlu(), services.fusion_config())
        if decision.kind == ANSWER:
            best = decision.best
            return answer_with(ctx, reply, kb.entry(best.entry_id), score=best.score)
        if decision.kind == CLARIFY:
            return clarify_with(ctx, reply, decision.options)
        if decision.kind == OUT_OF_SCOPE:
            return decline(ctx, reply)
        return fail(ctx, reply, tracker, decision.candidates)
