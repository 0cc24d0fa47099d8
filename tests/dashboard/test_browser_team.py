"""A branch team's work in a real browser (Debian's chromium through Playwright), with the real gateway
delivering to a fake Telegram: assign to a colleague, an internal note, merging a participant's duplicate,
a reply template reaching the participant on Telegram, the 'mine' view and a bulk action; and (with the real
assistant) a ticket turned into an FAQ entry that answers the next participant.

SCREENSHOT_DIR=reports/screenshots saves the queue, the ticket page and the FAQ draft as PNG files there.
"""
from __future__ import annotations

import asyncio
import os
import re
import threading
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from werkzeug.serving import make_server

from accounts.users import UserService
from bot.app import running_gateway
from branch.source import BranchSource
from core.settings import get_settings
from dashboard import create_app
from devtools.fake_bot_api import FakeBotAPIProcess
from kb.store import KbStore
from monitoring.reply_templates import ReplyTemplates
from monitoring.tickets import TicketService
from tests.bot.support import RASA_TOKEN as GATEWAY_RASA_TOKEN
from tests.bot.support import STAFF_CHAT, TOKEN, quick_config, settings_for
from tests.dashboard.conftest import PASSWORD, PROFILE
from tests.dashboard.fake_rasa import FakeRasa, bot, slot, user

VIEWPORT = {"width": 1366, "height": 900}


def screenshot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def watch(page) -> list:
    """Console errors and refused resources (the Content-Security-Policy) collected while the page is used."""
    problems: list = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: d.accept())  # data-confirm buttons
    return problems


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/tickets")


@pytest.fixture
def telegram(db, monkeypatch):
    """The fake Bot API (a process of its own) and the real gateway, delivering the outbox from a thread with
    its own event loop; yields the fake's client (what the bot sent, per chat)."""
    monkeypatch.setenv("BRANCH_CODE", PROFILE.code)
    with FakeBotAPIProcess(token=TOKEN) as api, FakeRasa(GATEWAY_RASA_TOKEN) as rasa:
        settings = settings_for(api, db.url, rasa.url, GATEWAY_RASA_TOKEN)
        ready, stop, failed = threading.Event(), threading.Event(), []

        async def serve():
            async with running_gateway(settings, db, quick_config()):
                ready.set()
                while not stop.is_set():
                    await asyncio.sleep(0.05)

        def run():
            try:
                asyncio.run(serve())
            except Exception as exc:  # reported by the fixture rather than lost in the thread
                failed.append(exc)
                ready.set()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        assert ready.wait(30) and not failed, failed
        yield SimpleNamespace(api=api.client, rasa=rasa)
        stop.set()
        thread.join(30)


def test_a_team_works_a_ticket_and_the_template_reply_reaches_telegram(chromium, live_server, app, accounts,
                                                                        tickets, db, telegram):
    accounts.create("sari", "Sari Nasution", "staff", PASSWORD, actor="test")
    chat = 812345678
    app.config["RASA_URL"] = telegram.rasa.url  # the transcript, from a tracker as Rasa keeps it
    app.config["RASA_TOKEN"] = GATEWAY_RASA_TOKEN
    typed_status = user(1796000030.0, "/ticket_status", "ticket_status", 1.0)
    typed_status["metadata"] = {"input": "command", "command": "/status"}
    telegram.rasa.trackers[f"tg:{chat}"] = {"sender_id": f"tg:{chat}", "events": [
        user(1796000000.0, "saldo jht saya kok beda dengan hitungan saya?", "kb_jht_balance", 0.91),
        bot(1796000000.5, "Saldo JHT bisa dicek di aplikasi JMO menu Saldo JHT ...",
            ["👍 Ya, membantu", "👎 Tidak membantu"]),
        slot(1796000000.6, "answer_topic", "jht.balance"), slot(1796000000.7, "answer_faq_id", "jht-balance-check"),
        user(1796000010.0, "/deny", "deny", 1.0), bot(1796000010.5, "Maaf jawabannya belum membantu."),
        slot(1796000010.6, "answer_topic", None), slot(1796000010.7, "answer_faq_id", None),
        typed_status, bot(1796000030.5, "Tiket Anda: ..."),
    ]}
    question = tickets.open("unresolved_question", f"tg:{chat}", "telegram",
                            "saldo jht saya kok beda dengan hitungan saya? NIK 1271012345678901", topic="jht.balance")
    duplicate = tickets.open("handoff", f"tg:{chat}", "telegram", "mau bicara dengan petugas soal saldo jht saya")
    other = tickets.open("complaint", "tg:700001", "telegram", "antrean di kantor cabang lama sekali",
                         topic="service.queue")
    ReplyTemplates(db).create("Sedang diproses", "Tiket {nomor_tiket} sedang kami proses. Kami kabari hasilnya "
                              "{batas_waktu}.", "", actor="budi")

    page = chromium.new_page(viewport=VIEWPORT)
    problems = watch(page)
    sign_in(page, live_server, "ani")
    rows = page.locator("table.queue tbody tr td.number").all_inner_texts()
    assert sorted(rows) == sorted([question.number, duplicate.number, other.number])
    assert "tanpa topik" in page.inner_text("table.queue")  # the hand-off came with no topic: said, not '–'
    screenshot(page, "queue.png")

    page.click(f"text={question.number}")
    page.wait_for_url(f"**/tickets/{question.number}")

    # Assign to a colleague.
    page.select_option("#assign-form select[name=to]", "sari")
    page.click("#assign-form button[type=submit]")
    page.wait_for_selector("text=Tiket kini ditangani Sari Nasution.")

    # An internal note: in the history, marked internal, never sent.
    page.fill("#action-text", "Sudah cek di sistem: iuran Oktober belum masuk dari perusahaan.")
    page.click("#action-form button[value=note]")
    page.wait_for_selector("text=Catatan internal disimpan")
    assert "iuran Oktober belum masuk" in page.inner_text(".history .message.note")

    # Merge the participant's duplicate into this ticket (confirmed through the data-confirm dialog).
    page.click(f"#others button:has-text('Gabungkan {duplicate.number}')")
    page.wait_for_selector(f"text=Tiket {duplicate.number} digabung ke tiket {question.number}")
    assert "mau bicara dengan petugas soal saldo jht saya" in page.inner_text(".history")

    # A template, filled in for this ticket, then sent: it reaches the participant on Telegram.
    page.select_option("#action-form select[name=template]", label="Sedang diproses")
    page.click("#action-form button[value=insert_template]")
    draft = page.input_value("#action-text")
    assert draft.startswith(f"Tiket {question.number} sedang kami proses. Kami kabari hasilnya secepatnya pada jam kerja")
    page.fill("#action-text", "Selamat siang. " + draft)
    page.click("#action-form button[value=reply]")
    page.wait_for_selector("text=Balasan disimpan dan dikirim ke peserta melalui Telegram.")
    delivered = telegram.api.wait_for_messages(chat, count=2, timeout=15)
    merged_notice, reply = delivered[0]["text"], delivered[1]["text"]
    assert question.number in merged_notice and duplicate.number in merged_notice
    assert reply.startswith(f"💬 Balasan petugas untuk tiket {question.number}")
    assert f"Tiket {question.number} sedang kami proses." in reply and "{" not in reply
    assert not [m for m in delivered if "iuran Oktober" in m["text"]]  # the note stayed with staff
    assert "iuran Oktober" not in " ".join(m["text"] for m in telegram.api.wait_for_messages(STAFF_CHAT, 1))
    for _ in range(20):  # the gateway marks the message sent once Telegram confirmed it
        page.reload()
        if "Terkirim" in page.inner_text("body"):
            break
        time.sleep(0.25)
    assert "Terkirim" in page.inner_text("body")  # the delivery shows on the ticket
    assert "perintah /status" in page.inner_text(".transcript")  # typed, not a button
    screenshot(page, "ticket-page.png")

    # The colleague finds it under 'saya tangani'.
    colleague = chromium.new_page(viewport=VIEWPORT)
    problems += watch(colleague)
    sign_in(colleague, live_server, "sari")
    colleague.click("nav.views a:has-text('saya tangani')")
    colleague.wait_for_url("**/tickets?assignee=me")
    assert colleague.locator("table.queue td.number").all_inner_texts() == [question.number]

    # Bulk: tick every ticket with the header checkbox (app.js), give them all to Sari.
    page.goto(f"{live_server}/tickets")
    page.check("input[data-select-all=numbers]")
    assert all(box.is_checked() for box in page.locator("input[name=numbers]").all())
    page.select_option("#bulk select[name=assignee]", "sari")
    page.click("#bulk button[value=assign]")
    page.wait_for_selector("text=1 tiket kini ditangani Sari Nasution.")  # the other was already hers
    assert TicketService(db, PROFILE).get(other.number).assignee == "sari"
    assert not problems, problems


