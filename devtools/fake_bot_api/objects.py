"""Builders for Telegram Bot API objects (plain dicts, as Telegram sends them).

Pure functions: `state.BotState` allocates the ids (update ids, per-chat message ids,
file ids) and calls them.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

JSON = Dict[str, Any]

COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?")


def user(user_id: int, first_name: Optional[str] = None, language_code: Optional[str] = "id",
         username: Optional[str] = None) -> JSON:
    out: JSON = {"id": user_id, "is_bot": False, "first_name": first_name or f"User{user_id}"}
    if username:
        out["username"] = username
    if language_code:
        out["language_code"] = language_code
    return out


def chat(chat_id: int, from_user: Optional[JSON] = None, title: Optional[str] = None) -> JSON:
    """A private chat for positive ids, a group (or a supergroup for -100... ids) for negative ones."""
    if chat_id > 0:
        out: JSON = {"id": chat_id, "type": "private", "first_name": (from_user or {}).get("first_name", f"User{chat_id}")}
        if from_user and from_user.get("username"):
            out["username"] = from_user["username"]
        return out
    kind = "supergroup" if str(chat_id).startswith("-100") else "group"
    return {"id": chat_id, "type": kind, "title": title or f"Group {chat_id}"}


def message(message_id: int, chat_: JSON, from_user: JSON, date: int, reply_to: Optional[JSON] = None,
            **content: Any) -> JSON:
    """A Message; `content` holds the payload (text/entities, photo, sticker, location, ...)."""
    out: JSON = {"message_id": message_id, "from": from_user, "chat": chat_, "date": date}
    if reply_to is not None:
        out["reply_to_message"] = {k: v for k, v in reply_to.items() if k != "reply_to_message"}
    out.update({k: v for k, v in content.items() if v is not None})
    return out


def text_content(text: str) -> JSON:
    """A text, with the bot_command entity Telegram adds to a message starting with /command."""
    match = COMMAND_RE.match(text)
    if match is None:
        return {"text": text}
    return {"text": text, "entities": [{"type": "bot_command", "offset": 0, "length": match.end()}]}


def photo_content(file_id: str, unique_id: str, caption: Optional[str] = None) -> JSON:
    sizes = [{"file_id": f"{file_id}_{w}", "file_unique_id": f"{unique_id}{w}", "width": w, "height": w * 3 // 4,
              "file_size": w * 40} for w in (90, 320, 1280)]
    return {"photo": sizes, "caption": caption}


def sticker_content(file_id: str, unique_id: str, emoji: str = "\U0001F44D") -> JSON:
    return {"sticker": {"file_id": file_id, "file_unique_id": unique_id, "type": "regular", "width": 512,
                        "height": 512, "is_animated": False, "is_video": False, "emoji": emoji,
                        "set_name": "TestPack", "file_size": 24000}}


def location_content(latitude: float, longitude: float) -> JSON:
    return {"location": {"latitude": latitude, "longitude": longitude}}


def callback_query(query_id: str, from_user: JSON, message_: JSON, data: str) -> JSON:
    return {"id": query_id, "from": from_user, "message": message_,
            "chat_instance": str(abs(message_["chat"]["id"]) * 7 + 1), "data": data}


def update_kind(update: JSON) -> str:
    """The update's type: 'message', 'edited_message', 'callback_query', ..."""
    return next(k for k in update if k != "update_id")


def inline_buttons(markup: Optional[JSON]) -> List[JSON]:
    """The buttons of an inline keyboard, row after row."""
    if not markup:
        return []
    return [button for row in markup.get("inline_keyboard", []) for button in row]
