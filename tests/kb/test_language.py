"""Telling English from Indonesian in short, informal messages."""
import pytest

from kb.language import detect_language


@pytest.mark.parametrize("text,expected", [
    ("How do I claim my JHT online?", "en"),
    ("my password is not working", "en"),
    ("no", "en"),
    ("no, thanks", "en"),
    ("sy mau cairin jht", "id"),
    ("gimana cara cek saldo", "id"),
    # "no" before a word that is not English is the Indonesian "nomor".
    ("no telp bpjs", "id"),
    ("no kpj sy lupa", "id"),
    ("no rekening beda nama", "id"),
    # App trouble told in English; the same English loanwords inside Indonesian stay Indonesian.
    ("my JMO app keeps crashing", "en"),
    ("the app won't open since yesterday", "en"),
    ("app nya crash terus kak", "id"),
    ("aplikasi jmo sy gak bisa dibuka", "id"),
])
def test_the_language_of_a_message(text, expected):
    assert detect_language(text) == expected


def test_a_message_that_says_nothing_either_way_keeps_the_conversation_language():
    assert detect_language("jht", default="en") == "en"
    assert detect_language("/start", default="en") == "en"
