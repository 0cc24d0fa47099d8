"""Tables of the message queues."""
from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, Integer, String, Text, UniqueConstraint

from core.db import Base, utcnow


class OutboxRow(Base):
    """A message to deliver from outside the conversation (staff reply, status change, staff notice)."""

    __tablename__ = "outbox"

    id = Column(Integer, primary_key=True, autoincrement=True)
    recipient = Column(String(128), nullable=False, index=True)  # "tg:<chat id>" or "staff:<chat id>"
    chat_id = Column(BigInteger)  # set for Telegram recipients
    kind = Column(String(32), nullable=False)  # staff_reply, status_change, resolution, staff_notice
    text = Column(Text, nullable=False)
    buttons = Column(JSON)
    ticket_number = Column(String(24), index=True)
    dedupe_key = Column(String(128), unique=True)  # the same event never queues twice
    status = Column(String(16), nullable=False, default="pending")  # pending, sent, failed
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime, nullable=False, default=utcnow)
    last_error = Column(String(300))
    created_at = Column(DateTime, nullable=False, default=utcnow)
    sent_at = Column(DateTime)
    telegram_message_id = Column(BigInteger)


Index("ix_outbox_status_next", OutboxRow.status, OutboxRow.next_attempt_at)


class InboxRow(Base):
    """A Telegram update as received: handled once, and kept until answered (or turned into a ticket).

    Telegram may restart update ids after a week without updates, so an update is
    known by its id together with its chat.
    """

    __tablename__ = "inbox"
    __table_args__ = (UniqueConstraint("update_id", "chat_id"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    update_id = Column(BigInteger, nullable=False)
    chat_id = Column(BigInteger, nullable=False, index=True)
    user_id = Column(BigInteger)
    kind = Column(String(16), nullable=False)  # text, callback, command
    text = Column(Text, nullable=False)
    meta = Column(JSON)
    status = Column(String(16), nullable=False, default="received")  # received, done, pending, failed, ignored
    attempts = Column(Integer, nullable=False, default=0)
    received_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    handled_at = Column(DateTime)


Index("ix_inbox_status_chat", InboxRow.status, InboxRow.chat_id)


class CallbackPayloadRow(Base):
    """Telegram limits callback data to 64 bytes; buttons carry a short key for the Rasa payload."""

    __tablename__ = "callback_payloads"

    key = Column(String(24), primary_key=True)
    payload = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class StaffPostRow(Base):
    """A ticket notice posted in the staff chat, so a reply to that post reaches the ticket."""

    __tablename__ = "staff_posts"

    chat_id = Column(BigInteger, primary_key=True, autoincrement=False)
    message_id = Column(BigInteger, primary_key=True, autoincrement=False)
    ticket_number = Column(String(24), nullable=False, index=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
