"""Short keys for button payloads (Telegram's callback data holds at most 64 bytes)."""
from __future__ import annotations

import hashlib
from typing import Optional

from sqlalchemy.exc import IntegrityError

from core.db import Database
from messaging.models import CallbackPayloadRow

PREFIX = "p:"
# Button data the Telegram gateway handles itself, never sent to Rasa (a language choice, erasure, a
# satisfaction rating).
GATEWAY_PREFIX = "g:"


def key_for(payload: str) -> str:
    """A stable key: the same payload always gets the same key (no table growth on repeats)."""
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


class CallbackPayloads:
    def __init__(self, db: Database):
        self.db = db

    @staticmethod
    def fits(payload: str) -> bool:
        """True when the payload can travel as callback data itself (nothing to store)."""
        return len(payload.encode("utf-8")) <= 64 - len(PREFIX) and not payload.startswith(PREFIX)

    def store(self, payload: str) -> str:
        """The callback data for a payload: the payload itself if short, else a stored key."""
        if self.fits(payload):
            return payload
        key = key_for(payload)
        try:
            with self.db.session() as s:
                if s.get(CallbackPayloadRow, key) is None:
                    s.add(CallbackPayloadRow(key=key, payload=payload))
        except IntegrityError:
            pass  # stored concurrently: same key, same payload
        return PREFIX + key

    def resolve(self, data: str) -> Optional[str]:
        if not data.startswith(PREFIX):
            return data
        with self.db.session() as s:
            row = s.get(CallbackPayloadRow, data[len(PREFIX):])
            return row.payload if row else None
