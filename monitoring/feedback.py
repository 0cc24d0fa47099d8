"""Participants' answers to "Apakah jawaban ini membantu?"."""
from __future__ import annotations

from typing import Optional

from core.db import Database
from core.masking import mask_pii
from monitoring.models import FeedbackRow


class FeedbackLog:
    def __init__(self, db: Database):
        self.db = db

    def record(self, sender_id: str, faq_id: str, topic: str, helpful: bool,
               question: Optional[str] = None, language: str = "id") -> None:
        with self.db.session() as s:
            s.add(FeedbackRow(sender_id=sender_id, faq_id=faq_id, topic=topic, helpful=helpful,
                              question=mask_pii(question or "")[:2000] or None, language=language))
