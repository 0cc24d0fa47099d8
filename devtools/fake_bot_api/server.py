"""The HTTP server: `/bot<TOKEN>/<method>` as Telegram answers it, and waiting for what the bot does."""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Callable, List, Optional

from aiohttp import web

from devtools.fake_bot_api import control
from devtools.fake_bot_api.checks import ApiError, decode
from devtools.fake_bot_api.faults import take
from devtools.fake_bot_api.methods import BotMethods
from devtools.fake_bot_api.polling import Poller
from devtools.fake_bot_api.state import JSON, BotState
from devtools.fake_bot_api.webhook import Webhook

log = logging.getLogger("fake_bot_api")

DEFAULT_TOKEN = "123456789:TEST-fake-bot-api-token"
CLIENT_GONE = 499  # recorded status of a call whose client disconnected before the answer (nginx's code)
# wait_for() predicates may read what the fake does not see change (a database, a stub Rasa):
# they are checked again at least this often.
RECHECK_EVERY = 0.05


class FakeBotAPI(BotState):
    """The server. Use `async with FakeBotAPI() as server:` or `await start()` / `await stop()`."""

    def __init__(self, token: str = DEFAULT_TOKEN, host: str = "127.0.0.1", port: int = 0,
                 bot_username: str = "test_bot", bot_name: str = "Test Bot"):
        super().__init__(token, bot_username, bot_name)
        self.host, self.port = host, port
        self.webhook = Webhook(self, self._wait_change)
        self.methods = BotMethods(self, self.webhook)
        self.poller = Poller(self, self._wait_change)
        self._runner: Optional[web.AppRunner] = None
        self._stopped = False
        self._changed = asyncio.Event()

    # ---- lifecycle -------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    async def start(self) -> "FakeBotAPI":
        self._stopped = False
        self._changed = asyncio.Event()
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._api)
        control.add_routes(app, self)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = self._runner.addresses[0][1]
        self.webhook.start()
        return self

    async def stop(self) -> None:
        self._stopped = True
        self.changed()  # long polls return
        await self.webhook.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> "FakeBotAPI":
        return await self.start()

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()

    def changed(self) -> None:
        """Wake everything waiting for a change (long polls, wait_for)."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_change(self, timeout: float) -> None:
        try:
            await asyncio.wait_for(self._changed.wait(), timeout)
        except asyncio.TimeoutError:
            pass

    def state(self) -> JSON:
        return {**super().state(), "webhook": {**self.webhook.info({}), "deliveries": len(self.webhook.deliveries)}}

    # ---- waiting ---------------------------------------------------------------------------------
    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0, what: str = "a condition") -> Any:
        """Wait until predicate() is truthy and return its value; TimeoutError after `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._stopped:
                raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
            await self._wait_change(min(remaining, RECHECK_EVERY))

    async def wait_for_messages(self, chat_id: int, count: int = 1, timeout: float = 5.0) -> List[JSON]:
        """The messages the bot sent to `chat_id`, once there are at least `count` of them."""
        try:
            return await self.wait_for(lambda: len(self.texts(chat_id)) >= count and self.sent_messages(chat_id),
                                       timeout, f"{count} message(s) in chat {chat_id}")
        except TimeoutError as exc:
            raise TimeoutError(f"{exc}; sent so far: {self.texts(chat_id)}") from None

    async def wait_until_consumed(self, update_id: Optional[int] = None, timeout: float = 5.0) -> None:
        """Wait until the update (default: every update) was confirmed by a getUpdates offset."""
        await self.wait_for(lambda: not any(update_id is None or u["update_id"] <= update_id for u in self.pending),
                            timeout, f"update {update_id or 'queue'} to be consumed")

    # ---- the Bot API -----------------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        call: JSON = {"method": method, "params": {}, "time": time.time(), "status": None}
        self.calls.append(call)
        try:
            call["params"] = params = decode(dict(request.query) | dict(await request.post()))
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            name = method.lower()
            if name != "getupdates" and name not in self.methods.by_name:
                raise ApiError(404, "Not Found: method not found")
            error = take(self.faults, method, params)
            if error is not None:
                raise error
            if name == "getupdates":
                self.webhook.refuse_polling()
                result = await self.poller.get_updates(params, lambda: _gone(request), lambda: self._stopped)
            else:
                result = self.methods.by_name[name](params)
            response = web.json_response({"ok": True, "result": result})
        except ApiError as exc:
            response = exc.response()
        except Exception as exc:  # a bug here, or parameters it cannot read: say so, don't hide it
            log.exception("fake Bot API failed on %s", method)
            response = ApiError(500, f"Internal Server Error: fake_bot_api: {type(exc).__name__}: {exc}").response()
        call["status"] = CLIENT_GONE if _gone(request) else response.status
        self.changed()
        return response


def _gone(request: web.Request) -> bool:
    """True when the client disconnected (e.g. python-telegram-bot cancelled a long poll)."""
    return request.transport is None or request.transport.is_closing()
