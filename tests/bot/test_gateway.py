"""The Telegram gateway end to end: real python-telegram-bot, the local Bot API server,
the real Rasa server and action server, and the real database."""
from __future__ import annotations

import asyncio
import logging
import random
import time

import pytest
from sqlalchemy import delete, select

from accounts.models import AuditRow
from accounts.users import UserService
from bot.app import running_gateway
from bot.gateway import GatewayConfig
from core.logs import setup_logging
from core.settings import Settings
from devtools.fake_bot_api import FakeBotAPI
from messaging.models import InboxRow, StaffPostRow
from messaging.outbox import Outbox
from monitoring.models import TicketRow, TurnRow

pytestmark = pytest.mark.stack
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
STAFF_CHAT = -100555


def chat_id() -> int:
    return random.randint(10**8, 10**9)


def settings_for(server: FakeBotAPI, assistant, rasa_url: str | None = None) -> Settings:
    return Settings.from_env({
        "DATABASE_URL": assistant.db.url, "RASA_URL": rasa_url or assistant.stack.rasa_url,
        "RASA_TOKEN": assistant.stack.token, "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": server.base_url, "TELEGRAM_STAFF_CHAT_ID": str(STAFF_CHAT),
    })


@pytest.fixture
async def server():
    async with FakeBotAPI(token=TOKEN) as s:
        yield s


@pytest.fixture
async def gateway(server, assistant):
    async with running_gateway(settings_for(server, assistant), assistant.db,
                               GatewayConfig(staff_chat_id=STAFF_CHAT, rate_limit=8)) as app:
        yield app


async def test_a_question_is_answered_with_a_keyboard_and_typing(server, assistant):
    chat = chat_id()
    async with running_gateway(settings_for(server, assistant), assistant.db, GatewayConfig()) as app:
        rasa = app.bot_data["gateway"].rasa
        answer = rasa.send
        rasa.send = lambda *args: (time.sleep(1.5), answer(*args))[1]  # Rasa is slow: the participant sees typing
        server.inject_text(chat, "otp jmo ga masuk2")
        messages = await server.wait_for_messages(chat, count=1, timeout=20)
    # The answer, its source and the feedback question are one message, with the keyboard under it.
    text = messages[0]["text"]
    assert "Sumber:" in text and text.index("Sumber:") < text.index("Apakah jawaban ini membantu?")
    keyboard = messages[0]["reply_markup"]["inline_keyboard"]
    assert [b["text"] for row in keyboard for b in row] == ["👍 Ya, membantu", "👎 Tidak membantu"]
    assert any(a["chat_id"] == chat and a["action"] == "typing" for a in server.chat_actions)
    assert assistant.client.slots(f"tg:{chat}")["answer_topic"] == "jmo.otp"
    # An answer that comes before the delay needs no indicator.
    quick = chat_id()
    async with running_gateway(settings_for(server, assistant), assistant.db, GatewayConfig(typing_delay=30.0)):
        server.inject_text(quick, "otp jmo ga masuk2")
        await server.wait_for_messages(quick, count=1, timeout=20)
    assert not any(a["chat_id"] == quick for a in server.chat_actions)


async def test_a_button_tap_is_acknowledged_marked_and_relayed(server, gateway):
    chat = chat_id()
    server.inject_text(chat, "lupa password jmo")
    await server.wait_for_messages(chat, count=1, timeout=20)
    server.inject_callback(chat, button_text="👍 Ya, membantu")
    messages = await server.wait_for_messages(chat, count=2, timeout=20)
    assert "Terima kasih atas tanggapan" in messages[1]["text"]
    assert server.callback_answers, "the callback query was not answered"
    # The keyboard is gone; the answer stays, marked with the choice.
    assert any("Sumber:" in (e.get("text") or "") and "Ya, membantu" in e["text"] and not e.get("reply_markup")
               for e in server.edits)


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


async def test_messages_of_one_chat_are_answered_in_order(server, gateway, assistant):
    chat = chat_id()
    texts = ["halo", "jam buka kantor cabang", "makasih ya"]
    for text in texts:
        server.inject_text(chat, text)
    await server.wait_for(lambda: len([e for e in assistant.client.tracker(f"tg:{chat}")["events"]
                                       if e["event"] == "user"]) == 3, timeout=30)
    users = [e["text"] for e in assistant.client.tracker(f"tg:{chat}")["events"] if e["event"] == "user"]
    assert users == texts
    sent = server.texts(chat)
    assert "asisten otomatis" in sent[0] and "Sama-sama" in sent[-1]


