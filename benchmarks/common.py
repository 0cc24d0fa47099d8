"""Shared helpers for benchmark reports."""
from __future__ import annotations

import json
import platform
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterator, Sequence

import numpy as np
import psutil

from core.settings import PROJECT_ROOT, VAR_DIR

if TYPE_CHECKING:
    from stack.local import RunningStack

REPORTS_DIR = PROJECT_ROOT / "reports"
# The load's messages: the held-out knowledge-base paraphrases (real questions, not training data).
QUERIES = PROJECT_ROOT / "tests" / "kb" / "heldout_paraphrases.yml"


def bench_texts() -> list:
    from kb.quality import load_labelled

    return [t for t, _ in load_labelled(QUERIES)]


def percentiles(values: Sequence[float]) -> Dict[str, float]:
    if not values:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "mean": 0.0}
    arr = np.asarray(values, dtype=float)
    return {"p50": float(np.percentile(arr, 50)), "p95": float(np.percentile(arr, 95)),
            "p99": float(np.percentile(arr, 99)), "mean": float(arr.mean())}


def machine() -> Dict[str, Any]:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                                text=True, timeout=5).stdout.strip()
    except Exception:
        commit = ""
    return {"cpus": psutil.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform(), "commit": commit}


def write_json(name: str, data: Dict[str, Any]) -> Path:
    REPORTS_DIR.mkdir(parents=True, exist_ok=True)
    path = REPORTS_DIR / f"{name}.json"
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


def write_markdown(name: str, text: str) -> Path:
    REPORTS_DIR.mkdir(parents=True, exist_ok=True)
    path = REPORTS_DIR / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return path


@contextmanager
def assistant_stack(extra_env: Dict[str, str] | None = None) -> Iterator["RunningStack"]:
    """This assistant's Rasa and action servers on a fresh SQLite database; their log in var/bench-stack.log."""
    from stack.local import running_stack
    from stack.supervisor import free_port
    from stack.training import train_if_needed

    model = train_if_needed()
    VAR_DIR.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, open(VAR_DIR / "bench-stack.log", "w") as log, \
            running_stack(f"sqlite:///{Path(tmp) / 'bench.db'}", free_port(), free_port(), model=model, log=log,
                          extra_env=extra_env) as stack:
        yield stack
