"""The lean tracker store keeps Rasa's table and semantics, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

from rasa_ext.tracker_store import LeanSQLTrackerStore
from tests.private_postgres import PrivatePostgres, unavailable_reason

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet]
slots:
  answer_topic:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
""")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    return request.getfixturevalue("postgresql_url")


def turn(store, sender, text, ts):
    return [UserUttered(text, {"name": "greet", "confidence": 1.0}, timestamp=ts),
            ActionExecuted("action_answer_question", timestamp=ts + 0.1),
            SlotSet("answer_topic", f"topic-{text}", timestamp=ts + 0.2),
            BotUttered(f"reply to {text}", timestamp=ts + 0.3), ActionExecuted("action_listen", timestamp=ts + 0.4)]


async def test_roundtrip_matches_rasas_own_store(url):
    lean = LeanSQLTrackerStore(DOMAIN, host=url)
    sender = "tg:1"
    tracker = await lean.get_or_create_tracker(sender)
    for e in [ActionExecuted("action_session_start", timestamp=1.0), SessionStarted(timestamp=1.1),
              ActionExecuted("action_listen", timestamp=1.2)] + turn(lean, sender, "halo", 2.0):
        tracker.update(e)
    await lean.save(tracker)
    tracker = await lean.retrieve(sender)
    for e in turn(lean, sender, "lagi", 3.0):
        tracker.update(e)
    await lean.save(tracker)
    await lean.save(tracker)  # saving again adds nothing

    stock = SQLTrackerStore(DOMAIN, host=url)  # Rasa's own store reads what the lean one wrote
    theirs = await stock.retrieve(sender)
    ours = await lean.retrieve(sender)
    assert [e.as_dict() for e in ours.events] == [e.as_dict() for e in theirs.events]
    assert len(ours.events) == 13 and ours.get_slot("answer_topic") == "topic-lagi"


async def test_another_instance_writing_the_same_conversation_is_noticed(url):
    a, b = LeanSQLTrackerStore(DOMAIN, host=url), LeanSQLTrackerStore(DOMAIN, host=url)
    sender = "tg:2"
    t = await a.get_or_create_tracker(sender)
    for e in turn(a, sender, "satu", 1.0):
        t.update(e)
    await a.save(t)
    t_b = await b.retrieve(sender)  # the next message lands on instance b
    for e in turn(b, sender, "dua", 2.0):
        t_b.update(e)
    await b.save(t_b)
    t_a = await a.retrieve(sender)  # and the one after that on a again
    stock = await SQLTrackerStore(DOMAIN, host=url).retrieve(sender)
    assert len(t_a.events) == len(stock.events) == 11  # the created tracker's action_listen + two turns
    for e in turn(a, sender, "tiga", 3.0):
        t_a.update(e)
    await a.save(t_a)
    final = await SQLTrackerStore(DOMAIN, host=url).retrieve(sender)
    assert [e.text for e in final.events if isinstance(e, UserUttered)] == ["satu", "dua", "tiga"]


async def test_a_new_session_is_counted_afresh(url):
    lean = LeanSQLTrackerStore(DOMAIN, host=url)
    sender = "tg:3"
    t = await lean.get_or_create_tracker(sender)
    for e in [SessionStarted(timestamp=1.0)] + turn(lean, sender, "lama", 2.0):
        t.update(e)
    await lean.save(t)
    t = await lean.retrieve(sender)
    for e in [ActionExecuted("action_session_start", timestamp=100.0), SessionStarted(timestamp=100.1),
              ActionExecuted("action_listen", timestamp=100.2)]:
        t.update(e)
    await lean.save(t)
    for e in turn(lean, sender, "baru", 101.0):
        t.update(e)
    await lean.save(t)
    current = await SQLTrackerStore(DOMAIN, host=url).retrieve(sender)
    assert [e.text for e in current.events if isinstance(e, UserUttered)] == ["baru"]
    everything = await SQLTrackerStore(DOMAIN, host=url).retrieve_full_tracker(sender)
    assert [e.text for e in everything.events if isinstance(e, UserUttered)] == ["lama", "baru"]


async def test_a_restarted_postgresql_server_is_reconnected_to_without_losing_the_conversation():
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"no private PostgreSQL server: {reason}")
    server = PrivatePostgres()
    try:
        server.start()
        lean = LeanSQLTrackerStore(DOMAIN, host=server.create_database("tracker"))
        sender = "tg:4"
        tracker = await lean.get_or_create_tracker(sender)
        for e in turn(lean, sender, "halo", 2.0):
            tracker.update(e)
        await lean.save(tracker)
        server.stop()  # every pooled connection dies with it
        server.start()
        again = await lean.retrieve(sender)  # a dead connection would raise here (and Rasa start afresh)
        assert again is not None and [e.as_dict() for e in again.events] == [e.as_dict() for e in tracker.events]
    finally:
        server.remove()
