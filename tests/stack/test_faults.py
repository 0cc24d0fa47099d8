"""The fault matrix: each fault hits the running stack with participants' messages in flight, and must end
with every message answered exactly once, no ticket lost or duplicated, and the stack serving again
without a human.

`make run` is `python -m stack run` in a process of its own (PostgreSQL mode, on a private PostgreSQL
server the PostgreSQL case may stop; SQLite when none can run here); `make run-cluster` is its services
(2 Rasa and 2 action servers behind nginx, PostgreSQL, Redis, the gateway in webhook mode behind nginx)
under the same supervisor. Participants write through the real python-telegram-bot gateway to the fake Bot API server.
The counts go to reports/faults.md (reports/tmp/faults.md when only part of the matrix ran).
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import pytest

from core.db import Database
from core.settings import PROJECT_ROOT
from devtools.fake_bot_api import FakeBotAPIProcess
from stack.cluster import ensure_nginx_installed
from stack.local import prepare_database
from stack.training import train_if_needed
from tests.polling import wait_until
from tests.stack.participants import FIRST_WAVE, SECOND_WAVE, Participants, Tally
from tests.private_postgres import PrivatePostgres, unavailable_reason
from tests.stack.topologies import Cluster, MakeRun, telegram_environment

pytestmark = pytest.mark.stack

BOT_TOKEN = "123456789:TEST-fault-matrix"
STAFF_CHATS = {"make_run": -100701, "cluster": -100702}  # one per topology: their ticket numbers overlap
CHATS = 6  # participants per fault, each sending FIRST_WAVE before it and SECOND_WAVE while it lasts
POSTGRES_OUTAGE = 20.0  # seconds
BOT_API_ERRORS = 6.0  # seconds of 429 (retry_after 2), then as long of 500


# ---- the topologies ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bot_api():
    with FakeBotAPIProcess(token=BOT_TOKEN) as server:
        yield server


@pytest.fixture(scope="module")
def private_postgres():
    if unavailable_reason():
        yield None
        return
    server = PrivatePostgres()
    server.start()
    yield server
    server.remove()


class Topologies:
    """One topology running at a time (two would compete for the CPU): started when a fault first needs
    it, stopped when a fault needs the other one, or at the end."""

    def __init__(self, request: pytest.FixtureRequest, tmp_path_factory, bot_api: FakeBotAPIProcess,
                 private_postgres: Optional[PrivatePostgres]):
        self.request, self.tmp = request, tmp_path_factory
        self.bot_api, self.private_postgres = bot_api, private_postgres
        self.name: Optional[str] = None
        self.running: Optional[Tuple[object, Database]] = None
        self.problems: List[str] = []

    def get(self, name: str) -> Tuple[object, Database]:
        if self.name != name:
            self.close()
            self.running, self.name = getattr(self, f"_start_{name}")(), name
        assert self.running is not None
        return self.running

    def _start_make_run(self) -> Tuple[object, Database]:
        bot_api, server = self.bot_api, self.private_postgres
        workdir = self.tmp.mktemp("make-run")
        url = server.create_database("assistant") if server is not None else f"sqlite:///{workdir / 'app.db'}"
        telegram = telegram_environment(bot_api.base_url, BOT_TOKEN, STAFF_CHATS["make_run"])
        return MakeRun(url, telegram, workdir).start(), Database(url)

    def _start_cluster(self) -> Tuple[object, Database]:
        bot_api, url = self.bot_api, self.request.getfixturevalue("postgresql_url")
        redis_url = self.request.getfixturevalue("redis_url").rsplit("/", 1)[0] + "/5"
        ensure_nginx_installed()
        prepare_database(url)
        telegram = telegram_environment(bot_api.base_url, BOT_TOKEN, STAFF_CHATS["cluster"])
        stack = Cluster(url, telegram, self.tmp.mktemp("cluster"), redis_url)
        try:
            stack.start(train_if_needed())
        except Exception:
            stack.stop()
            raise
        return stack, Database(url)

    def close(self) -> None:
        if self.running is None:
            return
        stack, db = self.running
        self.running, self.name = None, None
        db.dispose()
        code = stack.stop()
        if isinstance(stack, MakeRun) and code != 0:
            self.problems.append(f"`python -m stack run` ended with {code} on SIGTERM:\n{stack.log()[-3000:]}")


@pytest.fixture(scope="module")
def topologies(request, tmp_path_factory, bot_api, private_postgres):
    running = Topologies(request, tmp_path_factory, bot_api, private_postgres)
    yield running
    running.close()
    assert running.problems == []


# ---- the faults ----------------------------------------------------------------------------------
@dataclass
class Context:
    stack: object
    people: Participants
    request: pytest.FixtureRequest
    killed: Optional[Tuple[str, int]] = None  # service, pid
    stopped_at: float = 0.0  # when PostgreSQL was stopped
    statuses: Dict[str, int] = field(default_factory=dict)  # the Bot API's answers so far, by HTTP status
    notes: List[str] = field(default_factory=list)  # what the fault did, for the report


@dataclass(frozen=True)
class Fault:
    id: str
    topology: str  # the fixture: make_run or cluster
    title: str
    inject: Callable[[Context], None]  # breaks something; the first wave is in flight
    heal: Callable[[Context], None] = lambda ctx: None  # after the second wave was sent: what repairs itself
    # When it hits: once the first answer came ("answered"), or as soon as the gateway has taken the
    # first wave from Telegram, before answering any of it ("consumed").
    when: str = "answered"


def kill(service: str) -> Callable[[Context], None]:
    def inject(ctx: Context) -> None:
        ctx.killed = (service, ctx.stack.kill(service))
    return inject


def bot_api_errors(ctx: Context) -> None:
    client = ctx.request.getfixturevalue("bot_api").client
    ctx.statuses = client.state()["statuses"]
    client.fail(None, "flood", times=None, retry_after=2)


def bot_api_errors_heal(ctx: Context) -> None:
    client = ctx.request.getfixturevalue("bot_api").client
    time.sleep(BOT_API_ERRORS)
    client.clear_faults()
    client.fail(None, "server_error", times=None)
    time.sleep(BOT_API_ERRORS)
    client.clear_faults()
    now = client.state()["statuses"]
    ctx.notes.append("the Bot API refused " + " and ".join(
        f"{now.get(code, 0) - ctx.statuses.get(code, 0)} calls with {code}" for code in ("429", "500")))


def duplicate_updates(ctx: Context) -> None:
    ctx.people.redeliver(ctx.people.updates)  # while the first deliveries are being answered
    ctx.notes.append(f"{len(ctx.people.updates)} updates delivered again in flight")


def duplicate_updates_heal(ctx: Context) -> None:
    ctx.people.wait_answered(len(ctx.people.updates), timeout=120)
    ctx.people.redeliver(ctx.people.updates)  # once more, after every message was answered
    ctx.notes.append(f"{len(ctx.people.updates)} delivered again after being answered")


def postgres_stop(ctx: Context) -> None:
    server = ctx.request.getfixturevalue("private_postgres")
    server.stop()
    ctx.stopped_at = time.monotonic()


def postgres_start(ctx: Context) -> None:
    server = ctx.request.getfixturevalue("private_postgres")
    time.sleep(max(0.0, ctx.stopped_at + POSTGRES_OUTAGE - time.monotonic()))
    server.start()
    ctx.notes.append(f"PostgreSQL down for {time.monotonic() - ctx.stopped_at:.1f} s")


FAULTS = [
    Fault("actions", "make_run", "kill -9 the action server", kill("actions")),
    Fault("rasa", "make_run", "kill -9 Rasa", kill("rasa")),
    Fault("gateway", "make_run", "kill -9 the Telegram gateway", kill("telegram"), when="consumed"),
    Fault("dashboard", "make_run", "kill -9 the dashboard", kill("dashboard")),
    Fault("bot-api-errors", "make_run", f"Bot API answers 429 (retry_after 2) for {BOT_API_ERRORS:g} s, "
          f"then 500 for {BOT_API_ERRORS:g} s", bot_api_errors, bot_api_errors_heal),
    Fault("duplicate-update", "make_run", "every update delivered twice (in flight) and three times (after)",
          duplicate_updates, duplicate_updates_heal),
    Fault("postgres-stop", "make_run", f"PostgreSQL stopped for {POSTGRES_OUTAGE:g} s", postgres_stop, postgres_start),
    Fault("cluster-rasa", "cluster", "kill -9 one of two Rasa servers", kill("rasa-0")),
    Fault("cluster-actions", "cluster", "kill -9 one of two action servers", kill("actions-0")),
]


# ---- the report ----------------------------------------------------------------------------------
@dataclass
class Row:
    fault: Fault
    topology: str
    tally: Optional[Tally] = None
    recovered_after: Optional[float] = None  # seconds from the fault until a new message is answered again
    restarts: str = ""
    skipped: str = ""


@pytest.fixture(scope="module")
def report():
    rows: Dict[str, Row] = {}
    started = time.monotonic()
    yield rows
    if rows:
        write_report([rows[f.id] for f in FAULTS if f.id in rows], len(rows) == len(FAULTS),
                     time.monotonic() - started)


SECTION = "## Crashes and outages (fault matrix)"


def write_report(rows: List[Row], complete: bool, seconds: float) -> Path:
    """The matrix's section of reports/faults.md (other sections are left as they are); a partial run
    writes reports/tmp/faults.md instead."""
    path = PROJECT_ROOT / "reports" / ("faults.md" if complete else "tmp/faults.md")
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        SECTION, "",
        f"Written by `tests/stack/test_faults.py` ({'every fault' if complete else 'part of the matrix'}) on "
        f"{dt.datetime.now().strftime('%Y-%m-%d %H:%M')}, in {seconds / 60:.1f} min. Each fault hits the running "
        f"stack while {CHATS} participants write through the real gateway (python-telegram-bot) and the fake Bot "
        f"API server: {len(FIRST_WAVE)} messages each before the fault (in flight when it hits) and "
        f"{len(SECOND_WAVE)} while it lasts, the last asking for a person (a ticket, announced in the staff chat). "
        "*Answered once*, *duplicated* and *lost* count participants' messages by the answers they got (an "
        "answer must be the one a first reading gives: a turn Rasa ran twice shows as a repeated question's "
        "answer, and counts as lost); *tickets* are expected / opened once / duplicated / lost, with the "
        "staff-chat announcements checked the same way; *kept* counts the \"your message is kept\" notices "
        "participants saw; *serving again* is the time from the fault until a new participant's message is "
        "answered; *supervisor / notes* is what the supervisor logged, and what the fault did.", "",
        "| fault | topology | sent | answered once | duplicated | lost | tickets | kept | serving again | supervisor / notes |",
        "|---|---|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    for row in rows:
        if row.skipped or row.tally is None:
            lines.append(f"| {row.fault.title} | {row.topology} | skipped: {row.skipped or 'did not finish'} "
                         "| | | | | | | |")
            continue
        t = row.tally
        tickets = f"{t.tickets_expected} / {t.tickets} / {t.tickets_duplicated} / {t.tickets_lost}"
        if t.notices_duplicated or t.notices_lost:
            tickets += f" (announcements: {t.notices_duplicated} duplicated, {t.notices_lost} lost)"
        serving = f"{row.recovered_after:.1f} s" if row.recovered_after is not None else "**no**"
        lines.append(f"| {row.fault.title} | {row.topology} | {t.sent} | {t.answered} | {t.duplicated} | {t.lost} "
                     f"| {tickets} | {t.kept_notices} | {serving} | {row.restarts or '-'} |")
    lines += ["", "Run it: `.venv/bin/python -m pytest tests/stack/test_faults.py` (part of `make test`; "
              "`make test-fast` leaves it out). `make run` is `python -m stack run` in a process of its own; "
              "the cluster is `make run-cluster`'s services (the gateway in webhook mode behind nginx) under the same "
              "supervisor on free ports; the gateway in polling mode under `make run`."]
    replace_section(path, SECTION, "\n".join(lines) + "\n")
    return path


def replace_section(path: Path, heading: str, section: str) -> None:
    """Put `section` (starting with `heading`) in place of the file's section of that heading, or at its end."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Faults\n"
    parts = text.split("\n## ")
    head, rest = parts[0], ["## " + p for p in parts[1:]]
    kept = [p if p.endswith("\n") else p + "\n" for p in rest if not p.startswith(heading)]
    head = head if head.endswith("\n") else head + "\n"
    path.write_text("\n".join([head, *kept, section]).replace("\n\n\n", "\n\n"), encoding="utf-8")


