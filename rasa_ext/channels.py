"""The REST input channel, with channel identity, input limits and a rate limit.

It replaces Rasa's plain `rest` channel in credentials.yml under the same name, so the URL stays
`POST /webhooks/rest/webhook` with `{"sender", "message"}` (docs/interfaces.md). On top of it:

- **Identity** (`core/identity.py`): the Telegram gateway speaks for `tg:<chat id>` senders with
  `Authorization: Bearer <RASA_TOKEN>`; any other caller is the public REST channel, which cannot use
  `tg:` (or any reserved namespace) and, in production, is off unless `REST_CHANNEL_SECRET` is set and
  presented. A refusal is a 4xx with a JSON body `{"error", "message"}`; nothing reaches Rasa.
  The input channel recorded with the message follows the sender's namespace, never the body, and the
  public channel's `metadata` is dropped (only the gateway sends any).
- **Input limits** (`core/input_limits.py`): the body is read up to 1 MiB (413 beyond), must be JSON
  (415 otherwise) in valid UTF-8 (400); the message is cleaned of invisible characters and cut to 4,096
  characters before the NLU, the participant being told so in the first reply message; an empty message
  is answered at once.
- **Rate limit**: 20 messages a minute per public REST sender (the gateway limits per Telegram chat
  itself); a 429 with `Retry-After` beyond.
"""
from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

import texts
from core.identity import AUTH_HEADER, ChannelPolicy, Decision, presented_credential
from core.language import lang_of
from core.input_limits import MAX_MESSAGE_CHARS, MAX_REQUEST_BYTES, CleanMessage, clean_message
from core.ratelimit import RateLimiter
from core.settings import get_settings
from kb.language import detect_language

log = logging.getLogger(__name__)

RATE_LIMIT = 20  # messages per sender and window, as the gateway allows per Telegram chat
RATE_WINDOW = 60.0


class Refusal(Exception):
    def __init__(self, status: int, error: str, message: str, headers: Optional[Dict[str, str]] = None):
        super().__init__(message)
        self.status, self.error, self.message, self.headers = status, error, message, headers or {}

    def response(self) -> HTTPResponse:
        return response.json({"error": self.error, "message": self.message}, status=self.status,
                             headers=self.headers)


class ParticipantRestInput(RestInput):
    """Rasa's REST channel, answering only for the senders its caller may speak for."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def __init__(self, policy: Optional[ChannelPolicy] = None, rate_limit: int = RATE_LIMIT,
                 rate_window: float = RATE_WINDOW) -> None:
        self.policy = policy or ChannelPolicy()
        self.limiter = RateLimiter(rate_limit, rate_window)

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "ParticipantRestInput":
        credentials = credentials or {}
        policy = ChannelPolicy.from_settings(get_settings())
        if not policy.internal_token:
            log.warning("RASA_TOKEN is not set for the Rasa server: no caller can speak for Telegram chats (tg:)")
        if not policy.public_rest_on:
            log.info("the public REST channel is off (production without REST_CHANNEL_SECRET)")
        return cls(policy, int(credentials.get("rate_limit", RATE_LIMIT)),
                   float(credentials.get("rate_window", RATE_WINDOW)))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("participant_rest", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, message, decision, metadata = await self._admit(request)
            except Refusal as refusal:
                return refusal.response()
            return await self._answer(request, on_new_message, sender, message, decision, metadata)

        return webhook

    async def _admit(self, request: Request) -> Tuple[str, CleanMessage, Decision, Optional[Dict[str, Any]]]:
        """The request's sender, cleaned message, identity decision and metadata; Refusal when refused."""
        body = await _json_body(request)
        if not isinstance(body, dict):
            raise Refusal(400, "bad_request", 'the body must be a JSON object: {"sender": "...", "message": "..."}')
        decision = self.policy.decide(body.get("sender"), presented_credential(request.headers.get(AUTH_HEADER)))
        if not decision.allowed:
            raise Refusal(decision.status, decision.error, decision.message)
        sender: str = body["sender"]
        text = body.get("message")
        if not isinstance(text, str):
            raise Refusal(400, "bad_request", "'message' must be a string")
        message = clean_message(text)
        if not decision.internal and not self.limiter.allow(sender):
            lang = detect_language(message.text[:500], default="id")
            raise Refusal(429, "rate_limited", texts.say("channel.rate_limited", lang),
                          {"Retry-After": str(int(self.limiter.window))})
        metadata = body.get("metadata") if decision.internal and isinstance(body.get("metadata"), dict) else None
        return sender, message, decision, metadata

    async def _answer(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]], sender: str,
                      message: CleanMessage, decision: Decision,
                      metadata: Optional[Dict[str, Any]]) -> HTTPResponse:
        lang = _language(message.text, metadata)
        if message.empty:
            return response.json([{"recipient_id": sender, "text": texts.say("channel.message_empty", lang)}])
        notes: List[Dict[str, Any]] = []
        if message.cut:
            notes.append({"recipient_id": sender, "text": texts.say("channel.message_cut", lang, limit=MAX_MESSAGE_CHARS)})
        collector = CollectingOutputChannel()
        try:
            await on_new_message(UserMessage(message.text, collector, sender, input_channel=decision.channel,
                                             metadata=metadata))
        except asyncio.CancelledError:
            log.error("a REST message timed out (sender's channel: %s)", decision.channel)
        except Exception:
            # Rasa's own channel logs the message text here; a participant's words stay out of the log.
            log.exception("handling a REST message failed (sender's channel: %s)", decision.channel)
        return response.json(notes + collector.messages)


async def _json_body(request: Request) -> Any:
    content_type = (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise Refusal(415, "unsupported_media_type", "send the message as JSON (Content-Type: application/json)")
    declared = request.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > MAX_REQUEST_BYTES:
        raise Refusal(413, "payload_too_large", f"the request body is over {MAX_REQUEST_BYTES} bytes; a message "
                      f"may have at most {MAX_MESSAGE_CHARS} characters")
    chunks: List[bytes] = []
    size = 0
    stream = request.stream
    while stream is not None:
        chunk = await stream.read()
        if chunk is None:
            break
        size += len(chunk)
        if size > MAX_REQUEST_BYTES:  # a chunked body without a Content-Length; Sanic drains the rest
            raise Refusal(413, "payload_too_large", f"the request body is over {MAX_REQUEST_BYTES} bytes; a message "
                          f"may have at most {MAX_MESSAGE_CHARS} characters")
        chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks).decode("utf-8"))
    except UnicodeDecodeError:
        raise Refusal(400, "invalid_encoding", "the request body is not valid UTF-8") from None
    except (ValueError, RecursionError):
        raise Refusal(400, "invalid_json", "the request body is not valid JSON") from None


def _language(text: str, metadata: Optional[Dict[str, Any]]) -> str:
    """The language of the channel's own notes: Telegram's setting when the gateway sends it, else the words."""
    telegram = (metadata or {}).get("telegram")
    code = telegram.get("language_code") if isinstance(telegram, dict) else None
    return lang_of(code) if code else detect_language(text[:500], default="id") or "id"
