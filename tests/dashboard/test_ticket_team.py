"""The queue and the ticket page for a team, over HTTP: assigning to colleagues, internal notes, the one action
area with templates and FAQ answers, topics, merging duplicates, bulk actions, and labels from the catalogue."""
import re

import pytest

from accounts.audit import AuditLog
from dashboard import labels
from kb.store import KbStore
from messaging.outbox import Outbox
from monitoring import tickets as ticket_module
from monitoring.reply_templates import ReplyTemplates
from tests.dashboard.conftest import PASSWORD, RASA_TOKEN
from tests.dashboard.fake_rasa import FakeRasa, user
from tests.kb.factories import distinct_entry


def to_participant(db, number):
    return [m for m in Outbox(db).for_ticket(number) if m.recipient != "staff"]


@pytest.fixture
def team(accounts):
    accounts.create("sari", "Sari Nasution", "staff", PASSWORD, actor="test")
    accounts.create("joko", "Joko Pensiun", "staff", PASSWORD, actor="test")
    accounts.set_active("joko", False, actor="test")
    return accounts


def act(auth, number, do, text="", **extra):
    return auth.post(f"/tickets/{number}/act", {"do": do, "text": text, **extra})


# ---- assigning ----------------------------------------------------------------------------------------
def test_assign_to_an_active_colleague_only(client, auth, tickets, team, db):
    t = tickets.open("complaint", "tg:1", "telegram", "antrean lama")
    auth.login("ani")
    page = client.get(f"/tickets/{t.number}").get_data(as_text=True)
    assert '<option value="sari">Sari Nasution</option>' in page and "Joko Pensiun" not in page  # inactive: not offered
    auth.post(f"/tickets/{t.number}/assign", {"to": "sari"})
    assert tickets.get(t.number).assignee == "sari"
    assert "Tiket kini ditangani Sari Nasution." in client.get(f"/tickets/{t.number}").get_data(as_text=True)
    auth.post(f"/tickets/{t.number}/assign", {"to": "joko"})
    auth.post(f"/tickets/{t.number}/assign", {"to": "<script>"})
    assert tickets.get(t.number).assignee == "sari"
    queue = client.get("/tickets").get_data(as_text=True)
    assert "Sari Nasution" in queue
    assert AuditLog(db).list(action="ticket_assigned")[0].detail == "ditugaskan ke sari"


def test_the_mine_and_unassigned_views(client, auth, tickets, team):
    mine = tickets.open("complaint", "tg:1", "telegram", "punya ani")
    hers = tickets.open("complaint", "tg:2", "telegram", "punya sari")
    nobody = tickets.open("complaint", "tg:3", "telegram", "belum ada")
    tickets.assign(mine.number, "ani", actor="ani")
    tickets.assign(hers.number, "sari", actor="ani")
    auth.login("ani")
    page = client.get("/tickets").get_data(as_text=True)
    assert re.search(r"<strong>1</strong> saya tangani", page) and re.search(r"<strong>1</strong> belum ditangani", page)
    view = client.get("/tickets?assignee=me").get_data(as_text=True)
    assert mine.number in view and hers.number not in view and 'class="view active"' in view
    view = client.get("/tickets?assignee=none").get_data(as_text=True)
    assert nobody.number in view and mine.number not in view
    assert hers.number in client.get("/tickets?assignee=sari").get_data(as_text=True)


# ---- the action area ------------------------------------------------------------------------------------
def test_an_internal_note_is_kept_apart_from_replies(client, auth, tickets, db):
    t = tickets.open("unresolved_question", "tg:55", "telegram", "saldo jht beda")
    auth.login("ani")
    assert act(auth, t.number, "note", "Cek SMILE: iuran Oktober belum masuk.").status_code == 302
    assert to_participant(db, t.number) == []
    stored = tickets.get(t.number, with_events=True)
    assert stored.events[-1].kind == "note" and stored.status == "open" and stored.first_response_at is None
    page = client.get(f"/tickets/{t.number}").get_data(as_text=True)
    assert "Catatan internal disimpan" in page and 'class="message note">Cek SMILE' in page
    assert "internal · tidak dikirim ke peserta" in page
    act(auth, t.number, "note", "   ")
    assert len(tickets.get(t.number, with_events=True).events) == 2


