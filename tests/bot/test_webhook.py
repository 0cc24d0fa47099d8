"""Webhook mode (the cluster's and production's): Telegram POSTs each update to the gateway with the secret
token; a request without it, or with a wrong one, is refused and never reaches Rasa. Every other gateway
test runs in both modes (the `settings` fixture); these check what only webhook mode has."""
from __future__ import annotations

import asyncio

import pytest
import requests
from sqlalchemy import select

from bot.app import running_gateway
from devtools.fake_bot_api.webhook import SECRET_HEADER
from messaging.models import InboxRow
from tests.bot.support import RASA_TOKEN, chat_id, quick_config, settings_for, webhook_url


@pytest.fixture
def webhook_settings(server, db, rasa):
    return settings_for(server, db.url, rasa.url, RASA_TOKEN, "webhook")


async def test_updates_arrive_by_post_with_the_secret_token(server, rasa, webhook_settings, db):
    async with running_gateway(webhook_settings, db, quick_config()):
        chat = chat_id()
        server.inject_text(chat, "halo")
        assert (await server.wait_for_messages(chat, 1))[0]["text"] == "Jawaban untuk: halo"
    (registered,) = server.calls_of("setWebhook")
    assert registered["params"]["url"] == webhook_url(webhook_settings)
    assert registered["params"]["secret_token"] == webhook_settings.telegram_webhook_secret
    assert not server.calls_of("getUpdates")  # no polling in webhook mode
    assert [d["status"] for d in server.webhook.deliveries] == [200]


def forged_update(chat: int, text: str) -> dict:
    return {"update_id": 990000001, "message": {
        "message_id": 1, "date": 1767225600, "text": text,
        "chat": {"id": chat, "type": "private", "first_name": "X"},
        "from": {"id": chat, "is_bot": False, "first_name": "X", "language_code": "id"}}}


@pytest.mark.parametrize("secret", [None, "", "wrong-secret-token-0123456789"])
async def test_a_request_with_a_missing_or_wrong_secret_token_is_refused(server, rasa, webhook_settings, db, secret):
    async with running_gateway(webhook_settings, db, quick_config()):
        victim = chat_id()
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        # From a worker thread: the gateway's webhook server runs on this test's event loop.
        response = await asyncio.to_thread(requests.post, webhook_url(webhook_settings),
                                           json=forged_update(victim, "status tiket MDK-000001"), headers=headers,
                                           timeout=10)
        assert response.status_code == 403
        # Telegram's own delivery still works, and the forged update was never handled.
        chat = chat_id()
        server.inject_text(chat, "halo")
        await server.wait_for_messages(chat, 1)
    assert rasa.texts_from(f"tg:{victim}") == [] and server.texts(victim) == []
    with db.session() as s:
        assert s.execute(select(InboxRow).where(InboxRow.chat_id == victim)).first() is None


async def test_a_gateway_down_gets_its_updates_once_back(server, rasa, webhook_settings, db):
    """Telegram keeps an update and retries while the webhook does not answer, as for a restart."""
    async with running_gateway(webhook_settings, db, quick_config()):
        pass
    chat = chat_id()
    server.inject_text(chat, "jam buka kantor")
    await server.wait_for(lambda: any(d["status"] is None for d in server.webhook.deliveries), timeout=5)
    async with running_gateway(webhook_settings, db, quick_config()):
        await server.wait_for_messages(chat, 1, timeout=10)
    assert rasa.texts_from(f"tg:{chat}") == ["jam buka kantor"]
