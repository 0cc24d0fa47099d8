import pytest

from kb.entry import EntryError, validate_entry
from tests.kb.factories import entry_dict


def test_valid_entry_is_cleaned():
    data = entry_dict()
    data["answer"] = {"id": "  Jawaban.  \n", "en": "Answer."}
    entry = validate_entry(data)
    assert entry.answer["id"] == "Jawaban."
    assert entry.programs == ["JHT"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"topic": "jht.unknown"}, "unknown knowledge-base topic"),
        ({"topic": "greet"}, "dialogue topic"),
        ({"id": "Bad Id!"}, "lowercase"),
        ({"citations": []}, "at least one source"),
        ({"citations": [{"facts": 2}]}, "participants can read"),
        ({"citations": [{"faq": ["baris 3"]}]}, "not a row number"),
        ({"citations": [{"faq": [3], "url": "https://x.id"}]}, "exactly one"),
        ({"citations": [{"regulation": "aturan baru"}]}, "PP 46/2015"),
        ({"citations": [{"url": "kompas.com", "title": "x"}]}, "full http"),
        ({"citations": "sumber: internet"}, "start with faq:"),
        ({"source": 5}, "must be text"),
        ({"programs": ["BPJS"]}, "programs"),
        ({"answer": {"id": "", "en": "x"}}, "answer.id: must not be empty"),
        ({"answer": {"id": "x" * 100_000, "en": "x"}}, "at most 1500"),
        ({"answer": {"id": "<script>alert(1)</script>", "en": "x"}}, "HTML"),
        ({"title": {"id": "x'; DROP TABLE kb_entries; --", "en": "x"}}, "SQL"),
        ({"answer": {"id": "bin\x00ary", "en": "x"}}, "control characters"),
        ({"answer": {"id": "Alamat: {{branch.street}}", "en": "x"}}, "unknown placeholder"),
        ({"questions": {"id": ["satu"], "en": ["one"]}}, "at least 3"),
        ({"questions": {"id": ["a b", "A B", "c d"], "en": ["x"]}}, "duplicate question"),
        ({"colour": "red"}, "unknown field"),
        ({"active": "yes"}, "active must be"),
    ],
)
def test_bad_entries_are_rejected_with_a_clear_message(change, message):
    data = entry_dict()
    data.update(change)
    with pytest.raises(EntryError, match=message):
        validate_entry(data)


def test_non_mapping_is_rejected():
    with pytest.raises(EntryError):
        validate_entry(["not", "a", "mapping"])


def test_emoji_and_plain_sql_words_are_fine():
    data = entry_dict()
    data["answer"] = {"id": "Silakan pilih menu 👉 Klaim. Data Anda tidak akan di-delete.", "en": "Select the menu."}
    assert validate_entry(data).answer["id"].startswith("Silakan")
