"""Tables of the monitoring side: tickets, their events, feedback, the turn log, participants' satisfaction
with resolved tickets, and the monthly review's SERVQUAL rules and improvement actions."""
from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text

from core.db import Base, utcnow


class TicketRow(Base):
    __tablename__ = "tickets"

    id = Column(Integer, primary_key=True, autoincrement=True)
    number = Column(String(24), nullable=False, unique=True)
    kind = Column(String(32), nullable=False, index=True)
    status = Column(String(24), nullable=False, index=True)
    sender_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32), nullable=False)
    language = Column(String(8), nullable=False, default="id")
    text = Column(Text, nullable=False)
    messages = Column(JSON, nullable=False)  # recent participant messages: [{"at", "text"}]
    intent = Column(String(100))
    confidence = Column(Float)
    topic = Column(String(64), index=True)
    candidates = Column(JSON, nullable=False)  # [{"entry_id", "topic", "score"}]
    contact = Column(JSON)  # optional details the participant gave
    assignee = Column(String(100), index=True)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    due_at = Column(DateTime, nullable=False)  # first response due (service standard)
    resolve_due_at = Column(DateTime, nullable=False)
    first_response_at = Column(DateTime)
    resolved_at = Column(DateTime)
    updated_at = Column(DateTime, nullable=False, default=utcnow)
    participant_added_at = Column(DateTime)  # the participant last added details (shown to staff as news)
    # Set when the participant asked to be forgotten: texts are masked, numbers kept.
    redacted = Column(Boolean, nullable=False, default=False)
    # A duplicate merged into another ticket of the same participant: closed, its history kept, pointing there.
    merged_into = Column(String(24), index=True)


class TicketEventRow(Base):
    __tablename__ = "ticket_events"

    id = Column(Integer, primary_key=True, autoincrement=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    at = Column(DateTime, nullable=False, default=utcnow)
    actor = Column(String(100), nullable=False)
    # created, status, reply, note (internal), assigned, topic, participant_message, merged_from, merged_into
    kind = Column(String(24), nullable=False)
    from_status = Column(String(24))
    to_status = Column(String(24))
    text = Column(Text)


class ReplyTemplateRow(Base):
    """A reply admins keep for staff to start from, with placeholders (monitoring/reply_templates.py)."""

    __tablename__ = "reply_templates"

    id = Column(Integer, primary_key=True, autoincrement=True)
    title = Column(String(120), nullable=False)
    body_id = Column(Text, nullable=False)
    body_en = Column(Text, nullable=False, default="")  # empty: English-speaking participants get body_id
    active = Column(Boolean, nullable=False, default=True)
    updated_by = Column(String(100), nullable=False)
    updated_at = Column(DateTime, nullable=False, default=utcnow)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class FeedbackRow(Base):
    __tablename__ = "answer_feedback"

    id = Column(Integer, primary_key=True, autoincrement=True)
    sender_id = Column(String(128), nullable=False, index=True)
    faq_id = Column(String(80), nullable=False, index=True)
    topic = Column(String(64), nullable=False, index=True)
    helpful = Column(Boolean, nullable=False)
    question = Column(Text)
    language = Column(String(8), nullable=False, default="id")
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)


class TurnRow(Base):
    """One participant message and what the assistant did with it (the KPI source)."""

    __tablename__ = "turns"

    id = Column(Integer, primary_key=True, autoincrement=True)
    sender_id = Column(String(128), nullable=False, index=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    text = Column(Text, nullable=False)  # personal numbers masked
    language = Column(String(8), nullable=False, default="id")
    intent = Column(String(100))
    confidence = Column(Float)
    # answered, clarified, fallback, out_of_scope, ticket, dialogue
    outcome = Column(String(24), nullable=False, index=True)
    topic = Column(String(64), index=True)
    faq_id = Column(String(80))
    score = Column(Float)
    ticket_number = Column(String(24))


Index("ix_turns_outcome_at", TurnRow.outcome, TurnRow.at)


class SatisfactionRow(Base):
    """The participant's rating (1-5) of how their resolved ticket was handled: asked once per ticket."""

    __tablename__ = "ticket_satisfaction"

    id = Column(Integer, primary_key=True, autoincrement=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, unique=True)
    sender_id = Column(String(128), nullable=False, index=True)
    language = Column(String(8), nullable=False, default="id")
    asked_at = Column(DateTime, nullable=False, index=True)
    rating = Column(Integer)  # None until the participant answers
    rated_at = Column(DateTime, index=True)
    comment = Column(Text)  # optional, personal numbers masked
    commented_at = Column(DateTime)


class ServqualRulesRow(Base):
    """An admin's version of the SERVQUAL rules (the latest row applies; rules None: back to the file)."""

    __tablename__ = "servqual_rules"

    id = Column(Integer, primary_key=True, autoincrement=True)
    rules = Column(JSON)
    changed_by = Column(String(100), nullable=False)
    changed_at = Column(DateTime, nullable=False, default=utcnow)


class ImprovementActionRow(Base):
    """An improvement the branch decided on in a monthly review (plan), carried out (do) and checked."""

    __tablename__ = "improvement_actions"

    id = Column(Integer, primary_key=True, autoincrement=True)
    review_month = Column(Date, nullable=False, index=True)  # first day of the month reviewed
    what = Column(Text, nullable=False)
    owner = Column(String(100), nullable=False)
    due_date = Column(Date, nullable=False)
    problem = Column(Text)
    topic = Column(String(64), index=True)
    metric = Column(String(32), nullable=False)
    status = Column(String(16), nullable=False, default="planned")
    kb_entry_id = Column(String(80))  # a knowledge-base change made for it
    note = Column(Text)
    created_by = Column(String(100), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_by = Column(String(100), nullable=False)
    updated_at = Column(DateTime, nullable=False, default=utcnow)
    done_at = Column(DateTime)
