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
