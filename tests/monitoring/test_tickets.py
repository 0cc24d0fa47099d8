import datetime as dt

import pytest

from tests.branch.profiles import load_test_profile
from monitoring.notifications import ticket_in_staff_notice
from monitoring.tickets import TicketError, TicketService, normalize_number

PROFILE = load_test_profile()
MONDAY_9_WIB = dt.datetime(2026, 11, 30, 2, 0)


def service(db):
    return TicketService(db, PROFILE)


def test_open_ticket_has_number_due_times_and_history(db):
    t = service(db).open("complaint", "tg:1", "telegram", "Antrean sangat lama", intent="complaint",
                         confidence=0.91, candidates=[{"entry_id": "x", "topic": "service.queue", "score": 0.4}],
                         now=MONDAY_9_WIB)
    assert t.number == f"MDK-{t.id:06d}" and t.status == "open"
    # 8 working hours from Monday 09:00 WIB: 6.5 h on Monday, 1.5 h on Tuesday -> Tuesday 09:30 WIB.
    assert t.due_at == dt.datetime(2026, 12, 1, 2, 30)
    assert t.resolve_due_at > t.due_at
    events = service(db).events(t.number)
    assert [(e.kind, e.to_status) for e in events] == [("created", "open")]


def test_numbers_are_unique_and_normalised(db):
    svc = service(db)
    a = svc.open("complaint", "tg:1", "telegram", "satu")
    b = svc.open("complaint", "tg:1", "telegram", "dua")
    assert a.number != b.number
    assert svc.get(a.number.lower().replace("-", "")).number == a.number
    assert normalize_number("mdk 42") == "MDK-000042"
    assert normalize_number("hello") is None


def test_repeated_request_does_not_duplicate(db):
    svc = service(db)
    a = svc.open("handoff", "tg:1", "telegram", "mau bicara dengan petugas")
    b = svc.open("handoff", "tg:1", "telegram", "mau bicara dengan petugas")
    assert a.number == b.number
    assert len(svc.for_sender("tg:1")) == 1


def test_participants_only_see_their_own_tickets(db):
    svc = service(db)
    mine = svc.open("complaint", "tg:1", "telegram", "punya saya")
    other = svc.open("complaint", "tg:2", "telegram", "punya orang lain")
    assert svc.get_for_sender("tg:1", mine.number).number == mine.number
    assert svc.get_for_sender("tg:1", other.number) is None
    assert [t.number for t in svc.for_sender("tg:1")] == [mine.number]


def test_reply_status_and_resolution_history(db):
    svc = service(db)
    t = svc.open("unresolved_question", "tg:1", "telegram", "pertanyaan")
    svc.assign(t.number, "ani", actor="ani")
    replied = svc.reply(t.number, "ani", "Silakan datang ke kantor cabang.")
    assert replied.status == "in_progress" and replied.first_response_at is not None
    resolved = svc.change_status(t.number, "resolved", "ani", note="selesai")
    assert resolved.resolved_at is not None and not resolved.is_open
    reopened = svc.change_status(t.number, "open", "budi")
    assert reopened.resolved_at is None
    kinds = [(e.kind, e.from_status, e.to_status) for e in reopened.events]
    assert kinds == [("created", None, "open"), ("assigned", None, None), ("reply", "open", "in_progress"),
                     ("status", "in_progress", "resolved"), ("status", "resolved", "open")]


def test_bad_requests(db):
    svc = service(db)
    with pytest.raises(TicketError):
        svc.open("gossip", "tg:1", "telegram", "x")
    with pytest.raises(TicketError):
        svc.change_status("MDK-999999", "resolved", "ani")
    t = svc.open("complaint", "tg:1", "telegram", "x")
    with pytest.raises(TicketError):
        svc.reply(t.number, "ani", "   ")
    with pytest.raises(TicketError):
        svc.change_status(t.number, "teleported", "ani")


def test_hostile_and_huge_text_is_kept_safely(db):
    svc = service(db)
    text = "<script>alert(1)</script> '; DROP TABLE tickets; -- 🙂" + "x" * 20_000
    t = svc.open("complaint", "tg:1", "telegram", text)
    stored = svc.get(t.number)
    assert stored.text.startswith("<script>alert(1)</script> '; DROP TABLE tickets; -- 🙂")
    assert len(stored.text) <= 4000


def test_redaction_keeps_numbers_and_hides_text(db):
    svc = service(db)
    t = svc.open("complaint", "tg:1", "telegram", "NIK saya 1234567890123456", contact={"phone": "08123456789"})
    svc.add_participant_message(t.number, "tg:1", "KPJ saya 12345678901")
    assert svc.redact_sender("tg:1") == 1
    stored = svc.get(t.number, with_events=True)
    assert stored.redacted and "1234" not in stored.text and stored.contact is None and not stored.messages
    assert not any("1234" in (e.text or "") for e in stored.events)


