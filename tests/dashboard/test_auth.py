"""Login, logout, sessions, CSRF and throttling."""
import datetime as dt
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import select

from accounts.audit import AuditLog
from accounts.models import SessionRow
from accounts.users import UserService
from core.db import utcnow
from core.settings import SettingsError
from dashboard import create_app
from tests.dashboard.conftest import PASSWORD, SECRET_KEY, AuthActions

COOKIE = "bpjstk_dashboard"


def cookie_expiry(response) -> dt.datetime:
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "="))
    expires = next(part.split("=", 1)[1] for part in header.split("; ") if part.lower().startswith("expires="))
    return parsedate_to_datetime(expires)


def shift_sessions(db, **deltas: dt.timedelta) -> None:
    """Move every session's times back by the given amounts (as if they had been set that long ago)."""
    with db.session() as s:
        for row in s.execute(select(SessionRow)).scalars():
            for name, delta in deltas.items():
                setattr(row, name, getattr(row, name) - delta)


def test_login_and_logout(client, auth, db):
    response = auth.login("ani")
    assert response.status_code == 302 and response.headers["Location"] == "/tickets"
    page = client.get("/tickets").get_data(as_text=True)
    assert "Ani Petugas" in page
    assert auth.logout().status_code == 302
    assert client.get("/tickets").status_code == 302
    assert [e.action for e in AuditLog(db).list(actor="ani")][:2] == ["logout", "login"]


def test_wrong_password_is_refused_with_a_generic_message(client, auth):
    response = auth.login("ani", "bukan-sandinya")
    assert response.status_code == 401
    body = response.get_data(as_text=True)
    assert "Nama pengguna atau kata sandi salah" in body
    unknown = auth.login("tidak-ada", "bukan-sandinya").get_data(as_text=True)
    assert "Nama pengguna atau kata sandi salah" in unknown
    assert client.get("/tickets").status_code == 302


def test_login_redirects_only_to_local_pages(client, auth):
    assert auth.login("ani", next="/kpis").headers["Location"] == "/kpis"
    auth.logout()
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        assert auth.login("ani", next=target).headers["Location"] == "/tickets"
        auth.logout()


def test_anonymous_visit_remembers_the_page(client, auth):
    response = client.get("/kpis?from=2026-11-01")
    assert response.headers["Location"].startswith("/login?next=")
    assert "kpis" in response.headers["Location"]


def test_post_without_csrf_token_is_rejected(client, auth, tickets, db):
    t = tickets.open("complaint", "tg:7", "telegram", "tolong")
    # Login itself needs the token.
    assert client.post("/login", data={"username": "ani", "password": PASSWORD}).status_code == 400
    assert client.get("/tickets").status_code == 302
    auth.login("ani")
    assert client.post(f"/tickets/{t.number}/reply", data={"text": "halo"}).status_code == 400
    assert client.post(f"/tickets/{t.number}/reply", data={"text": "halo", "csrf_token": "forged"}).status_code == 400
    assert client.post("/logout").status_code == 400
    assert tickets.get(t.number, with_events=True).events[-1].kind == "created"
    assert auth.post(f"/tickets/{t.number}/reply", {"text": "halo"}).status_code == 302


def test_csrf_token_changes_at_login(client, auth):
    before = auth.csrf()
    auth.login("ani")
    assert auth.csrf() != before


def test_get_requests_change_nothing(client, auth, tickets):
    t = tickets.open("complaint", "tg:7", "telegram", "tolong")
    auth.login("ani")
    assert client.get(f"/tickets/{t.number}/resolve").status_code == 405
    assert client.get("/logout").status_code == 405
    assert tickets.get(t.number).status == "open"


def test_per_client_throttle(app, client, auth):
    app.config["LOGIN_THROTTLE_LIMIT"] = 3
    app.extensions["bpjstk_login_throttle"].limit = 3
    for name in ("x1", "x2", "x3"):  # three different usernames: account locks do not catch this
        assert auth.login(name, "salah-salah").status_code == 401
    blocked = auth.login("ani")  # even the right password waits
    assert blocked.status_code == 429 and "Terlalu banyak percobaan" in blocked.get_data(as_text=True)
    assert client.get("/tickets").status_code == 302


def test_a_successful_login_does_not_reset_the_address_throttle(app, client, auth):
    """One valid account must not let an address go on guessing the others' passwords."""
    app.extensions["bpjstk_login_throttle"].limit = 3
    for name in ("budi", "x2"):
        assert auth.login(name, "salah-salah").status_code == 401
    assert auth.login("ani").status_code == 302  # the attacker's own valid account
    auth.logout()
    assert auth.login("budi", "tebakan-ketiga").status_code == 401  # the third failure from this address
    for _ in range(3):
        blocked = auth.login("budi", "tebakan-lagi")
        assert blocked.status_code == 429
    assert auth.login("ani").status_code == 429  # the valid account waits too


def test_account_lockout_through_the_dashboard(client, auth, db):
    for _ in range(5):
        auth.login("ani", "salah-salah")
    assert auth.login("ani").status_code == 401
    assert UserService(db).get("ani").locked_until is not None
    assert AuditLog(db).count(action="account_locked") == 1


def test_session_cookie_is_protected(client, auth):
    response = auth.login("ani")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie


def test_secure_cookie_behind_https(db, rasa_url, accounts):
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET_KEY, "DATABASE": db, "RASA_URL": rasa_url,
                      "SESSION_COOKIE_SECURE": True})
    from tests.dashboard.conftest import AuthActions

    response = AuthActions(app.test_client()).login("ani")
    assert "Secure" in response.headers["Set-Cookie"]


