"""Masking of personal identifiers (NIK, KPJ, phone numbers, e-mail addresses) and secrets in text.

What counts as a personal number, however it is written:

- phone numbers: 08..., 628..., +62 8... with spaces, dots or dashes between the digits;
- NIK (16 digits), KPJ (11 digits) and any other run of 10 or more digits (bank accounts, ids),
  also written in groups: ``1271 0123 4567 8903``, ``1271.0123.4567.8903``, ``12-71-01-230190-0001``,
  ``123 4567 8901``. Groups joined by one kind of separator count together, and so do groups of
  three or more digits joined by any of them; a date with a time (``2026-11-28 10:15``) does not.
  An amount of money (``Rp 1.500.000.000``) is left alone.

All but the last three digits become ``*``; separators stay, so a masked number keeps its shape.
E-mail addresses keep the first character and the domain (``b***@gmail.com``); addresses of the
agency's own domains are not personal data and stay readable.
"""
from __future__ import annotations

import re
from typing import Callable, Pattern, Tuple

MIN_DIGITS = 10  # NIK is 16 digits, KPJ 11, phone numbers 10-13

_SEP = r"[ .\-]"
# Indonesian mobile numbers: 08..., 628..., +62 8... with optional separators (one between digits).
_PHONE = re.compile(r"(?<![\w+])(?:\+?62[\s.-]?|0)8\d(?:[\s.-]?\d){6,11}(?!\d)")
# Groups of digits joined by one kind of separator throughout (or no separator at all).
_SAME_SEPARATOR = re.compile(rf"(?<!\d)\d+(?:({_SEP})\d+(?:\1\d+)*)?(?!\d)")
# Groups of three or more digits joined by any of the separators (an area code may be in brackets).
_WIDE_GROUPS = re.compile(rf"(?<!\d)\d{{3,}}(?:(?:\)?{_SEP}|\))\d{{3,}})+(?!\d)")
# What an amount of money starts with: such a number is not an identifier.
_MONEY_BEFORE = re.compile(r"(?i)(?:\brp|\bidr)\.?\s?$")
_EMAIL = re.compile(r"(?<![\w.%+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24})(?![\w-])")
# Addresses of the agency itself (answers name them): not a participant's personal data.
PUBLIC_EMAIL_DOMAINS = ("bpjsketenagakerjaan.go.id",)
# Telegram bot tokens look like 123456789:AA... and may appear inside URLs.
_BOT_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")


def _digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _mask_digits(text: str) -> str:
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    keep = set(digits[-3:])
    return "".join("*" if (ch.isdigit() and i not in keep) else ch for i, ch in enumerate(text))


def _is_money(match: re.Match) -> bool:
    return bool(_MONEY_BEFORE.search(match.string[max(0, match.start() - 5):match.start()]))


def _number(match: re.Match) -> str:
    text = match.group(0)
    if _digit_count(text) < MIN_DIGITS or _is_money(match):
        return text
    return _mask_digits(text)


def _phone(match: re.Match) -> str:
    return _mask_digits(match.group(0))


def _public_email(domain: str) -> bool:
    domain = domain.lower()
    return any(domain == d or domain.endswith("." + d) for d in PUBLIC_EMAIL_DOMAINS)


def _email(match: re.Match) -> str:
    local, domain = match.group(1), match.group(2)
    if _public_email(domain):
        return match.group(0)
    return f"{local[0]}***@{domain}"


# In this order: an address may hold digits, and a phone number's own separators are known.
_PASSES: Tuple[Tuple[Pattern[str], Callable[[re.Match], str]], ...] = (
    (_EMAIL, _email), (_PHONE, _phone), (_SAME_SEPARATOR, _number), (_WIDE_GROUPS, _number))


def mask_pii(text: str) -> str:
    """Replace all but the last three digits of NIK, KPJ, phone and other long numbers, and e-mail addresses."""
    if not text:
        return text
    for pattern, replace in _PASSES:
        text = pattern.sub(replace, text)
    return text


def mask_secrets(text: str) -> str:
    return _BOT_TOKEN.sub("<bot-token>", text) if text else text


def mask_all(text: str) -> str:
    """Secrets and personal data: what every log line goes through (secrets first: a bot token
    starts with the bot's id, a long number)."""
    return mask_pii(mask_secrets(text)) if text else text


def contains_pii(text: str) -> bool:
    """Whether `mask_pii` would change anything in `text`."""
    return bool(text) and mask_pii(text) != text
