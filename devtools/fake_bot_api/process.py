"""The fake as a process of its own: `python -m devtools.fake_bot_api`, and `FakeBotAPIProcess`, which starts it."""
from __future__ import annotations

import argparse
import asyncio
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, List, Optional

from devtools.fake_bot_api.control import FakeBotAPIClient
from devtools.fake_bot_api.server import DEFAULT_TOKEN, FakeBotAPI

READY_PREFIX = "fake_bot_api ready:"


async def _serve(args: argparse.Namespace) -> None:
    server = await FakeBotAPI(token=args.token, host=args.host, port=args.port).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print(f"{READY_PREFIX} {server.url}", flush=True)
    await stop.wait()
    await server.stop()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.fake_bot_api",
                                     description="A local server speaking the Telegram Bot API calls the gateway makes.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port (printed on the ready line)")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    asyncio.run(_serve(parser.parse_args(argv)))
    return 0


class FakeBotAPIProcess:
    """`python -m devtools.fake_bot_api` as a child process: `with FakeBotAPIProcess() as proc: proc.client...`."""

    def __init__(self, token: str = DEFAULT_TOKEN, port: int = 0, host: str = "127.0.0.1", ready_timeout: float = 20.0):
        self.token, self.port, self.host, self.ready_timeout = token, port, host, ready_timeout
        self.process: Optional[subprocess.Popen] = None
        self.url = ""
        self.client: Optional[FakeBotAPIClient] = None

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    def start(self) -> "FakeBotAPIProcess":
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
                   PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "devtools.fake_bot_api", "--host", self.host, "--port", str(self.port),
             "--token", self.token], cwd=root, env=env, stdout=subprocess.PIPE, text=True)
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            if select.select([self.process.stdout], [], [], 0.2)[0]:
                line = self.process.stdout.readline()
                if line.startswith(READY_PREFIX):
                    self.url = line[len(READY_PREFIX):].strip()
                    self.port = int(self.url.rsplit(":", 1)[1])
                    self.client = FakeBotAPIClient(self.url)
                    return self
        self.stop()
        raise RuntimeError("the fake Bot API process did not start")

    def stop(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stdout:
            self.process.stdout.close()

    def __enter__(self) -> "FakeBotAPIProcess":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
