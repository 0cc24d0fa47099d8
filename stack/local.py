"""Start the assistant (action server + Rasa) on chosen ports and database: for tests, eval and bench."""
from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, Optional, TextIO

from core.migrate import upgrade
from core.settings import Settings
from stack.services import action_server, rasa_server
from stack.supervisor import Supervisor
from stack.training import train_if_needed


@dataclass(frozen=True)
class RunningStack:
    rasa_url: str
    token: str
    action_url: str
    database_url: str
    supervisor: Supervisor


def stack_settings(database_url: str, rasa_port: int, action_port: int, token: str) -> Settings:
    env = {**os.environ, "DATABASE_URL": database_url, "RASA_URL": f"http://127.0.0.1:{rasa_port}",
           "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook", "RASA_TOKEN": token}
    return Settings.from_env(env)


def prepare_database(database_url: str) -> None:
    from kb.cli import main as kb_main

    upgrade(database_url)
    if kb_main(["--db", database_url, "import", "--sync"]) != 0:
        raise RuntimeError("loading the knowledge-base content failed")


@contextmanager
def running_stack(database_url: str, rasa_port: int, action_port: int, token: Optional[str] = None,
                  model: Optional[Path] = None, log: Optional[TextIO] = None,
                  extra_env: Optional[Dict[str, str]] = None) -> Iterator[RunningStack]:
    token = token or secrets.token_urlsafe(16)
    prepare_database(database_url)
    model = model or train_if_needed()
    settings = stack_settings(database_url, rasa_port, action_port, token)
    supervisor = Supervisor(out=log) if log is not None else Supervisor()
    actions = action_server(settings)
    actions.env.update(extra_env or {})
    try:
        supervisor.start(actions)
        supervisor.start(rasa_server(settings, model, extra_env))
        yield RunningStack(settings.rasa_url, token, settings.action_server_url, database_url, supervisor)
    finally:
        supervisor.stop()
