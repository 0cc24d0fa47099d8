"""A tiny local stand-in for Rasa's tracker endpoint, for unit tests of the ticket view only.

It speaks just `GET /conversations/<sender>/tracker?token=...`; everything else about
Rasa is tested against the real server elsewhere (tests/assistant).
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List
from urllib.parse import parse_qs, unquote, urlsplit


class FakeRasa:
    def __init__(self, token: str):
        self.token = token
        self.trackers: Dict[str, dict] = {}
        self.requests: List[str] = []
        self.status = 200
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
                if len(segments) == 3 and segments[0] == "conversations" and segments[2] == "tracker":
                    sender = unquote(segments[1])
                    return self._send(200, owner.trackers.get(sender, {"sender_id": sender, "events": []}))
                return self._send(404, {"status": "failure"})

            def _send(self, code, body):
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

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
