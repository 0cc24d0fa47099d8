"""Training time from scratch, this assistant and the stock `rasa init` assistant, measured in the same run."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict

from benchmarks.stock import STOCK_DIR, ensure_stock_assistant
from core.settings import PROJECT_ROOT


def _timed(command, cwd: Path) -> float:
    with tempfile.TemporaryDirectory() as cache:  # an empty training cache: really from scratch
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                       env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONPATH": str(PROJECT_ROOT),
                            "RASA_CACHE_DIRECTORY": cache})
        return time.perf_counter() - started


def measure_training() -> Dict[str, float]:
    ensure_stock_assistant()
    with tempfile.TemporaryDirectory() as tmp:
        ours = _timed([sys.executable, "-m", "rasa", "train", "--config", "config.yml", "--domain", "domain",
                       "--data", "data", "--out", tmp, "--fixed-model-name", "timing"], PROJECT_ROOT)
        stock = _timed([sys.executable, "-m", "rasa", "train", "--out", tmp, "--fixed-model-name", "stock-timing"],
                       STOCK_DIR)
    return {"assistant_s": round(ours, 1), "rasa_init_s": round(stock, 1)}
