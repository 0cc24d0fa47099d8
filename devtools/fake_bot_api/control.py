"""Test control over HTTP, for a fake running in another process (benchmarks).

POST /_test/inject/<kind> (JSON body: the arguments of the server's inject_<kind>),
POST /_test/fail (JSON body: the arguments of the server's fail()), POST /_test/clear_faults,
GET /_test/state, GET /_test/wait/messages?chat_id=&count=&timeout=.
"""
from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Union

from aiohttp import web

if TYPE_CHECKING:
    from devtools.fake_bot_api.server import FakeBotAPI

JSON = Dict[str, Any]
INJECTED = ("text", "command", "callback", "edit", "photo", "sticker", "location", "update")


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(description: str, status: int = 400) -> web.Response:
    return web.json_response({"ok": False, "description": description}, status=status)


def add_routes(app: web.Application, server: "FakeBotAPI") -> None:
    async def inject(request: web.Request) -> web.Response:
        kind = request.match_info["kind"]
        if kind not in INJECTED:
            return _error(f"unknown kind {kind!r}; one of {sorted(INJECTED)}", 404)
        try:
            return _ok(getattr(server, f"inject_{kind}")(**(await request.json())))
        except (TypeError, ValueError, KeyError) as exc:
            return _error(f"{type(exc).__name__}: {exc}")

    async def fail(request: web.Request) -> web.Response:
        try:
            return _ok(asdict(server.fail(**(await request.json()))))
        except (TypeError, ValueError) as exc:
            return _error(f"{type(exc).__name__}: {exc}")

    async def clear_faults(request: web.Request) -> web.Response:
        server.clear_faults()
        return _ok(True)

    async def state(request: web.Request) -> web.Response:
        return _ok(server.state())

    async def wait_messages(request: web.Request) -> web.Response:
        q = request.query
        try:
            return _ok(await server.wait_for_messages(int(q["chat_id"]), int(q.get("count", 1)),
                                                      float(q.get("timeout", 5))))
        except TimeoutError as exc:
            return _error(str(exc), 408)

    app.router.add_post("/_test/inject/{kind}", inject)
    app.router.add_post("/_test/fail", fail)
    app.router.add_post("/_test/clear_faults", clear_faults)
    app.router.add_get("/_test/state", state)
    app.router.add_get("/_test/wait/messages", wait_messages)


class FakeBotAPIError(RuntimeError):
    pass


class FakeBotAPIClient:
    """Synchronous client of the /_test/ endpoints of a server running elsewhere."""

    def __init__(self, url: str, timeout: float = 60.0):
        import httpx

        self.url = url.rstrip("/")
        self._http = httpx.Client(timeout=timeout)

    def _call(self, verb: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(verb, f"{self.url}/_test/{path}", **kwargs)
        body = response.json()
        if not body.get("ok"):
            raise (TimeoutError if response.status_code == 408 else FakeBotAPIError)(body.get("description"))
        return body["result"]

    def inject(self, kind: str, **fields: Any) -> JSON:
        """kind: one of INJECTED; fields: the arguments of the matching FakeBotAPI.inject_* method."""
        return self._call("POST", f"inject/{kind}", json=fields)

    def fail(self, method: Optional[str] = None, kind: Union[str, int] = "server_error", *, times: Optional[int] = 1,
             chat_id: Optional[int] = None, retry_after: int = 5, description: Optional[str] = None) -> JSON:
        """As FakeBotAPI.fail(): the next `times` calls of `method` (None: any) answer with an error."""
        return self._call("POST", "fail", json={"method": method, "kind": kind, "times": times, "chat_id": chat_id,
                                                 "retry_after": retry_after, "description": description})

    def clear_faults(self) -> None:
        self._call("POST", "clear_faults", json={})

    def state(self) -> JSON:
        return self._call("GET", "state")

    def wait_for_messages(self, chat_id: int, count: int = 1, timeout: float = 5.0) -> List[JSON]:
        return self._call("GET", "wait/messages", params={"chat_id": chat_id, "count": count, "timeout": timeout})

    def close(self) -> None:
        self._http.close()
