"""Another branch is served by adding its profile: the assistant, a ticket and the dashboard run with
a made-up branch (other name, prefix, time zone, hours, standard, holidays) and no Medan Kota fact
appears in anything they show (real Rasa, actions, Flask app and SQLite)."""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from accounts.users import UserService
from branch.store import BranchStore
from core.db import Database
from core.migrate import upgrade
from dashboard import create_app
from monitoring.tickets import TicketService
from core.rasa_client import RasaClient
from stack.local import running_stack
from stack.supervisor import free_port
from tests.branch.profiles import load_test_profile
from tests.dashboard.conftest import PASSWORD, AuthActions

pytestmark = pytest.mark.stack

PROFILE = load_test_profile("uji-raya")  # Mon-Sat 07:30-14:00 WITA, UJR- tickets, 4 h / 16 h standard
MEDAN_KOTA = re.compile(r"medan|MDK|08[.:]00[–-]15[.:]30|\b8 jam kerja|\b24 jam kerja", re.IGNORECASE)
# Random values in a page (the CSRF token, a nonce) may hold the letters "mdk": they are not checked.
RANDOM_VALUES = re.compile(r'(name="csrf_token" value|nonce)="[^"]*"')


@pytest.fixture(scope="module")
def branch_stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("second-branch")
    url = f"sqlite:///{tmp / 'branch.db'}"
    upgrade(url)
    db = Database(url)
    BranchStore(db).save(PROFILE, actor="admin", source="test")  # what an admin of that branch loads
    with pytest.MonkeyPatch.context() as env, (tmp / "stack.log").open("w") as log:
        env.setenv("BRANCH_CODE", PROFILE.code)
        with running_stack(url, free_port(), free_port(), log=log) as stack:
            yield RasaClient(stack.rasa_url, stack.token, timeout=60), db
    db.dispose()


def _texts(messages) -> str:
    return "\n".join((m.get("text") or "") + " " + " ".join(b.get("title", "") for b in m.get("buttons") or [])
                     for m in messages)


def test_answers_tickets_and_dashboard_speak_for_the_other_branch(branch_stack):
    client, db = branch_stack
    me = "tg:770001"
    said = {}
    for text in ("jam buka kantor cabang jam berapa?", "alamat kantor cabang dimana ya",
                 "apa standar pelayanan kantor cabang?", "saya mau bicara dengan petugas", "status tiket",
                 "status tiket MDK-000999"):
        said[text] = _texts(client.send(me, text))
    everything = "\n".join(said.values()).replace("MDK-000999", "")  # the participant's own words, echoed

    assert "07.30–14.00 WITA" in said["jam buka kantor cabang jam berapa?"]
    assert "Jl. Percobaan No. 7" in said["alamat kantor cabang dimana ya"]
    assert "4 jam kerja" in said["apa standar pelayanan kantor cabang?"]
    number = re.search(r"UJR-\d{6}", said["saya mau bicara dengan petugas"]).group(0)
    assert number in said["status tiket"]
    assert "UJR-000123" in said["status tiket MDK-000999"]  # the format example is this branch's
    assert not MEDAN_KOTA.search(everything), MEDAN_KOTA.search(everything)

    # The ticket's due time is counted in this branch's hours: within 07:30-14:00 WITA, Monday to Saturday.
    ticket = TicketService(db, PROFILE).get(number)
    due = ticket.due_at.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo("Asia/Makassar"))
    assert due.weekday() < 6 and dt.time(7, 30) <= due.time() <= dt.time(14, 0)
    assert due.date() not in PROFILE.holiday_dates

    UserService(db).create("rina", "Rina Admin", "admin", PASSWORD, actor="test")
    app = create_app({"TESTING": True, "SECRET_KEY": "second-branch-secret-key-0123456789", "DATABASE": db,
                      "DATABASE_URL": db.url, "BRANCH_CODE": PROFILE.code, "RASA_URL": "http://127.0.0.1:9",
                      "RASA_TOKEN": "unused", "RASA_TIMEOUT": 1.0})
    web = app.test_client()
    AuthActions(web).login("rina")
    pages = {path: RANDOM_VALUES.sub("", web.get(path).get_data(as_text=True))
             for path in ("/tickets", f"/tickets/{number}", "/admin/branch", "/kpi")}
    assert all("Kantor Cabang Uji Raya" in page for page in pages.values())
    assert number in pages["/tickets"] and "4 jam kerja" in pages["/tickets"]
    leaks = {path: MEDAN_KOTA.search(page).group(0) for path, page in pages.items() if MEDAN_KOTA.search(page)}
    assert not leaks, leaks
