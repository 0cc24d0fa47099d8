"""Failed-login throttling per client address (in memory, per process).

Accounts also lock themselves after repeated failures (accounts.users); this
stops one client from trying many usernames. A successful login does not clear
an address's failures: otherwise one valid account would let a client go on
guessing the passwords of the others.
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from typing import Callable, Deque, Dict


class LoginThrottle:
    def __init__(self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self._failures: Dict[str, Deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> Deque[float]:
        failures = self._failures[key]
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            self._failures.pop(key, None)
        return failures

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._prune(key, self.clock())) >= self.limit

    def retry_after(self, key: str) -> int:
        with self._lock:
            failures = self._prune(key, self.clock())
            if len(failures) < self.limit:
                return 0
            return max(1, int(failures[0] + self.window - self.clock()) + 1)

    def failed(self, key: str) -> None:
        with self._lock:
            now = self.clock()
            self._prune(key, now)
            self._failures[key].append(now)
