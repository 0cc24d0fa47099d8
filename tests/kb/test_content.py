"""The shipped content: valid, complete, sourced, and consistent with the shared topic list."""
from pathlib import Path

import pytest
import yaml

from kb.content import CONTENT_DIR, read_entries
from kb.entry import PLACEHOLDER
from kb.topics import TOPICS_FILE, kb_topic_codes
from kb.validation import validate_collection
from tests.conftest import SHARED_DIR

ENTRIES = read_entries(CONTENT_DIR)


def test_content_is_valid_and_covers_every_topic():
    report = validate_collection(ENTRIES)
    assert report.errors == []
    assert len(ENTRIES) >= 60
    assert {e.topic for e in ENTRIES if e.active} == set(kb_topic_codes())


def test_every_entry_names_a_source_and_answers_in_both_languages():
    for e in ENTRIES:
        assert len(e.source) >= 10, e.id
        assert e.answer["id"] and e.answer["en"], e.id
        assert len(e.questions["id"]) >= 3 and len(e.questions["en"]) >= 1, e.id


def test_branch_facts_come_from_the_profile_not_the_answers():
    # The branch's office hours must not be hard-coded: they live in branch/profiles/.
    for e in ENTRIES:
        for text in e.answer.values():
            assert "08.00" not in text and "15.30" not in text and "08:00" not in text, e.id


def test_location_answers_use_the_address_placeholder():
    location = [e for e in ENTRIES if e.topic == "service.location"]
    assert location and all("branch.address" in " ".join(e.answer.values()) for e in location)
    assert all(m.group(1) for e in ENTRIES for t in e.answer.values() for m in PLACEHOLDER.finditer(t))


@pytest.mark.skipif(not (SHARED_DIR / "kb" / "topics.yml").exists(), reason="../shared is not present")
def test_project_topics_contain_every_shared_topic():
    shared = yaml.safe_load((SHARED_DIR / "kb" / "topics.yml").read_text(encoding="utf-8"))["topics"]
    ours = yaml.safe_load(Path(TOPICS_FILE).read_text(encoding="utf-8"))["topics"]
    assert {t["code"]: t["kind"] for t in shared}.items() <= {t["code"]: t["kind"] for t in ours}.items()
