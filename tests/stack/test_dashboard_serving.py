"""The dashboard process as `make run` starts it (stack.services.dashboard): waitress serves it.

Starts only the dashboard (no Rasa), on its own migrated SQLite database and a free port.
"""
import io
import re
import sys

import pytest
import requests

from core.migrate import upgrade
from core.settings import Settings
from stack.services import app_environment, dashboard
from stack.supervisor import Service, Supervisor, free_port


@pytest.fixture
def settings(tmp_path):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    upgrade(url)
    return Settings.from_env({"DATABASE_URL": url, "DASHBOARD_URL": f"http://127.0.0.1:{free_port()}"})


def run(service: Service):
    """Start the service (waiting for its ready URL) and yield; its output is shown when the test fails."""
    out = io.StringIO()
    supervisor = Supervisor(out=out)
    try:
        supervisor.start(service)
        yield
    finally:
        supervisor.stop()
        sys.stdout.write(out.getvalue())


@pytest.fixture
def stack_dashboard(settings):
    service = dashboard(settings)
    yield from run(service)


def test_make_run_serves_the_dashboard_with_waitress(settings, stack_dashboard):
    response = requests.get(f"{settings.dashboard_url}/login", timeout=10)
    assert response.status_code == 200
    assert response.headers["Server"] == "waitress"
    assert 'name="csrf_token"' in response.text


def failed_login(session: requests.Session, base: str, client: str) -> int:
    headers = {"X-Forwarded-For": client}
    page = session.get(f"{base}/login", headers=headers, timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "username": "nobody", "password": "wrong-password-123"}
    return session.post(f"{base}/login", data=form, headers=headers, timeout=10).status_code


@pytest.mark.parametrize("trusted_proxy, other_client", [
    (True, 401),  # the proxy's X-Forwarded-For names the client: another client may still try
    (False, 429),  # without --trusted-proxy the header is ignored: it cannot be forged to escape the limit
])
def test_the_login_throttle_counts_clients_only_behind_a_trusted_proxy(settings, trusted_proxy, other_client):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "dashboard", "--port", str(port)]
    command += ["--trusted-proxy", "127.0.0.1"] if trusted_proxy else []
    service = Service(name="dashboard", command=command, ready_url=f"{base}/login", env=app_environment(settings),
                      cwd=dashboard(settings).cwd)
    for _ in run(service):
        session = requests.Session()
        assert [failed_login(session, base, "203.0.113.7") for _ in range(11)] == [401] * 10 + [429]
        assert failed_login(session, base, "198.51.100.4") == other_client
