"""Participants' messages through the gateway to a stub Rasa and back: rendering, order, buttons,
commands, what is not text, the rate limit, Rasa being down, and restarts."""
from __future__ import annotations

import asyncio
import json
import logging
import threading
import time

from sqlalchemy import select

from bot.app import COMMANDS, running_gateway
from bot.texts import t
from core.logs import setup_logging
from messaging.inbox import Inbox
from messaging.models import InboxRow
from monitoring.tickets import TicketService
from tests.bot.conftest import PROFILE, Handled
from tests.bot.support import RASA_TOKEN, TOKEN, chat_id, quick_config, settings_for
from tests.dashboard.fake_rasa import bot, user

ANSWER = [{"text": "JHT dapat dicairkan setelah berhenti bekerja.\n\nSumber: bpjsketenagakerjaan.go.id"},
          {"text": "Apakah jawaban ini membantu?",
           "buttons": [{"title": "👍 Ya, membantu", "payload": "/affirm"},
                       {"title": "👎 Tidak membantu", "payload": "/deny"}]}]


def keyboard_of(message: dict) -> list:
    return [(b["text"], b["callback_data"]) for row in message["reply_markup"]["inline_keyboard"] for b in row]


async def test_an_answer_and_its_question_are_one_message_with_the_keyboard(server, rasa, gateway):
    rasa.reply = lambda sender, text, metadata: ANSWER
    chat = chat_id()
    update = server.inject_text(chat, "kapan jht bisa cair", language_code="en")
    (message,) = await server.wait_for_messages(chat, 1)
    assert message["text"] == ("JHT dapat dicairkan setelah berhenti bekerja.\n\nSumber: bpjsketenagakerjaan.go.id"
                               "\n\nApakah jawaban ini membantu?")
    assert keyboard_of(message) == [("👍 Ya, membantu", "/affirm"), ("👎 Tidak membantu", "/deny")]
    (sent,) = rasa.received
    assert sent["sender"] == f"tg:{chat}" and sent["message"] == "kapan jht bisa cair"
    assert sent["metadata"]["telegram"] == {"update_id": update["update_id"], "user_id": chat, "language_code": "en"}
    assert sent["metadata"]["input"] == "text"  # typed, not a button or a command (the transcript says so)
    assert [(c["command"], c["description"]) for c in server.commands] == [(c, t(f"command.{c}", "id")) for c in COMMANDS]


async def test_a_slow_answer_shows_typing_and_a_quick_one_none(server, rasa, settings, db):
    rasa.delay = 0.5  # a slow Rasa: what makes the gateway show the typing indicator
    slow = chat_id()
    async with running_gateway(settings, db, quick_config(typing_delay=0.05)):
        server.inject_text(slow, "halo")
        await server.wait_for_messages(slow, 1)
    assert any(a["chat_id"] == slow and a["action"] == "typing" for a in server.chat_actions)
    # An answer that comes before the delay needs no indicator.
    rasa.delay = 0.0
    quick = chat_id()
    async with running_gateway(settings, db, quick_config(typing_delay=30.0)):
        server.inject_text(quick, "halo")
        await server.wait_for_messages(quick, 1)
    assert not any(a["chat_id"] == quick for a in server.chat_actions)


async def test_a_button_tap_is_acknowledged_marked_and_relayed(server, rasa, gateway):
    rasa.reply = lambda sender, text, metadata: ANSWER if text != "/affirm" else [{"text": "Terima kasih."}]
    chat = chat_id()
    server.inject_text(chat, "kapan jht bisa cair")
    await server.wait_for_messages(chat, 1)
    server.inject_callback(chat, button_text="👍 Ya, membantu")
    messages = await server.wait_for_messages(chat, 2)
    assert messages[1]["text"] == "Terima kasih."
    assert rasa.texts_from(f"tg:{chat}") == ["kapan jht bisa cair", "/affirm"]
    assert [a["chat_id"] for a in server.callback_answers] == [chat]
    # The keyboard is gone; the answer stays, marked with the choice.
    assert "reply_markup" not in messages[0]
    assert messages[0]["text"].endswith("Apakah jawaban ini membantu?\n\n➡️ 👍 Ya, membantu")


