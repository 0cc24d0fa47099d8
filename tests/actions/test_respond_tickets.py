"""action_respond where the conversation reaches staff: fallbacks, feedback, hand-off, complaints, status.

Trackers are built in the test and the action is run directly; the tickets, feedback and turn log it
writes are read back from a real database, with the branch profile numbering tickets and timing them.
"""
import re

import pytest

from actions.respond import ActionRespond
from monitoring.service_time import local_time_text, reply_by_text
from monitoring.tickets import TicketService
from tests.actions.helpers import Chat, feedback_given, turn_log
from tests.branch.profiles import load_test_profile

OTP_QUESTION = "kode otp jmo ga masuk2 dari semalam"
OFFER_BUTTONS = [{"title": "Teruskan ke petugas (tiket)", "payload": "/request_ticket"},
                 {"title": "Bicara dengan petugas", "payload": "/human_handoff"},
                 {"title": "Tidak, terima kasih", "payload": "/deny"}]


@pytest.fixture
def profile(branch_code):
    return load_test_profile(branch_code)


@pytest.fixture
def tickets(services_on, profile):
    return TicketService(services_on, profile)


@pytest.fixture
def chat(services_on):
    return Chat(ActionRespond())


async def answered_otp(chat):
    turn = await chat.say(OTP_QUESTION, "kb_jmo_otp", 0.9)
    assert turn.slots["answer_faq_id"] == "jmo-otp-not-received"
    return turn


# ---- not understood ----------------------------------------------------------------------
async def test_a_message_not_understood_gets_the_fallback_and_no_ticket(chat, tickets, services_on):
    turn = await chat.say("berapa harga tiket pesawat ke jakarta", "nlu_fallback", 0.25)

    assert turn.text.startswith("Maaf, saya belum memahami pertanyaan Anda.")
    assert "Pengaduan" in [b["title"] for b in turn.buttons]  # the main menu to choose from
    assert turn.slots["answer_topic"] is None and turn.slots["ticket_id"] is None
    assert turn.slots["fallback_count"] == 1
    assert tickets.for_sender(chat.sender) == []
    assert turn_log(services_on, chat.sender) == [("fallback", None, None)]


@pytest.mark.parametrize("branch_code", ["test-kota", "uji-raya"])
async def test_the_second_failure_in_a_row_opens_a_ticket_with_the_questions(chat, tickets, profile, services_on):
    first, second = "berapa harga tiket pesawat ke jakarta", "apa kabar bapak presiden"
    await chat.say(first, "nlu_fallback", 0.25)
    turn = await chat.say(second, "nlu_fallback", 0.2)

    number = turn.slots["ticket_id"]
    assert re.fullmatch(rf"{profile.ticket_prefix}-\d{{6}}", number)
    ticket = tickets.get(number)
    assert ticket.kind == "unresolved_question" and ticket.status == "open" and ticket.sender_id == chat.sender
    assert ticket.text == f"{first}\n{second}"  # what the participant asked, for staff to answer
    assert f"nomor tiket {number}" in turn.text and f'"status tiket {number}"' in turn.text
    assert reply_by_text(ticket.due_at, profile, "id") in turn.text
    # A due time only where the branch published its standard (uji-raya); test-kota's is an internal target.
    assert (local_time_text(ticket.due_at, profile, "id") in turn.text) == profile.standard_published
    assert profile.office_hours_text("id") in turn.text
    assert turn.slots["fallback_count"] == 0 and turn.slots["failed_messages"] is None
    assert [t.number for t in tickets.for_sender(chat.sender)] == [number]
    assert turn_log(services_on, chat.sender)[-1] == ("ticket", None, number)


# ---- "was this helpful?" -----------------------------------------------------------------
async def test_thumbs_up_thanks_and_records_the_answer_as_helpful(chat, tickets, services_on):
    answer = await answered_otp(chat)

    turn = await chat.press(answer.button("👍 Ya, membantu"))
    assert turn.text == "Terima kasih atas tanggapan Anda! Ada lagi yang bisa saya bantu?"
    assert turn.slots["pending_question"] is None and turn.slots["escalation_offered"] is None
    assert feedback_given(services_on, chat.sender) == [("jmo-otp-not-received", True, OTP_QUESTION)]
    assert tickets.for_sender(chat.sender) == []


async def test_thumbs_down_offers_a_ticket_or_a_person(chat, tickets, services_on):
    answer = await answered_otp(chat)

    turn = await chat.press(answer.button("👎 Tidak membantu"))
    assert turn.text.startswith("Maaf jawabannya belum membantu.")
    assert turn.buttons == OFFER_BUTTONS
    assert turn.slots["escalation_offered"] is True and turn.slots["pending_question"] == "offer_ticket"
    assert feedback_given(services_on, chat.sender) == [("jmo-otp-not-received", False, OTP_QUESTION)]
    assert tickets.for_sender(chat.sender) == []  # only offered


