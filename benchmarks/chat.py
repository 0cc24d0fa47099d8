"""Chat latency benchmark over the REST channel: this assistant next to the stock `rasa init` assistant.

Both run on this machine in the same run, one after the other, with the same
load: closed-loop conversations at 1 and 20 concurrent senders. Our assistant
answers knowledge-base questions (the held-out paraphrases); the stock one
answers the same messages with its own NLU and policies.
"""
from __future__ import annotations

import socket
import tempfile
import time
from pathlib import Path
from typing import Dict, List

from benchmarks.common import REPORTS_DIR, machine, write_json, write_markdown
from benchmarks.load import ProcessSampler, rest_sender, run_load
from benchmarks.stock import ensure_stock_assistant, stock_service
from kb.quality import load_labelled
from stack.local import running_stack
from stack.supervisor import Supervisor
from stack.training import train_if_needed

CONCURRENCY = (1, 10, 20, 50)
DURATION = 20.0
QUERIES = Path(__file__).resolve().parents[1] / "tests" / "kb" / "heldout_paraphrases.yml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(url: str, texts: List[str], pids: Dict[str, int]) -> Dict[int, dict]:
    send = rest_sender(url)
    run_load(send, texts, 2, duration=3.0)  # warm-up: first requests load lazily built parts
    out = {}
    for c in CONCURRENCY:
        with ProcessSampler(pids) as sampler:
            result = run_load(send, texts, c, duration=DURATION)
        out[c] = {**result.summary(), "processes": sampler.summary()}
        print(f"  {c:>3} concurrent: p50 {out[c]['p50_ms']:.0f} ms, p95 {out[c]['p95_ms']:.0f} ms, "
              f"{out[c]['throughput_msg_s']:.1f} msg/s, errors {out[c]['errors']}")
    return out


def run() -> dict:
    texts = [t for t, _ in load_labelled(QUERIES)]
    t0 = time.perf_counter()
    model = train_if_needed()
    ours_train = time.perf_counter() - t0
    stock_model, stock_train = ensure_stock_assistant()
    results: Dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        with open(Path(tmp) / "stack.log", "w") as log, \
                running_stack(url, free_port(), free_port(), model=model, log=log) as stack:
            print("this assistant (REST, SQLite tracker store):")
            pids = {name: proc.pid for name, proc in stack.supervisor.procs.items()}
            results["assistant"] = measure(stack.rasa_url, texts, pids)
    supervisor = Supervisor(out=open("/dev/null", "w"))
    port = free_port()
    try:
        supervisor.start(stock_service(port, stock_model))
        print("stock rasa init assistant (REST, in-memory tracker store):")
        results["rasa_init"] = measure(f"http://127.0.0.1:{port}", texts,
                                       {"rasa-init": supervisor.procs["rasa-init"].pid})
    finally:
        supervisor.stop()
    return {"results": results, "training_s": {"assistant_if_needed": round(ours_train, 1),
                                                 "rasa_init": round(stock_train, 1) if stock_train else None}}


def report(data: dict) -> str:
    r = data["results"]
    lines = ["# Chat latency benchmark (REST channel)", "",
             f"Machine: {data['machine']['cpus']} CPUs, {data['machine']['memory_gb']} GiB; commit {data['machine']['commit']}.",
             f"Closed-loop load, {DURATION:.0f} s per level; messages: the held-out knowledge-base paraphrases.", "",
             "| system | concurrent | p50 ms | p95 ms | p99 ms | msg/s | errors |", "|---|---|---|---|---|---|---|"]
    for system in ("assistant", "rasa_init"):
        for c, s in r[system].items():
            lines.append(f"| {system} | {c} | {s['p50_ms']:.0f} | {s['p95_ms']:.0f} | {s['p99_ms']:.0f} | "
                         f"{s['throughput_msg_s']:.1f} | {s['errors']} |")
    lines += ["", "Ratios (assistant / rasa init):", ""]
    for c in CONCURRENCY:
        a, b = r["assistant"][c], r["rasa_init"][c]
        lines.append(f"- {c} concurrent: p95 {a['p95_ms'] / b['p95_ms']:.2f}x, throughput "
                     f"{a['throughput_msg_s'] / b['throughput_msg_s']:.2f}x")
    lines += ["", "Processes under load (mean / max CPU %, max RSS MB):", ""]
    for system in ("assistant", "rasa_init"):
        for c, s in r[system].items():
            for name, p in s["processes"].items():
                lines.append(f"- {system} @ {c}: {name}: {p['cpu_percent_mean']} / {p['cpu_percent_max']} %, {p['rss_mb_max']} MB")
    lines += ["", f"Training: {data['training']}", ""]
    return "\n".join(lines)


def main() -> None:
    data = run()
    data = {"machine": machine(), "results": data["results"], "training": data["training_s"]}
    write_json("bench-chat", data)
    print(write_markdown("bench-chat", report(data)))


if __name__ == "__main__":
    main()
