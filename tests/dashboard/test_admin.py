"""Admin pages: branch profile (service standard, office hours, holidays), accounts, audit log."""
import datetime as dt

from accounts.audit import AuditLog
from accounts.users import UserService
from branch.store import LOADER, BranchStore
from monitoring.tickets import TicketService
from tests.dashboard.conftest import PROFILE


def branch_form(**overrides):
    data = {"name_id": "BPJS Ketenagakerjaan Kantor Cabang Kota Uji",
            "name_en": "BPJS Ketenagakerjaan Kota Uji Branch Office", "address": "", "phone": "", "map_url": "",
            "days": ["mon", "tue", "wed", "thu", "fri"], "open": "08:00", "close": "15:30",
            "hours_source": "FAQ resmi", "first_response_hours": "8", "resolution_hours": "24",
            "due_soon_hours": "2", "holidays": "2026-12-25\n2026-12-31\n"}
    data.update(overrides)
    return data


def test_branch_profile_edit_drives_service_times(client, auth, db):
    auth.login("budi")
    page = client.get("/admin/branch").get_data(as_text=True)
    assert "2026-08-17" in page and 'value="08:00"' in page
    response = auth.post("/admin/branch", branch_form(first_response_hours="4", holidays="2026-12-01\n2026-12-25"))
    assert response.status_code == 302
    profile = BranchStore(db).get("test-kota")
    assert profile.first_response_hours == 4 and dt.date(2026, 12, 1) in profile.holidays
    assert BranchStore(db).updated_by("test-kota") == "budi"
    entry = AuditLog(db).list(action="branch_profile_changed")[0]
    assert entry.actor == "budi" and "service_standard" in entry.detail and "holidays" in entry.detail
    # A new ticket on Monday 14:00 WIB: 1.5 h Monday, Tuesday is now a holiday, 2.5 h on Wednesday.
    t = TicketService(db, profile).open("complaint", "tg:1", "telegram", "x", now=dt.datetime(2026, 11, 30, 7))
    assert t.due_at == dt.datetime(2026, 12, 2, 3, 30)
    assert "4 jam kerja" in client.get("/tickets").get_data(as_text=True)


def test_publishing_the_standard_needs_its_document(client, auth, db):
    auth.login("budi")
    response = auth.post("/admin/branch", branch_form(standard_published="1"))
    assert response.status_code == 400 and "document" in response.get_data(as_text=True)
    assert not BranchStore(db).get("test-kota").standard_published
    response = auth.post("/admin/branch", branch_form(standard_published="1", standard_document="Maklumat Pelayanan"))
    assert response.status_code == 302
    profile = BranchStore(db).get("test-kota")
    assert profile.standard_published and profile.standard_document == "Maklumat Pelayanan"
    assert "checked" in client.get("/admin/branch").get_data(as_text=True).split('name="standard_published"')[1][:40]


def test_invalid_branch_profile_is_refused(client, auth, db):
    auth.login("budi")
    for bad in ({"open": "16:00"}, {"holidays": "besok"}, {"first_response_hours": "abc"}, {"days": []},
                {"first_response_hours": "-1"}, {"map_url": "javascript:alert(1)"}, {"open": "25:99"}):
        response = auth.post("/admin/branch", branch_form(**bad))
        assert response.status_code == 400, bad
        assert "Tidak disimpan" in response.get_data(as_text=True)
    assert BranchStore(db).get("test-kota") == PROFILE and BranchStore(db).updated_by("test-kota") == LOADER


def test_address_is_used_in_answers(client, auth, db):
    from kb.service import KnowledgeBase
    from kb.store import KbStore
    from tests.kb.factories import make_entry

    KbStore(db).create(make_entry("where", topic="service.location", programs=[], answer={
        "id": "Alamat: {{branch.address}}", "en": "Address: {{branch.address}}"}), actor="seed")
    kb = KnowledgeBase(db, "test-kota", check_interval=0)
    assert "Contact Center 175" in kb.answer(kb.entry("where"), "id")
    auth.login("budi")
    auth.post("/admin/branch", branch_form(address="Jl. Contoh No. 1, Medan"))
    assert kb.answer(kb.entry("where"), "id").startswith("Alamat: Jl. Contoh No. 1, Medan")


def test_manage_accounts(client, auth, db):
    auth.login("budi")
    users = UserService(db)
    auth.post("/admin/users", {"username": "citra", "display_name": "Citra", "role": "staff",
                               "password": "Layanan-Medan-2026", "confirm_password": "Layanan-Medan-2026"})
    assert users.get("citra").role == "staff"
    auth.post("/admin/users", {"username": "dedi", "role": "staff", "password": "pendek", "confirm_password": "pendek"})
    assert users.get("dedi") is None
    auth.post("/admin/users/citra/role", {"role": "admin"})
    assert users.get("citra").role == "admin"
    auth.post("/admin/users/citra/telegram", {"telegram_user_id": "55501"})
    assert users.find_by_telegram_user_id(55501).username == "citra"
    auth.post("/admin/users/citra/password", {"password": "Layanan-Baru-2026x", "confirm_password": "Layanan-Baru-2026x"})
    assert users.authenticate("citra", "Layanan-Baru-2026x").ok
    auth.post("/admin/users/citra/active", {"active": "0"})
    assert not users.get("citra").active
    assert auth.post("/admin/users/ghost/role", {"role": "admin"}).status_code == 404
    actions = [e.action for e in AuditLog(db).list(actor="budi")]
    for expected in ("user_created", "role_changed", "telegram_set", "password_reset", "user_deactivated"):
        assert expected in actions


def test_admins_cannot_lock_themselves_out(client, auth, db):
    auth.login("budi")
    auth.post("/admin/users/budi/active", {"active": "0"})
    auth.post("/admin/users/budi/role", {"role": "staff"})  # the last admin
    budi = UserService(db).get("budi")
    assert budi.active and budi.role == "admin"


def test_audit_log_page(client, auth, db):
    auth.login("budi")
    body = client.get("/admin/audit?action=login").get_data(as_text=True)
    assert "Masuk" in body and "budi" in body
    assert client.get("/admin/audit?page=-3&action=%27%3B--&actor=%3Cscript%3E").status_code == 200