def test_reply_status_and_resolve_from_the_one_action_area(client, auth, tickets, db):
    t = tickets.open("complaint", "tg:66", "telegram", "pelayanan lambat")
    auth.login("ani")
    act(auth, t.number, "reply", "Kami cek dengan bagian pelayanan.")
    act(auth, t.number, "status", "Mohon kirim foto antrean.", status="waiting_participant")
    act(auth, t.number, "resolve", "")
    assert [m.kind for m in to_participant(db, t.number)] == ["staff_reply", "status_change", "resolution"]
    assert tickets.get(t.number).status == "resolved"
    assert auth.post(f"/tickets/{t.number}/act", {"do": "launch"}).status_code == 400


def test_a_rest_ticket_says_nothing_reaches_the_participant(client, auth, tickets, db):
    t = tickets.open("handoff", "rest-user-1", "rest", "mau bicara dengan petugas", contact={"text": "hubungi saya"})
    auth.login("ani")
    page = client.get(f"/tickets/{t.number}").get_data(as_text=True)
    assert "dikirim ke peserta" not in page.replace("tidak dikirim ke peserta", "")
    assert "Peserta ini tidak memakai Telegram" in page and "Simpan jawaban (tidak terkirim)" in page
    assert "Web / REST (tanpa Telegram)" in page
    assert "<dt>Kontak</dt>" in page and "<dt>text</dt>" not in page  # no raw key as a label
    act(auth, t.number, "reply", "Silakan datang ke kantor cabang.")
    assert "Balasan disimpan (peserta ini tidak memakai Telegram" in client.get(f"/tickets/{t.number}").get_data(as_text=True)
    assert to_participant(db, t.number) == []


