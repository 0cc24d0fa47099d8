"""Tickets worked by a team: assigning to colleagues, internal notes, topics, merging a participant's
duplicates, and audit lines in the staff's language (both databases)."""
import datetime as dt

import pytest

from accounts.audit import AuditLog
from messaging.outbox import Outbox
from monitoring.notifications import ticket_in_participant_notice
from core.db import utcnow
from monitoring.tickets import TOPIC_LOOKBACK, TicketError, TicketService
from monitoring.turns import Turn, TurnLog
from tests.branch.profiles import load_test_profile

PROFILE = load_test_profile()
MONDAY_9_WIB = dt.datetime(2026, 11, 30, 2, 0)


@pytest.fixture
def svc(db):
    return TicketService(db, PROFILE)


def to_participant(db, number):
    return [m for m in Outbox(db).for_ticket(number) if m.recipient != "staff"]


def audit_details(db, action):
    return [(e.actor, e.target, e.detail) for e in reversed(AuditLog(db).list(action=action))]


def test_assigning_to_a_colleague_and_back_is_audited_in_indonesian(svc, db):
    t = svc.open("complaint", "tg:1", "telegram", "antrean lama")
    assert svc.assign(t.number, "sari", actor="ani", source="dashboard").assignee == "sari"
    assert svc.assign(t.number, None, actor="sari").assignee is None
    assert audit_details(db, "ticket_assigned") == [("ani", t.number, "ditugaskan ke sari"),
                                                    ("sari", t.number, "penanganan dilepas")]


def test_status_changes_are_audited_with_the_staff_names_of_statuses(svc, db):
    t = svc.open("complaint", "tg:1", "telegram", "antrean lama")
    svc.reply(t.number, "ani", "Kami cek.")
    svc.change_status(t.number, "resolved", "ani")
    assert audit_details(db, "ticket_status") == [("ani", t.number, "Sedang ditangani → Selesai")]


def test_an_internal_note_stays_with_staff(svc, db):
    t = svc.open("unresolved_question", "tg:77", "telegram", "saldo jht beda", now=MONDAY_9_WIB)
    noted = svc.add_note(t.number, "ani", "Sudah cek di sistem: iuran Oktober belum masuk.")
    assert noted.status == "open" and noted.first_response_at is None  # the response clock still runs
    assert [(e.kind, e.actor, e.text) for e in noted.events][-1] == (
        "note", "ani", "Sudah cek di sistem: iuran Oktober belum masuk.")
    assert noted.last_staff_reply == ""  # a note is not a reply (the FAQ draft and /status use replies)
    assert to_participant(db, t.number) == []
    assert audit_details(db, "ticket_note") == [("ani", t.number, "catatan internal (tidak dikirim ke peserta)")]
    with pytest.raises(TicketError):
        svc.add_note(t.number, "ani", "   ")


def test_staff_correct_the_topic(svc, db):
    t = svc.open("handoff", "tg:1", "telegram", "mau bicara dengan petugas")
    assert t.topic is None
    changed = svc.set_topic(t.number, "jht.balance", "ani")
    assert changed.topic == "jht.balance" and changed.events[-1].kind == "topic"
    svc.set_topic(t.number, "jht.balance", "ani")  # unchanged: no event, no audit row
    svc.set_topic(t.number, "claim.status", "budi")
    assert audit_details(db, "ticket_topic") == [("ani", t.number, "topik (tanpa topik) → jht.balance"),
                                                 ("budi", t.number, "topik jht.balance → claim.status")]


def test_a_ticket_without_a_topic_takes_the_conversations_last_one(svc, db):
    turns = TurnLog(db)
    me = "tg:4040"
    turns.record(Turn(me, "otp jmo ga masuk", "answered", topic="jmo.otp"))
    turns.record(Turn(me, "saldo jht berapa", "answered", topic="jht.balance"))
    turns.record(Turn(me, "makasih", "dialogue"))
    turns.record(Turn("tg:someone-else", "klaim jkm", "answered", topic="jkm.documents"))
    assert svc.open("handoff", me, "telegram", "mau bicara dengan petugas").topic == "jht.balance"
    assert svc.open("complaint", me, "telegram", "antrean", topic="service.queue").topic == "service.queue"
    assert svc.open("handoff", "tg:new", "telegram", "halo petugas").topic is None
    # Yesterday's conversation is not this one.
    later = utcnow() + TOPIC_LOOKBACK + dt.timedelta(minutes=5)
    assert svc.open("complaint", me, "telegram", "pengaduan baru", now=later).topic is None


