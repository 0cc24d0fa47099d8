"""A local server speaking enough of the Telegram Bot API for tests and benchmarks.

python-telegram-bot uses it unchanged::

    async with FakeBotAPI(token=TOKEN) as server:
        app = (Application.builder().token(TOKEN).base_url(server.base_url)
               .base_file_url(server.base_file_url).build())
        ...
        server.inject_text(42, "halo", language_code="id")
        messages = await server.wait_for_messages(42, count=1, timeout=5)

Bot API (``/bot<TOKEN>/<method>``, GET or POST; query, form, multipart or JSON parameters):
getMe, getUpdates (long polling), setWebhook, deleteWebhook, getWebhookInfo, sendMessage,
sendChatAction, answerCallbackQuery, editMessageText, editMessageReplyMarkup, deleteMessage,
setMyCommands, getMyCommands, deleteMyCommands, getFile (and file downloads), close, logOut.
Answers are ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": N, "description": ...}``
with HTTP status N. Like Telegram: message ids count per chat; HTML texts are checked (unknown or
unbalanced tags: 400 "can't parse entities") and stored without markup; editMessageText without
reply_markup removes the inline keyboard; an unchanged edit is 400 "message is not modified"; a
callback query can be answered once; while a webhook is set, updates are POSTed to it (header
X-Telegram-Bot-Api-Secret-Token, retried, then dropped) and getUpdates is 409 Conflict; a newer
getUpdates ends a waiting one with 409 (two bot instances).

Test control, in process (``FakeBotAPI``) or over HTTP under ``/_test/`` (``FakeBotAPIClient``):
inject updates (``inject_text``, ``inject_command``, ``inject_callback``, ``inject_edit``,
``inject_photo``/``sticker``/``voice``/``document``/``location``, ``inject_update``), inspect what the
bot did (``calls``, ``sent_messages``, ``chat_actions``, ``callback_answers``, ``edits``,
``edited_markups``, ``deleted``, ``webhook_deliveries``, ``state()``), inject failures (``fail``),
and wait (``wait_for_messages``, ``wait_for_calls``, ``wait_until_consumed``, ``wait_for``).
HTTP: POST /_test/inject/<kind> (JSON body: the inject_<kind> arguments), POST /_test/fail,
POST /_test/clear_faults, POST /_test/reset, GET /_test/state, GET /_test/calls?method=,
GET /_test/sent?chat_id=, GET /_test/wait/messages?chat_id=&count=&timeout=.

Standalone: ``python -m devtools.fake_bot_api --port 8081 --token 123456:TEST`` (prints
"fake_bot_api ready: http://127.0.0.1:8081"); ``FakeBotAPIProcess`` starts it as a child process.
"""
from __future__ import annotations

import argparse
import asyncio
import copy
import json
import logging
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections import defaultdict
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from http import HTTPStatus
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple, Union

import aiohttp
from aiohttp import web

from devtools import tg_updates as tg

JSON = Dict[str, Any]
log = logging.getLogger("fake_bot_api")
_REQUEST: ContextVar[Optional[web.Request]] = ContextVar("fake_bot_api_request", default=None)

DEFAULT_TOKEN = "123456789:TEST-fake-bot-api-token"
DEFAULT_GROUP_USER = 424242
READY_PREFIX = "fake_bot_api ready:"
MAX_TEXT = 4096
CHAT_ACTIONS = {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
                "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note"}
HTML_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code",
             "pre", "blockquote", "tg-emoji"}
# Form and multipart values arrive as strings: these are decoded (JSON objects, numbers, booleans).
JSON_PARAMS = {"reply_markup", "entities", "caption_entities", "allowed_updates", "commands", "scope",
               "link_preview_options", "reply_parameters", "media", "results"}
NUMBER_PARAMS = {"chat_id", "message_id", "offset", "limit", "timeout", "max_connections", "cache_time",
                 "reply_to_message_id", "message_thread_id", "user_id", "from_chat_id"}
BOOL_PARAMS = {"disable_notification", "protect_content", "drop_pending_updates", "show_alert",
               "allow_sending_without_reply", "disable_web_page_preview", "allow_paid_broadcast"}
NOT_DEFAULT_UPDATES = {"chat_member", "message_reaction", "message_reaction_count"}
CONFLICT_WEBHOOK = ("Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first")
CONFLICT_POLLING = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"

# fail() kinds: name -> (HTTP status, description). "hang" delays the call, which then runs normally.
FAULT_KINDS: Dict[str, Tuple[Optional[int], str]] = {
    "server_error": (500, "Internal Server Error"),
    "bad_gateway": (502, "Bad Gateway"),
    "flood": (429, "Too Many Requests: retry after {retry_after}"),
    "blocked": (403, "Forbidden: bot was blocked by the user"),
    "chat_not_found": (400, "Bad Request: chat not found"),
    "hang": (None, ""),
}
FAULT_BY_STATUS = {status: name for name, (status, _) in FAULT_KINDS.items() if status}
BAD_GATEWAY_HTML = ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
                    "</body>\r\n</html>\r\n")
