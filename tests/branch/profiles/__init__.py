"""Branch profiles for tests (not the production ones under branch/profiles)."""
from pathlib import Path

from branch.profile import BranchProfile, read_profile_file

TEST_PROFILES = Path(__file__).parent


def load_test_profile(code: str = "test-kota") -> BranchProfile:
    return read_profile_file(TEST_PROFILES / f"{code}.yml")
