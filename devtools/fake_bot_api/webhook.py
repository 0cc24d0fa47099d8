"""Webhook mode, as Telegram does it: setWebhook, getWebhookInfo, deleteWebhook, and the pushing of updates.

While a webhook is set, pending updates are POSTed to its URL as JSON, oldest first and one at a
time (so each chat's order holds), with the header `X-Telegram-Bot-Api-Secret-Token` when a secret
token was given. An update leaves the queue when the bot answers 2xx; otherwise it is retried after
a pause, and the error shows in getWebhookInfo (`last_error_message`). getUpdates is refused with
409 while a webhook is set. Unlike Telegram, plain-HTTP URLs are accepted (tests run without TLS).
"""
from __future__ import annotations

import asyncio
import copy
import logging
import re
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional

import aiohttp

from devtools.fake_bot_api.checks import ApiError
from devtools.fake_bot_api.state import BotState

log = logging.getLogger("fake_bot_api")
JSON = Dict[str, Any]

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
GET_UPDATES_CONFLICT = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
RETRY_AFTER = 0.2  # seconds before a failed delivery is tried again (Telegram waits longer)


class Webhook:
    def __init__(self, state: BotState, wait_change: Callable[[float], Awaitable[None]]):
        self.state = state
        self.wait_change = wait_change
        self.url = ""
        self.secret_token: Optional[str] = None
        self.last_error: Optional[JSON] = None
        self.deliveries: List[JSON] = []  # update_id, status (HTTP, or None when unreachable), time
        self._task: Optional[asyncio.Task] = None
        self._stopped = False

    # ---- the Bot API methods ---------------------------------------------------------------------
    def set(self, params: JSON) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return self.delete(params)
        if not re.match(r"https?://", url):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not SECRET_TOKEN.fullmatch(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self.state.pending.clear()
        self.url, self.secret_token, self.last_error = url, (str(secret) if secret else None), None
        self.state.changed()
        return True

    def delete(self, params: JSON) -> bool:
        if params.get("drop_pending_updates"):
            self.state.pending.clear()
        self.url, self.secret_token = "", None
        self.state.changed()
        return True

    def info(self, params: JSON) -> JSON:
        result: JSON = {"url": self.url, "has_custom_certificate": False, "pending_update_count": len(self.state.pending)}
        if self.last_error:
            result.update(self.last_error)
        return result

    def refuse_polling(self) -> None:
        if self.url:
            raise ApiError(409, GET_UPDATES_CONFLICT)

    # ---- pushing updates -------------------------------------------------------------------------
    def start(self) -> None:
        self._stopped = False
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        self._stopped = True
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def _run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while not self._stopped:
                if not self.url or not self.state.pending:
                    await self.wait_change(0.25)
                    continue
                update = copy.deepcopy(self.state.pending[0])
                if not await self._push(session, update):
                    await asyncio.sleep(RETRY_AFTER)

    async def _push(self, session: aiohttp.ClientSession, update: JSON) -> bool:
        headers = {SECRET_HEADER: self.secret_token} if self.secret_token else {}
        status: Optional[int] = None
        try:
            async with session.post(self.url, json=update, headers=headers) as response:
                status = response.status
                await response.read()
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            self.last_error = {"last_error_date": int(time.time()), "last_error_message": f"Connection failed: {exc}"}
        self.deliveries.append({"update_id": update["update_id"], "status": status, "time": time.time()})
        if status is not None and 200 <= status < 300:
            self.state.pending = [u for u in self.state.pending if u["update_id"] != update["update_id"]]
            self.state.changed()
            return True
        if status is not None:
            self.last_error = {"last_error_date": int(time.time()), "last_error_message": f"Wrong response from the webhook: {status}"}
        self.state.changed()
        return False
