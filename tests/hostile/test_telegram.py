"""The hostile-input corpus typed into Telegram: the gateway (webhook mode, as in production) with the fake
Bot API, the real Rasa server, action server and database. Every text gets a reply, no Bot API call is
refused (an unescaped echo would be a 400 "can't parse entities", as on Telegram), and the gateway keeps
answering."""
from __future__ import annotations

import pytest

from bot.app import running_gateway
from bot.gateway import GatewayConfig
from devtools.fake_bot_api import FakeBotAPI
from devtools.hostile import hostile_texts, telegram_text
from tests.bot.support import STAFF_CHAT, TOKEN, chat_id, settings_for

pytestmark = pytest.mark.stack
TEXTS = hostile_texts()


@pytest.fixture
async def telegram(assistant):
    async with FakeBotAPI(token=TOKEN) as server:
        settings = settings_for(server, assistant.db.url, assistant.stack.rasa_url, assistant.stack.token, "webhook")
        async with running_gateway(settings, assistant.db, GatewayConfig(staff_chat_id=STAFF_CHAT)):
            yield server


@pytest.mark.parametrize("case", TEXTS, ids=[c.id for c in TEXTS])
async def test_a_hostile_text_gets_a_reply_and_nothing_is_refused(telegram, case):
    outcome = await telegram_text(telegram, chat_id(), case)
    assert outcome.ok, outcome


async def test_one_chat_takes_the_whole_corpus_and_still_answers(telegram):
    chat = chat_id()
    for case in TEXTS:
        telegram.inject_text(chat, case.text)
    telegram.inject_text(chat, "lupa password jmo")
    messages = await telegram.wait_for(lambda: any("Sumber:" in t for t in telegram.texts(chat)) and telegram.texts(chat),
                                       timeout=120)
    assert messages and not [c for c in telegram.calls if (c.get("status") or 200) >= 400]
