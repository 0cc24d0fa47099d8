"""What Telegram checks in a call's parameters, with its error answers.

python-telegram-bot posts form fields (JSON-encoded where the value is an object); they
are decoded here. HTML texts are checked as Telegram does, so a gateway that escapes
badly fails here as it would in production.
"""
from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any, Dict, List, Optional, Tuple

from aiohttp import web

from devtools.fake_bot_api.objects import inline_buttons

JSON = Dict[str, Any]

MAX_TEXT = 4096
HTML_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code",
             "pre", "blockquote", "tg-emoji"}
JSON_PARAMS = {"reply_markup", "allowed_updates", "commands", "link_preview_options"}
NUMBER_PARAMS = {"chat_id", "message_id", "offset", "limit", "timeout"}
BOOL_PARAMS = {"drop_pending_updates", "show_alert", "disable_web_page_preview"}


class ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(self, code: int, description: str, retry_after: Optional[int] = None):
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after

    def response(self) -> web.Response:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return web.json_response(body, status=self.code)


def decode(params: Dict[str, str]) -> JSON:
    """Form values (strings) as the types the methods expect."""
    return {name: _decode(name, value) for name, value in params.items()}


def _decode(name: str, value: str) -> Any:
    if name in JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError(400, f"Bad Request: can't parse {name} JSON object") from None
    if name in NUMBER_PARAMS:
        try:
            return int(value)
        except ValueError:
            return value  # e.g. chat_id "@channelusername"
    if name in BOOL_PARAMS:
        return value.lower() in ("true", "1")
    return value


def chat_id(params: JSON) -> int:
    value = params.get("chat_id")
    if value in (None, ""):
        raise ApiError(400, "Bad Request: chat_id is empty")
    if not isinstance(value, int):
        raise ApiError(400, "Bad Request: chat not found")
    return value


def message_text(params: JSON, too_long: str) -> str:
    """The text as Telegram stores it (HTML markup removed); 400 when empty, too long or bad HTML."""
    text = str(params.get("text") or "")
    if (params.get("parse_mode") or "").upper() == "HTML":
        text = _html_plain_text(text)
    if not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if len(text) > MAX_TEXT:
        raise ApiError(400, f"Bad Request: {too_long}")
    return text


class _HTMLText(HTMLParser):
    """Checks a parse_mode=HTML text the way Telegram does and collects its plain text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: List[str] = []
        self.open_tags: List[str] = []

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        if tag not in HTML_TAGS or (tag == "span" and dict(attrs).get("class") != "tg-spoiler"):
            raise ValueError(f'Unsupported start tag "{tag}"')
        self.open_tags.append(tag)

    def handle_startendtag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        raise ValueError(f'Unsupported start tag "{tag}"')

    def handle_endtag(self, tag: str) -> None:
        if not self.open_tags or self.open_tags[-1] != tag:
            raise ValueError(f'Unexpected end tag "{tag}"')
        self.open_tags.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _html_plain_text(text: str) -> str:
    parser = _HTMLText()
    try:
        parser.feed(text)
        parser.close()
        if parser.open_tags:
            raise ValueError(f'Can\'t find end tag corresponding to start tag "{parser.open_tags[-1]}"')
    except ValueError as exc:
        raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
    return "".join(parser.parts)


def inline_markup(markup: Any) -> Optional[JSON]:
    """Validated reply markup; only inline keyboards are kept on (and echoed with) a message."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError(400, "Bad Request: field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array of Arrays")
    for button in inline_buttons(markup):
        if not button.get("text"):
            raise ApiError(400, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup
