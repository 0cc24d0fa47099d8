"""The masking corpus (tests/pii_corpus.py) fed through everything the dashboard shows and exports:
ticket text, recent messages, contact, history (participant additions, staff replies, notes), the
Rasa transcript (participant turns, answers, buttons), the queue, KPIs and their CSV export, the
audit log, FAQ proposals and the draft entry made from a ticket; and the staff-chat posts queued in
the outbox. None shows an identifier in clear until an audited reveal; the reveal covers the transcript."""
from __future__ import annotations

import datetime as dt

from accounts.audit import AuditLog
from kb.store import KbStore
from messaging.outbox import Outbox
from monitoring.models import TurnRow
from monitoring.satisfaction import SatisfactionSurvey
from monitoring.turns import Turn, TurnLog
from tests.dashboard.conftest import RASA_TOKEN
from tests.dashboard.fake_rasa import FakeRasa, bot, slot, user
from tests.pii_corpus import CORPUS, assert_masked, assert_reached

SENDER = "tg:777001"


def _feed(db, tickets, rasa: FakeRasa) -> str:
    """Every way the corpus gets into what the dashboard shows; returns the ticket's number."""
    t = tickets.open("complaint", SENDER, "telegram", "Tolong dicek: " + " ; ".join(CORPUS), topic="service.queue",
                     messages=[{"at": 1796000000.0 + i, "text": line} for i, line in enumerate(CORPUS)],
                     contact={"telepon": "0812-3333-4444", "email": "budi.santoso@gmail.com"})
    for line in CORPUS:
        tickets.add_participant_message(t.number, SENDER, f"tambahan: {line}")
    tickets.reply(t.number, "ani", "Kami cek data " + " ; ".join(CORPUS), source="dashboard")
    tickets.change_status(t.number, "waiting_participant", "ani", note="Catatan: " + CORPUS[0], source="dashboard")
    turns = TurnLog(db)
    now = dt.datetime.utcnow()
    with db.session() as s:
        for line in CORPUS:
            turns.record(Turn(SENDER, f"baru: {line}", "fallback"))  # masked when logged
            s.add(TurnRow(sender_id=SENDER, at=now, text=f"lama: {line}", outcome="fallback"))  # logged before this masking
    audit = AuditLog(db)
    for line in CORPUS:
        audit.record("tg-user:999", "staff_command_refused", f"/reply {t.number} {line}", None, source="telegram")
    audit.record("ani", "pii_revealed", t.number, "reason: cek " + CORPUS[1])
    KbStore(db).propose(t.number, "ani", note="usul: " + CORPUS[2], source="dashboard")
    rated = tickets.open("complaint", SENDER, "telegram", "Keluhan lain: " + " ; ".join(CORPUS), topic="service.queue")
    tickets.change_status(rated.number, "resolved", "ani")
    SatisfactionSurvey(db).rate(rated.number, SENDER, 2)
    SatisfactionSurvey(db).comment(rated.number, SENDER, "Komentar: " + " ; ".join(CORPUS))
    events = []
    for i, line in enumerate(CORPUS):
        ts = 1796000100.0 + 10 * i
        events += [user(ts, line, "nlu_fallback", 0.3),
                   bot(ts + 1, f"Anda menulis {line}", [f"Ya, {line}", "Bukan"]),
                   slot(ts + 2, "answer_topic", None)]
    rasa.trackers[SENDER] = {"sender_id": SENDER, "events": events}
    return t.number


def test_no_page_export_or_staff_post_shows_the_corpus_in_clear(app, client, auth, tickets, db):
    with FakeRasa(RASA_TOKEN) as rasa:
        app.config["RASA_URL"] = rasa.url
        number = _feed(db, tickets, rasa)
        auth.login("budi")  # an admin sees every page
        month = (dt.datetime.utcnow() + dt.timedelta(hours=7)).strftime("%Y-%m")
        pages = {path: client.get(path) for path in (
            "/tickets", f"/tickets?q={number}", f"/tickets/{number}", "/kpis",
            "/kpis/export.csv?table=unresolved_questions", "/kpis/export.csv?table=satisfaction", "/admin/audit", "/kb",
            f"/kb/new?ticket={number}", f"/review?month={month}", f"/review/print?month={month}",
            f"/review/export.csv?month={month}&table=feedback", f"/review/export.csv?month={month}&table=gaps")}
    for path, response in pages.items():
        assert response.status_code == 200, path
        assert_masked(response.get_data(as_text=True), path)
    detail = pages[f"/tickets/{number}"].get_data(as_text=True)
    assert "Transkrip tidak dapat diambil" not in detail
    assert_reached(detail, "the ticket page")
    assert_reached(pages["/kpis/export.csv?table=unresolved_questions"].get_data(as_text=True), "the CSV export")
    assert_reached(pages["/admin/audit"].get_data(as_text=True), "the audit log")
    assert_reached(pages[f"/review/export.csv?month={month}&table=feedback"].get_data(as_text=True), "the review's CSV")
    posts = [m.text for m in Outbox(db).for_ticket(number) if m.recipient == "staff"]
    assert len(posts) == 1 + len(CORPUS)  # the new ticket, and each addition
    assert_reached("\n".join(posts), "the staff-chat posts")
    assert_masked("\n".join(posts), "the staff-chat posts")


def test_the_reveal_covers_the_transcript(app, client, auth, tickets, db):
    """A ticket whose own text is clean but whose conversation holds a NIK and an address gets the reveal form."""
    t = tickets.open("handoff", SENDER, "telegram", "saya mau bicara dengan petugas")
    with FakeRasa(RASA_TOKEN) as rasa:
        app.config["RASA_URL"] = rasa.url
        rasa.trackers[SENDER] = {"sender_id": SENDER, "events": [
            user(1796000001.0, "NIK saya 1271 0234 5678 9011", "nlu_fallback", 0.3),
            bot(1796000002.0, "Terima kasih."),
            user(1796000003.0, "email budi.santoso@gmail.com", "nlu_fallback", 0.3)]}
        auth.login("ani")
        page = client.get(f"/tickets/{t.number}").get_data(as_text=True)
        assert "Tampilkan data" in page and "**** **** **** *011" in page and "b***@gmail.com" in page
        assert "1271 0234 5678 9011" not in page and "budi.santoso@" not in page
        revealed = auth.post(f"/tickets/{t.number}/reveal", {"reason": "verifikasi"}).get_data(as_text=True)
    assert "1271 0234 5678 9011" in revealed and "budi.santoso@gmail.com" in revealed
    assert AuditLog(db).count(action="pii_revealed") == 1


def test_no_reveal_form_without_personal_data(app, client, auth, tickets):
    t = tickets.open("handoff", SENDER, "telegram", "saya mau bicara dengan petugas")
    with FakeRasa(RASA_TOKEN) as rasa:
        app.config["RASA_URL"] = rasa.url
        rasa.trackers[SENDER] = {"sender_id": SENDER, "events": [
            user(1796000001.0, "jht cair kapan? saldo Rp15.000.000", "kb_jht", 0.9),
            bot(1796000002.0, "Tulis ke care@bpjsketenagakerjaan.go.id atau tanggal 2026-11-28 10:15.")]}
        auth.login("ani")
        page = client.get(f"/tickets/{t.number}").get_data(as_text=True)
    assert "Rp15.000.000" in page and "Tampilkan data" not in page
