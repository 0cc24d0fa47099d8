"""The Bot API methods the gateway calls, apart from getUpdates (polling.py), answered at once.

Like Telegram: editMessageText without reply_markup removes the inline keyboard; an
unchanged edit is 400 "message is not modified"; a callback query can be answered once.
"""
from __future__ import annotations

import re
import time
from typing import Any, Callable, Dict, Optional

from devtools.fake_bot_api.checks import ApiError, chat_id, inline_markup, message_text
from devtools.fake_bot_api.state import BotState
from devtools.fake_bot_api.webhook import Webhook

JSON = Dict[str, Any]

async def _no_wait(timeout: float) -> None:
    return None


CHAT_ACTIONS = {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
                "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note"}


class BotMethods:
    def __init__(self, state: BotState, webhook: Optional[Webhook] = None):
        self.state = state
        self.webhook = webhook or Webhook(state, _no_wait)
        self.by_name: Dict[str, Callable[[JSON], Any]] = {name.lower(): getattr(self, name) for name in (
            "getMe", "deleteWebhook", "setMyCommands", "sendMessage", "sendChatAction", "answerCallbackQuery",
            "editMessageText", "editMessageReplyMarkup")}
        self.by_name.update({"setwebhook": self.webhook.set, "getwebhookinfo": self.webhook.info})

    def getMe(self, params: JSON) -> JSON:
        return dict(self.state.bot_user, can_join_groups=True, can_read_all_group_messages=False,
                    supports_inline_queries=False)

    def deleteWebhook(self, params: JSON) -> bool:
        # python-telegram-bot calls this before it starts polling.
        return self.webhook.delete(params)

    def setMyCommands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.state.commands = [{"command": c["command"], "description": c["description"]} for c in commands]
        return True

    def sendMessage(self, params: JSON) -> JSON:
        chat = chat_id(params)
        text = message_text(params, "message is too long")
        markup = inline_markup(params.get("reply_markup"))
        return self.state.new_message(chat, self.state.bot_user, text=text, reply_markup=markup)

    def sendChatAction(self, params: JSON) -> bool:
        chat = chat_id(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        self.state.chat_actions.append({"chat_id": chat, "action": params["action"], "time": time.time()})
        return True

    def answerCallbackQuery(self, params: JSON) -> bool:
        query = self.state.open_callbacks.pop(str(params.get("callback_query_id")), None)
        if query is None:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        self.state.callback_answers.append(dict(query, text=params.get("text"), show_alert=bool(params.get("show_alert")),
                                                time=time.time()))
        return True

    def editMessageText(self, params: JSON) -> JSON:
        message = self._editable(params)
        text = message_text(params, "MESSAGE_TOO_LONG")
        # No markup given: the keyboard goes away.
        return self._edit("editMessageText", message, text, inline_markup(params.get("reply_markup")))

    def editMessageReplyMarkup(self, params: JSON) -> JSON:
        message = self._editable(params)
        return self._edit("editMessageReplyMarkup", message, message.get("text", ""),
                          inline_markup(params.get("reply_markup")))

    def _editable(self, params: JSON) -> JSON:
        message = self.state.stored(chat_id(params), params.get("message_id"))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message["from"]["id"] != self.state.bot_user["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def _edit(self, method: str, message: JSON, text: str, markup: Optional[JSON]) -> JSON:
        if message.get("text") == text and message.get("reply_markup") == markup:
            raise ApiError(400, "Bad Request: message is not modified: specified new message content and reply "
                                "markup are exactly the same as a current content and reply markup of the message")
        message["text"] = text
        message.pop("reply_markup", None)
        if markup is not None:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        self.state.edits.append({"method": method, "chat_id": message["chat"]["id"],
                                 "message_id": message["message_id"], "text": text, "reply_markup": markup,
                                 "time": time.time()})
        return message
