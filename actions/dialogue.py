"""Small talk and navigation: greeting with the menu, goodbye, thanks, bot challenge, language."""
from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions import services
from actions.base import AssistantAction, Reply
from actions.context import TurnContext
from actions.payloads import topic_payload
from actions.texts import lang_of, main_menu_buttons, menus


def _branch_name(lang: str) -> str:
    try:
        return services.knowledge_base().branch.name[lang_of(lang)]
    except Exception:  # the greeting must work even when the database is down
        return "BPJS Ketenagakerjaan"


class ActionGreet(AssistantAction):
    def name(self) -> str:
        return "action_greet"

    def act(self, ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
        reply.say("greeting", buttons=main_menu_buttons(ctx.language), branch=_branch_name(ctx.language))
        self.log_turn(ctx, "dialogue")
        return [SlotSet("pending_question", None)]


class ActionShowMenu(AssistantAction):
    def name(self) -> str:
        return "action_show_menu"

    def act(self, ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
        lang = lang_of(ctx.language)
        submenu = menus()["submenus"].get(ctx.entity("menu") or "")
        if submenu is None:
            reply.say("menu_prompt", buttons=main_menu_buttons(lang))
        else:
            labels = menus()["labels"]
            buttons = [{"title": labels[t][lang], "payload": topic_payload(t)} for t in submenu["topics"]]
            reply.say("submenu_prompt", buttons=buttons, area=submenu["title"][lang])
        self.log_turn(ctx, "dialogue")
        return [SlotSet("pending_question", None)]


class ActionGoodbye(AssistantAction):
    def name(self) -> str:
        return "action_goodbye"

    def act(self, ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
        reply.say("goodbye")
        self.log_turn(ctx, "dialogue")
        return [SlotSet("pending_question", None), SlotSet("fallback_count", 0)]


class ActionThanks(AssistantAction):
    def name(self) -> str:
        return "action_thanks"

    def act(self, ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
        reply.say("thanks")
        self.log_turn(ctx, "dialogue")
        return [SlotSet("pending_question", None)]


class ActionBotChallenge(AssistantAction):
    def name(self) -> str:
        return "action_bot_challenge"

    def act(self, ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
        reply.say("bot_challenge", branch=_branch_name(ctx.language))
        self.log_turn(ctx, "dialogue")
        return []


class ActionSetLanguage(AssistantAction):
    def name(self) -> str:
        return "action_set_language"

    def act(self, ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
        wanted = ctx.entity("language")
        if wanted not in ("id", "en"):
            # "english please" without an entity: switch to the other language than the current one.
            wanted = "en" if "engl" in ctx.text.lower() or "inggris" in ctx.text.lower() else "id"
        ctx.language = wanted
        reply.language = wanted
        reply.say("language_set")
        self.log_turn(ctx, "dialogue")
        return [SlotSet("language_choice", wanted)]
