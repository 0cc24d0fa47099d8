"""A small process supervisor: start services in order, wait until each is ready, restart what crashes.

A service that exits on its own is restarted after a backoff (stack/restarts.py) and
waited for until it is ready again, while the others go on serving; a crash loop makes
the supervisor give up and stop everything. Ctrl-C or SIGTERM stops everything.
"""
from __future__ import annotations

import logging
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Set, TextIO

import requests

from stack.restarts import CrashHistory, RestartPolicy, describe

log = logging.getLogger("stack")
WATCH_EVERY = 0.2  # seconds between looks at the children


@dataclass
class Service:
    name: str
    command: List[str]
    ready_url: Optional[str] = None  # GET must answer 2xx when the service is ready
    ready_timeout: float = 120.0
    env: Dict[str, str] = field(default_factory=dict)
    cwd: Optional[str] = None


EPHEMERAL_RANGE_FILE = "/proc/sys/net/ipv4/ip_local_port_range"


def ephemeral_ports() -> range:
    """The ports the kernel hands to outgoing connections (Linux's default where the file is absent)."""
    try:
        with open(EPHEMERAL_RANGE_FILE, encoding="ascii") as fh:
            low, high = (int(p) for p in fh.read().split()[:2])
        return range(low, high + 1)
    except (OSError, ValueError):
        return range(32768, 61000)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now, below the ephemeral range: a port from that range
    (what binding port 0 returns) can be taken by any outgoing connection before the service binds it."""
    start = ephemeral_ports().start
    below = range(max(1024, start - 12000), start)
    for port in random.Random().sample(below, min(200, len(below))):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as sock:  # nothing free below the range: any port the kernel gives
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


def _where(service: Service) -> str:
    return service.ready_url.split("?", 1)[0] if service.ready_url else ""  # the query may hold a token


def _kill_group(pid: int, sig: int = signal.SIGKILL) -> None:
    """Signal a child's process group (each child leads its own), including what it started."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


