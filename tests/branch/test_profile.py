import datetime as dt

import pytest

from accounts.audit import AuditLog
from branch.profile import BRANCHES_DIR, BranchError, BranchProfile, read_profile_file
from branch.store import LOADER, BranchStore
from kb.cli import main as kb_main


def _profile(**overrides) -> BranchProfile:
    data = read_profile_file(BRANCHES_DIR / "medan-kota.yml").to_dict()
    data.update(overrides)
    return BranchProfile.from_dict(data)


def test_medan_kota_profile_leaves_unsourced_facts_unset():
    profile = _profile()
    assert profile.address is None and profile.phone is None
    assert dt.date(2026, 8, 17) in profile.holiday_dates


def test_rendering_fills_placeholders_in_both_languages():
    profile = _profile()
    assert "Senin–Jumat, pukul 08.00–15.30 WIB" in profile.render("Buka {{branch.office_hours}}", "id")
    assert "Monday–Friday, 08:00–15:30 WIB" in profile.render("Open {{ branch.office_hours }}", "en")
    assert "Contact Center 175" in profile.render("{{branch.address}}", "id")
    assert profile.render("{{branch.name}}", "en") == "BPJS Ketenagakerjaan Medan Kota Branch Office"


def test_an_internal_ticket_standard_is_not_promised_to_participants():
    profile = _profile()  # Medan Kota: no official document states its 8 h / 24 h targets
    assert not profile.standard_published
    for key in ("response_time", "resolution_time", "ticket_standard"):
        for lang in ("id", "en"):
            text = profile.render("{{branch.%s}}" % key, lang)
            assert "8" not in text and "24" not in text
    assert "belum mengumumkan target waktu resmi" in profile.render("{{branch.ticket_standard}}", "id")


def test_a_published_standard_names_its_document():
    standard = {"first_response_hours": 8, "resolution_hours": 24, "due_soon_hours": 2}
    with pytest.raises(BranchError, match="document"):
        _profile(service_standard={**standard, "published": True})
    with pytest.raises(BranchError, match="true or false"):
        _profile(service_standard={**standard, "published": "ya"})
    profile = _profile(service_standard={**standard, "published": True, "document": "Maklumat Pelayanan 2026"})
    assert profile.render("{{branch.response_time}}", "id") == "8 jam kerja"
    assert profile.render("{{branch.ticket_standard}}", "id") == (
        "target respons pertama 8 jam kerja dan penyelesaian 24 jam kerja, dihitung dalam jam kerja "
        "(Maklumat Pelayanan 2026)")
    assert BranchProfile.from_dict(profile.to_dict()) == profile


def test_another_branch_only_needs_its_profile():
    profile = _profile(code="binjai", name={"id": "Kantor Cabang Binjai", "en": "Binjai Branch"},
                       address="Jl. Contoh 1", timezone="Asia/Makassar")
    assert profile.render("{{branch.name}}: {{branch.address}}", "id") == "Kantor Cabang Binjai: Jl. Contoh 1"
    assert "WITA" in profile.render("{{branch.office_hours}}", "id")


@pytest.mark.parametrize("change", [
    {"office_hours": {"days": ["mon"], "open": "16:00", "close": "08:00"}},
    {"office_hours": {"days": ["funday"], "open": "08:00", "close": "15:00"}},
    {"timezone": "Mars/Olympus"},
    {"service_standard": {"first_response_hours": 0, "resolution_hours": 5}},
    {"code": "Bad Code"},
])
def test_bad_profiles_are_rejected(change):
    with pytest.raises(BranchError):
        _profile(**change)


def test_sync_keeps_admin_edits(db, tmp_path):
    store = BranchStore(db)
    path = BRANCHES_DIR / "medan-kota.yml"
    assert store.sync_from_file(path) == "created"
    assert store.sync_from_file(path) == "unchanged"
    edited = _profile(address="Jl. Admin 2")
    store.save(edited, actor="admin")
    assert store.sync_from_file(path) == "kept admin edits"
    assert store.get("medan-kota").address == "Jl. Admin 2"
    assert store.updated_by("medan-kota") == "admin" != LOADER


def test_every_change_is_audited_whichever_channel_made_it(db):
    store = BranchStore(db)
    store.sync_from_file(BRANCHES_DIR / "medan-kota.yml")
    assert kb_main(["--db", db.url, "branch", "set", "address=Jl. Contoh 9", "--actor", "budi"]) == 0
    assert store.save(_profile(address="Jl. Contoh 9"), actor="budi", source="dashboard") == []  # nothing changed
    assert store.save(_profile(address="Jl. Contoh 10"), actor="budi", source="dashboard") == ["address"]
    rows = AuditLog(db).list(action="branch_profile_changed")
    assert [(e.actor, e.detail, e.source) for e in rows][:2] == [("budi", "address", "dashboard"), ("budi", "address", "cli")]
    assert rows[-1].actor == LOADER and rows[-1].source == "loader"
