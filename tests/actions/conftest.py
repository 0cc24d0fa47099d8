"""The action's services on real parts: the knowledge base from kb/content, the test branch profile, a
fresh SQLite database per test for tickets, feedback and the turn log; only Rasa's NLU is a stand-in."""
from __future__ import annotations

import pytest

from actions import services
from branch.store import BranchStore
from core.db import Database, reset_databases
from core.migrate import upgrade
from core.settings import reset_settings
from kb.content import read_entries
from kb.service import KnowledgeBase
from kb.store import KbStore
from tests.actions.helpers import FakeNlu
from tests.branch.profiles import load_test_profile

LOADER = "content-loader"


@pytest.fixture(scope="session")
def content_kb(tmp_path_factory):
    """kb/content and the test profile in a database of their own, indexed once (the index takes seconds)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'kb.db'}"
    upgrade(url)
    db = Database(url)
    KbStore(db).import_entries(read_entries(), actor=LOADER)
    BranchStore(db).save(load_test_profile(), actor=LOADER)
    kb = KnowledgeBase(db, "test-kota", check_interval=3600)  # nothing edits it during the tests
    kb.refresh(force=True)
    yield kb
    db.dispose()


@pytest.fixture
def nlu(monkeypatch):
    """Rasa's reading of texts the conversation rewrote; by default it adds nothing to the search."""
    fake = FakeNlu()
    monkeypatch.setattr(services, "_parse", fake)
    return fake


@pytest.fixture
def branch_code() -> str:
    """The branch whose profile numbers tickets and names due times (parametrize to change it)."""
    return "test-kota"


@pytest.fixture
def services_on(sqlite_db, content_kb, nlu, branch_code, monkeypatch, tmp_path):
    """The actions' services as in production (DATABASE_URL, BRANCH_CODE), except the knowledge base,
    shared by the session (its answers name test-kota's facts); returns the database tickets, feedback
    and turns are written to."""
    BranchStore(sqlite_db).save(load_test_profile(branch_code), actor=LOADER)
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)
    monkeypatch.setenv("BRANCH_CODE", branch_code)
    monkeypatch.setenv("SPOOL_FILE", str(tmp_path / "spool.jsonl"))
    monkeypatch.delenv("CONVERSATION_CONTEXT", raising=False)  # on, as in production
    reset_settings()
    monkeypatch.setattr(services, "knowledge_base", lambda: content_kb)
    yield sqlite_db
    reset_databases()
