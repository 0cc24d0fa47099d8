"""The monthly review page, its printable version and CSV, improvement actions and the SERVQUAL rules page
over HTTP (the figures themselves: tests/monitoring/test_review.py)."""
import csv
import datetime as dt
import html
import io
import re

import pytest

from kb.store import KbStore
from monitoring.improvements import ImprovementActions
from monitoring.models import FeedbackRow, TurnRow
from monitoring.review import Month
from monitoring.satisfaction import SatisfactionSurvey
from monitoring.servqual import ServqualRules
from tests.dashboard.conftest import PROFILE
from tests.kb.factories import make_entry

OCTOBER = "2026-10"


def wib(m, d, h, mi=0):
    return dt.datetime(2026, m, d, h, mi) - dt.timedelta(hours=7)


@pytest.fixture
def month(db, tickets):
    KbStore(db).create(make_entry("jmo-otp-a", topic="jmo.otp", questions={
        "id": ["kode otp jmo tidak masuk", "otp tidak terkirim", "otp jmo belum datang"], "en": ["jmo otp not received"]}),
        actor="seed")
    t = tickets.open("complaint", "tg:4", "telegram", "Antrean lama sekali, petugas tidak ramah. NIK 1271012345678901",
                     now=wib(10, 6, 9))
    tickets.reply(t.number, "ani", "Mohon maaf.", now=wib(10, 8, 9))
    tickets.change_status(t.number, "resolved", "ani", now=wib(10, 12, 9))
    SatisfactionSurvey(db).rate(t.number, "tg:4", 2, now=wib(10, 12, 10))
    SatisfactionSurvey(db).comment(t.number, "tg:4", "=HYPERLINK(\"http://x\") lama", now=wib(10, 12, 10, 5))
    otp = tickets.open("unresolved_question", "tg:5", "telegram", "otp jmo", topic="jmo.otp", now=wib(10, 7, 10))
    with db.session() as s:
        s.add(TurnRow(sender_id="tg:1", at=wib(10, 1, 9), text="kode otp jmo tidak masuk", outcome="answered", topic="jmo.otp"))
        s.add(TurnRow(sender_id="tg:1", at=wib(10, 1, 9, 5), text="<b>kartu hilang</b> cetak dimana", outcome="fallback"))
        s.add(TurnRow(sender_id="tg:2", at=wib(10, 3, 20), text="otp ga masuk2", outcome="clarified", topic="jmo.otp"))
        s.add(FeedbackRow(sender_id="tg:3", faq_id="jmo-otp-a", topic="jmo.otp", helpful=False, question="otp",
                          created_at=wib(10, 8, 10)))
    return {"complaint": t.number, "otp": otp.number}


def test_the_review_page_shows_the_month_against_the_last(client, auth, month):
    auth.login("ani")  # staff read the review
    response = client.get(f"/review?month={OCTOBER}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tinjauan mutu layanan · Oktober 2026" in body and "dibanding September 2026" in body
    for section in ("ringkasan", "volume", "jam", "layanan", "terlambat", "kepuasan", "celah", "servqual", "tindakan"):
        assert f'id="{section}"' in body
    assert "Percakapan selesai tanpa petugas" in body and "sampel kecil" in body
    assert "Jam tersibuk:" in body and body.count("<svg") >= 4
    assert "Empati (empathy)" in body and "kata “tidak ramah”" in body  # the rule that placed the complaint
    assert "Aturan yang dipakai" in body and "berkas monitoring/servqual.yml" in body
    assert "&lt;b&gt;kartu hilang&lt;/b&gt;" in body and "<b>kartu hilang</b>" not in body
    assert "1271012345678901" not in body
    assert 'action="/review/actions"' not in body  # recording actions is for admins


def test_bad_or_missing_month(client, auth, month):
    auth.login("ani")
    assert "Bulan tidak valid" in client.get("/review?month=2026-13").get_data(as_text=True)
    assert client.get("/review").status_code == 200  # the last complete month


def test_the_printable_version_has_no_forms_and_a_print_stylesheet(client, auth, month):
    auth.login("budi")
    body = client.get(f"/review/print?month={OCTOBER}").get_data(as_text=True)
    assert "print.css" in body and "data-print" in body and "<form" not in body
    assert "<details>" not in body and "Aturan yang dipakai" in body  # what the page folds is open on paper
    assert "untuk rapat kepala cabang" in body and "Antrean tiket" not in body  # no navigation
    assert client.get("/static/print.css").status_code == 200


def test_csv_tables(client, auth, month):
    auth.login("ani")
    for table in ("summary", "channels", "topics", "hours", "service", "overdue", "feedback", "gaps", "actions"):
        response = client.get(f"/review/export.csv?month={OCTOBER}&table={table}")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert f"review-{OCTOBER}-{table}.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(client.get(f"/review/export.csv?month={OCTOBER}&table=summary")
                                           .get_data(as_text=True).lstrip("\ufeff"))))
    questions = next(r for r in rows if r["figure"] == "questions")
    assert (questions["month"], questions["previous_month"], questions["change"]) == ("3", "0", "3")
    feedback = client.get(f"/review/export.csv?month={OCTOBER}&table=feedback").get_data(as_text=True)
    assert "1271012345678901" not in feedback and "'=HYPERLINK" in feedback and "empathy" in feedback
    gaps = client.get(f"/review/export.csv?month={OCTOBER}&table=gaps").get_data(as_text=True)
    assert "<b>kartu hilang</b> cetak dimana" in gaps  # CSV is data, not HTML; the masking still applies


