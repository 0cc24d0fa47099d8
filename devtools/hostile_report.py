"""`python -m devtools.hostile_report`: the hostile-input corpus through every surface, counted in reports/hostile.md.

Real parts, as the tests use them: the Rasa server and action server on a fresh SQLite database,
the REST channel as anyone reaching the port calls it, the Telegram gateway in webhook mode with
the fake Bot API, and the dashboard (Flask, on its own SQLite database) with a staff member and an
admin signed in. tests/hostile/ asserts the same outcomes case by case (the dashboard on PostgreSQL
too); this writes them down with what each surface answered.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import tempfile
import uuid
from collections import Counter
from pathlib import Path
from typing import Dict, List

from core.db import Database
from core.settings import PROJECT_ROOT
from devtools.hostile import (FORMS, Outcome, dashboard_form, hostile_requests, hostile_texts, rest_request,
                              rest_still_answers, rest_text, telegram_text)

REPORTS = PROJECT_ROOT / "reports"
PASSWORD = "Sandi-Laporan-Uji-2026"


def run_rest(rasa_url: str) -> List[Outcome]:
    outcomes = [rest_text(rasa_url, case, f"hostile-{uuid.uuid4().hex[:10]}") for case in hostile_texts()]
    outcomes += [rest_request(rasa_url, case, f"hostile-{uuid.uuid4().hex[:10]}") for case in hostile_requests()]
    outcomes.append(Outcome("rest", "afterwards: a normal question", rest_still_answers(rasa_url, "hostile-after"), 200, ""))
    return outcomes


async def run_telegram(rasa_url: str, token: str, db: Database) -> List[Outcome]:
    import random

    from bot.app import running_gateway
    from bot.gateway import GatewayConfig
    from core.settings import Settings
    from devtools.fake_bot_api import FakeBotAPI
    from stack.supervisor import free_port

    bot_token = "123456789:HOSTILE-report-token"
    async with FakeBotAPI(token=bot_token) as server:
        port = free_port()
        settings = Settings.from_env({
            "DATABASE_URL": db.url, "RASA_URL": rasa_url, "RASA_TOKEN": token, "TELEGRAM_BOT_TOKEN": bot_token,
            "TELEGRAM_API_BASE_URL": server.base_url, "TELEGRAM_STAFF_CHAT_ID": "-100555",
            "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}", "TELEGRAM_WEBHOOK_LISTEN": f"127.0.0.1:{port}",
            "TELEGRAM_WEBHOOK_SECRET": uuid.uuid4().hex})
        async with running_gateway(settings, db, GatewayConfig(staff_chat_id=-100555)):
            outcomes = [await telegram_text(server, random.randint(10**8, 10**9), case) for case in hostile_texts()]
            chat = random.randint(10**8, 10**9)
            server.inject_text(chat, "lupa password jmo")
            try:
                await server.wait_for_messages(chat, 1, timeout=30)
                outcomes.append(Outcome("telegram", "afterwards: a normal question", True, None, ""))
            except TimeoutError:
                outcomes.append(Outcome("telegram", "afterwards: a normal question", False, None, "no answer"))
    return outcomes


def run_dashboard(database_url: str) -> List[Outcome]:
    from accounts.users import UserService
    from branch.source import current_branch
    from dashboard import create_app
    from monitoring.tickets import TicketService
    from stack.supervisor import free_port

    db = Database(database_url)
    users = UserService(db)
    users.create("ani", "Ani Petugas", "staff", PASSWORD, actor="report")
    users.create("budi", "Budi Admin", "admin", PASSWORD, actor="report")
    app = create_app({"TESTING": True, "SECRET_KEY": uuid.uuid4().hex, "DATABASE": db, "DATABASE_URL": database_url,
                      "RASA_URL": f"http://127.0.0.1:{free_port()}", "RASA_TOKEN": "t" * 20, "RASA_TIMEOUT": 1.0})
    csrf_field = re.compile(r'name="csrf_token" value="([^"]+)"')
    outcomes: List[Outcome] = []
    for case in hostile_texts():
        ticket = TicketService(db, current_branch(db)).open("complaint", "tg:7", "telegram", "tolong dibantu").number
        clients = {}
        for who, username in (("anonymous", ""), ("staff", "ani"), ("admin", "budi")):
            client = app.test_client()
            csrf = csrf_field.search(client.get("/login").get_data(as_text=True)).group(1)
            if username:
                client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf})
                with client.session_transaction() as session:
                    csrf = session.get("csrf") or csrf
            clients[who] = (client, csrf)
        outcomes += [dashboard_form(clients[f.who][0], f, case, ticket, clients[f.who][1]) for f in FORMS]
    db.dispose()
    return outcomes


def report(outcomes: List[Outcome]) -> str:
    texts, requests_ = hostile_texts(), hostile_requests()
    surfaces: Dict[str, Counter] = {}
    for o in outcomes:
        key = "dashboard forms" if o.surface.startswith("dashboard") else o.surface
        surfaces.setdefault(key, Counter())["ok" if o.ok else "failed"] += 1
    total_ok = sum(c["ok"] for c in surfaces.values())
    total = sum(sum(c.values()) for c in surfaces.values())
    lines = ["# Hostile inputs", "",
             f"Run {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} by `python -m devtools.hostile_report` with the corpus "
             f"`tests/fixtures/hostile/corpus.json`: {len(texts)} texts a participant or a staff member may type and "
             f"{len(requests_)} malformed requests only an HTTP client sends. Each text went through the REST channel "
             "(real Rasa and action server), Telegram (the gateway in webhook mode with the fake Bot API) and "
             f"{len(FORMS)} dashboard forms (every field at once); each request to the REST channel. A case passes with no "
             "5xx, no crash (the surface answers the next normal message), nothing echoed unescaped and a clear message "
             "(a reply, a 4xx with a JSON `message`, or a message on the page). `tests/hostile/` asserts the same, "
             "the dashboard on SQLite and PostgreSQL.", "",
             f"**{total_ok} of {total} passed.**", "",
             "| surface | cases | passed | failed |", "|---|---|---|---|"]
    for name, counts in surfaces.items():
        lines.append(f"| {name} | {sum(counts.values())} | {counts['ok']} | {counts['failed']} |")
    lines += ["", "## Texts", "", "| case | what | REST | Telegram | dashboard forms passed |", "|---|---|---|---|---|"]
    by = {(o.surface, o.case): o for o in outcomes}
    for case in texts:
        rest, tg = by.get(("rest", case.id)), by.get(("telegram", case.id))
        forms = [by[(f"dashboard: {f.name}", case.id)] for f in FORMS if (f"dashboard: {f.name}", case.id) in by]
        lines.append(f"| `{case.id}` | {case.about} | {_cell(rest)} | {_cell(tg)} | "
                     f"{sum(o.ok for o in forms)}/{len(forms)} |")
    lines += ["", "## Malformed requests to the REST channel", "", "| case | what | answer |", "|---|---|---|"]
    for case in requests_:
        lines.append(f"| `{case.id}` | {case.about} | {_cell(by.get(('rest', case.id)))} |")
    failed = [o for o in outcomes if not o.ok]
    if failed:
        lines += ["", "## Failures", ""] + [f"- {o.surface} / `{o.case}`: HTTP {o.status}, {o.detail}" for o in failed]
    return "\n".join(lines) + "\n"


def _cell(outcome) -> str:
    if outcome is None:
        return "not run"
    status = f"{outcome.status} " if outcome.status else ""
    detail = outcome.detail.replace("|", "\\|")
    detail = detail if len(detail) <= 90 else detail[:87] + "..."
    return f"{'✅' if outcome.ok else '❌'} {status}{detail}".strip()


def main() -> None:
    from stack.local import prepare_database, running_stack
    from stack.supervisor import free_port

    with tempfile.TemporaryDirectory() as tmp:
        stack_url = f"sqlite:///{Path(tmp) / 'stack.db'}"
        dashboard_url = f"sqlite:///{Path(tmp) / 'dashboard.db'}"
        prepare_database(dashboard_url)  # migrated, with the knowledge base and the branch profile, as `make run` has it
        outcomes = run_dashboard(dashboard_url)
        with open(Path(tmp) / "stack.log", "w") as log, running_stack(stack_url, free_port(), free_port(), log=log) as stack:
            outcomes = run_rest(stack.rasa_url) + outcomes
            db = Database(stack_url)
            outcomes += asyncio.run(run_telegram(stack.rasa_url, stack.token, db))
            db.dispose()
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "hostile.json").write_text(json.dumps([o.__dict__ for o in outcomes], indent=1, ensure_ascii=False),
                                          encoding="utf-8")
    path = REPORTS / "hostile.md"
    path.write_text(report(outcomes), encoding="utf-8")
    print(path)


if __name__ == "__main__":
    main()