class Supervisor:
    def __init__(self, out: TextIO = sys.stdout, policy: RestartPolicy = RestartPolicy(),
                 clock: Callable[[], float] = time.monotonic):
        self.out = out
        self.policy = policy
        self.clock = clock
        self.procs: Dict[str, subprocess.Popen] = {}  # the current process of each service
        self.services: Dict[str, Service] = {}  # services started and watched, in start order
        self.restarts: Dict[str, int] = {}  # restarts so far, per service
        self.gave_up: Optional[str] = None  # the service whose crash loop stopped the supervisor
        self._history: Dict[str, CrashHistory] = {}
        self._restarting: Set[str] = set()
        self._stopping = threading.Event()
        self._wake = threading.Event()  # run_forever: a signal or a crash loop
        self._lock = threading.RLock()  # procs, services, _restarting; spawning vs stopping
        self._out_lock = threading.Lock()
        self._watcher: Optional[threading.Thread] = None

    # ---- starting ----------------------------------------------------------------------------------
    def _pump(self, name: str, proc: subprocess.Popen) -> None:
        """Copy a child's output, every line masked: a child may print what its logging did not mask
        (a library writing to stderr, a crash's traceback)."""
        from core.masking import mask_all

        assert proc.stdout is not None
        for line in iter(proc.stdout.readline, ""):
            with self._out_lock:
                self.out.write(f"[{name}] {mask_all(line)}")
                self.out.flush()
        proc.stdout.close()

    def _spawn(self, service: Service) -> subprocess.Popen:
        env = {**os.environ, **service.env}
        proc = subprocess.Popen(
            service.command, env=env, cwd=service.cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, bufsize=1, start_new_session=True,
        )
        self.procs[service.name] = proc
        threading.Thread(target=self._pump, args=(service.name, proc), daemon=True, name=f"out-{service.name}").start()
        return proc

    def _ready(self, service: Service, proc: subprocess.Popen) -> bool:
        if not service.ready_url:
            return proc.poll() is None
        return wait_ready(service.ready_url, service.ready_timeout,
                          alive=lambda: proc.poll() is None and not self._stopping.is_set())

    def start(self, service: Service) -> None:
        """Start a service and wait until it is ready; from then on it is restarted when it crashes."""
        with self._lock:
            if self._stopping.is_set():
                raise RuntimeError(f"{service.name} not started: the stack is stopping")
            proc = self._spawn(service)
        if not self._ready(service, proc):
            raise RuntimeError(f"{service.name} did not become ready at {_where(service)}"
                               if service.ready_url else f"{service.name} exited at start-up")
        where = _where(service)
        log.info("%s is up%s (pid %s)", service.name, f" at {where}" if where else "", proc.pid)
        with self._lock:
            self.services[service.name] = service
            self._history.setdefault(service.name, CrashHistory(self.policy))
            self.restarts.setdefault(service.name, 0)
            if self._watcher is None:
                self._watcher = threading.Thread(target=self._watch, daemon=True, name="supervisor")
                self._watcher.start()

    # ---- watching and restarting -------------------------------------------------------------------
    def _watch(self) -> None:
        while not self._stopping.wait(WATCH_EVERY):
            with self._lock:
                exited = [(name, self.procs[name]) for name in self.services
                          if name not in self._restarting and self.procs[name].poll() is not None]
            for name, proc in exited:
                if self._stopping.is_set():
                    return
                self._crashed(name, proc)

    def _crashed(self, name: str, proc: subprocess.Popen) -> None:
        _kill_group(proc.pid)  # whatever the service had started goes with it (and frees its port)
        verdict = self._history[name].crashed(self.clock())
        message = describe(name, proc.returncode, verdict, self.policy)
        if verdict.give_up:
            log.error(message)
            with self._lock:
                del self.services[name]  # not watched any more
            self.gave_up = name
            self._wake.set()
            return
        log.warning(message)
        with self._lock:
            self._restarting.add(name)
        threading.Thread(target=self._restart, args=(name, verdict.delay), daemon=True,
                         name=f"restart-{name}").start()

    def _restart(self, name: str, delay: float) -> None:
        try:
            if self._stopping.wait(delay):
                return
            service = self.services[name]
            with self._lock:
                if self._stopping.is_set():
                    return
                proc = self._spawn(service)
                self.restarts[name] += 1
            if self._ready(service, proc):
                where = _where(service)
                log.info("%s is up again%s (pid %s, restart %s)", name, f" at {where}" if where else "", proc.pid,
                         self.restarts[name])
            elif proc.poll() is None and not self._stopping.is_set():
                log.error("%s did not become ready within %g s of its restart; killing it", name,
                          service.ready_timeout)
                _kill_group(proc.pid)
                proc.wait()
        finally:
            with self._lock:
                self._restarting.discard(name)  # an exit from here on counts as a crash again

    # ---- stopping ----------------------------------------------------------------------------------
    def stop(self) -> None:
        with self._lock:
            self._stopping.set()
            procs = list(self.procs.values())
        for proc in reversed(procs):
            if proc.poll() is None:
                _kill_group(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _kill_group(proc.pid)
                proc.wait()

    def run(self, services: List[Service], up_message: str = "stack is up; press Ctrl-C to stop") -> int:
        """Start the services in order and keep them running until Ctrl-C or SIGTERM (0), a failed
        start-up or a crash loop (1); then stop everything."""
        stop_requested = threading.Event()

        def on_signal(signum, _frame):
            log.info("%s received: stopping the stack", signal.Signals(signum).name)
            stop_requested.set()
            self._stopping.set()  # a start-up still waiting for readiness gives up at once
            self._wake.set()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for service in services:
                try:
                    self.start(service)
                except Exception as exc:
                    if stop_requested.is_set():
                        return 0
                    log.error("start-up failed: %s", exc)
                    return 1
            log.info(up_message)
            while not self._wake.wait(1.0):
                pass
            return 0 if stop_requested.is_set() else 1
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