async def test_a_keyboard_that_cannot_be_marked_is_still_removed(server, rasa, gateway):
    rasa.reply = lambda sender, text, metadata: ANSWER if text != "/deny" else [{"text": "Maaf."}]
    chat = chat_id()
    server.inject_text(chat, "kapan jht bisa cair")
    await server.wait_for_messages(chat, 1)
    server.fail("editMessageText", 400, description="Bad Request: message can't be edited")
    server.inject_callback(chat, button_text="👎 Tidak membantu")
    messages = await server.wait_for_messages(chat, 2)
    assert [e["method"] for e in server.edits] == ["editMessageReplyMarkup"]
    assert "reply_markup" not in messages[0] and messages[0]["text"].endswith("Apakah jawaban ini membantu?")
    assert rasa.texts_from(f"tg:{chat}") == ["kapan jht bisa cair", "/deny"]


async def test_long_button_payloads_travel_as_short_callback_data(server, rasa, gateway):
    payload = '/kb_jht_eligibility{"faq_id": "' + "jht-" * 20 + '"}'  # over Telegram's 64 bytes
    rasa.reply = lambda sender, text, metadata: [{"text": "Maksud Anda?", "buttons": [{"title": "JHT", "payload": payload}]}]
    chat = chat_id()
    server.inject_text(chat, "jht")
    (message,) = await server.wait_for_messages(chat, 1)
    ((title, data),) = keyboard_of(message)
    assert title == "JHT" and len(data.encode()) <= 64
    server.inject_callback(chat, button_text="JHT")
    await server.wait_for(lambda: len(rasa.received) == 2)
    assert rasa.texts_from(f"tg:{chat}") == ["jht", payload]


async def test_messages_of_one_chat_are_answered_in_order(server, rasa, gateway):
    def reply(sender, text, metadata):
        if text == "halo":
            time.sleep(0.3)  # the first message is the slowest: the others must still wait for it
        return [{"text": f"re: {text}"}]

    rasa.reply = reply
    chat = chat_id()
    texts = ["halo", "jam buka kantor cabang", "makasih ya"]
    for text in texts:
        server.inject_text(chat, text)
    await server.wait_for_messages(chat, 3)
    assert rasa.texts_from(f"tg:{chat}") == texts
    assert server.texts(chat) == [f"re: {t}" for t in texts]


async def test_many_chats_wait_for_rasa_side_by_side(server, rasa, gateway):
    chats = [chat_id() for _ in range(6)]
    together = threading.Barrier(len(chats), timeout=10)

    def reply(sender, text, metadata):
        together.wait()  # Rasa answers only once every chat's message is with it at the same time
        return [{"text": f"Jawaban untuk {sender}"}]

    rasa.reply = reply
    for chat in chats:
        server.inject_text(chat, "cara cek saldo jht")
    for chat in chats:
        assert (await server.wait_for_messages(chat, 1, timeout=15))[0]["text"] == f"Jawaban untuk tg:{chat}"


async def test_commands_become_payloads_and_the_gateway_answers_its_own(server, rasa, gateway):
    chat = chat_id()
    sender = f"tg:{chat}"
    server.inject_command(chat, "start")
    server.inject_command(chat, "status")
    server.inject_command(chat, "status", "mdk-000001")
    await server.wait_for(lambda: len(rasa.texts_from(sender)) == 3)
    assert rasa.texts_from(sender) == ["/greet", "/ticket_status", '/ticket_status{"ticket_id": "mdk-000001"}']

    server.inject_command(chat, "help")
    await server.wait_for(lambda: len(rasa.texts_from(sender)) == 4)
    assert rasa.texts_from(sender)[-1] == "/menu"
    help_text = server.texts(chat)[3]
    assert "/hapus" in help_text and f"/status {PROFILE.ticket_example}" in help_text

    server.inject_command(chat, "bahasa")
    await server.wait_for(lambda: any("English" in str(m.get("reply_markup")) for m in server.sent_messages(chat)))
    server.inject_callback(chat, button_text="English")
    await server.wait_for(lambda: len(rasa.texts_from(sender)) == 5)
    assert json.loads(rasa.texts_from(sender)[-1].removeprefix("/set_language")) == {"language": "en"}


