"""A participant's right to erasure (UU 27/2022 on personal data protection).

Their conversation (the dialogue engine's stored events, erased by the eraser its
adapter passes in: rasa_ext/tracker_erasure.py for Rasa), turn log, feedback and
gateway inbox are deleted; their tickets stay for the staff record, with the text masked,
and so do their satisfaction ratings, with the comments masked.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from core.db import Database
from branch.profile import BranchProfile
from messaging.inbox import Inbox
from messaging.outbox import telegram_chat_id
from monitoring.satisfaction import SatisfactionSurvey
from monitoring.tickets import TicketService
from monitoring.turns import TurnLog

# Deletes a sender's stored conversation; returns how many records it deleted.
ConversationEraser = Callable[[str], int]


@dataclass(frozen=True)
class ErasureReport:
    conversation_events: int
    log_rows: int
    inbox_rows: int
    tickets_masked: int
    comments_masked: int = 0


def forget_participant(db: Database, profile: BranchProfile, sender_id: str,
                       erase_conversation: ConversationEraser) -> ErasureReport:
    events = erase_conversation(sender_id)
    chat_id = telegram_chat_id(sender_id)
    return ErasureReport(
        conversation_events=events,
        log_rows=TurnLog(db).forget_sender(sender_id),
        inbox_rows=Inbox(db).forget_chat(chat_id) if chat_id is not None else 0,
        tickets_masked=TicketService(db, profile).redact_sender(sender_id),
        comments_masked=SatisfactionSurvey(db).redact_sender(sender_id),
    )
