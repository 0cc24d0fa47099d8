"""The per-message log of what the assistant did, which KPIs are computed from."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy import delete

from core.db import Database
from core.masking import mask_pii
from monitoring.models import FeedbackRow, TurnRow

OUTCOMES = ("answered", "clarified", "fallback", "out_of_scope", "ticket", "dialogue")


@dataclass(frozen=True)
class Turn:
    sender_id: str
    text: str
    outcome: str
    language: str = "id"
    intent: Optional[str] = None
    confidence: Optional[float] = None
    topic: Optional[str] = None
    faq_id: Optional[str] = None
    score: Optional[float] = None
    ticket_number: Optional[str] = None


class TurnLog:
    def __init__(self, db: Database):
        self.db = db

    def record(self, turn: Turn) -> None:
        if turn.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {turn.outcome!r}")
        with self.db.session() as s:
            s.add(TurnRow(
                sender_id=turn.sender_id, text=mask_pii(turn.text or "")[:2000], language=turn.language,
                intent=turn.intent, confidence=turn.confidence, outcome=turn.outcome, topic=turn.topic,
                faq_id=turn.faq_id, score=turn.score, ticket_number=turn.ticket_number,
            ))

    def forget_sender(self, sender_id: str) -> int:
        """Delete a participant's turn log and feedback (right to erasure)."""
        with self.db.session() as s:
            n = s.execute(delete(TurnRow).where(TurnRow.sender_id == sender_id)).rowcount or 0
            n += s.execute(delete(FeedbackRow).where(FeedbackRow.sender_id == sender_id)).rowcount or 0
            return n
