"""Messages kept on local disk while the database is down, replayed as tickets once it is back.

A participant's message is never lost to an outage: the action that could not
reach the database writes it here, and `replay` turns each kept message into an
"unresolved question" ticket (the ticket service de-duplicates repeats).
"""
from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Callable, Dict, List, Optional

from core.db import utcnow
from core.settings import VAR_DIR, get_settings

log = logging.getLogger(__name__)
DEFAULT_SPOOL = VAR_DIR / "spool" / "pending-messages.jsonl"
_lock = threading.Lock()


class Spool:
    def __init__(self, path: Optional[Path] = None):
        self.path = Path(path or get_settings().spool_file or DEFAULT_SPOOL)

    def keep(self, sender_id: str, channel: str, text: str, language: str = "id", reason: str = "") -> None:
        record = {"sender_id": sender_id, "channel": channel, "text": (text or "")[:4000], "language": language,
                  "at": utcnow().isoformat(), "reason": reason[:200]}
        with _lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")

    def pending(self) -> List[Dict]:
        if not self.path.exists():
            return []
        with _lock:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        out = []
        for line in lines:
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                log.warning("skipping a corrupt line in the message spool")
        return out

    def replay(self, open_ticket: Callable[[Dict], object]) -> int:
        """Call `open_ticket(record)` for every kept message; keep those that fail again."""
        with _lock:
            if not self.path.exists():
                return 0
            work = self.path.with_suffix(".replaying")
            self.path.replace(work)
        done, failed = 0, []
        for line in work.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            try:
                open_ticket(record)
                done += 1
            except Exception:
                failed.append(line)
        with _lock:
            if failed:
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write("\n".join(failed) + "\n")
            work.unlink(missing_ok=True)
        if done:
            log.info("replayed %d kept message(s) as tickets", done)
        return done
