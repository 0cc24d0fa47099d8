from branch.store import LOADER, BranchStore
from kb.service import KnowledgeBase
from kb.store import KbStore
from tests.branch.profiles import load_test_profile
from tests.kb.factories import make_entry


def _kb(db):
    BranchStore(db).save(load_test_profile(), actor=LOADER)
    return KnowledgeBase(db, "test-kota", check_interval=0)


def test_an_edit_is_searchable_at_once(db):
    store = KbStore(db)
    store.create(make_entry("jht-a"), actor="ani")
    kb = _kb(db)
    assert kb.search("kapan jht bisa dicairkan")[0].entry_id == "jht-a"
    store.create(make_entry("queue", topic="service.queue", programs=[], questions={
        "id": ["cara ambil antrean online", "antrian kantor cabang", "booking antrean"], "en": ["online queue"]}), actor="ani")
    assert kb.search("antrean online kantor cabang")[0].entry_id == "queue"
    store.set_active("queue", False, actor="ani")
    assert all(c.entry_id != "queue" for c in kb.search("antrean online kantor cabang"))


def test_answers_name_their_source_and_use_the_branch_profile(db):
    KbStore(db).create(make_entry("hours", topic="service.office_hours", programs=[], answer={
        "id": "Kantor buka {{branch.office_hours}}.", "en": "The office is open {{branch.office_hours}}."}), actor="ani")
    kb = _kb(db)
    entry = kb.entry("hours")
    text_id = kb.answer(entry, "id")
    assert "Senin–Jumat" in text_id and text_id.endswith("Sumber: FAQ resmi BPJS Ketenagakerjaan (bpjsketenagakerjaan.go.id)")
    assert kb.answer(entry, "en").startswith("The office is open Monday–Friday")


def test_branch_change_is_answered_at_once(db):
    KbStore(db).create(make_entry("where", topic="service.location", programs=[], answer={
        "id": "Alamat: {{branch.address}}", "en": "Address: {{branch.address}}"}), actor="ani")
    kb = _kb(db)
    assert "175" in kb.answer(kb.entry("where"), "id")
    branches = BranchStore(db)
    profile = branches.get("test-kota")
    profile.address = "Jl. Percobaan 1"
    branches.save(profile, actor="admin")
    assert "Jl. Percobaan 1" in kb.answer(kb.entry("where"), "id")


def test_cached_index_survives_a_database_outage(db, monkeypatch):
    KbStore(db).create(make_entry("jht-a"), actor="ani")
    kb = _kb(db)
    kb.refresh()
    from sqlalchemy.exc import OperationalError

    def down(*_a, **_k):
        raise OperationalError("select", {}, Exception("connection refused"))

    monkeypatch.setattr(kb.store, "version", down)
    assert kb.search("kapan jht bisa dicairkan")[0].entry_id == "jht-a"
