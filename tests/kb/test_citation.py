"""Structured citations: validation, the dashboard's line form, and what participants read."""
import pytest

from kb.citation import CitationError, citations_from, format_lines, parse_lines, public_source

MIXED = [{"faq": [249, "267-270", 247]}, {"regulation": "PP 46/2015", "article": "Pasal 31", "excerpt": "paling lama 5 hari"},
         {"url": "https://www.kompas.com/a", "title": "Berita JHT"}, {"facts": 2}, {"branch": True}]


def test_rows_are_expanded_deduplicated_and_written_back_as_ranges():
    faq = citations_from([{"faq": [249, "267-270", 247, 249]}])[0]
    assert faq.rows == (247, 249, 267, 268, 269, 270)
    assert faq.to_dict() == {"faq": [247, 249, "267-270"]}


def test_participants_read_names_never_rows_sections_or_excerpts():
    line = public_source(citations_from(MIXED), "id")
    assert line == ("FAQ resmi BPJS Ketenagakerjaan (bpjsketenagakerjaan.go.id); PP 46/2015 Pasal 31; "
                    "pemberitaan media (kompas.com); data kantor cabang")
    assert "249" not in line and "FACTS" not in line and "5 hari" not in line


def test_an_official_article_is_named_as_such_and_a_news_page_by_its_site():
    official = citations_from([{"url": "https://www.bpjsketenagakerjaan.go.id/artikel/1", "title": "Aktivasi"}])
    news = citations_from([{"url": "https://nasional.kompas.com/x", "title": "x"}])
    assert public_source(official, "en") != public_source(news, "en")
    assert public_source(news, "en") == "news reports (nasional.kompas.com)"


def test_the_dashboard_lines_round_trip():
    citations = citations_from(MIXED)
    lines = format_lines(citations)
    assert lines.splitlines()[0] == "faq: 247, 249, 267-270"
    assert citations_from(lines) == citations
    assert citations_from(parse_lines(lines)) == citations


@pytest.mark.parametrize("text, message", [
    ("faq: 10-2", "reversed"),
    ("faq: 1-500", "too wide"),
    ("facts: 2", "participants can read"),
    ("halaman: x", "start with faq:"),
    ("url: https:// | judul", "full http"),
    ("regulation: PP 46/2015 | Pasal 31 | " + "x" * 700, "at most"),
])
def test_bad_lines_get_a_clear_message(text, message):
    with pytest.raises(CitationError, match=message):
        citations_from(text)
