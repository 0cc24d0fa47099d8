"""The reference: the stock assistant that `rasa init` creates, trained and served the stock way."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

from core.settings import VAR_DIR
from stack.supervisor import Service

STOCK_DIR = VAR_DIR / "bench" / "rasa-init"


def ensure_stock_assistant(directory: Path = STOCK_DIR) -> tuple:
    """Create and train the `rasa init` project once; returns (model path, training seconds or None if cached)."""
    models = sorted((directory / "models").glob("*.tar.gz")) if directory.exists() else []
    if models:
        return models[-1], None
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(directory)],
                   check=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}, stdout=subprocess.DEVNULL,
                   stderr=subprocess.STDOUT, cwd=directory.parent)
    seconds = time.perf_counter() - started
    models = sorted((directory / "models").glob("*.tar.gz"))
    if not models:
        raise RuntimeError("rasa init did not produce a model")
    return models[-1], seconds


def stock_service(port: int, model: Path, directory: Path = STOCK_DIR, token: Optional[str] = None) -> Service:
    command = [sys.executable, "-m", "rasa", "run", "--port", str(port), "--interface", "127.0.0.1",
               "--model", str(model), "--enable-api"]
    if token:
        command.append(f"--auth-token={token}")  # a token may begin with "-"
    return Service(name="rasa-init", command=command, ready_url=f"http://127.0.0.1:{port}/",
                   ready_timeout=300, env={"TF_CPP_MIN_LOG_LEVEL": "2"}, cwd=str(directory))
