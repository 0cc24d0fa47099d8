"""Staff on Telegram: answering and resolving tickets from the staff chat, and who may."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from accounts.models import AuditRow
from accounts.users import UserService
from messaging.models import StaffPostRow
from monitoring.tickets import TicketService
from tests.bot.conftest import PROFILE
from tests.bot.support import STAFF_CHAT, chat_id
from tests.pii_corpus import CORPUS, assert_masked, assert_reached

STAFF_USER = 5550001  # a registered staff member's Telegram user id


@pytest.fixture
def staff(db, fast_hashing):
    users = UserService(db)
    users.create("petugas.tg", "Petugas Telegram", "staff", "Rahasia-Sekali-123", actor="test")
    users.set_telegram("petugas.tg", STAFF_USER, actor="test")


@pytest.fixture
async def handoff(server, gateway, db, staff):
    """A participant's hand-off ticket, as the assistant opens it, and its post in the staff chat."""
    chat = chat_id()
    number = TicketService(db, PROFILE).open("handoff", f"tg:{chat}", "telegram", "saya mau bicara dengan petugas").number
    post = await server.wait_for(lambda: next((m for m in server.sent_messages(STAFF_CHAT) if number in m["text"]), None))
    return chat, number, post


def texts_with(server, chat, fragment):
    return [t for t in server.texts(chat) if fragment in t]


async def test_staff_reply_and_resolve_from_telegram(server, db, handoff):
    chat, number, post = handoff
    assert "Balas pesan ini" in post["text"]
    server.inject_text(STAFF_CHAT, "Silakan bawa KTP ke kantor cabang.", user_id=STAFF_USER, reply_to=post["message_id"])
    (reply,) = await server.wait_for(lambda: texts_with(server, chat, "Balasan petugas"))
    assert number in reply and "Silakan bawa KTP" in reply
    await server.wait_for(lambda: texts_with(server, STAFF_CHAT, "Terkirim"))
    server.inject_command(STAFF_CHAT, "resolve", f"{number} sudah dijelaskan", user_id=STAFF_USER)
    (done,) = await server.wait_for(lambda: texts_with(server, chat, "selesai") or texts_with(server, chat, "diselesaikan"))
    assert number in done
    assert TicketService(db, PROFILE).get(number).status == "resolved"
    # Someone who is not registered staff is refused, and the attempt is audited.
    server.inject_command(STAFF_CHAT, "reply", f"{number} halo", user_id=999)
    await server.wait_for(lambda: texts_with(server, STAFF_CHAT, "hanya untuk petugas"))
    with db.session() as s:
        refused = s.execute(select(AuditRow).where(AuditRow.action == "staff_command_refused")).scalar_one()
    assert refused.actor == "tg-user:999"


async def test_a_participants_reply_to_a_staff_reply_reaches_rasa_with_its_ticket(server, rasa, handoff):
    chat, number, post = handoff
    server.inject_text(STAFF_CHAT, "Mohon kirim nomor KPJ Anda.", user_id=STAFF_USER, reply_to=post["message_id"])
    staff_reply = await server.wait_for(
        lambda: next((m for m in server.sent_messages(chat) if "Balasan petugas" in m["text"]), None))
    assert "balas (reply) pesan ini" in staff_reply["text"]
    server.inject_text(chat, "ini nomornya 12345678901", reply_to=staff_reply["message_id"])
    server.inject_text(chat, "dan satu lagi")  # not a reply: no ticket attached
    await server.wait_for(lambda: len(rasa.received) == 2)
    assert [(b["message"], b["metadata"].get("reply_to_ticket")) for b in rasa.received] == [
        ("ini nomornya 12345678901", number), ("dan satu lagi", None)]


async def test_a_reply_that_overtakes_the_post_record_still_reaches_the_participant(server, db, handoff, handled):
    chat, number, post = handoff
    with db.session() as s:  # as if the staff member answered before the post was recorded
        s.execute(StaffPostRow.__table__.delete().where(StaffPostRow.ticket_number == number))
        # ... while an older record for the same message id (another staff chat's history) points elsewhere
        s.merge(StaffPostRow(chat_id=STAFF_CHAT, message_id=post["message_id"], ticket_number="MDK-999999"))
    server.inject_text(STAFF_CHAT, "Silakan datang hari Senin.", user_id=STAFF_USER, reply_to=post["message_id"])
    (reply,) = await server.wait_for(lambda: texts_with(server, chat, "Senin"))
    assert number in reply
    # A reply to a staff member's own message (not a bot post) is not taken for a ticket answer.
    confirmations = lambda: [t for t in texts_with(server, STAFF_CHAT, "Terkirim") if number in t]  # noqa: E731
    await server.wait_for(lambda: len(confirmations()) == 1)  # the first reply's confirmation
    mine = server.inject_text(STAFF_CHAT, f"🆕 Tiket {number} — palsu", user_id=STAFF_USER)
    second = server.inject_text(STAFF_CHAT, "jawaban kedua", user_id=STAFF_USER, reply_to=mine["message"]["message_id"])
    await server.wait_for(lambda: second["update_id"] in handled.ids)  # handled: whatever it did is done
    assert len(confirmations()) == 1
    replies = [e.text for e in TicketService(db, PROFILE).events(number) if e.kind == "reply"]
    assert replies == ["Silakan datang hari Senin."] and not texts_with(server, chat, "jawaban kedua")


async def test_staff_commands_without_the_entity(server, db, handoff, handled):
    """/reply and /resolve typed (or pasted) without Telegram's bot_command entity are still commands:
    the /reply is not taken for the text of a reply to the post it answers."""
    chat, number, post = handoff
    server.inject_text(STAFF_CHAT, f"/reply {number} Silakan bawa KTP.", user_id=STAFF_USER,
                       reply_to=post["message_id"], command_entity=False)
    (reply,) = await server.wait_for(lambda: texts_with(server, chat, "Balasan petugas"))
    assert "Silakan bawa KTP." in reply and "/reply" not in reply
    unknown = server.inject_text(STAFF_CHAT, "/catatan untuk tim", user_id=STAFF_USER, reply_to=post["message_id"],
                                 command_entity=False)
    await server.wait_for(lambda: unknown["update_id"] in handled.ids)
    assert not texts_with(server, chat, "catatan untuk tim")  # not sent to the participant as a reply
    server.inject_text(STAFF_CHAT, f"/resolve {number} sudah dijelaskan", user_id=STAFF_USER, command_entity=False)
    await server.wait_for(lambda: TicketService(db, PROFILE).get(number).status == "resolved")


async def test_staff_chat_posts_never_show_the_masking_corpus_in_clear(server, db, gateway):
    """The masking corpus in a new ticket and in details a participant adds: the posts in the staff
    chat, as Telegram receives them, carry every identifier masked."""
    chat = chat_id()
    tickets = TicketService(db, PROFILE)
    number = tickets.open("complaint", f"tg:{chat}", "telegram", " ; ".join(CORPUS)).number
    for line in CORPUS:
        tickets.add_participant_message(number, f"tg:{chat}", line)
    posts = await server.wait_for(lambda: (lambda p: p if len(p) == 1 + len(CORPUS) else None)(
        [t for t in server.texts(STAFF_CHAT) if number in t]))
    assert_reached("\n".join(posts), "the staff chat")
    assert_masked("\n".join(posts), "the staff chat")
