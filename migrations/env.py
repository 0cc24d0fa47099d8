"""Alembic environment: migrates the database named by DATABASE_URL (or the -x url=... override)."""
from __future__ import annotations

from alembic import context

from core.db import make_engine, metadata
from core.settings import get_settings
import branch.models  # noqa: F401  (registers tables on the shared metadata)
import kb.models  # noqa: F401
import monitoring.models  # noqa: F401
import messaging.models  # noqa: F401
import accounts.models  # noqa: F401

config = context.config


def database_url() -> str:
    return context.get_x_argument(as_dictionary=True).get("url") or config.attributes.get("url") or get_settings().database_url


def run_migrations_offline() -> None:
    context.configure(url=database_url(), target_metadata=metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(database_url())
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    # Rasa's tracker store keeps its own tables (events) in the same database.
    return not (type_ == "table" and reflected and compare_to is None)


def _run(connection) -> None:
    # Batch mode: SQLite has almost no ALTER TABLE.
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True,
                      include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