def test_merging_a_duplicate_keeps_both_histories_and_tells_the_participant(svc, db):
    first = svc.open("unresolved_question", "tg:321", "telegram", "saldo jht saya kurang", topic="jht.balance",
                     messages=[{"at": 1796000000.0, "text": "saldo jht saya kurang"}], now=MONDAY_9_WIB)
    dup = svc.open("handoff", "tg:321", "telegram", "mau bicara dengan petugas soal saldo",
                   messages=[{"at": 1796000100.0, "text": "mau bicara dengan petugas soal saldo"}],
                   contact={"phone": "081234567890"}, now=MONDAY_9_WIB + dt.timedelta(minutes=30))
    svc.reply(dup.number, "ani", "Mohon tunggu, kami cek.")

    merged = svc.merge(dup.number, first.number, "ani", source="dashboard")
    assert merged.number == first.number and merged.is_open
    assert [m["text"] for m in merged.messages] == ["saldo jht saya kurang", "mau bicara dengan petugas soal saldo"]
    assert merged.contact == {"phone": "081234567890"}
    assert merged.events[-1].kind == "merged_from" and dup.number in merged.events[-1].text
    assert "mau bicara dengan petugas soal saldo" in merged.events[-1].text

    closed = svc.get(dup.number, with_events=True)
    assert closed.status == "closed" and closed.merged_into == first.number and closed.resolved_at is not None
    assert [e.kind for e in closed.events] == ["created", "reply", "merged_into"]  # its own history stays
    assert closed.last_staff_reply == "Mohon tunggu, kami cek."

    notice = to_participant(db, dup.number)[-1]
    assert notice.chat_id == 321 and first.number in notice.text and dup.number in notice.text
    assert ticket_in_participant_notice(notice.text) == first.number  # a reply to it goes to the kept ticket
    assert audit_details(db, "ticket_merged") == [("ani", dup.number, f"digabung ke tiket {first.number}")]


def test_only_open_tickets_of_the_same_participant_merge(svc):
    mine = svc.open("complaint", "tg:1", "telegram", "satu")
    other = svc.open("complaint", "tg:2", "telegram", "dua")
    with pytest.raises(TicketError):
        svc.merge(other.number, mine.number, "ani")
    with pytest.raises(TicketError):
        svc.merge(mine.number, mine.number, "ani")
    again = svc.open("complaint", "tg:1", "telegram", "tiga")
    svc.change_status(again.number, "resolved", "ani", notify=False)
    with pytest.raises(TicketError):
        svc.merge(again.number, mine.number, "ani")  # a resolved duplicate
    with pytest.raises(TicketError):
        svc.merge(mine.number, again.number, "ani")  # into a resolved ticket
    third = svc.open("complaint", "tg:1", "telegram", "empat")
    svc.merge(third.number, mine.number, "ani")
    fourth = svc.open("complaint", "tg:1", "telegram", "lima")
    with pytest.raises(TicketError):
        svc.merge(fourth.number, third.number, "ani")  # into a ticket already merged away
    assert sorted(t.number for t in svc.for_sender("tg:1") if t.is_open) == [mine.number, fourth.number]


def test_forgetting_the_participant_also_clears_what_was_merged_in(svc):
    kept = svc.open("complaint", "tg:9", "telegram", "NIK saya 1271012345678901")
    dup = svc.open("complaint", "tg:9", "telegram", "KPJ 12345678901 tolong")
    svc.merge(dup.number, kept.number, "ani")
    svc.redact_sender("tg:9")
    events = svc.get(kept.number, with_events=True).events
    assert not any("12345678901" in (e.text or "") for e in events)


def test_a_rest_participants_merge_sends_nothing(svc, db):
    a = svc.open("complaint", "rest-7", "rest", "satu")
    b = svc.open("complaint", "rest-7", "rest", "dua")
    svc.merge(b.number, a.number, "ani")
    assert to_participant(db, b.number) == []


def test_participant_messages_lists_everything_they_wrote_once(svc):
    t = svc.open("unresolved_question", "tg:5", "telegram", "jht cair berapa lama?\nsaya sudah resign",
                 messages=[{"at": 1.0, "text": "jht cair berapa lama?"}, {"at": 2.0, "text": "sudah 2 bulan"}])
    svc.add_participant_message(t.number, "tg:5", "kartu saya hilang juga")
    stored = svc.get(t.number, with_events=True)
    assert stored.participant_messages == ["jht cair berapa lama?", "saya sudah resign", "sudah 2 bulan",
                                           "kartu saya hilang juga"]
    assert stored.reaches_participant and not svc.open("handoff", "rest-1", "rest", "x").reaches_participant