async def test_many_chats_at_once(server, gateway):
    chats = [chat_id() for _ in range(6)]
    for chat in chats:
        server.inject_text(chat, "cara cek saldo jht")
    for chat in chats:
        assert "Sumber:" in (await server.wait_for_messages(chat, count=1, timeout=40))[0]["text"]


async def test_commands_status_help_language(server, gateway):
    chat = chat_id()
    server.inject_command(chat, "status")
    assert "belum memiliki tiket" in (await server.wait_for_messages(chat, 1, timeout=20))[0]["text"]
    server.inject_command(chat, "help")
    assert "/hapus" in (await server.wait_for_messages(chat, 2, timeout=20))[1]["text"]
    server.inject_command(chat, "bahasa")
    await server.wait_for(lambda: any("English" in str(m.get("reply_markup")) for m in server.sent_messages(chat)),
                          timeout=20)
    server.inject_callback(chat, button_text="English")
    await server.wait_for(lambda: any("I will answer in English" in t for t in server.texts(chat)), timeout=20)
    before = len(server.texts(chat))
    server.inject_text(chat, "how do I reset my jmo password")
    messages = await server.wait_for_messages(chat, before + 1, timeout=20)
    assert any("Source:" in m["text"] for m in messages[before:])


async def test_forget_me_after_confirmation(server, gateway, assistant):
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


async def test_other_content_gets_a_polite_note_and_groups_are_ignored(server, gateway):
    chat = chat_id()
    server.inject_photo(chat)
    server.inject_sticker(chat)
    server.inject_location(chat)
    messages = await server.wait_for_messages(chat, 3, timeout=20)
    assert all("hanya bisa membaca pesan teks" in m["text"] for m in messages)
    server.inject_text(chat, "halo")
    await server.wait_for_messages(chat, 4, timeout=20)
    group = -100999
    server.inject_text(group, "halo semua", user_id=77)
    await asyncio.sleep(1.5)
    assert server.texts(group) == []


async def test_edited_messages_get_a_note(server, gateway):
    chat = chat_id()
    update = server.inject_text(chat, "halo")
    await server.wait_for_messages(chat, 1, timeout=20)
    server.inject_edit(chat, update["message"]["message_id"], "halo kak")
    messages = await server.wait_for_messages(chat, 2, timeout=20)
    assert "diubah" in messages[-1]["text"]


async def test_rate_limit_notice_once(server, gateway):
    chat = chat_id()
    for i in range(11):
        server.inject_text(chat, f"halo {i}")
    await server.wait_for(lambda: any("terlalu banyak" in t for t in server.texts(chat)), timeout=40)

    def ignored() -> int:
        with gateway.bot_data["gateway"].db.session() as s:
            return len(s.execute(select(InboxRow).where(InboxRow.chat_id == chat, InboxRow.status == "ignored")).all())

    await server.wait_for(lambda: ignored() == 3, timeout=20)  # every message over the limit was handled
    assert sum("terlalu banyak" in t for t in server.texts(chat)) == 1


async def test_rasa_down_then_back(server, assistant):
    dead = "http://127.0.0.1:9"  # nothing listens here
    async with running_gateway(settings_for(server, assistant, rasa_url=dead), assistant.db,
                               GatewayConfig(staff_chat_id=STAFF_CHAT)) as app:
        chat = chat_id()
        loop = asyncio.get_running_loop()
        started = loop.time()
        server.inject_text(chat, "syarat klaim jkm apa saja")
        notice = await server.wait_for_messages(chat, 1, timeout=15)
        assert loop.time() - started < 10
        assert "terganggu" in notice[0]["text"] and "simpan" in notice[0]["text"]
        gw = app.bot_data["gateway"]
        assert [m.status for m in gw.inbox.open_for_chat(chat)] == ["pending"]
        gw.rasa.url = assistant.stack.rasa_url  # Rasa is back
        # The replay loop answers the kept message.
        await server.wait_for(lambda: any("Sumber:" in t for t in server.texts(chat)), timeout=40)
        await server.wait_for(lambda: gw.inbox.open_for_chat(chat) == [], timeout=10)


