import pytest

from accounts import passwords


@pytest.fixture
def fast_hashing(monkeypatch):
    """A lower scrypt cost for tests that hash many passwords (the real cost is tested on its own)."""
    monkeypatch.setattr(passwords, "DEFAULT_COST", passwords.Cost(log2_n=10, r=8, p=1))
