"""The assistant's own sentences in the participant's language: the catalogue's `participant` and
`menus` surfaces (texts/participant.yml, texts/menus.yml)."""
from __future__ import annotations

from typing import Any, Dict, List

import texts
from core.language import lang_of


def menus() -> Dict[str, Any]:
    return texts.surface("menus")


def say(key: str, lang: str | None, **values: Any) -> str:
    """The participant sentence `key` in `lang` with {placeholders} filled (`a.b` for nested keys)."""
    return texts.say(f"participant.{key}", lang, **values)


def button(key: str, lang: str | None, payload: str) -> Dict[str, str]:
    return {"title": say(f"button.{key}", lang), "payload": payload}


def main_menu_buttons(lang: str | None) -> List[Dict[str, str]]:
    return [{"title": item["label"][lang_of(lang)], "payload": item["payload"]} for item in menus()["main"]]
