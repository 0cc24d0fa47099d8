"""Personal identifiers in the ways participants write them, and a check that none is shown in clear.

Every output that may carry a participant's words is fed this corpus by a test: log lines
(tests/core/test_log_masking.py: logging, warnings, tracebacks, the supervisor's copy of child
output), dashboard pages and CSV exports (tests/dashboard/test_masking_everywhere.py) and the
staff chat's posts (tests/bot/test_staff.py).
"""
from __future__ import annotations

import re
from typing import List

# One value per line, each distinct, so that a leak names the format that leaked.
CORPUS: List[str] = [
    "NIK 1271012345678904",              # NIK, 16 digits
    "NIK 1271 0234 5678 9011",           # in groups of four
    "NIK 1271.0345.6789.0122",           # with dots
    "NIK 1271-0456-7890-1233",           # with dashes
    "NIK 127101 560190 0044",            # region, birth date, serial
    "NIK 12.71.01.670190.0055",          # as printed on some forms
    "nik:1271017890123466.",             # glued to its label and a full stop
    "KPJ 19012345678",                   # KPJ, 11 digits
    "KPJ 190 2345 6789",                 # in groups
    "KPJ 1903-456-7890",                 # with dashes
    "no kpj 19.045.678.901",             # with dots
    "hp 081211112222",                   # mobile, 08...
    "hp 0812-3333-4444",
    "wa 0813 5555 6666",
    "telp 0814.7777.8888",
    "hp (0815) 1212-3434",
    "wa +62 812 9999 0000",              # +62 ...
    "hp +6281312341234",
    "hp 62-821-4321-8765",
    "email budi.santoso@gmail.com",      # e-mail addresses
    "surel siti_rahma+bpjs@yahoo.co.id",
    "Email: ANDI123@ptmaju.com,",
]

_EMAIL = re.compile(r"[\w.+-]+@[\w.-]+")
_SEPARATORS = re.compile(r"[\s.\-()+]")


def clear_forms(line: str) -> List[str]:
    """What must not appear in an output for `line`: an e-mail's local part before its @, or a
    number's digits but the last three (searched with separators removed from the output)."""
    email = _EMAIL.search(line)
    if email:
        return [email.group(0).split("@")[0] + "@"]
    digits = "".join(ch for ch in line if ch.isdigit())
    return [digits[:-3]]


def leaks(output: str) -> List[str]:
    """The corpus lines whose identifier is in clear in `output`."""
    flat = _SEPARATORS.sub("", output)
    found = []
    for line in CORPUS:
        for form in clear_forms(line):
            if form.endswith("@") and (form in output or form.lower() in output.lower()):
                found.append(line)
            elif not form.endswith("@") and form in flat:
                found.append(line)
    return found


def assert_masked(output: str, where: str) -> None:
    leaked = leaks(output)
    assert not leaked, f"{where} shows in clear: {leaked}"


def assert_reached(output: str, where: str) -> None:
    """The output did carry the corpus, masked: every number's last three digits and every address's domain."""
    for line in CORPUS:
        email = _EMAIL.search(line)
        kept = email.group(0).split("@")[1] if email else "".join(ch for ch in line if ch.isdigit())[-3:]
        assert kept.lower() in output.lower(), f"{where} lacks {line!r}, masked or not"