@pytest.mark.stack
def test_a_ticket_becomes_an_faq_entry_that_answers_the_next_participant(chromium, assistant):
    """The real assistant: a question it cannot answer becomes a ticket; staff answer it, an admin turns it into
    an entry in the browser and publishes it; the next participant asking it gets the entry at once."""
    question = "apakah kantor cabang menyediakan ruang laktasi untuk ibu menyusui?"
    asker = f"tg:{uuid.uuid4().int % 10**9}"
    assistant.say(asker, question)
    opened = assistant.say(asker, "saya mau bicara dengan petugas")
    number = opened.slots["ticket_id"]
    assert number
    tickets = TicketService(assistant.db, BranchSource(assistant.db, get_settings().branch_code, check_interval=0).get())
    tickets.reply(number, "ani", "Selamat siang Ibu Rina, terima kasih sudah bertanya.\n\nKantor cabang menyediakan "
                  "ruang laktasi di lantai 1, di samping ruang tunggu layanan, selama jam layanan.\n\nSilakan minta "
                  "kunci ruang laktasi kepada petugas keamanan di pintu masuk.\n\nSalam, Ani")
    admin = f"admin{uuid.uuid4().hex[:6]}"
    UserService(assistant.db).create(admin, "Admin Uji", "admin", PASSWORD, actor="test")
    app = create_app({"TESTING": True, "SECRET_KEY": "browser-team-secret-key-0123456789", "DATABASE": assistant.db,
                      "DATABASE_URL": assistant.db.url, "BRANCH_CODE": get_settings().branch_code,
                      "RASA_URL": assistant.stack.rasa_url, "RASA_TOKEN": assistant.stack.token, "RASA_TIMEOUT": 10.0})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    entry_id = f"layanan-ruang-laktasi-{uuid.uuid4().hex[:4]}"
    store = KbStore(assistant.db)
    try:
        page = chromium.new_page(viewport=VIEWPORT)
        problems = watch(page)
        sign_in(page, base, admin)
        page.goto(f"{base}/tickets/{number}")
        assert "ruang laktasi" in page.inner_text(".transcript")  # the conversation, from Rasa's tracker
        page.click("text=Jadikan FAQ (draf)")
        page.wait_for_url(f"**/kb/new?ticket={number}")
        variants = page.input_value("textarea[name=questions_id]").split("\n")
        assert variants[0] == question and len(variants) == 3
        assert page.input_value("input[name=title_id]") == "Apakah kantor cabang menyediakan ruang laktasi untuk ibu menyusui"
        answer = page.input_value("textarea[name=answer_id]")
        assert answer == ("Kantor cabang menyediakan ruang laktasi di lantai 1, di samping ruang tunggu layanan, selama "
                          "jam layanan.\n\nLangkah berikutnya: silakan minta kunci ruang laktasi kepada petugas "
                          "keamanan di pintu masuk.")
        screenshot(page, "ticket-to-faq-draft.png")
        # What is left for the admin: an id, the topic if the ticket had none, English, the source.
        page.fill("input[name=id]", entry_id)
        page.select_option("select[name=topic]", "service.location")
        page.fill("input[name=title_en]", "Is there a lactation room at the branch office")
        page.fill("textarea[name=questions_en]", "is there a lactation room at the branch office")
        page.fill("textarea[name=answer_en]", "The branch office has a lactation room on the 1st floor next to the "
                  "waiting area, during service hours.\n\nNext step: ask the security officer at the entrance for "
                  "the key.")
        page.fill("textarea[name=citations]", "branch")
        page.click("button[value=publish]")
        page.wait_for_selector(f"text=Entri {entry_id} diterbitkan")

        # The next participant, in other words, gets the new entry at once (the action server re-reads the
        # knowledge base within half a second).
        deadline, turn = time.monotonic() + 10, None
        while time.monotonic() < deadline:
            turn = assistant.say(f"tg:{uuid.uuid4().int % 10**9}", "ada ruang laktasi buat ibu menyusui di kantor cabang?")
            if turn.slots.get("answer_faq_id") == entry_id:
                break
            time.sleep(0.5)
        assert turn is not None and turn.slots.get("answer_faq_id") == entry_id, turn.text
        assert "ruang laktasi di lantai 1" in turn.text

        page.goto(f"{base}/tickets/{number}")
        assert re.search(rf"Menjadi entri\s+{entry_id}\s+aktif", page.inner_text("body"))
        assert not problems, problems
    finally:
        if any(r.entry.id == entry_id for r in store.list(active=True)):
            store.set_active(entry_id, False, actor="test")  # the session's assistant serves other tests
        server.shutdown()
