"""Which services `make run` starts, given the configuration."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

from core.settings import PROJECT_ROOT, Settings
from stack.supervisor import Service


def rasa_environment(settings: Settings) -> Dict[str, str]:
    """Variables endpoints.yml refers to (the action server, the tracker store on our database) and what the
    REST channel checks callers against (rasa_ext/channels.py: RASA_TOKEN proves the gateway)."""
    url = make_url(settings.database_url)
    return {
        "RASA_TOKEN": settings.rasa_token, "APP_ENV": settings.env, "REST_CHANNEL_SECRET": settings.rest_channel_secret,
        "ACTION_SERVER_URL": settings.action_server_url,
        "TRACKER_STORE_URL": url.render_as_string(hide_password=False),
        "TRACKER_STORE_DB": url.database or "",
        "PYTHONPATH": str(PROJECT_ROOT),
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }


def app_environment(settings: Settings) -> Dict[str, str]:
    """What our own processes need to find the same database and branch as the launcher."""
    return {"DATABASE_URL": settings.database_url, "BRANCH_CODE": settings.branch_code,
            "PYTHONPATH": str(PROJECT_ROOT), "LOG_LEVEL": settings.log_level}


def port_of(url: str, default: int) -> int:
    return urlsplit(url).port or default


def action_server(settings: Settings) -> Service:
    port = port_of(settings.action_server_url, 5055)
    return Service(
        name="actions",
        command=[sys.executable, "-m", "actions.server", "--port", str(port)],
        ready_url=f"http://127.0.0.1:{port}/health",
        # Rasa's address and token: the conversation asks Rasa's NLU to read a rewritten question.
        env={**app_environment(settings), "RASA_URL": settings.rasa_url, "RASA_TOKEN": settings.rasa_token},
        cwd=str(PROJECT_ROOT),
    )


def rasa_service(name: str, settings: Settings, model: Path, port: int, env: Dict[str, str],
                 endpoints: str = "endpoints.yml") -> Service:
    return Service(
        name=name,
        # "--auth-token=<token>" in one argument: a token may begin with "-", which argparse would
        # otherwise take for an option.
        command=[sys.executable, "-m", "rasa_ext.server", "run", "--enable-api", f"--auth-token={settings.rasa_token}",
                 "--port", str(port), "--interface", "127.0.0.1", "--model", str(model),
                 "--endpoints", endpoints, "--credentials", "credentials.yml"],
        ready_url=f"http://127.0.0.1:{port}/status?token={settings.rasa_token}",
        ready_timeout=300,
        env=env,
        cwd=str(PROJECT_ROOT),
    )


def rasa_server(settings: Settings, model: Path, extra_env: Optional[Dict[str, str]] = None) -> Service:
    return rasa_service("rasa", settings, model, port_of(settings.rasa_url, 5005),
                        {**app_environment(settings), **rasa_environment(settings), **(extra_env or {})})


def gateway(settings: Settings) -> Service:
    return Service(name="telegram", command=[sys.executable, "-m", "bot"], env=app_environment(settings),
                   cwd=str(PROJECT_ROOT))


def dashboard(settings: Settings) -> Service:
    """The dashboard on waitress (`python -m dashboard`'s default), on 127.0.0.1."""
    port = port_of(settings.dashboard_url, 8000)
    command = [sys.executable, "-m", "dashboard", "--port", str(port)]
    if settings.dashboard_url.lower().startswith("https://"):
        # An https URL means a TLS proxy on this machine in front of it (deploy/README.md): believe its
        # X-Forwarded-For, so the login throttle counts each client rather than the proxy.
        command += ["--trusted-proxy", "127.0.0.1"]
    return Service(name="dashboard", command=command, ready_url=f"http://127.0.0.1:{port}/login",
                   env=app_environment(settings), cwd=str(PROJECT_ROOT))


def services_to_start(settings: Settings, model: Optional[Path] = None) -> Tuple[List[Service], List[str]]:
    """The services to start in order, and notes for the operator about what is skipped."""
    notes: List[str] = []
    services = [action_server(settings)]
    if model is not None:
        services.append(rasa_server(settings, model))
    if (PROJECT_ROOT / "dashboard" / "__main__.py").exists():
        services.append(dashboard(settings))
    if settings.telegram_bot_token:
        services.append(gateway(settings))
    else:
        notes.append("Telegram gateway not started: TELEGRAM_BOT_TOKEN is empty. Create a bot with @BotFather, "
                     "put TELEGRAM_BOT_TOKEN=<token> (and TELEGRAM_STAFF_CHAT_ID) in .env, then run `make run` again. "
                     "Meanwhile, `make chat` talks to the assistant from a terminal.")
    return services, notes
