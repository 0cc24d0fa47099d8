"""The satisfaction question end to end: staff resolve a ticket in a real browser (Debian's chromium through
Playwright), the participant rates it and comments in Telegram (the real python-telegram-bot gateway against
the fake Bot API), and the KPI page in the browser shows the rating and the comment.

Skips with a clear message when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1.
"""
from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from werkzeug.serving import make_server

from accounts.users import UserService
from dashboard import create_app
from monitoring.satisfaction import SatisfactionSurvey
from monitoring.tickets import TicketService
from tests.bot.conftest import PROFILE
from tests.bot.support import chat_id

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "Sandi-Uji-Kepuasan-2026"


@pytest.fixture
async def browser():
    if not CHROMIUM.exists():
        message = "browser test needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)"
        if os.environ.get("REQUIRE_BROWSER", "").lower() in ("1", "true", "yes"):
            pytest.fail(message + " (REQUIRE_BROWSER=1)")
        pytest.skip(message)
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture
def dashboard(db, fast_hashing, rasa):
    UserService(db).create("sari", "Sari Petugas", "staff", PASSWORD, actor="test")
    app = create_app({"TESTING": True, "SECRET_KEY": "satisfaction-browser-secret-key-42", "DATABASE": db,
                      "DATABASE_URL": db.url, "BRANCH_CODE": PROFILE.code, "RASA_URL": rasa.url,
                      "RASA_TOKEN": "unused"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


async def test_a_rating_given_in_telegram_shows_in_the_kpis(server, rasa, gateway, db, dashboard, browser):
    chat = chat_id()
    number = TicketService(db, PROFILE).open("complaint", f"tg:{chat}", "telegram",
                                             "Klaim JHT saya belum cair sudah dua minggu").number
    page = await browser.new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: d.accept())
    await page.goto(f"{dashboard}/tickets/{number}")
    await page.fill("input[name=username]", "sari")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"**/tickets/{number}")
    await page.fill("#action-text", "Klaim Anda sudah dibayarkan hari ini.")
    await page.click("#action-form button[name=do][value=reply]")
    await page.wait_for_selector("text=Balasan disimpan dan dikirim")
    await page.click("#action-form button[name=do][value=resolve]")  # confirmed through the data-confirm dialog
    await page.wait_for_selector("text=Status tiket: Selesai")

    # On Telegram: the staff reply, then the resolution with the question and the 1-5 scale.
    question = await server.wait_for(
        lambda: next((m for m in server.sent_messages(chat) if m.get("reply_markup")), None), timeout=15)
    assert question["text"].startswith(f"✅ Tiket {number} telah selesai.")
    assert question["text"].endswith("Pilih 1 (sangat tidak puas) sampai 5 (sangat puas).")
    assert [b["text"] for row in question["reply_markup"]["inline_keyboard"] for b in row] == \
        ["1 ⭐", "2 ⭐", "3 ⭐", "4 ⭐", "5 ⭐"]
    server.inject_callback(chat, button_text="4 ⭐")
    thanks = await server.wait_for(lambda: next((m for m in server.sent_messages(chat)
                                                 if m["text"].startswith("Terima kasih atas penilaian")), None), timeout=15)
    server.inject_text(chat, "Sudah cair, terima kasih. Petugasnya ramah.", reply_to=thanks["message_id"])
    await server.wait_for(lambda: any("komentar Anda untuk tiket" in t for t in server.texts(chat)), timeout=15)
    assert SatisfactionSurvey(db).for_ticket(number).rating == 4 and rasa.texts_from(f"tg:{chat}") == []

    # In the browser: the KPIs of today show the rating, its sample size and the comment.
    today = dt.datetime.now(ZoneInfo(PROFILE.timezone)).date().isoformat()
    await page.goto(f"{dashboard}/kpis?from={today}&to={today}")
    satisfaction = page.locator("#kepuasan")
    assert "4,0 dari 5 (n=1)" in await satisfaction.inner_text()
    assert "1 ditanya · 1 menilai (100%)" in await satisfaction.inner_text()
    row = satisfaction.locator("tr", has_text=number)
    assert "Sudah cair, terima kasih. Petugasnya ramah." in await row.inner_text() and "4 ★" in await row.inner_text()
    counters = " ".join((await page.locator(".counts").inner_text()).split())
    assert "4,0 / 5 kepuasan peserta (n=1) sampel kecil" in counters
    assert "100% tiket selesai tepat waktu (n=1) sampel kecil" in counters
    await page.click(f"#kepuasan a:has-text('{number}')")  # the rating leads to its ticket
    await page.wait_for_url(f"**/tickets/{number}")
    assert not problems, problems
