"""The dashboard's configuration, from the project settings (environment) plus test overrides."""
from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any, Dict, Mapping, Optional

from core.settings import PLACEHOLDER_SECRETS, SettingsError, get_settings

log = logging.getLogger(__name__)

MIN_SECRET_LENGTH = 16


def weak_secret(value: Optional[str]) -> bool:
    value = value or ""
    return value.strip().lower() in PLACEHOLDER_SECRETS or len(value) < MIN_SECRET_LENGTH


def build_config(test_config: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """Settings for `create_app`. Production refuses to start without a real DASHBOARD_SECRET_KEY;
    development without one runs with a random key for this process (sessions end on restart)."""
    settings = get_settings()  # raises SettingsError for placeholder secrets in production
    config: Dict[str, Any] = {
        "APP_ENV": settings.env,
        "SECRET_KEY": settings.dashboard_secret_key,
        "DATABASE_URL": settings.database_url,
        "DATABASE": None,  # a core.db.Database to use instead of DATABASE_URL (tests)
        "BRANCH_CODE": settings.branch_code,
        "SHARED_DIR": settings.shared_dir,  # the official FAQ dump that entries cite (kb/freshness.py)
        "RASA_URL": settings.rasa_url,
        "RASA_TOKEN": settings.rasa_token,
        "RASA_TIMEOUT": 5.0,
        "DASHBOARD_URL": settings.dashboard_url,
        "SESSION_COOKIE_NAME": "bpjstk_dashboard",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure cookies whenever the dashboard is reached over HTTPS (a TLS proxy in front of it).
        "SESSION_COOKIE_SECURE": settings.dashboard_url.lower().startswith("https://"),
        # A session ends 10 hours after sign-in however active, and after 2 hours without a request
        # (kept on the server, accounts/sessions.py); the cookie is not re-sent on every response.
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=10),
        "IDLE_TIMEOUT": dt.timedelta(hours=2),
        "SESSION_REFRESH_EACH_REQUEST": False,
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        # Roles that may reveal masked NIK/KPJ/phone numbers (every reveal is audited).
        "REVEAL_ROLES": ("staff", "admin"),
        # Failed logins allowed per client address in the window, across all usernames (a successful
        # login does not reset the count).
        "LOGIN_THROTTLE_LIMIT": 10,
        "LOGIN_THROTTLE_WINDOW": 15 * 60,
        "TEMPLATES_AUTO_RELOAD": False,
    }
    config.update(test_config or {})
    if weak_secret(config["SECRET_KEY"]):
        if config["APP_ENV"] == "production":
            raise SettingsError("DASHBOARD_SECRET_KEY must be set to a real secret (16+ characters) in production")
        log.warning("DASHBOARD_SECRET_KEY is not set: using a random key for this process "
                    "(everyone is signed out when the dashboard restarts)")
        config["SECRET_KEY"] = secrets.token_urlsafe(32)
    return config
