import logging

import pytest

from core.logs import RedactingFilter, install_record_masking
from core.masking import contains_pii, mask_all, mask_pii, mask_secrets
from tests.pii_corpus import CORPUS, leaks


@pytest.mark.parametrize("text, hidden, kept", [
    ("NIK saya 1271012345678901 tolong cek", "1271012345678", "901"),
    ("kpj 12345678901", "12345678", "901"),
    ("hp 0812-3456-7890 ya", "0812-3456-7", "890"),
    ("wa +62 812 3456 7890", "812 3456 7", "890"),
    ("nomor 6281234567890", "628123456", "890"),
])
def test_personal_numbers_are_masked(text, hidden, kept):
    masked = mask_pii(text)
    assert hidden not in masked and kept in masked
    assert contains_pii(text)


@pytest.mark.parametrize("line", CORPUS)
def test_every_written_form_is_masked(line):
    assert leaks(line) == [line]  # the corpus check finds it in clear ...
    assert leaks(mask_pii(line)) == [] and contains_pii(line)  # ... and not once masked


@pytest.mark.parametrize("text, masked", [
    ("NIK 1271 0123 4567 8903 ya", "NIK **** **** **** *903 ya"),
    ("1271.0123.4567.8903", "****.****.****.*903"),
    ("12.71.01.230190.0001", "**.**.**.******.*001"),
    ("kpj 190 1234 5678", "kpj *** **** *678"),
    ("campur 1271 0123-4567 8903", "campur **** ****-**** *903"),
    ("hp (0812) 3456-7890", "hp (****) ****-*890"),
    ("budi.santoso@gmail.com", "b***@gmail.com"),
    ("Email: X_Y+Z@ptabc.co.id.", "Email: X***@ptabc.co.id."),
])
def test_grouped_numbers_and_addresses(text, masked):
    assert mask_pii(text) == masked


@pytest.mark.parametrize("text", [
    "tiket MDK-000123", "saldo Rp15.000.000", "saldo Rp 1.500.000.000", "IDR 2.000.000.000", "tanggal 2026-11-28",
    "dikunci sampai 2026-05-01 14:00 UTC", "28-11-2026 10:15", "umur 56 tahun", "127.0.0.1:5005", "versi 3.6.21",
    "tulis ke care@bpjsketenagakerjaan.go.id", "",
])
def test_ordinary_text_is_untouched(text):
    assert mask_pii(text) == text and not contains_pii(text)


def test_a_bot_token_is_recognised_before_its_long_bot_id_is_masked():
    assert mask_all("https://api.telegram.org/bot1234567890:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe") == \
        "https://api.telegram.org/bot<bot-token>/getMe"


def test_bot_tokens_are_redacted():
    assert mask_secrets("GET https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe") == \
        "GET https://api.telegram.org/bot<bot-token>/getMe"


def test_log_records_are_redacted(caplog):
    install_record_masking()
    logger = logging.getLogger("test.pii")
    with caplog.at_level(logging.INFO):
        logger.info("participant %s wrote NIK %s", "tg:1", "1271012345678901")
    assert "1271012345678901" not in caplog.text and "*************901" in caplog.text


def test_redacting_filter_masks_exceptions():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed for %s", ("081234567890",), None)
    record.exc_text = "ValueError: 1271012345678901"
    RedactingFilter().filter(record)
    assert "081234567890" not in record.msg and "1271012345678901" not in record.exc_text
