"""Rasa's SQL tracker store with the same table and behaviour, and a fraction of the CPU.

Rasa's SQLTrackerStore builds ORM objects for every event it reads and writes,
and counts the stored events of the session with a sub-query before each save:
under load that was about half of the Rasa server's CPU. This subclass keeps the
`events` table and its semantics but reads and writes with plain SQL statements,
inserts a turn's events in one statement, and learns how many events are stored
from the retrieve that precedes every save (checked against the highest event id,
so another Rasa instance writing to the same conversation is noticed).
"""
from __future__ import annotations

import itertools
import json
import logging
from typing import Any, Dict, Optional, Text, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

log = logging.getLogger(__name__)


class LeanSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # SQLAlchemy 1.4 opens a new SQLite connection per use (NullPool); keep a few open instead.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=4, max_overflow=4,
                                           connect_args={"check_same_thread": False, "timeout": 10})
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        else:
            # A server's connections die when it restarts: check each on checkout. Without this, the first
            # request after a PostgreSQL restart fails on a dead connection, and Rasa's fail-safe store
            # answers it from an empty in-memory conversation.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self._table = t = self.SQLEvent.__table__
        # sender -> (events stored since the session start, highest stored event id)
        self._stored: Dict[Text, Tuple[int, int]] = {}
        # Statements built once: SQLAlchemy then reuses their compiled form.
        sender, since = sa.bindparam("sender"), sa.bindparam("since")
        self._q_session_start = sa.select(sa.func.max(t.c.timestamp)).where(
            t.c.sender_id == sender, t.c.type_name == SessionStarted.type_name)
        self._q_max_id = sa.select(sa.func.max(t.c.id)).where(t.c.sender_id == sender)
        self._q_count_all = sa.select(sa.func.count()).select_from(t).where(t.c.sender_id == sender)
        self._q_count_since = self._q_count_all.where(t.c.timestamp >= since)
        self._q_events_all = sa.select(t.c.id, t.c.data).where(t.c.sender_id == sender).order_by(t.c.id)
        self._q_events_since = (sa.select(t.c.id, t.c.data).where(t.c.sender_id == sender, t.c.timestamp >= since)
                                .order_by(t.c.id))

    def _session_start(self, conn, sender_id: Text) -> Optional[float]:
        return conn.execute(self._q_session_start, {"sender": sender_id}).scalar()

    def _max_id(self, conn, sender_id: Text) -> int:
        return conn.execute(self._q_max_id, {"sender": sender_id}).scalar() or 0

    def _session_count(self, conn, sender_id: Text) -> int:
        start = self._session_start(conn, sender_id)
        if start is None:
            return conn.execute(self._q_count_all, {"sender": sender_id}).scalar() or 0
        return conn.execute(self._q_count_since, {"sender": sender_id, "since": start}).scalar() or 0

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        with self.engine.connect() as conn:
            start = None if fetch_events_from_all_sessions else self._session_start(conn, sender_id)
            if start is None:
                rows = conn.execute(self._q_events_all, {"sender": sender_id}).all()
            else:
                rows = conn.execute(self._q_events_since, {"sender": sender_id, "since": start}).all()
        if not fetch_events_from_all_sessions:
            self._stored[sender_id] = (len(rows), rows[-1][0] if rows else 0)
        events = [json.loads(row[1]) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        with self.engine.begin() as conn:
            known = self._stored.get(sender_id)
            if known is None or self._max_id(conn, sender_id) != known[1]:
                known = (self._session_count(conn, sender_id), 0)  # unknown or changed elsewhere: count
            new = list(itertools.islice(tracker.events, known[0], None))
            if new:
                conn.execute(self._table.insert(), [self._row(sender_id, event) for event in new])
            stored_count = known[0] + len(new)
            if any(isinstance(event, SessionStarted) for event in new):
                self._stored.pop(sender_id, None)  # the session restarted: count afresh next time
            else:
                self._stored[sender_id] = (stored_count, self._max_id(conn, sender_id))
        if len(self._stored) > 50_000:
            self._stored.clear()

    @staticmethod
    def _row(sender_id: Text, event) -> Dict[str, Any]:
        data = event.as_dict()
        return {"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
                "intent_name": (data.get("parse_data") or {}).get("intent", {}).get("name"),
                "action_name": data.get("name"), "data": json.dumps(data)}
