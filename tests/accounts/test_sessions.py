"""Server-side dashboard sessions on SQLite and PostgreSQL: an absolute end, an idle timeout, sign-out,
and only hashes in the table."""
import datetime as dt

import pytest
from sqlalchemy import select

from accounts.models import SessionRow
from accounts.sessions import SessionStore
from accounts.users import UserService

T0 = dt.datetime(2026, 12, 1, 1, 0)  # naive UTC
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def user_id(db, fast_hashing):
    return UserService(db).create("ani", "Ani", "staff", "Sandi-Benar-2026", actor="test").id


@pytest.fixture
def store(db):
    return SessionStore(db, lifetime=10 * HOUR, idle=2 * HOUR)


def test_a_session_ends_at_its_absolute_end_however_active(store, user_id):
    token, signin = store.start(user_id, "10.0.0.5", now=T0)
    assert signin.expires_at == T0 + 10 * HOUR and signin.client == "10.0.0.5"
    at = T0
    while at < T0 + 10 * HOUR - dt.timedelta(minutes=30):  # used every half hour: never idle
        at += dt.timedelta(minutes=30)
        assert store.resolve(token, now=at) is not None, at
    assert store.resolve(token, now=T0 + 10 * HOUR) is None
    assert store.resolve(token, now=T0 + 10 * HOUR - dt.timedelta(minutes=1)) is None  # ended means gone


def test_a_session_ends_after_two_idle_hours(store, user_id):
    token, _ = store.start(user_id, now=T0)
    assert store.resolve(token, now=T0 + 2 * HOUR - dt.timedelta(seconds=1)) is not None  # use renews idleness
    assert store.resolve(token, now=T0 + 4 * HOUR - dt.timedelta(seconds=2)) is not None
    assert store.resolve(token, now=T0 + 6 * HOUR) is None


def test_use_is_recorded_at_most_once_a_minute(store, user_id, db):
    token, _ = store.start(user_id, now=T0)
    store.resolve(token, now=T0 + dt.timedelta(seconds=30))
    with db.session() as s:
        assert s.execute(select(SessionRow.last_seen_at)).scalar_one() == T0
    store.resolve(token, now=T0 + dt.timedelta(seconds=90))
    with db.session() as s:
        assert s.execute(select(SessionRow.last_seen_at)).scalar_one() == T0 + dt.timedelta(seconds=90)


def test_sign_out_ends_only_that_session(store, user_id):
    first, _ = store.start(user_id, now=T0)
    second, _ = store.start(user_id, now=T0)
    assert store.end(first) and not store.end(first)
    assert store.resolve(first, now=T0) is None and store.resolve(second, now=T0) is not None
    assert [s.user_id for s in store.for_user(user_id, now=T0)] == [user_id]


def test_the_table_holds_no_usable_token(store, user_id, db):
    token, _ = store.start(user_id, now=T0)
    with db.session() as s:
        stored = s.execute(select(SessionRow.token_hash)).scalar_one()
    assert token not in stored and store.resolve(stored, now=T0) is None


@pytest.mark.parametrize("token", [None, "", "x" * 1000, 42, "not-a-session"])
def test_unknown_tokens_are_no_session(store, user_id, token):
    store.start(user_id, now=T0)
    assert store.resolve(token, now=T0) is None and not store.end(token)


def test_ended_sessions_are_cleared_at_the_next_sign_in(store, user_id, db):
    store.start(user_id, now=T0)
    store.start(user_id, now=T0 + 11 * HOUR)
    with db.session() as s:
        assert len(s.execute(select(SessionRow.id)).all()) == 1
