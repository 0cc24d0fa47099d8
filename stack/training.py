"""Train the Rasa model only when its inputs changed (a content fingerprint names the model)."""
from __future__ import annotations

import hashlib
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Iterable, List, Optional

from core.settings import PROJECT_ROOT

log = logging.getLogger("stack")

MODELS_DIR = PROJECT_ROOT / "models"
# Everything that changes the trained model: Rasa's files, the custom tokenizer and the lexicon it uses.
TRAINING_INPUTS = ("config.yml", "domain", "data", "rasa_ext/tokenizer.py", "kb/normalize.py", "kb/lexicon.yml")


def _files(root: Path, inputs: Iterable[str]) -> List[Path]:
    files: List[Path] = []
    for name in inputs:
        path = root / name
        if path.is_dir():
            files += [p for p in sorted(path.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
        elif path.is_file():
            files.append(path)
    return files


def fingerprint(root: Path = PROJECT_ROOT, inputs: Iterable[str] = TRAINING_INPUTS) -> str:
    digest = hashlib.sha256()
    for path in _files(root, inputs):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_path(fp: Optional[str] = None, models_dir: Path = MODELS_DIR) -> Path:
    return models_dir / f"assistant-{fp or fingerprint()}.tar.gz"


def model_fingerprint(model_file: str) -> Optional[str]:
    """The training fingerprint a model file is named after (`model_path`); None for any other model."""
    match = re.fullmatch(r"assistant-([0-9a-f]+)\.tar\.gz", Path(model_file).name)
    return match.group(1) if match else None


def train_if_needed(force: bool = False, models_dir: Path = MODELS_DIR, root: Path = PROJECT_ROOT) -> Path:
    """The model for the current inputs, training it first when it does not exist yet."""
    fp = fingerprint(root)
    target = model_path(fp, models_dir)
    if target.exists() and not force:
        log.info("model is up to date: %s", target.name)
        return target
    log.info("training data or config changed: training %s", target.name)
    models_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "rasa", "train", "--config", "config.yml", "--domain", "domain",
               "--data", "data", "--out", str(models_dir), "--fixed-model-name", target.name[: -len(".tar.gz")]]
    subprocess.run(command, cwd=root, env=env, check=True)
    if not target.exists():
        raise RuntimeError(f"rasa train finished but {target} is missing")
    prune(models_dir, keep=target)
    return target


def prune(models_dir: Path, keep: Path, spare: int = 1) -> None:
    """Delete older assistant models, keeping `keep` and the `spare` most recent others."""
    older = sorted((p for p in models_dir.glob("assistant-*.tar.gz") if p != keep),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    for path in older[spare:]:
        path.unlink(missing_ok=True)
