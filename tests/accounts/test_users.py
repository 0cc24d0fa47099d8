import datetime as dt

import pytest

from accounts.audit import AuditLog
from accounts.sessions import SessionStore
from accounts.users import INACTIVE, INVALID, LOCKED, MAX_FAILURES, OK, UserError, UserService
from accounts.passwords import PasswordError

PW = "Sandi-Benar-2026"
NOW = dt.datetime(2026, 11, 30, 2, 0)


@pytest.fixture
def users(db, fast_hashing):
    return UserService(db)


def test_create_and_authenticate(users, db):
    user = users.create("Ani", "Ani Petugas", "staff", PW, actor="cli")
    assert user.username == "ani" and user.role == "staff" and user.active
    assert not hasattr(user, "password_hash")
    result = users.authenticate("ANI ", PW, client="10.0.0.1", now=NOW)
    assert result.status == OK and result.user.username == "ani"
    assert users.get("ani").last_login_at == NOW
    actions = [e.action for e in AuditLog(db).list()]
    assert actions == ["login", "user_created"]
    assert AuditLog(db).list(action="login")[0].detail == "alamat 10.0.0.1"


def test_bad_input_is_refused(users):
    with pytest.raises(UserError):
        users.create("a", "x", "staff", PW, actor="cli")
    with pytest.raises(UserError):
        users.create("ani", "x", "root", PW, actor="cli")
    with pytest.raises(PasswordError):
        users.create("ani", "x", "staff", "pendek", actor="cli")
    users.create("ani", "x", "staff", PW, actor="cli")
    with pytest.raises(UserError):
        users.create("ani", "y", "admin", PW, actor="cli")


def test_unknown_user_and_wrong_password_fail_the_same_way(users, db):
    users.create("ani", "Ani", "staff", PW, actor="cli")
    assert users.authenticate("nobody", PW, now=NOW).status == INVALID
    assert users.authenticate("ani", "salah-salah-salah", now=NOW).status == INVALID
    assert users.get("ani").failed_logins == 1
    assert AuditLog(db).count(action="login_failed") == 2


def test_five_failures_lock_the_account_even_for_the_right_password(users, db):
    users.create("ani", "Ani", "staff", PW, actor="cli")
    results = [users.authenticate("ani", f"salah-{i}-xxxxxx", now=NOW).status for i in range(MAX_FAILURES)]
    assert results == [INVALID] * (MAX_FAILURES - 1) + [LOCKED]
    locked = users.authenticate("ani", PW, now=NOW + dt.timedelta(minutes=5))
    assert locked.status == LOCKED and locked.locked_until == NOW + dt.timedelta(minutes=15)
    assert AuditLog(db).count(action="account_locked") == 1
    # After the lock expires the right password works and clears the counter.
    assert users.authenticate("ani", PW, now=NOW + dt.timedelta(minutes=16)).status == OK
    assert users.get("ani").failed_logins == 0


def test_repeated_rounds_lock_longer(users):
    users.create("ani", "Ani", "staff", PW, actor="cli")
    for i in range(MAX_FAILURES):
        users.authenticate("ani", "salah-salah-salah", now=NOW)
    later = NOW + dt.timedelta(minutes=16)
    for i in range(MAX_FAILURES):
        users.authenticate("ani", "salah-salah-salah", now=later)
    assert users.get("ani").locked_until == later + dt.timedelta(minutes=30)


def test_reset_password_unlocks_and_ends_the_sessions(users, db):
    user = users.create("ani", "Ani", "staff", PW, actor="cli")
    other = users.create("budi", "Budi", "admin", PW, actor="cli")
    sessions = SessionStore(db)
    tokens = [sessions.start(user.id)[0] for _ in range(2)]
    kept, _ = sessions.start(other.id)
    for _ in range(MAX_FAILURES):
        users.authenticate("ani", "salah-salah-salah", now=NOW)
    users.reset_password("ani", "Sandi-Baru-2027", actor="budi", source="dashboard")
    assert [sessions.resolve(t) for t in tokens] == [None, None] and sessions.resolve(kept).user_id == other.id
    assert users.authenticate("ani", "Sandi-Baru-2027", now=NOW).status == OK
    entry = AuditLog(db).list(action="password_reset")[0]
    assert (entry.actor, entry.detail) == ("budi", "2 sesi diakhiri")


