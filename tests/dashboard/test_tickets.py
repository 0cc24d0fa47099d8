"""The review queue and ticket page over HTTP: filters, actions, outbox, masking, transcript, escaping."""
import re

import pytest

from accounts.audit import AuditLog
from messaging.outbox import Outbox
from tests.dashboard.conftest import RASA_TOKEN
from tests.dashboard.fake_rasa import FakeRasa, action, bot, slot, user

XSS = '<script>alert("x")</script><img src=x onerror="alert(1)">'
NIK = "1271012345678901"


def participant_messages(db, number):
    return [m for m in Outbox(db).for_ticket(number) if m.recipient != "staff"]


def test_queue_lists_counts_and_filters(client, auth, tickets):
    a = tickets.open("complaint", "tg:1", "telegram", "antrean lama sekali", topic="service.queue")
    b = tickets.open("handoff", "tg:2", "telegram", "mau bicara dengan petugas")
    tickets.assign(b.number, "ani", actor="ani")
    auth.login("ani")
    page = client.get("/tickets").get_data(as_text=True)
    assert a.number in page and b.number in page
    assert re.search(r"<strong>2</strong> terbuka", page) and re.search(r"<strong>1</strong> belum ditangani", page)
    mine = client.get("/tickets?assignee=me").get_data(as_text=True)
    assert b.number in mine and a.number not in mine
    by_kind = client.get("/tickets?kind=complaint").get_data(as_text=True)
    assert a.number in by_kind and b.number not in by_kind
    found = client.get("/tickets?q=antrean").get_data(as_text=True)
    assert a.number in found and b.number not in found


@pytest.mark.parametrize("query", [
    "q=%27%3B+DROP+TABLE+tickets%3B+--", "q=%25%25%25", "q=" + "x" * 5000, "status=%3Cscript%3E&kind=%00",
    "sort=id%3B--&dir=%22&page=-1&per_page=1000000", "page=999999", "sla=overdue%27", "topic=%27+OR+1%3D1",
    "assignee=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E", "q=%F0%9F%99%82%E2%80%AE", "page=1e99&per_page=nan",
    "q=%E0%A4%A", "status=all&status=open",
])
def test_hostile_query_strings(client, auth, tickets, query):
    t = tickets.open("complaint", "tg:1", "telegram", "keluhan biasa")
    auth.login("ani")
    response = client.get("/tickets?" + query)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<img src=x onerror" not in body and "<script>" not in body
    assert client.get("/tickets").status_code == 200 and t.number in client.get("/tickets").get_data(as_text=True)


def test_participant_text_is_escaped_everywhere(client, auth, tickets, db):
    t = tickets.open("complaint", "tg:1", "telegram", XSS, topic="service.queue",
                     messages=[{"at": "2026-11-30", "text": XSS}], contact={"nama": XSS})
    tickets.reply(t.number, "ani", XSS)
    auth.login("budi")
    for path in ("/tickets", f"/tickets/{t.number}", f"/tickets?q={t.number}", f"/kb/new?ticket={t.number}"):
        body = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in body and "<img src=x" not in body, path
        assert "&lt;script&gt;" in body or "&lt;img" in body, path
    revealed = auth.post(f"/tickets/{t.number}/reveal", {"reason": "uji"}).get_data(as_text=True)
    assert "<script>alert" not in revealed and "&lt;script&gt;alert" in revealed


def test_reply_goes_to_the_outbox_for_telegram(client, auth, tickets, db):
    t = tickets.open("unresolved_question", "tg:555", "telegram", "kapan jht cair?")
    auth.login("ani")
    response = auth.post(f"/tickets/{t.number}/reply", {"text": "JHT cair 5 hari kerja setelah berkas lengkap."})
    assert response.status_code == 302
    queued = participant_messages(db, t.number)
    assert [(m.kind, m.chat_id, m.status) for m in queued] == [("staff_reply", 555, "pending")]
    assert "JHT cair 5 hari kerja" in queued[0].text and t.number in queued[0].text
    stored = tickets.get(t.number, with_events=True)
    assert stored.status == "in_progress" and stored.first_response_at is not None
    assert stored.events[-1].kind == "reply" and stored.events[-1].actor == "ani"
    assert AuditLog(db).list(action="ticket_reply")[0].actor == "ani"
    page = client.get(f"/tickets/{t.number}").get_data(as_text=True)
    assert "JHT cair 5 hari kerja" in page and "Balasan disimpan dan dikirim" in page
    assert "Menunggu dikirim gateway Telegram" in page
    Outbox(db).mark_failed(queued[0].id, "Forbidden: bot was blocked by the user")
    page = client.get(f"/tickets/{t.number}").get_data(as_text=True)
    assert "Gagal" in page and "bot was blocked by the user" in page


