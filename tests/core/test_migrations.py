"""Migrations apply from scratch, downgrade cleanly and upgrade again, on both databases."""
import uuid

import pytest
from sqlalchemy import create_engine, inspect, text

from core.migrate import downgrade, upgrade
from monitoring.reply_templates import check_body
from tests.conftest import PG_ADMIN_URL, _pg_reachable, postgres_required


def _roundtrip(url):
    upgrade(url)
    engine = create_engine(url, future=True)
    tables = set(inspect(engine).get_table_names())
    assert {"kb_entries", "kb_revisions", "kb_state", "branch_profiles", "tickets", "ticket_events",
            "answer_feedback", "turns", "users", "audit_log", "outbox", "inbox", "callback_payloads",
            "staff_posts", "faq_proposals", "user_sessions", "ticket_satisfaction", "servqual_rules",
            "improvement_actions", "reply_templates"} <= tables
    with engine.connect() as conn:
        assert conn.execute(text("select version from kb_state where id = 1")).scalar() == 0
    downgrade(url, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(url)
    engine.dispose()


def test_sqlite_roundtrip(tmp_path):
    _roundtrip(f"sqlite:///{tmp_path / 'm.db'}")


def test_faq_proposals_move_from_the_audit_log(tmp_path):
    url = f"sqlite:///{tmp_path / 'p.db'}"
    upgrade(url, "0004")
    engine = create_engine(url, future=True)
    with engine.begin() as conn:
        conn.execute(text("insert into audit_log (at, actor, action, target, detail, source) values "
                          "('2026-11-02 03:00:00', 'sari', 'faq_suggested', 'MDK-000007', 'sering ditanya', 'dashboard'), "
                          "('2026-11-02 04:00:00', 'sari', 'faq_suggested', 'MDK-000007', null, 'dashboard'), "
                          "('2026-11-03 03:00:00', 'budi', 'faq_suggested', 'MDK-000009', null, 'dashboard'), "
                          "('2026-11-04 03:00:00', 'ani', 'faq_drafted', 'MDK-000009', 'entry jht-baru', 'dashboard')"))
    upgrade(url)
    with engine.connect() as conn:
        rows = conn.execute(text("select ticket_number, proposed_by, note, status, entry_id, closed_by "
                                 "from faq_proposals order by ticket_number")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("MDK-000007", "sari", "sering ditanya", "pending", None, None),
                                        ("MDK-000009", "budi", None, "drafted", "jht-baru", "ani")]


def test_tickets_without_a_topic_get_one_and_templates_are_seeded(tmp_path):
    url = f"sqlite:///{tmp_path / 't.db'}"
    upgrade(url, "0008")
    engine = create_engine(url, future=True)
    ticket = ("insert into tickets (number, kind, status, sender_id, channel, language, text, messages, topic, "
              "candidates, created_at, due_at, resolve_due_at, updated_at, redacted) values "
              "(:number, 'handoff', 'open', :sender, 'telegram', 'id', 'x', '[]', :topic, :candidates, "
              ":at, :at, :at, :at, 0)")
    with engine.begin() as conn:
        conn.execute(text("insert into turns (sender_id, at, text, language, outcome, topic) values "
                          "('tg:1', '2026-11-30 02:00:00', 'otp', 'id', 'answered', 'jmo.otp'), "
                          "('tg:1', '2026-11-30 02:05:00', 'saldo', 'id', 'answered', 'jht.balance'), "
                          "('tg:1', '2026-11-30 09:00:00', 'later', 'id', 'answered', 'jkm.documents')"))
        for number, sender, topic, candidates in [
                ("MDK-000001", "tg:1", None, "[]"), ("MDK-000002", "tg:2", None, '[{"topic": "claim.status"}]'),
                ("MDK-000003", "tg:3", None, "[]"), ("MDK-000004", "tg:1", "service.queue", "[]")]:
            conn.execute(text(ticket), {"number": number, "sender": sender, "topic": topic, "candidates": candidates,
                                        "at": "2026-11-30 02:10:00"})
    upgrade(url)
    with engine.connect() as conn:
        topics = conn.execute(text("select number, topic from tickets order by number")).all()
        seeded = conn.execute(text("select title, body_id, body_en from reply_templates order by id")).all()
    engine.dispose()
    titles = [row.title for row in seeded]
    assert all(check_body(row.body_id) and check_body(row.body_en) for row in seeded)  # they fill in
    # The conversation's last topic before the ticket; the best candidate; none known; an existing topic kept.
    assert [tuple(r) for r in topics] == [("MDK-000001", "jht.balance"), ("MDK-000002", "claim.status"),
                                          ("MDK-000003", None), ("MDK-000004", "service.queue")]
    assert titles == ["Minta data tambahan", "Sedang diproses", "Datang ke kantor cabang"]


@pytest.mark.postgres
def test_postgresql_roundtrip():
    if not _pg_reachable():
        if postgres_required():
            pytest.fail("PostgreSQL not reachable (REQUIRE_POSTGRES=1)")
        pytest.skip("PostgreSQL not reachable")
    name = f"mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _roundtrip(PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def test_existing_entries_get_citations_from_their_source_note(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    upgrade(url, "0005")
    engine = create_engine(url, future=True)
    note = ("bpjsketenagakerjaan.go.id FAQ (JHT / Tata Cara rows 247, 249-250; JKM row 410); "
            "PP 46/2015 Pasal 31 (alinea.id); branch profile")
    with engine.begin() as conn:
        conn.execute(text("insert into kb_entries (id, topic, title_id, title_en, questions_id, questions_en, answer_id, "
                          "answer_en, source, programs, aspects, active, version, updated_by, updated_at, created_at) "
                          "values ('jht-a', 'jht.eligibility', 't', 't', '[]', '[]', 'a', 'a', :note, '[]', '[]', 1, 1, "
                          "'loader', '2026-11-01', '2026-11-01')"), {"note": note})
    upgrade(url)
    with engine.connect() as conn:
        stored = conn.execute(text("select citations from kb_entries where id = 'jht-a'")).scalar()
    engine.dispose()
    import json
    assert json.loads(stored) == [{"faq": [247, 249, 250, 410]}, {"regulation": "PP 46/2015", "article": "Pasal 31"},
                                  {"url": "https://alinea.id", "title": "alinea.id"}, {"branch": True}]
