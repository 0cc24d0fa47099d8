"""A closed-loop load generator: N concurrent conversations, each sending messages one after another."""
from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence

import psutil
import requests

from benchmarks.common import percentiles


@dataclass
class LoadResult:
    concurrency: int
    messages: int
    errors: int
    seconds: float
    latencies_ms: List[float] = field(repr=False, default_factory=list)

    @property
    def throughput(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0

    def summary(self) -> Dict[str, float]:
        return {"concurrency": self.concurrency, "messages": self.messages, "errors": self.errors,
                "seconds": round(self.seconds, 2), "throughput_msg_s": round(self.throughput, 2),
                **{f"{k}_ms": round(v, 1) for k, v in percentiles(self.latencies_ms).items()}}


def rest_sender(url: str, timeout: float = 60) -> Callable[[requests.Session, str, str], None]:
    endpoint = f"{url.rstrip('/')}/webhooks/rest/webhook"

    def send(session: requests.Session, sender: str, text: str) -> None:
        response = session.post(endpoint, json={"sender": sender, "message": text}, timeout=timeout)
        if not 200 <= response.status_code < 300:
            raise RuntimeError(f"HTTP {response.status_code}")
        response.json()

    return send


def run_load(send: Callable[[requests.Session, str, str], None], texts: Sequence[str], concurrency: int,
             duration: float = 20.0, per_conversation: int = 8, warmup: int = 0,
             prefix: Optional[str] = None) -> LoadResult:
    """Each worker keeps a conversation for `per_conversation` messages, then starts a new one."""
    prefix = prefix or f"bench-{uuid.uuid4().hex[:6]}"
    latencies: List[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def worker(w: int) -> None:
        nonlocal errors
        session = requests.Session()
        i = w * 7
        conversation = 0
        while time.monotonic() < deadline:
            sender = f"{prefix}-{w}-{conversation}"
            for _ in range(per_conversation):
                if time.monotonic() >= deadline:
                    break
                text = texts[i % len(texts)]
                i += 1
                started = time.perf_counter()
                try:
                    send(session, sender, text)
                    elapsed = (time.perf_counter() - started) * 1000
                    with lock:
                        latencies.append(elapsed)
                except Exception:
                    with lock:
                        errors += 1
            conversation += 1

    if warmup:
        for k in range(warmup):
            try:
                send(requests.Session(), f"{prefix}-warm-{k}", texts[k % len(texts)])
            except Exception:
                pass
    threads = [threading.Thread(target=worker, args=(w,), daemon=True) for w in range(concurrency)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return LoadResult(concurrency, len(latencies), errors, time.monotonic() - started, latencies)


class ProcessSampler:
    """Samples CPU and resident memory of process trees while a load runs."""

    def __init__(self, pids: Dict[str, int], interval: float = 0.5):
        self.pids = pids
        self.interval = interval
        self.samples: Dict[str, List[tuple]] = {name: [] for name in pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree(self, pid: int) -> List[psutil.Process]:
        try:
            root = psutil.Process(pid)
            return [root] + root.children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def _run(self) -> None:
        procs = {name: self._tree(pid) for name, pid in self.pids.items()}
        for plist in procs.values():
            for p in plist:
                try:
                    p.cpu_percent(None)
                except psutil.Error:
                    pass
        while not self._stop.wait(self.interval):
            for name, plist in procs.items():
                cpu = rss = 0.0
                for p in plist:
                    try:
                        cpu += p.cpu_percent(None)
                        rss += p.memory_info().rss
                    except psutil.Error:
                        pass
                self.samples[name].append((cpu, rss / 2**20))

    def __enter__(self) -> "ProcessSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> Dict[str, Dict[str, float]]:
        out = {}
        for name, samples in self.samples.items():
            if samples:
                cpus = [s[0] for s in samples]
                out[name] = {"cpu_percent_mean": round(sum(cpus) / len(cpus), 1), "cpu_percent_max": round(max(cpus), 1),
                             "rss_mb_max": round(max(s[1] for s in samples), 1)}
        return out
