"""Account administration from the shell: `python -m accounts <command>`.

Passwords are read from a hidden prompt (typed twice), or from the first line of
standard input when it is not a terminal (`--password-stdin` forces that), never
from a command-line argument that would end up in the shell history.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from typing import List, Optional, TextIO

from accounts.models import ROLES
from accounts.passwords import PasswordError
from accounts.users import UserError, UserService
from core.cli import run_command
from core.db import get_database
from core.settings import load_dotenv


class CliError(Exception):
    pass


def read_password(args, stdin: TextIO) -> str:
    if args.password_stdin or not stdin.isatty():
        line = stdin.readline()
        if not line:
            raise CliError("no password on standard input")
        return line.rstrip("\r\n")
    first = getpass.getpass("Kata sandi baru: ")
    second = getpass.getpass("Ulangi kata sandi: ")
    if first != second:
        raise CliError("the two passwords differ")
    return first


def _actor(args) -> str:
    return f"cli:{args.actor}" if args.actor else "cli"


def cmd_create(args, users: UserService, stdin: TextIO) -> int:
    password = read_password(args, stdin)
    user = users.create(args.username, args.display_name or args.username, args.role, password,
                        actor=_actor(args), telegram_user_id=args.telegram_id, source="cli")
    print(f"created {user.role} {user.username}")
    return 0


def cmd_reset(args, users: UserService, stdin: TextIO) -> int:
    if users.get(args.username) is None:
        raise CliError(f"no account {args.username!r}")
    password = read_password(args, stdin)
    user = users.reset_password(args.username, password, actor=_actor(args), source="cli")
    print(f"password of {user.username} reset; the account is unlocked and old sessions are signed out")
    return 0


def cmd_list(args, users: UserService, stdin: TextIO) -> int:
    rows = users.list()
    for u in rows:
        state = "active" if u.active else "inactive"
        tg = str(u.telegram_user_id) if u.telegram_user_id else "-"
        last = f"{u.last_login_at:%Y-%m-%d %H:%M}" if u.last_login_at else "never"
        print(f"{u.username:<24} {u.role:<6} {state:<8} telegram={tg:<12} last login {last}  {u.display_name}")
    print(f"{len(rows)} accounts")
    return 0


def cmd_set_telegram(args, users: UserService, stdin: TextIO) -> int:
    tid = None if args.clear else args.telegram_id
    if tid is None and not args.clear:
        raise CliError("give --telegram-id N or --clear")
    user = users.set_telegram(args.username, tid, actor=_actor(args), source="cli")
    print(f"{user.username}: telegram id {'cleared' if tid is None else tid}")
    return 0


def cmd_set_active(args, users: UserService, stdin: TextIO) -> int:
    user = users.set_active(args.username, args.command == "activate", actor=_actor(args), source="cli")
    print(f"{user.username}: {'active' if user.active else 'inactive'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m accounts", description="Manage dashboard accounts.")
    p.add_argument("--db", help="database URL (default: DATABASE_URL or var/app.db)")
    p.add_argument("--actor", default="", help="who runs this (recorded in the audit log as cli:<actor>)")
    sub = p.add_subparsers(dest="command", required=True)

    sp = sub.add_parser("create-user", help="create an account (password from a prompt or stdin)")
    sp.add_argument("--username", required=True)
    sp.add_argument("--role", choices=ROLES, default="staff")
    sp.add_argument("--display-name")
    sp.add_argument("--telegram-id", type=int)
    sp.add_argument("--password-stdin", action="store_true", help="read the password from the first stdin line")
    sp.set_defaults(func=cmd_create)

    sp = sub.add_parser("reset-password", help="set a new password and unlock the account")
    sp.add_argument("--username", required=True)
    sp.add_argument("--password-stdin", action="store_true")
    sp.set_defaults(func=cmd_reset)

    sp = sub.add_parser("list", help="list accounts")
    sp.set_defaults(func=cmd_list)

    sp = sub.add_parser("set-telegram", help="register the Telegram user id allowed to use staff commands")
    sp.add_argument("--username", required=True)
    sp.add_argument("--telegram-id", type=int)
    sp.add_argument("--clear", action="store_true")
    sp.set_defaults(func=cmd_set_telegram)

    for name in ("activate", "deactivate"):
        sp = sub.add_parser(name, help=f"{name} an account")
        sp.add_argument("--username", required=True)
        sp.set_defaults(func=cmd_set_active)
    return p


def main(argv: Optional[List[str]] = None, stdin: Optional[TextIO] = None) -> int:
    load_dotenv()
    args = build_parser().parse_args(argv)
    users = UserService(get_database(args.db))
    return run_command(lambda: args.func(args, users, stdin or sys.stdin), (CliError, UserError, PasswordError))
