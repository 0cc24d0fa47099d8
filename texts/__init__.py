"""One catalogue of what the system says to people: participants, the staff chat and the dashboard.

Each surface is a YAML file in this folder (participant.yml, menus.yml, gateway.yml, channel.yml, notifications.yml,
staff_chat.yml, dashboard.yml, tickets.yml, branch.yml). A sentence is a mapping with one form per
language of `core.language.LANGUAGES` (`id`, `en`), the forms having the same {placeholders}; its key is
`surface.key[.sub]`, e.g. `say("gateway.help", "en", example="MDK-000123")`. A key part may itself hold
dots (topic codes such as `jht.documents` in menus.yml).

Framework-free: only `core.language`, yaml and the standard library.
"""
from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Optional, Pattern, Sequence, Set, Tuple

import yaml

from core.language import LANGUAGES, lang_of

DIRECTORY = Path(__file__).resolve().parent
# The staff chat and the dashboard read Indonesian; their English forms are the equivalents.
STAFF_LANGUAGE = "id"


@lru_cache(maxsize=None)
def surface(name: str) -> Dict[str, Any]:
    """The whole catalogue of one surface, as its YAML file has it."""
    path = DIRECTORY / f"{name}.yml"
    if not name.isidentifier() or not path.is_file():
        raise KeyError(f"no text surface {name!r} (no {path.name} in {DIRECTORY})")
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def node(key: str) -> Any:
    """What the catalogue holds at `key` (a sentence, or a mapping of them)."""
    name, _, rest = key.partition(".")
    current: Any = surface(name)
    parts = rest.split(".") if rest else []
    i = 0
    while i < len(parts):
        if not isinstance(current, dict):
            raise KeyError(key)
        # The longest part that exists: keys such as "jht.documents" hold dots themselves.
        j = next((j for j in range(len(parts), i, -1) if ".".join(parts[i:j]) in current), None)
        if j is None:
            raise KeyError(key)
        current, i = current[".".join(parts[i:j])], j
    return current


def is_sentence(value: Any) -> bool:
    return isinstance(value, dict) and any(lang in value for lang in LANGUAGES)


def say(key: str, lang: Optional[str], **values: Any) -> str:
    """The sentence `key` in `lang` (read with `lang_of`), its {placeholders} filled from `values`."""
    sentence = node(key)
    if not is_sentence(sentence):
        raise KeyError(f"{key!r} is not a sentence")
    text = sentence[lang_of(lang)]
    return text.format(**values) if values else text


def lookup(key: str, lang: Optional[str]) -> Optional[str]:
    """The sentence `key` in `lang` without placeholders filled, or None when there is none (a code
    the catalogue does not name)."""
    try:
        sentence = node(key)
    except KeyError:
        return None
    return sentence[lang_of(lang)] if is_sentence(sentence) else None


def placeholders(text: str) -> Set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@lru_cache(maxsize=None)
def _openings(keys: Tuple[str, ...], placeholder: str, value: str) -> Tuple[Pattern[str], ...]:
    field = "{" + placeholder + "}"
    patterns = []
    for key in keys:
        for lang in LANGUAGES:
            head, found, tail = node(key)[lang].partition(field)
            if not found or placeholders(head):
                raise ValueError(f"{key} ({lang}) does not begin with plain text and then {field}")
            tail = re.split(r"\{|\n", tail, maxsplit=1)[0]
            patterns.append(re.compile(f"^{re.escape(head)}({value}){re.escape(tail)}"))
    return tuple(patterns)


def value_in_opening(text: Optional[str], keys: Sequence[str], placeholder: str, value: str) -> Optional[str]:
    """The {placeholder} of a message that one of the sentences `keys` begins (any language), read back
    from its opening: the text before the placeholder, the value (regex `value`), the text after it up
    to the next placeholder or line end. How a reply is matched to the ticket a message was about."""
    for pattern in _openings(tuple(keys), placeholder, value):
        match = pattern.match(text or "")
        if match:
            return match.group(1)
    return None