def test_telegram_and_dashboard_leave_the_same_audit_trail(client, auth, tickets, db, accounts):
    """The ticket service writes the audit row, so a reply and a resolution read the same from either channel."""
    from types import SimpleNamespace

    from bot.staff import StaffDesk, StaffMember

    by_web = tickets.open("unresolved_question", "tg:601", "telegram", "kapan jht cair?")
    by_tg = tickets.open("unresolved_question", "tg:602", "telegram", "kapan jht cair?")
    auth.login("ani")
    assert auth.post(f"/tickets/{by_web.number}/reply", {"text": "Lima hari kerja."}).status_code == 302
    assert auth.post(f"/tickets/{by_web.number}/resolve", {"note": "selesai"}).status_code == 302
    desk = StaffDesk(SimpleNamespace(db=db, tickets=lambda: tickets))  # the gateway's two services, nothing faked
    desk.reply(StaffMember("ani", "staff"), by_tg.number, "Lima hari kerja.")
    desk.resolve(StaffMember("ani", "staff"), by_tg.number, "selesai")

    def trail(number):
        rows = [e for e in AuditLog(db).list(target=number) if e.action.startswith("ticket_")]
        return sorted((e.actor, e.action, e.detail) for e in rows), {e.source for e in rows}

    web, web_sources = trail(by_web.number)
    tg, tg_sources = trail(by_tg.number)
    assert web == tg == [("ani", "ticket_reply", None), ("ani", "ticket_status", "Sedang ditangani → Selesai")]
    assert web_sources == {"dashboard"} and tg_sources == {"telegram"}


def test_empty_or_overlong_reply_is_not_sent(client, auth, tickets, db):
    t = tickets.open("handoff", "tg:5", "telegram", "halo")
    auth.login("ani")
    auth.post(f"/tickets/{t.number}/reply", {"text": "   "})
    auth.post(f"/tickets/{t.number}/reply", {"text": "x" * 5000})
    assert participant_messages(db, t.number) == []


def test_resolve_notifies_the_participant(client, auth, tickets, db):
    t = tickets.open("complaint", "tg:777", "telegram", "pelayanan lambat")
    auth.login("ani")
    assert auth.post(f"/tickets/{t.number}/resolve", {"note": "Sudah kami tindak lanjuti."}).status_code == 302
    queued = participant_messages(db, t.number)
    assert [(m.kind, m.chat_id) for m in queued] == [("resolution", 777)]
    assert "Sudah kami tindak lanjuti." in queued[0].text
    stored = tickets.get(t.number, with_events=True)
    assert stored.status == "resolved" and stored.resolved_at is not None
    assert (stored.events[-1].actor, stored.events[-1].to_status) == ("ani", "resolved")


def test_status_change_with_note(client, auth, tickets, db):
    t = tickets.open("complaint", "tg:8", "telegram", "x")
    auth.login("ani")
    auth.post(f"/tickets/{t.number}/status", {"status": "waiting_participant", "note": "Mohon kirim foto KTP."})
    stored = tickets.get(t.number, with_events=True)
    assert stored.status == "waiting_participant" and stored.events[-1].text == "Mohon kirim foto KTP."
    assert [m.kind for m in participant_messages(db, t.number)] == ["status_change"]
    auth.post(f"/tickets/{t.number}/status", {"status": "teleported"})
    assert tickets.get(t.number).status == "waiting_participant"


def test_assign_to_me_and_release(client, auth, tickets, db):
    t = tickets.open("complaint", "tg:8", "telegram", "x")
    auth.login("ani")
    auth.post(f"/tickets/{t.number}/assign", {"to": "me"})
    assert tickets.get(t.number).assignee == "ani"
    assert '<option value="ani" selected>Ani Petugas (Saya)</option>' in client.get(f"/tickets/{t.number}").get_data(as_text=True)
    auth.post(f"/tickets/{t.number}/assign", {"to": "none"})
    assert tickets.get(t.number).assignee is None
    assert [e.actor for e in tickets.get(t.number, with_events=True).events if e.kind == "assigned"] == ["ani", "ani"]


def test_personal_numbers_are_masked_until_an_audited_reveal(client, auth, tickets, db):
    t = tickets.open("complaint", "tg:9", "telegram", f"NIK saya {NIK}, hp 081234567890",
                     contact={"telepon": "081234567890"},
                     messages=[{"at": 1796000000.5, "text": f"ini NIK {NIK}"}, {"at": "bukan waktu", "text": "halo"}])
    auth.login("ani")
    page = client.get(f"/tickets/{t.number}").get_data(as_text=True)
    assert NIK not in page and "081234567890" not in page and "*************901" in page
    assert "ini NIK *************901" in page and "30 Nov 2026 07.53 WIB" in page  # the message's Rasa timestamp, in WIB
    assert NIK not in client.get("/tickets").get_data(as_text=True)
    no_reason = auth.post(f"/tickets/{t.number}/reveal", {"reason": " "})
    assert no_reason.status_code == 302 and AuditLog(db).count(action="pii_revealed") == 0
    revealed = auth.post(f"/tickets/{t.number}/reveal", {"reason": "verifikasi klaim"})
    body = revealed.get_data(as_text=True)
    assert revealed.status_code == 200 and NIK in body and "081234567890" in body
    entry = AuditLog(db).list(action="pii_revealed")[0]
    assert (entry.actor, entry.target, entry.detail) == ("ani", t.number, "alasan: verifikasi klaim")
    assert NIK not in client.get(f"/tickets/{t.number}").get_data(as_text=True)  # not sticky


