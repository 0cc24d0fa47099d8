"""Erasing a participant's conversation from Rasa's SQL tracker store (the right to erasure).

Rasa's tracker store (rasa_ext/tracker_store.py) keeps every event in its `events`
table, in the project's database. Plain SQLAlchemy, so that the gateway, the
dashboard and the CLIs erase without loading Rasa; a test checks the table name
against Rasa's own.
"""
from __future__ import annotations

import sqlalchemy as sa

from core.db import Database

EVENTS = sa.table("events", sa.column("sender_id"))


def erase_conversation(db: Database, sender_id: str) -> int:
    """Delete every stored event of `sender_id`; how many there were (0 before Rasa ever ran)."""
    if not sa.inspect(db.engine).has_table(EVENTS.name):
        return 0
    with db.session() as s:
        return s.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id == sender_id)).rowcount or 0
