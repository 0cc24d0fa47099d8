"""A tiny local stand-in for Rasa's HTTP API, for tests where Rasa itself is not the point.

It speaks what the gateway and the dashboard use: the REST channel
(`POST /webhooks/rest/webhook`, answered by a reply function the test scripts),
`GET /status` and `GET /conversations/<sender>/tracker` (these two need `?token=`,
as on Rasa). Rasa's own behaviour is tested against the real server (tests/assistant,
and the gateway's `stack` tests).
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, List
from urllib.parse import parse_qs, unquote, urlsplit

Reply = Callable[[str, str, dict], List[dict]]  # (sender, text, metadata) -> Rasa's messages


def echo(sender: str, text: str, metadata: dict) -> List[dict]:
    return [{"text": f"Jawaban untuk: {text}"}]


class FakeRasa:
    def __init__(self, token: str, reply: Reply = echo):
        self.token = token
        self.reply = reply
        self.delay = 0.0  # seconds each REST answer takes (a slow Rasa)
        self.trackers: Dict[str, dict] = {}
        self.requests: List[str] = []  # every request's path and query
        self.received: List[dict] = []  # REST channel bodies (sender, message, metadata), in arrival order
        self.authorizations: List[str] = []  # the Authorization header of each REST channel request
        self.status = 200  # anything else: every endpoint fails with it
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                owner.requests.append(self.path)
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                segments = parts.path.strip("/").split("/")
                if query.get("token") != [owner.token]:
                    return self._send(401, {"status": "failure", "reason": "NotAuthenticated"})
                if owner.status != 200:
                    return self._send(owner.status, {"status": "failure"})
                if segments == ["status"]:
                    return self._send(200, {"model_file": "fake-rasa.tar.gz", "num_active_training_jobs": 0})
                if len(segments) == 3 and segments[0] == "conversations" and segments[2] == "tracker":
                    sender = unquote(segments[1])
                    return self._send(200, owner.trackers.get(sender, {"sender_id": sender, "events": []}))
                return self._send(404, {"status": "failure"})

            def do_POST(self):
                owner.requests.append(self.path)
                if urlsplit(self.path).path != "/webhooks/rest/webhook":
                    return self._send(404, {"status": "failure"})
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                owner.received.append(body)
                owner.authorizations.append(self.headers.get("Authorization") or "")
                if owner.status != 200:
                    return self._send(owner.status, {"status": "failure"})
                if owner.delay:
                    time.sleep(owner.delay)
                sender = body["sender"]
                messages = owner.reply(sender, body["message"], body.get("metadata") or {})
                return self._send(200, [{"recipient_id": sender, **m} for m in messages])

            def _send(self, code, body):
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        # A short poll interval: shutdown() waits for it (0.5 s by default) at the end of every test.
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def texts_from(self, sender: str) -> List[str]:
        """What `sender` sent over the REST channel, in order."""
        return [b["message"] for b in self.received if b["sender"] == sender]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def user(ts, text, intent, confidence):
    return {"event": "user", "timestamp": ts, "text": text,
            "parse_data": {"intent": {"name": intent, "confidence": confidence}, "entities": []}}


def bot(ts, text, buttons=()):
    return {"event": "bot", "timestamp": ts, "text": text,
            "data": {"buttons": [{"title": b, "payload": "/x"} for b in buttons]}}


def slot(ts, name, value):
    return {"event": "slot", "timestamp": ts, "name": name, "value": value}


def action(ts, name):
    return {"event": "action", "timestamp": ts, "name": name}
