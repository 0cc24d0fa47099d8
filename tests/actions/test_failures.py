"""Actions when the database is down: an apology, the message kept, and replayed as a ticket later."""
import json

import pytest

from actions import services
from actions.respond import ActionRespond
from actions.server import _replay_once
from core.db import Database
from core.settings import reset_settings
from branch.store import BranchStore
from kb.content import read_entries
from kb.service import KnowledgeBase
from kb.store import KbStore
from monitoring.tickets import TicketService
from tests.actions.helpers import run, tracker
from tests.branch.profiles import load_test_profile


@pytest.fixture
def spool(tmp_path, monkeypatch):
    path = tmp_path / "spool.jsonl"
    monkeypatch.setenv("SPOOL_FILE", str(path))
    reset_settings()
    return path


@pytest.fixture
def down(monkeypatch):
    dead = Database("postgresql://nobody@127.0.0.1:1/none")
    monkeypatch.setattr(services, "knowledge_base", lambda: KnowledgeBase(dead, "medan-kota"))
    yield
    dead.dispose()


async def test_answer_with_database_down_apologises_and_keeps_the_message(down, spool):
    messages, slots = await run(ActionRespond(), tracker("jht saya kapan cair? NIK 1271012345678901"))
    assert "gangguan" in messages[0]["text"] and "175" in messages[0]["text"]
    assert slots.get("answer_topic") is None  # never set (only changed slots are sent)
    kept = [json.loads(line) for line in spool.read_text(encoding="utf-8").splitlines()]
    assert kept[0]["sender_id"] == "tg:42" and kept[0]["text"].startswith("jht saya kapan cair")


async def test_kept_messages_become_tickets_when_the_database_is_back(sqlite_db, spool, monkeypatch):
    monkeypatch.setattr(services, "knowledge_base", lambda: (_ for _ in ()).throw(RuntimeError("db down")))
    messages, _ = await run(ActionRespond(), tracker("saya mau bicara dengan petugas", intent="human_handoff"))
    assert "gangguan" in messages[0]["text"]
    assert spool.exists()

    KbStore(sqlite_db).import_entries(read_entries(), actor="content-loader")
    BranchStore(sqlite_db).save(load_test_profile(), actor="content-loader")
    kb = KnowledgeBase(sqlite_db, "test-kota", check_interval=0)
    monkeypatch.setattr(services, "knowledge_base", lambda: kb)
    monkeypatch.setattr(services, "tickets", lambda: TicketService(sqlite_db, kb.branch))
    assert _replay_once() == 1
    tickets = TicketService(sqlite_db, kb.branch).for_sender("tg:42")
    assert [t.kind for t in tickets] == ["unresolved_question"]
    assert tickets[0].text == "saya mau bicara dengan petugas"
    assert not spool.exists() or spool.read_text() == ""
