"""What a message may be before the assistant reads it (core/input_limits.py)."""
import pytest

from core.input_limits import MAX_MESSAGE_CHARS, clean_message


@pytest.mark.parametrize("raw, clean", [
    ("k\u200bl\u200ca\u00adi\u2060m j\ufeffht", "klaim jht"),  # zero-width characters, soft hyphen, BOM
    ("\u202ekcolb\u202c \u200fMDK-000001\u200e \u2067x\u2069", "kcolb MDK-000001 x"),  # bidi overrides and marks
    ("halo\x00\x07\x1b[31m\x7f\x85", "halo[31m"),  # control characters
    ("satu\r\ndua\rtiga\tempat", "satu\ndua\ntiga\tempat"),  # line breaks and tabs stay
    ("\ud800halo\udfff", "halo"),  # lone surrogates (possible in JSON) that no database stores
    ("👨\u200d👩\u200d👧 keluarga", "👨\u200d👩\u200d👧 keluarga"),  # a joiner inside an emoji sequence stays
    ("a\u200db", "ab"),
    ("  \n\t ", ""),
])
def test_invisible_characters_go(raw, clean):
    message = clean_message(raw)
    assert message.text == clean and not message.cut and message.empty == (clean == "")


def test_a_message_over_the_limit_is_cut_at_a_word_boundary():
    message = clean_message("klaim jht " * 10_000)
    assert message.cut and message.original_length == 100_000
    assert len(message.text) <= MAX_MESSAGE_CHARS and message.text.split()[-1] in ("klaim", "jht")
    assert len(message.text) > MAX_MESSAGE_CHARS - 70


def test_one_enormous_word_is_cut_at_the_limit():
    message = clean_message("a" * 5000)
    assert message.cut and message.text == "a" * MAX_MESSAGE_CHARS


def test_the_limit_counts_what_is_left_after_cleaning():
    message = clean_message("\u200b" * 10_000 + "halo")
    assert message.text == "halo" and not message.cut
    exact = "x" * MAX_MESSAGE_CHARS
    assert clean_message(exact).text == exact and not clean_message(exact).cut
