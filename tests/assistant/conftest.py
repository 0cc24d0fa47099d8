"""A real Rasa server and action server on a fresh database, shared by the tests of this folder."""
from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Any, Dict, List

import pytest

from core.db import Database
from core.rasa_client import RasaClient
from stack.local import RunningStack, running_stack


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Turn:
    messages: List[Dict[str, Any]]
    slots: Dict[str, Any]
    intent: str

    @property
    def text(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.messages)

    @property
    def buttons(self) -> List[Dict[str, str]]:
        with_buttons = [m["buttons"] for m in self.messages if m.get("buttons")]
        return with_buttons[-1] if with_buttons else []


@dataclass
class Assistant:
    stack: RunningStack
    client: RasaClient
    db: Database
    spool_file: str

    def say(self, sender: str, text: str) -> Turn:
        messages = self.client.send(sender, text)
        tracker = self.client.tracker(sender, include_events="NONE")
        intent = ((tracker.get("latest_message") or {}).get("intent") or {}).get("name")
        return Turn(messages, tracker.get("slots") or {}, intent)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Assistant:
    tmp = tmp_path_factory.mktemp("assistant")
    url = f"sqlite:///{tmp / 'assistant.db'}"
    spool = str(tmp / "spool.jsonl")
    with (tmp / "stack.log").open("w") as log:
        with running_stack(url, free_port(), free_port(), log=log, extra_env={"SPOOL_FILE": spool}) as stack:
            db = Database(url)
            yield Assistant(stack, RasaClient(stack.rasa_url, stack.token, timeout=60), db, spool)
            db.dispose()
