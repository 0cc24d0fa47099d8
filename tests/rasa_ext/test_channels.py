"""The REST input channel (rasa_ext/channels.py) over real HTTP, on a Sanic server of its own.

Rasa's message handler is replaced by one that records each message and echoes it, so every
policy (development, production with and without REST_CHANNEL_SECRET) runs in milliseconds; the
channel inside the real Rasa server, with the real assistant behind it, is tested in
tests/assistant/test_channel_identity.py and tests/hostile/.
"""
from __future__ import annotations

import asyncio
import json
import threading
import uuid
from typing import List

import httpx
import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from core.identity import ChannelPolicy
from core.input_limits import MAX_MESSAGE_CHARS, MAX_REQUEST_BYTES
from core.ratelimit import RateLimiter
from rasa_ext.channels import ParticipantRestInput
from stack.supervisor import free_port

TOKEN = "internal-token-0123456789"
SECRET = "rest-secret-0123456789ab"


class Channel:
    def __init__(self, url: str, received: List[UserMessage]):
        self.url = url
        self.received = received

    async def post(self, body=None, *, token: str = "", content=None, content_type: str = "application/json",
                   **kwargs) -> httpx.Response:
        headers = {"Content-Type": content_type} if content_type else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            content = json.dumps(body).encode()
        async with httpx.AsyncClient(timeout=10) as client:
            return await client.post(f"{self.url}/webhooks/rest/webhook", content=content, headers=headers, **kwargs)


class ChannelServer:
    """One Sanic server for the module, in a thread of its own (Sanic 21.12 prepares its HTTP code once per
    process, so it cannot start an app per test); each test sets the channel's policy and rate limit."""

    def __init__(self) -> None:
        self.app = Sanic(f"channel-test-{uuid.uuid4().hex[:8]}", configure_logging=False)
        self.channel = ParticipantRestInput(ChannelPolicy())
        self.received: List[UserMessage] = []

        async def handle(message: UserMessage) -> None:
            self.received.append(message)
            await message.output_channel.send_text_message(message.sender_id, f"echo: {message.text}")

        self.app.blueprint(self.channel.blueprint(handle), url_prefix="/webhooks/rest")
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self._ready = threading.Event()

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)

        async def start():
            server = await self.app.create_server(host="127.0.0.1", port=self.port, return_asyncio_server=True)
            await server.startup()
            return server

        self.server = self.loop.run_until_complete(start())
        self._ready.set()
        self.loop.run_forever()

    def start(self) -> "ChannelServer":
        self.thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def configured(self, policy: ChannelPolicy, rate_limit: int = 20) -> Channel:
        self.channel.policy = policy
        self.channel.limiter = RateLimiter(rate_limit, 60.0)
        self.received.clear()
        return Channel(f"http://127.0.0.1:{self.port}", self.received)


@pytest.fixture(scope="module")
def channel_server():
    server = ChannelServer().start()
    yield server
    server.stop()


@pytest.fixture
def channel(channel_server):
    return channel_server.configured(ChannelPolicy(internal_token=TOKEN), rate_limit=5)


@pytest.fixture
def production(channel_server):
    return channel_server.configured(ChannelPolicy(internal_token=TOKEN, production=True))


@pytest.fixture
def production_with_secret(channel_server):
    return channel_server.configured(ChannelPolicy(internal_token=TOKEN, rest_secret=SECRET, production=True))


async def test_the_spoof_of_a_telegram_participant_is_refused(channel):
    response = await channel.post({"sender": "tg:7001", "message": "status tiket MDK-000031"})
    assert response.status_code == 403
    assert response.json() == {"error": "reserved_sender", "message": "sender ids beginning with 'tg:' belong to the "
                               "Telegram channel; the REST channel cannot use them"}
    assert channel.received == []


async def test_the_gateway_speaks_for_telegram_chats_and_its_metadata_is_kept(channel):
    body = {"sender": "tg:7001", "message": "halo", "metadata": {"telegram": {"language_code": "en"}},
            "input_channel": "whatever"}
    response = await channel.post(body, token=TOKEN)
    assert response.json() == [{"recipient_id": "tg:7001", "text": "echo: halo"}]
    (message,) = channel.received
    assert message.input_channel == "telegram" and message.metadata == {"telegram": {"language_code": "en"}}


async def test_a_public_sender_is_the_rest_channel_whatever_the_body_says(channel):
    body = {"sender": "web-42", "message": "halo", "input_channel": "telegram",
            "metadata": {"reply_to_ticket": "MDK-000031", "telegram": {"user_id": 7001}}}
    assert (await channel.post(body)).json() == [{"recipient_id": "web-42", "text": "echo: halo"}]
    (message,) = channel.received
    assert message.input_channel == "rest" and message.metadata is None  # only the gateway sends metadata


