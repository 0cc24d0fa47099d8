"""Forgetting a participant: their conversation, turn log, feedback and inbox go; their tickets stay, masked."""
from sqlalchemy import select

from messaging.inbox import Inbox
from monitoring.models import TicketRow
from monitoring.privacy import forget_participant
from monitoring.tickets import TicketService
from monitoring.turns import Turn, TurnLog
from tests.branch.profiles import load_test_profile

PROFILE = load_test_profile()


def test_forgetting_erases_everything_of_the_sender_and_masks_their_tickets(db):
    turns, inbox = TurnLog(db), Inbox(db)
    for sender in ("tg:1", "tg:2"):
        turns.record(Turn(sender, "saldo jht saya 12345678", "answered"))
    inbox.receive(10, 1, 1, "text", "saldo jht saya")
    inbox.receive(11, 2, 2, "text", "halo")
    TicketService(db, PROFILE).open("handoff", "tg:1", "telegram", "mau bicara dengan petugas")
    erased = []

    def eraser(sender):  # the dialogue engine's store, which the adapter passes in
        erased.append(sender)
        return 7

    report = forget_participant(db, PROFILE, "tg:1", eraser)
    assert erased == ["tg:1"]
    assert (report.conversation_events, report.log_rows, report.inbox_rows, report.tickets_masked) == (7, 1, 1, 1)
    assert TurnLog(db).forget_sender("tg:1") == 0 and inbox.open_for_chat(1) == []
    assert len(inbox.open_for_chat(2)) == 1  # another participant keeps theirs
    with db.session() as s:
        ticket = s.execute(select(TicketRow).where(TicketRow.sender_id == "tg:1")).scalar_one()
        assert ticket.redacted and "petugas" not in ticket.text


def test_a_sender_from_another_channel_has_no_inbox_to_forget(db):
    report = forget_participant(db, PROFILE, "rest-user", lambda sender: 0)
    assert report == type(report)(0, 0, 0, 0)
