"""`python -m evaluation score FILE`: score a labelled set against the running assistant."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import List, Optional

from core.rasa_client import RasaClient
from core.settings import get_settings, load_dotenv
from evaluation.datasets import DatasetError, DatasetUnavailable, is_conversation_set, load_conversations, load_items
from evaluation.report import write_report
from evaluation.scoring import score_items, summarize


def _client(args) -> Optional[RasaClient]:
    settings = get_settings()
    client = RasaClient(args.rasa_url or settings.rasa_url, args.token or settings.rasa_token)
    try:
        client.status()
    except Exception as exc:
        print(f"error: the assistant is not reachable at {client.url} ({type(exc).__name__}); start it with `make run`",
              file=sys.stderr)
        return None
    return client


def cmd_score_conversations(args) -> int:
    from evaluation.conversations import score_conversations, summarize_conversations
    from evaluation.report import write_conversations_report

    try:
        conversations = load_conversations(Path(args.file))
    except (DatasetError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    client = _client(args)
    if client is None:
        return 2
    results = score_conversations(client, conversations, concurrency=args.concurrency)
    summary = summarize_conversations(results)
    name = args.name or Path(args.file).stem
    paths = write_conversations_report(name, summary, results)
    for part, s in [("all", summary["overall"]), *summary["per_kind"].items()]:
        print(f"{name} [{part}]: n={s['n']} right={s['right']:.1%} right_or_escalated={s['right_or_escalated']:.1%} "
              f"wrong={s['wrong']:.1%} clarified={s['clarified']:.1%} fallback={s['fallback']:.1%} errors={s['errors']}")
    print("reports: " + ", ".join(str(p) for p in paths))
    return 0


def cmd_score(args) -> int:
    if Path(args.file).exists() and is_conversation_set(Path(args.file)):
        return cmd_score_conversations(args)
    try:
        items = load_items(Path(args.file))
    except DatasetUnavailable as exc:
        print(f"skipped: {exc}")
        return 0
    except (DatasetError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    client = _client(args)
    if client is None:
        return 2
    settings = get_settings()
    results = {"assistant": score_items(client, items, concurrency=args.concurrency)}
    if not args.no_baselines:
        results["tfidf_baseline"] = tfidf_baseline_results(items)
        if not args.no_stock:
            results["rasa_default_pipeline"] = stock_pipeline_results(settings, items, args.concurrency)
    systems = {name: summarize(r) for name, r in results.items()}
    name = args.name or Path(args.file).stem
    paths = write_report(name, systems, results, "assistant")
    for system, summary in systems.items():
        o = summary["overall"]
        print(f"{name} [{system}]: n={o['n']} right={o['right']:.1%} wrong={o['wrong']:.1%} "
              f"clarified={o['clarified']:.1%} fallback={o['fallback']:.1%} errors={o['errors']}")
    print("reports: " + ", ".join(str(p) for p in paths))
    return 0


def tfidf_baseline_results(items):
    from evaluation.baselines import TfidfBaseline
    from evaluation.datasets import development_set
    from kb.content import read_entries

    baseline = TfidfBaseline(read_entries())
    baseline.tune(development_set())
    return baseline.score(items)


def stock_pipeline_results(settings, items, concurrency: int):
    """Start a Rasa server with the default-pipeline model (same domain, data and action server) and score it."""
    import secrets
    from evaluation.baselines import stock_pipeline_model
    from stack.services import rasa_server
    from stack.supervisor import Supervisor, free_port

    model = stock_pipeline_model()
    port = free_port()
    token = secrets.token_urlsafe(16)
    stock_settings = settings.__class__(**{**settings.__dict__, "rasa_url": f"http://127.0.0.1:{port}",
                                           "rasa_token": token})
    supervisor = Supervisor(out=open(os.devnull, "w"))
    try:
        supervisor.start(rasa_server(stock_settings, model))
        return score_items(RasaClient(stock_settings.rasa_url, token), items, concurrency=concurrency)
    finally:
        supervisor.stop()


def cmd_tune(args) -> int:
    from evaluation.tuning import TuningError, tune

    settings = get_settings()
    try:
        config, result = tune(args.rasa_url or settings.rasa_url, args.token or settings.rasa_token, Path(args.dev),
                              write=not args.dry_run)
    except TuningError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"best on {args.dev} + unrelated: right {result['right']:.3f}, wrong {result['wrong']:.3f}, "
          f"out-of-scope answered {result['out_of_scope_answered']:.3f}; {config}")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    load_dotenv()
    parser = argparse.ArgumentParser(prog="python -m evaluation")
    sub = parser.add_subparsers(dest="command", required=True)
    sp = sub.add_parser("score", help="score a labelled set (items: [{t, topic}]) or a conversation set "
                                      "(conversations: [{kind, turns, expect}]) against the running stack")
    sp.add_argument("file")
    sp.add_argument("--name")
    sp.add_argument("--rasa-url")
    sp.add_argument("--token")
    sp.add_argument("--concurrency", type=int, default=4)
    sp.add_argument("--no-baselines", action="store_true", help="score the assistant only")
    sp.add_argument("--no-stock", action="store_true", help="skip the Rasa default-pipeline baseline (slow to train)")
    sp.set_defaults(func=cmd_score)
    sp = sub.add_parser("tune", help="tune kb/fusion.json on a development NLU file against the running stack")
    sp.add_argument("--dev", default="tests/nlu/heldout.yml")
    sp.add_argument("--rasa-url")
    sp.add_argument("--token")
    sp.add_argument("--dry-run", action="store_true")
    sp.set_defaults(func=cmd_tune)
    args = parser.parse_args(argv)
    return args.func(args)
