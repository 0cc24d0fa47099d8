"""Rasa's Redis lock store, without the case where a message waits for ever.

Rasa 3.6 gives a waiting message a ticket with the same lifetime as the ticket being
served. When a Rasa instance dies mid-message, its ticket stays in Redis until it
expires; the chat's next message, sent moments later to another instance, gets a
ticket that expires moments after the dead one. If both have expired by the
waiter's next poll (once a second), its ticket is gone, `is_locked` stays true and
the waiter loops until the HTTP client gives up; nginx then counts the healthy
instance as failed too. Here a waiter whose ticket has expired takes a new one.
"""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import AsyncGenerator, Text

from rasa.core import lock_store as rasa_lock_store
from rasa.core.lock import TicketLock
from rasa.utils.endpoints import EndpointConfig


def holds(lock: TicketLock, ticket: int) -> bool:
    return any(t.number == ticket and not t.has_expired() for t in lock.tickets)


class RedisLockStore(rasa_lock_store.RedisLockStore):
    """Configured in endpoints.yml as `type: rasa_ext.lock_store.RedisLockStore`, with Rasa's redis keys."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = rasa_lock_store.LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[TicketLock, None]:
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            while True:
                lock = self.get_lock(conversation_id)
                if lock is None or not holds(lock, ticket):
                    ticket = self.issue_ticket(conversation_id, lock_lifetime)  # ours expired while waiting
                    continue
                if not lock.is_locked(ticket):
                    break
                await asyncio.sleep(wait_time_in_seconds)
                self.update_lock(conversation_id)
            yield lock
        finally:
            self.cleanup(conversation_id, ticket)
