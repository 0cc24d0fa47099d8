"""Logging set-up shared by every process: personal data and secrets never reach a log."""
from __future__ import annotations

import logging
import sys

from core.masking import mask_pii, mask_secrets


class RedactingFilter(logging.Filter):
    """Masks NIK/KPJ/phone numbers and bot tokens in the final log message."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        record.msg = mask_secrets(mask_pii(message))
        record.args = None
        if record.exc_text:
            record.exc_text = mask_secrets(mask_pii(record.exc_text))
        return True


def setup_logging(level: str = "INFO", name: str = "app") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"%(asctime)s {name} %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    install_record_masking()
    # httpx logs every request URL, which contains the bot token.
    for noisy in ("httpx", "httpcore", "urllib3", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def install_record_masking() -> None:
    """Mask every log record at creation, whatever handlers a framework (Rasa, Sanic) installs."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "_masks_pii", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        masked = mask_secrets(mask_pii(message))
        if masked != message:
            record.msg, record.args = masked, None
        return record

    factory._masks_pii = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
