"""Knowledge-base search benchmark: index build time and search latency at 100 / 1,000 / 10,000 entries.

Larger knowledge bases are synthetic copies of the real content (ids and one
word per variant changed, so copies are distinct documents). Queries are the
held-out paraphrases, which the index never saw.
"""
from __future__ import annotations

import dataclasses
import random
import time
from pathlib import Path
from typing import List

from benchmarks.common import REPORTS_DIR, bench_texts, machine, percentiles, write_json, write_markdown
from kb.content import read_entries
from kb.entry import Entry
from kb.search import SearchIndex

SIZES = (100, 1_000, 10_000)
FILLER = ["kantor", "layanan", "peserta", "pekerja", "perusahaan", "program", "manfaat", "informasi", "data",
          "proses", "aplikasi", "nomor", "bulan", "tahun", "upah", "dokumen", "cabang", "online", "petugas"]


def synthetic(entries: List[Entry], size: int, seed: int = 7) -> List[Entry]:
    rng = random.Random(seed)
    out = []
    for n in range(size):
        base = entries[n % len(entries)]
        if n < len(entries):
            out.append(base)
            continue
        tag = f"{rng.choice(FILLER)} {rng.choice(FILLER)}"
        questions = {lang: [f"{q} {tag}" for q in qs] for lang, qs in base.questions.items()}
        out.append(dataclasses.replace(base, id=f"{base.id}-copy-{n}", questions=questions))
    return out


def run() -> dict:
    entries = read_entries()
    queries = bench_texts()
    results = {}
    for size in SIZES:
        corpus = synthetic(entries, size)
        started = time.perf_counter()
        index = SearchIndex(corpus)
        build = time.perf_counter() - started
        for q in queries[:20]:  # warm caches (stemmer, corrections) as a running server would be
            index.search(q)
        latencies = []
        for _ in range(3):
            for q in queries:
                t0 = time.perf_counter()
                index.search(q, limit=5)
                latencies.append((time.perf_counter() - t0) * 1000)
        results[size] = {"entries": size, "documents": int(index._weights.shape[0]), "build_s": build,
                         "latency_ms": percentiles(latencies), "queries": len(latencies)}
        print(f"{size:>6} entries: build {build:.2f} s, p50 {results[size]['latency_ms']['p50']:.2f} ms, "
              f"p95 {results[size]['latency_ms']['p95']:.2f} ms")
    return results


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = list(results)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(sizes, [results[s]["latency_ms"]["p50"] for s in sizes], marker="o", label="p50")
    ax.plot(sizes, [results[s]["latency_ms"]["p95"] for s in sizes], marker="o", label="p95")
    ax.axhline(10, color="grey", linestyle="--", label="goal p95 < 10 ms")
    ax.set_xscale("log")
    ax.set_xlabel("entries")
    ax.set_ylabel("search latency (ms)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    results = run()
    info = machine()
    write_json("bench-kb", {"machine": info, "results": results})
    plot(results, REPORTS_DIR / "bench-kb.png")
    lines = ["# Knowledge-base search benchmark", "",
             f"Machine: {info['cpus']} CPUs, {info['memory_gb']} GiB, Python {info['python']}, commit {info['commit']}.",
             "Queries: the held-out paraphrase set (3 passes). Larger sizes are synthetic copies of the content.", "",
             "| entries | documents | index build (s) | p50 (ms) | p95 (ms) | p99 (ms) |", "|---|---|---|---|---|---|"]
    for size, r in results.items():
        lat = r["latency_ms"]
        lines.append(f"| {size:,} | {r['documents']:,} | {r['build_s']:.2f} | {lat['p50']:.2f} | {lat['p95']:.2f} | {lat['p99']:.2f} |")
    goal = results[max(results)]["latency_ms"]["p95"]
    lines += ["", f"Goal p95 < 10 ms at 10,000 entries: {'met' if goal < 10 else 'missed'} ({goal:.2f} ms).",
              "", "![latency](bench-kb.png)", ""]
    print(write_markdown("bench-kb", "\n".join(lines)))


if __name__ == "__main__":
    main()