def test_a_template_is_filled_in_for_the_ticket_and_keeps_what_was_typed(client, auth, tickets, db):
    template = ReplyTemplates(db).create("Sedang diproses", "Tiket {nomor_tiket} kami proses; kabar {batas_waktu}.",
                                         "Ticket {nomor_tiket} is in hand.", actor="budi")
    t = tickets.open("complaint", "tg:7", "telegram", "x")
    english = tickets.open("complaint", "tg:8", "telegram", "y", language="en")
    auth.login("ani")
    page = act(auth, t.number, "insert_template", "Selamat siang.", template=str(template.id)).get_data(as_text=True)
    draft = re.search(r'<textarea id="action-text"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert draft.startswith(f"Selamat siang.\n\nTiket {t.number} kami proses; kabar secepatnya pada jam kerja (")
    assert to_participant(db, t.number) == []  # inserting sends nothing
    page = act(auth, english.number, "insert_template", "", template=str(template.id)).get_data(as_text=True)
    assert f"Ticket {english.number} is in hand." in page
    missing = act(auth, t.number, "insert_template", "draf", template="999").get_data(as_text=True)
    assert "Pilih templat balasan yang aktif." in missing and ">draf</textarea>" in missing


def test_an_faq_answer_is_inserted_as_participants_read_it(client, auth, tickets, db):
    store = KbStore(db)
    store.create(distinct_entry("jht-cek-saldo", topic="jht.balance", answer={
        "id": "Buka JMO, pilih Saldo JHT. Jam layanan {{branch.office_hours}}.\n\nLangkah berikutnya: buka JMO.",
        "en": "Open JMO.\n\nNext step: open JMO."}), actor="test")
    store.create(distinct_entry("jht-draf", topic="jht.balance", active=False), actor="test")
    t = tickets.open("unresolved_question", "tg:9", "telegram", "cek saldo jht", topic="jht.balance")
    auth.login("ani")
    page = client.get(f"/tickets/{t.number}").get_data(as_text=True)
    assert 'value="jht-cek-saldo"' in page and 'value="jht-draf"' not in page  # active entries only
    page = act(auth, t.number, "insert_faq", "", entry="jht-cek-saldo").get_data(as_text=True)
    assert "Buka JMO, pilih Saldo JHT. Jam layanan Senin" in page and "{{branch" not in page
    assert "Pilih entri FAQ yang aktif." in act(auth, t.number, "insert_faq", "", entry="jht-draf").get_data(as_text=True)


# ---- topic, merge ------------------------------------------------------------------------------------------
def test_staff_set_the_topic_from_the_knowledge_topics(client, auth, tickets, db):
    t = tickets.open("handoff", "tg:1", "telegram", "halo petugas")
    auth.login("ani")
    assert "belum ada topik" in client.get(f"/tickets/{t.number}").get_data(as_text=True)
    auth.post(f"/tickets/{t.number}/topic", {"topic": "claim.status"})
    assert tickets.get(t.number).topic == "claim.status"
    auth.post(f"/tickets/{t.number}/topic", {"topic": "greet"})  # a dialogue topic, not a knowledge topic
    auth.post(f"/tickets/{t.number}/topic", {"topic": "' OR 1=1"})
    assert tickets.get(t.number).topic == "claim.status"
    assert "claim.status" in client.get("/tickets").get_data(as_text=True)


def test_merge_a_duplicate_from_the_ticket_kept(client, auth, tickets, db):
    kept = tickets.open("unresolved_question", "tg:12", "telegram", "saldo jht kurang")
    dup = tickets.open("handoff", "tg:12", "telegram", "mau bicara dengan petugas")
    stranger = tickets.open("handoff", "tg:13", "telegram", "orang lain")
    auth.login("ani")
    page = client.get(f"/tickets/{kept.number}").get_data(as_text=True)
    assert f"Gabungkan {dup.number} ke tiket ini" in page and stranger.number not in page
    auth.post(f"/tickets/{kept.number}/merge", {"duplicate": dup.number})
    assert tickets.get(dup.number).merged_into == kept.number
    page = client.get(f"/tickets/{kept.number}").get_data(as_text=True)
    assert f"Tiket {dup.number} digabung ke tiket {kept.number}" in page and "Peserta diberi tahu." in page
    assert "Tiket ganda digabung ke sini" in page
    dup_page = client.get(f"/tickets/{dup.number}").get_data(as_text=True)
    assert f"Tiket ini digabung ke tiket {kept.number}" in dup_page and 'value="reply"' not in dup_page
    before = len(to_participant(db, dup.number))
    act(auth, dup.number, "reply", "Balasan ke tiket yang sudah digabung")  # refused: the conversation moved
    assert len(to_participant(db, dup.number)) == before
    refused = auth.post(f"/tickets/{kept.number}/merge", {"duplicate": stranger.number}, follow_redirects=True)
    assert "tidak dapat digabung" in refused.get_data(as_text=True) and tickets.get(stranger.number).is_open
    assert auth.post(f"/tickets/{kept.number}/merge", {"duplicate": "MDK-999999"}).status_code == 404


# ---- bulk actions ------------------------------------------------------------------------------------------
def test_bulk_assign_and_resolve_with_a_note(client, auth, tickets, team, db):
    a = tickets.open("complaint", "tg:21", "telegram", "satu")
    b = tickets.open("complaint", "rest-22", "rest", "dua")
    c = tickets.open("complaint", "tg:23", "telegram", "tiga")
    auth.login("ani")
    back = "/tickets?status=active&sort=priority"
    response = auth.post("/tickets/bulk", {"do": "assign", "assignee": "sari", "numbers": [a.number, b.number],
                                           "back": back})
    assert response.status_code == 302 and response.headers["Location"].endswith(back)
    assert [tickets.get(n).assignee for n in (a.number, b.number, c.number)] == ["sari", "sari", None]
    auth.post("/tickets/bulk", {"do": "resolve", "note": "Gangguan JMO sudah pulih.", "numbers": [a.number, b.number]})
    assert tickets.get(a.number).status == tickets.get(b.number).status == "resolved"
    assert tickets.get(c.number).is_open
    assert "Gangguan JMO sudah pulih." in to_participant(db, a.number)[-1].text and to_participant(db, b.number) == []
    page = client.get("/tickets").get_data(as_text=True)
    assert "2 tiket diselesaikan; 1 peserta diberi tahu lewat Telegram." in page
    assert auth.post("/tickets/bulk", {"do": "assign", "assignee": "joko", "numbers": [c.number]}).status_code == 302
    assert tickets.get(c.number).assignee is None  # an inactive colleague is refused
    off_site = auth.post("/tickets/bulk", {"do": "assign", "assignee": "me", "numbers": [c.number],
                                           "back": "https://evil.example/tickets?x"})
    assert off_site.headers["Location"].endswith("/tickets")


# ---- reading ------------------------------------------------------------------------------------------
def test_numbers_do_not_wrap_and_every_row_shows_a_topic_or_says_none(client, auth, tickets):
    tickets.open("complaint", "tg:1", "telegram", "x", topic="service.queue")
    tickets.open("handoff", "tg:2", "telegram", "y")
    auth.login("ani")
    page = client.get("/tickets").get_data(as_text=True)
    assert page.count('<td class="number">') == 2 and "tanpa topik" in page and "service.queue" in page
    assert "td.number" in client.get("/static/style.css").get_data(as_text=True)


def test_a_typed_command_is_not_shown_as_a_button(app, client, auth, tickets):
    t = tickets.open("unresolved_question", "tg:77", "telegram", "status tiket")
    with FakeRasa(RASA_TOKEN) as rasa:
        app.config["RASA_URL"] = rasa.url
        typed = user(1796000001.0, "/ticket_status", "ticket_status", 1.0)
        typed["metadata"] = {"input": "command", "command": "/status"}
        tapped = user(1796000002.0, "/affirm", "affirm", 1.0)
        tapped["metadata"] = {"input": "callback"}
        rasa.trackers["tg:77"] = {"sender_id": "tg:77", "events": [typed, tapped]}
        auth.login("ani")
        body = client.get(f"/tickets/{t.number}").get_data(as_text=True)
    assert '<span class="badge">perintah</span> /status' in body
    assert '<span class="badge">tombol</span> /affirm' in body and "/ticket_status" not in body


def test_the_pages_speak_english_where_the_dashboard_does(client, auth, tickets, monkeypatch):
    monkeypatch.setattr(labels, "STAFF_LANGUAGE", "en")
    monkeypatch.setattr(ticket_module, "STAFF", "en")
    t = tickets.open("handoff", "rest-1", "rest", "halo")
    auth.login("ani")
    queue = client.get("/tickets").get_data(as_text=True)
    assert "Ticket queue" in queue and "Staff requested" in queue and "Antrean tiket</h1>" not in queue
    page = client.get(f"/tickets/{t.number}").get_data(as_text=True)
    assert "Save the answer (not sent)" in page and "Internal note" not in page.split("Ticket history")[1]
    auth.post(f"/tickets/{t.number}/assign", {"to": "me"})
    assert "You now handle this ticket." in client.get(f"/tickets/{t.number}").get_data(as_text=True)


# ---- reply templates (admins) ------------------------------------------------------------------------------
def test_admins_maintain_templates_staff_may_not(client, auth, db):
    auth.login("ani")
    assert client.get("/templates").status_code == 403
    assert auth.post("/templates", {"title": "x", "body_id": "y"}).status_code == 403
    auth.logout()
    auth.login("budi")
    assert "Templat baru" in client.get("/templates").get_data(as_text=True)
    auth.post("/templates", {"title": "Minta KTP", "body_id": "Kirim foto KTP untuk tiket {nomor_tiket}.", "body_en": ""})
    (template,) = ReplyTemplates(db).list()
    refused = auth.post("/templates", {"title": "Salah", "body_id": "Halo {nama}"})
    assert refused.status_code == 400 and "Isian tidak dikenal: {nama}" in refused.get_data(as_text=True)
    edit = client.get(f"/templates?edit={template.id}").get_data(as_text=True)
    assert "Sunting: Minta KTP" in edit and "{nomor_tiket}" in edit
    auth.post("/templates", {"id": str(template.id), "title": "Minta KTP", "body_id": "Foto KTP, tiket {nomor_tiket}.",
                             "body_en": "ID photo, ticket {nomor_tiket}."})  # unticked: no longer offered
    stored = ReplyTemplates(db).get(template.id)
    assert not stored.active and stored.body_en == "ID photo, ticket {nomor_tiket}."
    assert client.get("/templates?edit=999").status_code == 404
    assert [e.action for e in AuditLog(db).list() if e.action.startswith("reply_template")] == [
        "reply_template_edited", "reply_template_created"]
