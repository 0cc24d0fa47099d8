"""The grounding check: every figure, phone number, URL and e-mail in an answer is in a cited source."""
from pathlib import Path

import pytest

from core.settings import get_settings
from kb.citation import Citation
from kb.content import read_entries
from kb.grounding import SourceTexts, check_grounding, claims, number_values, unsupported_claims
from tests.kb.factories import make_entry

SHARED = Path(get_settings().shared_dir)


def _shared_or_skip() -> SourceTexts:
    sources = SourceTexts(SHARED)
    if sources.missing():
        pytest.skip(f"grounding not checked: {sources.missing()}")
    return sources


def test_numbers_compare_by_value_in_either_notation():
    assert 15_000_000 in number_values("saldo di bawah Rp15 juta")
    assert 15_000_000 in number_values("Rp 15.000.000,-") and 15_000_000 in number_values("Rp15,000,000")
    assert 5.7 in number_values("5,7%") and 5.7 in number_values("5.7 %")
    assert 1_500_000 in number_values("sebesar Rp.1.500.000,- per orang")


def test_list_markers_and_branch_placeholders_are_not_claims():
    text = "1. Buka JMO.\n2. Pilih menu.\nJam layanan {{branch.office_hours}}; hubungi 175 atau cs@contoh.id (www.contoh.co.id)."
    assert claims(text) == ["cs@contoh.id", "www.contoh.co.id", "175"]


def test_an_invented_amount_phone_and_site_are_reported():
    sources = _shared_or_skip()
    entry = make_entry(answer={"id": "Beasiswa Rp1,5 juta. Telepon 175 atau 0811-2345-6789. Lihat contoh-palsu.com.",
                               "en": "Benefit Rp77 million, call +62 21 5555 1234."},
                       citations=[Citation("faq", rows=(396, 615))])
    assert unsupported_claims(entry, sources) == ["id: 'contoh-palsu.com'", "id: '0811-2345-6789'",
                                                  "en: '+62 21 5555 1234'", "en: '77 million'"]


def test_an_excerpt_grounds_a_figure_from_a_source_outside_the_faq():
    sources = _shared_or_skip()
    answer = {"id": "Berlaku sejak 7 Februari 2025.", "en": "In force since 7 February 2025."}
    bare = make_entry(answer=answer, citations=[Citation("faq", rows=(1,))])
    quoted = make_entry(answer=answer, citations=[Citation("regulation", name="PP 6/2025", excerpt="berlaku 7 Februari 2025")])
    assert unsupported_claims(bare, sources) and unsupported_claims(quoted, sources) == []


def test_a_citation_to_a_row_that_does_not_exist_is_reported():
    sources = _shared_or_skip()
    entry = make_entry(citations=[Citation("faq", rows=(99_999,))])
    assert "FAQ row 99999 does not exist" in unsupported_claims(entry, sources)


def test_every_answer_in_the_knowledge_base_is_grounded():
    _shared_or_skip()
    report = check_grounding(read_entries(), SHARED)
    assert report.checked >= 80
    assert report.unsupported == {}, "run `python -m kb validate kb/content --grounding` for the list"
