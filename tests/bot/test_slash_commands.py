"""Commands are recognised by their leading slash, with or without Telegram's bot_command entity
(some clients, and forwarded or pasted texts, send none): through the fake Bot API and the real
python-telegram-bot, nothing typed as a command reaches Rasa as a participant's text."""
from __future__ import annotations

import pytest

from bot.commands import parse_command
from monitoring.tickets import TicketService
from tests.bot.conftest import PROFILE, Handled
from tests.bot.support import chat_id

# The participant's commands the gateway registers (bot/app.py) and what each sends to Rasa.
RELAYED = [("start", "", "/greet"), ("status", "", "/ticket_status"),
           ("status", "mdk-000001", '/ticket_status{"ticket_id": "mdk-000001"}'), ("help", "", "/menu")]


@pytest.mark.parametrize("command_entity", [True, False], ids=["entity", "no-entity"])
@pytest.mark.parametrize("command, args, payload", RELAYED, ids=[" ".join(r[:2]).strip() for r in RELAYED])
async def test_a_command_is_the_same_with_or_without_the_entity(server, rasa, gateway, command, args, payload,
                                                                 command_entity):
    chat = chat_id()
    server.inject_command(chat, command, args, command_entity=command_entity)
    await server.wait_for(lambda: rasa.texts_from(f"tg:{chat}"))
    assert rasa.texts_from(f"tg:{chat}") == [payload]
    # What was typed goes along, so staff read "/status ..." in the transcript, not a button tap.
    metadata = [b["metadata"] for b in rasa.received if b["sender"] == f"tg:{chat}"][0]
    assert metadata["input"] == "command" and metadata["command"] == f"/{command} {args}".strip()


@pytest.mark.parametrize("text", ["/hapus", "/HAPUS", "/hapus@test_bot", " /hapus"])
async def test_hapus_without_the_entity_asks_for_confirmation_and_erases(server, rasa, gateway, db, handled: Handled,
                                                                        text):
    chat = chat_id()
    tickets = TicketService(db, PROFILE)
    number = tickets.open("handoff", f"tg:{chat}", "telegram", "saya mau bicara dengan petugas").number
    update = server.inject_text(chat, text, command_entity=False)
    await server.wait_for(lambda: update["update_id"] in handled.ids)
    (confirm,) = server.sent_messages(chat)
    assert "Ya, hapus data saya" in str(confirm["reply_markup"])
    server.inject_callback(chat, button_text="Ya, hapus data saya")
    assert "sudah dihapus" in (await server.wait_for_messages(chat, 2))[1]["text"]
    assert tickets.get(number).redacted
    assert rasa.received == []  # neither the command nor anything else went to Rasa


async def test_bahasa_without_the_entity_offers_the_languages(server, rasa, gateway):
    chat = chat_id()
    server.inject_command(chat, "bahasa", command_entity=False)
    await server.wait_for(lambda: any("English" in str(m.get("reply_markup")) for m in server.sent_messages(chat)))
    assert rasa.received == []


@pytest.mark.parametrize("text", ["/lapor NIK 1271012345678904 hp 081211112222", "/jht", "/start@other_bot"])
async def test_an_unknown_command_without_the_entity_gets_the_help_not_a_relay(server, rasa, gateway, text):
    chat = chat_id()
    server.inject_text(chat, text, command_entity=False)
    await server.wait_for(lambda: rasa.texts_from(f"tg:{chat}"))
    assert rasa.texts_from(f"tg:{chat}") == ["/menu"]  # the help's menu, never the typed text
    assert "/hapus" in server.texts(chat)[0]


async def test_text_with_a_slash_inside_is_still_a_question(server, rasa, gateway):
    chat = chat_id()
    for text in ("jht / jp bedanya apa", "/ saya mau tanya", "cek saldo jht/jp"):
        server.inject_text(chat, text, command_entity=False)
    await server.wait_for(lambda: len(rasa.texts_from(f"tg:{chat}")) == 3)
    assert rasa.texts_from(f"tg:{chat}") == ["jht / jp bedanya apa", "/ saya mau tanya", "cek saldo jht/jp"]


@pytest.mark.parametrize("text, expected", [
    ("/hapus", ("hapus", [])), ("/Status MDK-000001", ("status", ["MDK-000001"])),
    ("/status@test_bot  MDK-000001 ", ("status", ["MDK-000001"])), ("/hapus,", ("hapus", [])),
    ("/status@other_bot", None), ("/ hapus", None), ("hapus", None), ("", None), (None, None),
    ("/status@test_botx", None), ("//hapus", None),
])
def test_parse_command(text, expected):
    assert parse_command(text, "test_bot") == expected
