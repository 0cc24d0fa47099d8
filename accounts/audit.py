"""The audit log: who changed what, and who looked at personal data, and when."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import List, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accounts.models import AuditRow
from core.db import Database, utcnow
from core.masking import mask_pii


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    actor: str
    action: str
    target: Optional[str]
    detail: Optional[str]
    source: Optional[str]


def _clip(value: Optional[str], limit: int) -> Optional[str]:
    if value is None:
        return None
    value = str(value).replace("\x00", "")
    return value[:limit]


def add(session: Session, actor: str, action: str, target: Optional[str] = None, detail: Optional[str] = None,
        source: str = "dashboard", at: Optional[dt.datetime] = None) -> None:
    """Record an entry inside the caller's transaction (the change and its record commit together).

    Target and details are masked: the log says *that* a NIK was revealed, never the NIK (and a refused
    staff command, recorded as its target, keeps no number it quoted).
    """
    session.add(AuditRow(at=at or utcnow(), actor=_clip(actor, 100) or "?", action=_clip(action, 64),
                         target=_clip(mask_pii(target) if target else None, 200),
                         detail=_clip(mask_pii(detail) if detail else None, 2000),
                         source=_clip(source, 64)))


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(row.id, row.at, row.actor, row.action, row.target, row.detail, row.source)


class AuditLog:
    def __init__(self, db: Database):
        self.db = db

    def record(self, actor: str, action: str, target: Optional[str] = None, detail: Optional[str] = None,
               source: str = "dashboard", at: Optional[dt.datetime] = None) -> None:
        with self.db.session() as s:
            add(s, actor, action, target, detail, source, at)

    def _filtered(self, stmt, actor: Optional[str], action: Optional[str], target: Optional[str]):
        if actor:
            stmt = stmt.where(AuditRow.actor == actor)
        if action:
            stmt = stmt.where(AuditRow.action == action)
        if target:
            stmt = stmt.where(AuditRow.target == target)
        return stmt

    def list(self, actor: Optional[str] = None, action: Optional[str] = None, target: Optional[str] = None,
             limit: int = 50, offset: int = 0) -> List[AuditEntry]:
        """Newest first."""
        stmt = self._filtered(select(AuditRow), actor, action, target)
        stmt = stmt.order_by(AuditRow.id.desc()).limit(max(1, min(limit, 500))).offset(max(0, offset))
        with self.db.session() as s:
            return [_entry(r) for r in s.execute(stmt).scalars()]

    def count(self, actor: Optional[str] = None, action: Optional[str] = None, target: Optional[str] = None) -> int:
        stmt = self._filtered(select(func.count()).select_from(AuditRow), actor, action, target)
        with self.db.session() as s:
            return int(s.execute(stmt).scalar_one())

    def actions(self) -> List[str]:
        """The distinct actions recorded so far (for a filter list)."""
        with self.db.session() as s:
            return sorted(s.execute(select(AuditRow.action).distinct()).scalars())
