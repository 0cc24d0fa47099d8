"""Holidays and joint leave in the branch profile: the 2026 decree's days, the older plain-date form,
validation, and which years are loaded."""
import datetime as dt

import pytest

from branch.holidays import JOINT_LEAVE, NATIONAL, Holiday
from branch.models import BranchProfileRow
from branch.profile import BRANCHES_DIR, BranchError, BranchProfile, read_profile_file
from branch.store import BranchStore
from tests.branch.profiles import load_test_profile

SKB_2026 = "No. 1497/2025, 2/2025, 5/2025"
DECEMBER_2026 = dt.date(2026, 12, 6)


def _days(*spec):
    """'MM-DD' strings of 2026 as dates."""
    return [dt.date.fromisoformat(f"2026-{s}") for s in spec]


def test_medan_kota_lists_the_2026_decree_and_no_2027_dates_beyond_the_fixed_ones():
    # shared/kb/FACTS.md section 13: the SKB of 19 Sep 2025, 17 national holidays and 8 joint-leave days.
    profile = read_profile_file(BRANCHES_DIR / "medan-kota.yml")
    of_2026 = [h for h in profile.holidays if h.date.year == 2026]
    assert [h.date for h in of_2026 if h.kind == NATIONAL] == _days(
        "01-01", "01-16", "02-17", "03-19", "03-21", "03-22", "04-03", "04-05", "05-01", "05-14", "05-27",
        "05-31", "06-01", "06-16", "08-17", "08-25", "12-25")
    assert [h.date for h in of_2026 if h.kind == JOINT_LEAVE] == _days(
        "02-16", "03-18", "03-20", "03-23", "03-24", "05-15", "05-28", "12-24")
    assert all(h.name for h in profile.holidays)
    assert SKB_2026 in profile.holiday_sources[2026] and "19 September 2025" in profile.holiday_sources[2026]
    # 2027: no decree found yet, so only the fixed-date holidays that were there already.
    assert 2027 not in profile.holiday_sources
    assert [h.date.isoformat()[5:] for h in profile.holidays if h.date.year == 2027] == [
        "01-01", "05-01", "06-01", "08-17", "12-25"]
    assert [y.year for y in profile.unloaded_holiday_years(DECEMBER_2026)] == [2027]


def test_plain_dates_of_older_profiles_still_load_as_unnamed_national_holidays():
    profile = load_test_profile()  # its holidays are plain YYYY-MM-DD strings
    assert Holiday(dt.date(2026, 12, 25)) in profile.holidays and dt.date(2026, 12, 25) in profile.holiday_dates
    data = profile.to_dict()
    assert data["holidays"][0] == {"date": "2026-01-01", "name": "", "kind": NATIONAL}
    assert BranchProfile.from_dict(data) == profile


def test_a_stored_profile_with_plain_dates_reads_and_saving_the_same_facts_changes_nothing(db):
    profile = load_test_profile()
    legacy = {**profile.to_dict(), "holidays": [h.date.isoformat() for h in profile.holidays]}
    del legacy["holiday_sources"]
    with db.session() as s:
        s.add(BranchProfileRow(code=profile.code, data=legacy, updated_by="admin"))
    store = BranchStore(db)
    assert store.get(profile.code) == profile
    assert store.save(profile, actor="budi") == []
    named = BranchProfile.from_dict({**profile.to_dict(), "holiday_sources": {"2026": "SKB 2026"}})
    assert store.save(named, actor="budi") == ["holiday_sources"]
    assert store.get(profile.code).holiday_sources == {2026: "SKB 2026"}


@pytest.mark.parametrize("holidays, sources, message", [
    (["2026-02-30"], {}, "not a date"),
    ([{"date": "2026-03-19", "kind": "regional"}], {}, "kind"),
    (["2026-03-19", {"date": "2026-03-19", "name": "Nyepi", "kind": JOINT_LEAVE}], {}, "listed twice"),
    (["0226-03-19"], {}, "outside"),
    ([], {"next year": "SKB"}, "not a year"),
    ([], ["2026: SKB"], "mapping"),
])
def test_bad_holidays_are_refused(holidays, sources, message):
    data = {**load_test_profile().to_dict(), "holidays": holidays, "holiday_sources": sources}
    with pytest.raises(BranchError, match=message):
        BranchProfile.from_dict(data)


def test_a_year_is_loaded_once_its_decree_and_days_are_there():
    base = load_test_profile()  # fixed-date holidays of 2026 and 2027, no decree
    assert [(y.year, y.days) for y in base.unloaded_holiday_years(DECEMBER_2026)] == [(2026, 5), (2027, 5)]
    empty = BranchProfile.from_dict({**base.to_dict(), "holidays": []})
    assert [(y.year, y.days) for y in empty.unloaded_holiday_years(DECEMBER_2026)] == [(2026, 0), (2027, 0)]
    decree_only = BranchProfile.from_dict({**base.to_dict(), "holidays": [], "holiday_sources": {"2027": "SKB"}})
    assert 2027 in [y.year for y in decree_only.unloaded_holiday_years(DECEMBER_2026)]
    loaded = BranchProfile.from_dict({**base.to_dict(), "holiday_sources": {"2026": "SKB A", "2027": "SKB B"}})
    assert loaded.unloaded_holiday_years(DECEMBER_2026) == []
    assert loaded.unloaded_holiday_years(dt.date(2027, 1, 2))[0].year == 2028  # a new year: the next one is due
    assert [y.year for y in loaded.holiday_years(DECEMBER_2026)] == [2026, 2027]


def test_a_year_from_another_profile_is_added_without_losing_other_days():
    mine = BranchProfile.from_dict({**load_test_profile().to_dict(),
                                    "holidays": ["2026-03-19", "2026-07-01", "2027-01-01"]})
    medan = read_profile_file(BRANCHES_DIR / "medan-kota.yml")
    merged = mine.with_holiday_year(medan, 2026)
    assert dt.date(2026, 7, 1) in merged.holiday_dates and dt.date(2027, 1, 1) in merged.holiday_dates
    assert next(h for h in merged.holidays if h.date == dt.date(2026, 3, 19)).name == "Hari Suci Nyepi"
    assert len([h for h in merged.holidays if h.date.year == 2026]) == 25 + 1
    assert merged.holiday_sources[2026] == medan.holiday_sources[2026]