def test_reveal_only_for_authorised_roles(app, client, auth, tickets, db):
    app.config["REVEAL_ROLES"] = ("admin",)
    t = tickets.open("complaint", "tg:9", "telegram", f"NIK saya {NIK}")
    auth.login("ani")
    assert "Tampilkan data" not in client.get(f"/tickets/{t.number}").get_data(as_text=True)
    response = auth.post(f"/tickets/{t.number}/reveal", {"reason": "ingin tahu"})
    assert response.status_code == 403 and NIK not in response.get_data(as_text=True)
    assert AuditLog(db).count(action="pii_revealed") == 0


def test_transcript_from_rasa(app, client, auth, tickets):
    t = tickets.open("unresolved_question", "tg:4242", "telegram", "jht saya kapan cair")
    with FakeRasa(RASA_TOKEN) as rasa:
        app.config["RASA_URL"] = rasa.url
        rasa.trackers["tg:4242"] = {"sender_id": "tg:4242", "events": [
            action(1796000000.0, "action_session_start"),
            user(1796000001.0, f"jht saya kapan cair? NIK {NIK} {XSS}", "kb_jht_eligibility", 0.87),
            action(1796000002.0, "action_answer_question"),
            bot(1796000002.1, "JHT dapat dicairkan setelah 1 bulan berhenti bekerja."),
            bot(1796000002.2, "Apakah jawaban ini membantu?", ["👍 Ya, membantu", "👎 Tidak membantu"]),
            slot(1796000002.3, "answer_topic", "jht.eligibility"),
            slot(1796000002.4, "answer_faq_id", "jht-eligibility-resign"),
            user(1796000010.0, "/deny", "deny", 1.0),
            bot(1796000010.5, "Maaf jawabannya belum membantu."),
            slot(1796000010.6, "answer_topic", None), slot(1796000010.7, "answer_faq_id", None),
        ]}
        auth.login("ani")
        body = client.get(f"/tickets/{t.number}").get_data(as_text=True)
        assert rasa.requests and "token=" in rasa.requests[0] and "tg%3A4242" not in rasa.requests[0]
    assert "JHT dapat dicairkan setelah 1 bulan" in body
    assert "kb_jht_eligibility (87%)" in body and "jht-eligibility-resign" in body and "jht.eligibility" in body
    assert "👍 Ya, membantu" in body and "Maaf jawabannya belum membantu." in body
    assert NIK not in body and "<script>alert" not in body
    assert body.count("Dijawab dengan") == 1  # the second turn gave no knowledge-base answer
    assert "Transkrip tidak dapat diambil" not in body
    assert RASA_TOKEN not in body
    # Timestamps in the branch's time (WIB).
    assert re.search(r"\d{1,2} \w{3} 20\d\d \d\d\.\d\d WIB", body)


def test_transcript_degrades_when_rasa_is_down(client, auth, tickets):
    t = tickets.open("handoff", "tg:1", "telegram", "halo petugas")
    auth.login("ani")
    response = client.get(f"/tickets/{t.number}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Transkrip tidak dapat diambil: server Rasa tidak dapat dihubungi" in body
    assert "halo petugas" in body and RASA_TOKEN not in body


def test_transcript_degrades_on_rasa_errors(app, client, auth, tickets):
    t = tickets.open("handoff", "tg:1", "telegram", "halo petugas")
    with FakeRasa("another-token") as rasa:  # wrong token: Rasa answers 401
        app.config["RASA_URL"] = rasa.url
        auth.login("ani")
        body = client.get(f"/tickets/{t.number}").get_data(as_text=True)
    assert "Transkrip tidak dapat diambil" in body and "HTTP 401" in body and RASA_TOKEN not in body


def test_redacted_ticket_shows_no_transcript(client, auth, tickets):
    t = tickets.open("complaint", "tg:1", "telegram", f"NIK {NIK}")
    tickets.redact_sender("tg:1")
    auth.login("ani")
    body = client.get(f"/tickets/{t.number}").get_data(as_text=True)
    assert "meminta datanya dihapus" in body and NIK not in body


def test_staff_suggest_a_faq_and_admins_see_it(client, auth, tickets, db):
    t = tickets.open("unresolved_question", "tg:1", "telegram", "bagaimana cara cek saldo jht")
    auth.login("ani")
    page = client.get(f"/tickets/{t.number}").get_data(as_text=True)
    assert "Usulkan jadi FAQ" in page and "Jadikan FAQ (draf)" not in page
    auth.post(f"/tickets/{t.number}/suggest-faq")
    auth.logout()
    auth.login("budi")
    kb_page = client.get("/kb").get_data(as_text=True)
    assert "Usulan FAQ dari petugas" in kb_page and t.number in kb_page
    assert "Jadikan FAQ (draf)" in client.get(f"/tickets/{t.number}").get_data(as_text=True)
