"""Logging set-up shared by every process: personal data and secrets never reach a log.

Three layers, because frameworks (Rasa, Sanic, waitress) install handlers of their own:

- every log record is masked when it is created (`install_record_masking`), its message and the
  traceback or stack it carries, whatever handler later writes it;
- Python's warnings go through logging (`logging.captureWarnings`), so a warning that quotes a
  participant's message (Rasa's "Failed to parse arguments in line '/lapor NIK ...'") is masked
  like any other record instead of being written to stderr as it is;
- the handler `setup_logging` installs filters again (`RedactingFilter`), and the process
  supervisor masks every line it copies from a child's output (stack/supervisor.py).
"""
from __future__ import annotations

import logging
import sys
import traceback

from core.masking import mask_all


def _mask_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string must not lose the record
        message = str(record.msg)
    masked = mask_all(message)
    if masked != message:
        record.msg, record.args = masked, None
    if record.exc_info and not record.exc_text:
        # Formatters reuse exc_text when it is set: the traceback is written masked.
        record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
    if record.exc_text:
        record.exc_text = mask_all(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_all(record.stack_info)


class RedactingFilter(logging.Filter):
    """Masks NIK/KPJ/phone numbers, e-mail addresses and bot tokens in the final log message."""

    def filter(self, record: logging.LogRecord) -> bool:
        _mask_record(record)
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
    """Mask every log record at creation, whatever handlers a framework (Rasa, Sanic) installs,
    and send Python's warnings through logging so that they are masked too."""
    logging.captureWarnings(True)
    previous = logging.getLogRecordFactory()
    if getattr(previous, "_masks_pii", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        _mask_record(record)
        return record

    factory._masks_pii = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
