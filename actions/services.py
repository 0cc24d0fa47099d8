"""Where actions get the business services from: created on first use, never at import."""
from __future__ import annotations

from core.db import get_database
from kb.answering import FusionConfig
from kb.service import KnowledgeBase, get_knowledge_base
from monitoring.feedback import FeedbackLog
from monitoring.tickets import TicketService
from monitoring.turns import TurnLog

_fusion: FusionConfig | None = None


def knowledge_base() -> KnowledgeBase:
    return get_knowledge_base()


def fusion_config() -> FusionConfig:
    global _fusion
    if _fusion is None:
        _fusion = FusionConfig.load()
    return _fusion


def tickets() -> TicketService:
    return TicketService(get_database(), knowledge_base().branch)


def feedback() -> FeedbackLog:
    return FeedbackLog(get_database())


def turns() -> TurnLog:
    return TurnLog(get_database())
