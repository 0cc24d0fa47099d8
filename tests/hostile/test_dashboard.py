"""The hostile-input corpus in every dashboard form (devtools/hostile.py FORMS), on SQLite and PostgreSQL:
no 5xx, nothing echoed unescaped, a message on the page after each post."""
from __future__ import annotations

import re

import pytest

from accounts.users import UserService
from branch.store import LOADER, BranchStore
from dashboard import create_app
from devtools.hostile import FORMS, dashboard_form, hostile_texts
from monitoring.tickets import TicketService
from stack.supervisor import free_port
from tests.branch.profiles import load_test_profile

PROFILE = load_test_profile()
PASSWORD = "Sandi-Uji-Dasbor-2026"
CASES = hostile_texts()
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(db, fast_hashing):
    BranchStore(db).save(PROFILE, actor=LOADER, source="loader")
    users = UserService(db)
    users.create("ani", "Ani Petugas", "staff", PASSWORD, actor="test")
    users.create("budi", "Budi Admin", "admin", PASSWORD, actor="test")
    return create_app({"TESTING": True, "SECRET_KEY": "hostile-test-secret-key-0123", "DATABASE": db,
                       "DATABASE_URL": db.url, "BRANCH_CODE": PROFILE.code,
                       "RASA_URL": f"http://127.0.0.1:{free_port()}", "RASA_TOKEN": "t" * 20, "RASA_TIMEOUT": 1.0})


def signed_in(app, username: str):
    client = app.test_client()
    csrf = _CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    if username:
        assert client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf}).status_code == 302
    with client.session_transaction() as session:
        csrf = session.get("csrf") or csrf
    return client, csrf


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_form_takes_the_hostile_text(app, db, case):
    ticket = TicketService(db, PROFILE).open("complaint", "tg:7", "telegram", "tolong dibantu").number
    clients = {"anonymous": signed_in(app, ""), "staff": signed_in(app, "ani"), "admin": signed_in(app, "budi")}
    outcomes = [dashboard_form(clients[form.who][0], form, case, ticket, clients[form.who][1]) for form in FORMS]
    failed = [f"{o.surface}: HTTP {o.status}, {o.detail}" for o in outcomes if not o.ok]
    assert not failed, failed


def test_a_reply_of_invisible_characters_is_no_reply(app, db):
    ticket = TicketService(db, PROFILE).open("complaint", "tg:7", "telegram", "tolong dibantu").number
    client, csrf = signed_in(app, "ani")
    page = client.post(f"/tickets/{ticket}/reply", data={"text": "\u200b\u200c\ufeff \u2060", "csrf_token": csrf},
                       follow_redirects=True).get_data(as_text=True)
    assert "Balasan kosong tidak dikirim." in page
    assert TicketService(db, PROFILE).get(ticket).first_response_at is None  # nothing reached the participant


def test_a_null_character_never_reaches_the_database(app, db):
    """PostgreSQL refuses text with NUL: searches, logins and notes with one were a 500 there."""
    anonymous, csrf = signed_in(app, "")
    assert anonymous.post("/login", data={"username": "ani\x00", "password": "x", "csrf_token": csrf}).status_code == 401
    client, csrf = signed_in(app, "ani")
    assert client.get("/tickets", query_string={"topic": "jht\x00", "assignee": "ani\x00"}).status_code == 200
    ticket = TicketService(db, PROFILE).open("complaint", "tg:7", "telegram", "tolong dibantu").number
    client.post(f"/tickets/{ticket}/reply", data={"text": "Mohon\x00 kirim KPJ", "csrf_token": csrf})
    assert TicketService(db, PROFILE).get(ticket, with_events=True).last_staff_reply == "Mohon kirim KPJ"
