"""Dashboard sign-in sessions, kept in the database.

The browser's cookie holds only a random token; the table holds its SHA-256, the account, when the
session started and when it was last used. A session ends

- when its owner signs out (the row is deleted: a copied cookie stops working at once),
- `lifetime` after it started, however active it was (an absolute end, not renewed by use),
- after `idle` without a request (use is recorded at most every `touch_every`),
- when the account's password is changed or reset, or the account is deactivated
  (`end_all_for_user`, called by accounts.users in the same transaction as the change).

Every dashboard process reads the same table, so an ended session ends everywhere.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import List, Optional, Tuple

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from accounts.models import SessionRow
from core.db import Database, utcnow

LIFETIME = dt.timedelta(hours=10)
IDLE = dt.timedelta(hours=2)
TOUCH_EVERY = dt.timedelta(seconds=60)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SignIn:
    """A live session: whose it is and when it ends at the latest."""

    id: int
    user_id: int
    created_at: dt.datetime
    last_seen_at: dt.datetime
    expires_at: dt.datetime
    client: Optional[str]


def _signin(row: SessionRow) -> SignIn:
    return SignIn(row.id, row.user_id, row.created_at, row.last_seen_at, row.expires_at, row.client)


def end_all_for_user(session: Session, user_id: int) -> int:
    """End every session of an account, inside the caller's transaction (a password change, a reset,
    a deactivation): they end together with the change or not at all."""
    return session.execute(delete(SessionRow).where(SessionRow.user_id == user_id)).rowcount or 0


class SessionStore:
    def __init__(self, db: Database, lifetime: dt.timedelta = LIFETIME, idle: dt.timedelta = IDLE,
                 touch_every: dt.timedelta = TOUCH_EVERY):
        self.db = db
        self.lifetime = lifetime
        self.idle = idle
        self.touch_every = touch_every

    def _expired(self, now: dt.datetime):
        return or_(SessionRow.expires_at <= now, SessionRow.last_seen_at <= now - self.idle)

    def start(self, user_id: int, client: Optional[str] = None,
              now: Optional[dt.datetime] = None) -> Tuple[str, SignIn]:
        """A new session for a fresh sign-in: the token for the cookie (never stored) and the session."""
        now = now or utcnow()
        token = secrets.token_urlsafe(32)
        with self.db.session() as s:
            s.execute(delete(SessionRow).where(self._expired(now)))  # housekeeping: ended sessions go
            row = SessionRow(token_hash=_hash(token), user_id=user_id, created_at=now, last_seen_at=now,
                             expires_at=now + self.lifetime, client=client[:64] if client else None)
            s.add(row)
            s.flush()
            return token, _signin(row)

    def resolve(self, token: Optional[str], now: Optional[dt.datetime] = None) -> Optional[SignIn]:
        """The live session of a cookie's token, its use recorded; None when there is none (never was,
        signed out, ended by a password change, past its absolute end or idle too long)."""
        if not token or not isinstance(token, str) or len(token) > 200:
            return None
        now = now or utcnow()
        with self.db.session() as s:
            row = s.execute(select(SessionRow).where(SessionRow.token_hash == _hash(token))).scalar_one_or_none()
            if row is None:
                return None
            if row.expires_at <= now or row.last_seen_at <= now - self.idle:
                s.delete(row)
                return None
            if now - row.last_seen_at >= self.touch_every:
                row.last_seen_at = now
            return _signin(row)

    def end(self, token: Optional[str]) -> bool:
        """Sign out: the session ends (whoever holds a copy of the cookie)."""
        if not token or not isinstance(token, str):
            return False
        with self.db.session() as s:
            return bool(s.execute(delete(SessionRow).where(SessionRow.token_hash == _hash(token))).rowcount)

    def end_all(self, user_id: int) -> int:
        with self.db.session() as s:
            return end_all_for_user(s, user_id)

    def for_user(self, user_id: int, now: Optional[dt.datetime] = None) -> List[SignIn]:
        """The account's live sessions, newest first."""
        now = now or utcnow()
        with self.db.session() as s:
            rows = s.execute(select(SessionRow).where(SessionRow.user_id == user_id, ~self._expired(now))
                             .order_by(SessionRow.id.desc())).scalars()
            return [_signin(r) for r in rows]
