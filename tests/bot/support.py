"""Constants and helpers shared by the gateway's test modules."""
from __future__ import annotations

import random

from bot.gateway import GatewayConfig
from core.settings import Settings
from devtools.fake_bot_api import FakeBotAPI

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
STAFF_CHAT = -100555
RASA_TOKEN = "gateway-test-rasa-token"


def chat_id() -> int:
    return random.randint(10**8, 10**9)


def settings_for(server: FakeBotAPI, database_url: str, rasa_url: str, rasa_token: str) -> Settings:
    return Settings.from_env({
        "DATABASE_URL": database_url, "RASA_URL": rasa_url, "RASA_TOKEN": rasa_token, "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": server.base_url, "TELEGRAM_STAFF_CHAT_ID": str(STAFF_CHAT),
    })


def quick_config(**overrides) -> GatewayConfig:
    """The gateway as configured in production, but with its background loops (outbox, replay of
    messages kept while Rasa was down) running ten times as often, so that tests wait less for them."""
    return GatewayConfig(**{"staff_chat_id": STAFF_CHAT, "outbox_interval": 0.1, "replay_interval": 0.5,
                            "replay_after": 0.3, **overrides})
