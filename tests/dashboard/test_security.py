"""Headers, and no secret ever reaches a page."""
import re

from accounts.models import UserRow
from kb.store import KbStore
from tests.dashboard.conftest import RASA_TOKEN, SECRET_KEY
from tests.kb.factories import make_entry


def test_security_headers(client, auth):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff" and response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_templates_have_no_inline_scripts_or_styles(app):
    from pathlib import Path

    for path in Path(app.root_path, "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert " style=" not in text and "<style" not in text and " on" + "click=" not in text, path
        assert "|safe" not in text, path


def test_no_page_shows_a_secret(app, client, auth, db, tickets):
    KbStore(db).create(make_entry("jht-a"), actor="seed")
    t = tickets.open("complaint", "tg:1", "telegram", "x")
    with db.session() as s:
        hashes = [h for (h,) in s.query(UserRow.password_hash).all()]
    auth.login("budi")
    pages = ["/tickets", f"/tickets/{t.number}", "/kb", "/kb/jht-a", "/kb/jht-a/edit", "/kb/jht-a/revisions",
             "/kb/new", "/kb/import", "/kb/export.yml?all=1", "/kpis", "/admin/branch", "/admin/users",
             "/admin/audit", "/account/password", "/kpis/export.csv"]
    for path in pages:
        body = client.get(path).get_data(as_text=True)
        for secret in [SECRET_KEY, RASA_TOKEN, *hashes, *(h.split("$")[-1] for h in hashes)]:
            assert secret not in body, path
        assert "scrypt$" not in body, path


def test_errors_do_not_leak_internals(app, client, auth):
    @app.get("/boom-test")
    def boom():
        raise RuntimeError(f"internal detail {SECRET_KEY}")

    auth.login("ani")
    response = client.get("/boom-test")
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and SECRET_KEY not in body and "Traceback" not in body
