"""Where actions get the business services from: created on first use, never at import."""
from __future__ import annotations

from typing import Optional

from branch.profile import BranchProfile
from branch.source import current_branch
from conversation.planner import Planner
from core.db import get_database
from core.rasa_client import RasaClient
from core.settings import get_settings
from kb.answering import FusionConfig, NluSignal
from kb.service import KnowledgeBase, get_knowledge_base
from monitoring.feedback import FeedbackLog
from monitoring.tickets import TicketService
from monitoring.turns import TurnLog
from rasa_ext.nlu_result import parsed_signal

PARSE_TIMEOUT = 3.0  # a rewritten question's NLU reading is a bonus: search alone answers without it

_fusion: FusionConfig | None = None
_rasa: Optional[RasaClient] = None


def knowledge_base() -> KnowledgeBase:
    return get_knowledge_base()


def fusion_config() -> FusionConfig:
    global _fusion
    if _fusion is None:
        _fusion = FusionConfig.load()
    return _fusion


def _parse(text: str) -> NluSignal:
    """Rasa's NLU reading of a text the conversation rewrote (two turns read together, one sentence of many)."""
    global _rasa
    if _rasa is None:
        settings = get_settings()
        _rasa = RasaClient(settings.rasa_url, settings.rasa_token, timeout=PARSE_TIMEOUT)
    return parsed_signal(_rasa.parse(text))


def planner() -> Planner:
    return Planner(knowledge_base().index, fusion_config(), parse=_parse)


def branch() -> BranchProfile:
    return current_branch()


def tickets() -> TicketService:
    return TicketService(get_database(), branch())


def feedback() -> FeedbackLog:
    return FeedbackLog(get_database())


def turns() -> TurnLog:
    return TurnLog(get_database())
