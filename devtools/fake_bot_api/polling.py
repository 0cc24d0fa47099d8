"""getUpdates: long polling, as Telegram does it.

An offset confirms every update before it; a poll waits up to `timeout` seconds for
an update; a newer poll ends a waiting one with 409 Conflict (two bot instances).
"""
from __future__ import annotations

import copy
import time
from typing import Any, Awaitable, Callable, Dict, List

from devtools.fake_bot_api.checks import ApiError
from devtools.fake_bot_api.state import BotState

JSON = Dict[str, Any]

CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
CHECK_CLIENT_EVERY = 0.25  # a client that went away (a cancelled poll) is noticed this fast


class Poller:
    def __init__(self, state: BotState, wait_change: Callable[[float], Awaitable[None]]):
        self.state = state
        self.wait_change = wait_change
        self._generation = 0

    async def get_updates(self, params: JSON, client_gone: Callable[[], bool],
                          stopped: Callable[[], bool]) -> List[JSON]:
        state = self.state
        if params.get("offset"):
            state.pending = [u for u in state.pending if u["update_id"] >= params["offset"]]
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        deadline = time.monotonic() + max(float(params.get("timeout") or 0), 0.0)
        self._generation += 1
        generation = self._generation
        state.changed()  # an older poll still waiting ends now
        while True:
            if generation != self._generation:
                raise ApiError(409, CONFLICT)
            remaining = deadline - time.monotonic()
            if state.pending or remaining <= 0 or stopped() or client_gone():
                return copy.deepcopy(state.pending[:limit])
            await self.wait_change(min(remaining, CHECK_CLIENT_EVERY))
