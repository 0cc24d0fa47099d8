"""The gateway end to end: real python-telegram-bot, the fake Bot API server, the real Rasa server and
action server, and the real database, each test in both modes: long polling, and webhook (what the
cluster and production run). Only what needs the assistant itself is here; the gateway's own
behaviour is tested against a stub Rasa in the other modules."""
from __future__ import annotations

import asyncio

import pytest
import requests
from sqlalchemy import select

from accounts.users import UserService
from bot.app import running_gateway
from bot.gateway import GatewayConfig
from devtools.fake_bot_api.webhook import SECRET_HEADER
from monitoring.models import TicketRow, TurnRow
from tests.bot.support import MODES, STAFF_CHAT, chat_id, settings_for, webhook_url

pytestmark = pytest.mark.stack
STAFF_USER = 5550001


@pytest.fixture(params=MODES)
def settings(request, server, assistant):
    return settings_for(server, assistant.db.url, assistant.stack.rasa_url, assistant.stack.token, request.param)


@pytest.fixture
async def gateway(server, assistant, settings, fast_hashing):
    async with running_gateway(settings, assistant.db, GatewayConfig(staff_chat_id=STAFF_CHAT)) as app:
        yield app


async def test_a_question_is_answered_with_its_source_and_a_keyboard(server, gateway, assistant):
    chat = chat_id()
    server.inject_text(chat, "otp jmo ga masuk2")
    messages = await server.wait_for_messages(chat, count=1, timeout=20)
    # The answer, its source and the feedback question are one message, with the keyboard under it.
    text = messages[0]["text"]
    assert "Sumber:" in text and text.index("Sumber:") < text.index("Apakah jawaban ini membantu?")
    keyboard = messages[0]["reply_markup"]["inline_keyboard"]
    assert [b["text"] for row in keyboard for b in row] == ["👍 Ya, membantu", "👎 Tidak membantu"]
    assert assistant.client.slots(f"tg:{chat}")["answer_topic"] == "jmo.otp"
    server.inject_callback(chat, button_text="👍 Ya, membantu")
    messages = await server.wait_for_messages(chat, count=2, timeout=20)
    assert "Terima kasih atas tanggapan" in messages[1]["text"]


async def test_menu_navigation_with_buttons_and_short_callback_data(server, gateway, assistant):
    chat = chat_id()
    server.inject_command(chat, "start")
    greeting = await server.wait_for_messages(chat, count=1, timeout=20)
    assert "asisten otomatis" in greeting[0]["text"]
    server.inject_callback(chat, button_text="Klaim")
    await server.wait_for_messages(chat, count=2, timeout=20)
    server.inject_callback(chat, button_text="Kapan JHT bisa dicairkan")
    clarify = await server.wait_for_messages(chat, count=3, timeout=20)
    datas = [b["callback_data"] for row in clarify[2]["reply_markup"]["inline_keyboard"] for b in row]
    assert all(len(d.encode()) <= 64 for d in datas)
    first = clarify[2]["reply_markup"]["inline_keyboard"][0][0]["text"]
    server.inject_callback(chat, button_text=first)
    await server.wait_for(lambda: assistant.client.slots(f"tg:{chat}")["answer_faq_id"], timeout=20)
    assert assistant.client.slots(f"tg:{chat}")["answer_topic"] == "jht.eligibility"


async def test_english_after_choosing_it(server, gateway):
    chat = chat_id()
    server.inject_command(chat, "bahasa")
    await server.wait_for(lambda: any("English" in str(m.get("reply_markup")) for m in server.sent_messages(chat)),
                          timeout=20)
    server.inject_callback(chat, button_text="English")
    await server.wait_for(lambda: any("I will answer in English" in t for t in server.texts(chat)), timeout=20)
    before = len(server.texts(chat))
    server.inject_text(chat, "how do I reset my jmo password")
    messages = await server.wait_for_messages(chat, before + 1, timeout=20)
    assert any("Source:" in m["text"] for m in messages[before:])


