"""Staff and admin accounts: creation, login with throttling and lockout, password resets.

Every change is written to the audit log in the same transaction. A `User` never
carries the password hash. Changing or resetting a password and deactivating an account end
the account's dashboard sessions (accounts/sessions.py) in the same transaction.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import List, Optional

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import texts
from accounts import audit
from accounts.models import ROLES, UserRow
from accounts.passwords import check_policy, dummy_verify, hash_password, needs_rehash, verify_password
from accounts.sessions import end_all_for_user
from core.db import Database, utcnow

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MAX_FAILURES = 5  # consecutive failed logins before the account is locked
LOCK_MINUTES = 15  # first lock; each further round of failures doubles it
MAX_LOCK = dt.timedelta(hours=4)

OK, INVALID, LOCKED, INACTIVE = "ok", "invalid", "locked", "inactive"


class UserError(ValueError):
    """A request about an account cannot be done; the message (Indonesian) says why."""


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: str
    telegram_user_id: Optional[int]
    active: bool
    failed_logins: int
    locked_until: Optional[dt.datetime]
    last_login_at: Optional[dt.datetime]
    created_at: dt.datetime

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class LoginResult:
    status: str  # ok, invalid, locked, inactive
    user: Optional[User] = None
    locked_until: Optional[dt.datetime] = None

    @property
    def ok(self) -> bool:
        return self.status == OK


def _user(row: UserRow) -> User:
    return User(row.id, row.username, row.display_name, row.role, row.telegram_user_id, bool(row.active),
                row.failed_logins or 0, row.locked_until, row.last_login_at, row.created_at)


def _detail(key: str, **values) -> str:
    """An audit detail in the staff's language (texts/dashboard.yml, audit_detail)."""
    return texts.say(f"dashboard.audit_detail.{key}", texts.STAFF_LANGUAGE, **values)


def _role_name(role: str) -> str:
    return texts.lookup(f"dashboard.label.role.{role}", texts.STAFF_LANGUAGE) or role


def normalize_username(username: str) -> str:
    return (username or "").strip().lower()


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(f"Peran tidak dikenal: {role!r} (pilih {', '.join(ROLES)}).")


