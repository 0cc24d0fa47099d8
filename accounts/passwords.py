"""Password hashing with scrypt (a slow, salted, memory-hard hash) and the password policy.

A stored hash is self-describing: `scrypt$<log2 n>$<r>$<p>$<salt b64>$<hash b64>`, so the
cost can be raised later and old hashes still verify (`needs_rehash` tells when to upgrade).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

MIN_LENGTH = 10
MAX_LENGTH = 256  # scrypt takes any length; a cap keeps hostile input cheap


@dataclass(frozen=True)
class Cost:
    log2_n: int = 15  # n = 32768: about 0.1 s and 32 MiB per hash
    r: int = 8
    p: int = 1


# Tests may lower this for speed; production code never changes it.
DEFAULT_COST = Cost()
_SALT_BYTES = 16
_KEY_BYTES = 32


class PasswordError(ValueError):
    """A new password breaks the policy; the message says why (in Indonesian, shown to staff)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(password: str, salt: bytes, cost: Cost) -> bytes:
    n = 1 << cost.log2_n
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=cost.r, p=cost.p,
                          maxmem=256 * n * cost.r + 1024 * 1024, dklen=_KEY_BYTES)


def hash_password(password: str, cost: Cost | None = None) -> str:
    cost = cost or DEFAULT_COST
    salt = os.urandom(_SALT_BYTES)
    key = _derive(password[:MAX_LENGTH], salt, cost)
    return f"scrypt${cost.log2_n}${cost.r}${cost.p}${_b64(salt)}${_b64(key)}"


def _parse(stored: str):
    scheme, log2_n, r, p, salt, key = stored.split("$")
    if scheme != "scrypt":
        raise ValueError("unknown scheme")
    cost = Cost(int(log2_n), int(r), int(p))
    if not (1 <= cost.log2_n <= 20 and 1 <= cost.r <= 32 and 1 <= cost.p <= 16):
        raise ValueError("cost out of range")
    return cost, base64.b64decode(salt), base64.b64decode(key)


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches `stored`; a malformed hash never matches."""
    try:
        cost, salt, key = _parse(stored or "")
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(_derive((password or "")[:MAX_LENGTH], salt, cost), key)


def needs_rehash(stored: str) -> bool:
    try:
        cost, _, _ = _parse(stored)
    except (ValueError, TypeError):
        return True
    return cost != DEFAULT_COST


def dummy_verify(password: str) -> None:
    """Spend the same time as a real check, so unknown usernames cannot be told apart by timing."""
    _derive((password or "")[:MAX_LENGTH], b"\0" * _SALT_BYTES, DEFAULT_COST)


def check_policy(password: str, username: str = "") -> None:
    """Raise PasswordError unless the password is long enough and not trivially guessable."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise PasswordError(f"Kata sandi minimal {MIN_LENGTH} karakter.")
    if len(password) > MAX_LENGTH:
        raise PasswordError(f"Kata sandi maksimal {MAX_LENGTH} karakter.")
    if password.strip() != password or not password.strip():
        raise PasswordError("Kata sandi tidak boleh diawali atau diakhiri spasi.")
    if len(set(password)) < 4:
        raise PasswordError("Kata sandi terlalu mudah ditebak (terlalu sedikit karakter berbeda).")
    if username and username.lower() in password.lower():
        raise PasswordError("Kata sandi tidak boleh memuat nama pengguna.")
