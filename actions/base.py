"""The base every action shares: observable slots reset each turn, errors become apologies."""
from __future__ import annotations

import abc
import asyncio
import logging
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.context import TurnContext, read_context
from actions.texts import say
from monitoring.spool import Spool
from monitoring.turns import Turn

log = logging.getLogger(__name__)

# docs/interfaces.md "Observable answers": what this turn did, null unless set in this turn
# (escalation_offered: a ticket or a person was offered with this turn's reply).
OBSERVABLE_SLOTS = ("answer_topic", "answer_faq_id", "suggested_topics", "ticket_id", "escalation_offered")


def changed_slots(tracker: Tracker, events: List[EventType]) -> List[EventType]:
    """Only the slot events that change a value (last one wins): fewer events, same end state.

    Every event is stored, sent back to the action server with each call and
    validated by Rasa, so a turn that re-sets unchanged slots costs CPU for nothing.
    """
    final: Dict[str, Any] = {}
    others: List[EventType] = []
    for event in events:
        if event.get("event") == "slot":
            final[event["name"]] = event.get("value")
        else:
            others.append(event)
    current = tracker.slots or {}
    return others + [SlotSet(name, value) for name, value in final.items() if current.get(name) != value]


class Reply:
    """Messages an action wants to send; dispatched only once the action has succeeded."""

    def __init__(self, language: str):
        self.language = language
        self.messages: List[Dict[str, Any]] = []

    def text(self, text: str, buttons: Optional[List[Dict[str, str]]] = None) -> None:
        message: Dict[str, Any] = {"text": text}
        if buttons:
            message["buttons"] = buttons
        self.messages.append(message)

    def say(self, key: str, buttons: Optional[List[Dict[str, str]]] = None, **values: Any) -> None:
        self.text(say(key, self.language, **values), buttons)

    def send(self, dispatcher: CollectingDispatcher) -> None:
        for message in self.messages:
            dispatcher.utter_message(**message)


class AssistantAction(Action, metaclass=abc.ABCMeta):
    """Runs the synchronous `act` in a worker thread so database work never blocks other chats."""

    @abc.abstractmethod
    def name(self) -> str:
        ...

    @abc.abstractmethod
    def act(self, ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
        ...

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        ctx = read_context(tracker)
        reply = Reply(ctx.language)
        try:
            events = await asyncio.get_running_loop().run_in_executor(None, self.act, ctx, reply, tracker)
        except Exception as exc:  # the boundary: never let rasa-sdk answer 500 with the tracker
            log.error("action %s failed: %s", self.name(), type(exc).__name__, exc_info=True)
            self.keep_message(ctx, reason=f"{self.name()}: {type(exc).__name__}")
            reply = Reply(ctx.language)
            reply.say("error")
            events = []
        reply.send(dispatcher)
        resets = [SlotSet(slot, None) for slot in OBSERVABLE_SLOTS] + [SlotSet("language", ctx.language)]
        return changed_slots(tracker, resets + list(events))

    @staticmethod
    def keep_message(ctx: TurnContext, reason: str) -> None:
        if ctx.text and not ctx.is_payload:
            try:
                Spool().keep(ctx.sender_id, ctx.channel, ctx.text, ctx.language, reason)
            except OSError:
                log.error("could not keep a message in the spool", exc_info=True)

    @staticmethod
    def log_turn(ctx: TurnContext, outcome: str, **fields: Any) -> None:
        """Record the turn for KPIs; a logging failure never costs the participant the reply."""
        try:
            services.turns().record(Turn(sender_id=ctx.sender_id, text=ctx.text, outcome=outcome,
                                         language=ctx.language, intent=ctx.intent, confidence=ctx.confidence,
                                         **fields))
        except Exception:
            log.warning("could not record the turn", exc_info=True)
