"""Database access: one engine and session factory per URL, created on demand.

Code is written in SQLAlchemy 2.0 style (`select()`, `Session.execute`,
`future=True`) on 1.4, which Rasa pins. Timestamps are stored as naive UTC.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, Optional

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, declarative_base, sessionmaker
from sqlalchemy.pool import QueuePool

from core.settings import get_settings

# Stable constraint names, so Alembic batch migrations on SQLite can find them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)
Base = declarative_base(metadata=metadata)


def utcnow() -> dt.datetime:
    """Current time as naive UTC (the storage convention on SQLite and PostgreSQL alike)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; no fsync on every commit
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    kwargs: dict = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
        if parsed.database and parsed.database != ":memory:":
            # SQLAlchemy 1.4 defaults to a new connection per use for SQLite files; keep a few open.
            kwargs.update(poolclass=QueuePool, pool_size=4, max_overflow=8)
    else:
        # A server connection can drop (restart, failover): check it on checkout. A SQLite file cannot.
        kwargs.update(pool_size=5, max_overflow=10, pool_recycle=1800, pool_pre_ping=True)
        kwargs["connect_args"] = {"connect_timeout": 5}
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class Database:
    """An engine plus a session factory; `session()` commits or rolls back."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self._factory = sessionmaker(self.engine, future=True, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        session = self._factory()
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


_databases: Dict[str, Database] = {}


def get_database(url: Optional[str] = None) -> Database:
    """The process-wide Database for `url` (default: settings.database_url)."""
    url = url or get_settings().database_url
    if url not in _databases:
        _databases[url] = Database(url)
    return _databases[url]


def reset_databases() -> None:
    for db in _databases.values():
        db.dispose()
    _databases.clear()
