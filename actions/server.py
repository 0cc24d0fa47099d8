"""The action server: rasa-sdk's app, hardened.

rasa-sdk answers an unhandled exception with HTTP 500 *and the whole request*,
tracker and participant text included. Here errors answer with a bare message,
logs are redacted, and messages kept during a database outage are replayed as
tickets once the database is back.
"""
from __future__ import annotations

import argparse
import asyncio
import logging

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response

from core.logs import setup_logging
from core.settings import get_settings, load_dotenv

log = logging.getLogger("actions.server")


def _replay_once() -> int:
    from actions import services
    from monitoring.spool import Spool

    spool = Spool()
    if not spool.pending():
        return 0
    tickets = services.tickets()
    return spool.replay(lambda r: tickets.open("unresolved_question", r["sender_id"], r.get("channel") or "rest",
                                               r.get("text") or "", r.get("language") or "id",
                                               messages=[{"at": r.get("at"), "text": r.get("text")}]))


async def _replay_loop() -> None:
    loop = asyncio.get_running_loop()
    while True:
        try:
            await loop.run_in_executor(None, _replay_once)
        except Exception as exc:  # database still down: try again later
            log.info("kept messages not replayed yet (%s)", type(exc).__name__)
        await asyncio.sleep(get_settings().spool_replay_seconds)


def create_action_app() -> Sanic:
    app = create_app("actions", cors_origins="")
    # Drop rasa-sdk's handler (it echoes the request body) and install one that echoes nothing.
    app._future_exceptions.clear()
    app.error_handler.cached_handlers.clear()

    @app.exception(Exception)
    async def safe_error(request, exception):
        status = getattr(exception, "status_code", 500) or 500
        if status >= 500:
            log.error("action server error: %s", type(exception).__name__, exc_info=exception)
        return response.json({"error": "internal error" if status >= 500 else "bad request"}, status=status)

    @app.listener("after_server_start")
    async def start_replay(app_, loop):
        app_.ctx.replay_task = loop.create_task(_replay_loop())

    @app.listener("before_server_stop")
    async def stop_replay(app_, loop):
        task = getattr(app_.ctx, "replay_task", None)
        if task:
            task.cancel()

    return app


def main() -> None:
    load_dotenv()
    parser = argparse.ArgumentParser(description="BPJS assistant action server")
    parser.add_argument("--host", default=get_settings().action_server_host)
    parser.add_argument("--port", type=int, default=get_settings().action_server_port)
    args = parser.parse_args()
    setup_logging(get_settings().log_level, "actions")
    app = create_action_app()
    app.run(host=args.host, port=args.port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
