"""A small process supervisor: start services in order, wait until each is ready, stop all together."""
from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

import requests

log = logging.getLogger("stack")


@dataclass
class Service:
    name: str
    command: List[str]
    ready_url: Optional[str] = None  # GET must answer 2xx when the service is ready
    ready_timeout: float = 120.0
    env: Dict[str, str] = field(default_factory=dict)
    cwd: Optional[str] = None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(url: str, timeout: float, alive: Callable[[], bool] = lambda: True) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            return False
        try:
            if 200 <= requests.get(url, timeout=2).status_code < 300:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.5)
    return False


class Supervisor:
    def __init__(self, out=sys.stdout):
        self.out = out
        self.procs: Dict[str, subprocess.Popen] = {}
        self._stopping = False
        self._lock = threading.Lock()

    def _pump(self, name: str, proc: subprocess.Popen) -> None:
        """Copy a child's output, every line masked: a child may print what its logging did not mask
        (a library writing to stderr, a crash's traceback)."""
        from core.masking import mask_all

        assert proc.stdout is not None
        for line in iter(proc.stdout.readline, ""):
            with self._lock:
                self.out.write(f"[{name}] {mask_all(line)}")
                self.out.flush()

    def start(self, service: Service) -> None:
        env = {**os.environ, **service.env}
        proc = subprocess.Popen(
            service.command, env=env, cwd=service.cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, bufsize=1, start_new_session=True,
        )
        self.procs[service.name] = proc
        threading.Thread(target=self._pump, args=(service.name, proc), daemon=True).start()
        if service.ready_url:
            if not wait_ready(service.ready_url, service.ready_timeout, alive=lambda: proc.poll() is None):
                raise RuntimeError(f"{service.name} did not become ready at {service.ready_url}")
        where = service.ready_url.split("?", 1)[0] if service.ready_url else ""  # the query may hold a token
        log.info("%s is up%s", service.name, f" ({where})" if where else "")

    def stop(self) -> None:
        self._stopping = True
        for name, proc in reversed(list(self.procs.items())):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 15
        for proc in self.procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)

    def run_forever(self) -> int:
        """Block until a service exits or the user presses Ctrl-C; then stop everything."""
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        try:
            while not stop.is_set():
                for name, proc in self.procs.items():
                    if proc.poll() is not None:
                        log.error("%s exited with code %s; stopping the stack", name, proc.returncode)
                        return 1
                stop.wait(1.0)
            return 0
        finally:
            self.stop()
