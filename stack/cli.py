"""`python -m stack <command>`: what `make run`, `make migrate` and friends call."""
from __future__ import annotations

import argparse
import logging
import sys
from typing import List, Optional

from core.logs import setup_logging
from core.settings import ensure_dotenv, get_settings, load_dotenv

log = logging.getLogger("stack")


def cmd_migrate(_args) -> int:
    from core.migrate import upgrade

    upgrade()
    log.info("database migrated: %s", _safe_url(get_settings().database_url))
    return 0


def cmd_load(_args) -> int:
    from kb.cli import main as kb_main

    return kb_main(["import", "--sync"])


def cmd_run(args) -> int:
    from stack.services import services_to_start
    from stack.supervisor import Supervisor

    for step in (cmd_migrate, cmd_load):
        code = step(args)
        if code:
            return code
    from stack.training import train_if_needed

    settings = get_settings()
    if not settings.rasa_token:
        log.error("RASA_TOKEN is empty: set it in .env (it protects Rasa's HTTP API)")
        return 1
    model = train_if_needed()
    services, notes = services_to_start(settings, model)
    for note in notes:
        log.warning(note)
    if not services:
        log.info("knowledge base ready; no long-running services configured yet")
        return 0
    # A service that crashes is restarted (with backoff) while the others keep serving; only a crash
    # loop, a failed start-up, Ctrl-C or SIGTERM stops the stack.
    return Supervisor().run(services)


def cmd_run_cluster(args) -> int:
    """2 Rasa servers, 2 action servers, nginx, the dashboard and the gateway (webhook mode)."""
    from stack.cluster import DEFAULT_DATABASE, ClusterPlan, check_backends, cluster_services, ensure_local_backends, \
        ensure_nginx_installed
    from stack.local import prepare_database
    from stack.supervisor import Supervisor
    from stack.training import train_if_needed

    settings = get_settings()
    if not settings.database_url.startswith("postgresql"):
        log.info("the cluster uses PostgreSQL: DATABASE_URL=%s", DEFAULT_DATABASE)
        settings = settings.__class__(**{**settings.__dict__, "database_url": DEFAULT_DATABASE})
    plan = ClusterPlan()
    try:
        ensure_local_backends(settings.database_url, plan.redis_url)
        check_backends(settings, plan)
        ensure_nginx_installed()
    except Exception as exc:
        log.error("%s", exc)
        return 1
    prepare_database(settings.database_url)
    model = train_if_needed()
    return Supervisor().run(cluster_services(settings, model, plan), (
        f"cluster is up: Rasa via nginx on 127.0.0.1:{plan.rasa_port}, actions via nginx on :{plan.actions_port}, "
        f"webhook on :{plan.webhook_port}; Ctrl-C stops"))


def cmd_train(args) -> int:
    from stack.training import train_if_needed

    print(train_if_needed(force=args.force))
    return 0


def cmd_chat(args) -> int:
    from stack.chat import chat

    return chat(get_settings(), sender=args.sender)


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def main(argv: Optional[List[str]] = None) -> int:
    if ensure_dotenv():
        print("created .env from .env.example with fresh secrets", file=sys.stderr)
    load_dotenv()
    settings = get_settings()
    setup_logging(settings.log_level, "stack")
    parser = argparse.ArgumentParser(prog="python -m stack")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    sub.add_parser("load", help="load kb/content and the branch profile (keeps admin edits)").set_defaults(func=cmd_load)
    sub.add_parser("run", help="migrate, load and start every service").set_defaults(func=cmd_run)
    sub.add_parser("run-cluster", help="the scaled-out topology on this machine").set_defaults(func=cmd_run_cluster)
    sp = sub.add_parser("train", help="train the Rasa model if its inputs changed")
    sp.add_argument("--force", action="store_true")
    sp.set_defaults(func=cmd_train)
    sp = sub.add_parser("chat", help="chat with the running assistant in this terminal")
    sp.add_argument("--sender", help="conversation id (default: a new one)")
    sp.set_defaults(func=cmd_chat)
    args = parser.parse_args(argv)
    return args.func(args)
