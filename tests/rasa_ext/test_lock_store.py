"""The Redis lock store keeps a chat's messages in order and never waits for ever after an instance dies."""
from __future__ import annotations

import asyncio
import time
import uuid

import pytest
import redis
from rasa.core import lock_store as rasa_lock_store
from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import EndpointConfig

from rasa_ext.lock_store import RedisLockStore


def config(url, prefix):
    parts = redis.connection.parse_url(url)
    return EndpointConfig(url=parts["host"], type="rasa_ext.lock_store.RedisLockStore", port=parts["port"],
                          db=parts["db"], key_prefix=prefix)


@pytest.fixture
def endpoint(redis_url):
    prefix = f"t{uuid.uuid4().hex[:8]}"
    yield config(redis_url, prefix)
    red = redis.Redis.from_url(redis_url)
    for key in red.keys(f"{prefix}:*"):
        red.delete(key)


@pytest.fixture
def store(endpoint):
    return LockStore.create(endpoint)  # the way Rasa builds it from endpoints.yml


def test_built_from_the_endpoint_configuration(store):
    assert isinstance(store, RedisLockStore)
    assert store.key_prefix.endswith(":lock:")


async def test_a_dead_holders_ticket_does_not_hold_the_chat_for_ever(store):
    # A holder that died (its ticket is never cleaned up) and a waiter whose own ticket expires first.
    store.issue_ticket("tg:1", lock_lifetime=1.0)
    started = time.monotonic()

    async def wait_for_lock():
        async with store.lock("tg:1", lock_lifetime=0.5, wait_time_in_seconds=0.8):
            return time.monotonic() - started

    waited = await asyncio.wait_for(wait_for_lock(), timeout=5)
    assert 1.0 <= waited < 3.0  # once the dead ticket expired, not before
    assert store.get_lock("tg:1") is None  # and nothing is left behind for the next message


async def test_rasas_own_store_waits_for_ever_in_the_same_case(endpoint):
    # Why the subclass exists; when Rasa fixes this, the subclass can go.
    plain = rasa_lock_store.RedisLockStore(host=endpoint.url, **endpoint.kwargs)
    plain.issue_ticket("tg:2", lock_lifetime=1.0)

    async def wait_for_lock():
        async with plain.lock("tg:2", lock_lifetime=0.5, wait_time_in_seconds=0.8):
            return True

    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(wait_for_lock(), timeout=4)


async def test_messages_of_one_chat_are_served_one_at_a_time_in_order(store):
    served = []

    async def handle(name, hold):
        async with store.lock("tg:3", wait_time_in_seconds=0.05):
            served.append(f"{name} start")
            await asyncio.sleep(hold)
            served.append(f"{name} end")

    first = asyncio.create_task(handle("a", 0.3))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(handle("b", 0.0))
    await asyncio.gather(first, second)
    assert served == ["a start", "a end", "b start", "b end"]
    assert store.get_lock("tg:3") is None