CLIENT_GONE = 499  # recorded status of a call whose client disconnected before the answer (nginx's code)


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


@dataclass
class Fault:
    kind: str
    status: Optional[int]
    description: str
    method: Optional[str] = None  # None: any method
    chat_id: Optional[Union[int, str]] = None  # None: any chat (or none)
    times: Optional[int] = 1  # None: until clear_faults()
    retry_after: Optional[int] = None
    delay: float = 0.0

    def matches(self, method: str, params: JSON) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)


class _HTMLText(HTMLParser):
    """Checks a parse_mode=HTML text the way Telegram does and collects its plain text."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.source, self.parts, self.open_tags = source, [], []

    def _offset(self) -> int:
        line, column = self.getpos()
        lines = self.source.split("\n")
        prefix = "\n".join(lines[:line - 1]) + ("\n" if line > 1 else "") + lines[line - 1][:column]
        return len(prefix.encode("utf-8"))

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        if tag not in HTML_TAGS or (tag == "span" and dict(attrs).get("class") != "tg-spoiler"):
            raise ValueError(f'Unsupported start tag "{tag}" at byte offset {self._offset()}')
        self.open_tags.append(tag)

    def handle_startendtag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        raise ValueError(f'Unsupported start tag "{tag}" at byte offset {self._offset()}')

    def handle_endtag(self, tag: str) -> None:
        if not self.open_tags or self.open_tags[-1] != tag:
            raise ValueError(f"Unexpected end tag at byte offset {self._offset()}")
        self.open_tags.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(text: str, parse_mode: Optional[str]) -> str:
    """The text as Telegram stores it; raises ApiError 400 for HTML it would reject."""
    if (parse_mode or "").upper() != "HTML":
        return text
    parser = _HTMLText(text)
    try:
        parser.feed(text)
        parser.close()
        if parser.open_tags:
            raise ValueError(f'Can\'t find end tag corresponding to start tag "{parser.open_tags[-1]}"')
    except ValueError as exc:
        raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
    return "".join(parser.parts)


def _coerce(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value  # JSON request bodies are typed already
    if name in JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError:
            what = "reply keyboard markup" if name == "reply_markup" else name
            raise ApiError(400, f"Bad Request: can't parse {what} JSON object") from None
    if name in NUMBER_PARAMS:
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return value  # e.g. chat_id "@channelusername"
    if name in BOOL_PARAMS:
        return value.lower() in ("true", "1")
    return value


def _client_gone() -> bool:
    """True when the client of the call being handled disconnected (e.g. PTB cancelled a long poll)."""
    request = _REQUEST.get()
    return request is not None and (request.transport is None or request.transport.is_closing())


def _inline_markup(markup: Any) -> Optional[JSON]:
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
    for button in tg.inline_buttons(markup):
        if not button.get("text"):
            raise ApiError(400, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


class FakeBotAPI:
    """The server. Use `async with FakeBotAPI() as server:` or `await start()` / `await stop()`."""

    def __init__(self, token: str = DEFAULT_TOKEN, host: str = "127.0.0.1", port: int = 0,
                 bot_username: str = "test_bot", bot_name: str = "Test Bot",
                 webhook_retry_delays: Tuple[float, ...] = (0.2, 0.5, 1.0), webhook_timeout: float = 10.0):
        self.token, self.host, self.port = token, host, port
        bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 123456789
        self.bot_user: JSON = {"id": bot_id, "is_bot": True, "first_name": bot_name, "username": bot_username}
        self.webhook_retry_delays = webhook_retry_delays
        self.webhook_timeout = webhook_timeout
        self._runner: Optional[web.AppRunner] = None
        self._session: Optional[aiohttp.ClientSession] = None
        self._worker: Optional[asyncio.Task] = None
        self._stopped = asyncio.Event()
        self._changed = asyncio.Event()
        self._next_update_id = 700_000_000
        self._next_id = 1000
        self._message_ids: Dict[int, int] = defaultdict(int)
        self._poll_generation = 0
        self.webhook: Optional[JSON] = None  # url, secret_token, max_connections
        self.webhook_error: Optional[JSON] = None  # last_error_date, last_error_message
        self.allowed_updates: Optional[List[str]] = None
        self.commands: Dict[Tuple[str, str], List[JSON]] = {}
        self._handlers: Dict[str, Callable[[JSON], Awaitable[Any]]] = {
            name.lower(): getattr(self, "_m_" + name) for name in (
                "getMe", "getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo", "sendMessage",
                "sendChatAction", "answerCallbackQuery", "editMessageText", "editMessageReplyMarkup",
                "deleteMessage", "setMyCommands", "getMyCommands", "deleteMyCommands", "getFile", "close",
                "logOut")}
        self.reset()

    def reset(self) -> None:
        """Forget history, messages, pending updates and faults. The bot's set-up (webhook, allowed
        updates, commands) stays, so a running bot keeps working; ids keep increasing."""
        # Every list holds JSON-ready dicts, oldest first.
        self.calls: List[JSON] = []  # method, params (decoded), time, status (HTTP; 499: client went away)
        self.chat_actions: List[JSON] = []  # chat_id, action, time
        # callback_query_id, data, chat_id, message_id (of the pressed message), text, show_alert, url, cache_time, time
        self.callback_answers: List[JSON] = []
        self.edits: List[JSON] = []  # method, chat_id, message_id, text, reply_markup (None: removed), time
        self.edited_markups: List[JSON] = []  # editMessageReplyMarkup only: chat_id, message_id, reply_markup, time
        self.deleted: List[JSON] = []  # chat_id, message_id, time
        self.webhook_deliveries: List[JSON] = []  # update_id, url, attempt, status, error, secret_token, time
        self.faults: List[Fault] = []
        self.pending: List[JSON] = []  # updates not yet confirmed (getUpdates offset) or delivered (webhook)
        self._chats: Dict[int, JSON] = {}
        self._messages: Dict[Tuple[int, int], JSON] = {}
        self._sent: Dict[int, List[JSON]] = defaultdict(list)
        self._open_callbacks: Dict[str, JSON] = {}
        self._files: Dict[str, JSON] = {}
        self._bump()

    # ---- lifecycle -------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    async def start(self) -> "FakeBotAPI":
        self._stopped = asyncio.Event()
        self._changed = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        app.router.add_post("/_test/inject/{kind}", self._t_inject)
        app.router.add_post("/_test/fail", self._t_fail)
        app.router.add_post("/_test/clear_faults", self._t_clear_faults)
        app.router.add_post("/_test/reset", self._t_reset)
        app.router.add_get("/_test/state", self._t_state)
        app.router.add_get("/_test/calls", self._t_calls)
        app.router.add_get("/_test/sent", self._t_sent)
        app.router.add_get("/_test/wait/messages", self._t_wait_messages)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = self._runner.addresses[0][1]
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.webhook_timeout))
        self._worker = asyncio.create_task(self._webhook_worker())
        return self

    async def stop(self) -> None:
        self._stopped.set()
        self._bump()  # long polls return, hangs end
        if self._worker is not None:
            self._worker.cancel()
            await asyncio.gather(self._worker, return_exceptions=True)
            self._worker = None
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> "FakeBotAPI":
        return await self.start()

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()

    def _bump(self) -> None:
        """Wake everything waiting for a change (long polls, the webhook worker, wait_for)."""
        self._changed.set()
        self._changed = asyncio.Event()

    # ---- waiting ---------------------------------------------------------------------------------
    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0, what: str = "a condition") -> Any:
        """Wait until predicate() is truthy and return its value; TimeoutError after `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._stopped.is_set():
                raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
            await self._wait_change(remaining)

    async def _wait_change(self, timeout: float) -> None:
        try:
            await asyncio.wait_for(self._changed.wait(), timeout)
        except asyncio.TimeoutError:
            pass

    async def wait_for_messages(self, chat_id: int, count: int = 1, timeout: float = 5.0) -> List[JSON]:
        """The messages the bot sent to `chat_id`, once there are at least `count` of them."""
        try:
            return await self.wait_for(lambda: len(self._sent[chat_id]) >= count and self.sent_messages(chat_id),
                                       timeout, f"{count} message(s) in chat {chat_id}")
        except TimeoutError as exc:
            texts = [m.get("text") for m in self.sent_messages(chat_id)]
            raise TimeoutError(f"{exc}; sent so far: {texts}") from None

    async def wait_for_calls(self, method: str, count: int = 1, timeout: float = 5.0) -> List[JSON]:
        return await self.wait_for(lambda: len(self.calls_of(method)) >= count and self.calls_of(method),
                                   timeout, f"{count} {method} call(s)")

    async def wait_until_consumed(self, update_id: Optional[int] = None, timeout: float = 5.0) -> None:
        """Wait until the update (default: every update) was confirmed by getUpdates or delivered."""
        await self.wait_for(lambda: not any(update_id is None or u["update_id"] <= update_id for u in self.pending),
                            timeout, f"update {update_id or 'queue'} to be consumed")

    # ---- inspection ------------------------------------------------------------------------------
    def calls_of(self, method: Optional[str] = None) -> List[JSON]:
        return [c for c in self.calls if method is None or c["method"].lower() == method.lower()]

    def sent_messages(self, chat_id: Optional[int] = None) -> List[JSON]:
        """Messages the bot sent (current content, in order) to one chat, or to all chats."""
        if chat_id is not None:
            return copy.deepcopy(self._sent.get(chat_id, []))
        return copy.deepcopy([m for messages in self._sent.values() for m in messages])

    def texts(self, chat_id: int) -> List[str]:
        return [m.get("text", "") for m in self._sent.get(chat_id, [])]

    def message(self, chat_id: int, message_id: int) -> Optional[JSON]:
        """A message (sent or injected) as the server holds it now; None when unknown or deleted."""
        return copy.deepcopy(self._messages.get((chat_id, message_id)))

    def state(self) -> JSON:
        """Everything inspectable, JSON-ready."""
        return {
            "bot": self.bot_user, "webhook": self.webhook, "allowed_updates": self.allowed_updates,
            "pending": copy.deepcopy(self.pending), "sent": {str(k): v for k, v in self._sent.items() if v},
            "chat_actions": self.chat_actions, "callback_answers": self.callback_answers, "edits": self.edits,
            "edited_markups": self.edited_markups, "deleted": self.deleted,
            "webhook_deliveries": self.webhook_deliveries, "faults": [asdict(f) for f in self.faults],
            "commands": [{"scope": json.loads(s), "language_code": lang, "commands": c}
                         for (s, lang), c in self.commands.items()],
            "calls": len(self.calls),
        }

    # ---- failures --------------------------------------------------------------------------------
    def fail(self, method: Optional[str] = None, kind: Union[str, int] = "server_error", *, times: Optional[int] = 1,
             chat_id: Optional[Union[int, str]] = None, retry_after: int = 5, delay: float = 0.0,
             description: Optional[str] = None) -> Fault:
        """Make the next `times` calls of `method` (any method if None; only to `chat_id` if given) fail.

        kind: "server_error" (500), "bad_gateway" (502, an nginx HTML page as Telegram's front gives),
        "flood" (429 with retry_after), "blocked" (403), "chat_not_found" (400), "hang" (the call waits
        `delay` seconds, then runs normally), or any HTTP status (then give `description`).
        `delay` also applies before an error. times=None: every matching call until clear_faults().
        """
        if isinstance(kind, int) or str(kind).isdigit():
            status = int(kind)
            name = FAULT_BY_STATUS.get(status, str(status))
            default = FAULT_KINDS[name][1] if name in FAULT_KINDS else HTTPStatus(status).phrase
        elif kind in FAULT_KINDS:
            name, (status, default) = kind, FAULT_KINDS[kind]
        else:
            raise ValueError(f"unknown fault kind {kind!r}; one of {sorted(FAULT_KINDS)} or an HTTP status")
        if name == "hang" and not delay:
            delay = 30.0
        fault = Fault(name, status, description or default.format(retry_after=retry_after), method,
                      chat_id, times, retry_after if status == 429 else None, float(delay))
        self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        self.faults.clear()

    async def _sleep(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stopped.wait(), seconds)
        except asyncio.TimeoutError:
            pass

    async def _apply_fault(self, method: str, params: JSON) -> Optional[web.Response]:
        fault = next((f for f in self.faults if f.matches(method, params)), None)
        if fault is None:
            return None
        if fault.times is not None:
            fault.times -= 1
        if fault.delay:
            await self._sleep(fault.delay)
        if fault.status is None:
            return None
        if fault.status == 502 and fault.description == FAULT_KINDS["bad_gateway"][1]:
            return web.Response(status=502, text=BAD_GATEWAY_HTML, content_type="text/html")
        return ApiError(fault.status, fault.description, fault.retry_after).response()

    # ---- HTTP: the Bot API -----------------------------------------------------------------------
    async def _read_params(self, request: web.Request) -> JSON:
        params: JSON = dict(request.query)
        if request.body_exists:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise ApiError(400, "Bad Request: can't parse JSON encoded request") from None
                if not isinstance(body, dict):
                    raise ApiError(400, "Bad Request: JSON object expected")
                params.update(body)
            else:
                for key, value in (await request.post()).items():
                    if isinstance(value, web.FileField):
                        value = {"file_name": value.filename, "size": len(value.file.read())}
                    params[key] = value
        return {k: _coerce(k, v) for k, v in params.items()}

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        call: JSON = {"method": method, "params": {}, "time": time.time(), "status": None}
        self.calls.append(call)
        _REQUEST.set(request)
        try:
            call["params"] = await self._read_params(request)
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            handler = self._handlers.get(method.lower())
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            response = await self._apply_fault(method, call["params"])
            if response is None:
                result = await handler(call["params"])
                body = result if isinstance(result, dict) and "ok" in result else {"ok": True, "result": result}
                response = web.json_response(body)
        except ApiError as exc:
            response = exc.response()
        except ConnectionResetError:  # the client gave up on the call (e.g. a cancelled typing indicator)
            response = web.Response(status=499)
        except Exception as exc:  # a bug here, or parameters it cannot read: say so, don't hide it
            log.exception("fake Bot API failed on %s", method)
            response = ApiError(500, f"Internal Server Error: fake_bot_api: {type(exc).__name__}: {exc}").response()
        call["status"] = CLIENT_GONE if _client_gone() else response.status
        self._bump()
        return response

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return ApiError(401, "Unauthorized").response()
        path = request.match_info["path"]
        entry = next((f for f in self._files.values() if f["file_path"] == path), None)
        if entry is None:
            return ApiError(404, "Not Found").response()
        return web.Response(body=entry["content"], content_type="application/octet-stream")

    # ---- Bot API methods -------------------------------------------------------------------------
    @staticmethod
    def _chat_id(params: JSON) -> int:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise ApiError(400, "Bad Request: chat_id is empty")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    def _stored(self, params: JSON, missing: str) -> JSON:
        if params.get("inline_message_id"):
            raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        chat_id = self._chat_id(params)
        message = self._messages.get((chat_id, params.get("message_id")))
        if message is None:
            raise ApiError(400, f"Bad Request: {missing}")
        return message

    async def _m_getMe(self, params: JSON) -> JSON:
        return dict(self.bot_user, can_join_groups=True, can_read_all_group_messages=False,
                    supports_inline_queries=False, can_connect_to_business=False, has_main_web_app=False)

    async def _m_getUpdates(self, params: JSON) -> List[JSON]:
        if self.webhook:
            raise ApiError(409, CONFLICT_WEBHOOK)
        offset = params.get("offset")
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        if isinstance(offset, int) and offset < 0:
            self.pending = self.pending[offset:]
        elif offset:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        if params.get("allowed_updates") is not None:
            self.allowed_updates = list(params["allowed_updates"]) or None
        self._poll_generation += 1
        generation = self._poll_generation
        self._bump()  # an older long poll still waiting ends with 409, as on Telegram
        deadline = time.monotonic() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, CONFLICT_POLLING)
            if self.webhook:
                raise ApiError(409, CONFLICT_WEBHOOK)
            ready = copy.deepcopy([u for u in self.pending if self._allowed(u)][:limit])
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0 or self._stopped.is_set() or _client_gone():
                return ready
            await self._wait_change(min(remaining, 0.25))  # short slices: notice a client that went away

    def _allowed(self, update: JSON) -> bool:
        kind = tg.update_kind(update)
        return kind in self.allowed_updates if self.allowed_updates else kind not in NOT_DEFAULT_UPDATES

    async def _m_setWebhook(self, params: JSON) -> JSON:
        url = str(params.get("url") or "")
        if not url:
            return await self._m_deleteWebhook(params)
        if not re.match(r"^https?://[^/\s]+", url):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self.pending.clear()
        if params.get("allowed_updates") is not None:
            self.allowed_updates = list(params["allowed_updates"]) or None
        self.webhook = {"url": url, "secret_token": secret, "max_connections": int(params.get("max_connections") or 40)}
        self.webhook_error = None
        self._bump()
        return {"ok": True, "result": True, "description": "Webhook was set"}

    async def _m_deleteWebhook(self, params: JSON) -> JSON:
        if params.get("drop_pending_updates"):
            self.pending.clear()
        was_set, self.webhook = self.webhook is not None, None
        self._bump()
        return {"ok": True, "result": True, "description": "Webhook was deleted" if was_set else "Webhook is already deleted"}

    async def _m_getWebhookInfo(self, params: JSON) -> JSON:
        info: JSON = {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                      "pending_update_count": len(self.pending)}
        if self.webhook:
            info["max_connections"] = self.webhook["max_connections"]
            info["ip_address"] = "127.0.0.1"
            info.update(self.webhook_error or {})
        if self.allowed_updates:
            info["allowed_updates"] = self.allowed_updates
        return info

    async def _m_sendMessage(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        text = plain_text(str(params.get("text") or ""), params.get("parse_mode"))
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        markup = _inline_markup(params.get("reply_markup"))
        reply = params.get("reply_parameters") or {}
        reply_id = reply.get("message_id") or params.get("reply_to_message_id")
        reply_to = self._messages.get((chat_id, reply_id)) if reply_id else None
        if reply_id and reply_to is None and not (reply.get("allow_sending_without_reply")
                                                   or params.get("allow_sending_without_reply")):
            raise ApiError(400, "Bad Request: message to be replied not found")
        message = tg.message(self._new_message_id(chat_id), self._chats.get(chat_id) or tg.chat(chat_id),
                             self.bot_user, int(time.time()), reply_to=reply_to, text=text, reply_markup=markup)
        self._messages[(chat_id, message["message_id"])] = message
        self._sent[chat_id].append(message)
        return message

    async def _m_sendChatAction(self, params: JSON) -> bool:
        chat_id = self._chat_id(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        self.chat_actions.append({"chat_id": chat_id, "action": params["action"], "time": time.time()})
        return True

    async def _m_answerCallbackQuery(self, params: JSON) -> bool:
        query = self._open_callbacks.pop(str(params.get("callback_query_id")), None)
        if query is None:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        self.callback_answers.append(dict(query, text=params.get("text"), show_alert=bool(params.get("show_alert")),
                                          url=params.get("url"), cache_time=params.get("cache_time"), time=time.time()))
        return True

    def _check_editable(self, message: JSON, text: str, markup: Optional[JSON]) -> None:
        if message["from"]["id"] != self.bot_user["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        if message.get("text") == text and message.get("reply_markup") == markup:
            raise ApiError(400, "Bad Request: message is not modified: specified new message content and reply "
                                "markup are exactly the same as a current content and reply markup of the message")

    def _edit(self, method: str, message: JSON, text: str, markup: Optional[JSON]) -> JSON:
        message["text"] = text
        message.pop("reply_markup", None)
        if markup is not None:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        entry = {"method": method, "chat_id": message["chat"]["id"], "message_id": message["message_id"],
                 "text": text, "reply_markup": markup, "time": time.time()}
        self.edits.append(entry)
        if method == "editMessageReplyMarkup":
            self.edited_markups.append({k: entry[k] for k in ("chat_id", "message_id", "reply_markup", "time")})
        return message

    async def _m_editMessageText(self, params: JSON) -> JSON:
        message = self._stored(params, "message to edit not found")
        text = plain_text(str(params.get("text") or ""), params.get("parse_mode"))
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > MAX_TEXT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        markup = _inline_markup(params.get("reply_markup"))  # no markup given: the keyboard goes away
        self._check_editable(message, text, markup)
        return self._edit("editMessageText", message, text, markup)

    async def _m_editMessageReplyMarkup(self, params: JSON) -> JSON:
        message = self._stored(params, "message to edit not found")
        markup = _inline_markup(params.get("reply_markup"))
        self._check_editable(message, message.get("text", ""), markup)
        return self._edit("editMessageReplyMarkup", message, message.get("text", ""), markup)

    async def _m_deleteMessage(self, params: JSON) -> bool:
        message = self._stored(params, "message to delete not found")
        del self._messages[(message["chat"]["id"], message["message_id"])]
        self.deleted.append({"chat_id": message["chat"]["id"], "message_id": message["message_id"], "time": time.time()})
        return True

    @staticmethod
    def _commands_key(params: JSON) -> Tuple[str, str]:
        return json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True), params.get("language_code") or ""

    async def _m_setMyCommands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: command description is empty" if not command.get("description")
                               else "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(params)] = [{"command": c["command"], "description": c["description"]}
                                                     for c in commands]
        return True

    async def _m_getMyCommands(self, params: JSON) -> List[JSON]:
        return self.commands.get(self._commands_key(params), [])

    async def _m_deleteMyCommands(self, params: JSON) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    async def _m_getFile(self, params: JSON) -> JSON:
        entry = self._files.get(str(params.get("file_id")))
        if entry is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {"file_id": entry["file_id"], "file_unique_id": entry["file_unique_id"],
                "file_size": len(entry["content"]), "file_path": entry["file_path"]}

    async def _m_close(self, params: JSON) -> bool:
        return True

    async def _m_logOut(self, params: JSON) -> bool:
        return True

    # ---- webhook delivery ------------------------------------------------------------------------
    async def _webhook_worker(self) -> None:
        """Posts pending updates, in order, to the webhook; each is retried a few times, then dropped."""
        while not self._stopped.is_set():
            if not (self.webhook and self.pending):
                await self._wait_change(60.0)
                continue
            update, hook = self.pending[0], dict(self.webhook)
            try:
                delivered = await self._deliver(update, hook)
            except Exception:  # keep delivering whatever happens to one update
                log.exception("webhook delivery of update %s failed", update["update_id"])
                delivered = False
            if (delivered or self.webhook == hook) and self.pending and self.pending[0] is update:
                self.pending.pop(0)  # delivered, or given up on (as Telegram does after its retries)
            self._bump()

    async def _deliver(self, update: JSON, hook: JSON) -> bool:
        headers = {"X-Telegram-Bot-Api-Secret-Token": hook["secret_token"]} if hook.get("secret_token") else {}
        for attempt, pause in enumerate((0.0,) + tuple(self.webhook_retry_delays), start=1):
            if pause:
                await self._sleep(pause)
            if self.webhook != hook or self._stopped.is_set():
                return False  # webhook changed: the update stays pending
            record: JSON = {"update_id": update["update_id"], "url": hook["url"], "attempt": attempt, "status": None,
                            "error": None, "secret_token": hook.get("secret_token"), "time": time.time()}
            self.webhook_deliveries.append(record)
            try:
                async with self._session.post(hook["url"], json=update, headers=headers) as response:
                    record["status"] = response.status
                    if 200 <= response.status < 300:
                        return True
                    record["error"] = f"Wrong response from the webhook: {response.status} {response.reason}"
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                record["error"] = f"Connection failed: {type(exc).__name__}"
            self.webhook_error = {"last_error_date": int(time.time()), "last_error_message": record["error"]}
            log.info("webhook delivery of update %s failed (attempt %s): %s", update["update_id"], attempt, record["error"])
            self._bump()
        return False

    # ---- injecting updates -----------------------------------------------------------------------
    def _new_message_id(self, chat_id: int) -> int:
        self._message_ids[chat_id] += 1
        return self._message_ids[chat_id]

    def _new_file(self, prefix: str, content: Union[bytes, str, None] = None, suffix: str = "") -> Tuple[str, str]:
        self._next_id += 1
        file_id, unique_id = f"{prefix}-fake-{self._next_id}", f"AQAD{self._next_id}"
        if isinstance(content, str):
            content = content.encode("utf-8")
        self._files[file_id] = {"file_id": file_id, "file_unique_id": unique_id,
                                "file_path": f"{prefix.lower()}s/file_{self._next_id}{suffix}",
                                "content": content if content is not None else f"fake content of {file_id}".encode()}
        return file_id, unique_id

    def inject_update(self, update: JSON) -> JSON:
        """Queue a raw update (update_id assigned when missing); returns it."""
        if "update_id" not in update:
            self._next_update_id += 1
            update = {"update_id": self._next_update_id, **update}
        update = copy.deepcopy(update)
        self._next_update_id = max(self._next_update_id, update["update_id"])
        self.pending.append(update)
        self._bump()
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
            target = self._messages.get((chat_id, reply_to))
            if target is None:
                raise ValueError(f"no message {reply_to} in chat {chat_id} to reply to")
        message = tg.message(self._new_message_id(chat_id), self._chats[chat_id], sender, int(time.time()),
                             reply_to=target, **content)
        self._messages[(chat_id, message["message_id"])] = message
        return self.inject_update({"message": message})

    def inject_text(self, chat_id: int, text: str, **sender: Any) -> JSON:
        """A text message from a user. A leading /command gets its bot_command entity.

        sender: user_id (default: chat_id in private chats), language_code ("id"), first_name, username,
        reply_to (a message_id in this chat, e.g. a bot message), title (for a group chat).
        Negative chat ids are groups (-100... supergroups).
        """
        return self._inject_message(chat_id, tg.text_content(text), **sender)

    def inject_command(self, chat_id: int, command: str, args: str = "", **sender: Any) -> JSON:
        """E.g. inject_command(42, "status", "MDK-000001") or inject_command(42, "/start")."""
        text = "/" + command.lstrip("/") + (f" {args}" if args else "")
        return self.inject_text(chat_id, text, **sender)

    def inject_photo(self, chat_id: int, caption: Optional[str] = None, content: Union[bytes, str, None] = None,
                     **sender: Any) -> JSON:
        file_id, unique_id = self._new_file("AgAC", content, ".jpg")
        payload = tg.photo_content(file_id, unique_id, caption)
        for size in payload["photo"][:-1]:
            self._files[size["file_id"]] = dict(self._files[file_id], file_id=size["file_id"],
                                                file_unique_id=size["file_unique_id"])
        return self._inject_message(chat_id, payload, **sender)

    def inject_sticker(self, chat_id: int, emoji: str = "\U0001F44D", **sender: Any) -> JSON:
        file_id, unique_id = self._new_file("CAAC", None, ".webp")
        return self._inject_message(chat_id, tg.sticker_content(file_id, unique_id, emoji), **sender)

    def inject_voice(self, chat_id: int, duration: int = 3, content: Union[bytes, str, None] = None,
                     **sender: Any) -> JSON:
        file_id, unique_id = self._new_file("AwAC", content, ".oga")
        return self._inject_message(chat_id, tg.voice_content(file_id, unique_id, duration), **sender)

    def inject_document(self, chat_id: int, file_name: str = "document.pdf", mime_type: str = "application/pdf",
                        caption: Optional[str] = None, content: Union[bytes, str, None] = None, **sender: Any) -> JSON:
        file_id, unique_id = self._new_file("BQAC", content, Path(file_name).suffix)
        size = len(self._files[file_id]["content"])
        return self._inject_message(chat_id, tg.document_content(file_id, unique_id, file_name, mime_type, size, caption),
                                    **sender)

    def inject_location(self, chat_id: int, latitude: float = -6.2, longitude: float = 106.8, **sender: Any) -> JSON:
        return self._inject_message(chat_id, tg.location_content(latitude, longitude), **sender)

    def inject_edit(self, chat_id: int, message_id: int, text: str) -> JSON:
        """An edited_message update for a text message a user sent earlier."""
        message = self._messages.get((chat_id, message_id))
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
            candidates = [m for m in self._sent.get(chat_id, [])
                          if m.get("reply_markup") and (chat_id, m["message_id"]) in self._messages]
            if not candidates:
                raise ValueError(f"the bot sent no message with an inline keyboard to chat {chat_id}")
            message = candidates[-1]
        else:
            message = self._messages.get((chat_id, message_id))
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
        self._open_callbacks[query_id] = {"callback_query_id": query_id, "data": data, "chat_id": chat_id,
                                          "message_id": message["message_id"]}
        sender = self._sender(chat_id, user_id, language_code, first_name, username)
        return self.inject_update({"callback_query": tg.callback_query(query_id, sender, message, data)})

    # ---- HTTP: test control ----------------------------------------------------------------------
    @staticmethod
    def _t_ok(result: Any) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _t_error(description: str, status: int = 400) -> web.Response:
        return web.json_response({"ok": False, "description": description}, status=status)

    async def _t_inject(self, request: web.Request) -> web.Response:
        injectors = {"text": self.inject_text, "command": self.inject_command, "callback": self.inject_callback,
                     "edit": self.inject_edit, "photo": self.inject_photo, "sticker": self.inject_sticker,
                     "voice": self.inject_voice, "document": self.inject_document,
                     "location": self.inject_location, "update": self.inject_update}
        kind = request.match_info["kind"]
        if kind not in injectors:
            return self._t_error(f"unknown kind {kind!r}; one of {sorted(injectors)}", 404)
        try:
            return self._t_ok(injectors[kind](**(await request.json())))
        except (TypeError, ValueError, KeyError) as exc:
            return self._t_error(f"{type(exc).__name__}: {exc}")

    async def _t_fail(self, request: web.Request) -> web.Response:
        try:
            return self._t_ok(asdict(self.fail(**(await request.json()))))
        except (TypeError, ValueError) as exc:
            return self._t_error(f"{type(exc).__name__}: {exc}")

    async def _t_clear_faults(self, request: web.Request) -> web.Response:
        self.clear_faults()
        return self._t_ok(True)

    async def _t_reset(self, request: web.Request) -> web.Response:
        self.reset()
        return self._t_ok(True)

    async def _t_state(self, request: web.Request) -> web.Response:
        return self._t_ok(self.state())

    async def _t_calls(self, request: web.Request) -> web.Response:
        return self._t_ok(self.calls_of(request.query.get("method")))

    async def _t_sent(self, request: web.Request) -> web.Response:
        chat_id = request.query.get("chat_id")
        return self._t_ok(self.sent_messages(int(chat_id) if chat_id else None))

    async def _t_wait_messages(self, request: web.Request) -> web.Response:
        q = request.query
        try:
            return self._t_ok(await self.wait_for_messages(int(q["chat_id"]), int(q.get("count", 1)),
                                                           float(q.get("timeout", 5))))
        except TimeoutError as exc:
            return self._t_error(str(exc), 408)


# ---- use from another process --------------------------------------------------------------------
class FakeBotAPIError(RuntimeError):
    pass


class FakeBotAPIClient:
    """Synchronous client of the /_test/ endpoints of a server running elsewhere."""

    def __init__(self, url: str, timeout: float = 60.0):
        import httpx

        self.url = url.rstrip("/")
        self._http = httpx.Client(timeout=timeout)

    def _call(self, verb: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(verb, f"{self.url}/_test/{path}", **kwargs)
        body = response.json()
        if not body.get("ok"):
            raise (TimeoutError if response.status_code == 408 else FakeBotAPIError)(body.get("description"))
        return body["result"]

    def inject(self, kind: str, **fields: Any) -> JSON:
        """kind: text, command, callback, edit, photo, sticker, voice, document, location or update;
        fields: the arguments of the matching FakeBotAPI.inject_* method (inject("update", update={...}))."""
        return self._call("POST", f"inject/{kind}", json=fields)

    def fail(self, method: Optional[str] = None, kind: Union[str, int] = "server_error", **options: Any) -> JSON:
        return self._call("POST", "fail", json=dict(options, method=method, kind=kind))

    def clear_faults(self) -> None:
        self._call("POST", "clear_faults")

    def reset(self) -> None:
        self._call("POST", "reset")

    def state(self) -> JSON:
        return self._call("GET", "state")

    def calls(self, method: Optional[str] = None) -> List[JSON]:
        return self._call("GET", "calls", params={"method": method} if method else {})

    def sent_messages(self, chat_id: Optional[int] = None) -> List[JSON]:
        return self._call("GET", "sent", params={"chat_id": chat_id} if chat_id is not None else {})

    def wait_for_messages(self, chat_id: int, count: int = 1, timeout: float = 5.0) -> List[JSON]:
        return self._call("GET", "wait/messages", params={"chat_id": chat_id, "count": count, "timeout": timeout})

    def close(self) -> None:
        self._http.close()


class FakeBotAPIProcess:
    """`python -m devtools.fake_bot_api` as a child process: `with FakeBotAPIProcess() as proc: proc.client...`."""

    def __init__(self, token: str = DEFAULT_TOKEN, port: int = 0, host: str = "127.0.0.1",
                 extra_args: Tuple[str, ...] = (), ready_timeout: float = 20.0):
        self.token, self.port, self.host = token, port, host
        self.extra_args, self.ready_timeout = extra_args, ready_timeout
        self.process: Optional[subprocess.Popen] = None
        self.url = ""
        self.client: Optional[FakeBotAPIClient] = None

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    def start(self) -> "FakeBotAPIProcess":
        root = str(Path(__file__).resolve().parents[1])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
                   PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "devtools.fake_bot_api", "--host", self.host, "--port", str(self.port),
             "--token", self.token, *self.extra_args], cwd=root, env=env, stdout=subprocess.PIPE, text=True)
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            if select.select([self.process.stdout], [], [], 0.2)[0]:
                line = self.process.stdout.readline()
                if line.startswith(READY_PREFIX):
                    self.url = line[len(READY_PREFIX):].strip()
                    self.port = int(self.url.rsplit(":", 1)[1])
                    self.client = FakeBotAPIClient(self.url)
                    return self
        self.stop()
        raise RuntimeError("the fake Bot API process did not start")

    def stop(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stdout:
            self.process.stdout.close()

    def __enter__(self) -> "FakeBotAPIProcess":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


# ---- standalone ----------------------------------------------------------------------------------
async def _serve(args: argparse.Namespace) -> None:
    server = FakeBotAPI(token=args.token, host=args.host, port=args.port, bot_username=args.bot_username)
    await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print(f"{READY_PREFIX} {server.url}", flush=True)
    log.info("base_url %s, token %s", server.base_url, server.token)
    await stop.wait()
    await server.stop()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.fake_bot_api", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port (printed on the ready line)")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--bot-username", default="test_bot")
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s")
    asyncio.run(_serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
