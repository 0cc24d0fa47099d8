"""`python -m evaluation score FILE`: score a labelled set against the running assistant."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

from core.rasa_client import RasaClient
from core.settings import get_settings, load_dotenv
from evaluation.datasets import DatasetError, DatasetUnavailable, load_items
from evaluation.report import write_report
from evaluation.scoring import score_items, summarize


def cmd_score(args) -> int:
    try:
        items = load_items(Path(args.file))
    except DatasetUnavailable as exc:
        print(f"skipped: {exc}")
        return 0
    except (DatasetError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    settings = get_settings()
    client = RasaClient(args.rasa_url or settings.rasa_url, args.token or settings.rasa_token)
    try:
        client.status()
    except Exception as exc:
        print(f"error: the assistant is not reachable at {client.url} ({type(exc).__name__}); start it with `make run`",
              file=sys.stderr)
        return 2
    results = score_items(client, items, concurrency=args.concurrency)
    summary = summarize(results)
    name = args.name or Path(args.file).stem
    paths = write_report(name, {"assistant": summary}, {"assistant": results}, "assistant")
    o = summary["overall"]
    print(f"{name}: n={o['n']} right={o['right']:.1%} wrong={o['wrong']:.1%} clarified={o['clarified']:.1%} "
          f"fallback={o['fallback']:.1%} errors={o['errors']}")
    print("reports: " + ", ".join(str(p) for p in paths))
    return 0


def cmd_tune(args) -> int:
    from evaluation.tuning import tune

    settings = get_settings()
    config, result = tune(args.rasa_url or settings.rasa_url, args.token or settings.rasa_token, Path(args.dev),
                          write=not args.dry_run)
    print(f"best on {args.dev} + unrelated: right {result['right']:.3f}, wrong {result['wrong']:.3f}, "
          f"out-of-scope answered {result['out_of_scope_answered']:.3f}; {config}")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    load_dotenv()
    parser = argparse.ArgumentParser(prog="python -m evaluation")
    sub = parser.add_subparsers(dest="command", required=True)
    sp = sub.add_parser("score", help="score a labelled set (items: [{t, topic}]) against the running stack")
    sp.add_argument("file")
    sp.add_argument("--name")
    sp.add_argument("--rasa-url")
    sp.add_argument("--token")
    sp.add_argument("--concurrency", type=int, default=4)
    sp.set_defaults(func=cmd_score)
    sp = sub.add_parser("tune", help="tune kb/fusion.json on a development NLU file against the running stack")
    sp.add_argument("--dev", default="tests/nlu/heldout.yml")
    sp.add_argument("--rasa-url")
    sp.add_argument("--token")
    sp.add_argument("--dry-run", action="store_true")
    sp.set_defaults(func=cmd_tune)
    args = parser.parse_args(argv)
    return args.func(args)
