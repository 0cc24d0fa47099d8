"""action_respond on knowledge questions: answers, clarifications, follow-ups, declines, language.

Trackers are built in the test (rasa_sdk.Tracker with the NLU reading Rasa would give), the action is
run directly, and what it said, the slots it set and what it logged are checked against the real
knowledge base (kb/content) and a real database.
"""
import pytest

from actions.respond import ActionRespond
from kb.citation import public_source
from tests.actions.helpers import Chat, feedback_given, reading, run, tracker, turn_log

FEEDBACK_BUTTONS = [{"title": "👍 Ya, membantu", "payload": "/affirm"},
                    {"title": "👎 Tidak membantu", "payload": "/deny"}]
# "cara klaim" alone fits several claim channels; Rasa's reading of it is split between them.
AMBIGUOUS = ("cara klaim", "kb_jht_online_claim", 0.31,
             [("kb_jht_online_claim", 0.31), ("kb_jkp_apply", 0.28), ("kb_jht_partial", 0.2)])


@pytest.fixture
def chat(services_on):
    return Chat(ActionRespond())


async def ambiguous(chat):
    text, intent, confidence, ranking = AMBIGUOUS
    return await chat.say(text, intent, confidence, ranking=ranking)


async def test_a_confident_question_is_answered_with_its_source_and_asks_for_feedback(chat, content_kb, services_on):
    entry = content_kb.entry("jht-documents-resign")
    turn = await chat.say("syarat dokumen klaim jht karena resign apa saja", "kb_jht_documents", 0.95)

    assert turn.slots["answer_topic"] == "jht.documents" and turn.slots["answer_faq_id"] == entry.id
    assert turn.slots["last_faq_id"] == entry.id and turn.slots["context_program"] == "JHT"
    assert turn.slots["pending_question"] == "feedback" and turn.slots["suggested_topics"] is None
    assert len(turn.messages) == 1
    assert "Kartu peserta BPJS Ketenagakerjaan (KPJ)" in turn.text  # the entry's own facts
    assert "Keterangan pengunduran diri dari perusahaan" in turn.text
    assert f"Sumber: {public_source(entry.citations, 'id')}" in turn.text
    assert turn.text.endswith("Apakah jawaban ini membantu?")
    assert turn.buttons == FEEDBACK_BUTTONS
    assert turn_log(services_on, chat.sender) == [("answered", entry.id, None)]


async def test_branch_facts_in_an_answer_come_from_the_branch_profile(chat, content_kb):
    turn = await chat.say("jam buka kantor cabang kapan ya", "kb_service_office_hours", 0.9)
    branch = content_kb.branch  # the test profile the knowledge base was loaded with
    assert turn.slots["answer_faq_id"] == "service-office-hours"
    assert branch.name["id"] in turn.text and branch.office_hours_text("id") in turn.text


async def test_an_ambiguous_question_offers_the_candidates_as_buttons(chat, content_kb, services_on):
    turn = await ambiguous(chat)

    assert turn.text == "Maksud Anda yang mana? Pilih salah satu:"
    *options, none = turn.buttons
    assert none == {"title": "Tidak ada yang sesuai", "payload": "/deny"}
    offered = [content_kb.entry(i) for i in turn.slots["offered_options"]]
    assert len(options) == len(offered) >= 2
    for button, entry in zip(options, offered):
        assert button["title"] == content_kb.title(entry, "id")
        assert button["payload"].endswith(f'{{"faq_id":"{entry.id}"}}')
    assert turn.slots["suggested_topics"] == [e.topic for e in offered]
    assert "jht.online_claim" in turn.slots["suggested_topics"]
    assert turn.slots["answer_topic"] is None and turn.slots["pending_question"] == "clarify"
    assert turn_log(services_on, chat.sender)[0][0] == "clarified"


@pytest.mark.parametrize("reply,entry_id,fact", [
    ("yang lewat aplikasi jmo", "jht-online-claim-jmo", "tiga centang hijau"),
    ("yang sebagian 10%", "jht-partial-10", "paling banyak 10%"),
])
async def test_a_typed_reply_naming_an_option_gets_that_options_answer(chat, content_kb, reply, entry_id, fact):
    offered = (await ambiguous(chat)).slots["offered_options"]
    assert entry_id in offered

    turn = await chat.say(reply)  # Rasa's reading of the reply alone is no help
    assert turn.slots["answer_faq_id"] == entry_id and fact in turn.text
    assert f"Sumber: {public_source(content_kb.entry(entry_id).citations, 'id')}" in turn.text
    assert turn.slots["suggested_topics"] is None and turn.slots["offered_options"] is None
    assert turn.slots["pending_question"] == "feedback"


async def test_pressing_an_offered_option_gets_that_options_answer(chat, content_kb):
    options = (await ambiguous(chat)).buttons
    chosen = next(b for b in options if "jkp-apply" in b["payload"])

    turn = await chat.press(chosen)
    assert turn.slots["answer_topic"] == "jkp.apply" and turn.slots["answer_faq_id"] == "jkp-apply"
    assert "SIAPkerja" in turn.text and f"Sumber: {public_source(content_kb.entry('jkp-apply').citations, 'id')}" in turn.text


