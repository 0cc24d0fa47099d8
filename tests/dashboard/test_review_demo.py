"""The demo month (scripts/seed_demo_month.py) seeds, and its review renders with the figures the script is
built to show: busy weekday mornings, the OTP action's tickets down after its knowledge-base change."""
import importlib.util
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from dashboard import create_app
from core.db import Database
from tests.dashboard.conftest import PASSWORD, AuthActions
from accounts.users import UserService

SCRIPT = PROJECT_ROOT / "scripts" / "seed_demo_month.py"


@pytest.fixture
def demo(tmp_path: Path, fast_hashing):
    spec = importlib.util.spec_from_file_location("seed_demo_month", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert module.main(["--database-url", url, "--month", "2026-10"]) == 0
    assert module.main(["--database-url", url]) == 2  # never seeds twice into the same database
    db = Database(url)
    UserService(db).create("kepala", "Kepala Cabang", "admin", PASSWORD, actor="test")
    yield db
    db.dispose()


def test_the_demo_months_review(demo):
    app = create_app({"TESTING": True, "SECRET_KEY": "demo-test-secret-key-0123456789", "DATABASE": demo,
                      "DATABASE_URL": demo.url, "BRANCH_CODE": "medan-kota", "RASA_URL": "http://127.0.0.1:9",
                      "RASA_TOKEN": "unused"})
    client = app.test_client()
    auth = AuthActions(client)
    auth.login("kepala")
    body = client.get("/review?month=2026-10").get_data(as_text=True)
    assert "Tinjauan mutu layanan · Oktober 2026" in body and "Jam tersibuk:" in body
    assert "Perbarui entri &#39;OTP JMO tidak masuk&#39;" in body
    otp = body.split("Perbarui entri &#39;OTP JMO tidak masuk&#39;")[1].split("</tr>")[0]
    assert "perubahan entri 6 Okt 2026" in otp and "membaik" in otp
    assert "Diputuskan pada tinjauan Oktober 2026" in body and "NIK tidak padan" in body
    assert client.get("/review/print?month=2026-10").status_code == 200
