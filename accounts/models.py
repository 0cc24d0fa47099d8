"""Tables of accounts, their dashboard sessions and the audit log."""
from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, DateTime, ForeignKey, Integer, String, Text

from core.db import Base, utcnow

ROLES = ("staff", "admin")


class UserRow(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True, autoincrement=True)
    username = Column(String(64), nullable=False, unique=True)
    display_name = Column(String(120), nullable=False)
    role = Column(String(16), nullable=False)  # staff | admin
    password_hash = Column(String(255), nullable=False)
    # A staff member's Telegram account: only known accounts may use staff commands in the gateway.
    telegram_user_id = Column(BigInteger, unique=True)
    active = Column(Boolean, nullable=False, default=True)
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime)
    last_login_at = Column(DateTime)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow)


class SessionRow(Base):
    """A dashboard sign-in (accounts/sessions.py). The browser's cookie holds a random token; only its
    SHA-256 is stored, so the table cannot be used to sign in."""

    __tablename__ = "user_sessions"

    id = Column(Integer, primary_key=True, autoincrement=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    user_id = Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_seen_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime, nullable=False, index=True)  # the absolute end, however active
    client = Column(String(64))  # the address it signed in from


class AuditRow(Base):
    """Every change and every sensitive read (e.g. revealing a masked NIK) records who and when."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True, autoincrement=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    actor = Column(String(100), nullable=False, index=True)
    action = Column(String(64), nullable=False, index=True)
    target = Column(String(200))
    detail = Column(Text)
    source = Column(String(64))  # dashboard, telegram, cli