async def test_forget_me_after_confirmation(server, rasa, gateway, db):
    chat = chat_id()
    tickets = TicketService(db, PROFILE)
    number = tickets.open("handoff", f"tg:{chat}", "telegram", "saya mau bicara dengan petugas").number
    server.inject_text(chat, "halo")
    await server.wait_for_messages(chat, 1)
    server.inject_command(chat, "hapus")
    await server.wait_for_messages(chat, 2)
    server.inject_callback(chat, button_text="Ya, hapus data saya")
    assert "sudah dihapus" in (await server.wait_for_messages(chat, 3))[2]["text"]
    ticket = tickets.get(number)
    assert ticket.redacted and "petugas" not in ticket.text
    assert gateway.bot_data["gateway"].inbox.open_for_chat(chat) == []
    with db.session() as s:
        assert s.execute(select(InboxRow).where(InboxRow.chat_id == chat)).first() is None


async def test_other_content_gets_a_polite_note_and_groups_are_ignored(server, rasa, gateway, handled):
    chat = chat_id()
    server.inject_photo(chat)
    server.inject_sticker(chat)
    server.inject_location(chat)
    messages = await server.wait_for_messages(chat, 3)
    assert all("hanya bisa membaca pesan teks" in m["text"] for m in messages)
    group = -100999
    update = server.inject_text(group, "halo semua", user_id=77)
    await server.wait_for(lambda: update["update_id"] in handled.ids)
    assert server.texts(group) == [] and rasa.received == []


async def test_edited_messages_get_a_note(server, rasa, gateway):
    chat = chat_id()
    update = server.inject_text(chat, "halo")
    await server.wait_for_messages(chat, 1)
    server.inject_edit(chat, update["message"]["message_id"], "halo kak")
    messages = await server.wait_for_messages(chat, 2)
    assert "diubah" in messages[-1]["text"] and rasa.texts_from(f"tg:{chat}") == ["halo"]


async def test_rate_limit_notice_once(server, rasa, gateway, db):
    chat = chat_id()
    for i in range(11):
        server.inject_text(chat, f"halo {i}")

    def ignored() -> int:
        with db.session() as s:
            return len(s.execute(select(InboxRow).where(InboxRow.chat_id == chat, InboxRow.status == "ignored")).all())

    await server.wait_for(lambda: ignored() == 3)  # every message over the limit (8) was handled
    await server.wait_for(lambda: len(server.texts(chat)) == 9)  # 8 answers and one notice
    assert sum("terlalu banyak" in t for t in server.texts(chat)) == 1
    assert len(rasa.texts_from(f"tg:{chat}")) == 8


async def test_rasa_down_then_back(server, rasa, db):
    dead = "http://127.0.0.1:9"  # nothing listens here
    async with running_gateway(settings_for(server, db.url, dead, RASA_TOKEN), db, quick_config()) as app:
        chat = chat_id()
        started = time.monotonic()
        server.inject_text(chat, "syarat klaim jkm apa saja")
        notice = await server.wait_for_messages(chat, 1, timeout=15)
        assert time.monotonic() - started < 10
        assert "terganggu" in notice[0]["text"] and "simpan" in notice[0]["text"]
        gw = app.bot_data["gateway"]
        assert [m.status for m in gw.inbox.open_for_chat(chat)] == ["pending"]
        gw.rasa.url = rasa.url  # Rasa is back
        # The replay loop answers the kept message.
        await server.wait_for(lambda: len(server.texts(chat)) == 2, timeout=20)
        assert server.texts(chat)[1] == "Jawaban untuk: syarat klaim jkm apa saja"
        await server.wait_for(lambda: gw.inbox.open_for_chat(chat) == [])


async def test_a_restart_neither_reanswers_nor_drops(server, rasa, settings, db):
    chat = chat_id()
    async with running_gateway(settings, db, quick_config()) as app:
        server.inject_text(chat, "halo")
        await server.wait_for_messages(chat, 1)
        gw = app.bot_data["gateway"]
        await server.wait_for(lambda: gw.inbox.open_for_chat(chat) == [])  # the greeting was answered
    # A crash left this update received but unanswered.
    gw.inbox.receive(987654321, chat, chat, "text", "jam buka kantor cabang", {})
    async with running_gateway(settings, db, quick_config()) as app:
        gw = app.bot_data["gateway"]
        await gw.relay(987654321, chat, chat, "jam buka kantor cabang")  # Telegram re-delivers it: no second answer
        await server.wait_for(lambda: len(server.texts(chat)) == 2, timeout=20)  # the replay loop answers it
        await server.wait_for(lambda: gw.inbox.open_for_chat(chat) == [])  # ... and marks it done
    assert rasa.texts_from(f"tg:{chat}") == ["halo", "jam buka kantor cabang"]
    assert server.texts(chat) == ["Jawaban untuk: halo", "Jawaban untuk: jam buka kantor cabang"]


