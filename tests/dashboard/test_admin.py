"""Admin pages: branch profile (service standard, office hours, holidays), accounts, audit log."""
import datetime as dt
import html

import pytest
import yaml

from accounts.audit import AuditLog
from accounts.users import UserService
from branch.holidays import JOINT_LEAVE, NATIONAL, Holiday
from branch.profile import BranchProfile
from branch.store import LOADER, BranchStore
from dashboard import holiday_notices
from dashboard import services as services_module
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
    assert profile.first_response_hours == 4 and dt.date(2026, 12, 1) in profile.holiday_dates
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


# ---- holidays ---------------------------------------------------------------
SKB = "SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB No. 1497/2025, 2/2025, 5/2025"


@pytest.fixture
def december_2026(monkeypatch):
    monkeypatch.setattr(holiday_notices, "today", lambda profile: dt.date(2026, 12, 6))


def test_holidays_with_names_kinds_and_decree_round_trip(client, auth, db, december_2026):
    auth.login("budi")
    form = branch_form(holidays="2026-03-19 Hari Suci Nyepi\n2026-03-21 – Idul Fitri 1447 H\n2026-12-25\n",
                       joint_leave="2026-03-18 Cuti bersama\n2026-03-20: Cuti bersama\n",
                       holiday_source_2026=f"  {SKB} ")
    assert auth.post("/admin/branch", form).status_code == 302
    profile = BranchStore(db).get("test-kota")
    assert profile.holidays == [
        Holiday(dt.date(2026, 3, 18), "Cuti bersama", JOINT_LEAVE), Holiday(dt.date(2026, 3, 19), "Hari Suci Nyepi"),
        Holiday(dt.date(2026, 3, 20), "Cuti bersama", JOINT_LEAVE), Holiday(dt.date(2026, 3, 21), "Idul Fitri 1447 H"),
        Holiday(dt.date(2026, 12, 25))]
    assert profile.holiday_sources == {2026: SKB}
    page = client.get("/admin/branch").get_data(as_text=True)
    assert "2026-03-19 Hari Suci Nyepi\n2026-03-21 Idul Fitri 1447 H\n2026-12-25\n</textarea>" in page
    assert "2026-03-18 Cuti bersama\n2026-03-20 Cuti bersama\n</textarea>" in page
    assert f'name="holiday_source_2026" value="{SKB}"' in page and 'name="holiday_source_2027" value=""' in page
    # The page's own values posted again change nothing; removing a line removes that day.
    resubmit = dict(form, holidays="2026-03-19 Hari Suci Nyepi\n2026-03-21 Idul Fitri 1447 H\n2026-12-25\n",
                    joint_leave="2026-03-18 Cuti bersama\n2026-03-20 Cuti bersama\n", holiday_source_2026=SKB)
    auth.post("/admin/branch", resubmit)
    assert "Tidak ada perubahan" in client.get("/admin/branch").get_data(as_text=True)
    # A ticket opened on Tuesday 17 March 14:00 WIB: 1.5 h that day, 6.5 h on Monday 23 March (14:30 WIB).
    t = TicketService(db, profile).open("complaint", "tg:1", "telegram", "x", now=dt.datetime(2026, 3, 17, 7))
    assert t.due_at == dt.datetime(2026, 3, 23, 7, 30)
    auth.post("/admin/branch", dict(resubmit, joint_leave="2026-03-18 Cuti bersama\n"))
    assert dt.date(2026, 3, 20) not in BranchStore(db).get("test-kota").holiday_dates


@pytest.mark.parametrize("field, text, message", [
    ("holidays", "2026-02-30 Salah tanggal", "baris hari libur “2026-02-30 Salah tanggal” tidak valid"),
    ("holidays", "19-03-2026 Nyepi", "baris hari libur “19-03-2026 Nyepi” tidak valid"),
    ("holidays", "2026-12-25, 2026-12-31", "satu tanggal per baris"),
    ("joint_leave", "2026-12-25 Cuti bersama", "tanggal 2026-12-25 tercantum dua kali"),
    ("holidays", "0226-03-19 Nyepi", "outside"),
])
def test_a_bad_holiday_is_refused_with_a_message_and_nothing_typed_is_lost(client, auth, db, field, text, message):
    auth.login("budi")
    form = branch_form(first_response_hours="6", holiday_source_2026="SKB baru")
    form[field] = form.get(field, "") + text + "\n"
    response = auth.post("/admin/branch", form)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400 and "Tidak disimpan" in page
    assert message in page, page.split("Tidak disimpan")[1][:300]
    assert text + "\n</textarea>" in page  # the admin's lines are shown again as typed,
    assert 'name="first_response_hours" value="6"' in page and 'value="SKB baru"' in page  # and the other fields
    assert BranchStore(db).get("test-kota") == PROFILE  # nothing stored, nothing lost


