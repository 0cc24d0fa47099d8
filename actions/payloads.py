"""Button payloads: Rasa parses `/intent{"entity": "value"}` directly, skipping NLU."""
from __future__ import annotations

import json

from rasa_ext.intents import intent_for_topic


def topic_payload(topic: str, faq_id: str | None = None) -> str:
    intent = intent_for_topic(topic)
    return f"/{intent}{json.dumps({'faq_id': faq_id}, separators=(',', ':'))}" if faq_id else f"/{intent}"


AFFIRM = "/affirm"
DENY = "/deny"
HANDOFF = "/human_handoff"
REQUEST_TICKET = "/request_ticket"