async def test_a_restart_neither_reanswers_nor_drops(server, assistant):
    chat = chat_id()
    async with running_gateway(settings_for(server, assistant), assistant.db) as app:
        server.inject_text(chat, "halo")
        await server.wait_for_messages(chat, 1, timeout=20)
        gw = app.bot_data["gateway"]
        await server.wait_for(lambda: gw.inbox.open_for_chat(chat) == [], timeout=10)  # the greeting was answered
        # A crash left this update received but unanswered.
        gw.inbox.receive(987654321, chat, chat, "text", "jam buka kantor cabang", {})
    sent_before = len(server.texts(chat))
    async with running_gateway(settings_for(server, assistant), assistant.db) as app:
        gw = app.bot_data["gateway"]
        await gw.relay(987654321, chat, chat, "jam buka kantor cabang")  # Telegram re-delivers it: no second answer
        await server.wait_for(lambda: len(server.texts(chat)) >= sent_before + 1, timeout=40)
        await asyncio.sleep(1)
        assert sum("Sumber:" in t for t in server.texts(chat)) == 1


STAFF_USER = 5550001  # a registered staff member's Telegram user id


async def handoff_posted_to_staff(server, assistant):
    """A participant asks for a person; returns their chat, the ticket number and its post in the staff chat."""
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
    return chat, number, post


async def test_staff_reply_and_resolve_from_telegram(server, gateway, assistant):
    chat, number, post = await handoff_posted_to_staff(server, assistant)
    assert "Balas pesan ini" in post["text"]
    server.inject_text(STAFF_CHAT, "Silakan bawa KTP ke kantor cabang.", user_id=STAFF_USER, reply_to=post["message_id"])
    reply = await server.wait_for(lambda: next((t for t in server.texts(chat) if "Balasan petugas" in t), None), timeout=20)
    assert number in reply and "Silakan bawa KTP" in reply
    server.inject_command(STAFF_CHAT, "resolve", f"{number} sudah dijelaskan", user_id=STAFF_USER)
    done = await server.wait_for(lambda: next((t for t in server.texts(chat) if "diselesaikan" in t or "selesai" in t), None),
                                 timeout=20)
    assert number in done
    # Someone who is not registered staff is refused, and the attempt is audited.
    server.inject_command(STAFF_CHAT, "reply", f"{number} halo", user_id=999)
    await server.wait_for(lambda: any("hanya untuk petugas" in t for t in server.texts(STAFF_CHAT)), timeout=20)
    with assistant.db.session() as s:
        assert s.execute(select(AuditRow).where(AuditRow.action == "staff_command_refused")).first() is not None


async def test_a_participant_replying_to_a_staff_reply_adds_to_the_ticket(server, gateway, assistant):
    chat, number, post = await handoff_posted_to_staff(server, assistant)
    server.inject_text(STAFF_CHAT, "Mohon kirim nomor KPJ Anda.", user_id=STAFF_USER, reply_to=post["message_id"])
    staff_reply = await server.wait_for(
        lambda: next((m for m in server.sent_messages(chat) if "Balasan petugas" in m["text"]), None), timeout=20)
    assert "balas (reply) pesan ini" in staff_reply["text"]
    server.inject_text(chat, "ini nomornya 12345678901", reply_to=staff_reply["message_id"])
    added = await server.wait_for(lambda: next((t for t in server.texts(chat) if "ditambahkan ke tiket" in t), None),
                                  timeout=20)
    assert number in added
    with assistant.db.session() as s:
        row = s.execute(select(TicketRow).where(TicketRow.number == number)).scalar_one()
        assert row.messages[-1]["text"] == "ini nomornya 12345678901" and row.participant_added_at is not None
    # Staff see it in their chat, masked, and can answer it by replying to that post.
    await server.wait_for(lambda: next((t for t in server.texts(STAFF_CHAT) if t.startswith(f"➕ Tiket {number}")),
                                       None), timeout=20)


