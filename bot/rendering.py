"""Rasa's REST replies turned into Telegram messages: merged, escaped for HTML, split under 4,096 characters."""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Dict, List, Optional

TELEGRAM_LIMIT = 4096


@dataclass
class Outgoing:
    text: str  # escaped for parse_mode=HTML
    buttons: List[Dict[str, str]] = field(default_factory=list)  # [{"title", "payload"}]
    # Instead of buttons: the participant's client opens a reply to this message, with this placeholder.
    force_reply: Optional[str] = None


def split_text(text: str, limit: int = TELEGRAM_LIMIT) -> List[str]:
    """Split raw text so that each escaped piece fits `limit`: at paragraphs, then lines, then words."""
    if len(html.escape(text, quote=False)) <= limit:
        return [text]
    pieces: List[str] = []
    current = ""
    for separator, parts in (("\n\n", text.split("\n\n")),):
        for part in parts:
            candidate = f"{current}{separator}{part}" if current else part
            if len(html.escape(candidate, quote=False)) <= limit:
                current = candidate
                continue
            if current:
                pieces.append(current)
            if len(html.escape(part, quote=False)) <= limit:
                current = part
            else:
                sub = _split_long(part, limit)
                pieces.extend(sub[:-1])
                current = sub[-1]
    if current:
        pieces.append(current)
    return pieces


def _split_long(text: str, limit: int) -> List[str]:
    out, current = [], ""
    for word in text.replace("\n", "\n ").split(" "):
        candidate = f"{current} {word}" if current else word
        if len(html.escape(candidate, quote=False)) <= limit:
            current = candidate
            continue
        if current:
            out.append(current)
        while len(html.escape(word, quote=False)) > limit:  # one enormous "word"
            cut = limit // 6  # worst case: every character escapes to 6 ("&quot;" is not used; "&amp;" is 5)
            out.append(word[:cut])
            word = word[cut:]
        current = word
    out.append(current)
    return [p.strip() or p for p in out]


def render(messages: List[Dict]) -> List[Outgoing]:
    """Rasa's messages of one turn as Telegram messages: consecutive texts are joined into one, and
    buttons go under the text before them ("answer + Apakah jawaban ini membantu?" is one message with
    its keyboard), split only where Telegram's 4,096-character limit requires it."""
    out: List[Outgoing] = []
    pending: List[str] = []

    def flush() -> None:
        if pending:
            for piece in split_text("\n\n".join(pending)):
                out.append(Outgoing(html.escape(piece, quote=False)))
            pending.clear()

    for message in messages:
        text = (message.get("text") or "").strip()
        buttons = [b for b in message.get("buttons") or [] if b.get("title") and b.get("payload")]
        if buttons:
            if text:
                pending.append(text)
            pieces = split_text("\n\n".join(pending) or "…")
            pending.clear()
            for piece in pieces[:-1]:
                out.append(Outgoing(html.escape(piece, quote=False)))
            out.append(Outgoing(html.escape(pieces[-1], quote=False), buttons))
        elif text:
            pending.append(text)
    flush()
    return out
