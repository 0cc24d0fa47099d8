"""Who may speak for which sender id: namespaces per channel and the credentials that prove a channel.

Every conversation is keyed by its sender id, and the sender id is the participant's identity: it
owns their tickets ("status tiket MDK-…" shows a sender its own tickets only), erasure works on it,
and staff replies to a ticket go back to it. So a sender id says which channel it belongs to:

- `tg:<chat id>` belongs to the Telegram channel. Only the gateway speaks for it, proving itself
  with the internal credential (`RASA_TOKEN`, sent as `Authorization: Bearer <token>`). Whoever
  holds that token can already act for any conversation through Rasa's HTTP API, so a second
  secret for the gateway would add configuration, not protection.
- `staff:<chat id>` names the staff chat in the outbox; no conversation may use it.
- Anything else belongs to the public REST channel (a web widget, `make chat`, the evaluations).
  The REST channel cannot use a reserved namespace, whatever its credential. In production it is
  off unless `REST_CHANNEL_SECRET` is set, and then each request presents that secret.

Framework-free (no Rasa, no Telegram): the Rasa input channel (`rasa_ext/channels.py`), the gateway,
the actions, `monitoring/` and the dashboard read the same rules.
"""
from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from typing import Optional

from core.settings import Settings

TELEGRAM = "telegram"
REST = "rest"
TELEGRAM_PREFIX = "tg:"
# Namespace (the part before the first ":") -> the channel that owns it. Compared case-insensitively.
RESERVED_NAMESPACES = {"tg": TELEGRAM, "staff": TELEGRAM}
TELEGRAM_NAMESPACES = {"tg"}  # the namespaces of conversations the gateway relays ("staff" is the outbox's)
# A sender id is a short printable ASCII word: no spaces, no control or look-alike characters.
SENDER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:@+=-]{0,127}")
AUTH_HEADER = "Authorization"
AUTH_SCHEME = "Bearer"


def telegram_sender(chat_id: int) -> str:
    return f"{TELEGRAM_PREFIX}{int(chat_id)}"


def telegram_chat(sender_id: str) -> Optional[int]:
    """'tg:123' -> 123; None for any other sender (and for 'tg: 123', 'tg:12a', ...)."""
    if not sender_id.startswith(TELEGRAM_PREFIX):
        return None
    rest = sender_id[len(TELEGRAM_PREFIX):]
    return int(rest) if re.fullmatch(r"-?[0-9]{1,20}", rest) else None


def is_telegram(sender_id: Optional[str]) -> bool:
    return telegram_chat(sender_id or "") is not None


def channel_of(sender_id: str) -> str:
    """The channel a sender id belongs to: 'telegram' for tg:<chat id>, else 'rest'."""
    return TELEGRAM if is_telegram(sender_id) else REST


def reserved_channel(sender_id: str) -> Optional[str]:
    """The channel owning the sender id's namespace when that is not the public REST channel."""
    namespace, colon, _ = sender_id.partition(":")
    return RESERVED_NAMESPACES.get(namespace.strip().casefold()) if colon else None


def bearer_header(credential: str) -> dict:
    """The header a caller sends to prove its channel (the gateway: RASA_TOKEN)."""
    return {AUTH_HEADER: f"{AUTH_SCHEME} {credential}"} if credential else {}


def presented_credential(authorization: Optional[str]) -> str:
    scheme, _, value = (authorization or "").strip().partition(" ")
    return value.strip() if scheme.lower() == AUTH_SCHEME.lower() else ""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    status: int = 200
    error: str = ""
    message: str = ""  # for the caller (a developer), English
    channel: str = REST
    internal: bool = False  # the gateway or an operator's tool (holds RASA_TOKEN)


@dataclass(frozen=True)
class ChannelPolicy:
    """What the REST webhook accepts, from the Rasa server's settings."""
    internal_token: str = ""  # RASA_TOKEN
    rest_secret: str = ""  # REST_CHANNEL_SECRET
    production: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> "ChannelPolicy":
        return cls(internal_token=settings.rasa_token, rest_secret=settings.rest_channel_secret,
                   production=settings.is_production)

    @property
    def public_rest_on(self) -> bool:
        return bool(self.rest_secret) or not self.production

    def decide(self, sender_id: object, credential: str) -> Decision:
        """May a request presenting `credential` speak for `sender_id`?"""
        if not isinstance(sender_id, str) or not SENDER_ID.fullmatch(sender_id):
            return Decision(False, 400, "invalid_sender",
                            "'sender' must be 1-128 characters: letters, digits and _ . : @ + = -, "
                            "beginning with a letter or digit")
        internal = bool(self.internal_token) and _same(credential, self.internal_token)
        owner = reserved_channel(sender_id)
        if internal:
            if owner is not None and sender_id.partition(":")[0].strip().casefold() not in TELEGRAM_NAMESPACES:
                return Decision(False, 403, "reserved_sender", f"sender ids in the namespace "
                                f"'{sender_id.partition(':')[0]}:' are not conversations")
            return Decision(True, channel=channel_of(sender_id), internal=True)
        if owner is not None:
            return Decision(False, 403, "reserved_sender",
                            f"sender ids beginning with '{sender_id.partition(':')[0]}:' belong to the "
                            f"{owner.capitalize()} channel; the REST channel cannot use them")
        if self.rest_secret:
            if not _same(credential, self.rest_secret):
                return Decision(False, 401, "missing_credential", "the REST channel needs its secret: "
                                "send 'Authorization: Bearer <REST_CHANNEL_SECRET>'")
            return Decision(True)
        if self.production:
            return Decision(False, 403, "rest_channel_off", "the public REST channel is off in production; "
                            "set REST_CHANNEL_SECRET to turn it on")
        return Decision(True)


def _same(given: str, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
