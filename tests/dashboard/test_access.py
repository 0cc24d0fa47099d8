"""Every page needs a login; staff and admins see what their role allows, and guessing ids gets nothing."""
import pytest

from kb.store import KbStore
from tests.kb.factories import make_entry

GET_PAGES = ["/", "/tickets", "/tickets/MDK-000001", "/kb", "/kb/new", "/kb/jht-a", "/kb/jht-a/edit",
             "/kb/jht-a/revisions", "/kb/export.yml", "/kb/import", "/kpis", "/kpis/export.csv", "/admin/branch",
             "/admin/users", "/admin/audit", "/account/password", "/review", "/review/print", "/review/export.csv",
             "/review/rules", "/no-such-page"]
POST_ACTIONS = ["/logout", "/tickets/MDK-000001/reply", "/tickets/MDK-000001/status", "/tickets/MDK-000001/resolve",
                "/tickets/MDK-000001/assign", "/tickets/MDK-000001/reveal", "/tickets/MDK-000001/suggest-faq",
                "/kb/new", "/kb/jht-a/edit", "/kb/jht-a/publish", "/kb/jht-a/deactivate", "/kb/jht-a/restore/1",
                "/kb/import", "/admin/branch", "/admin/users", "/admin/users/ani/password", "/admin/users/ani/role",
                "/admin/users/ani/active", "/admin/users/ani/telegram", "/account/password", "/review/actions",
                "/review/actions/1", "/review/rules", "/review/rules/reset"]
ADMIN_ONLY_GET = ["/kb/new", "/kb/jht-a/edit", "/kb/jht-a/revisions", "/kb/export.yml", "/kb/import",
                  "/admin/branch", "/admin/users", "/admin/audit"]
ADMIN_ONLY_POST = ["/kb/new", "/kb/jht-a/edit", "/kb/jht-a/publish", "/kb/jht-a/deactivate", "/kb/jht-a/restore/1",
                   "/kb/import", "/admin/branch", "/admin/users", "/admin/users/ani/password", "/admin/users/ani/role",
                   "/admin/users/ani/active", "/admin/users/ani/telegram", "/review/actions", "/review/actions/1",
                   "/review/rules", "/review/rules/reset"]


@pytest.fixture
def content(db, tickets):
    KbStore(db).create(make_entry("jht-a"), actor="seed")
    KbStore(db).create(make_entry("jht-draft", active=False), actor="seed")
    return tickets.open("complaint", "tg:1", "telegram", "keluhan")


@pytest.mark.parametrize("path", GET_PAGES)
def test_anonymous_get_redirects_to_login(client, content, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("path", POST_ACTIONS)
def test_anonymous_post_never_acts(client, auth, content, path, db):
    from accounts.audit import AuditLog

    response = auth.post(path, {"text": "x", "status": "resolved", "role": "admin", "active": "0"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert [t.status for t in [content]] == ["open"]
    from monitoring.tickets import TicketService
    from tests.dashboard.conftest import PROFILE
    assert TicketService(db, PROFILE).get(content.number, with_events=True).events[-1].kind == "created"
    assert AuditLog(db).count(action="login") == 0


def test_anonymous_sees_only_the_login_page(client, content):
    page = client.get("/login")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert 'name="password"' in body and content.number not in body and "Antrean tiket" not in body
    assert client.get("/static/style.css").status_code == 200


@pytest.mark.parametrize("path", ADMIN_ONLY_GET)
def test_staff_cannot_open_admin_pages(client, auth, content, path):
    auth.login("ani")
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ADMIN_ONLY_POST)
def test_staff_cannot_change_the_knowledge_base_or_accounts(client, auth, content, db, path):
    auth.login("ani")
    before = KbStore(db).get("jht-a").version
    response = auth.post(path, {"id": "jht-a", "topic": "jht.eligibility", "role": "admin", "active": "0",
                                "password": "Sandi-Baru-Sekali-1", "confirm_password": "Sandi-Baru-Sekali-1"})
    assert response.status_code == 403
    assert KbStore(db).get("jht-a").version == before
    from accounts.users import UserService
    assert UserService(db).get("ani").role == "staff" and UserService(db).get("ani").active


@pytest.mark.parametrize("path", ADMIN_ONLY_GET)
def test_admins_open_admin_pages(client, auth, content, path):
    auth.login("budi")
    assert client.get(path).status_code == 200


def test_staff_read_active_entries_only(client, auth, content):
    auth.login("ani")
    assert client.get("/kb/jht-a").status_code == 200
    assert client.get("/kb/jht-draft").status_code == 404  # drafts are not reachable by guessing
    listing = client.get("/kb?state=all").get_data(as_text=True)
    assert "jht-a" in listing and "jht-draft" not in listing
    auth.logout()
    auth.login("budi")
    assert client.get("/kb/jht-draft").status_code == 200
    assert "jht-draft" in client.get("/kb?state=all").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/tickets/MDK-999999", "/tickets/not-a-ticket", "/tickets/..%2F..%2Fetc",
                                  "/kb/no-such-entry", "/kb/UPPER", "/kb/a", "/kb/jht-a/restore/999999"])
def test_unknown_ids_are_404(client, auth, content, path):
    auth.login("budi")
    response = auth.post(path) if "restore" in path else client.get(path)
    assert response.status_code == 404


def test_deactivated_user_is_signed_out_at_once(client, auth, content, db):
    from accounts.users import UserService

    auth.login("ani")
    assert client.get("/tickets").status_code == 200
    UserService(db).set_active("ani", False, actor="budi")
    assert client.get("/tickets").status_code == 302


def test_role_change_applies_on_the_next_request(client, auth, content, db):
    from accounts.users import UserService

    auth.login("ani")
    assert client.get("/admin/users").status_code == 403
    UserService(db).set_role("ani", "admin", actor="budi")
    assert client.get("/admin/users").status_code == 200
