"""Waiting for a condition by polling it, for tests that talk to servers in other processes."""
from __future__ import annotations

import time
from typing import Callable, TypeVar

T = TypeVar("T")


def wait_until(check: Callable[[], T], timeout: float, what: str = "a condition", interval: float = 0.05) -> T:
    """check()'s first truthy value; AssertionError if none comes within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)
