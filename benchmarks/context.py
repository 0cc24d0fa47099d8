"""What reading messages in the light of the conversation costs: the same stack with the context on and off.

Closed-loop load as in `make bench-chat` (each conversation sends 8 held-out paraphrases one after
another, so every message after the first arrives with a pending "was this helpful?" and a topic
in context). The context is switched off with CONVERSATION_CONTEXT=off on the action server; the
model, data and everything else are the same. Levels alternate on/off so machine noise hits both.
"""
from __future__ import annotations

from typing import Dict, List

from benchmarks.common import assistant_stack, bench_texts, machine, write_json, write_markdown
from benchmarks.load import rest_sender, run_load

CONCURRENCY = (1, 20)
DURATION = 20.0
ROUNDS = 2
MODES = {"on": {}, "off": {"CONVERSATION_CONTEXT": "off"}}


def run() -> Dict[str, Dict[int, List[dict]]]:
    texts = bench_texts()
    out: Dict[str, Dict[int, List[dict]]] = {mode: {c: [] for c in CONCURRENCY} for mode in MODES}
    for round_ in range(ROUNDS):
        for mode, env in MODES.items():
            with assistant_stack(env) as stack:
                send = rest_sender(stack.rasa_url)
                run_load(send, texts, 2, duration=3.0)  # warm-up
                for c in CONCURRENCY:
                    result = run_load(send, texts, c, duration=DURATION).summary()
                    out[mode][c].append(result)
                    print(f"round {round_ + 1}, context {mode}, {c:>2} chats: p95 {result['p95_ms']:.0f} ms, "
                          f"{result['throughput_msg_s']:.1f} msg/s, errors {result['errors']}")
    return out


def _mean(rows: List[dict], key: str) -> float:
    return sum(r[key] for r in rows) / len(rows)


def report(data: dict) -> str:
    r = data["results"]
    lines = ["# What the conversation's context costs", "",
             f"Machine: {data['machine']['cpus']} CPUs, {data['machine']['memory_gb']} GiB; "
             f"commit {data['machine']['commit']}.",
             f"Closed-loop load over REST, {DURATION:.0f} s per level, {ROUNDS} rounds alternating on/off; messages: "
             "the held-out knowledge-base paraphrases, 8 per conversation.", "",
             "| context | chats | p95 ms (each round) | mean p95 ms | msg/s (mean) | errors |",
             "|---|---|---|---|---|---|"]
    for mode in MODES:
        for c in CONCURRENCY:
            rows = r[mode][c]
            each = " / ".join(f"{x['p95_ms']:.0f}" for x in rows)
            lines.append(f"| {mode} | {c} | {each} | {_mean(rows, 'p95_ms'):.0f} | "
                         f"{_mean(rows, 'throughput_msg_s'):.1f} | {sum(x['errors'] for x in rows)} |")
    lines += [""]
    for c in CONCURRENCY:
        on, off = _mean(r["on"][c], "p95_ms"), _mean(r["off"][c], "p95_ms")
        lines.append(f"- {c} chats: p95 with context / without = {on / off:.2f}x ({on - off:+.0f} ms)")
    return "\n".join(lines) + "\n"


def main() -> None:
    data = {"machine": machine(), "results": run()}
    write_json("bench-context", data)
    path = write_markdown("bench-context", report(data))
    print(f"report: {path}")


if __name__ == "__main__":
    main()
