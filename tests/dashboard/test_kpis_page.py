"""The KPI page and its CSV export over HTTP (the numbers themselves: tests/monitoring/test_kpis.py)."""
import csv
import datetime as dt
import io

import pytest

from monitoring.models import FeedbackRow, TurnRow


def wib(y, m, d, h, mi=0):
    return dt.datetime(y, m, d, h, mi) - dt.timedelta(hours=7)


@pytest.fixture
def data(db, tickets):
    with db.session() as s:
        for outcome in ("answered", "answered", "answered", "fallback"):
            s.add(TurnRow(sender_id="tg:1", at=wib(2026, 11, 30, 10), text="pertanyaan", outcome=outcome))
        s.add(TurnRow(sender_id="tg:1", at=wib(2026, 11, 30, 11), text="=HYPERLINK(\"http://evil\")",
                      outcome="fallback"))
        s.add(TurnRow(sender_id="tg:1", at=wib(2026, 11, 30, 11), text="<script>alert(1)</script>", outcome="fallback"))
        s.add(FeedbackRow(sender_id="tg:1", faq_id="x", topic="jht.balance", helpful=False, created_at=wib(2026, 11, 30, 12)))
    t = tickets.open("complaint", "tg:1", "telegram", "lama", now=wib(2026, 11, 30, 9))
    tickets.change_status(t.number, "resolved", "ani", now=wib(2026, 11, 30, 10))


def test_kpi_page_shows_figures_and_server_drawn_charts(client, auth, data):
    auth.login("ani")  # staff see KPIs too
    response = client.get("/kpis?from=2026-11-30&to=2026-12-01")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>6</strong> pertanyaan" in body and "<strong>50%</strong> dijawab" in body
    assert body.count("<svg") == 4 and "Pertanyaan per hari menurut hasil" in body
    assert "30/11" in body and "<strong>100%</strong> tiket selesai tepat waktu" in body
    # Every share says how many cases it is a share of, and one of too few cases is marked.
    assert 'tiket selesai tepat waktu <span class="muted">(n=1)</span> <span class="badge small-sample"' in body
    assert "100% (1 dari 1)" in body and "sampel kecil (kurang dari 10)" in body
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "jht.balance" in body


@pytest.mark.parametrize("query", ["from=2026-13-45&to=x", "from=2026-12-01&to=2026-11-01",
                                   "from=2020-01-01&to=2026-01-01", "from=%27%3B--&to=%00", "from=2026-11-30"])
def test_bad_dates_fall_back_to_the_last_30_days(client, auth, query):
    auth.login("ani")
    response = client.get("/kpis?" + query)
    assert response.status_code == 200
    assert "menampilkan 30 hari terakhir" in response.get_data(as_text=True)


def test_csv_export(client, auth, data):
    auth.login("ani")
    response = client.get("/kpis/export.csv?from=2026-11-30&to=2026-12-01&table=daily")
    assert response.mimetype == "text/csv" and "kpi-daily-2026-11-30-2026-12-01.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["date"] for r in rows] == ["2026-11-30", "2026-12-01"]
    assert (rows[0]["questions"], rows[0]["answered"], rows[0]["fallback"]) == ("6", "3", "3")
    assert (rows[0]["opened_complaint"], rows[0]["resolved_complaint"]) == ("1", "1")
    unresolved = client.get("/kpis/export.csv?from=2026-11-30&to=2026-12-01&table=unresolved_questions")
    text = unresolved.get_data(as_text=True)
    assert "'=hyperlink" in text  # a formula is neutralised for spreadsheets
    helpful = client.get("/kpis/export.csv?from=2026-11-30&to=2026-12-01&table=helpfulness").get_data(as_text=True)
    assert "jht.balance,0,1,0.000" in helpful
    assert client.get("/kpis/export.csv?table=%27%3B--").status_code == 200


def test_a_sparse_month_is_grouped_by_week_and_empty_charts_are_not_drawn(client, auth, data):
    auth.login("ani")
    body = client.get("/kpis?from=2026-11-02&to=2026-12-01").get_data(as_text=True)
    assert "Pertanyaan per minggu" in body and "29 dari 30 hari tanpa aktivitas" in body
    assert "Pertanyaan per minggu menurut hasil" in body and "Pertanyaan per hari menurut hasil" not in body
    by_day = client.get("/kpis?from=2026-11-02&to=2026-12-01&by=day").get_data(as_text=True)
    assert "Pertanyaan per hari menurut hasil" in by_day and "hari tanpa aktivitas" not in by_day
    quiet = client.get("/kpis?from=2026-10-01&to=2026-10-31").get_data(as_text=True)
    assert quiet.count("Tidak ada aktivitas dalam rentang ini.") == 3 and quiet.count("<svg") == 0
    months = client.get("/kpis?from=2026-01-01&to=2026-12-31").get_data(as_text=True)
    assert "Pertanyaan per bulan" in months and "Nov 26" in months


def test_satisfaction_on_the_kpi_page_and_in_its_csv(client, auth, db, tickets):
    from monitoring.satisfaction import SatisfactionSurvey

    t = tickets.open("complaint", "tg:5", "telegram", "antre lama", now=wib(2026, 11, 30, 9))
    tickets.change_status(t.number, "resolved", "ani", now=wib(2026, 11, 30, 10))
    SatisfactionSurvey(db).rate(t.number, "tg:5", 4, now=wib(2026, 11, 30, 11))
    SatisfactionSurvey(db).comment(t.number, "tg:5", "Cepat. Nomor saya 081234567890 <b>", now=wib(2026, 11, 30, 11))
    auth.login("ani")
    body = client.get("/kpis?from=2026-11-30&to=2026-11-30").get_data(as_text=True)
    assert "<strong>4,0</strong> / 5 kepuasan peserta" in body and "(n=1)" in body
    assert "1 ditanya · 1 menilai (100%)" in body and "Penilaian peserta atas penanganan tiket" in body
    assert f'<a href="/tickets/{t.number}">{t.number}</a></td><td>4 ★</td>' in body
    assert "081234567890" not in body and "&lt;b&gt;" in body
    csv_text = client.get("/kpis/export.csv?from=2026-11-30&to=2026-11-30&table=satisfaction").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert [(r["ticket"], r["rating"], r["kind"]) for r in rows] == [(t.number, "4", "complaint")]
    assert "081234567890" not in csv_text