def test_change_own_password_needs_the_current_one_and_ends_the_sessions(users, db):
    user = users.create("ani", "Ani", "staff", PW, actor="cli")
    sessions = SessionStore(db)
    token, _ = sessions.start(user.id)
    with pytest.raises(UserError):
        users.change_password(user.id, "bukan-sandi-lama", "Sandi-Baru-2027")
    assert sessions.resolve(token) is not None  # a refused change ends nothing
    users.change_password(user.id, PW, "Sandi-Baru-2027")
    assert users.authenticate("ani", "Sandi-Baru-2027").ok
    assert sessions.resolve(token) is None and sessions.for_user(user.id) == []


def test_inactive_accounts_cannot_log_in_and_lose_their_sessions(users, db):
    users.create("boss", "Boss", "admin", PW, actor="cli")
    user = users.create("ani", "Ani", "staff", PW, actor="cli")
    token, _ = SessionStore(db).start(user.id)
    users.set_active("ani", False, actor="boss")
    assert users.authenticate("ani", PW).status == INACTIVE
    assert SessionStore(db).resolve(token) is None and users.session_user(user.id) is None
    users.set_active("ani", True, actor="boss")
    assert users.session_user(user.id).username == "ani"


def test_the_last_admin_stays(users):
    users.create("boss", "Boss", "admin", PW, actor="cli")
    with pytest.raises(UserError):
        users.set_active("boss", False, actor="boss")
    with pytest.raises(UserError):
        users.set_role("boss", "staff", actor="boss")
    users.create("kedua", "Kedua", "admin", PW, actor="cli")
    assert users.set_role("boss", "staff", actor="kedua").role == "staff"


def test_telegram_ids_are_unique_and_found(users, db):
    users.create("ani", "Ani", "staff", PW, actor="cli")
    users.create("budi", "Budi", "admin", PW, actor="cli")
    users.set_telegram("ani", 123456789, actor="cli")
    assert users.find_by_telegram_user_id(123456789).username == "ani"
    with pytest.raises(UserError):
        users.set_telegram("budi", 123456789, actor="cli")
    with pytest.raises(UserError):
        users.set_telegram("budi", -5, actor="cli")
    users.set_telegram("ani", None, actor="cli")
    assert users.find_by_telegram_user_id(123456789) is None
    assert [e.action for e in AuditLog(db).list(target="ani")][:2] == ["telegram_cleared", "telegram_set"]


def test_login_upgrades_an_old_hash(users, db, monkeypatch):
    from accounts import passwords
    from accounts.models import UserRow

    users.create("ani", "Ani", "staff", PW, actor="cli")
    monkeypatch.setattr(passwords, "DEFAULT_COST", passwords.Cost(log2_n=11, r=8, p=1))
    assert users.authenticate("ani", PW).ok
    with db.session() as s:
        stored = s.query(UserRow).filter_by(username="ani").one().password_hash
    assert stored.startswith("scrypt$11$")


def test_audit_details_are_in_the_staffs_language(users, db):
    users.create("sari", "Sari", "staff", PW, actor="budi")
    users.set_role("sari", "admin", actor="budi")
    users.set_telegram("sari", 5550001, actor="budi")
    for _ in range(MAX_FAILURES):
        users.authenticate("sari", "salah-sandi-1", now=NOW)
    details = {e.action: e.detail for e in AuditLog(db).list()}
    assert details["user_created"] == "peran: Petugas" and details["role_changed"] == "Petugas → Admin"
    assert details["telegram_set"] == "ID Telegram 5550001"
    assert details["account_locked"] == "5 kali gagal masuk; dikunci sampai 2026-11-30 02:15 UTC"