async def test_the_bot_token_never_reaches_the_log(server, rasa, settings, db, capsys):
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    setup_logging("DEBUG", "bot")  # the gateway's own logging set-up (as `python -m bot` does), to stderr
    try:
        async with running_gateway(settings, db, quick_config()):
            chat = chat_id()
            server.inject_text(chat, "halo")
            await server.wait_for_messages(chat, 1)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    log = capsys.readouterr().err
    assert "getMe" in log and "sendMessage" in log  # the calls were logged ...
    assert TOKEN not in log and TOKEN.split(":")[1] not in log  # ... without the token


async def test_handled_updates_are_a_barrier(server, rasa, gateway, handled: Handled):
    """The "nothing happened" barrier the tests above rely on sees an update only once it was answered."""
    rasa.delay = 0.3
    chat = chat_id()
    update = server.inject_text(chat, "halo")
    await server.wait_for(lambda: update["update_id"] in handled.ids)
    assert server.texts(chat) == ["Jawaban untuk: halo"]


async def test_a_message_is_recorded_before_it_waits_for_the_chats_earlier_one(server, rasa, gateway, db):
    release = threading.Event()

    def reply(sender, text, metadata):
        if text == "halo":
            release.wait(10)  # the first message is still with Rasa ...
        return [{"text": f"re: {text}"}]

    rasa.reply = reply
    chat = chat_id()
    server.inject_text(chat, "halo")
    server.inject_text(chat, "jam buka kantor cabang")

    def recorded() -> int:
        with db.session() as s:
            return len(s.execute(select(InboxRow.id).where(InboxRow.chat_id == chat)).all())

    # ... while the second is already in the inbox, and confirmed to Telegram: a crash now loses neither.
    await server.wait_for(lambda: recorded() == 2 and not server.pending, timeout=5)
    release.set()
    await server.wait_for_messages(chat, 2)
    assert server.texts(chat) == ["re: halo", "re: jam buka kantor cabang"]


async def test_updates_are_confirmed_to_telegram_only_once_recorded(server, rasa, settings, db):
    from bot.app import build_application

    application = build_application(settings, db, quick_config())
    gate = application.bot.gate
    chat = chat_id()
    async with application.bot as telegram_bot:
        first = server.inject_text(chat, "halo")["update_id"]
        (update,) = await telegram_bot.get_updates()
        assert gate.waiting(first + 1) == {first}
        polled = asyncio.create_task(telegram_bot.get_updates(offset=first + 1, timeout=0))
        await asyncio.sleep(0.3)
        assert not polled.done() and server.pending  # not confirmed: Telegram would deliver it again
        gate.settled(first)  # recorded
        await asyncio.wait_for(polled, timeout=5)
        assert server.pending == []


async def test_a_turn_rasa_ran_before_a_crash_is_answered_from_the_tracker_not_run_again(server, rasa, settings, db):
    chat = chat_id()
    update_id = 987650001
    # The gateway sent this message to Rasa and crashed before passing on the answer.
    Inbox(db).receive(update_id, chat, chat, "text", "cara cek saldo jht", {})
    rasa.trackers[f"tg:{chat}"] = {"sender_id": f"tg:{chat}", "events": [
        {**user(1.0, "cara cek saldo jht", "jht_balance", 0.9), "metadata": {"telegram": {"update_id": update_id}}},
        bot(2.0, "Cara cek saldo JHT: lewat JMO.", buttons=("Ya",))]}
    async with running_gateway(settings, db, quick_config()) as app:
        await server.wait_for_messages(chat, 1, timeout=20)  # the replay loop
        await server.wait_for(lambda: app.bot_data["gateway"].inbox.open_for_chat(chat) == [])
    assert server.texts(chat) == ["Cara cek saldo JHT: lewat JMO."]
    assert rasa.received == []  # the turn was not run a second time
