"""Constants and helpers shared by the gateway's test modules."""
from __future__ import annotations

import random
import secrets

from bot.gateway import GatewayConfig
from core.settings import Settings
from devtools.fake_bot_api import FakeBotAPI
from stack.supervisor import free_port

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
STAFF_CHAT = -100555
RASA_TOKEN = "gateway-test-rasa-token"


def chat_id() -> int:
    return random.randint(10**8, 10**9)


MODES = ("polling", "webhook")  # how the gateway gets updates: long polling, or Telegram POSTing them


def settings_for(server: FakeBotAPI, database_url: str, rasa_url: str, rasa_token: str,
                 mode: str = "polling") -> Settings:
    """The gateway's settings against the fake Bot API; in webhook mode it listens on a free local port
    with a fresh secret token, as the cluster and production run it."""
    env = {"DATABASE_URL": database_url, "RASA_URL": rasa_url, "RASA_TOKEN": rasa_token, "TELEGRAM_BOT_TOKEN": TOKEN,
           "TELEGRAM_API_BASE_URL": server.base_url, "TELEGRAM_STAFF_CHAT_ID": str(STAFF_CHAT)}
    if mode == "webhook":
        port = free_port()
        env.update({"TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}", "TELEGRAM_WEBHOOK_LISTEN": f"127.0.0.1:{port}",
                    "TELEGRAM_WEBHOOK_SECRET": secrets.token_hex(16)})
    return Settings.from_env(env)


def webhook_url(settings: Settings) -> str:
    return f"{settings.telegram_webhook_url}/{settings.telegram_webhook_path}"


def quick_config(**overrides) -> GatewayConfig:
    """The gateway as configured in production, but with its background loops (outbox, replay of
    messages kept while Rasa was down) running ten times as often, so that tests wait less for them."""
    return GatewayConfig(**{"staff_chat_id": STAFF_CHAT, "outbox_interval": 0.1, "replay_interval": 0.5,
                            "replay_after": 0.3, **overrides})