async def test_forget_me_erases_the_conversation_in_rasa(server, gateway, assistant):
    chat = chat_id()
    server.inject_text(chat, "saya mau bicara dengan petugas")
    await server.wait_for_messages(chat, 1, timeout=20)
    server.inject_command(chat, "hapus")
    await server.wait_for_messages(chat, 2, timeout=20)
    server.inject_callback(chat, button_text="Ya, hapus data saya")
    assert "sudah dihapus" in (await server.wait_for_messages(chat, 3, timeout=20))[2]["text"]
    with assistant.db.session() as s:
        assert s.execute(select(TurnRow).where(TurnRow.sender_id == f"tg:{chat}")).first() is None
        ticket = s.execute(select(TicketRow).where(TicketRow.sender_id == f"tg:{chat}")).scalar_one()
        assert ticket.redacted and "petugas" not in ticket.text
    events = assistant.client.tracker(f"tg:{chat}")["events"]
    assert not [e for e in events if e["event"] == "user" and "petugas" in (e.get("text") or "")]


async def test_a_participant_replying_to_a_staff_reply_adds_to_the_ticket(server, gateway, assistant):
    users = UserService(assistant.db)
    if users.get("petugas.tg") is None:
        users.create("petugas.tg", "Petugas Telegram", "staff", "Rahasia-Sekali-123", actor="test")
    users.set_telegram("petugas.tg", STAFF_USER, actor="test")
    chat = chat_id()
    server.inject_text(chat, "saya mau bicara dengan petugas")
    await server.wait_for_messages(chat, 1, timeout=20)
    number = assistant.client.slots(f"tg:{chat}")["ticket_id"]
    post = await server.wait_for(lambda: next((m for m in server.sent_messages(STAFF_CHAT) if number in m["text"]), None),
                                 timeout=20)
    server.inject_text(STAFF_CHAT, "Mohon kirim nomor KPJ Anda.", user_id=STAFF_USER, reply_to=post["message_id"])
    staff_reply = await server.wait_for(
        lambda: next((m for m in server.sent_messages(chat) if "Balasan petugas" in m["text"]), None), timeout=20)
    server.inject_text(chat, "ini nomornya 12345678901", reply_to=staff_reply["message_id"])
    added = await server.wait_for(lambda: next((t for t in server.texts(chat) if "ditambahkan ke tiket" in t), None),
                                  timeout=20)
    assert number in added
    with assistant.db.session() as s:
        row = s.execute(select(TicketRow).where(TicketRow.number == number)).scalar_one()
        assert row.messages[-1]["text"] == "ini nomornya 12345678901" and row.participant_added_at is not None
    # Staff see it in their chat, masked.
    await server.wait_for(lambda: next((t for t in server.texts(STAFF_CHAT) if t.startswith(f"➕ Tiket {number}")),
                                       None), timeout=20)


@pytest.mark.parametrize("settings", ["webhook"], indirect=True)
async def test_a_forged_webhook_request_is_refused_and_the_participant_untouched(server, gateway, assistant, settings):
    """Someone who finds the webhook's address posts an update as a participant: refused without the secret."""
    victim = chat_id()
    server.inject_text(victim, "saya mau bicara dengan petugas")
    await server.wait_for_messages(victim, 1, timeout=20)
    number = assistant.client.slots(f"tg:{victim}")["ticket_id"]
    before = assistant.client.tracker(f"tg:{victim}")["events"]
    update = {"update_id": 990000002, "message": {
        "message_id": 99, "date": 1767225600, "text": f"status tiket {number}",
        "chat": {"id": victim, "type": "private", "first_name": "X"},
        "from": {"id": victim, "is_bot": False, "first_name": "X", "language_code": "id"}}}
    response = await asyncio.to_thread(requests.post, webhook_url(settings), json=update,
                                       headers={SECRET_HEADER: "not-the-secret-token"}, timeout=10)
    assert response.status_code == 403
    server.inject_text(victim, "terima kasih")  # the participant's own next message is still answered
    await server.wait_for_messages(victim, 2, timeout=20)
    user_texts = [e.get("text") for e in assistant.client.tracker(f"tg:{victim}")["events"][len(before):]
                  if e["event"] == "user"]
    assert user_texts == ["terima kasih"]
