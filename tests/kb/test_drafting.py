"""A knowledge-base entry drafted from a ticket: the participant's question and the conversation's other
questions as variants, a title cut at a word, the topic and programs, and staff's reply without greeting,
sign-off, name or personal details as the answer, ending with its next step."""
import pytest

from kb.drafting import clean_answer, clean_question, draft_from_ticket, programs_in, question_variants, title_from
from kb.entry import validate_entry
from kb.validation import shape_problems

QUESTION = ("halo min, saya mau tanya bagaimana cara mencairkan jht kalau saya sudah resign tapi perusahaan belum "
            "melaporkan saya nonaktif? NIK saya 1271012345678901 terima kasih")
REPLY = """Selamat siang Bapak Budi, terima kasih sudah menghubungi kami.

Bila perusahaan belum melaporkan Anda nonaktif, klaim JHT tetap bisa diajukan dengan surat keterangan berhenti \
bekerja dari Disnaker. Untuk tiket MDK-000123, data Bapak Budi (KPJ 12345678901) sudah kami cek.

Silakan datang ke kantor cabang dengan membawa KTP, kartu peserta dan surat dari Disnaker.

Salam,
Ani"""


def test_the_issue_example_becomes_a_usable_draft():
    messages = [QUESTION, "masih gagal", "perusahaan saya sudah tutup, bisa klaim jht tanpa paklaring?",
                "saya mau bicara dengan petugas"]
    draft = draft_from_ticket("MDK-000123", messages, REPLY, "jht.eligibility")
    assert draft["id"] == "draf-mdk-000123" and draft["topic"] == "jht.eligibility" and draft["programs"] == ["JHT"]
    assert draft["title"] == {"id": "Bagaimana cara mencairkan JHT", "en": ""}  # a clause, not a word cut in half
    assert draft["questions"]["id"] == [
        "bagaimana cara mencairkan jht kalau saya sudah resign tapi perusahaan belum melaporkan saya nonaktif?",
        "perusahaan saya sudah tutup, bisa klaim jht tanpa paklaring?",
        "bagaimana cara mencairkan jht kalau sudah resign tapi perusahaan belum melaporkan nonaktif",
    ]
    answer = draft["answer"]["id"]
    assert answer == ("Bila perusahaan belum melaporkan Anda nonaktif, klaim JHT tetap bisa diajukan dengan surat "
                      "keterangan berhenti bekerja dari Disnaker.\n\n"
                      "Langkah berikutnya: silakan datang ke kantor cabang dengan membawa KTP, kartu peserta dan "
                      "surat dari Disnaker.")
    assert draft["citations"] == [] and draft["questions"]["en"] == [] and draft["answer"]["en"] == ""
    # What the admin adds (English, a source) makes it a valid entry whose answer has the right shape.
    entry = validate_entry({**draft, "title": {"id": draft["title"]["id"], "en": "How to claim JHT"},
                            "questions": {**draft["questions"], "en": ["how do I claim JHT after resigning"]},
                            "answer": {"id": answer, "en": "You can claim.\n\nNext step: visit the branch."},
                            "citations": [{"faq": [247]}]})
    assert shape_problems(entry) == []


@pytest.mark.parametrize("text, expected", [
    ("Selamat pagi kak, kapan JHT bisa cair? makasih ya min", "kapan JHT bisa cair?"),
    ("assalamualaikum, permisi mau nanya syarat klaim jkm apa saja. mohon bantuannya", "syarat klaim jkm apa saja"),
    ("KPJ saya 12345678901 kok tidak terdaftar di JMO", "kok tidak terdaftar di JMO"),
    ("nomor hp saya 081234567890 ganti, bagaimana ubah di jmo?", "ganti, bagaimana ubah di jmo?"),
    ("status tiket MDK-000042 gimana", "status gimana"),
])
def test_a_question_loses_greetings_pleas_and_personal_numbers(text, expected):
    assert clean_question(text) == expected


def test_variants_come_from_the_conversation_then_from_the_question():
    assert question_variants(["cek saldo jht di mana ya?", "halo", "ok", "cek saldo jht di mana ya?"]) == [
        "cek saldo jht di mana ya?", "cek saldo jht di mana", "cek saldo jht"]
    only_requests = question_variants(["saya mau bicara dengan petugas"])
    assert only_requests[0] == "saya mau bicara dengan petugas"  # nothing better: the admin rewrites it
    assert question_variants([]) == []
    # A question is preferred over a statement as the first variant.
    assert question_variants(["kartu saya hilang kemarin sore", "bagaimana cara cetak ulang kartu kpj?"])[0] == \
        "bagaimana cara cetak ulang kartu kpj?"


def test_titles_are_cut_at_a_word_never_inside_one():
    long = "aplikasi jmo saya terus menampilkan pesan gagal verifikasi wajah setiap kali mencoba login pagi ini"
    title = title_from(long)
    assert len(title) <= 80 and long.startswith(title.lower()) and long[len(title)] == " "
    assert title_from("kapan jht cair?") == "Kapan JHT cair"


@pytest.mark.parametrize("reply, expected", [
    ("Halo Kak Dina! Saldo JHT bisa dicek di aplikasi JMO menu Saldo. Terima kasih.",
     "Saldo JHT bisa dicek di aplikasi JMO menu Saldo."),
    ("Baik, Ibu Sari. Ibu Sari dapat mengajukan klaim JKM lewat kantor cabang. Silakan bawa akta kematian.",
     "Anda dapat mengajukan klaim JKM lewat kantor cabang.\n\nLangkah berikutnya: silakan bawa akta kematian."),
    ("Mohon maaf atas ketidaknyamanannya. Gangguan OTP sudah pulih.\n\nLangkah berikutnya: minta OTP baru di JMO.",
     "Gangguan OTP sudah pulih.\n\nLangkah berikutnya: minta OTP baru di JMO."),
    ("Good morning Mr. Smith, thank you for reaching out. JHT can be claimed after one month. Please bring your ID.",
     "JHT can be claimed after one month.\n\nNext step: please bring your ID."),
])
def test_an_answer_loses_greetings_names_and_sign_offs_and_ends_with_its_next_step(reply, expected):
    lang = "en" if reply.startswith("Good") else "id"
    assert clean_answer(reply, lang) == expected


def test_programs_from_the_question_or_the_topic():
    assert programs_in(["klaim jht dan jkm"], None) == ["JHT", "JKM"]
    assert programs_in(["lupa password"], "jmo.forgot_password") == []
    assert programs_in(["manfaat"], "jkp.benefits") == ["JKP"]


def test_an_english_ticket_fills_the_english_fields_and_a_dialogue_topic_is_dropped():
    draft = draft_from_ticket("MDK-7", ["how do I reset my JMO password?"], "Open JMO and tap Forgot password.",
                              "greet", lang="en")
    assert draft["questions"] == {"en": ["how do I reset my JMO password?", "reset jmo password"], "id": []}
    assert draft["answer"]["en"] == "Open JMO and tap Forgot password." and draft["answer"]["id"] == ""
    assert draft["topic"] == "" and draft["title"]["en"] == "How do I reset my JMO password"
