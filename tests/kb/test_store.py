import pytest

from kb.entry import EntryError
from kb.store import LOADER, Conflict, ImportRefused, KbStore, NotFound
from tests.kb.factories import distinct_entry, make_entry

FAQ = "bpjsketenagakerjaan.go.id FAQ"  # a source participants can read (kb/citation.py)


def test_create_get_list(db):
    store = KbStore(db)
    store.create(make_entry("jht-a"), actor="ani")
    store.create(make_entry("jmo-b", topic="jmo.otp", programs=[]), actor="ani")
    assert store.get("jht-a").entry.topic == "jht.eligibility"
    assert [r.entry.id for r in store.list(topic="jmo")] == ["jmo-b"]
    assert [r.entry.id for r in store.list(program="JHT")] == ["jht-a"]
    assert [r.entry.id for r in store.list(text="JHT CLAIM")] == ["jht-a", "jmo-b"]
    with pytest.raises(NotFound):
        store.get("missing")


def test_every_change_writes_a_revision_and_bumps_the_version(db):
    store = KbStore(db)
    v0 = store.version()
    store.create(make_entry("jht-a"), actor="ani")
    edited = make_entry("jht-a", answer={"id": "Baru.", "en": "New."})
    record = store.update(edited, actor="budi", expected_version=1)
    store.set_active("jht-a", False, actor="budi")
    assert record.version == 2 and record.updated_by == "budi"
    revisions = store.revisions("jht-a")
    assert [r.action for r in revisions] == ["deactivated", "edited", "created"]
    assert revisions[1].snapshot["answer"]["id"] == "Baru."
    assert store.version() == v0 + 3
    assert store.list(active=True) == []


def test_restore_a_revision(db):
    store = KbStore(db)
    store.create(make_entry("jht-a"), actor="ani")
    store.update(make_entry("jht-a", answer={"id": "Salah.", "en": "Wrong."}), actor="budi")
    first = store.revisions("jht-a")[-1]
    restored = store.restore("jht-a", first.id, actor="citra")
    assert restored.entry.answer["id"] == make_entry().answer["id"]
    assert restored.version == 3
    assert store.revisions("jht-a")[0].action == "restored"
    with pytest.raises(NotFound):
        store.restore("jht-a", 999_999, actor="citra")


def test_stale_edit_is_refused(db):
    store = KbStore(db)
    store.create(make_entry("jht-a"), actor="ani")
    store.update(make_entry("jht-a", source=FAQ + " (baru)"), actor="budi", expected_version=1)
    with pytest.raises(Conflict):
        store.update(make_entry("jht-a", source=FAQ + " (lama)"), actor="ani", expected_version=1)


def test_duplicate_id_is_refused(db):
    store = KbStore(db)
    store.create(make_entry("jht-a"), actor="ani")
    with pytest.raises(Conflict):
        store.create(make_entry("jht-a"), actor="ani")


def test_invalid_entry_never_reaches_the_database(db):
    store = KbStore(db)
    with pytest.raises(EntryError):
        store.create(make_entry("jht-a", topic="nope.nope"), actor="ani")
    assert store.list(active=None) == []


def test_import_is_idempotent_and_sync_keeps_admin_edits(db):
    store = KbStore(db)
    entries = [distinct_entry("jht-a"), distinct_entry("jht-b")]
    first = store.import_entries(entries, actor=LOADER, sync=True)
    assert sorted(first.created) == ["jht-a", "jht-b"]
    version = store.version()
    again = store.import_entries(entries, actor=LOADER, sync=True)
    assert sorted(again.unchanged) == ["jht-a", "jht-b"] and store.version() == version

    store.update(distinct_entry("jht-a", answer={"id": "Diedit admin.", "en": "Edited."}), actor="admin")
    changed = [distinct_entry("jht-a", source=FAQ + " (file v2)"), distinct_entry("jht-b", source=FAQ + " (file v2)")]
    report = store.import_entries(changed, actor=LOADER, sync=True)
    assert report.kept_admin_edits == ["jht-a"] and report.updated == ["jht-b"]
    assert store.get("jht-a").entry.answer["id"] == "Diedit admin."
    assert store.get("jht-b").entry.source == FAQ + " (file v2)"


def test_failed_import_changes_nothing(db, monkeypatch):
    store = KbStore(db)
    store.create(distinct_entry("jht-a"), actor="ani")
    before = store.version()
    with pytest.raises(Conflict):
        store.import_entries([distinct_entry("jht-a", source=FAQ + " (x)"), distinct_entry("jht-a", source=FAQ + " (y)")], actor="cli")
    with pytest.raises(EntryError):
        store.import_entries([distinct_entry("jht-new"), distinct_entry("jht-bad", topic="nope")], actor="cli")
    # A database error part-way through rolls back the whole import.
    real_create = KbStore._create
    calls = []

    def failing_create(self, s, entry, actor, note, bump=True):
        calls.append(entry.id)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_create(self, s, entry, actor, note, bump)

    monkeypatch.setattr(KbStore, "_create", failing_create)
    with pytest.raises(RuntimeError):
        store.import_entries([distinct_entry("jht-new"), distinct_entry("jht-new2")], actor="cli")
    assert [r.entry.id for r in store.list(active=None)] == ["jht-a"]
    assert store.get("jht-a").entry.source == distinct_entry("jht-a").source
    assert store.version() == before


def test_hostile_text_is_stored_verbatim(db):
    store = KbStore(db)
    text = "O'Brien \"kutip\" 🙂 ketik 100% <3 \\x00"
    store.create(make_entry("jht-a", answer={"id": text, "en": "ok"}), actor="o'brien")
    record = store.get("jht-a")
    assert record.entry.answer["id"] == text and record.updated_by == "o'brien"


def test_import_that_adds_problems_is_refused_and_a_partial_file_is_not(db):
    store = KbStore(db)
    store.create(distinct_entry("jht-a"), actor="ani")
    # Updating one entry of a larger base is fine; the coverage the file lacks is not its problem.
    assert store.import_entries([distinct_entry("jht-a", source=FAQ + " (v2)")], actor="cli").updated == ["jht-a"]
    before = store.version()
    with pytest.raises(ImportRefused) as refused:
        store.import_entries([distinct_entry("jht-b", questions=distinct_entry("jht-a").questions)], actor="cli")
    assert "appears in jht-a and jht-b" in str(refused.value)
    with pytest.raises(ImportRefused, match="topic jht.eligibility has no active entry"):
        store.import_entries([distinct_entry("jht-a", active=False)], actor="cli")
    assert [r.entry.id for r in store.list(active=None)] == ["jht-a"] and store.version() == before


def test_a_ticket_knows_the_entries_it_became_proposed_or_not(db):
    store = KbStore(db)
    store.propose("MDK-000001", "ani", "sering ditanya")
    store.create(make_entry("jht-dari-tiket", active=False), actor="budi", proposal="MDK-000001")
    store.create(distinct_entry("jkm-dari-tiket"), actor="budi", proposal="MDK-000002")  # nobody proposed it
    first, second = store.proposals_for_ticket("MDK-000001"), store.proposals_for_ticket("MDK-000002")
    assert [(p.status, p.entry_id, p.proposed_by) for p in first] == [("drafted", "jht-dari-tiket", "ani")]
    assert [(p.status, p.entry_id, p.proposed_by) for p in second] == [("drafted", "jkm-dari-tiket", "budi")]
    assert store.proposals_for_ticket("MDK-000003") == [] and store.proposals() == []
