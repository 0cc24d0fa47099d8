"""Small builders for knowledge-base test data."""
from __future__ import annotations

from kb.citation import Citation
from kb.entry import Entry


def make_entry(entry_id: str = "jht-test-entry", topic: str = "jht.eligibility", **overrides) -> Entry:
    data = dict(
        id=entry_id,
        topic=topic,
        title={"id": "Syarat klaim JHT", "en": "JHT claim conditions"},
        questions={
            "id": ["kapan jht bisa dicairkan", "syarat pencairan jht apa saja", "jht cair kapan"],
            "en": ["when can I claim my JHT"],
        },
        answer={"id": "JHT dapat dicairkan setelah ...\n\nLangkah berikutnya: ajukan lewat JMO.",
                "en": "JHT can be claimed after ...\n\nNext step: file it in JMO."},
        citations=[Citation("faq", rows=(247,))],
        source="read from the JHT rows of the official FAQ",
        programs=["JHT"],
        active=True,
    )
    data.update(overrides)
    return Entry(**data)


def entry_dict(entry_id: str = "jht-test-entry", **overrides) -> dict:
    return make_entry(entry_id, **overrides).to_dict()


def distinct_entry(entry_id: str, **overrides) -> Entry:
    """An entry whose question variants are its own, so several can be imported together."""
    words = entry_id.replace("-", " ")
    questions = {"id": [f"kapan {words} bisa dicairkan", f"syarat {words} apa saja", f"{words} cair kapan"],
                 "en": [f"when can I claim {words}"]}
    return make_entry(entry_id, **{"questions": questions, **overrides})
