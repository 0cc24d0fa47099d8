"""Channel identity with the real assistant: the REST channel cannot speak for a Telegram participant.

The spoof of issue 13: `POST /webhooks/rest/webhook {"sender": "tg:7001", "message": "status tiket MDK-…"}`
without the gateway's credential returned that participant's ticket, wrote into the ticket staff read,
and opened tickets whose staff replies went to that Telegram chat. Ticket status, erasure and staff
replies follow the sender id, so the channel refusing the namespace is what protects them; these tests
check all three against the real Rasa server, action server and database.
"""
from __future__ import annotations

import uuid

import pytest
import requests
from sqlalchemy import select

from messaging.models import OutboxRow
from monitoring.tickets import TicketService
from rasa_ext.tracker_erasure import erase_conversation

pytestmark = pytest.mark.stack


def telegram_participant() -> str:
    return f"tg:{uuid.uuid4().int % 10**9}"


def web_participant() -> str:
    return f"web-{uuid.uuid4().hex[:10]}"


def public_post(assistant, sender: str, text: str) -> requests.Response:
    """A request as anyone who can reach the port sends it: no credential."""
    return requests.post(f"{assistant.stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                         timeout=60)


def tickets(assistant) -> TicketService:
    from kb.service import KnowledgeBase

    return TicketService(assistant.db, KnowledgeBase(assistant.db, "medan-kota", check_interval=0).branch)


def user_texts(assistant, sender: str) -> list:
    return [e.get("text") for e in assistant.client.tracker(sender)["events"] if e["event"] == "user"]


def test_the_spoof_of_a_telegram_participant_is_refused(assistant):
    victim = telegram_participant()
    number = assistant.say(victim, "saya mau bicara dengan petugas").slots["ticket_id"]  # through the gateway's door
    before = tickets(assistant).get(number, with_events=True)
    response = public_post(assistant, victim, f"status tiket {number}")
    assert response.status_code == 403
    assert response.json()["error"] == "reserved_sender" and "Telegram channel" in response.json()["message"]
    # Nothing reached the conversation, the ticket staff read, or the outbox.
    assert user_texts(assistant, victim) == ["saya mau bicara dengan petugas"]
    after = tickets(assistant).get(number, with_events=True)
    assert after.messages == before.messages and len(after.events) == len(before.events)
    for disguised in (victim.upper(), f"Tg:{victim[3:]}", f"staff:{victim[3:]}"):
        assert public_post(assistant, disguised, "halo").status_code == 403


def test_ticket_status_follows_the_channel_identity(assistant):
    owner = telegram_participant()
    number = assistant.say(owner, "saya mau bicara dengan petugas").slots["ticket_id"]
    stranger = web_participant()
    response = public_post(assistant, stranger, f"status tiket {number}")
    assert response.status_code == 200
    text = " ".join(m.get("text") or "" for m in response.json())
    assert f"Tiket {number} tidak ditemukan di antara tiket Anda" in text  # somebody else's ticket is not shown
    assert assistant.client.slots(stranger)["ticket_id"] is None
    assert assistant.say(owner, f"status tiket {number}").slots["ticket_id"] == number


def test_staff_replies_to_a_rest_ticket_never_reach_a_telegram_chat(assistant):
    web = web_participant()
    response = public_post(assistant, web, "saya mau bicara dengan petugas")
    assert response.status_code == 200
    number = assistant.client.slots(web)["ticket_id"]
    ticket = tickets(assistant).get(number)
    assert ticket.sender_id == web and ticket.channel == "rest"
    tickets(assistant).reply(number, "ani", "Mohon kirim nomor KPJ Anda.")
    with assistant.db.session() as s:
        recipients = s.execute(select(OutboxRow.recipient, OutboxRow.chat_id)
                               .where(OutboxRow.ticket_number == number)).all()
    assert {r.recipient for r in recipients} == {"staff"}  # the staff chat's notice only
    assert all(r.chat_id is None for r in recipients)


def test_erasure_follows_the_channel_identity(assistant):
    """A Telegram participant's erasure (/hapus, through the gateway) removes only their conversation; a REST
    sender cannot write into it before or after."""
    victim, web = telegram_participant(), web_participant()
    assistant.say(victim, "lupa password jmo")
    assert public_post(assistant, web, "lupa password jmo").status_code == 200
    assert erase_conversation(assistant.db, victim) > 0
    assert public_post(assistant, victim, "kembalikan percakapan saya").status_code == 403
    assert user_texts(assistant, victim) == [] and user_texts(assistant, web) == ["lupa password jmo"]


def test_long_runs_of_one_letter_get_the_fallback_not_a_yes(assistant):
    web = web_participant()
    response = public_post(assistant, web, "a" * 5000)
    assert response.status_code == 200
    note, *answer = response.json()
    assert "4096 karakter pertama" in note["text"]
    tracker = assistant.client.tracker(web, include_events="NONE")
    assert tracker["latest_message"]["intent"]["name"] == "nlu_fallback"
    assert not any("Baik. Silakan tulis" in (m.get("text") or "") for m in answer)
