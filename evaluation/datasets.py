"""Loading labelled sets: `items: [{t, topic}]` files and the real-review labels (row + sha1)."""
from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from core.settings import PROJECT_ROOT, get_settings

DEV_NLU = PROJECT_ROOT / "tests" / "nlu" / "heldout.yml"
DEV_UNRELATED = PROJECT_ROOT / "tests" / "kb" / "unrelated.yml"
REVIEWS_CSV = Path("data") / "jmo-reviews-2025" / "ulasan_jmo_playstore.csv"  # under the shared directory


class DatasetError(ValueError):
    pass


class DatasetUnavailable(DatasetError):
    """The set reads text from ../shared, which is not present here."""


@dataclass(frozen=True)
class Item:
    text: str
    topic: str
    ref: str = ""  # where it came from (e.g. "review row 123")


# What a conversation's last turn should do (conversation sets, `expect:`).
EXPECTATIONS = ("topic", "escalate", "ticket")


@dataclass(frozen=True)
class Conversation:
    """A multi-turn case: the participant's messages in order; only the last turn is scored."""
    kind: str
    turns: Tuple[str, ...]
    expect: Dict[str, Any]
    ref: str = ""

    @property
    def expected(self) -> str:
        """One label for reports: a topic code, "escalate" or "ticket"."""
        if self.expect.get("topic"):
            return str(self.expect["topic"])
        return "ticket" if self.expect.get("ticket") else "escalate"


def is_conversation_set(path: Path) -> bool:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return isinstance(data, dict) and isinstance(data.get("conversations"), list)


def load_conversations(path: Path) -> List[Conversation]:
    """A conversation set: `conversations: [{kind, turns: [...], expect: {topic | escalate | ticket, offer}}]`."""
    from kb.topics import topics_by_code

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("conversations"), list):
        raise DatasetError(f"{path}: expected 'conversations: [...]'")
    known = topics_by_code()
    out = []
    for i, raw in enumerate(data["conversations"], 1):
        turns = raw.get("turns") if isinstance(raw, dict) else None
        expect = raw.get("expect") if isinstance(raw, dict) else None
        if not isinstance(turns, list) or not turns or not isinstance(expect, dict):
            raise DatasetError(f"{path}: conversation {i} needs 'turns' (a list) and 'expect' (a mapping)")
        if not any(expect.get(k) for k in EXPECTATIONS):
            raise DatasetError(f"{path}: conversation {i}: expect one of {EXPECTATIONS}")
        topic = expect.get("topic")
        if topic and topic not in known:
            raise DatasetError(f"{path}: conversation {i}: unknown topic {topic!r}")
        out.append(Conversation(str(raw.get("kind") or "other"), tuple(str(t) for t in turns), dict(expect),
                                f"conversation {i}"))
    return out


def load_items(path: Path) -> List[Item]:
    """A labelled set: `items: [{t, topic}]`, or review labels `items: [{row, sha1, topic}]`."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise DatasetError(f"{path}: expected 'items: [...]'")
    raw = data["items"]
    if raw and "row" in raw[0]:
        return load_review_items(raw)
    items = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or "t" not in item or "topic" not in item:
            raise DatasetError(f"{path}: item {i + 1} needs 't' and 'topic'")
        items.append(Item(str(item["t"]), str(item["topic"]), f"item {i + 1}"))
    return items


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def load_review_items(raw: List[dict], csv_path: Optional[Path] = None) -> List[Item]:
    csv_path = csv_path or Path(get_settings().shared_dir) / REVIEWS_CSV
    if not csv_path.exists():
        raise DatasetUnavailable(f"real reviews not found at {csv_path} (../shared is absent); skipping")
    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = [r["review"] for r in csv.DictReader(fh)]
    items = []
    for entry in raw:
        row = int(entry["row"])
        if not 1 <= row <= len(rows):
            raise DatasetError(f"review row {row} is outside the file ({len(rows)} rows)")
        text = rows[row - 1]
        if entry.get("sha1") and _sha(text) != entry["sha1"]:
            raise DatasetError(f"review row {row} changed (sha1 {_sha(text)} != {entry['sha1']})")
        items.append(Item(text, str(entry["topic"]), f"review row {row}"))
    return items


def development_set(nlu_file: Path = DEV_NLU, unrelated_file: Path = DEV_UNRELATED) -> List[Tuple[str, str]]:
    """(text, topic) pairs for tuning thresholds: held-out NLU messages of knowledge topics and out of scope,
    and the unrelated messages as out of scope. Never the sets that evaluations report."""
    from kb.topics import OUT_OF_SCOPE_TOPIC
    from rasa_ext.training_data import topic_examples

    dev = [(t, topic or OUT_OF_SCOPE_TOPIC) for t, topic in topic_examples(nlu_file)]
    if unrelated_file.exists():
        dev += [(str(i["t"]), "out_of_scope") for i in yaml.safe_load(unrelated_file.read_text(encoding="utf-8"))["items"]]
    return dev
