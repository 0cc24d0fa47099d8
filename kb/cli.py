"""Admin command line for the knowledge base: `python -m kb <command> ...`.

Every failure prints one clear line to stderr and exits non-zero; an import
that fails changes nothing (it runs in one transaction).
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import List, Optional

import yaml

from core.cli import run_command
from core.db import get_database
from core.settings import get_settings, load_dotenv
from branch.profile import BRANCHES_DIR, BranchError, BranchProfile, read_profile_file
from branch.store import BranchStore
from kb.content import CONTENT_DIR, ContentError, dump_entries, read_entries, stamp_reviewed, write_entries
from kb.freshness import faq_digest
from kb.entry import EntryError, validate_entry
from kb.grounding import check_grounding, load_faq_rows
from kb.service import KnowledgeBase
from kb.store import LOADER, Conflict, ImportRefused, KbStore, NotFound
from kb.validation import validate_collection

SOURCE = "cli"  # the channel named in the audit log


class CliError(Exception):
    pass


def _store(args) -> KbStore:
    return KbStore(get_database(args.db))


def _read_single_entry(path: str) -> dict:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read {path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise CliError(f"{path}: malformed YAML ({exc})") from None
    if isinstance(data, dict) and isinstance(data.get("entries"), list) and len(data["entries"]) == 1:
        data = data["entries"][0]
    if not isinstance(data, dict):
        raise CliError(f"{path}: expected one entry (a mapping of fields)")
    return data


def _set_field(data: dict, assignment: str) -> None:
    key, sep, value = assignment.partition("=")
    if not sep:
        raise CliError(f"--set {assignment!r}: use field=value, e.g. answer.id='...'")
    parts = key.strip().split(".")
    if parts[0] in ("programs",):
        data["programs"] = [p.strip().upper() for p in value.split(",") if p.strip()]
    elif parts[0] == "aspects":
        data["aspects"] = [a.strip().lower() for a in value.split(",") if a.strip()]
    elif parts[0] == "active":
        data["active"] = value.strip().lower() in ("1", "true", "yes", "ya")
    elif parts[0] in ("topic", "source") and len(parts) == 1:
        data[parts[0]] = value
    elif parts[0] == "citations" and len(parts) == 1:
        data["citations"] = value.replace(";", "\n")  # the dashboard's lines, ';'-separated (kb/citation.py)
    elif parts[0] in ("title", "answer") and len(parts) == 2:
        data[parts[0]] = {**data[parts[0]], parts[1]: value}
    elif parts[0] == "questions" and len(parts) == 2:
        data["questions"] = {**data["questions"], parts[1]: [q.strip() for q in value.split("|") if q.strip()]}
    else:
        raise CliError(f"--set {key!r}: unknown field (topic, citations, source, programs, aspects, active, title.id, "
                       f"answer.en, questions.id, ...)")


def cmd_import(args) -> int:
    entries = read_entries(args.path)
    try:
        result = _store(args).import_entries(entries, actor=LOADER if args.sync else args.actor, sync=args.sync,
                                             source=SOURCE, name=Path(args.path).name)
    except ImportRefused as exc:
        raise CliError("the import would add problems, nothing changed:\n  " + "\n  ".join(exc.problems)) from None
    print(f"import {args.path}: {result.summary()}")
    for entry_id in result.kept_admin_edits:
        print(f"  kept admin edit: {entry_id}")
    if args.sync:
        branch_file = Path(args.branch_file) if args.branch_file else None
        if branch_file is None:
            candidate = BRANCHES_DIR / f"{get_settings().branch_code}.yml"
            branch_file = candidate if candidate.exists() else None
        if branch_file is not None:
            print(f"branch profile {branch_file.name}: {BranchStore(get_database(args.db)).sync_from_file(branch_file)}")
    return 0


def cmd_export(args) -> int:
    entries = _store(args).export(args.actor, include_inactive=args.all, source=SOURCE)
    if args.path in (None, "-"):
        sys.stdout.write(dump_entries(entries))
    else:
        for path in write_entries(entries, args.path):
            print(f"wrote {path}")
    return 0


def cmd_list(args) -> int:
    active = None if args.all else (False if args.inactive else True)
    records = _store(args).list(topic=args.topic, active=active, text=args.search, program=args.program)
    for r in records:
        flag = " " if r.entry.active else "x"
        print(f"{flag} {r.entry.id:<40} {r.entry.topic:<30} v{r.version:<3} {r.updated_by:<16} {r.entry.title['id']}")
    print(f"{len(records)} entries")
    return 0


def cmd_show(args) -> int:
    record = _store(args).get(args.id)
    sys.stdout.write(dump_entries([record.entry]))
    print(f"# version {record.version}, last changed by {record.updated_by} at {record.updated_at:%Y-%m-%d %H:%M} UTC")
    return 0


def cmd_add(args) -> int:
    entry = validate_entry(_read_single_entry(args.file))
    record = _store(args).create(entry, actor=args.actor, source=SOURCE)
    print(f"created {record.entry.id} (v{record.version})")
    return 0


def cmd_edit(args) -> int:
    store = _store(args)
    current = store.get(args.id)
    data = _read_single_entry(args.file) if args.file else current.entry.to_dict()
    for assignment in args.set or []:
        _set_field(data, assignment)
    if data.get("id", args.id) != args.id:
        raise CliError(f"the file is for entry {data.get('id')!r}, not {args.id!r}; ids never change")
    data["id"] = args.id
    entry = validate_entry(data)
    if entry == current.entry:
        print(f"{args.id}: no change")
        return 0
    record = store.update(entry, actor=args.actor, expected_version=current.version, note=args.note, source=SOURCE)
    print(f"updated {record.entry.id} (v{record.version})")
    return 0


def cmd_set_active(args) -> int:
    record = _store(args).set_active(args.id, args.command == "activate", actor=args.actor, note=args.note, source=SOURCE)
    print(f"{record.entry.id}: {'active' if record.entry.active else 'inactive'} (v{record.version})")
    return 0


def cmd_revisions(args) -> int:
    for rev in _store(args).revisions(args.id):
        print(f"{rev.id:>6}  v{rev.version:<3} {rev.action:<12} {rev.changed_by:<16} {rev.changed_at:%Y-%m-%d %H:%M}  {rev.note or ''}")
    return 0


def cmd_restore(args) -> int:
    record = _store(args).restore(args.id, args.revision, actor=args.actor, source=SOURCE)
    print(f"restored {record.entry.id} from revision {args.revision} (now v{record.version})")
    return 0


def cmd_search(args) -> int:
    kb = KnowledgeBase(get_database(args.db), get_settings().branch_code, check_interval=0)
    cal = kb.calibration
    candidates = kb.search(args.text, limit=args.limit, programs=args.program or None, groups=args.group or None)
    print(f"tokens: {' '.join(kb.index.tokens(args.text))}")
    print(f"thresholds: answer >= {cal.answer_threshold:.2f}, clarify >= {cal.clarify_threshold:.2f}, margin {cal.margin:.2f}")
    for rank, c in enumerate(candidates, 1):
        print(f"{rank}. {c.score:.3f} (raw {c.raw:.3f})  {c.entry_id:<40} {c.topic:<28} matched: {c.matched[:60]!r}")
    if not candidates:
        print("no candidates")
    return 0


def cmd_validate(args) -> int:
    entries = read_entries(args.path) if args.path else _store(args).active_entries()
    report = validate_collection(entries)
    for w in report.warnings:
        print(f"warning: {w}")
    for e in report.errors:
        print(f"error: {e}", file=sys.stderr)
    topics = {e.topic for e in entries if e.active}
    print(f"{len(entries)} entries, {len(topics)} topics covered, {len(report.errors)} errors, {len(report.warnings)} warnings")
    grounded = _grounding(entries) if args.grounding else True
    return 0 if report.ok and grounded else 1


def _grounding(entries) -> bool:
    report = check_grounding(entries, Path(get_settings().shared_dir))
    if report.unavailable:
        print(f"grounding: not checked, {report.unavailable}", file=sys.stderr)
        return False
    for entry_id, problems in sorted(report.unsupported.items()):
        for problem in problems:
            print(f"unsupported: {entry_id}: {problem}", file=sys.stderr)
    count = sum(len(p) for p in report.unsupported.values())
    print(f"grounding: {report.checked} entries checked, {count} unsupported token(s) in {len(report.unsupported)} entries")
    return report.ok


def cmd_mark_reviewed(args) -> int:
    """Record in the content files that the entries were checked against their sources today."""
    entries = {e.id: e for e in read_entries(args.path)}
    unknown = [i for i in args.ids if i not in entries]
    if unknown:
        raise CliError(f"no entry {', '.join(unknown)} in {args.path}")
    rows = load_faq_rows(Path(get_settings().shared_dir))
    today = dt.date.today().isoformat()
    stamps = {i: {"at": today, "by": args.by, "digest": faq_digest(entries[i], rows)} for i in args.ids}
    done = stamp_reviewed(args.path, stamps)
    read_entries(args.path)  # the files still validate
    print(f"{len(done)} entries marked reviewed by {args.by} on {today}"
          + ("" if rows is not None else " (official FAQ not found: no source fingerprint)"))
    return 0


def cmd_branch(args) -> int:
    store = BranchStore(get_database(args.db))
    code = args.code or get_settings().branch_code
    if args.branch_command == "load":
        loaded = read_profile_file(args.file)
        store.save(loaded, actor=args.actor, source=SOURCE)
        print(f"branch {loaded.code}: saved")
        return 0
    profile = store.get(code)
    if profile is None:
        raise CliError(f"no branch profile {code!r} in the database (run make run or kb branch load FILE)")
    if args.branch_command == "set":
        data = profile.to_dict()
        for assignment in args.assignments:
            key, sep, value = assignment.partition("=")
            if not sep or key not in ("address", "phone", "map_url"):
                raise CliError("branch set takes address=..., phone=... or map_url=... (empty value unsets)")
            data[key] = value.strip() or None
        store.save(BranchProfile.from_dict(data), actor=args.actor, source=SOURCE)
        print(f"branch {code}: saved")
        return 0
    sys.stdout.write(yaml.safe_dump(profile.to_dict(), allow_unicode=True, sort_keys=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m kb", description="Manage the FAQ knowledge base.")
    p.add_argument("--db", help="database URL (default: DATABASE_URL or var/app.db)")
    sub = p.add_subparsers(dest="command", required=True)

    def actor(sp):
        sp.add_argument("--actor", default="cli", help="name recorded on the revision and in the audit log")
        return sp

    sp = actor(sub.add_parser("import", help="load entries from a YAML file or folder"))
    sp.add_argument("path", nargs="?", default=str(CONTENT_DIR))
    sp.add_argument("--sync", action="store_true", help="start-up mode: keep entries an admin edited since loading")
    sp.add_argument("--branch-file", help="with --sync: branch profile to load (default branch/profiles/<BRANCH_CODE>.yml)")
    sp.set_defaults(func=cmd_import)

    sp = actor(sub.add_parser("export", help="write entries to YAML (stdout, a file, or a folder)"))
    sp.add_argument("path", nargs="?")
    sp.add_argument("--all", action="store_true", help="include inactive entries")
    sp.set_defaults(func=cmd_export)

    sp = sub.add_parser("list", help="list entries")
    sp.add_argument("--topic")
    sp.add_argument("--program")
    sp.add_argument("--search", help="substring of id, title or answer")
    sp.add_argument("--inactive", action="store_true")
    sp.add_argument("--all", action="store_true")
    sp.set_defaults(func=cmd_list)

    sp = sub.add_parser("show", help="show one entry")
    sp.add_argument("id")
    sp.set_defaults(func=cmd_show)

    sp = actor(sub.add_parser("add", help="add an entry from a YAML file ('-' for stdin)"))
    sp.add_argument("file")
    sp.set_defaults(func=cmd_add)

    sp = actor(sub.add_parser("edit", help="edit an entry: replace from a file and/or --set fields"))
    sp.add_argument("id")
    sp.add_argument("file", nargs="?")
    sp.add_argument("--set", action="append", metavar="FIELD=VALUE",
                    help="e.g. answer.id='...', citations='faq: 247; regulation: PP 46/2015 | Pasal 31', programs=JHT,JP, "
                         "aspects=documents, questions.en='a|b'")
    sp.add_argument("--note")
    sp.set_defaults(func=cmd_edit)

    for name in ("deactivate", "activate"):
        sp = actor(sub.add_parser(name, help=f"{name} an entry"))
        sp.add_argument("id")
        sp.add_argument("--note")
        sp.set_defaults(func=cmd_set_active)

    sp = sub.add_parser("revisions", help="list an entry's revisions")
    sp.add_argument("id")
    sp.set_defaults(func=cmd_revisions)

    sp = actor(sub.add_parser("restore", help="restore an entry to a revision"))
    sp.add_argument("id")
    sp.add_argument("revision", type=int)
    sp.set_defaults(func=cmd_restore)

    sp = sub.add_parser("search", help="rank entries for a message, with scores")
    sp.add_argument("text")
    sp.add_argument("--limit", type=int, default=5)
    sp.add_argument("--program", action="append")
    sp.add_argument("--group", action="append", help="topic group, e.g. jht, jmo, service")
    sp.set_defaults(func=cmd_search)

    sp = sub.add_parser("validate", help="check content files (or the database) for problems")
    sp.add_argument("path", nargs="?", help="file or folder (default: the database)")
    sp.add_argument("--grounding", action="store_true",
                    help="also check every number, phone, URL and e-mail in answers against the cited sources")
    sp.set_defaults(func=cmd_validate)

    sp = sub.add_parser("mark-reviewed", help="record in content files that entries were checked against their sources")
    sp.add_argument("ids", nargs="+")
    sp.add_argument("--by", required=True, help="who reviewed them")
    sp.add_argument("--path", default=str(CONTENT_DIR), help="content file or folder (default: kb/content)")
    sp.set_defaults(func=cmd_mark_reviewed)

    sp = actor(sub.add_parser("branch", help="show or edit the branch profile"))
    sp.add_argument("branch_command", choices=["show", "set", "load"])
    sp.add_argument("assignments", nargs="*", help="for set: address=..., phone=..., map_url=...")
    sp.add_argument("--code")
    sp.add_argument("--file", help="for load: profile YAML")
    sp.set_defaults(func=cmd_branch)
    return p


def main(argv: Optional[List[str]] = None) -> int:
    load_dotenv()
    args = build_parser().parse_args(argv)
    if getattr(args, "branch_command", None) == "load" and not args.file:
        print("error: branch load needs --file", file=sys.stderr)
        return 2
    return run_command(lambda: args.func(args), (CliError, ContentError, EntryError, BranchError, NotFound, Conflict))