def test_cookie_secure_follows_the_dashboard_url(monkeypatch):
    from dashboard.config import build_config

    monkeypatch.setenv("DASHBOARD_URL", "https://dasbor.example.id")
    assert build_config({"SECRET_KEY": SECRET_KEY})["SESSION_COOKIE_SECURE"] is True


def test_a_copied_cookie_stops_working_after_logout(app, client, auth, db):
    auth.login("ani")
    copied = client.get_cookie(COOKIE).value
    thief = app.test_client()
    thief.set_cookie(COOKIE, copied)
    assert thief.get("/tickets").status_code == 200  # a copy works while the session lives ...
    auth.logout()
    assert thief.get("/tickets").status_code == 302  # ... and not after "Keluar"
    assert thief.post("/tickets/MDK-000001/reply", data={"text": "x", "csrf_token": "whatever"}).status_code in (302, 400)
    with db.session() as s:
        assert s.execute(select(SessionRow.id)).first() is None


def test_password_reset_ends_other_sessions(app, client, auth, db):
    auth.login("ani")
    UserService(db).reset_password("ani", "Sandi-Baru-Sekali-9", actor="budi")
    assert client.get("/tickets").status_code == 302


def test_change_own_password_ends_the_other_sessions(app, client, auth, db):
    other = AuthActions(app.test_client())  # the same account signed in elsewhere (or a stolen cookie)
    other.login("ani")
    auth.login("ani")
    bad = auth.post("/account/password", {"current_password": "salah", "new_password": "Sandi-Baru-Sekali-9",
                                          "confirm_password": "Sandi-Baru-Sekali-9"})
    assert bad.status_code == 200 and "Kata sandi saat ini salah" in bad.get_data(as_text=True)
    assert other.client.get("/tickets").status_code == 200  # a refused change ends nothing
    ok = auth.post("/account/password", {"current_password": PASSWORD, "new_password": "Sandi-Baru-Sekali-9",
                                         "confirm_password": "Sandi-Baru-Sekali-9"})
    assert ok.status_code == 302
    assert client.get("/tickets").status_code == 200  # this browser continues, in a new session
    assert other.client.get("/tickets").status_code == 302  # the other one is signed out
    assert UserService(db).authenticate("ani", "Sandi-Baru-Sekali-9").ok
    with db.session() as s:
        assert len(s.execute(select(SessionRow.id)).all()) == 1


def test_deactivation_ends_the_sessions(app, client, auth, db):
    auth.login("ani")
    admin = AuthActions(app.test_client())
    admin.login("budi")
    assert admin.post("/admin/users/ani/active", {"active": "0"}).status_code == 302
    assert not UserService(db).get("ani").active
    assert client.get("/tickets").status_code == 302


def test_idle_sessions_expire(app, client, auth, db):
    auth.login("ani")
    shift_sessions(db, last_seen_at=dt.timedelta(hours=1, minutes=59))
    assert client.get("/tickets").status_code == 200  # used within two hours: still on
    shift_sessions(db, last_seen_at=dt.timedelta(hours=2, minutes=1))
    assert client.get("/tickets").status_code == 302


def test_the_lifetime_is_fixed_from_sign_in(app, client, auth, db):
    """Ten hours after sign-in the session ends however active it was, and the cookie's expiry does
    not move when later responses rewrite the cookie."""
    login = auth.login("ani")
    expires = cookie_expiry(login)
    assert abs(expires - dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=10)) < dt.timedelta(minutes=1)
    flashed = auth.post("/account/password", {"current_password": "salah", "new_password": "x",
                                              "confirm_password": "y"})  # a flash message rewrites the cookie
    assert any(h.startswith(COOKIE + "=") for h in flashed.headers.getlist("Set-Cookie"))
    assert cookie_expiry(flashed) == expires
    # Nine hours and 59 minutes in, used a minute ago: still on. At ten hours: over, however active.
    shift_sessions(db, created_at=dt.timedelta(hours=9, minutes=59), expires_at=dt.timedelta(hours=9, minutes=59))
    assert client.get("/tickets").status_code == 200
    shift_sessions(db, created_at=dt.timedelta(minutes=2), expires_at=dt.timedelta(minutes=2))
    with db.session() as s:
        row = s.execute(select(SessionRow)).scalar_one()
        assert row.expires_at < utcnow() and row.last_seen_at > utcnow() - dt.timedelta(minutes=5)
    assert client.get("/tickets").status_code == 302


def test_a_tampered_session_is_ignored(client, auth, accounts):
    auth.login("ani")
    with client.session_transaction() as session:
        session["sid"] = "0" * 43
    assert client.get("/tickets").status_code == 302
    with client.session_transaction() as session:
        session["sid"] = 12345
    assert client.get("/tickets").status_code == 302


def test_production_refuses_a_placeholder_secret(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("RASA_TOKEN", "a-real-rasa-token-123456")
    monkeypatch.setenv("DASHBOARD_SECRET_KEY", "change-me")
    with pytest.raises(SettingsError):
        create_app()
    with pytest.raises(SettingsError):
        create_app({"SECRET_KEY": "short"})


def test_development_without_a_secret_uses_a_random_one(monkeypatch):
    monkeypatch.delenv("DASHBOARD_SECRET_KEY", raising=False)
    monkeypatch.setenv("APP_ENV", "development")
    a, b = create_app(), create_app()
    assert len(a.config["SECRET_KEY"]) >= 32 and a.config["SECRET_KEY"] != b.config["SECRET_KEY"]


def test_create_app_does_no_work_at_start(monkeypatch):
    """No database connection until a request needs one."""
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    app = create_app({"SECRET_KEY": SECRET_KEY})
    assert app.url_map is not None
    assert app.test_client().get("/login").status_code == 200
    assert app.test_client().get("/static/app.js").status_code == 200
