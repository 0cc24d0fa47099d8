"""The domain services a request uses, built lazily from the app's configuration.

Nothing connects at import time or in `create_app`: the database is opened on the
first request that needs it.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Dict, Optional

from flask import Flask, current_app, g, has_request_context

from accounts.audit import AuditLog
from accounts.sessions import SessionStore
from accounts.users import UserService
from core.db import Database, get_database
from core.rasa_client import RasaClient
from branch.profile import BRANCHES_DIR, BranchProfile
from branch.source import BranchSource
from branch.store import BranchStore
from kb.grounding import load_faq_rows
from kb.service import KnowledgeBase
from kb.store import KbStore
from messaging.outbox import Outbox
from monitoring.kpis import KpiService
from monitoring.reply_templates import ReplyTemplates
from monitoring.review_queue import ReviewQueue
from monitoring.tickets import TicketService

EXTENSION = "bpjstk_dashboard"


class Services:
    def __init__(self, app: Flask):
        self.config = app.config
        self._db: Optional[Database] = self.config.get("DATABASE")
        self._kb: Optional[KnowledgeBase] = None
        self._lock = threading.Lock()

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = get_database(self.config["DATABASE_URL"])
        return self._db

    @property
    def branch_code(self) -> str:
        return self.config["BRANCH_CODE"]

    def profile(self) -> BranchProfile:
        """The branch profile as admins last saved it, else the version-controlled file (read once per request)."""
        if has_request_context() and "branch_profile" in g:
            return g.branch_profile
        profile = BranchSource(self.db, self.branch_code, check_interval=0).get()  # admins see their edits at once
        if has_request_context():
            g.branch_profile = profile
        return profile

    def profile_file(self) -> Path:
        """Where the branch's version-controlled profile is (it may not exist)."""
        return BRANCHES_DIR / f"{self.branch_code}.yml"

    def forget_profile(self) -> None:
        """After the profile changed in this request."""
        if has_request_context():
            g.pop("branch_profile", None)

    def tickets(self) -> TicketService:
        return TicketService(self.db, self.profile())

    def queue(self) -> ReviewQueue:
        return ReviewQueue(self.db, self.profile())

    def kpis(self) -> KpiService:
        return KpiService(self.db, self.profile())

    def reply_templates(self) -> ReplyTemplates:
        return ReplyTemplates(self.db)

    def outbox(self) -> Outbox:
        return Outbox(self.db)

    def faq_rows(self) -> Optional[Dict[int, str]]:
        return load_faq_rows(Path(self.config["SHARED_DIR"]))

    def kb_store(self) -> KbStore:
        return KbStore(self.db)

    def branches(self) -> BranchStore:
        return BranchStore(self.db)

    def knowledge_base(self) -> KnowledgeBase:
        """Rendering answers exactly as the assistant does; it re-reads on every knowledge-base change."""
        with self._lock:
            if self._kb is None:
                self._kb = KnowledgeBase(self.db, self.branch_code, check_interval=0.5)
            return self._kb

    def users(self) -> UserService:
        return UserService(self.db)

    def sessions(self) -> SessionStore:
        return SessionStore(self.db, lifetime=self.config["PERMANENT_SESSION_LIFETIME"],
                            idle=self.config["IDLE_TIMEOUT"])

    def audit(self) -> AuditLog:
        return AuditLog(self.db)

    def rasa(self) -> RasaClient:
        return RasaClient(self.config["RASA_URL"], self.config["RASA_TOKEN"], timeout=float(self.config["RASA_TIMEOUT"]))


def services() -> Services:
    return current_app.extensions[EXTENSION]
