import datetime as dt

import pytest

from branch.profile import BranchError, BranchProfile, read_profile_file
from branch.store import BranchStore
from branch.profile import BRANCHES_DIR
from kb.store import LOADER


def _profile(**overrides) -> BranchProfile:
    data = read_profile_file(BRANCHES_DIR / "medan-kota.yml").to_dict()
    data.update(overrides)
    return BranchProfile.from_dict(data)


def test_medan_kota_profile_leaves_unsourced_facts_unset():
    profile = _profile()
    assert profile.address is None and profile.phone is None
    assert dt.date(2026, 8, 17) in profile.holidays


def test_rendering_fills_placeholders_in_both_languages():
    profile = _profile()
    assert "Senin–Jumat, pukul 08.00–15.30 WIB" in profile.render("Buka {{branch.office_hours}}", "id")
    assert "Monday–Friday, 08:00–15:30 WIB" in profile.render("Open {{ branch.office_hours }}", "en")
    assert "Contact Center 175" in profile.render("{{branch.address}}", "id")
    assert profile.render("{{branch.response_time}}", "id") == "8 jam kerja"


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