# ---- the test ------------------------------------------------------------------------------------
def serving_again(stack, db: Database, bot_api, staff_chat: int, timeout: float = 120) -> None:
    """A new participant's message is answered."""
    probe = Participants(bot_api.client, db, staff_chat, chats=1)
    probe.send(["jam buka kantor cabang"])
    probe.wait_answered(1, timeout=timeout)


@pytest.mark.parametrize("fault", [pytest.param(f, id=f.id, marks=[pytest.mark.postgres] if f.topology == "cluster"
                                                else []) for f in FAULTS])
def test_fault(fault: Fault, request, bot_api, topologies, report):
    row = report[fault.id] = Row(fault, "make run" if fault.topology == "make_run" else "make run-cluster")
    if fault.id == "postgres-stop" and unavailable_reason():
        row.skipped = f"no private PostgreSQL server can run here ({unavailable_reason()})"
        pytest.skip(row.skipped)
    stack, db = topologies.get(fault.topology)
    if isinstance(stack, MakeRun):
        row.topology += " (PostgreSQL)" if stack.database_url.startswith("postgresql") else " (SQLite)"
    staff_chat = STAFF_CHATS[fault.topology]
    crashes_before = len(stack.crash_lines())
    people = Participants(bot_api.client, db, staff_chat, CHATS)
    ctx = Context(stack, people, request)

    people.send(FIRST_WAVE)
    if fault.when == "consumed":
        people.wait_consumed(timeout=60)
    else:
        people.wait_answered(1, timeout=60)  # the load is on: the rest of the first wave is in flight
    faulted_at = time.monotonic()
    fault.inject(ctx)
    people.send(SECOND_WAVE)
    fault.heal(ctx)
    expected = CHATS * (len(FIRST_WAVE) + len(SECOND_WAVE))
    try:
        people.wait_answered(expected, timeout=180)
        wait_until(people.settled, timeout=60, what="nothing left to answer or deliver", interval=0.5)
    except AssertionError:
        pass  # counted below
    if ctx.killed:
        service, pid = ctx.killed
        wait_until(lambda: stack.restarted(service, pid), timeout=120, what=f"{service} restarted", interval=0.5)
    try:
        serving_again(stack, db, bot_api, staff_chat)
        row.recovered_after = time.monotonic() - faulted_at
    except AssertionError:
        pass
    row.tally = people.tally()
    crashes = stack.crash_lines()[crashes_before:]
    row.restarts = "; ".join([f"`{line}`" for line in crashes] + ctx.notes)

    assert row.tally.clean, "\n".join([str(row.tally)[:300], *row.tally.missing, *row.tally.unexpected])
    assert row.recovered_after is not None, "the stack did not serve a new message again"
    if ctx.killed:
        assert any(line.startswith(f"{stack.name(ctx.killed[0])} exited with code -9; restarting in 1 s (crash ")
                   for line in crashes), crashes
