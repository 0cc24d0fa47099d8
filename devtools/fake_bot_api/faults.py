"""Injected failures: the next calls of a method (to a chat) answer with a Bot API error."""
from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Dict, List, Optional, Tuple, Union

from devtools.fake_bot_api.checks import ApiError

# The errors the gateway reacts to differently; any other HTTP status can be given as a number.
KINDS: Dict[str, Tuple[int, str]] = {
    "server_error": (500, "Internal Server Error"),
    "flood": (429, "Too Many Requests: retry after {retry_after}"),
    "blocked": (403, "Forbidden: bot was blocked by the user"),
}


@dataclass
class Fault:
    kind: str
    status: int
    description: str
    method: Optional[str] = None  # None: any method
    chat_id: Optional[int] = None  # None: any chat (or none)
    times: Optional[int] = 1  # None: until cleared
    retry_after: Optional[int] = None

    def matches(self, method: str, params: Dict[str, Any]) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or params.get("chat_id") == self.chat_id


def new_fault(method: Optional[str], kind: Union[str, int], times: Optional[int], chat_id: Optional[int],
              retry_after: int, description: Optional[str]) -> Fault:
    if isinstance(kind, int):
        name, status, default = str(kind), kind, HTTPStatus(kind).phrase
    elif kind in KINDS:
        name, (status, default) = kind, KINDS[kind]
    else:
        raise ValueError(f"unknown fault kind {kind!r}; one of {sorted(KINDS)} or an HTTP status")
    return Fault(name, status, description or default.format(retry_after=retry_after), method, chat_id, times,
                 retry_after if status == 429 else None)


def take(faults: List[Fault], method: str, params: Dict[str, Any]) -> Optional[ApiError]:
    """The error the call answers with, if a fault matches it (using up one of its times)."""
    fault = next((f for f in faults if f.matches(method, params)), None)
    if fault is None:
        return None
    if fault.times is not None:
        fault.times -= 1
    return ApiError(fault.status, fault.description, fault.retry_after)
