import logging

import pytest

from core.logs import RedactingFilter, install_record_masking
from core.masking import contains_pii, mask_pii, mask_secrets


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


@pytest.mark.parametrize("text", ["tiket MDK-000123", "saldo Rp15.000.000", "tanggal 2026-11-28", "umur 56 tahun", ""])
def test_ordinary_text_is_untouched(text):
    assert mask_pii(text) == text


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
