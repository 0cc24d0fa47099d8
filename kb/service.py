"""The knowledge base as the rest of the system sees it: search, entries and rendered answers.

The search index is rebuilt whenever the `kb_state` counter in the database
moves (checked at most every `check_interval` seconds, 0.5 by default), so an admin's
edit is answered by every process within half a second, without retraining or restarts.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Dict, List, Optional, Tuple

from sqlalchemy.exc import SQLAlchemyError

import texts
from branch.profile import BranchProfile
from branch.source import BranchSource
from kb.citation import public_source
from core.db import Database, get_database
from core.settings import get_settings
from kb.content import learned_ids
from kb.entry import Entry
from kb.search import Calibration, Candidate, SearchIndex
from kb.store import KbStore

log = logging.getLogger(__name__)

class KnowledgeBaseUnavailable(RuntimeError):
    """The knowledge base cannot be read (database down and nothing cached)."""


class KnowledgeBase:
    def __init__(self, db: Database, branch_code: str, check_interval: float = 1.0,
                 calibration: Optional[Calibration] = None):
        self.db = db
        self.store = KbStore(db)
        self.branch_code = branch_code
        self._branch = BranchSource(db, branch_code, check_interval)
        self.check_interval = check_interval
        self.calibration = calibration or Calibration.load()
        self._lock = threading.Lock()
        self._index: Optional[SearchIndex] = None
        self._version: Optional[int] = None
        self._checked_at = 0.0

    # ---- freshness ---------------------------------------------------------
    def refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and self._index is not None and now - self._checked_at < self.check_interval:
            return
        with self._lock:
            if not force and self._index is not None and time.monotonic() - self._checked_at < self.check_interval:
                return
            try:
                version = self.store.version()
                if force or version != self._version or self._index is None:
                    entries = self.store.active_entries()
                    self._index = SearchIndex(entries, calibration=self.calibration, learned=learned_ids())
                    self._version = version
                    log.info("knowledge base index built: %d entries, version %s", len(entries), version)
            except SQLAlchemyError as exc:
                if self._index is None:
                    raise KnowledgeBaseUnavailable("the knowledge base database cannot be reached") from exc
                log.warning("knowledge base database unreachable; answering from the cached index")
            self._checked_at = time.monotonic()

    @property
    def version(self) -> Optional[int]:
        return self._version

    @property
    def index(self) -> SearchIndex:
        self.refresh()
        assert self._index is not None
        return self._index

    @property
    def branch(self) -> BranchProfile:
        """The branch whose facts fill the answers (branch/source.py keeps it current)."""
        return self._branch.get()

    # ---- queries -----------------------------------------------------------
    def search(self, text: str, limit: int = 5, **filters) -> List[Candidate]:
        return self.index.search(text, limit=limit, **filters)

    def entry(self, entry_id: str) -> Optional[Entry]:
        return self.index.entry(entry_id)

    def entries_for_topic(self, topic: str) -> List[Entry]:
        return [e for e in self.index.entries if e.topic == topic]

    def title(self, entry: Entry, lang: str) -> str:
        return self.branch.render(entry.title_in(lang), lang)

    def answer(self, entry: Entry, lang: str, with_source: bool = True) -> str:
        """The entry's answer in `lang` with branch facts filled in and its source named."""
        lang = lang if lang in ("id", "en") else "id"
        text = self.branch.render(entry.text(lang), lang).strip()
        if with_source:
            text += "\n\n" + texts.say("participant.answer_source", lang, source=public_source(entry.citations, lang))
        return text


_instances: Dict[Tuple[str, str], KnowledgeBase] = {}


def get_knowledge_base(db: Optional[Database] = None, branch_code: Optional[str] = None) -> KnowledgeBase:
    db = db or get_database()
    branch_code = branch_code or get_settings().branch_code
    key = (db.url, branch_code)
    if key not in _instances:
        _instances[key] = KnowledgeBase(db, branch_code, check_interval=get_settings().kb_refresh_seconds)
    return _instances[key]
