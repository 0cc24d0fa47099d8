"""The participant-facing languages and the one rule for reading a language code."""
from __future__ import annotations

from typing import Optional

LANGUAGES = ("id", "en")  # Indonesian first: the default for anything not English


def lang_of(code: Optional[str]) -> str:
    """'en', 'en-US', 'EN' -> 'en'; anything else (None, 'id', 'ms', '') -> 'id'."""
    return "en" if (code or "").strip().lower().startswith("en") else "id"
