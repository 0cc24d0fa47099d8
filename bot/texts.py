"""What the gateway itself says (texts/gateway.yml; everything else comes from the assistant)."""
from __future__ import annotations

import texts


def t(key: str, lang: str | None, **values) -> str:
    return texts.say(f"gateway.{key}", lang, **values)
