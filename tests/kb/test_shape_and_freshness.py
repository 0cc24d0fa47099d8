"""Answer shape (one phone screen, action first, one next step) and the periodic-review list."""
import datetime as dt

from kb.citation import Citation
from kb.freshness import REVIEW_EVERY_DAYS, due_for_review, faq_digest
from kb.validation import PHONE_SCREEN_CHARS, shape_problems
from tests.kb.factories import make_entry

GOOD = {"id": "Ajukan lewat JMO.\n\nLangkah berikutnya: buka menu Klaim.",
        "en": "File it in JMO.\n\nNext step: open the Claim menu."}


def test_a_well_shaped_answer_passes():
    assert shape_problems(make_entry(answer=GOOD)) == []


def test_too_long_courteous_or_without_one_final_next_step_is_reported():
    long_text = "Ajukan lewat JMO. " + "x" * PHONE_SCREEN_CHARS + "\n\nLangkah berikutnya: buka JMO."
    problems = shape_problems(make_entry(answer={**GOOD, "id": long_text}))
    assert problems == [f"jht-test-entry: id answer is {len(long_text)} characters; one phone screen is {PHONE_SCREEN_CHARS}"]
    assert "opens with a courtesy" in shape_problems(make_entry(answer={**GOOD, "en": "Thank you for asking. " + GOOD["en"]}))[0]
    late = {**GOOD, "id": "Langkah berikutnya: buka JMO.\n\nJangan bagikan OTP."}
    assert "must end with one" in shape_problems(make_entry(answer=late))[0]
    twice = {**GOOD, "en": "Next step: A.\n\nNext step: B."}
    assert "must end with one" in shape_problems(make_entry(answer=twice))[0]


def test_placeholders_count_as_a_filled_value():
    text = "Datang ke {{branch.address}}.\n\nLangkah berikutnya: bawa KTP."
    near_limit = "x" * (PHONE_SCREEN_CHARS - len(text) - 10) + text
    assert shape_problems(make_entry(answer={**GOOD, "id": near_limit}))  # 22 characters of placeholder count as 40


def test_review_list_orders_changed_sources_then_never_then_oldest():
    today = dt.date(2026, 12, 6)
    rows = {247: "Kapan JHT cair?\nSatu bulan.", 250: "Dokumen?\nKTP."}
    fresh = make_entry("jht-fresh", reviewed_at=today - dt.timedelta(days=10), reviewed_by="ani")
    fresh = make_entry("jht-fresh", reviewed_at=fresh.reviewed_at, reviewed_by="ani", reviewed_digest=faq_digest(fresh, rows))
    old = make_entry("jht-old", reviewed_at=today - dt.timedelta(days=REVIEW_EVERY_DAYS), reviewed_by="ani")
    never = make_entry("jht-never")
    changed = make_entry("jht-changed", reviewed_at=today, reviewed_by="ani", reviewed_digest="000000000000")
    due = due_for_review([fresh, old, never, changed], today, rows)
    assert [(d.entry.id, d.reason, d.days) for d in due] == [
        ("jht-changed", "sources_changed", 0), ("jht-never", "never", None), ("jht-old", "old", REVIEW_EVERY_DAYS)]


def test_the_digest_follows_the_cited_rows_only():
    entry = make_entry(citations=[Citation("faq", rows=(247,)), Citation("regulation", name="PP 46/2015")])
    rows = {247: "a", 248: "b"}
    assert faq_digest(entry, rows) == faq_digest(entry, {**rows, 248: "changed"})
    assert faq_digest(entry, rows) != faq_digest(entry, {**rows, 247: "changed"})
    assert faq_digest(entry, None) == ""  # the dump is absent: nothing to compare
