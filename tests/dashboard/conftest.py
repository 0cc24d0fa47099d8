"""Dashboard fixtures: an app on a SQLite database, a client and an auth helper.

The dashboard reaches the database only through the services (tickets, knowledge base, accounts,
KPIs), whose own tests run on SQLite and PostgreSQL; the pages are tested once.

Password hashing runs with a lower scrypt cost here for speed (`fast_hashing`).
"""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from accounts.users import UserService
from core.db import Database
from dashboard import create_app
from branch.store import LOADER, BranchStore
from monitoring.tickets import TicketService
from stack.supervisor import free_port
from tests.branch.profiles import load_test_profile

SECRET_KEY = "dashboard-test-secret-key-5f0c2b9e"
RASA_TOKEN = "rasa-test-token-8d7e6f5a4b3c"
PASSWORD = "Sandi-Uji-Dasbor-2026"
PROFILE = load_test_profile()  # Mon-Fri 08:00-15:30 WIB, 8 h / 24 h standard, MDK- tickets
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')



@pytest.fixture
def db(sqlite_db) -> Database:
    return sqlite_db


@pytest.fixture(autouse=True)
def _fast_hashing(fast_hashing):
    pass


@pytest.fixture
def rasa_url():
    """Nothing listens here: Rasa is unreachable unless a test starts a fake tracker server."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def app(db, rasa_url):
    BranchStore(db).save(PROFILE, actor=LOADER, source="loader")  # as `make run` loads it
    return create_app({"TESTING": True, "SECRET_KEY": SECRET_KEY, "DATABASE": db, "DATABASE_URL": db.url,
                       "BRANCH_CODE": PROFILE.code, "RASA_URL": rasa_url, "RASA_TOKEN": RASA_TOKEN,
                       "RASA_TIMEOUT": 3.0})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def accounts(db):
    users = UserService(db)
    users.create("ani", "Ani Petugas", "staff", PASSWORD, actor="test")
    users.create("budi", "Budi Admin", "admin", PASSWORD, actor="test")
    return users


@pytest.fixture
def tickets(db):
    return TicketService(db, PROFILE)


class AuthActions:
    def __init__(self, client):
        self.client = client

    def csrf(self) -> str:
        with self.client.session_transaction() as session:
            token = session.get("csrf")
        if token:
            return token
        page = self.client.get("/login").get_data(as_text=True)
        return _CSRF.search(page).group(1)

    def login(self, username: str = "ani", password: str = PASSWORD, **extra):
        token = self.csrf()
        return self.client.post("/login", data={"username": username, "password": password, "csrf_token": token,
                                                **extra})

    def logout(self):
        return self.post("/logout")

    def post(self, url: str, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf())
        return self.client.post(url, data=data, **kwargs)


@pytest.fixture
def auth(client, accounts):
    return AuthActions(client)


# ---- a real browser (Debian's chromium through Playwright) and the app served to it --------------------------
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def chromium():
    if not CHROMIUM.exists():
        message = "browser test needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)"
        if os.environ.get("REQUIRE_BROWSER", "").lower() in ("1", "true", "yes"):
            pytest.fail(message + " (REQUIRE_BROWSER=1)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