def _lock_duration(failures: int) -> dt.timedelta:
    rounds = max(1, failures // MAX_FAILURES)
    return min(dt.timedelta(minutes=LOCK_MINUTES * 2 ** (rounds - 1)), MAX_LOCK)


class UserService:
    def __init__(self, db: Database):
        self.db = db

    # ---- reading -----------------------------------------------------------
    def get(self, username: str) -> Optional[User]:
        with self.db.session() as s:
            row = s.execute(select(UserRow).where(UserRow.username == normalize_username(username))).scalar_one_or_none()
            return _user(row) if row else None

    def get_by_id(self, user_id: int) -> Optional[User]:
        with self.db.session() as s:
            row = s.get(UserRow, user_id)
            return _user(row) if row else None

    def list(self) -> List[User]:
        with self.db.session() as s:
            return [_user(r) for r in s.execute(select(UserRow).order_by(UserRow.username)).scalars()]

    def find_by_telegram_user_id(self, telegram_user_id: int) -> Optional[User]:
        """The account registered for a Telegram user (the gateway checks staff commands with it)."""
        with self.db.session() as s:
            row = s.execute(select(UserRow).where(UserRow.telegram_user_id == int(telegram_user_id))).scalar_one_or_none()
            return _user(row) if row else None

    def session_user(self, user_id: int) -> Optional[User]:
        """The user of a live session, if the account is still active (roles are read afresh)."""
        user = self.get_by_id(user_id)
        return user if user is not None and user.active else None

    def count_active_admins(self, s: Optional[Session] = None) -> int:
        stmt = select(func.count()).select_from(UserRow).where(UserRow.role == "admin", UserRow.active.is_(True))
        if s is not None:
            return int(s.execute(stmt).scalar_one())
        with self.db.session() as s2:
            return int(s2.execute(stmt).scalar_one())

    # ---- creating and changing ---------------------------------------------
    def create(self, username: str, display_name: str, role: str, password: str, actor: str,
               telegram_user_id: Optional[int] = None, source: str = "cli") -> User:
        username = normalize_username(username)
        if not USERNAME.match(username):
            raise UserError("Nama pengguna: 3-64 huruf kecil, angka, titik, garis bawah atau tanda hubung.")
        display_name = (display_name or "").strip() or username
        if len(display_name) > 120:
            raise UserError("Nama tampilan maksimal 120 karakter.")
        _check_role(role)
        check_policy(password, username)
        now = utcnow()
        try:
            with self.db.session() as s:
                if s.execute(select(UserRow.id).where(UserRow.username == username)).first():
                    raise UserError(f"Nama pengguna {username!r} sudah dipakai.")
                row = UserRow(username=username, display_name=display_name, role=role,
                              password_hash=hash_password(password), telegram_user_id=telegram_user_id,
                              active=True, failed_logins=0, created_at=now, updated_at=now)
                s.add(row)
                s.flush()
                audit.add(s, actor, "user_created", username, _detail("role", role=_role_name(role)), source)
                return _user(row)
        except IntegrityError:
            raise UserError("Nama pengguna atau ID Telegram sudah dipakai akun lain.") from None

    def _locked_row(self, s: Session, username: str) -> UserRow:
        row = s.execute(select(UserRow).where(UserRow.username == normalize_username(username))
                        .with_for_update()).scalar_one_or_none()
        if row is None:
            raise UserError(f"Akun {username!r} tidak ada.")
        return row

    def reset_password(self, username: str, new_password: str, actor: str, source: str = "cli") -> User:
        """Set a new password (admin or CLI); also lifts a lock. The account's sessions end."""
        check_policy(new_password, normalize_username(username))
        with self.db.session() as s:
            row = self._locked_row(s, username)
            row.password_hash = hash_password(new_password)
            row.failed_logins, row.locked_until, row.updated_at = 0, None, utcnow()
            ended = end_all_for_user(s, row.id)
            audit.add(s, actor, "password_reset", row.username, _detail("sessions_ended", count=ended), source)
            return _user(row)

    def change_password(self, user_id: int, current: str, new_password: str, source: str = "dashboard") -> User:
        """A user changing their own password must know the current one. All the account's sessions end
        (the dashboard then starts a new one for the browser that made the change)."""
        with self.db.session() as s:
            row = s.execute(select(UserRow).where(UserRow.id == user_id).with_for_update()).scalar_one_or_none()
            if row is None or not verify_password(current, row.password_hash):
                raise UserError("Kata sandi saat ini salah.")
            check_policy(new_password, row.username)
            row.password_hash = hash_password(new_password)
            row.updated_at = utcnow()
            ended = end_all_for_user(s, row.id)
            audit.add(s, row.username, "password_changed", row.username, _detail("sessions_ended", count=ended), source)
            return _user(row)

    def set_telegram(self, username: str, telegram_user_id: Optional[int], actor: str, source: str = "cli") -> User:
        if telegram_user_id is not None and not (0 < int(telegram_user_id) < 2 ** 53):
            raise UserError("ID Telegram harus berupa angka positif.")
        try:
            with self.db.session() as s:
                row = self._locked_row(s, username)
                if telegram_user_id is not None:
                    other = s.execute(select(UserRow.username).where(
                        UserRow.telegram_user_id == int(telegram_user_id), UserRow.id != row.id)).scalar_one_or_none()
                    if other is not None:
                        raise UserError(f"ID Telegram itu sudah terdaftar untuk akun {other!r}.")
                row.telegram_user_id = int(telegram_user_id) if telegram_user_id is not None else None
                row.updated_at = utcnow()
                audit.add(s, actor, "telegram_set" if telegram_user_id is not None else "telegram_cleared",
                          row.username, _detail("telegram_id", id=telegram_user_id) if telegram_user_id else None, source)
                return _user(row)
        except IntegrityError:
            raise UserError("ID Telegram itu sudah terdaftar untuk akun lain.") from None

    def set_role(self, username: str, role: str, actor: str, source: str = "dashboard") -> User:
        _check_role(role)
        with self.db.session() as s:
            row = self._locked_row(s, username)
            if row.role == "admin" and role != "admin" and row.active and self.count_active_admins(s) <= 1:
                raise UserError("Admin aktif terakhir tidak boleh diturunkan perannya.")
            previous, row.role, row.updated_at = row.role, role, utcnow()
            audit.add(s, actor, "role_changed", row.username,
                      _detail("role_changed", before=_role_name(previous), after=_role_name(role)), source)
            return _user(row)

    def set_active(self, username: str, active: bool, actor: str, source: str = "dashboard") -> User:
        with self.db.session() as s:
            row = self._locked_row(s, username)
            if not active and row.role == "admin" and row.active and self.count_active_admins(s) <= 1:
                raise UserError("Admin aktif terakhir tidak boleh dinonaktifkan.")
            row.active, row.updated_at = bool(active), utcnow()
            ended = 0
            if active:
                row.failed_logins, row.locked_until = 0, None
            else:
                ended = end_all_for_user(s, row.id)
            audit.add(s, actor, "user_activated" if active else "user_deactivated", row.username,
                      _detail("sessions_ended", count=ended) if not active else None, source)
            return _user(row)

    # ---- login -------------------------------------------------------------
    def authenticate(self, username: str, password: str, source: str = "dashboard", client: str = "",
                     now: Optional[dt.datetime] = None) -> LoginResult:
        """Check a login. Five failures in a row lock the account for 15 minutes (doubling after that).

        Unknown names cost the same time as known ones, and every attempt is audited.
        """
        now = now or utcnow()
        username = normalize_username(username)[:64]
        detail = _detail("client", client=client) if client else None
        with self.db.session() as s:
            row = s.execute(select(UserRow).where(UserRow.username == username).with_for_update()).scalar_one_or_none()
            if row is None:
                dummy_verify(password)
                audit.add(s, username or "?", "login_failed", username or None, detail, source, now)
                return LoginResult(INVALID)
            if row.locked_until is not None and row.locked_until > now:
                audit.add(s, row.username, "login_refused_locked", row.username, detail, source, now)
                return LoginResult(LOCKED, locked_until=row.locked_until)
            if not verify_password(password, row.password_hash):
                row.failed_logins = (row.failed_logins or 0) + 1
                if row.failed_logins % MAX_FAILURES == 0:
                    row.locked_until = now + _lock_duration(row.failed_logins)
                    audit.add(s, row.username, "account_locked", row.username,
                              _detail("locked", count=row.failed_logins, until=f"{row.locked_until:%Y-%m-%d %H:%M}"),
                              source, now)
                audit.add(s, row.username, "login_failed", row.username, detail, source, now)
                return LoginResult(LOCKED if row.locked_until and row.locked_until > now else INVALID,
                                   locked_until=row.locked_until if row.locked_until and row.locked_until > now else None)
            if not row.active:
                audit.add(s, row.username, "login_refused_inactive", row.username, detail, source, now)
                return LoginResult(INACTIVE)
            if needs_rehash(row.password_hash):
                row.password_hash = hash_password(password)
            row.failed_logins, row.locked_until, row.last_login_at = 0, None, now
            audit.add(s, row.username, "login", row.username, detail, source, now)
            return LoginResult(OK, _user(row))