@pytest.mark.parametrize("accept", ["button", "words"])
async def test_still_failing_in_words_offers_staff_and_accepting_passes_the_question_on(chat, tickets, services_on,
                                                                                        accept):
    await answered_otp(chat)

    offer = await chat.say("masih gagal")  # words, not a button
    assert offer.text.startswith("Maaf, langkah tadi belum menyelesaikan masalah Anda.")
    assert offer.buttons == OFFER_BUTTONS and offer.slots["escalation_offered"] is True
    assert tickets.for_sender(chat.sender) == []

    if accept == "button":
        turn = await chat.press(offer.button("Teruskan ke petugas (tiket)"))
    else:
        turn = await chat.say("iya", "affirm", 0.95)
    number = turn.slots["ticket_id"]
    ticket = tickets.get(number)
    assert ticket.kind == "negative_feedback" and ticket.text == OTP_QUESTION  # the question, not "masih gagal"
    assert ticket.topic == "jmo.otp"
    assert turn.text.startswith(f"Tiket {number} sudah dibuat dan diteruskan ke petugas.")
    assert turn.slots["open_ticket"] == number  # further details go to it
    assert feedback_given(services_on, chat.sender) == [("jmo-otp-not-received", False, OTP_QUESTION)]


# ---- hand-off and complaints ---------------------------------------------------------------
async def test_a_hand_off_opens_a_ticket_and_later_details_are_added_to_it(chat, tickets, profile):
    turn = await chat.say("saya mau bicara dengan petugas", "human_handoff", 0.95)
    number = turn.slots["ticket_id"]
    ticket = tickets.get(number)
    assert ticket.kind == "handoff" and ticket.text == "saya mau bicara dengan petugas"
    assert f"(tiket {number})" in turn.text and reply_by_text(ticket.due_at, profile, "id") in turn.text
    assert local_time_text(ticket.due_at, profile, "id") not in turn.text  # test-kota's standard is internal

    details = "saldo jht saya kurang dari hitungan, KPJ 12345678901"
    added = await chat.say(details, "kb_jht_balance", 0.7)
    assert added.text.startswith(f"Terima kasih, pesan Anda sudah ditambahkan ke tiket {number}.")
    assert added.slots["ticket_id"] == number and added.slots["answer_topic"] is None  # filed, not answered
    ticket = tickets.get(number, with_events=True)
    assert [e.text for e in ticket.events if e.kind == "participant_message"] == [details]
    assert [t.number for t in tickets.for_sender(chat.sender)] == [number]  # no second ticket


async def test_a_complaint_whose_first_message_tells_the_story_is_filed_without_asking(chat, tickets):
    story = "saya mau komplain, antrean di kantor cabang kemarin kacau dan saya menunggu empat jam tanpa kepastian"
    turn = await chat.say(story, "complaint", 0.9)

    number = turn.slots["ticket_id"]
    ticket = tickets.get(number)
    assert ticket.kind == "complaint" and ticket.text == story
    assert turn.text.startswith(f"Terima kasih, pengaduan Anda sudah kami terima dengan nomor tiket {number}.")
    assert "ceritakan" not in turn.text and turn.slots["pending_question"] is None


async def test_a_bare_complaint_asks_for_the_story_then_files_it(chat, tickets):
    asked = await chat.say("saya mau komplain", "complaint", 0.9)
    assert asked.text.startswith("Silakan ceritakan pengaduan Anda")
    assert asked.slots["ticket_id"] is None and tickets.for_sender(chat.sender) == []

    story = "petugas satpam di kantor cabang tadi pagi kasar kepada saya"
    turn = await chat.say(story, "complaint", 0.6)
    ticket = tickets.get(turn.slots["ticket_id"])
    assert ticket.kind == "complaint" and ticket.text == story
    assert f"nomor tiket {ticket.number}" in turn.text


async def test_hand_off_and_complaint_tickets_carry_the_conversations_topic(chat, tickets):
    await answered_otp(chat)
    handoff = tickets.get((await chat.say("saya mau bicara dengan petugas", "human_handoff", 0.95)).slots["ticket_id"])
    assert handoff.topic == "jmo.otp"


async def test_a_complaint_without_context_is_filed_under_the_topic_its_story_names(chat, tickets):
    story = "saya mau komplain, saldo jht saya kurang dari hitungan sudah tiga bulan"
    ticket = tickets.get((await chat.say(story, "complaint", 0.9)).slots["ticket_id"])
    assert ticket.topic == "jht.balance"
    vague = "petugas satpam di kantor cabang tadi pagi kasar kepada saya"
    other = Chat(ActionRespond(), sender="tg:9191")
    await other.say("saya mau komplain", "complaint", 0.9)
    assert tickets.get((await other.say(vague, "complaint", 0.6)).slots["ticket_id"]).topic is None  # no guess


