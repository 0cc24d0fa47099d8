"""When to restart a crashed service: exponential backoff, and giving up on a crash loop.

A service that exits on its own is restarted after 1, 2, 4, ... seconds (capped), the
delay growing with the crashes counted in the last `window` seconds; the `max_crashes`-th
crash within that window is a crash loop, and the supervisor gives up on it.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Deque, Optional


@dataclass(frozen=True)
class RestartPolicy:
    max_crashes: int = 5  # this many crashes within `window` seconds is a crash loop
    window: float = 60.0
    first_delay: float = 1.0  # seconds before the first restart; doubled at every further crash
    max_delay: float = 30.0

    def delay(self, crashes: int) -> float:
        """The wait before restarting after the `crashes`-th crash in the window (1-based)."""
        return min(self.max_delay, self.first_delay * 2 ** max(0, crashes - 1))


@dataclass(frozen=True)
class Verdict:
    crashes: int  # crashes within the window, this one included
    delay: Optional[float]  # seconds to wait before restarting; None: a crash loop, give up

    @property
    def give_up(self) -> bool:
        return self.delay is None


class CrashHistory:
    """The recent crashes of one service."""

    def __init__(self, policy: RestartPolicy):
        self.policy = policy
        self._times: Deque[float] = deque()

    def crashed(self, now: float) -> Verdict:
        """Record a crash at `now` (monotonic seconds) and say what to do about it."""
        self._times.append(now)
        while self._times and now - self._times[0] > self.policy.window:
            self._times.popleft()
        count = len(self._times)
        if count >= self.policy.max_crashes:
            return Verdict(count, None)
        return Verdict(count, self.policy.delay(count))


def describe(name: str, code: Optional[int], verdict: Verdict, policy: RestartPolicy) -> str:
    """The log line for a crash, e.g. "actions exited with code -9; restarting in 1 s (crash 1 of 5 in 60 s)"."""
    window = f"{policy.window:g} s"
    if verdict.give_up:
        return (f"{name} exited with code {code}: {verdict.crashes} crashes in {window}, a crash loop; "
                f"giving up and stopping the stack (see {name}'s output above)")
    return (f"{name} exited with code {code}; restarting in {verdict.delay:g} s "
            f"(crash {verdict.crashes} of {policy.max_crashes} in {window})")
