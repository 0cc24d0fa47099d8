"""Conversations live in Rasa's SQL tracker store on PostgreSQL and survive a restart."""
from __future__ import annotations

import pytest

from core.rasa_client import RasaClient
from stack.local import running_stack
from tests.conftest import free_port

pytestmark = [pytest.mark.stack, pytest.mark.postgres]


def test_conversation_survives_a_restart_on_postgresql(postgresql_url, tmp_path):
    rasa_port, action_port, token = free_port(), free_port(), "persistence-token"
    with (tmp_path / "stack.log").open("w") as log:
        with running_stack(postgresql_url, rasa_port, action_port, token=token, log=log) as stack:
            client = RasaClient(stack.rasa_url, token)
            client.send("tg:777", "lupa password jmo gimana")
            assert client.slots("tg:777")["answer_topic"] == "jmo.forgot_password"
        with running_stack(postgresql_url, rasa_port, action_port, token=token, log=log) as stack:
            client = RasaClient(stack.rasa_url, token)
            texts = [e.get("text") for e in client.tracker("tg:777")["events"] if e.get("event") == "user"]
            assert "lupa password jmo gimana" in texts
            client.send("tg:777", "/affirm")  # the feedback question asked before the restart is still pending
            assert "Terima kasih atas tanggapan" in " ".join(m.get("text", "") for m in client.tracker("tg:777")["events"]
                                                             if m.get("event") == "bot")
