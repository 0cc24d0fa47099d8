"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, emptied before each test.

PostgreSQL tests skip when the server is unreachable, unless REQUIRE_POSTGRES=1
(as in CI), where they fail instead.
"""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List

import pytest
from sqlalchemy import create_engine, text

from accounts import passwords
from core.db import Database, metadata, reset_databases
from core.migrate import upgrade
from core.rasa_client import RasaClient
from core.settings import reset_settings
import branch.models  # noqa: F401  (tables on the shared metadata)
import kb.models  # noqa: F401
import monitoring.models  # noqa: F401
import messaging.models  # noqa: F401
import accounts.models  # noqa: F401
from stack.local import RunningStack
from stack.supervisor import free_port

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"


def postgres_required() -> bool:
    return os.environ.get("REQUIRE_POSTGRES", "").lower() in ("1", "true", "yes")


def _pg_reachable() -> bool:
    try:
        engine = create_engine(PG_ADMIN_URL, future=True, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgresql_url():
    """A fresh, migrated PostgreSQL database for this test session (dropped afterwards)."""
    if not _pg_reachable():
        message = f"PostgreSQL not reachable at {PG_ADMIN_URL}"
        if postgres_required():
            pytest.fail(message + " (REQUIRE_POSTGRES=1)")
        pytest.skip(message)
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    upgrade(url)
    yield url
    reset_databases()
    with admin.connect() as conn:
        conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/4")


@pytest.fixture(scope="session")
def redis_url():
    """Redis for the lock-store tests: skips when unreachable, fails instead with REQUIRE_POSTGRES=1 (CI's services)."""
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        message = f"Redis not reachable at {TEST_REDIS_URL}: {exc}"
        if postgres_required():
            pytest.fail(message + " (REQUIRE_POSTGRES=1)")
        pytest.skip(message)
    return TEST_REDIS_URL


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    upgrade(url)
    return url


# The sequences of the project's tables (not of Rasa's, which may share the database), restarted at 1.
_RESTART_SEQUENCES = text(
    "SELECT setval(s.oid::regclass, 1, false) FROM pg_class s "
    "JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i') JOIN pg_class t ON t.oid = d.refobjid "
    "WHERE s.relkind = 'S' AND t.relname = ANY(:tables)")


def _empty(db: Database) -> None:
    """Delete every row and restart ids, as on a freshly migrated database.

    DELETE rather than TRUNCATE on PostgreSQL: TRUNCATE gives every table new files, about
    0.4 s a test here, while the few rows a test wrote go in milliseconds."""
    tables = list(reversed(metadata.sorted_tables))
    with db.engine.begin() as conn:
        for t in tables:
            conn.execute(t.delete())
        if db.dialect == "postgresql":
            conn.execute(_RESTART_SEQUENCES, {"tables": [t.name for t in tables]})
        conn.execute(text("INSERT INTO kb_state (id, version, updated_at) VALUES (1, 0, CURRENT_TIMESTAMP)"))


@pytest.fixture(scope="session")
def _databases():
    """One Database (engine and connection pool) per URL for the session: a new one per test would
    open a new PostgreSQL connection each time."""
    opened: Dict[str, Database] = {}
    yield opened
    for database in opened.values():
        database.dispose()


def _emptied(url: str, opened: Dict[str, Database]) -> Database:
    if url not in opened:
        opened[url] = Database(url)
    _empty(opened[url])
    return opened[url]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, _databases) -> Database:
    """An empty, migrated database; every test using it runs on SQLite and on PostgreSQL."""
    return _emptied(request.getfixturevalue(f"{request.param}_url"), _databases)


@pytest.fixture
def sqlite_db(sqlite_url, _databases) -> Database:
    return _emptied(sqlite_url, _databases)


@pytest.fixture
def fast_hashing(monkeypatch):
    """A lower scrypt cost for tests that hash passwords on the way (tests/accounts checks the real cost)."""
    monkeypatch.setattr(passwords, "DEFAULT_COST", passwords.Cost(log2_n=10, r=8, p=1))


@pytest.fixture(autouse=True)
def _fresh_settings(monkeypatch):
    reset_settings()
    yield
    reset_settings()


# ---- the real assistant (Rasa server + action server), started once per session when asked for ----



@dataclass
class Turn:
    messages: List[Dict[str, Any]]
    slots: Dict[str, Any]
    intent: str

    @property
    def text(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.messages)

    @property
    def buttons(self) -> List[Dict[str, str]]:
        with_buttons = [m["buttons"] for m in self.messages if m.get("buttons")]
        return with_buttons[-1] if with_buttons else []


@dataclass
class Assistant:
    stack: RunningStack
    client: RasaClient
    db: Database
    spool_file: str

    def say(self, sender: str, text: str) -> Turn:
        messages = self.client.send(sender, text)
        tracker = self.client.tracker(sender, include_events="NONE")
        intent = ((tracker.get("latest_message") or {}).get("intent") or {}).get("name")
        return Turn(messages, tracker.get("slots") or {}, intent)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Assistant:
    from stack.local import running_stack

    tmp = tmp_path_factory.mktemp("assistant")
    url = f"sqlite:///{tmp / 'assistant.db'}"
    spool = str(tmp / "spool.jsonl")
    with (tmp / "stack.log").open("w") as log:
        with running_stack(url, free_port(), free_port(), log=log, extra_env={"SPOOL_FILE": spool}) as stack:
            db = Database(url)
            yield Assistant(stack, RasaClient(stack.rasa_url, stack.token, timeout=60), db, spool)
            db.dispose()
