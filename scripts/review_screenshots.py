#!/usr/bin/env python
"""Screenshots of the monthly review page and of the first page of its printable version, and the printable
version as a PDF (Playwright with Debian's chromium, the dashboard served in-process on a demo database).

    .venv/bin/python scripts/seed_demo_month.py --database-url sqlite:///var/demo-review.db --fresh
    .venv/bin/python scripts/review_screenshots.py --database-url sqlite:///var/demo-review.db --month 2026-10

Writes reports/review-<month>.png (the page, whole), reports/review-<month>-print-page1.png (the printable
version laid out on A4 as print media, its first page) and, with --pdf, reports/review-<month>.pdf.
Signs in as an admin account it creates on that database (never use it on a real one).
"""
from __future__ import annotations

import argparse
import logging
import secrets
import sys
import threading
from pathlib import Path
from typing import Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from werkzeug.serving import make_server  # noqa: E402

from accounts.users import UserService  # noqa: E402
from core.db import Database  # noqa: E402
from dashboard import create_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
USER = "demo.kepala"
A4_CONTENT = (703, 1009)  # 186 x 267 mm at 96 dpi: A4 less the print stylesheet's margins (print.css)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="sqlite:///var/demo-review.db")
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--branch", default="medan-kota")
    parser.add_argument("--out", default="reports")
    parser.add_argument("--pdf", action="store_true", help="also save the printable version as a PDF")
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    db = Database(args.database_url)
    password = secrets.token_urlsafe(16)
    users = UserService(db)
    if users.get(USER) is None:
        users.create(USER, "Kepala Cabang (demo)", "admin", password, actor="review_screenshots")
    else:
        users.reset_password(USER, password, actor="review_screenshots")
    app = create_app({"SECRET_KEY": secrets.token_hex(16), "DATABASE": db, "DATABASE_URL": args.database_url,
                      "BRANCH_CODE": args.branch, "RASA_URL": "http://127.0.0.1:9", "RASA_TOKEN": "unused"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="id-ID")
            page = context.new_page()
            page.goto(f"{base}/login")
            page.fill("input[name=username]", USER)
            page.fill("input[name=password]", password)
            page.click("button[type=submit]")
            page.wait_for_url("**/tickets")
            page.goto(f"{base}/review?month={args.month}")
            page.screenshot(path=str(out / f"review-{args.month}.png"), full_page=True)
            printable = context.new_page()
            printable.set_viewport_size({"width": A4_CONTENT[0], "height": A4_CONTENT[1]})
            printable.emulate_media(media="print")
            printable.goto(f"{base}/review/print?month={args.month}")
            printable.screenshot(path=str(out / f"review-{args.month}-print-page1.png"),
                                 clip={"x": 0, "y": 0, "width": A4_CONTENT[0], "height": A4_CONTENT[1]})
            if args.pdf:
                printable.pdf(path=str(out / f"review-{args.month}.pdf"), format="A4", print_background=True,
                              prefer_css_page_size=True)
            browser.close()
    finally:
        server.shutdown()
        db.dispose()
    print(f"screenshots of {args.month} in {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