async def test_production_without_a_secret_has_no_public_rest_channel(production):
    response = await production.post({"sender": "web-42", "message": "halo"})
    assert response.status_code == 403 and response.json()["error"] == "rest_channel_off"
    assert "REST_CHANNEL_SECRET" in response.json()["message"]
    assert (await production.post({"sender": "tg:7001", "message": "halo"}, token=TOKEN)).status_code == 200
    assert (await production.post({"sender": "cli:ab12", "message": "halo"}, token=TOKEN)).status_code == 200
    assert [m.sender_id for m in production.received] == ["tg:7001", "cli:ab12"]


async def test_production_with_a_secret_asks_every_public_request_for_it(production_with_secret):
    channel = production_with_secret
    assert (await channel.post({"sender": "web-42", "message": "halo"})).status_code == 401
    assert (await channel.post({"sender": "web-42", "message": "halo"}, token="guess")).status_code == 401
    assert (await channel.post({"sender": "web-42", "message": "halo"}, token=SECRET)).status_code == 200
    # Its secret does not open the Telegram namespace.
    assert (await channel.post({"sender": "tg:7001", "message": "halo"}, token=SECRET)).status_code == 403
    assert [m.sender_id for m in channel.received] == ["web-42"]


async def test_an_overlong_message_is_cut_before_the_nlu_and_the_participant_told(channel):
    response = await channel.post({"sender": "web-42", "message": "how do I claim jht " * 1000})
    note, echo = response.json()
    assert "only read its first 4096 characters" in note["text"]  # in the participant's language
    (message,) = channel.received
    assert len(message.text) <= MAX_MESSAGE_CHARS and echo["text"] == f"echo: {message.text}"


@pytest.mark.parametrize("text", ["", "   \n\t", "\u200b\u200f\ufeff", "\x00\x1b"])
async def test_an_empty_message_is_answered_without_the_assistant(channel, text):
    response = await channel.post({"sender": "web-42", "message": text})
    assert response.json() == [{"recipient_id": "web-42", "text": "Pesan Anda kosong. Silakan tulis pertanyaan Anda."}]
    assert channel.received == []


async def test_a_public_sender_is_rate_limited_and_others_are_not(channel):
    statuses = [(await channel.post({"sender": "web-42", "message": f"halo {i}"})).status_code for i in range(6)]
    assert statuses == [200] * 5 + [429]
    refused = await channel.post({"sender": "web-42", "message": "halo"})
    assert refused.headers["Retry-After"] == "60" and "terlalu banyak" in refused.json()["message"]
    assert (await channel.post({"sender": "web-43", "message": "halo"})).status_code == 200
    # The gateway limits per Telegram chat itself.
    gateway = [(await channel.post({"sender": "tg:7001", "message": "x"}, token=TOKEN)).status_code for _ in range(6)]
    assert gateway == [200] * 6


MALFORMED = {
    "invalid-utf8": (b'{"sender": "web-42", "message": "\xff\xfe"}', "application/json", 400, "invalid_encoding"),
    "truncated-json": (b'{"sender": "web-42", "message": ', "application/json", 400, "invalid_json"),
    "nested-too-deep": (b"[" * 50_000 + b"]" * 10_000, "application/json", 400, "invalid_json"),  # nested past the parser's depth
    "json-array": (b'["web-42", "halo"]', "application/json", 400, "bad_request"),
    "json-null": (b"null", "application/json", 400, "bad_request"),
    "message-number": (b'{"sender": "web-42", "message": 5}', "application/json", 400, "bad_request"),
    "message-list": (b'{"sender": "web-42", "message": ["a"]}', "application/json", 400, "bad_request"),
    "no-sender": (b'{"message": "halo"}', "application/json", 400, "invalid_sender"),
    "sender-with-space": (b'{"sender": "web 42", "message": "halo"}', "application/json", 400, "invalid_sender"),
    "form-encoded": (b"sender=web-42&message=halo", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    "text-plain": (b'{"sender": "web-42", "message": "halo"}', "text/plain", 415, "unsupported_media_type"),
    "no-content-type": (b'{"sender": "web-42", "message": "halo"}', "", 415, "unsupported_media_type"),
    "over-1MiB": (b'{"sender": "web-42", "message": "' + b"a" * MAX_REQUEST_BYTES + b'"}', "application/json", 413,
     "payload_too_large"),
}


@pytest.mark.parametrize("content, content_type, status, error", MALFORMED.values(), ids=MALFORMED.keys())
async def test_malformed_requests_get_a_clear_4xx(channel, content, content_type, status, error):
    response = await channel.post(content=content, content_type=content_type)
    assert response.status_code == status and response.json()["error"] == error and response.json()["message"]
    assert channel.received == []


async def test_an_oversized_body_without_a_length_is_refused_too(channel):
    async def chunks():
        for _ in range(200):
            yield b"x" * 10_000

    response = await channel.post(content=chunks())
    assert response.status_code == 413 and response.json()["error"] == "payload_too_large"


async def test_a_json_media_type_with_parameters_is_json(channel):
    response = await channel.post(content=b'{"sender": "web-42", "message": "halo"}',
                                  content_type="application/json; charset=utf-8")
    assert response.status_code == 200
