"""The hostile-input corpus through the REST channel of the real Rasa server, action server and database:
every text gets a 200 with a clear reply, every malformed request its 4xx with a JSON message, and the
assistant still answers afterwards."""
from __future__ import annotations

import uuid

import pytest

from devtools.hostile import hostile_requests, hostile_texts, rest_request, rest_still_answers, rest_text

pytestmark = pytest.mark.stack
TEXTS = hostile_texts()
REQUESTS = hostile_requests()


def sender() -> str:
    return f"hostile-{uuid.uuid4().hex[:10]}"


@pytest.mark.parametrize("case", TEXTS, ids=[c.id for c in TEXTS])
def test_a_hostile_text_gets_a_clear_reply(assistant, case):
    outcome = rest_text(assistant.stack.rasa_url, case, sender())
    assert outcome.ok, outcome


@pytest.mark.parametrize("case", REQUESTS, ids=[c.id for c in REQUESTS])
def test_a_malformed_request_gets_its_4xx_and_a_json_message(assistant, case):
    outcome = rest_request(assistant.stack.rasa_url, case, sender())
    assert outcome.ok, outcome


def test_the_assistant_still_answers_after_the_corpus(assistant):
    me = sender()
    for case in TEXTS:
        rest_text(assistant.stack.rasa_url, case, me)
    assert rest_still_answers(assistant.stack.rasa_url, sender())
    assert assistant.client.status()["model_file"]