async def test_a_reply_that_overtakes_the_post_record_still_reaches_the_participant(server, gateway, assistant):
    chat, number, post = await handoff_posted_to_staff(server, assistant)
    with assistant.db.session() as s:  # as if the staff member answered before the post was recorded
        s.execute(delete(StaffPostRow).where(StaffPostRow.ticket_number == number))
        # ... while an older record for the same message id (another staff chat's history) points elsewhere
        s.merge(StaffPostRow(chat_id=STAFF_CHAT, message_id=post["message_id"], ticket_number="MDK-999999"))
    server.inject_text(STAFF_CHAT, "Silakan datang hari Senin.", user_id=STAFF_USER, reply_to=post["message_id"])
    reply = await server.wait_for(lambda: next((t for t in server.texts(chat) if "Senin" in t), None), timeout=20)
    assert number in reply
    # A reply to a staff member's own message (not a bot post) is not taken for a ticket answer.
    confirmations = lambda: sum(t.startswith("Terkirim") and number in t for t in server.texts(STAFF_CHAT))  # noqa: E731
    await server.wait_for(lambda: confirmations() == 1, timeout=10)  # the first reply's confirmation
    before = confirmations()
    mine = server.inject_text(STAFF_CHAT, f"🆕 Tiket {number} — palsu", user_id=STAFF_USER)
    server.inject_text(STAFF_CHAT, "jawaban kedua", user_id=STAFF_USER, reply_to=mine["message"]["message_id"])
    await asyncio.sleep(2)
    assert confirmations() == before and not any("jawaban kedua" in t for t in server.texts(chat))


async def test_outbox_retries_429_and_marks_blocked_participants(server, gateway, assistant):
    outbox = Outbox(assistant.db)
    ok_chat, blocked_chat = chat_id(), chat_id()
    server.fail("sendMessage", "flood", chat_id=ok_chat, retry_after=1)
    first = outbox.enqueue(f"tg:{ok_chat}", "Pesan dari petugas <b>penting</b>", "notice")
    server.fail("sendMessage", "blocked", chat_id=blocked_chat, times=None)
    blocked = outbox.enqueue(f"tg:{blocked_chat}", "Pesan untuk yang memblokir", "notice")
    await server.wait_for(lambda: outbox.get(first).status == "sent" and outbox.get(blocked).status == "failed",
                          timeout=20)
    assert server.texts(ok_chat) == ["Pesan dari petugas <b>penting</b>"]
    assert "blocked" in outbox.get(blocked).last_error and outbox.get(first).attempts == 2


async def test_outbox_survives_a_restart_and_keeps_order(server, assistant):
    outbox = Outbox(assistant.db)
    chat = chat_id()
    server.fail("sendMessage", "server_error", chat_id=chat, times=None)
    async with running_gateway(settings_for(server, assistant), assistant.db):
        ids = [outbox.enqueue(f"tg:{chat}", f"pesan {i}", "notice") for i in range(3)]
        await server.wait_for(lambda: outbox.get(ids[0]).attempts >= 1, timeout=20)
    server.clear_faults()
    async with running_gateway(settings_for(server, assistant), assistant.db):
        await server.wait_for(lambda: all(outbox.get(i).status == "sent" for i in ids), timeout=60)
    assert server.texts(chat) == ["pesan 0", "pesan 1", "pesan 2"]


async def test_a_backlog_drains_at_once_in_order(server, gateway, assistant):
    outbox = Outbox(assistant.db)
    chat = chat_id()
    ids = [outbox.enqueue(f"tg:{chat}", f"kabar {i}", "notice") for i in range(15)]
    # One message per chat per tick would take 15 s; the delivery loop drains the chat in one tick.
    await server.wait_for(lambda: all(outbox.get(i).status == "sent" for i in ids), timeout=8)
    assert server.texts(chat) == [f"kabar {i}" for i in range(15)]


async def test_the_bot_token_never_reaches_the_log(server, gateway, caplog):
    setup_logging("DEBUG", "bot")  # the gateway's own logging set-up (as `python -m bot` does)
    chat = chat_id()
    with caplog.at_level(logging.DEBUG):
        server.inject_text(chat, "halo")
        await server.wait_for_messages(chat, 1, timeout=20)
    assert TOKEN not in caplog.text and TOKEN.split(":")[1] not in caplog.text
