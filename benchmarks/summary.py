"""`make bench`'s one report: the benchmarks' own reports, gathered in reports/bench.md."""
from __future__ import annotations

import datetime as dt
import re

from benchmarks.common import REPORTS_DIR, machine, write_markdown

PARTS = [("bench-chat", "Chat latency: this assistant, the stock `rasa init` assistant and the Telegram gateway"),
         ("bench-context", "What reading messages in the light of the conversation costs"),
         ("bench-kb", "Knowledge-base search"),
         ("bench-input", "What the longest allowed message costs"),
         ("bench-cluster", "Scale-out"),
         ("bench-telegram", "Telegram gateway on its own (`make bench-telegram`)")]


def gather() -> str:
    info = machine()
    lines = ["# Benchmarks", "",
             f"Gathered {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on {info['cpus']} CPUs, "
             f"{info['memory_gb']} GiB, commit {info['commit']}. Each section is its benchmark's own report "
             "(figures compared as ratios come from one run of that benchmark).", ""]
    for name, title in PARTS:
        path = REPORTS_DIR / f"{name}.md"
        if not path.exists():
            lines += [f"## {title}", "", f"Not run yet: `make {name}`.", ""]
            continue
        body = path.read_text(encoding="utf-8").strip().split("\n")
        if body and body[0].startswith("# "):
            body = body[1:]  # replaced by the section title
        body = [re.sub(r"^(#+) ", r"#\1 ", line) for line in body]  # nest the report's own headings
        lines += [f"## {title}", "", *body, ""]
    return "\n".join(lines)


def main() -> None:
    print(write_markdown("bench", gather()))


if __name__ == "__main__":
    main()
