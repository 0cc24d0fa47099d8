"""The dashboard process as `make run` starts it (stack.services.dashboard): served by waitress.

Starts only the dashboard (no Rasa), on its own migrated SQLite database and a free port.
"""
import io
import re
import sys
from contextlib import contextmanager

import pytest
import requests

from core.migrate import upgrade
from core.settings import Settings
from stack.services import dashboard
from stack.supervisor import Supervisor, free_port


@pytest.fixture
def database_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    upgrade(url)
    return url


@contextmanager
def started(settings: Settings):
    """The dashboard as `make run` starts it, until the test ends; its output is shown when a test fails."""
    out = io.StringIO()
    supervisor = Supervisor(out=out)
    try:
        supervisor.start(dashboard(settings))  # waits until /login answers 2xx
        yield
    finally:
        supervisor.stop()
        sys.stdout.write(out.getvalue())


def test_make_run_serves_the_dashboard_with_waitress(database_url):
    settings = Settings.from_env({"DATABASE_URL": database_url, "DASHBOARD_URL": f"http://127.0.0.1:{free_port()}"})
    with started(settings):
        response = requests.get(f"{settings.dashboard_url}/login", timeout=10)
        assert response.status_code == 200
        assert response.headers["Server"] == "waitress"
        assert 'name="csrf_token"' in response.text


def failed_login(base: str, client: str) -> int:
    # Cookies by hand: with an https DASHBOARD_URL the session cookie is Secure, which requests would
    # not send back over this plain-HTTP connection (in production nginx speaks TLS to the browser).
    forwarded = {"X-Forwarded-For": client}
    page = requests.get(f"{base}/login", headers=forwarded, timeout=10)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    cookie = page.headers["Set-Cookie"].split(";", 1)[0]
    form = {"csrf_token": token, "username": "nobody", "password": "wrong-password-123"}
    return requests.post(f"{base}/login", data=form, headers={**forwarded, "Cookie": cookie}, timeout=10).status_code


@pytest.mark.parametrize("scheme, other_client", [
    ("https", 401),  # behind the TLS proxy: its X-Forwarded-For names the client, another one may still try
    ("http", 429),  # no proxy: the header is ignored, so a client cannot forge it to escape the limit
])
def test_the_login_throttle_counts_clients_only_behind_the_tls_proxy(database_url, scheme, other_client):
    port = free_port()
    settings = Settings.from_env({"DATABASE_URL": database_url, "DASHBOARD_URL": f"{scheme}://127.0.0.1:{port}"})
    base = f"http://127.0.0.1:{port}"
    with started(settings):
        assert [failed_login(base, "203.0.113.7") for _ in range(11)] == [401] * 10 + [429]
        assert failed_login(base, "198.51.100.4") == other_client
