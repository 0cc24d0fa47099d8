"""Tables of the knowledge base."""
from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, ForeignKey, Integer, String, Text

from core.db import Base, utcnow


class KbEntryRow(Base):
    __tablename__ = "kb_entries"

    id = Column(String(80), primary_key=True)
    topic = Column(String(64), nullable=False, index=True)
    title_id = Column(String(200), nullable=False)
    title_en = Column(String(200), nullable=False)
    questions_id = Column(JSON, nullable=False)
    questions_en = Column(JSON, nullable=False)
    answer_id = Column(Text, nullable=False)
    answer_en = Column(Text, nullable=False)
    source = Column(String(500), nullable=False)  # a note for staff
    citations = Column(JSON, nullable=False, default=list)  # kb/citation.py
    reviewed_at = Column(Date, nullable=True)  # kb/freshness.py
    reviewed_by = Column(String(100), nullable=True)
    reviewed_digest = Column(String(16), nullable=True)
    programs = Column(JSON, nullable=False)
    aspects = Column(JSON, nullable=False, default=list)  # what the entry says about its programs
    active = Column(Boolean, nullable=False, default=True)
    version = Column(Integer, nullable=False, default=1)
    # "content-loader" while the entry is as loaded from kb/content; a person's name after an edit.
    updated_by = Column(String(100), nullable=False)
    updated_at = Column(DateTime, nullable=False, default=utcnow)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class KbRevisionRow(Base):
    __tablename__ = "kb_revisions"

    id = Column(Integer, primary_key=True, autoincrement=True)
    entry_id = Column(String(80), ForeignKey("kb_entries.id", ondelete="CASCADE"), nullable=False, index=True)
    version = Column(Integer, nullable=False)
    action = Column(String(20), nullable=False)  # created, edited, deactivated, activated, restored
    snapshot = Column(JSON, nullable=False)
    changed_by = Column(String(100), nullable=False)
    changed_at = Column(DateTime, nullable=False, default=utcnow)
    note = Column(String(500))


class KbStateRow(Base):
    """One row whose counter goes up on every knowledge-base change.

    Every process compares it with the version its search index was built from,
    so an edit is answered at once by every instance without a restart.
    """

    __tablename__ = "kb_state"

    id = Column(Integer, primary_key=True)
    version = Column(Integer, nullable=False, default=0)
    updated_at = Column(DateTime, nullable=False, default=utcnow)


class FaqProposalRow(Base):
    """Staff propose a ticket's question and answer as a new entry; an admin drafts or dismisses it."""

    __tablename__ = "faq_proposals"

    id = Column(Integer, primary_key=True, autoincrement=True)
    ticket_number = Column(String(24), nullable=False, index=True)
    proposed_by = Column(String(100), nullable=False)
    proposed_at = Column(DateTime, nullable=False, default=utcnow)
    note = Column(String(300))
    status = Column(String(16), nullable=False, default="pending", index=True)  # pending, drafted, dismissed
    entry_id = Column(String(80))  # the entry drafted from it
    closed_by = Column(String(100))
    closed_at = Column(DateTime)
