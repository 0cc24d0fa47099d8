import pytest

from accounts.passwords import (DEFAULT_COST, Cost, PasswordError, check_policy, hash_password, needs_rehash,
                                verify_password)


def test_hash_is_salted_scrypt_with_a_real_cost_and_verifies():
    a, b = hash_password("kata-sandi-rahasia"), hash_password("kata-sandi-rahasia")
    assert a != b  # a fresh salt each time
    scheme, log2_n, r, p, salt, key = a.split("$")
    assert scheme == "scrypt" and int(log2_n) >= 14 and int(r) >= 8
    assert DEFAULT_COST.log2_n >= 14
    assert "kata-sandi-rahasia" not in a
    assert verify_password("kata-sandi-rahasia", a)
    assert not verify_password("kata-sandi-rahasiA", a)
    assert not verify_password("", a)


def test_malformed_or_foreign_hashes_never_verify():
    for stored in ("", "plain", "md5$abc", "scrypt$99$8$1$AAAA$BBBB", "scrypt$x$8$1$AAAA$BBBB", None):
        assert not verify_password("anything", stored)


def test_old_cost_needs_rehash():
    cheap = hash_password("kata-sandi-rahasia", Cost(log2_n=10))
    assert verify_password("kata-sandi-rahasia", cheap)
    assert needs_rehash(cheap)
    assert not needs_rehash(hash_password("kata-sandi-rahasia"))


@pytest.mark.parametrize("password, username", [
    ("short", "ani"), ("aaaaaaaaaaaaaa", "ani"), (" leading-space-pw", "ani"), ("ani-punya-sandi", "ani"),
    ("x" * 300, "ani"),
])
def test_policy_rejects_weak_passwords(password, username):
    with pytest.raises(PasswordError):
        check_policy(password, username)


def test_policy_accepts_a_reasonable_password():
    check_policy("Layanan-Medan-2026", "ani")
