"""Per-participant rate limit: a sliding window of recent message times per key (a Telegram chat, a
REST sender id). In-process: each gateway and each Rasa server counts for itself."""
from __future__ import annotations

import time
from collections import defaultdict, deque
from typing import Deque, Dict, Hashable


PRUNE_EVERY = 1000  # calls between sweeps of keys idle for a whole window (many senders come once)


class RateLimiter:
    def __init__(self, limit: int = 20, window: float = 60.0):
        self.limit = limit
        self.window = window
        self._hits: Dict[Hashable, Deque[float]] = defaultdict(deque)
        self._warned: Dict[Hashable, float] = {}
        self._calls = 0

    def allow(self, key: Hashable, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        self._calls += 1
        if self._calls % PRUNE_EVERY == 0:
            self._prune(now)
        hits = self._hits[key]
        while hits and now - hits[0] > self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True

    def should_warn(self, key: Hashable, now: float | None = None) -> bool:
        """Warn once per window, not on every refused message."""
        now = time.monotonic() if now is None else now
        if now - self._warned.get(key, -1e9) > self.window:
            self._warned[key] = now
            return True
        return False

    def _prune(self, now: float) -> None:
        for key in [k for k, hits in self._hits.items() if not hits or now - hits[-1] > self.window]:
            del self._hits[key]
        for key in [k for k, at in self._warned.items() if now - at > self.window]:
            del self._warned[key]
