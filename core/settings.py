"""Configuration from environment variables (optionally seeded from a `.env` file).

Every process reads its settings through `get_settings()`; nothing is read at
import time, so tests can change the environment and call `reset_settings()`.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping, MutableMapping, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"
# Data shared by the project's checkouts (the real JMO reviews that evaluation sets cite by row).
DEFAULT_SHARED_DIR = PROJECT_ROOT.parent / "shared"

# Values a real deployment must never run with.
PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "token"}


class SettingsError(RuntimeError):
    """Raised when the configuration is unusable (e.g. a placeholder secret in production)."""


def default_database_url() -> str:
    return f"sqlite:///{VAR_DIR / 'app.db'}"


@dataclass(frozen=True)
class Settings:
    env: str
    database_url: str
    rasa_url: str
    rasa_token: str
    action_server_url: str
    dashboard_url: str
    dashboard_secret_key: str
    branch_code: str
    telegram_bot_token: str
    telegram_api_base_url: str
    telegram_staff_chat_id: Optional[int]
    telegram_webhook_url: str
    telegram_webhook_secret: str
    log_level: str
    conversation_context: bool = True  # "off" reads every message alone (to measure what context costs)
    kb_refresh_seconds: float = 0.5  # how often a process re-checks the knowledge base's version
    spool_file: str = ""  # messages kept while the database is down (default under var/spool)
    spool_replay_seconds: float = 30.0
    action_server_host: str = "127.0.0.1"
    action_server_port: int = 5055
    telegram_webhook_listen: str = "127.0.0.1:8443"
    telegram_webhook_path: str = "telegram/webhook"
    shared_dir: str = str(DEFAULT_SHARED_DIR)
    # The public REST channel's own secret (a web widget's backend presents it); in production the public
    # REST channel is off without it. The gateway and operators' tools use RASA_TOKEN (core/identity.py).
    rest_channel_secret: str = ""

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> "Settings":
        def get(name: str, default: str = "") -> str:
            return environ.get(name, default).strip()

        staff_chat = get("TELEGRAM_STAFF_CHAT_ID")
        settings = cls(
            env=get("APP_ENV", "development").lower(),
            database_url=get("DATABASE_URL") or default_database_url(),
            rasa_url=get("RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
            rasa_token=get("RASA_TOKEN"),
            action_server_url=get("ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook"),
            dashboard_url=get("DASHBOARD_URL", "http://127.0.0.1:8000").rstrip("/"),
            dashboard_secret_key=get("DASHBOARD_SECRET_KEY"),
            branch_code=get("BRANCH_CODE", "medan-kota"),
            telegram_bot_token=get("TELEGRAM_BOT_TOKEN"),
            telegram_api_base_url=get("TELEGRAM_API_BASE_URL", "https://api.telegram.org/bot"),
            telegram_staff_chat_id=int(staff_chat) if staff_chat else None,
            telegram_webhook_url=get("TELEGRAM_WEBHOOK_URL"),
            telegram_webhook_secret=get("TELEGRAM_WEBHOOK_SECRET"),
            log_level=get("LOG_LEVEL", "INFO").upper(),
            conversation_context=get("CONVERSATION_CONTEXT", "on").lower() != "off",
            kb_refresh_seconds=float(get("KB_REFRESH_SECONDS", "0.5")),
            spool_file=get("SPOOL_FILE"),
            spool_replay_seconds=float(get("SPOOL_REPLAY_SECONDS", "30")),
            action_server_host=get("ACTION_SERVER_HOST", "127.0.0.1"),
            action_server_port=int(get("ACTION_SERVER_PORT", "5055")),
            telegram_webhook_listen=get("TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1:8443"),
            telegram_webhook_path=get("TELEGRAM_WEBHOOK_PATH", "telegram/webhook").strip("/"),
            shared_dir=get("SHARED_DIR") or str(DEFAULT_SHARED_DIR),
            rest_channel_secret=get("REST_CHANNEL_SECRET"),
        )
        settings.check()
        return settings

    def check(self) -> None:
        """Refuse placeholder secrets outside development."""
        if not self.is_production:
            return
        for name, value in (("RASA_TOKEN", self.rasa_token), ("DASHBOARD_SECRET_KEY", self.dashboard_secret_key)):
            if value.lower() in PLACEHOLDER_SECRETS or len(value) < 16:
                raise SettingsError(f"{name} must be set to a real secret (16+ characters) in production")
        secret = self.rest_channel_secret
        if secret and (secret.lower() in PLACEHOLDER_SECRETS or len(secret) < 16 or secret == self.rasa_token):
            raise SettingsError("REST_CHANNEL_SECRET must be a real secret (16+ characters), different from "
                                "RASA_TOKEN, in production (or empty: the public REST channel is then off)")


def load_dotenv(path: Path = PROJECT_ROOT / ".env", environ: Optional[MutableMapping[str, str]] = None) -> None:
    """Copy KEY=VALUE lines of a `.env` file into the environment; real variables win."""
    target = os.environ if environ is None else environ
    if not path.exists():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.strip().removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        target.setdefault(key, value)


def ensure_dotenv(path: Path = PROJECT_ROOT / ".env", example: Path = PROJECT_ROOT / ".env.example") -> bool:
    """Create `.env` from `.env.example` with fresh random secrets; returns True if created."""
    if path.exists() or not example.exists():
        return False
    lines = []
    for line in example.read_text(encoding="utf-8").splitlines():
        key = line.partition("=")[0].strip()
        if key in ("RASA_TOKEN", "DASHBOARD_SECRET_KEY"):
            line = f"{key}={secrets.token_urlsafe(32)}"
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return True


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env(os.environ)


def reset_settings() -> None:
    get_settings.cache_clear()
