"""Writing evaluation reports: Markdown for people, JSON for tools, a PNG chart."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

from core.settings import PROJECT_ROOT
from evaluation.scoring import ItemResult

REPORTS_DIR = PROJECT_ROOT / "reports"


def _pct(x: Optional[float]) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def markdown(name: str, systems: Dict[str, Dict[str, Any]], per_topic_of: str) -> str:
    lines = [f"# Evaluation: {name}", ""]
    lines += ["| system | n | right | wrong | clarified | fallback/ticket | out-of-scope answered from KB | p50 ms | p95 ms |",
              "|---|---|---|---|---|---|---|---|---|"]
    for system, s in systems.items():
        o = s["overall"]
        lines.append(f"| {system} | {o['n']} | {_pct(o['right'])} | {_pct(o['wrong'])} | {_pct(o['clarified'])} | "
                     f"{_pct(o['fallback'])} | {_pct(s.get('out_of_scope_answered'))} | "
                     f"{s['latency_ms']['p50']:.0f} | {s['latency_ms']['p95']:.0f} |")
    main = systems[per_topic_of]
    lines += ["", f"## Per topic ({per_topic_of})", "", "| topic | n | right | wrong | clarified | fallback |", "|---|---|---|---|---|---|"]
    for topic, s in main["per_topic"].items():
        lines.append(f"| {topic} | {s['n']} | {_pct(s['right'])} | {_pct(s['wrong'])} | {_pct(s['clarified'])} | {_pct(s['fallback'])} |")
    lines += ["", "## Confusions (expected -> answered)", ""]
    lines += [f"- {k}: {v}" for k, v in list(main["confusions"].items())[:30]] or ["- none"]
    lines += ["", "## Slowest items", ""]
    lines += [f"- {r['latency_ms']:.0f} ms: {r['text'][:80]!r} ({r['expected']} -> {r['outcome']})"
              for r in main["slowest"]]
    return "\n".join(lines) + "\n"


def conversations_markdown(name: str, summary: Dict[str, Any]) -> str:
    """Multi-turn set: the last turn of each conversation, overall and by kind."""
    head = ("| part | n | right | right or escalated | wrong | clarified | fallback | staff offered with the answer |",
            "|---|---|---|---|---|---|---|---|")
    def row(label: str, s: Dict[str, Any]) -> str:
        return (f"| {label} | {s['n']} | {_pct(s['right'])} | {_pct(s['right_or_escalated'])} | {_pct(s['wrong'])} | "
                f"{_pct(s['clarified'])} | {_pct(s['fallback'])} | {_pct(s['offer_made'])} |")
    lines = [f"# Evaluation: {name} (multi-turn, last turn scored)", "", *head, row("all", summary["overall"])]
    lines += [row(kind, s) for kind, s in summary["per_kind"].items()]
    lines += ["", f"Last-turn latency: p50 {summary['latency_ms']['p50']:.0f} ms, p95 {summary['latency_ms']['p95']:.0f} ms.",
              "", "## Misses (wrong, clarified wrong, fallback)", ""]
    for miss in summary["misses"]:
        turns = " / ".join(repr(t[:70]) for t in miss["turns"])
        got = miss["got_topic"] or (f"options {miss['suggested']}" if miss["suggested"] else None) or \
            (f"ticket {miss['ticket']}" if miss["ticket"] else "nothing")
        lines.append(f"- [{miss['kind']}] {turns}: expected {miss['expected']}, got {got} ({miss['outcome']})")
    if not summary["misses"]:
        lines.append("- none")
    return "\n".join(lines) + "\n"


def write_conversations_report(name: str, summary: Dict[str, Any], results: Sequence[Any],
                               out_dir: Path = REPORTS_DIR) -> List[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    md, js = out_dir / f"eval-{name}.md", out_dir / f"eval-{name}.json"
    md.write_text(conversations_markdown(name, summary), encoding="utf-8")
    js.write_text(json.dumps({"name": name, "summary": summary, "items": [r.to_dict() for r in results]},
                             ensure_ascii=False, indent=1), encoding="utf-8")
    return [md, js]


def plot(path: Path, systems: Dict[str, Dict[str, Any]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(systems)
    metrics = ["right", "wrong", "clarified", "fallback"]
    fig, ax = plt.subplots(figsize=(8, 4))
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        values = [100 * systems[name]["overall"][m] for m in metrics]
        ax.bar([x + i * width for x in range(len(metrics))], values, width, label=name)
    ax.set_xticks([x + width * (len(names) - 1) / 2 for x in range(len(metrics))])
    ax.set_xticklabels(metrics)
    ax.set_ylabel("% of items")
    ax.set_ylim(0, 100)
    ax.legend()
    ax.set_title("Outcomes per system")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(name: str, systems: Dict[str, Dict[str, Any]], results: Mapping[str, Sequence[ItemResult]],
                 main_system: str, out_dir: Path = REPORTS_DIR) -> List[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    md, js, png = out_dir / f"eval-{name}.md", out_dir / f"eval-{name}.json", out_dir / f"eval-{name}.png"
    md.write_text(markdown(name, systems, main_system), encoding="utf-8")
    js.write_text(json.dumps({"name": name, "systems": systems,
                              "items": {k: [r.to_dict() for r in v] for k, v in results.items()}},
                             ensure_ascii=False, indent=1), encoding="utf-8")
    plot(png, systems)
    return [md, js, png]
