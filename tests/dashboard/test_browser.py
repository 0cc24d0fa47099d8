"""End to end in a real browser (Debian's chromium through Playwright): log in, open a ticket, reply, resolve.

Skips with a clear message when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1 (fixtures: conftest.py).
"""
from messaging.outbox import Outbox
from tests.dashboard.conftest import PASSWORD


def test_login_open_ticket_reply_and_resolve(chromium, live_server, accounts, tickets, db):
    t = tickets.open("unresolved_question", "tg:31337", "telegram",
                     'Bagaimana cara klaim JKP? <img src=x onerror="window.pwned=1">')
    page = chromium.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: d.accept())

    page.goto(f"{live_server}/tickets/{t.number}")
    assert "/login" in page.url  # anonymous: the login page only
    page.fill("input[name=username]", "ani")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/tickets/{t.number}")  # back to the page asked for

    page.goto(f"{live_server}/tickets")
    page.click(f"text={t.number}")
    page.wait_for_url(f"**/tickets/{t.number}")
    assert page.locator(".message.participant").first.inner_text().endswith('<img src=x onerror="window.pwned=1">')
    assert page.evaluate("window.pwned") is None  # the participant's markup stayed text

    page.fill("#action-text", "Klaim JKP diajukan lewat aplikasi SIAPKerja dan JMO.")
    page.click("#action-form button[value=reply]")
    page.wait_for_selector("text=Balasan disimpan dan dikirim")
    assert "Klaim JKP diajukan lewat aplikasi SIAPKerja" in page.inner_text(".history")

    page.fill("#action-text", "Terima kasih, tiket kami tutup.")
    page.click("#action-form button[value=resolve]")  # confirms through the data-confirm dialog
    page.wait_for_selector("text=Status tiket: Selesai")

    queued = [(m.kind, m.chat_id) for m in Outbox(db).for_ticket(t.number) if m.recipient != "staff"]
    assert queued == [("staff_reply", 31337), ("resolution", 31337)]
    assert tickets.get(t.number).status == "resolved"
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert not problems, problems
