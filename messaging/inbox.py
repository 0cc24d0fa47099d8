"""The inbox: every Telegram update recorded once, so a restart neither re-answers nor drops messages."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Dict, List, Optional

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from core.db import Database, utcnow
from messaging.models import InboxRow

OPEN = ("received", "pending")


@dataclass(frozen=True)
class InboxMessage:
    id: int
    update_id: int
    chat_id: int
    user_id: Optional[int]
    kind: str
    text: str
    meta: Dict
    status: str
    attempts: int
    received_at: dt.datetime


def _message(row: InboxRow) -> InboxMessage:
    return InboxMessage(row.id, row.update_id, row.chat_id, row.user_id, row.kind, row.text, dict(row.meta or {}),
                        row.status, row.attempts, row.received_at)


class Inbox:
    def __init__(self, db: Database):
        self.db = db

    def receive(self, update_id: int, chat_id: int, user_id: Optional[int], kind: str, text: str,
                meta: Optional[Dict] = None, status: str = "received") -> bool:
        """Record an update; False if it was recorded before (Telegram delivered it twice)."""
        try:
            with self.db.session() as s:
                seen = s.execute(select(InboxRow.id).where(InboxRow.update_id == update_id,
                                                           InboxRow.chat_id == chat_id)).first()
                if seen is not None:
                    return False
                s.add(InboxRow(update_id=update_id, chat_id=chat_id, user_id=user_id, kind=kind, text=text[:20000],
                               meta=meta or {}, status=status, received_at=utcnow()))
            return True
        except IntegrityError:  # a concurrent insert of the same update
            return False

    def open_for_chat(self, chat_id: int) -> List[InboxMessage]:
        """Messages of a chat not yet answered, oldest first."""
        stmt = (select(InboxRow).where(InboxRow.chat_id == chat_id, InboxRow.status.in_(OPEN))
                .order_by(InboxRow.id))
        with self.db.session() as s:
            return [_message(r) for r in s.execute(stmt).scalars()]

    def chats_waiting(self, older_than: dt.timedelta = dt.timedelta(0), limit: int = 100) -> List[int]:
        """Chats with kept messages (pending, or received but never finished, e.g. before a crash)."""
        cutoff = utcnow() - older_than
        stmt = (select(InboxRow.chat_id).where(InboxRow.status.in_(OPEN), InboxRow.received_at <= cutoff)
                .group_by(InboxRow.chat_id).order_by(func.min(InboxRow.id)).limit(limit))
        with self.db.session() as s:
            return list(s.execute(stmt).scalars())

    def mark(self, message_id: int, status: str, count_attempt: bool = False) -> None:
        values: Dict = {"status": status}
        if count_attempt:
            values["attempts"] = InboxRow.attempts + 1
        if status in ("done", "failed", "ignored"):
            values["handled_at"] = utcnow()
        with self.db.session() as s:  # one UPDATE: this runs for every answered message
            s.execute(update(InboxRow).where(InboxRow.id == message_id).values(**values))

    def get(self, message_id: int) -> Optional[InboxMessage]:
        with self.db.session() as s:
            row = s.get(InboxRow, message_id)
            return _message(row) if row else None

    def forget_chat(self, chat_id: int) -> int:
        with self.db.session() as s:
            return s.execute(delete(InboxRow).where(InboxRow.chat_id == chat_id)).rowcount or 0

    def counts(self) -> Dict[str, int]:
        with self.db.session() as s:
            return dict(s.execute(select(InboxRow.status, func.count()).group_by(InboxRow.status)).all())
