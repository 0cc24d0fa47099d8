"""What the fake Telegram holds: chats, messages, pending updates, what the bot did, and injected failures.

Tests inject what users do (`inject_text`, `inject_callback`, ...) and inspect what the
bot did (`sent_messages`, `chat_actions`, `callback_answers`, `edits`, `calls`).
Like Telegram, message ids count per chat.
"""
from __future__ import annotations

import copy
import time
from collections import Counter, defaultdict
from dataclasses import asdict
from typing import Any, Dict, List, Optional, Tuple, Union

from devtools.fake_bot_api import objects as tg
from devtools.fake_bot_api.faults import Fault, new_fault

JSON = Dict[str, Any]

DEFAULT_GROUP_USER = 424242


class BotState:
    def __init__(self, token: str, bot_username: str = "test_bot", bot_name: str = "Test Bot"):
        self.token = token
        prefix = token.split(":", 1)[0]
        self.bot_user: JSON = {"id": int(prefix) if prefix.isdigit() else 123456789, "is_bot": True,
                               "first_name": bot_name, "username": bot_username}
        self._next_update_id = 700_000_000
        self._next_id = 1000  # callback query and file ids
        self._message_ids: Dict[int, int] = defaultdict(int)
        self._chats: Dict[int, JSON] = {}
        self._messages: Dict[Tuple[int, int], JSON] = {}
        self._sent: Dict[int, List[JSON]] = defaultdict(list)
        self.open_callbacks: Dict[str, JSON] = {}
        self.pending: List[JSON] = []  # updates not yet confirmed by getUpdates' offset
        self.commands: List[JSON] = []  # the bot's command list (setMyCommands)
        self.faults: List[Fault] = []
        # What the bot did, oldest first, JSON-ready.
        self.calls: List[JSON] = []  # method, params, time, status (HTTP; 499: the client went away)
        self.chat_actions: List[JSON] = []  # chat_id, action, time
        self.callback_answers: List[JSON] = []  # callback_query_id, data, chat_id, message_id, text, show_alert, time
        self.edits: List[JSON] = []  # method, chat_id, message_id, text, reply_markup (None: removed), time

    def changed(self) -> None:
        """Called after every change; the server wakes its waiters here."""

    # ---- messages ------------------------------------------------------------------------------
    def new_message(self, chat_id: int, sender: JSON, reply_to: Optional[JSON] = None, **content: Any) -> JSON:
        self._message_ids[chat_id] += 1
        chat = self._chats.get(chat_id) or tg.chat(chat_id)
        message = tg.message(self._message_ids[chat_id], chat, sender, int(time.time()), reply_to=reply_to, **content)
        self._messages[(chat_id, message["message_id"])] = message
        if sender.get("is_bot"):
            self._sent[chat_id].append(message)
        return message

    def stored(self, chat_id: int, message_id: Any) -> Optional[JSON]:
        """The message itself (not a copy), for the methods that change it."""
        return self._messages.get((chat_id, message_id))

    # ---- injecting what users do ---------------------------------------------------------------
    def inject_update(self, update: JSON) -> JSON:
        """Queue a raw update (update_id assigned when missing); returns it."""
        if "update_id" not in update:
            self._next_update_id += 1
            update = {"update_id": self._next_update_id, **update}
        update = copy.deepcopy(update)
        self._next_update_id = max(self._next_update_id, update["update_id"])
        self.pending.append(update)
        self.changed()
        return copy.deepcopy(update)

    def _sender(self, chat_id: int, user_id: Optional[int], language_code: Optional[str], first_name: Optional[str],
                username: Optional[str]) -> JSON:
        return tg.user(user_id or (chat_id if chat_id > 0 else DEFAULT_GROUP_USER), first_name, language_code, username)

    def _inject_message(self, chat_id: int, content: JSON, *, user_id: Optional[int] = None,
                        language_code: Optional[str] = "id", first_name: Optional[str] = None,
                        username: Optional[str] = None, reply_to: Optional[int] = None,
                        title: Optional[str] = None) -> JSON:
        sender = self._sender(chat_id, user_id, language_code, first_name, username)
        if chat_id > 0 or title or chat_id not in self._chats:
            self._chats[chat_id] = tg.chat(chat_id, sender, title)
        target = None
        if reply_to is not None:
            target = self.stored(chat_id, reply_to)
            if target is None:
                raise ValueError(f"no message {reply_to} in chat {chat_id} to reply to")
        return self.inject_update({"message": self.new_message(chat_id, sender, target, **content)})

    def inject_text(self, chat_id: int, text: str, *, command_entity: bool = True, **sender: Any) -> JSON:
        """A text message from a user. A leading /command gets its bot_command entity, unless
        command_entity=False (as some clients, and forwarded or pasted texts, send it).

        sender: user_id (default: chat_id in private chats), language_code ("id"), first_name, username,
        reply_to (a message_id in this chat, e.g. a bot message), title (for a group chat).
        Negative chat ids are groups (-100... supergroups).
        """
        content = tg.text_content(text) if command_entity else {"text": text}
        return self._inject_message(chat_id, content, **sender)

    def inject_command(self, chat_id: int, command: str, args: str = "", *, command_entity: bool = True,
                       **sender: Any) -> JSON:
        """E.g. inject_command(42, "status", "MDK-000001") or inject_command(42, "/start")."""
        return self.inject_text(chat_id, "/" + command.lstrip("/") + (f" {args}" if args else ""),
                                command_entity=command_entity, **sender)

    def _new_file_id(self, prefix: str) -> Tuple[str, str]:
        self._next_id += 1
        return f"{prefix}-fake-{self._next_id}", f"AQAD{self._next_id}"

    def inject_photo(self, chat_id: int, caption: Optional[str] = None, **sender: Any) -> JSON:
        return self._inject_message(chat_id, tg.photo_content(*self._new_file_id("AgAC"), caption), **sender)

    def inject_sticker(self, chat_id: int, emoji: str = "\U0001F44D", **sender: Any) -> JSON:
        return self._inject_message(chat_id, tg.sticker_content(*self._new_file_id("CAAC"), emoji), **sender)

    def inject_location(self, chat_id: int, latitude: float = 3.59, longitude: float = 98.67, **sender: Any) -> JSON:
        return self._inject_message(chat_id, tg.location_content(latitude, longitude), **sender)

    def inject_edit(self, chat_id: int, message_id: int, text: str) -> JSON:
        """An edited_message update for a text message a user sent earlier."""
        message = self.stored(chat_id, message_id)
        if message is None or message["from"].get("is_bot"):
            raise ValueError(f"no user message {message_id} in chat {chat_id}")
        message.pop("entities", None)
        message.update(tg.text_content(text), edit_date=int(time.time()))
        return self.inject_update({"edited_message": message})

    def inject_callback(self, chat_id: int, data: Optional[str] = None, *, message_id: Optional[int] = None,
                        button_text: Optional[str] = None, check: bool = True, user_id: Optional[int] = None,
                        language_code: Optional[str] = "id", first_name: Optional[str] = None,
                        username: Optional[str] = None) -> JSON:
        """A user presses a button of a message the bot sent (default: its latest one with a keyboard).

        Give the button's callback `data` or its `button_text`. With check=True the data must be on the
        message's keyboard (as on Telegram); check=False sends any data (stale or forged buttons).
        """
        if message_id is None:
            candidates = [m for m in self._sent.get(chat_id, []) if m.get("reply_markup")]
            if not candidates:
                raise ValueError(f"the bot sent no message with an inline keyboard to chat {chat_id}")
            message = candidates[-1]
        else:
            message = self.stored(chat_id, message_id)
            if message is None or not message["from"].get("is_bot"):
                raise ValueError(f"no bot message {message_id} in chat {chat_id}")
        buttons = [b for b in tg.inline_buttons(message.get("reply_markup")) if "callback_data" in b]
        if button_text is not None:
            match = [b for b in buttons if b["text"] == button_text]
            if not match:
                raise ValueError(f"no button {button_text!r} on message {message['message_id']}: "
                                 f"{[b['text'] for b in buttons]}")
            data = match[0]["callback_data"]
        if data is None:
            raise ValueError("give the callback data or the button text")
        if check and data not in [b["callback_data"] for b in buttons]:
            raise ValueError(f"callback data {data!r} is not on message {message['message_id']}: "
                             f"{[b['callback_data'] for b in buttons]}")
        self._next_id += 1
        query_id = str(4_200_000_000_000_000_000 + self._next_id)
        self.open_callbacks[query_id] = {"callback_query_id": query_id, "data": data, "chat_id": chat_id,
                                         "message_id": message["message_id"]}
        sender = self._sender(chat_id, user_id, language_code, first_name, username)
        return self.inject_update({"callback_query": tg.callback_query(query_id, sender, message, data)})

    # ---- failures --------------------------------------------------------------------------------
    def fail(self, method: Optional[str] = None, kind: Union[str, int] = "server_error", *, times: Optional[int] = 1,
             chat_id: Optional[int] = None, retry_after: int = 5, description: Optional[str] = None) -> Fault:
        """Make the next `times` calls of `method` (any method if None; only to `chat_id` if given) fail.

        kind: "server_error" (500), "flood" (429 with retry_after), "blocked" (403), or any HTTP status
        (then give `description`). times=None: every matching call until clear_faults().
        """
        fault = new_fault(method, kind, times, chat_id, retry_after, description)
        self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        self.faults.clear()

    # ---- inspection ------------------------------------------------------------------------------
    def calls_of(self, method: str) -> List[JSON]:
        return [c for c in self.calls if c["method"].lower() == method.lower()]

    def sent_messages(self, chat_id: Optional[int] = None) -> List[JSON]:
        """Messages the bot sent (current content, in order) to one chat, or to all chats."""
        if chat_id is not None:
            return copy.deepcopy(self._sent.get(chat_id, []))
        return copy.deepcopy([m for messages in self._sent.values() for m in messages])

    def texts(self, chat_id: int) -> List[str]:
        return [m.get("text", "") for m in self._sent.get(chat_id, [])]

    def state(self) -> JSON:
        """Everything inspectable, JSON-ready."""
        return {
            "bot": self.bot_user, "pending": copy.deepcopy(self.pending), "commands": self.commands,
            "sent": {str(k): v for k, v in self._sent.items() if v}, "chat_actions": self.chat_actions,
            "callback_answers": self.callback_answers, "edits": self.edits,
            "faults": [asdict(f) for f in self.faults], "calls": len(self.calls),
            "statuses": dict(Counter(str(c["status"]) for c in self.calls)),  # HTTP status: calls answered so
        }
