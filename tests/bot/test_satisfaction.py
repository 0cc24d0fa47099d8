"""The satisfaction question in Telegram (real python-telegram-bot, the fake Bot API, a stub Rasa): the
resolution message carries the 1-5 scale, a tap is thanked with the offer to comment, and the reply to the
thanks is the comment; nothing of it reaches Rasa, and nothing is taken twice."""
from __future__ import annotations

from monitoring.satisfaction import SatisfactionSurvey
from monitoring.tickets import TicketService
from tests.bot.conftest import PROFILE
from tests.bot.support import chat_id


def keyboard_of(message: dict) -> list:
    return [[b["text"] for b in row] for row in message["reply_markup"]["inline_keyboard"]]


async def resolved_ticket(server, db, chat: int, language: str = "id") -> str:
    tickets = TicketService(db, PROFILE)
    number = tickets.open("complaint", f"tg:{chat}", "telegram", "klaim saya lama", language=language).number
    tickets.reply(number, "ani", "Sudah kami proses.")
    tickets.change_status(number, "resolved", "ani")
    await server.wait_for(lambda: any(m.get("reply_markup") for m in server.sent_messages(chat)), timeout=10)
    return number


async def test_a_rating_then_a_comment_as_a_reply(server, rasa, gateway, db):
    chat = chat_id()
    number = await resolved_ticket(server, db, chat)
    question = server.sent_messages(chat)[-1]
    assert question["text"].startswith(f"✅ Tiket {number} telah selesai.")
    assert "Pilih 1 (sangat tidak puas) sampai 5 (sangat puas)." in question["text"]
    assert keyboard_of(question) == [["1 ⭐", "2 ⭐", "3 ⭐", "4 ⭐", "5 ⭐"]]  # one row

    server.inject_callback(chat, button_text="4 ⭐")
    thanks = (await server.wait_for_messages(chat, 3))[-1]
    assert thanks["text"].startswith(f"Terima kasih atas penilaian Anda untuk tiket {number}: 4 dari 5.")
    sent = server.calls_of("sendMessage")[-1]["params"]
    assert sent["reply_markup"]["force_reply"] is True  # the client opens a reply to the thanks
    assert server.sent_messages(chat)[1]["text"].endswith("➡️ 4 ⭐") and "reply_markup" not in server.sent_messages(chat)[1]
    assert SatisfactionSurvey(db).for_ticket(number).rating == 4

    server.inject_text(chat, "Petugasnya ramah, tapi antrean di kantor lama.", reply_to=thanks["message_id"])
    done = (await server.wait_for_messages(chat, 4))[-1]
    assert done["text"] == (f"Terima kasih, komentar Anda untuk tiket {number} sudah kami catat dan akan kami pakai "
                            "untuk memperbaiki layanan.")
    assert SatisfactionSurvey(db).for_ticket(number).comment == "Petugasnya ramah, tapi antrean di kantor lama."
    assert rasa.texts_from(f"tg:{chat}") == []  # neither the tap nor the comment went to the assistant

    # A second tap on the old keyboard (a stale client) and a second reply change nothing.
    server.inject_callback(chat, f"g:rate:{number}:1", message_id=question["message_id"], check=False)
    again = (await server.wait_for_messages(chat, 5))[-1]
    assert again["text"] == f"Penilaian Anda untuk tiket {number} sudah kami terima sebelumnya (4 dari 5). Terima kasih."
    server.inject_text(chat, "satu lagi", reply_to=thanks["message_id"])
    assert "sudah kami catat sebelumnya" in (await server.wait_for_messages(chat, 6))[-1]["text"]
    rated = SatisfactionSurvey(db).for_ticket(number)
    assert (rated.rating, rated.comment) == (4, "Petugasnya ramah, tapi antrean di kantor lama.")

    # A message that is no reply to the thanks is a question for the assistant as usual.
    server.inject_text(chat, "cara cek saldo jht")
    await server.wait_for(lambda: rasa.texts_from(f"tg:{chat}") == ["cara cek saldo jht"])


async def test_in_english_for_an_english_ticket(server, rasa, gateway, db):
    chat = chat_id()
    number = await resolved_ticket(server, db, chat, language="en")
    assert "Choose 1 (very dissatisfied) to 5 (very satisfied)." in server.texts(chat)[-1]
    server.inject_callback(chat, button_text="2 ⭐")
    thanks = (await server.wait_for_messages(chat, 3))[-1]
    assert thanks["text"].startswith(f"Thank you for rating ticket {number}: 2 out of 5.")
    server.inject_text(chat, "Too slow.", reply_to=thanks["message_id"], language_code="en")
    assert (await server.wait_for_messages(chat, 4))[-1]["text"].startswith(f"Thank you, your comment on ticket {number}")


async def test_a_forged_rating_of_someone_elses_ticket_is_not_taken(server, rasa, gateway, db):
    owner, intruder = chat_id(), chat_id()
    number = await resolved_ticket(server, db, owner)
    server.inject_text(intruder, "halo")
    await server.wait_for_messages(intruder, 1)
    rasa.reply = lambda sender, text, metadata: [{"text": "Pilih", "buttons": [{"title": "A", "payload": "/affirm"}]}]
    server.inject_text(intruder, "menu")
    await server.wait_for_messages(intruder, 2)
    server.inject_callback(intruder, f"g:rate:{number}:1", check=False)
    refused = (await server.wait_for_messages(intruder, 3))[-1]
    assert refused["text"].startswith("Maaf, penilaian ini tidak dapat kami catat.")
    assert SatisfactionSurvey(db).for_ticket(number) is None
