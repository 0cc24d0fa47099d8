import datetime as dt

from core.db import utcnow
from messaging.callbacks import CallbackPayloads
from messaging.inbox import Inbox
from messaging.outbox import Outbox, telegram_chat_id


def test_inbox_records_each_update_once_and_keeps_order(db):
    inbox = Inbox(db)
    assert inbox.receive(10, 1, 7, "text", "pertama") is True
    assert inbox.receive(10, 1, 7, "text", "pertama") is False  # Telegram delivered it again
    inbox.receive(12, 1, 7, "text", "ketiga")
    inbox.receive(11, 1, 7, "text", "kedua")
    inbox.receive(13, 2, 8, "text", "chat lain")
    assert [m.text for m in inbox.open_for_chat(1)] == ["pertama", "ketiga", "kedua"]  # arrival order
    assert inbox.receive(10, 3, 9, "text", "same update id, another chat") is True
    first, third, second = inbox.open_for_chat(1)
    inbox.mark(first.id, "done", True)
    inbox.mark(third.id, "pending", True)
    assert [m.update_id for m in inbox.open_for_chat(1)] == [12, 11]
    assert inbox.get(third.id).attempts == 1
    assert set(inbox.chats_waiting()) == {1, 2, 3}
    assert inbox.forget_chat(1) == 3 and inbox.open_for_chat(1) == []


def test_outbox_per_chat_order_retry_and_failure(db):
    outbox = Outbox(db)
    a1 = outbox.enqueue("tg:1", "satu", "staff_reply")
    a2 = outbox.enqueue("tg:1", "dua", "status_change")
    b1 = outbox.enqueue("tg:2", "lain", "staff_reply")
    assert [m.id for m in outbox.due()] == [a1, b1]  # a2 waits behind a1
    outbox.mark_retry(a1, "NetworkError", 60)
    assert [m.id for m in outbox.due()] == [b1]  # a1 not due yet; a2 still waits behind it
    later = utcnow() + dt.timedelta(seconds=61)
    assert [m.id for m in outbox.due(now=later)] == [a1, b1]
    outbox.mark_sent(a1, 555)
    outbox.mark_failed(b1, "forbidden: bot was blocked by the user")
    assert [m.id for m in outbox.due(now=later)] == [a2]
    assert outbox.get(b1).status == "failed" and "blocked" in outbox.get(b1).last_error
    assert outbox.counts() == {"sent": 1, "failed": 1, "pending": 1}


def test_outbox_dedupe_key(db):
    outbox = Outbox(db)
    first = outbox.enqueue("tg:1", "x", "resolution", dedupe_key="ticket-event:1")
    assert outbox.enqueue("tg:1", "x", "resolution", dedupe_key="ticket-event:1") == first
    assert len(outbox.due()) == 1


def test_recipients():
    assert telegram_chat_id("tg:123") == 123 and telegram_chat_id("staff:-1001") == -1001
    assert telegram_chat_id("staff") is None and telegram_chat_id("rest-user") is None


def test_callback_payloads_fit_64_bytes_and_round_trip(db):
    store = CallbackPayloads(db)
    assert store.store("/affirm") == "/affirm"
    long = '/kb_membership_contribution_payment{"faq_id":"membership-contribution-payment-not-recorded"}'
    key = store.store(long)
    assert len(key.encode()) <= 64 and key != long
    assert store.store(long) == key
    assert store.resolve(key) == long and store.resolve("/affirm") == "/affirm"
    assert store.resolve("p:unknown") is None


def test_a_delivered_staff_notice_records_its_ticket_for_replies(db):
    outbox = Outbox(db)
    notice = outbox.enqueue("staff", "🆕 MDK-000007 ...", "staff_notice", ticket_number="MDK-000007")
    reply = outbox.enqueue("tg:1", "balasan", "staff_reply", ticket_number="MDK-000007")
    outbox.mark_sent(notice, 901, chat_id=-100)
    outbox.mark_sent(reply, 902, chat_id=1)  # a participant's message is not a staff post
    assert outbox.ticket_for_post(-100, 901) == "MDK-000007"
    assert outbox.ticket_for_post(1, 902) is None and outbox.ticket_for_post(-100, 999) is None
