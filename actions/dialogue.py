"""Small talk and navigation: greeting with the menu, goodbye, thanks, bot challenge, language, yes/no."""
from __future__ import annotations

from typing import Callable, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions import services
from actions.base import Reply
from actions.context import TurnContext
from actions.payloads import topic_payload
from actions.texts import main_menu_buttons, menus
from core.language import lang_of


def _branch_name(lang: str) -> str:
    try:
        return services.branch().name[lang_of(lang)]
    except Exception:  # the greeting must work even when the database is down
        return "BPJS Ketenagakerjaan"


def greet(ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
    reply.say("greeting", buttons=main_menu_buttons(ctx.language), branch=_branch_name(ctx.language))
    return []


def show_menu(ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
    lang = lang_of(ctx.language)
    submenu = menus()["submenus"].get(ctx.entity("menu") or "")
    if submenu is None:
        reply.say("menu_prompt", buttons=main_menu_buttons(lang))
    else:
        labels = menus()["labels"]
        buttons = [{"title": labels[t][lang], "payload": topic_payload(t)} for t in submenu["topics"]]
        reply.say("submenu_prompt", buttons=buttons, area=submenu["title"][lang])
    return []


def goodbye(ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
    reply.say("goodbye")
    return [SlotSet("fallback_count", 0)]


def thanks(ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
    reply.say("thanks")
    return []


def bot_challenge(ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
    reply.say("bot_challenge", branch=_branch_name(ctx.language))
    return []


def set_language(ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
    wanted = ctx.entity("language")
    if wanted not in ("id", "en"):
        # "english please" without an entity: switch to the other language than the current one.
        wanted = "en" if "engl" in ctx.text.lower() or "inggris" in ctx.text.lower() else "id"
    ctx.language = wanted
    reply.language = wanted
    reply.say("language_set")
    return [SlotSet("language_choice", wanted)]


def yes_no(ctx: TurnContext, reply: Reply, tracker: Tracker) -> List[EventType]:
    """A yes or no when nothing was asked."""
    reply.say("yes_no_without_context", buttons=main_menu_buttons(ctx.language))
    return []


HANDLERS: Dict[str, Callable[[TurnContext, Reply, Tracker], List[EventType]]] = {
    "greet": greet, "menu": show_menu, "goodbye": goodbye, "thanks": thanks, "bot_challenge": bot_challenge,
    "set_language": set_language, "yes_no": yes_no,
}
