"""What a participant's message may be before the assistant reads it: cleaned and capped.

Every channel applies `clean_message` before the NLU: the Rasa input channel (`rasa_ext/channels.py`)
for every message that reaches Rasa, and the Telegram gateway before it records a message, so an
overlong message never reaches the inbox either. Framework-free.

- Invisible characters that change nothing for a reader but split or disguise words go: control
  characters (tab and line breaks stay), zero-width spaces and joiners (a joiner inside an emoji
  sequence stays), bidirectional marks and overrides (RTL marks), the byte-order mark, soft hyphens
  and lone surrogates (which no database can store).
- Messages over 4,096 characters (Telegram's own limit) are cut, at a word boundary near the limit,
  and the participant is told. The NLU cost of the longest allowed message is measured by
  `python -m benchmarks.input_limits` (reports/bench-input.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MAX_MESSAGE_CHARS = 4096  # Telegram's limit for a text message
MAX_REQUEST_BYTES = 1024 * 1024  # a REST request body: room for a message far over the cap, which is then cut
_WORD_BOUNDARY_WINDOW = 64  # how far back from the limit a cut looks for a space

_EMOJI = "\u2600-\u27bf\U0001f000-\U0001faff"
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # control characters except tab and line feed (\r is handled first)
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e"  # soft hyphen, grapheme joiner, Arabic mark, fillers
    "\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"  # zero-width, bidi marks and isolates
    "\u3164\ufeff\uffa0\ufff9-\ufffb\ud800-\udfff\U0001d173-\U0001d17a\U000e0000-\U000e007f]"
    f"|(?<![{_EMOJI}])\u200d|\u200d(?![{_EMOJI}])"  # a zero-width joiner outside an emoji sequence
)


@dataclass(frozen=True)
class CleanMessage:
    text: str
    cut: bool  # longer than MAX_MESSAGE_CHARS after cleaning: the participant is told
    original_length: int

    @property
    def empty(self) -> bool:
        return not self.text


def strip_invisible(text: str) -> str:
    """`text` without the invisible characters above (line breaks as \\n); staff replies go through it too."""
    return _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_message(text: str, limit: int = MAX_MESSAGE_CHARS) -> CleanMessage:
    """The message as the assistant reads it: invisible characters removed, ends stripped, capped."""
    original = len(text)
    cleaned = strip_invisible(text).strip()
    if len(cleaned) <= limit:
        return CleanMessage(cleaned, False, original)
    head = cleaned[:limit]
    space = max(head.rfind(" "), head.rfind("\n"))
    if space >= limit - _WORD_BOUNDARY_WINDOW and not cleaned[limit].isspace():
        head = head[:space]
    return CleanMessage(head.rstrip(), True, original)
