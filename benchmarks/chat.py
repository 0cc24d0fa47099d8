"""Chat latency benchmark: this assistant over REST and through the Telegram gateway, next to the
stock `rasa init` assistant, all in the same run on this machine.

Closed-loop load: N concurrent conversations, each sending the held-out
knowledge-base paraphrases one after another (8 per conversation). The stock
assistant answers the same messages with its own NLU and policies.
"""
from __future__ import annotations

from typing import Dict, List

from benchmarks import gateway as telegram_bench
from benchmarks.common import REPORTS_DIR, assistant_stack, bench_texts, machine, write_json, write_markdown
from benchmarks.load import ProcessSampler, rest_sender, run_load
from benchmarks.stock import ensure_stock_assistant, stock_service
from benchmarks.training import measure_training
from stack.supervisor import Supervisor, free_port

CONCURRENCY = (1, 10, 20, 50)
DURATION = 20.0


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
    texts = bench_texts()
    stock_model, _ = ensure_stock_assistant()
    print("training from scratch (both assistants):")
    training = measure_training()
    print(f"  {training}")
    results: Dict[str, dict] = {}
    with assistant_stack() as stack:
        print("this assistant (REST, SQLite tracker store):")
        pids = {name: proc.pid for name, proc in stack.supervisor.procs.items()}
        results["assistant"] = measure(stack.rasa_url, texts, pids)
        print("this assistant, REST next to the Telegram gateway:")
        results["gateway"] = telegram_bench.measure(stack, texts, telegram_bench.LEVELS, DURATION)
    supervisor = Supervisor(out=open("/dev/null", "w"))
    port = free_port()
    try:
        supervisor.start(stock_service(port, stock_model))
        print("stock rasa init assistant (REST, in-memory tracker store):")
        results["rasa_init"] = measure(f"http://127.0.0.1:{port}", texts,
                                       {"rasa-init": supervisor.procs["rasa-init"].pid})
    finally:
        supervisor.stop()
    return {"results": results, "training_s": training}


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
    for channel in ("rest", "telegram"):
        for c, s in r["gateway"][channel].items():
            lines.append(f"| assistant via {channel} (gateway run) | {c} | {s['p50_ms']:.0f} | {s['p95_ms']:.0f} | "
                         f"{s['p99_ms']:.0f} | {s['throughput_msg_s']:.1f} | {s['errors']} |")
    lines += ["", "Ratios (assistant / rasa init):", ""]
    for c in CONCURRENCY:
        a, b = r["assistant"][c], r["rasa_init"][c]
        lines.append(f"- {c} concurrent: p95 {a['p95_ms'] / b['p95_ms']:.2f}x, throughput "
                     f"{a['throughput_msg_s'] / b['throughput_msg_s']:.2f}x")
    lines += ["", "Telegram gateway overhead (same stack, same run; p95 Telegram / p95 REST):", ""]
    lines += telegram_bench.overhead_lines(r["gateway"])
    lines += ["", "Processes under load (mean / max CPU %, max RSS MB):", ""]
    for system in ("assistant", "rasa_init"):
        for c, s in r[system].items():
            for name, p in s["processes"].items():
                lines.append(f"- {system} @ {c}: {name}: {p['cpu_percent_mean']} / {p['cpu_percent_max']} %, {p['rss_mb_max']} MB")
    for c, s in r["gateway"]["telegram"].items():
        for name, p in s["processes"].items():
            lines.append(f"- telegram @ {c}: {name}: {p['cpu_percent_mean']} / {p['cpu_percent_max']} %, {p['rss_mb_max']} MB")
    lines += ["", f"Training: {data['training']}", "", "![latency](bench-chat.png)", ""]
    return "\n".join(lines)


def plot(data: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    r = data["results"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
    series = {"assistant (REST)": r["assistant"], "rasa init (REST)": r["rasa_init"],
              "assistant (Telegram)": r["gateway"]["telegram"]}
    for label, rows in series.items():
        levels = sorted(rows)
        ax1.plot(levels, [rows[c]["p95_ms"] for c in levels], marker="o", label=label)
        ax2.plot(levels, [rows[c]["throughput_msg_s"] for c in levels], marker="o", label=label)
    ax1.set_xlabel("concurrent conversations")
    ax1.set_ylabel("p95 latency (ms)")
    ax2.set_xlabel("concurrent conversations")
    ax2.set_ylabel("messages / s")
    ax1.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(REPORTS_DIR / "bench-chat.png", dpi=110)
    plt.close(fig)


def main() -> None:
    data = run()
    data = {"machine": machine(), "results": data["results"], "training": data["training_s"]}
    write_json("bench-chat", data)
    plot(data)
    print(write_markdown("bench-chat", report(data)))


if __name__ == "__main__":
    main()
