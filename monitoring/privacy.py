"""A participant's right to erasure (UU 27/2022 on personal data protection).

Their conversation (Rasa's stored events), turn log, feedback and gateway inbox
are deleted; their tickets stay for the staff record, with the text masked.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import inspect, text

from core.db import Database
from branch.profile import BranchProfile
from messaging.inbox import Inbox
from messaging.outbox import telegram_chat_id
from monitoring.tickets import TicketService
from monitoring.turns import TurnLog

RASA_EVENTS_TABLE = "events"  # Rasa's SQL tracker store, in the same database


@dataclass(frozen=True)
class ErasureReport:
    conversation_events: int
    log_rows: int
    inbox_rows: int
    tickets_masked: int


def forget_participant(db: Database, profile: BranchProfile, sender_id: str) -> ErasureReport:
    events = 0
    if inspect(db.engine).has_table(RASA_EVENTS_TABLE):
        with db.session() as s:
            events = s.execute(text(f"DELETE FROM {RASA_EVENTS_TABLE} WHERE sender_id = :sender"),
                               {"sender": sender_id}).rowcount or 0
    chat_id = telegram_chat_id(sender_id)
    return ErasureReport(
        conversation_events=events,
        log_rows=TurnLog(db).forget_sender(sender_id),
        inbox_rows=Inbox(db).forget_chat(chat_id) if chat_id is not None else 0,
        tickets_masked=TicketService(db, profile).redact_sender(sender_id),
    )