async def test_a_hand_off_after_a_merge_adds_to_the_ticket_kept(chat, tickets):
    first = tickets.open("unresolved_question", chat.sender, "telegram", "saldo jht saya kurang").number
    turn = await chat.say("saya mau bicara dengan petugas", "human_handoff", 0.95)
    duplicate = turn.slots["ticket_id"]
    tickets.merge(duplicate, first, "ani")
    added = await chat.say("KPJ saya 12345678901", "nlu_fallback", 0.3)
    assert added.slots["ticket_id"] == first and first in added.text


async def test_contact_details_after_a_complaint_are_recorded_on_its_ticket(chat, tickets):
    story = "antrean di kantor cabang kemarin kacau dan saya menunggu empat jam tanpa kepastian"
    number = (await chat.say(f"saya mau komplain, {story}", "complaint", 0.9)).slots["ticket_id"]

    turn = await chat.say("email saya budi.contoh@example.com", "nlu_fallback", 0.4)
    assert turn.text.startswith(f"Terima kasih, kontak Anda sudah dicatat di tiket {number}.")
    assert tickets.get(number).contact == {"email": "budi.contoh@example.com"}


async def test_a_reply_to_a_staff_message_goes_to_that_ticket_and_only_the_participants_own(chat, tickets):
    mine = tickets.open("unresolved_question", chat.sender, "telegram", "saldo jht saya kurang").number
    someone_elses = tickets.open("unresolved_question", "tg:99", "telegram", "pertanyaan orang lain").number
    tickets.reply(mine, "ani", "Mohon kirim nomor KPJ Anda.")

    turn = await chat.say("nomor kpj saya 12345678901", metadata={"reply_to_ticket": mine})
    assert turn.text.startswith(f"Terima kasih, pesan Anda sudah ditambahkan ke tiket {mine}.")
    assert [e.text for e in tickets.events(mine) if e.kind == "participant_message"] == ["nomor kpj saya 12345678901"]

    stranger = Chat(ActionRespond(), sender="tg:77")  # a forged or mistaken reply to another's ticket
    turn = await stranger.say("ini data saya ya kak", metadata={"reply_to_ticket": someone_elses})
    assert someone_elses not in turn.text and turn.slots["ticket_id"] is None
    assert "gangguan" not in turn.text  # read as a message of its own, not an error
    assert [e.kind for e in tickets.events(someone_elses)] == ["created"]


# ---- ticket status ---------------------------------------------------------------------------
def status_request(number: str):
    return dict(text=f"status tiket {number}", intent="ticket_status", confidence=0.95,
                entities=[{"entity": "ticket_id", "value": number}])


@pytest.mark.parametrize("branch_code", ["test-kota", "uji-raya"])
async def test_ticket_status_describes_the_participants_open_ticket(chat, tickets, profile):
    number = (await chat.say("saya mau bicara dengan petugas", "human_handoff", 0.95)).slots["ticket_id"]
    tickets.reply(number, "ani", "Saldo Anda sedang kami periksa.")

    turn = await chat.say(**status_request(number))
    ticket = tickets.get(number)
    assert turn.text.startswith(f"Tiket {number} (permintaan bicara dengan petugas): sedang ditangani petugas.")
    assert f"Dibuat {local_time_text(ticket.created_at, profile, 'id')}" in turn.text
    assert ("Target tanggapan:" in turn.text) == profile.standard_published  # only a published standard
    assert 'Balasan terakhir petugas: "Saldo Anda sedang kami periksa."' in turn.text
    assert turn.slots["ticket_id"] == number

    listed = await chat.say("status tiket saya gimana", "ticket_status", 0.9)
    assert listed.text.startswith("Tiket Anda:") and f"• Tiket {number} " in listed.text


async def test_ticket_status_without_tickets_says_so(chat):
    turn = await chat.say("status tiket saya gimana", "ticket_status", 0.9)
    assert turn.text.startswith("Anda belum memiliki tiket.") and turn.slots["ticket_id"] is None


@pytest.mark.parametrize("branch_code", ["test-kota", "uji-raya"])
async def test_an_unknown_ticket_number_is_not_found_with_the_profiles_example(chat, tickets, profile):
    someone_elses = tickets.open("handoff", "tg:99", "telegram", "tolong hubungi saya").number
    for number in (f"{profile.ticket_prefix}-999999", someone_elses):  # the same answer for both
        turn = await chat.say(**status_request(number))
        assert turn.text.startswith(f"Tiket {number} tidak ditemukan di antara tiket Anda.")
        assert f"(contoh format {profile.ticket_example})" in turn.text
        assert turn.slots["ticket_id"] is None
        assert "tolong hubungi saya" not in turn.text
