"""Plays tests/conversations/*.yml through the real Rasa server and action server."""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import yaml

CONVERSATIONS = sorted((Path(__file__).parents[1] / "conversations").glob("*.yml"))
CASES = [(path.stem, c) for path in CONVERSATIONS for c in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]]

pytestmark = pytest.mark.stack


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[f"{f}:{c['name']}" for f, c in CASES])
def test_conversation(assistant, case):
    sender = f"tg:{uuid.uuid4().int % 10**12}"
    for number, step in enumerate(case["steps"], 1):
        turn = assistant.say(sender, step["user"])
        where = f"step {number} ({step['user']!r}): bot said {turn.text!r}, slots {turn.slots}, intent {turn.intent}"
        expect = step.get("expect") or {}
        if "intent" in expect:
            assert turn.intent == expect["intent"], where
        for fragment in expect.get("text_contains", []):
            assert fragment in turn.text, f"missing {fragment!r}; {where}"
        for fragment in expect.get("text_not_contains", []):
            assert fragment not in turn.text, f"unexpected {fragment!r}; {where}"
        titles = [b["title"] for b in turn.buttons]
        if "buttons" in expect:
            assert titles == expect["buttons"], where
        for title in expect.get("buttons_include", []):
            assert title in titles, f"missing button {title!r}; {where}"
        for slot, value in (expect.get("slots") or {}).items():
            assert turn.slots.get(slot) == value, f"slot {slot}; {where}"
        for slot in expect.get("slots_set", []):
            assert turn.slots.get(slot), f"slot {slot} not set; {where}"
