"""`make chat`: talk to the running assistant over the REST channel, buttons as numbered choices."""
from __future__ import annotations

import uuid
from typing import Dict, List, Optional

import requests

from core.identity import bearer_header
from core.settings import Settings


def send(settings: Settings, sender: str, text: str, timeout: float = 30) -> List[Dict]:
    # With RASA_TOKEN, as an operator's tool: it works in production too, where the public REST channel is off.
    response = requests.post(f"{settings.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                             headers=bearer_header(settings.rasa_token), timeout=timeout)
    response.raise_for_status()
    return response.json()


def render(messages: List[Dict]) -> List[Dict]:
    """Print the bot's messages; return the buttons of the last message that had any."""
    buttons: List[Dict] = []
    for message in messages:
        if message.get("text"):
            print(f"\nbot> {message['text']}")
        if message.get("buttons"):
            buttons = message["buttons"]
            for i, b in enumerate(buttons, 1):
                print(f"   [{i}] {b.get('title')}")
    return buttons


def chat(settings: Settings, sender: Optional[str] = None) -> int:
    sender = sender or f"cli:{uuid.uuid4().hex[:8]}"
    print(f"Chatting as {sender} with {settings.rasa_url}. Type a message, a button number, or /quit.")
    buttons: List[Dict] = []
    while True:
        try:
            text = input("\nyou> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if text in ("/quit", "/exit"):
            return 0
        if text.isdigit() and buttons and 1 <= int(text) <= len(buttons):
            text = buttons[int(text) - 1]["payload"]
        try:
            buttons = render(send(settings, sender, text)) or []
        except requests.RequestException as exc:
            print(f"(the assistant is not reachable: {type(exc).__name__}; is `make run` running?)")
