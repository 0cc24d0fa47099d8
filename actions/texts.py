"""The assistant's own sentences (actions/texts.yml) in the participant's language."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List

import yaml

from core.language import lang_of

TEXTS_FILE = Path(__file__).resolve().parent / "texts.yml"
MENUS_FILE = Path(__file__).resolve().parent / "menus.yml"


@lru_cache(maxsize=1)
def _catalog() -> Dict[str, Any]:
    return yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def menus() -> Dict[str, Any]:
    return yaml.safe_load(MENUS_FILE.read_text(encoding="utf-8"))


def say(key: str, lang: str | None, **values: Any) -> str:
    """The sentence `key` in `lang` with {placeholders} filled (`a.b` for nested keys)."""
    node: Any = _catalog()
    for part in key.split("."):
        node = node[part]
    text = node[lang_of(lang)]
    return text.format(**values) if values else text


def button(key: str, lang: str | None, payload: str) -> Dict[str, str]:
    return {"title": say(f"button.{key}", lang), "payload": payload}


def main_menu_buttons(lang: str | None) -> List[Dict[str, str]]:
    return [{"title": item["label"][lang_of(lang)], "payload": item["payload"]} for item in menus()["main"]]
