"""What the conversation's state does to tickets, read back from the database (real Rasa, actions, SQLite)."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from messaging.models import OutboxRow
from monitoring.tickets import TicketService

pytestmark = pytest.mark.stack


def sender() -> str:
    return f"tg:{uuid.uuid4().int % 10**12}"


def tickets(assistant):
    return TicketService(assistant.db, _profile(assistant))


def _profile(assistant):
    from kb.service import KnowledgeBase

    return KnowledgeBase(assistant.db, "medan-kota", check_interval=0).branch


def test_still_failing_in_words_passes_the_original_question_to_staff(assistant):
    me = sender()
    assert assistant.say(me, "kode otp jmo ga masuk2 dari semalam").slots["answer_topic"] == "jmo.otp"
    offered = assistant.say(me, "udah sy coba semua, tetep ga masuk")
    assert offered.slots["escalation_offered"] is True and offered.slots["ticket_id"] is None
    number = assistant.say(me, "/request_ticket").slots["ticket_id"]
    ticket = tickets(assistant).get(number)
    assert ticket.kind == "negative_feedback" and ticket.text == "kode otp jmo ga masuk2 dari semalam"
    assert ticket.topic == "jmo.otp"


def test_details_after_a_hand_off_reach_the_ticket_and_the_staff_chat(assistant):
    me = sender()
    number = assistant.say(me, "saya mau bicara dengan petugas").slots["ticket_id"]
    added = assistant.say(me, "saldo jht saya kurang dari hitungan, KPJ 12345678901")
    assert added.slots["ticket_id"] == number and number in added.text
    ticket = tickets(assistant).get(number, with_events=True)
    assert [e.text for e in ticket.events if e.kind == "participant_message"] == [
        "saldo jht saya kurang dari hitungan, KPJ 12345678901"]
    assert ticket.messages[-1]["text"] == "saldo jht saya kurang dari hitungan, KPJ 12345678901"
    with assistant.db.session() as s:
        posts = s.execute(select(OutboxRow.text).where(OutboxRow.ticket_number == number,
                                                       OutboxRow.recipient == "staff")).scalars().all()
    added_post = [p for p in posts if p.startswith("➕")]
    assert len(added_post) == 1 and "12345678901" not in added_post[0]  # personal numbers masked for staff


def test_a_resolved_ticket_takes_no_more_details(assistant):
    me = sender()
    number = assistant.say(me, "tolong sambungkan ke petugas").slots["ticket_id"]
    tickets(assistant).change_status(number, "resolved", actor="ani", note="sudah dibantu", notify=False)
    turn = assistant.say(me, "kode otp jmo tidak masuk")
    assert turn.slots["answer_topic"] == "jmo.otp" and "ditambahkan ke tiket" not in turn.text
    events = tickets(assistant).get(number, with_events=True).events
    assert not [e for e in events if e.kind == "participant_message"]


def test_a_complaint_with_its_story_and_then_contact_details(assistant):
    me = sender()
    story = "saya mau komplain, antrean di kantor cabang kemarin kacau dan saya menunggu empat jam tanpa kepastian"
    number = assistant.say(me, story).slots["ticket_id"]
    ticket = tickets(assistant).get(number)
    assert ticket.kind == "complaint" and ticket.text == story
    assistant.say(me, "email saya budi.contoh@example.com")
    ticket = tickets(assistant).get(number)
    assert ticket.contact == {"email": "budi.contoh@example.com"}