async def test_a_follow_up_after_a_jht_answer_gets_the_jht_documents(chat):
    first = await chat.say("kapan jht bisa cair setelah resign", "kb_jht_eligibility", 0.9)
    assert first.slots["answer_faq_id"] == "jht-eligibility-resign"

    # Alone, "dokumennya apa aja?" names no program; the classifier's guess points at JKK.
    turn = await chat.say("dokumennya apa aja?", "kb_jkk_documents", 0.35)
    assert turn.slots["answer_topic"] == "jht.documents"
    assert turn.slots["answer_faq_id"] == "jht-documents-resign"  # the resignation the question was about
    assert "Dokumen klaim JHT karena mengundurkan diri" in turn.text
    assert turn.slots["context_program"] == "JHT"


async def test_the_conversation_is_read_from_the_slots_rasa_keeps(services_on):
    # One tracker, built as Rasa would hand it over after a JHT answer: the slots carry the context.
    after_jht_answer = {"pending_question": "feedback", "context_program": "JHT", "context_topic": "jht.eligibility",
                        "last_faq_id": "jht-eligibility-resign", "last_question": "kapan jht bisa cair setelah resign",
                        "answer_topic": "jht.eligibility", "answer_faq_id": "jht-eligibility-resign"}
    messages, slots = await run(ActionRespond(), tracker("dokumennya apa aja?", "kb_jkk_documents", 0.35,
                                                         slots=after_jht_answer))
    assert slots["answer_topic"] == "jht.documents" and slots["answer_faq_id"] == "jht-documents-resign"
    assert slots["last_question"] == "kapan jht bisa cair setelah resign. dokumennya apa aja?"
    assert "context_program" not in slots  # unchanged slots are not sent back
    assert messages[0]["text"].startswith("Dokumen klaim JHT karena mengundurkan diri")


async def test_a_new_session_forgets_the_old_context(chat):
    await chat.say("kapan jht bisa cair setelah resign", "kb_jht_eligibility", 0.9)
    chat.new_session()  # two idle hours later; the slots are carried over, the context no longer applies

    turn = await chat.say("dokumennya apa aja?", "kb_jkk_documents", 0.35)
    assert turn.slots["answer_topic"] == "jkk.documents"  # the message read alone
    assert turn.slots["last_question"] == "dokumennya apa aja?"


async def test_a_reply_to_a_clarification_is_read_by_rasa_together_with_the_question(chat, nlu):
    first = await chat.say("kodenya gak masuk2 dari tadi")
    assert first.slots["pending_question"] == "clarify" and "jmo.otp" in first.slots["suggested_topics"]
    # What Rasa's NLU says of the two messages read as one (each alone is too vague).
    nlu.reads("kodenya gak masuk2", "buat daftar jmo", signal=reading("kb_jmo_otp", 0.9))

    turn = await chat.say("buat daftar jmo")
    assert turn.slots["answer_topic"] == "jmo.otp" and "kode OTP" in turn.text
    assert any("kodenya gak masuk2" in text and "buat daftar jmo" in text for text in nlu.asked)


async def test_a_new_complete_question_on_another_topic_wins_over_the_context(chat):
    await chat.say("kapan jht bisa cair setelah resign", "kb_jht_eligibility", 0.9)

    turn = await chat.say("kode otp jmo tidak masuk-masuk", "kb_jmo_otp", 0.9)
    assert turn.slots["answer_topic"] == "jmo.otp" and turn.slots["context_topic"] == "jmo.otp"
    assert "kode OTP" in turn.text and "JHT" not in turn.text
    assert turn.slots["last_question"] == "kode otp jmo tidak masuk-masuk"  # not read with the JHT question


@pytest.mark.parametrize("after_jht_answer", [False, True])
async def test_a_bpjs_kesehatan_question_is_declined_without_a_knowledge_answer(chat, services_on, after_jht_answer):
    if after_jht_answer:  # it even looks like a follow-up ("kalau ... syaratnya apa?")
        await chat.say("dokumen klaim jht resign", "kb_jht_documents", 0.9)

    turn = await chat.say("kalau bpjs kesehatan syaratnya apa?", "kb_jht_documents", 0.5)
    assert "BPJS Kesehatan adalah badan yang berbeda" in turn.text
    assert "Sumber:" not in turn.text
    assert turn.slots["answer_topic"] is None and turn.slots["answer_faq_id"] is None
    assert [b["payload"] for b in turn.buttons][-1] == "/human_handoff"  # the main menu, staff included
    assert turn_log(services_on, chat.sender)[-1][0] == "out_of_scope"


async def test_an_english_question_gets_an_english_answer(chat, content_kb, services_on):
    entry = content_kb.entry("jht-documents-resign")
    turn = await chat.say("What documents do I need for a JHT claim after resigning?", "kb_jht_documents", 0.8)

    assert turn.slots["language"] == "en" and turn.slots["answer_faq_id"] == entry.id
    assert "A resignation statement from the employer" in turn.text
    assert f"Source: {public_source(entry.citations, 'en')}" in turn.text and "Sumber:" not in turn.text
    assert turn.text.endswith("Was this answer helpful?")
    assert [b["title"] for b in turn.buttons] == ["👍 Yes, helpful", "👎 Not helpful"]

    thanks = await chat.press(turn.buttons[0])  # a button carries no words: the conversation's language
    assert thanks.text == "Thank you for your feedback! Is there anything else I can help with?"
    assert feedback_given(services_on, chat.sender) == [
        (entry.id, True, "What documents do I need for a JHT claim after resigning?")]