def test_admins_record_and_follow_up_an_action(client, auth, month, db):
    auth.login("budi")
    page = client.get(f"/review?month={OCTOBER}&topic=jmo.otp&problem=Banyak+tiket+OTP&metric=topic_tickets")
    body = page.get_data(as_text=True)
    assert 'action="/review/actions"' in body and 'value="Banyak tiket OTP"' in body
    assert '<option value="jmo.otp" selected>' in body and '<option value="topic_tickets" selected>' in body
    response = auth.post("/review/actions", {"month": OCTOBER, "what": "Perbarui entri OTP", "owner": "Rina",
                                             "due_date": "2026-11-13", "problem": "Banyak tiket OTP", "topic": "jmo.otp",
                                             "metric": "topic_tickets", "kb_entry_id": "jmo-otp-a"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/review?month={OCTOBER}#tindakan")
    (action,) = ImprovementActions(db, PROFILE).recorded_in(Month(2026, 10))
    assert (action.what, action.owner, action.topic, action.kb_entry_id, action.created_by) == (
        "Perbarui entri OTP", "Rina", "jmo.otp", "jmo-otp-a", "budi")
    october = client.get(f"/review?month={OCTOBER}").get_data(as_text=True)
    assert "Tindakan perbaikan dicatat" in october and "Perbarui entri OTP" in october
    # The next month's review follows it up: status, and the metric before and after.
    november = client.get("/review?month=2026-11").get_data(as_text=True)
    assert "Tindak lanjut dari tinjauan sebelumnya" in november and "Perbarui entri OTP" in november
    assert "Tiket pada topik per minggu: <strong>jmo.otp</strong>" in november
    assert "terlalu dini" in november  # recorded today, after November's end: nothing to compare yet
    response = auth.post(f"/review/actions/{action.id}", {"month": "2026-11", "status": "done", "note": "Terbit"})
    assert response.status_code == 302
    assert ImprovementActions(db, PROFILE).get(action.id).status == "done"
    assert "Tindakan perbaikan diperbarui" in client.get("/review?month=2026-11").get_data(as_text=True)


@pytest.mark.parametrize("form, message", [
    ({"what": ""}, "Tulis tindakan yang akan dilakukan."),
    ({"due_date": "besok"}, "Isi tenggat"),
    ({"topic": ""}, "Metrik ini dihitung per topik"),
    ({"kb_entry_id": "tidak-ada"}, "Entri basis pengetahuan “tidak-ada” tidak ada"),
])
def test_an_incomplete_action_is_refused_with_a_reason(client, auth, month, db, form, message):
    auth.login("budi")
    data = {"month": OCTOBER, "what": "Perbarui entri OTP", "owner": "Rina", "due_date": "2026-11-13",
            "topic": "jmo.otp", "metric": "topic_tickets", **form}
    auth.post("/review/actions", data)
    assert message in client.get(f"/review?month={OCTOBER}").get_data(as_text=True)
    assert ImprovementActions(db, PROFILE).recorded_in(Month(2026, 10)) == []


def test_staff_cannot_record_or_change_actions_or_rules(client, auth, month, db):
    action = ImprovementActions(db, PROFILE).create(Month(2026, 10), "x", "y", dt.date(2026, 11, 1), "tickets", "budi")
    auth.login("ani")
    assert auth.post("/review/actions", {"month": OCTOBER, "what": "x", "owner": "y", "due_date": "2026-11-01",
                                         "metric": "tickets"}).status_code == 403
    assert auth.post(f"/review/actions/{action.id}", {"status": "done"}).status_code == 403
    assert auth.post("/review/rules", {}).status_code == 403 and auth.post("/review/rules/reset").status_code == 403
    assert ImprovementActions(db, PROFILE).get(action.id).status == "planned"
    rules = client.get("/review/rules").get_data(as_text=True)  # staff read the rules
    assert "Hanya admin yang dapat mengubah aturan." in rules and "<textarea" not in rules
    auth.logout()
    auth.login("budi")
    assert auth.post("/review/actions/999", {"status": "done"}).status_code == 404


def _rules_form(page: str) -> dict:
    """The rules form as the browser would post it (its textareas and checked boxes)."""
    data = {name: html.unescape(value)
            for name, value in re.findall(r'<textarea name="([^"]+)" rows="\d+">([^<]*)</textarea>', page)}
    checked = re.findall(r'name="([a-z]+_kinds)" value="([a-z_]+)" checked', page)
    return {**data, **{name: [v for n, v in checked if n == name] for name, _ in checked}}


def test_admins_edit_the_rules_and_the_review_uses_them(client, auth, month, db):
    auth.login("budi")
    page = client.get("/review/rules").get_data(as_text=True)
    assert "Berlaku: berkas monitoring/servqual.yml" in page
    form = _rules_form(page)
    assert form["reliability_kinds"] == ["negative_feedback"] and "tidak sesuai" in form["reliability_words_id"]
    form["tangibles_words_id"] += "\nantrean"  # the admin files queues under tangibles too
    response = auth.post("/review/rules", form)
    assert response.status_code == 302
    rules = ServqualRules(db).current()
    assert rules.source == "dashboard" and "antrean" in rules.rule("tangibles").words_in("id")
    review = client.get(f"/review?month={OCTOBER}").get_data(as_text=True)
    assert "Berlaku: versi admin, diubah budi" in review and "kata “antrean”" in review
    # A bad rule is refused, the form shown again as typed.
    bad = dict(form, empathy_topics="jmo.tidak_ada", empathy_words_en="kind\n<script>")
    refused = auth.post("/review/rules", bad)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Aturan tidak disimpan" in text and "jmo.tidak_ada" in text
    assert "&lt;script&gt;" in text and "<script>" not in text.split("<main>")[1]
    assert ServqualRules(db).current().rule("empathy").topics == ()
    auth.post("/review/rules/reset")
    assert ServqualRules(db).current().source == "file"
    assert "dikembalikan ke berkas" in client.get("/review/rules").get_data(as_text=True)
