"""The outbox delivered on Telegram: retries, refusals, restarts and backlogs (no Rasa involved)."""
from __future__ import annotations

from bot.app import running_gateway
from bot.gateway import GatewayConfig
from messaging.outbox import Outbox
from tests.bot.support import chat_id, quick_config


async def test_outbox_retries_429_and_marks_blocked_participants(server, gateway, db):
    outbox = Outbox(db)
    ok_chat, blocked_chat = chat_id(), chat_id()
    server.fail("sendMessage", "flood", chat_id=ok_chat, retry_after=1)
    first = outbox.enqueue(f"tg:{ok_chat}", "Pesan dari petugas <b>penting</b>", "notice")
    server.fail("sendMessage", "blocked", chat_id=blocked_chat, times=None)
    blocked = outbox.enqueue(f"tg:{blocked_chat}", "Pesan untuk yang memblokir", "notice")
    await server.wait_for(lambda: outbox.get(first).status == "sent" and outbox.get(blocked).status == "failed",
                          timeout=20)
    assert server.texts(ok_chat) == ["Pesan dari petugas <b>penting</b>"]  # escaped, not taken for markup
    assert "blocked" in outbox.get(blocked).last_error and outbox.get(first).attempts == 2


async def test_outbox_survives_a_restart_and_keeps_order(server, settings, db):
    outbox = Outbox(db)
    chat = chat_id()
    server.fail("sendMessage", "server_error", chat_id=chat, times=None)
    async with running_gateway(settings, db, quick_config()):
        ids = [outbox.enqueue(f"tg:{chat}", f"pesan {i}", "notice") for i in range(3)]
        await server.wait_for(lambda: outbox.get(ids[0]).attempts >= 1, timeout=20)
    server.clear_faults()
    async with running_gateway(settings, db, quick_config()):
        await server.wait_for(lambda: all(outbox.get(i).status == "sent" for i in ids), timeout=20)
    assert server.texts(chat) == ["pesan 0", "pesan 1", "pesan 2"]


async def test_a_backlog_drains_at_once_in_order(server, settings, db):
    outbox = Outbox(db)
    chat = chat_id()
    ids = [outbox.enqueue(f"tg:{chat}", f"kabar {i}", "notice") for i in range(15)]
    async with running_gateway(settings, db, GatewayConfig()):  # the production tick: one second
        # One message per chat per tick would take 15 s; the delivery loop drains the chat in one tick.
        await server.wait_for(lambda: all(outbox.get(i).status == "sent" for i in ids), timeout=8)
    assert server.texts(chat) == [f"kabar {i}" for i in range(15)]
