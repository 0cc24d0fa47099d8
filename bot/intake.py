"""Confirming updates to Telegram only once they are safe.

Telegram forgets an update once a getUpdates call asks for updates after it (the
offset), and python-telegram-bot makes that call right after fetching, while the
updates are still only in memory: a gateway killed then would lose them. The gate
holds that next call back until every update fetched before is recorded in the
inbox (or, for updates that are not relayed, handled), so Telegram keeps what a
crash would lose and delivers it again to the restarted gateway; the inbox answers
each update once.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Iterable, Optional, Set

from telegram.ext import ExtBot

log = logging.getLogger("bot")

PATIENCE = 60.0  # seconds; past this, updates not yet recorded are confirmed anyway (a stuck handler)


class UpdateGate:
    def __init__(self, patience: float = PATIENCE):
        self.patience = patience
        self._open: Set[int] = set()  # fetched, not yet recorded or handled
        self._changed: Optional[asyncio.Event] = None

    def _event(self) -> asyncio.Event:
        if self._changed is None:
            self._changed = asyncio.Event()
        return self._changed

    def fetched(self, update_ids: Iterable[int]) -> None:
        self._open.update(update_ids)

    def settled(self, update_id: int) -> None:
        """The update is recorded (or handled): Telegram may forget it."""
        if update_id in self._open:
            self._open.discard(update_id)
            self._event().set()

    def waiting(self, offset: int) -> Set[int]:
        return {u for u in self._open if u < offset}

    async def confirmable(self, offset: int) -> None:
        """Return once every update before `offset` is settled (or after `patience` seconds)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.patience
        while self.waiting(offset):
            remaining = deadline - loop.time()
            if remaining <= 0:
                stuck = sorted(self.waiting(offset))
                log.warning("updates %s still not recorded after %g s; confirming them to Telegram anyway",
                            stuck, self.patience)
                self._open.difference_update(stuck)
                return
            self._event().clear()
            try:
                await asyncio.wait_for(self._event().wait(), timeout=min(remaining, 1.0))
            except asyncio.TimeoutError:
                pass


class GatedBot(ExtBot):
    """The application's bot: getUpdates moves the offset only past settled updates."""

    def __init__(self, *args: Any, gate: UpdateGate, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._gate = gate

    @property
    def gate(self) -> UpdateGate:
        return self._gate

    async def get_updates(self, offset: Optional[int] = None, *args: Any, **kwargs: Any):  # type: ignore[override]
        if offset:
            await self._gate.confirmable(offset)
        updates = await super().get_updates(offset, *args, **kwargs)
        self._gate.fetched(u.update_id for u in updates)
        return updates
