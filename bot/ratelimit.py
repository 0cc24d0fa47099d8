"""Per-chat rate limit: a sliding window of recent message times."""
from __future__ import annotations

import time
from collections import defaultdict, deque
from typing import Deque, Dict


class RateLimiter:
    def __init__(self, limit: int = 20, window: float = 60.0):
        self.limit = limit
        self.window = window
        self._hits: Dict[int, Deque[float]] = defaultdict(deque)
        self._warned: Dict[int, float] = {}

    def allow(self, chat_id: int, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        hits = self._hits[chat_id]
        while hits and now - hits[0] > self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True

    def should_warn(self, chat_id: int, now: float | None = None) -> bool:
        """Warn once per window, not on every refused message."""
        now = time.monotonic() if now is None else now
        if now - self._warned.get(chat_id, -1e9) > self.window:
            self._warned[chat_id] = now
            return True
        return False
