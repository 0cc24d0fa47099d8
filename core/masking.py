"""Masking of personal identifiers (NIK, KPJ, phone numbers) and secrets in text."""
from __future__ import annotations

import re

# Indonesian mobile numbers: 08..., 628..., +62 8... with optional separators.
_PHONE = re.compile(r"(?<![\w+])(?:\+?62[\s.-]?|0)8\d(?:[\s.-]?\d){6,11}(?!\d)")
# NIK is 16 digits, KPJ 11; any other run of 10+ digits (bank accounts, ids) is masked too.
_LONG_NUMBER = re.compile(r"(?<!\d)\d{10,}(?!\d)")
# Telegram bot tokens look like 123456789:AA... and may appear inside URLs.
_BOT_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")


def _mask_digits(match: re.Match) -> str:
    text = match.group(0)
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    keep = set(digits[-3:])
    return "".join("*" if (ch.isdigit() and i not in keep) else ch for i, ch in enumerate(text))


def mask_pii(text: str) -> str:
    """Replace all but the last three digits of NIK, KPJ, phone and other long numbers."""
    if not text:
        return text
    text = _PHONE.sub(_mask_digits, text)
    return _LONG_NUMBER.sub(_mask_digits, text)


def mask_secrets(text: str) -> str:
    return _BOT_TOKEN.sub("<bot-token>", text) if text else text


def contains_pii(text: str) -> bool:
    return bool(text) and (bool(_PHONE.search(text)) or bool(_LONG_NUMBER.search(text)))
