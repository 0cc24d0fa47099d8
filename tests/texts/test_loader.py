"""The text catalogue's loader: keys, languages, placeholders, and reading a ticket back from a message."""
import pytest

import texts
from monitoring import notifications
from monitoring.tickets import STATUSES


def test_a_sentence_in_the_language_asked_for_with_its_placeholders_filled():
    assert texts.say("gateway.help", "en", example="ABC-000123").startswith("I am BPJS Ketenagakerjaan's")
    assert "/status ABC-000123 untuk satu tiket" in texts.say("gateway.help", "id", example="ABC-000123")
    assert texts.say("participant.button.no_thanks", "en-US") == "No, thanks"
    assert texts.say("participant.button.no_thanks", None) == "Tidak, terima kasih"
    assert texts.say("participant.button.no_thanks", "ms") == "Tidak, terima kasih"  # the one language rule


def test_values_are_inserted_as_they_are_and_unfilled_braces_stay():
    assert texts.say("staff_chat.failed", "id", error="{not a field}") == "Gagal: {not a field}"
    assert texts.say("participant.ticket_opened", "id").startswith("Tiket {number} sudah dibuat")


def test_key_parts_may_hold_dots_like_topic_codes():
    assert texts.say("menus.labels.jht.documents", "en") == "JHT claim documents"
    assert texts.node("menus.labels")["service.queue"]["id"] == "Antrean online"


@pytest.mark.parametrize("key", ["participant.no_such_key", "nosurface.greeting", "participant.greeting.id.more",
                                 "participant", "../participant.x", "menus.labels.jht.nothing"])
def test_an_unknown_key_is_an_error(key):
    with pytest.raises(KeyError):
        texts.say(key, "id")
    assert texts.lookup(key, "id") is None


def test_a_group_of_sentences_is_not_a_sentence():
    with pytest.raises(KeyError):
        texts.say("participant.button", "id")
    assert texts.lookup("tickets.status.open", "id") is None
    assert texts.lookup("tickets.status.open.staff", "en") == "New"


def test_the_participant_and_gateway_wrappers_read_the_catalogue():
    from actions.texts import button, main_menu_buttons, menus, say
    from bot.texts import t

    assert say("ticket_status_due", "en", due="Monday") == " Response due: Monday."
    assert button("talk_to_staff", "id", "/human_handoff") == {"title": "Bicara dengan petugas", "payload": "/human_handoff"}
    assert main_menu_buttons("en")[0] == {"title": "Claims", "payload": '/menu{"menu":"claim"}'}
    assert menus()["submenus"]["jmo"]["title"]["en"] == "the JMO app"
    assert t("button.cancel", "en") == "Cancel"


def test_an_opening_must_name_the_value_after_plain_text():
    with pytest.raises(ValueError):
        texts.value_in_opening("x", ["staff_chat.topic"], "number", r"\S+")  # no {number} in it


# ---- reading the ticket back from what was sent ---------------------------------------------------
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("status", STATUSES)
def test_a_status_notice_names_its_ticket_in_both_languages(lang, status):
    for note in (None, "Berkas sudah lengkap."):
        text = notifications.status_changed("MDK-000042", status, note, lang)
        assert notifications.ticket_in_participant_notice(text) == "MDK-000042"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_staff_reply_names_its_ticket_in_both_languages(lang):
    text = notifications.staff_reply("ABC-123456", "Silakan datang ke kantor.", lang)
    assert notifications.ticket_in_participant_notice(text) == "ABC-123456"


@pytest.mark.parametrize("text", [None, "", "Tiket MDK-000001 sudah dibuat", "💬 Balasan petugas untuk tiket MDK-1:",
                                  "ℹ️ Status tiket mdk-000001: selesai.", "Halo ✅ Tiket MDK-000001 telah selesai."])
def test_other_messages_name_no_ticket(text):
    assert notifications.ticket_in_participant_notice(text) is None


@pytest.mark.parametrize("lang", ["id", "en"])
def test_staff_posts_name_their_ticket_in_both_languages(lang):
    new = texts.say("staff_chat.new_ticket", lang, number="MDK-000007", kind="Pengaduan") + "\nTopik: x"
    added = texts.say("staff_chat.participant_added", lang, number="MDK-000008") + "\n\nisi"
    assert notifications.ticket_in_staff_notice(new) == "MDK-000007"
    assert notifications.ticket_in_staff_notice(added) == "MDK-000008"
    assert notifications.ticket_in_staff_notice(texts.say("staff_chat.reply_sent", lang, number="MDK-000009",
                                                          status="in_progress")) is None


def test_the_posts_staff_receive_name_their_ticket():
    notice = notifications.staff_notice("MDK-000010", "handoff", None, "teks", "Senin", "http://x/t")
    assert notice.startswith("🆕 Tiket MDK-000010 — Minta bicara dengan petugas\nBatas tanggapan: Senin\n")
    assert notifications.ticket_in_staff_notice(notice) == "MDK-000010"
    assert notifications.ticket_in_staff_notice(notifications.participant_added("MDK-000011", "x", "l")) == "MDK-000011"