def test_admins_are_warned_while_a_year_has_no_holidays_loaded(client, auth, db, december_2026):
    auth.login("budi")
    # The test profile lists 2026's and 2027's fixed-date holidays without a decree.
    for page in (client.get("/admin/branch"), client.get("/tickets")):
        body = page.get_data(as_text=True)
        assert "Hari libur 2026 dari SKB belum dimuat: baru 5 tanggal tercatat" in body
        assert "Hari libur 2027 dari SKB belum dimuat" in body and "September 2026" in body
    auth.post("/admin/branch", branch_form(holidays="2026-12-25 Hari Raya Natal", holiday_source_2026=SKB))
    body = client.get("/tickets").get_data(as_text=True)
    assert "Hari libur 2026" not in body
    assert ("Hari libur 2027 belum dimuat: batas waktu tiket pada 2027 menghitung setiap hari buka kantor "
            "sebagai hari kerja") in body
    assert 'href="/admin/branch">Buka Profil cabang' in body
    auth.post("/admin/branch", branch_form(holidays="2026-12-25 Hari Raya Natal\n2027-01-01 Tahun Baru 2027 Masehi",
                                           holiday_source_2026=SKB, holiday_source_2027="SKB 2027"))
    for page in (client.get("/admin/branch"), client.get("/tickets")):
        assert "belum dimuat" not in page.get_data(as_text=True)
    # Staff cannot load holidays: their queue carries no warning.
    auth.post("/admin/branch", branch_form(holidays=""))
    auth.logout()
    auth.login("ani")
    assert "belum dimuat" not in client.get("/tickets").get_data(as_text=True)


def test_an_admin_takes_a_year_from_the_profile_file_without_losing_edits(client, auth, db, tmp_path, monkeypatch,
                                                                         december_2026):
    # The database copy was edited by an admin, so starting the stack no longer loads the file.
    BranchStore(db).save(BranchProfile.from_dict({**PROFILE.to_dict(), "address": "Jl. Admin 1",
                                                  "holidays": ["2026-07-01"]}), actor="budi")
    in_file = {**PROFILE.to_dict(), "holiday_sources": {2026: SKB}, "holidays": [
        {"date": "2026-03-19", "name": "Hari Suci Nyepi", "kind": NATIONAL},
        {"date": "2026-03-20", "name": "Cuti bersama", "kind": JOINT_LEAVE}]}
    (tmp_path / "test-kota.yml").write_text(yaml.safe_dump(in_file), encoding="utf-8")
    monkeypatch.setattr(services_module, "BRANCHES_DIR", tmp_path)
    auth.login("budi")
    page = client.get("/admin/branch").get_data(as_text=True)
    assert "Muat hari libur 2026 dari berkas" in page and "2 tanggal dari SKB Menteri Agama" in page
    assert auth.post("/admin/branch/holidays/from-file", {"year": "2027"}).status_code == 302
    assert "tidak memuat hari libur 2027" in client.get("/admin/branch").get_data(as_text=True)
    auth.post("/admin/branch/holidays/from-file", {"year": "2026"})
    profile = BranchStore(db).get("test-kota")
    assert profile.address == "Jl. Admin 1" and profile.holiday_sources == {2026: SKB}
    assert sorted(profile.holiday_dates) == [dt.date(2026, 3, 19), dt.date(2026, 3, 20), dt.date(2026, 7, 1)]
    page = client.get("/admin/branch").get_data(as_text=True)
    assert "Hari libur 2026 dimuat dari berkas profil cabang (2 tanggal)" in page
    assert "Muat hari libur 2026 dari berkas" not in page
    assert AuditLog(db).list(action="branch_profile_changed")[0].actor == "budi"
