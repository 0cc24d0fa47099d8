"""Gateway fixtures: the fake Bot API server, a stub Rasa and the gateway running against both.

The gateway's tests run on SQLite only: the inbox, outbox and tickets it uses are tested
on both databases in their own packages. A few tests run it against the real Rasa
(test_end_to_end.py, marked `stack`).
"""
from __future__ import annotations

import pytest
from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.app import running_gateway
from branch.store import LOADER, BranchStore
from core.db import Database
from devtools.fake_bot_api import FakeBotAPI
from tests.bot.support import MODES, RASA_TOKEN, TOKEN, quick_config, settings_for
from tests.branch.profiles import load_test_profile
from tests.dashboard.fake_rasa import FakeRasa

PROFILE = load_test_profile()


@pytest.fixture
async def server():
    async with FakeBotAPI(token=TOKEN) as fake:
        yield fake


@pytest.fixture
def rasa():
    with FakeRasa(RASA_TOKEN) as stub:
        yield stub


@pytest.fixture
def db(sqlite_db, monkeypatch) -> Database:
    monkeypatch.setenv("BRANCH_CODE", PROFILE.code)
    BranchStore(sqlite_db).save(PROFILE, actor=LOADER, source="loader")  # as `make run` loads it
    return sqlite_db


@pytest.fixture(params=MODES)
def settings(request, server, db, rasa):
    """Every test of the gateway runs in both modes: long polling and webhook (the cluster's and production's)."""
    return settings_for(server, db.url, rasa.url, RASA_TOKEN, request.param)


@pytest.fixture
async def gateway(settings, db):
    async with running_gateway(settings, db, quick_config(rate_limit=8)) as app:
        yield app


class Handled:
    """The updates the application has finished handling: a barrier for "nothing happened".

    A handler in a group after the gateway's runs once the gateway's handler for the same update
    has returned, including everything it sent."""

    def __init__(self, application: Application):
        self.ids: set = set()
        application.add_handler(TypeHandler(Update, self._record), group=99)

    async def _record(self, update: Update, context) -> None:
        self.ids.add(update.update_id)


@pytest.fixture
def handled(gateway) -> Handled:
    return Handled(gateway)
