"""Reply templates: admins keep them (audited), staff get them filled in for one ticket."""
import pytest

from accounts.audit import AuditLog
from monitoring.reply_templates import ReplyTemplates, TemplateError, check_body, fill
from monitoring.service_time import local_time_text
from monitoring.tickets import TicketService
from tests.branch.profiles import load_test_profile

PROFILE = load_test_profile()  # test-kota: the service standard is not published
PUBLISHED = load_test_profile("uji-raya")  # publishes its standard: due times may be promised


@pytest.fixture
def store(db):
    return ReplyTemplates(db)


def test_templates_are_created_edited_listed_and_audited(store, db):
    created = store.create("  Minta   KTP ", "Kirim foto KTP untuk tiket {nomor_tiket}.", "", actor="budi",
                           source="dashboard")
    assert created.title == "Minta KTP" and created.active and created.body("en") == created.body_id
    other = store.create("Sedang diproses", "Tiket {nomor_tiket} kami proses.", "Ticket {nomor_tiket} is in hand.",
                         actor="budi")
    store.update(created.id, "Minta KTP", "Kirim foto KTP Anda, tiket {nomor_tiket}.", "", active=False, actor="ani")
    assert [t.title for t in store.list()] == ["Minta KTP", "Sedang diproses"]
    assert [t.id for t in store.list(active_only=True)] == [other.id]
    assert store.get(created.id).body_id == "Kirim foto KTP Anda, tiket {nomor_tiket}."
    rows = [(e.actor, e.action, e.target, e.detail) for e in reversed(AuditLog(db).list())]
    assert rows == [("budi", "reply_template_created", "Minta KTP", None),
                    ("budi", "reply_template_created", "Sedang diproses", None),
                    ("ani", "reply_template_edited", "Minta KTP", "dinonaktifkan")]
    with pytest.raises(LookupError):
        store.update(999, "x", "y", "", True, actor="ani")


@pytest.mark.parametrize("title, body, message", [
    ("", "teks", "perlu judul"), ("Judul", "  ", "perlu teks bahasa Indonesia"),
    ("Judul", "Halo {nama_peserta}", "Isian tidak dikenal: {nama_peserta}"),
    ("Judul", "Tiket {nomor_tiket", "Kurung kurawal"), ("Judul", "{0} {}", "Isian tidak dikenal"),
    ("Judul", "x" * 3001, "maksimal 3000"),
])
def test_a_template_that_could_not_be_filled_in_is_refused(store, title, body, message):
    with pytest.raises(TemplateError) as refused:
        store.create(title, body, "", actor="budi")
    assert message in str(refused.value)
    assert store.list() == []


def test_filling_in_uses_the_tickets_number_language_and_the_branch_rule_for_due_times(db, store):
    template = store.create("Diproses", "Tiket {nomor_tiket} kami proses; kabar {batas_waktu}. {nama_cabang}, {jam_kantor}.",
                            "Ticket {nomor_tiket} is in hand; news {batas_waktu}.", actor="budi")
    ticket = TicketService(db, PROFILE).open("complaint", "tg:1", "telegram", "x")
    text = fill(template, ticket, PROFILE)
    assert text.startswith(f"Tiket {ticket.number} kami proses; kabar secepatnya pada jam kerja (")
    assert PROFILE.name["id"] in text and PROFILE.office_hours_text("id") in text
    english = TicketService(db, PROFILE).open("complaint", "tg:2", "telegram", "y", language="en")
    assert fill(template, english, PROFILE).startswith(f"Ticket {english.number} is in hand; news as soon as possible")
    published = TicketService(db, PUBLISHED).open("complaint", "tg:3", "telegram", "z")
    assert local_time_text(published.resolve_due_at, PUBLISHED, "id") in fill(template, published, PUBLISHED)


def test_check_body_cleans_line_ends():
    assert check_body("Baris satu\r\nbaris {nomor_tiket}\x00 ") == "Baris satu\nbaris {nomor_tiket}"
