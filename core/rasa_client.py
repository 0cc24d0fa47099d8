"""A small HTTP client for Rasa's REST channel and HTTP API (requests only, no Rasa imports)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

import requests
from requests.adapters import HTTPAdapter

from core.identity import bearer_header


class RasaUnavailable(RuntimeError):
    """Rasa did not answer (down, slow, or an error status)."""


def _pooled_session(connections: int = 64) -> requests.Session:
    """requests keeps 10 connections per host by default; a gateway serving many chats at once needs more."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=connections)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class RasaClient:
    def __init__(self, url: str, token: str = "", timeout: float = 30.0, session: Optional[requests.Session] = None):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.http = session or _pooled_session()

    def _params(self) -> Dict[str, str]:
        return {"token": self.token} if self.token else {}

    def send(self, sender: str, text: str, metadata: Optional[Dict[str, Any]] = None,
             timeout: Optional[float] = None) -> List[Dict[str, Any]]:
        """Send a participant message over the REST channel; returns the bot's messages.

        With the token, the client is the gateway (or an operator's tool) and may speak for Telegram
        chats (`tg:<chat id>`); without it, only for the public REST channel's senders (core/identity.py)."""
        body: Dict[str, Any] = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        return self._post("/webhooks/rest/webhook", body, timeout, headers=bearer_header(self.token))

    def _post(self, path: str, body: Dict[str, Any], timeout: Optional[float], params: Optional[dict] = None,
              headers: Optional[Dict[str, str]] = None) -> Any:
        try:
            response = self.http.post(f"{self.url}{path}", json=body, params=params, headers=headers,
                                      timeout=timeout or self.timeout)
        except requests.RequestException as exc:
            raise RasaUnavailable(f"Rasa unreachable: {type(exc).__name__}") from exc
        if not 200 <= response.status_code < 300:
            raise RasaUnavailable(f"Rasa answered HTTP {response.status_code}")
        return response.json()

    def tracker(self, sender: str, include_events: str = "ALL") -> Dict[str, Any]:
        try:
            response = self.http.get(f"{self.url}/conversations/{requests.utils.quote(sender, safe=':@')}/tracker",
                                     params={**self._params(), "include_events": include_events},
                                     timeout=self.timeout)
        except requests.RequestException as exc:
            raise RasaUnavailable(f"Rasa unreachable: {type(exc).__name__}") from exc
        if not 200 <= response.status_code < 300:
            raise RasaUnavailable(f"Rasa answered HTTP {response.status_code}")
        return response.json()

    def slots(self, sender: str) -> Dict[str, Any]:
        return self.tracker(sender, include_events="NONE").get("slots") or {}

    def status(self) -> Dict[str, Any]:
        response = self.http.get(f"{self.url}/status", params=self._params(), timeout=self.timeout)
        response.raise_for_status()
        return response.json()

    def parse(self, text: str, timeout: Optional[float] = None) -> Dict[str, Any]:
        """Rasa's NLU reading of `text` (intent, ranking, entities), without touching any conversation."""
        return self._post("/model/parse", {"text": text}, timeout, params=self._params())
