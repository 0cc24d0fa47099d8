"""The current branch profile for a process: as admins last saved it, else its version-controlled file.

Re-read at most every `check_interval` seconds (one small row), so an admin's change reaches every
process without a restart; while the database is unreachable the last profile read is kept.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Dict, Optional, Tuple

from sqlalchemy.exc import SQLAlchemyError

from branch.profile import BRANCHES_DIR, BranchError, BranchProfile, read_profile_file
from branch.store import BranchStore
from core.db import Database, get_database
from core.settings import get_settings

log = logging.getLogger("branch")


class BranchSource:
    def __init__(self, db: Database, code: str, check_interval: float = 1.0):
        self.store = BranchStore(db)
        self.code = code
        self.check_interval = check_interval
        self._lock = threading.Lock()
        self._profile: Optional[BranchProfile] = None
        self._read_at = 0.0

    def get(self) -> BranchProfile:
        if self._profile is not None and time.monotonic() - self._read_at < self.check_interval:
            return self._profile
        with self._lock:
            if self._profile is None or time.monotonic() - self._read_at >= self.check_interval:
                self._profile = self._read()
                self._read_at = time.monotonic()
            return self._profile

    def _read(self) -> BranchProfile:
        try:
            saved = self.store.get(self.code)
            if saved is not None:
                return saved
        except SQLAlchemyError:
            if self._profile is not None:
                log.warning("branch profile: database unreachable; keeping the last profile read")
                return self._profile
        path = BRANCHES_DIR / f"{self.code}.yml"
        if path.exists():
            return read_profile_file(path)
        raise BranchError(f"no branch profile for {self.code!r} (add {path.name} under branch/profiles/)")


_sources: Dict[Tuple[str, str], BranchSource] = {}


def current_branch(db: Optional[Database] = None, code: Optional[str] = None) -> BranchProfile:
    """The profile of `code` (default: BRANCH_CODE) in `db` (default: the project database)."""
    db = db or get_database()
    settings = get_settings()
    code = code or settings.branch_code
    key = (db.url, code)
    if key not in _sources:
        _sources[key] = BranchSource(db, code, check_interval=settings.kb_refresh_seconds)
    return _sources[key].get()
