"""What the gateway does with a message before Rasa reads it: cleaned and capped as every channel does
(core/input_limits.py), and sent with the gateway's credential so that Rasa lets it speak for tg: chats."""
from __future__ import annotations

from sqlalchemy import select

from core.input_limits import MAX_MESSAGE_CHARS
from messaging.models import InboxRow
from tests.bot.support import RASA_TOKEN, chat_id


async def test_the_gateway_proves_itself_to_rasa_with_its_token(server, rasa, gateway):
    chat = chat_id()
    server.inject_text(chat, "halo")
    await server.wait_for_messages(chat, 1)
    assert rasa.authorizations == [f"Bearer {RASA_TOKEN}"]


async def test_an_overlong_message_is_cut_and_the_participant_told_first(server, rasa, gateway, db):
    chat = chat_id()
    server.inject_text(chat, "klaim jht " * 10_000, language_code="en")  # 100,000 characters
    messages = await server.wait_for_messages(chat, 2)
    assert "only read its first 4096 characters" in messages[0]["text"]
    assert messages[1]["text"].startswith("Jawaban untuk: klaim jht")
    (sent,) = rasa.texts_from(f"tg:{chat}")
    assert len(sent) <= MAX_MESSAGE_CHARS and sent.split()[-1] in ("klaim", "jht")  # cut between words
    with db.session() as s:
        kept = s.execute(select(InboxRow.text).where(InboxRow.chat_id == chat)).scalar_one()
    assert kept == sent  # the inbox keeps what Rasa read, not 100,000 characters


async def test_invisible_characters_are_removed_before_rasa(server, rasa, gateway):
    chat = chat_id()
    server.inject_text(chat, "\u202ek\u200bl\u200ca\u00adi\u200em\u2066 jht\x00\x1b[31m")
    await server.wait_for_messages(chat, 1)
    assert rasa.texts_from(f"tg:{chat}") == ["klaim jht[31m"]
    assert server.texts(chat) == ["Jawaban untuk: klaim jht[31m"]
