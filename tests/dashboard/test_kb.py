"""Knowledge-base editing by admins: drafts from tickets, preview, publish, revisions, import/export."""
import io
import re

import pytest
import yaml

from accounts.audit import AuditLog
from kb.content import dump_entries
from kb.service import KnowledgeBase
from kb.store import KbStore
from tests.dashboard.conftest import PROFILE
from tests.kb.factories import make_entry


def form(entry_id="jht-baru", **overrides):
    data = {
        "id": entry_id, "topic": "jht.eligibility", "programs": ["JHT"],
        "title_id": "Kapan JHT bisa dicairkan", "title_en": "When JHT can be claimed",
        "questions_id": "kapan jht bisa cair\nsyarat cairkan jht\njht cair kapan",
        "questions_en": "when can I claim JHT",
        "answer_id": "JHT dapat dicairkan 1 bulan setelah berhenti bekerja. Kantor buka {{branch.office_hours}}.",
        "answer_en": "JHT can be claimed one month after leaving work. The office is open {{branch.office_hours}}.",
        "citations": "faq: 247, 250",
        "source": "read from the JHT rows",
    }
    data.update(overrides)
    return data


@pytest.fixture
def kb(db, app):
    return KnowledgeBase(db, PROFILE.code, check_interval=0)


def test_preview_renders_the_answer_as_the_assistant_sends_it(client, auth, db):
    auth.login("budi")
    response = auth.post("/kb/new", {**form(), "action": "preview"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Senin–Jumat, pukul 08.00–15.30 WIB" in body and "Monday–Friday, 08:00–15:30 WIB" in body
    assert "Sumber: FAQ resmi BPJS Ketenagakerjaan (bpjsketenagakerjaan.go.id)" in body and "Apakah jawaban ini membantu?" in body
    with pytest.raises(Exception):
        KbStore(db).get("jht-baru")  # a preview saves nothing


def test_create_draft_then_publish(client, auth, db, kb):
    auth.login("budi")
    response = auth.post("/kb/new", {**form(), "action": "draft"})
    assert response.status_code == 302
    record = KbStore(db).get("jht-baru")
    assert not record.entry.active and record.updated_by == "budi"
    assert kb.entry("jht-baru") is None  # a draft is not answered
    auth.post("/kb/jht-baru/publish")
    assert KbStore(db).get("jht-baru").entry.active
    assert "1 bulan setelah berhenti" in kb.answer(kb.entry("jht-baru"), "id")
    assert [r.action for r in KbStore(db).revisions("jht-baru")] == ["activated", "created"]
    assert [e.action for e in AuditLog(db).list(actor="budi")][:2] == ["kb_published", "kb_created"]


def test_invalid_entries_are_refused_with_the_reason(client, auth, db):
    auth.login("budi")
    for bad, reason in [({"topic": "greet"}, "dialogue topic"), ({"topic": "no.such"}, "unknown knowledge-base topic"),
                        ({"questions_id": "satu saja"}, "at least 3"), ({"answer_id": "<b>tebal</b>"}, "HTML"),
                        ({"answer_id": "Alamat {{branch.secret_key}}"}, "unknown placeholder"),
                        ({"id": "Bad Id!"}, "lowercase"), ({"id": "new"}, "reserved")]:
        response = auth.post("/kb/new", {**form(), **bad, "action": "publish"})
        assert response.status_code == 400 and reason in response.get_data(as_text=True), bad
    assert KbStore(db).list(active=None) == []


def test_edit_writes_a_revision_and_is_answered_at_once(client, auth, db, kb):
    KbStore(db).create(make_entry("jht-a"), actor="seed")
    assert kb.answer(kb.entry("jht-a"), "id").startswith("JHT dapat dicairkan setelah ...")
    auth.login("budi")
    page = client.get("/kb/jht-a/edit").get_data(as_text=True)
    assert 'name="version" value="1"' in page
    data = form("jht-a", answer_id="Jawaban baru: JHT cair setelah masa tunggu 1 bulan.", version="1",
                note="perbaikan", action="save")
    assert auth.post("/kb/jht-a/edit", data).status_code == 302
    revisions = KbStore(db).revisions("jht-a")
    assert (revisions[0].version, revisions[0].action, revisions[0].changed_by, revisions[0].note) == \
        (2, "edited", "budi", "perbaikan")
    # The same KnowledgeBase object, built before the edit, answers with the new text: no restart.
    assert kb.answer(kb.entry("jht-a"), "id").startswith("Jawaban baru: JHT cair setelah masa tunggu 1 bulan.")


def test_stale_edit_is_a_conflict(client, auth, db):
    KbStore(db).create(make_entry("jht-a"), actor="seed")
    auth.login("budi")
    other = "bpjsketenagakerjaan.go.id FAQ (sumber lain)"
    KbStore(db).update(make_entry("jht-a", source=other), actor="ani")  # someone else, meanwhile
    response = auth.post("/kb/jht-a/edit", form("jht-a", version="1", action="save"))
    assert response.status_code == 409 and "diubah orang lain" in response.get_data(as_text=True)
    assert KbStore(db).get("jht-a").entry.source == other


def test_ids_never_change_on_edit(client, auth, db):
    KbStore(db).create(make_entry("jht-a"), actor="seed")
    auth.login("budi")
    auth.post("/kb/jht-a/edit", form("jht-lain", version="1", action="save"))
    assert KbStore(db).get("jht-a").version == 2
    assert [r.entry.id for r in KbStore(db).list(active=None)] == ["jht-a"]


def test_deactivate_revisions_diff_and_restore(client, auth, db, kb):
    KbStore(db).create(make_entry("jht-a"), actor="seed")
    auth.login("budi")
    auth.post("/kb/jht-a/edit", form("jht-a", answer_id="Teks kedua untuk jawaban.", version="1", action="save"))
    auth.post("/kb/jht-a/deactivate", {"note": "sudah tidak berlaku"})
    assert kb.entry("jht-a") is None
    page = client.get("/kb/jht-a/revisions").get_data(as_text=True)
    assert '<span class="add">' in page and '<span class="del">' in page and "Teks kedua untuk jawaban." in page
    assert "sudah tidak berlaku" in page
    first = KbStore(db).revisions("jht-a")[-1]
    assert auth.post(f"/kb/jht-a/restore/{first.id}").status_code == 302
    restored = KbStore(db).get("jht-a")
    assert restored.entry.answer["id"] == make_entry().answer["id"] and restored.entry.active
    assert restored.updated_by == "budi" and KbStore(db).revisions("jht-a")[0].action == "restored"
    assert kb.entry("jht-a") is not None


def test_turn_a_ticket_into_a_draft_faq(client, auth, db, tickets):
    t = tickets.open("unresolved_question", "tg:1", "telegram", "NIK 1271012345678901 cek saldo jht dimana?",
                     topic="jht.balance")
    tickets.reply(t.number, "ani", "Saldo JHT bisa dicek di aplikasi JMO menu Jaminan Hari Tua.")
    auth.login("budi")
    page = client.get(f"/kb/new?ticket={t.number}").get_data(as_text=True)
    assert "Saldo JHT bisa dicek di aplikasi JMO" in page and "cek saldo jht dimana?" in page
    assert "1271012345678901" not in page and 'value="jht.balance" selected' in page
    draft = form("draf-jht-saldo", topic="jht.balance", ticket=t.number, action="draft",
                 answer_id="Saldo JHT bisa dicek di aplikasi JMO menu Jaminan Hari Tua.")
    assert auth.post("/kb/new", draft).status_code == 302
    record = KbStore(db).get("draf-jht-saldo")
    assert not record.entry.active
    assert KbStore(db).revisions("draf-jht-saldo")[0].note == f"draf dari tiket {t.number}"
    drafted = AuditLog(db).list(action="faq_drafted")[0]
    assert (drafted.target, drafted.detail) == (t.number, "entri draf-jht-saldo")
    assert client.get("/kb/new?ticket=MDK-999999").status_code == 404
    # The ticket shows which entry it became (nobody had proposed it: the admin's draft is recorded too).
    ticket_page = client.get(f"/tickets/{t.number}").get_data(as_text=True)
    assert 'Menjadi entri <a href="/kb/draf-jht-saldo">draf-jht-saldo</a>' in ticket_page and ">draf</span>" in ticket_page
    auth.post("/kb/draf-jht-saldo/publish")
    assert ">aktif</span>" in client.get(f"/tickets/{t.number}").get_data(as_text=True)


def test_the_draft_from_a_ticket_saves_the_admin_work(client, auth, db, tickets):
    KbStore(db).create(make_entry("jht-cair", questions={"id": ["kapan jht bisa dicairkan", "cara mencairkan jht",
                                                               "syarat pencairan jht"], "en": ["when to claim JHT"]}),
                       actor="seed")
    t = tickets.open("handoff", "tg:5", "telegram",
                     "halo min, bagaimana cara mencairkan jht kalau perusahaan saya sudah tutup? terima kasih\n"
                     "saya mau bicara dengan petugas",
                     messages=[{"at": 1.0, "text": "halo min, bagaimana cara mencairkan jht kalau perusahaan saya sudah "
                                                   "tutup? terima kasih"},
                               {"at": 2.0, "text": "klaim jht tanpa paklaring bisa nggak?"},
                               {"at": 3.0, "text": "saya mau bicara dengan petugas"}])
    tickets.reply(t.number, "ani", "Selamat siang Bapak Budi, terima kasih sudah menunggu.\n\nKlaim JHT dari "
                  "perusahaan yang sudah tutup diajukan dengan surat keterangan dari Disnaker. Nomor KPJ Bapak "
                  "12345678901 sudah kami cek.\n\nSilakan datang ke kantor cabang dengan membawa KTP dan surat "
                  "Disnaker.\n\nSalam, Ani")
    auth.login("budi")
    page = client.get(f"/kb/new?ticket={t.number}").get_data(as_text=True)
    questions = re.search(r'<textarea name="questions_id"[^>]*>(.*?)</textarea>', page, re.S).group(1).split("\n")
    assert questions == ["bagaimana cara mencairkan jht kalau perusahaan saya sudah tutup?",
                         "klaim jht tanpa paklaring bisa nggak?", "bagaimana cara mencairkan jht kalau perusahaan sudah tutup"]
    assert 'name="title_id" value="Bagaimana cara mencairkan JHT kalau perusahaan saya sudah tutup"' in page
    answer = re.search(r'<textarea name="answer_id"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert answer == ("Klaim JHT dari perusahaan yang sudah tutup diajukan dengan surat keterangan dari Disnaker.\n\n"
                      "Langkah berikutnya: silakan datang ke kantor cabang dengan membawa KTP dan surat Disnaker.")
    assert "Budi" not in answer and "Selamat" not in answer and "Salam" not in answer
    assert 'value="JHT" checked' in page and 'name="citations" rows="4" required></textarea>' in page
    assert "Bentuk jawaban belum sesuai" not in page  # the Indonesian answer already has its shape
    # A ticket without a topic gets the knowledge base's best match for its question.
    assert '<option value="jht.eligibility" selected>' in page


def test_export_and_import_roundtrip(client, auth, db, kb):
    store = KbStore(db)
    store.create(make_entry("jht-a"), actor="seed")
    store.create(make_entry("jht-b", questions={"id": ["b satu", "b dua", "b tiga"], "en": ["b one"]}, active=False),
                 actor="seed")
    auth.login("budi")
    active_only = client.get("/kb/export.yml")
    assert active_only.headers["Content-Disposition"].startswith("attachment")
    assert [e["id"] for e in yaml.safe_load(active_only.data)["entries"]] == ["jht-a"]
    exported = client.get("/kb/export.yml?all=1").data
    assert [e["id"] for e in yaml.safe_load(exported)["entries"]] == ["jht-a", "jht-b"]
    before = {r.entry.id: r.entry for r in store.list(active=None)}
    # Change the database, then import the export: it comes back exactly.
    store.update(make_entry("jht-a", answer={"id": "diubah", "en": "changed"}), actor="ani")
    response = auth.post("/kb/import", {"file": (io.BytesIO(exported), "kb.yml")}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "0 dibuat, 1 diperbarui, 1 tidak berubah" in response.get_data(as_text=True)
    assert {r.entry.id: r.entry for r in store.list(active=None)} == before
    assert store.get("jht-a").updated_by == "budi"
    assert kb.answer(kb.entry("jht-a"), "id").startswith("JHT dapat dicairkan setelah ...")


def test_import_creates_new_entries(client, auth, db):
    auth.login("budi")
    text = dump_entries([make_entry("jht-new")])
    response = auth.post("/kb/import", {"file": (io.BytesIO(text.encode()), "new.yml")}, content_type="multipart/form-data")
    assert "1 dibuat" in response.get_data(as_text=True)
    assert KbStore(db).get("jht-new").updated_by == "budi"


@pytest.mark.parametrize("content, message", [
    (b"entries: [unclosed", "malformed YAML"), (b"\xff\xfe\x00binary", "not UTF-8"),
    (b"just: a mapping", "expected a mapping"),
    (b"entries:\n  - id: x\n", "use 3-80 lowercase"),
])
def test_bad_import_changes_nothing(client, auth, db, content, message):
    KbStore(db).create(make_entry("jht-a"), actor="seed")
    auth.login("budi")
    response = auth.post("/kb/import", {"file": (io.BytesIO(content), "bad.yml")}, content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and message in body and "/tmp" not in body
    assert KbStore(db).get("jht-a").version == 1


def test_import_that_duplicates_questions_is_refused(client, auth, db):
    KbStore(db).create(make_entry("jht-a"), actor="seed")
    auth.login("budi")
    twin = dump_entries([make_entry("jht-twin")])  # same question variants as jht-a
    response = auth.post("/kb/import", {"file": (io.BytesIO(twin.encode()), "t.yml")}, content_type="multipart/form-data")
    assert response.status_code == 400 and "appears in jht-a and jht-twin" in response.get_data(as_text=True)
    assert [r.entry.id for r in KbStore(db).list(active=None)] == ["jht-a"]


def test_list_search_and_filters(client, auth, db):
    store = KbStore(db)
    store.create(make_entry("jht-a"), actor="seed")
    store.create(make_entry("jmo-otp", topic="jmo.otp", programs=[], title={"id": "Kode OTP tidak masuk", "en": "OTP"},
                            questions={"id": ["otp tidak masuk", "kode otp jmo", "otp gagal"], "en": ["otp"]}),
                 actor="seed")
    auth.login("budi")
    assert "jmo-otp" in client.get("/kb?q=otp").get_data(as_text=True)
    assert "jht-a" not in client.get("/kb?q=otp").get_data(as_text=True)
    assert "jht-a" not in client.get("/kb?topic=jmo").get_data(as_text=True)
    assert "jmo-otp" not in client.get("/kb?program=JHT").get_data(as_text=True)
    for hostile in ("q=%25_%25", "q=%27%20OR%201%3D1--", "topic=%3Cscript%3E", "program=X&state=%00", "q=" + "a" * 3000):
        assert client.get("/kb?" + hostile).status_code == 200


def test_cli_and_dashboard_leave_the_same_knowledge_base_audit_trail(client, auth, db, tmp_path):
    """The store writes the audit row, so an edit reads the same whichever channel made it."""
    from kb.cli import main as kb_main

    store = KbStore(db)
    store.create(make_entry("jht-web"), actor="seed")
    store.create(make_entry("jht-cli", questions={"id": ["c satu", "c dua", "c tiga"], "en": ["c one"]}), actor="seed")
    auth.login("budi")
    web_form = form("jht-web", answer_id="Jawaban baru.", version="1", note="")
    assert auth.post("/kb/jht-web/edit", web_form).status_code == 302
    assert auth.post("/kb/jht-web/deactivate", {"note": "usang"}).status_code == 302
    assert kb_main(["--db", db.url, "edit", "jht-cli", "--set", "answer.id=Jawaban baru.", "--actor", "budi"]) == 0
    assert kb_main(["--db", db.url, "deactivate", "jht-cli", "--note", "usang", "--actor", "budi"]) == 0

    def trail(entry_id):
        rows = AuditLog(db).list(actor="budi", target=entry_id)
        return [(e.actor, e.action, e.detail) for e in rows], {e.source for e in rows}

    web, web_sources = trail("jht-web")
    cli, cli_sources = trail("jht-cli")
    assert web == cli == [("budi", "kb_deactivated", "usang"), ("budi", "kb_edited", "versi 2")]
    assert web_sources == {"dashboard"} and cli_sources == {"cli"}


def test_staff_proposal_is_listed_until_an_admin_drafts_or_dismisses_it(client, auth, db, tickets):
    first = tickets.open("unresolved_question", "tg:1", "telegram", "bisa klaim jht sebagian untuk renovasi?")
    second = tickets.open("unresolved_question", "tg:2", "telegram", "apa itu JKP?")
    auth.login("ani")
    auth.post(f"/tickets/{first.number}/suggest-faq", {"note": "sering <b>ditanya</b>"})
    auth.post(f"/tickets/{first.number}/suggest-faq", {"note": "lagi"})  # one pending proposal per ticket
    auth.post(f"/tickets/{second.number}/suggest-faq", {})
    assert [p.ticket_number for p in KbStore(db).proposals()] == [second.number, first.number]
    auth.logout()
    auth.login("budi")
    page = client.get("/kb").get_data(as_text=True)
    assert "Usulan FAQ dari petugas" in page and first.number in page and second.number in page
    assert "sering &lt;b&gt;ditanya&lt;/b&gt;" in page
    draft = form("jht-sebagian", ticket=first.number, action="draft")
    assert auth.post("/kb/new", draft).status_code == 302
    assert auth.post(f"/kb/proposals/{second.number}/dismiss").status_code == 302
    assert KbStore(db).proposals() == []
    drafted = KbStore(db).proposals(status="drafted")
    assert [(p.ticket_number, p.entry_id, p.proposed_by) for p in drafted] == [(first.number, "jht-sebagian", "ani")]
    assert [e.action for e in AuditLog(db).list(target=second.number) if e.action.startswith("faq_")] == \
        ["faq_dismissed", "faq_suggested"]
    client.get("/kb")  # shows the flashed confirmations
    assert "Usulan FAQ dari petugas" not in client.get("/kb").get_data(as_text=True)


def test_review_list_marks_in_one_click_and_notices_a_changed_faq_row(client, auth, db, app, tmp_path):
    import datetime as dt

    from kb.grounding import FAQ_CSV

    faq = tmp_path / FAQ_CSV
    faq.parent.mkdir(parents=True)
    rows = [["category", "subcategory", "question", "answer"]] + [["JHT", "X", f"q{i}", f"a{i}"] for i in range(1, 260)]
    import csv

    def write_faq(rows):
        with open(faq, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
    write_faq(rows)
    app.config["SHARED_DIR"] = str(tmp_path)
    store = KbStore(db)
    store.create(make_entry("jht-a"), actor="seed")  # cites FAQ row 247
    store.create(make_entry("jht-b", questions={"id": ["b satu", "b dua", "b tiga"], "en": ["b one"]},
                            reviewed_at=dt.date(2026, 1, 5), reviewed_by="ani"), actor="seed")
    auth.login("budi")
    page = client.get("/kb/review").get_data(as_text=True)
    assert "jht-a" in page and "Belum pernah ditinjau" in page
    assert "jht-b" in page and "Tinjauan sudah lama" in page
    assert "Perlu ditinjau (2)" in client.get("/kb").get_data(as_text=True)

    assert auth.post("/kb/jht-a/reviewed", {"back": "review"}).status_code == 302
    reviewed = store.get("jht-a")
    assert reviewed.entry.reviewed_by == "budi" and reviewed.entry.reviewed_digest and reviewed.version == 1
    assert 'href="/kb/jht-a"' not in client.get("/kb/review").get_data(as_text=True)
    assert AuditLog(db).list(actor="budi")[0].action == "kb_reviewed"

    rows[247][3] = "a247, now with a different answer"  # a newer FAQ dump changes the cited row
    write_faq(rows)
    from kb.grounding import _faq_rows
    _faq_rows.cache_clear()
    page = client.get("/kb/review").get_data(as_text=True)
    assert 'href="/kb/jht-a"' in page and "Baris FAQ yang dikutip berubah" in page


def test_staff_cannot_mark_an_entry_reviewed(client, auth, db):
    KbStore(db).create(make_entry("jht-a"), actor="seed")
    auth.login("ani")
    assert client.get("/kb/review").status_code == 403
    assert auth.post("/kb/jht-a/reviewed").status_code == 403
    assert KbStore(db).get("jht-a").entry.reviewed_at is None