def test_replies_and_status_changes_are_queued_for_telegram_participants(db):
    from messaging.outbox import Outbox

    svc = service(db)
    t = svc.open("handoff", "tg:555", "telegram", "tolong bantu", language="en")
    svc.reply(t.number, "ani", "Please bring your KTP.")
    svc.change_status(t.number, "resolved", "ani", note="done")
    queued = [m for m in Outbox(db).for_ticket(t.number) if m.recipient != "staff"]
    assert [(m.kind, m.chat_id) for m in queued] == [("staff_reply", 555), ("resolution", 555)]
    assert "Please bring your KTP." in queued[0].text and "Staff reply" in queued[0].text
    assert "resolved" in queued[1].text and "done" in queued[1].text
    rest = svc.open("handoff", "rest-user", "rest", "x")
    svc.reply(rest.number, "ani", "hi")
    assert [m.recipient for m in Outbox(db).for_ticket(rest.number)] == ["staff"]


def test_new_tickets_are_announced_to_staff_once_with_masked_text(db):
    from messaging.outbox import Outbox

    svc = service(db)
    t = svc.open("complaint", "tg:9", "telegram", "NIK saya 1271012345678901, <b>tolong</b>")
    svc.open("complaint", "tg:9", "telegram", "NIK saya 1271012345678901, <b>tolong</b>")  # repeat: same ticket
    notices = [m for m in Outbox(db).for_ticket(t.number) if m.recipient == "staff"]
    assert len(notices) == 1 and notices[0].kind == "staff_notice"
    assert "1271012345678901" not in notices[0].text and t.number in notices[0].text
    assert f"/tickets/{t.number}" in notices[0].text
    # A reply can reach the gateway before the post's record: the post itself names its ticket.
    assert ticket_in_staff_notice(notices[0].text) == t.number
    assert ticket_in_staff_notice("Terkirim ke peserta untuk tiket MDK-000001") is None
    assert ticket_in_staff_notice(None) is None


def test_participant_details_are_added_to_their_open_ticket_and_posted_to_staff(db):
    from sqlalchemy import select

    from messaging.models import OutboxRow

    svc = service(db)
    t = svc.open("handoff", "tg:1", "telegram", "mau bicara dengan petugas", now=MONDAY_9_WIB)
    svc.change_status(t.number, "waiting_participant", "ani", notify=False, now=MONDAY_9_WIB)
    later = MONDAY_9_WIB + dt.timedelta(minutes=5)
    t = svc.add_participant_message(t.number, "tg:1", "KPJ saya 12345678901, hubungi 081234567890",
                                    contact={"phone": "081234567890"}, now=later)
    assert t.status == "in_progress"  # the participant answered: back to staff
    assert t.messages[-1]["text"] == "KPJ saya 12345678901, hubungi 081234567890"
    assert t.contact == {"phone": "081234567890"}
    assert [(e.kind, e.actor, e.text) for e in t.events][-1] == (
        "participant_message", "participant", "KPJ saya 12345678901, hubungi 081234567890")
    with db.session() as s:
        posts = s.execute(select(OutboxRow.text).where(OutboxRow.recipient == "staff")).scalars().all()
    notice = [p for p in posts if p.startswith("➕")]
    assert len(notice) == 1 and "12345678901" not in notice[0] and "081234567890" not in notice[0]
    assert ticket_in_staff_notice(notice[0]) == t.number  # staff can answer by replying to it


def test_only_the_owner_adds_details_and_only_while_open(db):
    svc = service(db)
    t = svc.open("handoff", "tg:1", "telegram", "mau bicara dengan petugas")
    with pytest.raises(TicketError):
        svc.add_participant_message(t.number, "tg:2", "bukan tiket saya")
    svc.change_status(t.number, "resolved", "ani", notify=False)
    with pytest.raises(TicketError):
        svc.add_participant_message(t.number, "tg:1", "tambahan")
    with pytest.raises(TicketError):
        svc.add_participant_message(t.number, "tg:1", "   ")


def test_last_staff_reply_is_the_newest_reply(db):
    tickets = TicketService(db, PROFILE)
    t = tickets.open("handoff", "tg:9", "telegram", "halo")
    assert tickets.get(t.number, with_events=True).last_staff_reply == ""
    tickets.reply(t.number, "ani", "Balasan pertama.")
    tickets.reply(t.number, "ani", "Balasan kedua.")
    assert tickets.get(t.number, with_events=True).last_staff_reply == "Balasan kedua."
