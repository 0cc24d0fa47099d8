"""Reading and writing the version-controlled YAML content files (kb/content/*.yml)."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional, Union

import yaml

from kb.entry import Entry, EntryError, validate_entry

CONTENT_DIR = Path(__file__).resolve().parent / "content"
MAX_FILE_BYTES = 5_000_000


class ContentError(ValueError):
    """A content file cannot be used; the message names the file and the problem."""


def _files(path: Path) -> List[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in (".yml", ".yaml"))
    if path.is_file():
        return [path]
    raise ContentError(f"{path}: no such file or directory")


@lru_cache(maxsize=1)
def learned_ids() -> Optional[FrozenSet[str]]:
    """The ids of the version-controlled active entries: the ones whose questions the topic classifier is
    trained on (its training data is generated from these files). None when the content cannot be read:
    then every entry counts as learned."""
    try:
        return frozenset(e.id for e in read_entries() if e.active)
    except (ContentError, OSError):
        return None


def read_entries(path: Union[str, Path] = CONTENT_DIR) -> List[Entry]:
    """Parse and validate every entry under `path` (a file or a folder of .yml files)."""
    entries: List[Entry] = []
    seen: Dict[str, Path] = {}
    for file in _files(Path(path)):
        if file.stat().st_size > MAX_FILE_BYTES:
            raise ContentError(f"{file}: larger than {MAX_FILE_BYTES} bytes")
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise ContentError(f"{file}: not UTF-8 text") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            raise ContentError(f"{file}:{where} malformed YAML ({getattr(exc, 'problem', None) or exc})") from None
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise ContentError(f"{file}: expected a mapping with a list under 'entries'")
        for index, item in enumerate(data["entries"]):
            try:
                entry = validate_entry(item)
            except EntryError as exc:
                raise ContentError(f"{file}: entry #{index + 1}: {exc}") from None
            if entry.id in seen:
                raise ContentError(f"{file}: duplicate id {entry.id!r} (also in {seen[entry.id].name})")
            seen[entry.id] = file
            entries.append(entry)
    return entries


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_entries(entries: List[Entry]) -> str:
    items = []
    for e in entries:
        answer = {lang: text if text.endswith("\n") or "\n" not in text else text + "\n" for lang, text in e.answer.items()}
        items.append({
            "id": e.id, "topic": e.topic, "programs": list(e.programs), "aspects": list(e.aspects),
            "title": dict(e.title),
            "questions": {k: list(v) for k, v in e.questions.items()}, "answer": answer,
            "citations": [c.to_dict() for c in e.citations], "source": e.source, "active": e.active,
        })
        if e.reviewed_at:
            items[-1].update(reviewed_at=e.reviewed_at.isoformat(), reviewed_by=e.reviewed_by,
                             reviewed_digest=e.reviewed_digest)
    return yaml.dump({"entries": items}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


_REVIEW_LINE = re.compile(r"^ *reviewed_(at|by|digest):.*\n", re.MULTILINE)


def stamp_reviewed(path: Union[str, Path], stamps: Dict[str, Dict[str, str]]) -> List[str]:
    """Write reviewed_at/by/digest into the content file's entries named in `stamps` (id -> fields), in place,
    leaving the rest of the file as it is written. Returns the ids stamped."""
    done: List[str] = []
    for file in _files(Path(path)):
        text = file.read_text(encoding="utf-8")
        parts = re.split(r"(?m)^(?= *- id: )", text)
        for i, part in enumerate(parts):
            match = re.match(r"( *)- id: ([a-z0-9-]+)\n", part)
            if not match or match.group(2) not in stamps:
                continue
            fields, indent = stamps[match.group(2)], " " * (len(match.group(1)) + 2)
            body = _REVIEW_LINE.sub("", part)
            tail = len(body) - len(body.rstrip("\n"))
            lines = "".join(f"{indent}reviewed_{k}: {yaml.safe_dump(fields[k]).splitlines()[0]}\n"
                            for k in ("at", "by", "digest") if fields.get(k))
            parts[i] = body.rstrip("\n") + "\n" + lines + "\n" * max(tail - 1, 0)
            done.append(match.group(2))
        file.write_text("".join(parts), encoding="utf-8")
    return done


def write_entries(entries: List[Entry], target: Union[str, Path]) -> List[Path]:
    """Write entries to one file, or (target is a folder) one file per topic group."""
    target = Path(target)
    if target.suffix in (".yml", ".yaml"):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump_entries(entries), encoding="utf-8")
        return [target]
    groups: Dict[str, List[Entry]] = defaultdict(list)
    for e in entries:
        groups[e.topic.split(".", 1)[0]].append(e)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for group, items in sorted(groups.items()):
        path = target / f"{group}.yml"
        path.write_text(dump_entries(items), encoding="utf-8")
        written.append(path)
    return written
