"""Erasing a participant's conversation from the tracker store that Rasa really writes."""
from __future__ import annotations

import uuid

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import UserUttered

from core.db import Database
from rasa_ext.tracker_erasure import EVENTS, erase_conversation
from rasa_ext.tracker_store import LeanSQLTrackerStore
from tests.rasa_ext.test_tracker_store import DOMAIN, turn


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    return request.getfixturevalue("postgresql_url")


async def say(store, sender, text, ts):
    tracker = await store.get_or_create_tracker(sender)
    for event in turn(store, sender, text, ts):
        tracker.update(event)
    await store.save(tracker)


def test_the_table_is_rasas_own():
    assert EVENTS.name == SQLTrackerStore.SQLEvent.__tablename__


async def test_erasing_one_sender_keeps_the_others_and_the_store_carries_on(url):
    store = LeanSQLTrackerStore(DOMAIN, host=url)
    gone, kept = f"tg:{uuid.uuid4().int % 10**9}", f"tg:{uuid.uuid4().int % 10**9}"
    await say(store, gone, "saldo jht saya", 1.0)
    await say(store, kept, "halo", 1.0)
    db = Database(url)
    try:
        assert erase_conversation(db, gone) > 0
        assert erase_conversation(db, gone) == 0
    finally:
        db.dispose()
    assert await SQLTrackerStore(DOMAIN, host=url).retrieve(gone) is None
    assert [e.text for e in (await store.retrieve(kept)).events if isinstance(e, UserUttered)] == ["halo"]
    await say(store, gone, "mulai lagi", 2.0)  # the same running store: nothing of the old conversation returns
    again = await SQLTrackerStore(DOMAIN, host=url).retrieve(gone)
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["mulai lagi"]


def test_nothing_to_erase_before_rasa_ever_ran(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        assert erase_conversation(db, "tg:1") == 0
    finally:
        db.dispose()
