"""Rasa's NLU training data (YAML) read as examples: (text, intent) pairs, or (text, topic) for calibration.

Plain Python (yaml), so that calibration, the evaluation and the generators read the
training data without loading Rasa.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import List, Optional, Tuple

import yaml

from core.settings import PROJECT_ROOT
from kb.topics import OUT_OF_SCOPE_TOPIC
from rasa_ext.intents import is_kb_intent, topic_for_intent

NLU_DIR = PROJECT_ROOT / "data" / "nlu"
# Generated from the content's own question variants: not independent of the index, so never dev data.
GENERATED = {"kb_variants.yml"}
_ANNOTATION = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")


def nlu_examples(source: Path = NLU_DIR) -> List[Tuple[str, str]]:
    """(text, intent) pairs from a Rasa NLU YAML file or folder, entity annotations removed."""
    pairs = []
    paths = [p for p in sorted(source.glob("*.yml")) if p.name not in GENERATED] if source.is_dir() else [source]
    for path in paths:
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    pairs.append((_ANNOTATION.sub(r"\1", line[2:]).strip(), block["intent"]))
    return pairs


def topic_examples(source: Path = NLU_DIR) -> List[Tuple[str, Optional[str]]]:
    """(text, knowledge topic) for the knowledge intents' examples and (text, None) for the out-of-scope ones,
    in file order; the dialogue's examples are left out."""
    out: List[Tuple[str, Optional[str]]] = []
    for text, intent in nlu_examples(source):
        topic = topic_for_intent(intent)
        if topic == OUT_OF_SCOPE_TOPIC:
            out.append((text, None))
        elif is_kb_intent(intent):
            out.append((text, topic))
    return out
