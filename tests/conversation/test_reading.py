"""Reading messages in the light of the conversation: typed feedback, follow-up cues, complaint stories."""
import pytest

from conversation.reading import (HELPFUL, STILL_FAILING, UNHELPFUL, after_aside, after_courtesy, asks_requirement, asks_to_complain,
                                  asks_what_now, asks_when_answered, complaining, complaint_story, follow_up_cues, is_personal, is_question,
                                  named_topic, pick_ordinal, plain, problem_phrased, read_feedback, settling_phrased, story_programs,
                                  topic_phrased)


@pytest.mark.parametrize("text", [
    "sudah coba, tetap sama", "masih gagal", "ga ngaruh", "tetep error kak", "sudah dicoba", "percuma",
    "udh sy coba smua", "belum bisa juga", "lapak asik jg udh sy coba, sama aja ga bisa", "it didn't work",
    "still not working", "I did what you said, nothing changed", "already tried that", "tetap ditolak jg",
    # Tried already, the menu is not there, it loops: each says the answer did not settle it.
    "reinstalled already, same thing", "I've done that already", "same result", "i did all that, nothing",
    "yes but it still crashes", "nothing happens", "menu ubah nomornya ga ada di hp sy, udh sy cari2",
    "ga nemu menunya", "udah sesuai langkah tp gagal", "udah kulakukan tp hasilnya nihil", "muter2 aja",
    "udh dr kemaren sy coba", "masih begitu",
    # The same number or screen again, re-sent and never arrived.
    "udh logout login lagi tetep nol", "I tried on wifi and on mobile data, nothing changes, same message",
    "sudah sy ajukan ulang, tp email konfirmasinya ga pernah datang", "tp smsnya belum datang jg",
    # The same state again in other words: still full, still rejected, no way out.
    "tiap hari sy coba, tetap penuh", "made the files smaller, still rejected", "masih nyangkut di verifikasi",
    "gimana lah ini, ga ada solusinya", "hasilnya sama aja. gk ada yg berhasil, sy capek kali",
])
def test_still_failing_in_words(text):
    assert read_feedback(text) == STILL_FAILING


@pytest.mark.parametrize("text", ["tidak membantu", "bukan itu maksud saya", "kurang membantu", "not helpful",
                                  "jawabannya ga nyambung", "tidak sesuai", "semuanya kurang sesuai kak",
                                  # A bare "so what now?" right after an answer.
                                  "gimana dong", "trus gmn skrg kak?", "so what now?", "what do I do now?"])
def test_unhelpful_in_words(text):
    assert read_feedback(text) == UNHELPFUL


@pytest.mark.parametrize("text", ["oke berhasil makasih", "udah bisa, thanks", "sip udah bisa masuk lg",
                                  "membantu sekali", "yes it worked", "sudah normal kak"])
def test_helpful_in_words(text):
    assert read_feedback(text) == HELPFUL


@pytest.mark.parametrize("text", ["belum berhasil", "tidak berhasil", "not helpful at all"])
def test_negated_success_is_not_helpful(text):
    assert read_feedback(text) in (STILL_FAILING, UNHELPFUL)


@pytest.mark.parametrize("text", ["cara cek saldo jht", "kalau jkp?", "dokumennya apa aja", "", "🙏",
                                  "menu ubah data ada di mana ya", "kalau sudah cari kerja lagi masih dapat jkp?",
                                  "where is the menu to change phone number?", "terus gimana caranya?",
                                  "gimana cara klaim jht",
                                  # Papers or data said not to match are a problem told, not a verdict on the answer.
                                  "trus ada notif pengajuan dikembalikan, katanya berkas tidak sesuai",
                                  "pas daftar muncul NIK tidak sesuai data kependudukan"])
def test_other_messages_are_not_feedback(text):
    assert read_feedback(text) is None


@pytest.mark.parametrize("text,aspect,programs", [
    ("dokumennya apa aja?", "documents", ()),
    ("syaratnya?", "documents", ()),
    ("what documents?", "documents", ()),
    ("berapa lama?", "duration", ()),
    ("how long does it take?", "duration", ()),
    ("kalau lewat hp bisa?", "online", ()),
    ("siapa aja yg berhak?", "eligibility", ()),
    ("dapat berapa?", "amount", ()),
    ("and for JKP?", None, ("JKP",)),
    ("kalau utk jkm?", None, ("JKM",)),
    ("what about pension?", None, ("JP",)),
    ("terus nunggunya berapa hari?", "duration", ()),
    ("biasanya di sana lama ga?", "duration", ()),
    ("how long do I usually have to wait?", "duration", ()),
    ("trus berkas2nya apa aja yg dibawa?", "documents", ()),  # a word doubled with "2" and a suffix
])
def test_follow_up_cues(text, aspect, programs):
    cues = follow_up_cues(text)
    assert cues.leans_on_context, text
    assert cues.aspect == aspect and cues.programs == programs


@pytest.mark.parametrize("text", ["kenapa?", "why?", "maksudnya gimana?", "kok bisa gitu?"])
def test_why_leans_on_the_last_answer(text):
    cues = follow_up_cues(text)
    assert cues.leans_on_context and cues.elaborate


def test_how_come_in_a_longer_message_still_asks_why():
    assert follow_up_cues("padahal ktp sy baru, kok bisa gitu?").elaborate
    assert follow_up_cues("I did everything it said, how come it still fails?").elaborate
    assert not follow_up_cues("kok lama ya cairnya").elaborate


@pytest.mark.parametrize("text", ["otp jmo ga masuk", "sy resign 3 bulan lalu", "kalau bpjs kesehatan syaratnya apa?",
                                  "cara daftar akun jmo", "siap kak"])
def test_a_message_with_its_own_subject_does_not_lean_on_context(text):
    cues = follow_up_cues(text)
    assert not (cues.leans_on_context and cues.any), cues


def test_entity_programs_count_as_named():
    assert follow_up_cues("kalau yang itu?", entity_programs=["jkk"]).programs == ("JKK",)


def test_ordinal_picks():
    assert pick_ordinal("yang kedua", 3) == 1
    assert pick_ordinal("no 1", 3) == 0
    assert pick_ordinal("the third one", 3) == 2
    assert pick_ordinal("yang ketiga", 2) is None
    assert pick_ordinal("yang keempat", 4) == 3  # a topic named outright can be a fourth option
    assert pick_ordinal("yang keempat", 3) is None
    assert pick_ordinal("saya resign 2 bulan lalu", 3) is None


@pytest.mark.parametrize("text,topic", [
    ("mau pengkinian data di jmo kok gagal terus", "membership.data_update"),
    ("how do I update my personal data? pengkinian data won't finish", "membership.data_update"),
    ("cara ubah data diri peserta gimana", "membership.data_update"),
    ("ubah data rekening buat klaim", None),
    ("katanya harus vermuk dulu sebelum klaim", "jmo.face_verification"),
    ("lupa password, mau klaim jht gimana", "jmo.forgot_password"),
])
def test_a_topic_named_outright(text, topic):
    assert named_topic(text) == topic


def test_questions_personal_cases_and_tone():
    assert is_question("jam buka kantor cabang jam berapa?")
    assert is_question("bagaimana cara klaim jht")
    assert not is_question("klaim sy atas nama budi sudah 3 minggu blm cair")
    assert is_personal("klaim sy atas nama budi sudah 3 minggu blm cair")
    assert is_personal("kpj 12345678901")
    assert not is_personal("jam buka kantor cabang jam berapa?")
    assert complaining("kecewa banget, sudah 2 bulan belum cair!!")
    assert not complaining("bagaimana cara cek saldo jht")
    # One's own figures or money said to be wrong or gone, in English.
    assert complaining("my JHT balance is wrong, it went down by 4 million")
    assert complaining("the money never arrived in my account")
    assert not complaining("how do I check my JHT balance?")


def test_complaint_story_is_what_remains_after_the_request():
    assert complaint_story("saya mau komplain") is None
    assert complaint_story("mau lapor") is None
    story = "saya mau komplain, petugas loket 3 kemarin membentak saya waktu bertanya soal berkas"
    assert complaint_story(story) == story
    assert asks_to_complain("I want to file a complaint")
    assert not asks_to_complain("otp jmo tidak masuk")


@pytest.mark.parametrize("text,rest", [
    ("makasih. bikinin pantun dong", "bikinin pantun dong"),
    ("thanks. who won the 2022 World Cup?", "who won the 2022 World Cup?"),
    ("ok, and for JKP?", "and for JKP?"),
    ("terima kasih banyak kak. tp masih gagal", "tp masih gagal"),
    # Nothing after the courtesy, no courtesy first, or a thanks that closes the message: nothing to strip.
    ("makasih, kak!", None), ("sip.", None), ("oke sy coba", None),
    ("oh udh bisa skrg stlh diupdate, makasih kak", None), ("Terima kasih BPJS TK, pelayanan ramah", None),
])
def test_a_courtesy_that_opens_a_message_is_set_aside(text, rest):
    assert after_courtesy(text) == rest


@pytest.mark.parametrize("text,rest", [
    ("ga jadi deh, nanya aja: iuran bpu brp sebulan?", "iuran bpu brp sebulan?"),
    ("actually quick question first: how much tax is taken from JHT?", "how much tax is taken from JHT?"),
    ("btw, kantor buka jam brp?", "kantor buka jam brp?"),
    ("btw kantor buka jam brp?", None), ("klaim sy belum cair, sudah 3 minggu", None),
])
def test_the_question_after_an_aside_opening(text, rest):
    assert after_aside(text) == rest


@pytest.mark.parametrize("text", ["petugas dong, jgn robot", "cs aja", "orang asli dong bukan bot", "operator!",
                                  "I want a real person", "Can I talk to a real person?",
                                  "bisa minta ditelpon petugas gk?", "Bisa dibantu petugas? Saya bingung.",
                                  "ada cs yg bisa bantu sy gk", "woy mana orangnya, dr td ngomong sm mesin",
                                  "I'd like to escalate this to someone at the branch",
                                  "BOT TERUS!! SAYA MAU ORANG BENERAN", "CS nya mana??? dari tadi muter2 aja",
                                  "Is there someone from the branch office I can chat with?",
                                  "bah, kau bot ya? aku mau cakap sama orang kantor lah",
                                  "sy mau konsultasi sama orang hidup, bukan robot"])
def test_a_person_named_alone_asks_for_staff(text):
    from conversation.reading import asks_for_person

    assert asks_for_person(text)


@pytest.mark.parametrize("text", ["halo admin", "petugas kantor cabang jutek", "orang tua sy meninggal", "min",
                                  "mau orang tua saya klaim jht", "petugas di kantor mana yg urus jkk?",
                                  "sy udh ketemu orang kantor tapi tetap ditolak", "mau tanya petugasnya kapan buka"])
def test_a_person_in_a_sentence_of_its_own_is_not_a_request(text):
    from conversation.reading import asks_for_person

    assert not asks_for_person(text)


def test_a_bare_request_to_complain_is_told_from_one_that_names_its_matter():
    from conversation.reading import only_asks_to_complain

    assert all(only_asks_to_complain(t) for t in ["lapor kak", "mau ngadu min", "komplain!"])
    assert not any(only_asks_to_complain(t) for t in ["lapor kecelakaan kerja", "saya mau komplain soal klaim",
                                                      "kapan jht cair"])


def test_a_question_that_says_worked_is_not_a_thanks():
    assert read_feedback("what if the company I worked for has closed down?") is None
    assert read_feedback("it worked, thanks") == HELPFUL


def test_doing_it_again_or_through_someone_else_is_the_same_matter_but_a_birthday_is_not():
    assert follow_up_cues("bisa langsung ajukan ulang?").same_matter
    assert follow_up_cues("bisa diwakilin anaknya gk?").same_matter
    assert not follow_up_cues("bisa tolong buatin pantun buat ulang tahun istri sy").same_matter


def test_time_that_has_passed_is_not_a_question_about_how_long():
    assert follow_up_cues("klaim jht sy udh diajukan 10 hari, cara ngecek statusnya gmn?").aspect == "status"
    assert follow_up_cues("berapa hari?").aspect == "duration"
    # ... also told in words rather than digits.
    assert follow_up_cues("ayah sy meninggal mendadak minggu lalu").aspect is None
    assert follow_up_cues("sy resign bulan lalu, kapan bisa cair?").aspect is None
    assert follow_up_cues("I applied last week, how long does it take?").aspect == "duration"


@pytest.mark.parametrize("text,programs", [
    ("bapak sy meninggal bln lalu krn sakit, msh peserta aktif", ("JKM",)),
    ("kalau meninggalnya krn sakit di rumah, bukan krn kerja?", ("JKM",)),
    ("bapak meninggal bukan krn kerja, ahli warisnya dapet apa", ("JKM",)),
    ("my father passed away from illness, not at work", ("JKM",)),
    ("My colleague passed away last week, it wasn't work related. How much will his family get?", ("JKM",)),
    # Hurt at work: JKK.
    ("suami kecelakaan di pabrik lalu meninggal di rumah sakit", ("JKK",)),
    ("My husband hurt his hand at the factory last week", ("JKK",)),
    ("One of our warehouse staff got injured on shift today", ("JKK",)),
    # A road crash on the way to work; a heart attack is an illness.
    ("I crashed my car on my way to work", ("JKK",)),
    ("sy ditabrak angkot pas pulang kerja", ("JKK",)),
    ("my wife died of a heart attack at home", ("JKM",)),
    ("the app crashed at work", ()),
    # The story does not say, or contradicts itself: no program is told.
    ("meninggal karena sakit akibat kerja", ()),
    ("ayah sy meninggal minggu lalu", ()),
    ("sy lagi sakit, bisa klaim jht?", ()),
    ("jatuh dari motor pas liburan", ()),
    ("kecelakaan motor, bukan pas kerja", ()),
    ("he got hurt at home, it wasn't at work", ()),
])
def test_a_story_tells_its_program_jkm_for_a_death_work_did_not_cause_jkk_for_an_injury_at_work(text, programs):
    assert story_programs(text) == programs
    assert set(programs) <= set(follow_up_cues(text).programs)


@pytest.mark.parametrize("text,aspect", [("Does it apply if I resigned myself?", "eligibility"),
                                         ("does JKP apply to contract workers?", "eligibility"),
                                         ("how do I apply?", "apply")])
def test_does_it_apply_asks_who_is_eligible_not_how_to_apply(text, aspect):
    assert follow_up_cues(text).aspect == aspect


@pytest.mark.parametrize("text,aspect,phrased", [
    ("bapak meninggal, ahli warisnya dapet apa aja?", "amount", True),
    ("kalau resign dapetnya apa aja?", "amount", True),
    ("What does the job loss benefit give me?", "amount", True),
    ("what will my family receive?", "amount", True),
    # Not what one receives: whether one gets it at all, or what one needs in order to get it.
    ("apakah saya dapat jht apa tidak", None, False),
    ("What do I need to get my JHT?", None, False),
    ("berapa santunannya?", "amount", False),  # a word, not a phrase
    ("dapatnya berapa sebulan dan berapa lama?", "amount", True),
    ("klaim bisa dapat berapa lama prosesnya", "duration", False),
    # "syarat dapet jht" asks who gets it; "syarat klaim jht" asks for the papers.
    ("syarat dapet jht apa aja sih min?", "eligibility", True),
    ("what are the requirements to get JKP?", "eligibility", True),
    ("syarat klaim jht apa aja", "documents", False),
    ("syarat untuk dapat mengajukan klaim jht", "documents", False),
    # The papers, whatever else the sentence says ("langsung bisa cair" included).
    ("Which papers should I bring to withdraw my JHT?", "documents", True),
    ("dokumen apa saja yg harus dibawa biar langsung bisa cair", "documents", True),
    ("dokumennya udah lengkap apa belum ya", "documents", False),
    # Whether one may claim yet, not how long a claim takes.
    ("nanti bisa lgsg diklaim atau nunggu dulu?", "eligibility", True),
    ("can I withdraw my JHT right away after resigning?", "eligibility", True),
    ("berapa lama nunggunya?", "duration", False),
])
def test_an_aspect_asked_in_a_phrase_is_read_before_its_words(text, aspect, phrased):
    cues = follow_up_cues(text)
    assert (cues.aspect, cues.aspect_phrased) == (aspect, phrased)


@pytest.mark.parametrize("text,topic", [
    ("trus di tracking muncul pembayaran gagal", "claim.bank_account"),
    ("kata bank transfer ditolak krn nama di rekening beda satu huruf", "claim.bank_account"),
    ("what if my bank account has been closed?", "claim.bank_account"),
    ("My JMO account says it's blocked after I typed the wrong password 3 times", None),
    # Part of the JHT while still working, not a fee or a number of days.
    ("sy mau nanya yg lain, jht bisa diambil 10% ga kalau sy masih kerja?", "jht.partial"),
    ("pencairan sebagian jht boleh buat renovasi?", "jht.partial"),
    ("ada org nawarin jasa cair jht fee 10 persen, aman?", None),
    ("klaim 10 hari blm cair", "claim.status"),  # not part of the JHT: the payout not come yet
    # The account's e-mail or phone number changed or no longer in use, not credentials never changed.
    ("kalau nomor sudah tidak aktif terus login gagal bagaimana caranya", "jmo.change_contact"),
    ("email kantor lama udh dihapus, bisa diganti ke gmail pribadi?", "jmo.change_contact"),
    ("katanya email sandi salah padahal tidak pernah ganti email", "jmo.login_failed"),
    ("klaim jht sy masih diproses, blm masuk ke rekening", "claim.status"),
    ("the money has not arrived in my account", "claim.status"),
    ("Perusahaan rutin membayar iuran akan tetapi status saya kok tidak aktif", "membership.status"),
    ("status kepesertaan nya kok tiba2 gak aktif", "membership.status"),
    # Among the JMO problems, the step that fails.
    ("mau daftar pas masukin otp gagal terus padahal udah bener otpnya", "jmo.otp"),
    ("biometrik gagall trs 3 kali trs keblokir", "jmo.face_verification"),
    ("di tahap ke 6 ada tulisan data kepesertaan tidak di temukan", "jmo.data_mismatch"),
    ("kartu sy kan ada dua, kok yg satu gak muncul di jmo", "jmo.data_mismatch"),
    ("udh tambah kpj baru tp kartu digital masih menampilkan yg lama", "jmo.data_mismatch"),
    ("kartu digital gak muncul pas diklik", None),
    ("kartu digital sy tiba2 menghilang dr jmo", "jmo.data_mismatch"),
    ("otp sudah masuk tapi login gagal", None),
    ("login gagal terus", None),
    # The log-in itself fails, or an app fault shows at log-in.
    ("abis update kok gk bisa login ya, apk error kah", "jmo.login_failed"),
    ("akun sy ga bisa dibuka sejak kemarin", "jmo.login_failed"),
    ("I can't log in since the update", "jmo.login_failed"),
    ("tiap mau login langsung keluar sendiri aplikasinya", "jmo.app_error"),
    ("gak bisa login, katanya pastikan koneksi internet padahal wifi lancar", "jmo.app_error"),
    ("mau login disuruh update terus", "jmo.app_error"),
    ("gak bisa login, email dan sandi udah bener, sy udah update ulang juga", "jmo.login_failed"),
    ("gak bisa login, muncul pastikan koneksi internet, trus akun keblokir", None),
    ("otp gak masuk jadi gagal login", "jmo.otp"),
    ("abis update gk bisa login, tiap mau masuk malah keluar sendiri", "jmo.app_error"),
    ("mau login malah dilempar ke playstore terus", "jmo.app_error"),
    ("gak bisa login, koneksi katanya tidak terhubung padahal sinyal full", "jmo.app_error"),
    ("email sm sandi udh bener tp katanya data tidak ditemukan, gk bisa login", "jmo.login_failed"),
    ("mau reset sandi pun gak bisa, linknya gak pernah dateng", "jmo.forgot_password"),
    ("lupa sandi, pas masukin email katanya email tidak ditemukan", "jmo.forgot_password"),
    ("udh reset password tetep gk bisa login", "jmo.login_failed"),
    ("berkas klaim sy dibalikin sm petugas krn paklaring kurang", "claim.rejected"),
    ("transfer ditolak bank krn rekening tutup", "claim.bank_account"),
    ("abis update email sy katanya tidak terdaftar, pdhl gak pernah ganti", "jmo.login_failed"),
    ("pas bikin akun tidak terdaftar terus", None),
    # The app turns the credentials down, whatever else the message blames.
    ("abis update makin banyak bug, udh 3x masukin email sm pasword tetep aja dibilang salah", "jmo.login_failed"),
    ("jmo lagi error ya? dari pagi salah sandi terus", "jmo.login_failed"),
    ("udh salah 3x, reset password pun tetep disuruh ke kantor cabang", "jmo.login_failed"),
    ("pas reset sandi, sandi baru sy ditolak, katanya formatnya gk sesuai", "jmo.forgot_password"),
    ("email password benar, udh ganti password baru tapi tetap gak bisa login", "jmo.login_failed"),
    ("sering update, login tidak sesuai pdhal akun gak pernah diganti", "jmo.login_failed"),
    # "saldo tidak tersedia" while claiming is the claim; shown alone, or never having claimed, it is the balance.
    ("mau klaim jht kok saldo tidak tersedia, padahal di cek saldo ada", "jht.online_claim"),
    ("saldo jht tidak tersedia, tapi di web ada", None),
    ("saldo tidak tersedia padahal belum pernah klaim", None),
    ("baru bikin akun, tapi pas mau login kata sandi dibilang salah trs", "jmo.login_failed"),
    ("sering eror bahkan akun bener pun ditolak mulu", "jmo.login_failed"),
    # Joining the programs, not creating the JMO account.
    ("sy jualan gorengan, gmn cara daftarin diri sendiri jd peserta bpjstk?", "membership.register"),
    ("How can a street vendor sign up for BPJS TK on their own?", "membership.register"),
    ("sy udh ikut bpjstk 10 thn, skrg mau daftar jmo", None),
    # Creating the account fails, even when the app blames the connection: the registration.
    ("mau bikin akun, di langkah ke 5 klik setuju muncul pastikan koneksi internet terhubung", "jmo.register"),
    ("pembuatan akun jmo gagal di akhir padahal wifi sama data seluler nyala", "jmo.register"),
    ("bikin akun gagal 3x terus keblokir", None),
    ("notifnya email dan sandi tidak sesuai padahal tersimpan di hp", "jmo.login_failed"),
    ("lupa sandi, pas diganti katanya sandi salah", None),
    ("lupa sandi jadi gk bisa login", None),
    # The app keeps one out even after reinstalling it, and no credentials are blamed: the app.
    ("tiba2 gk bisa masuk ke aplikasi jmo, udh uninstal download lagi tetep gk bisa", "jmo.app_error"),
    ("jmo sy gak bisa masuk lg, udh hapus dan download ulang", "jmo.app_error"),
    ("kenapa ngga bisa buka jmo saya ya coba jelaskan", "jmo.app_error"),
    ("gak bisa buka akun jmo", "jmo.login_failed"),
    ("gak bisa masuk ke jmo, sandi udh bener, udh hapus download ulang", "jmo.login_failed"),
    # Credentials turned down, or said to be right while the app "won't open": the log-in, whatever the update did.
    ("harus update terus, udh diupdate gak bisa dibuka karna salah email dan sandi", "jmo.login_failed"),
    ("setelah update kok gk bisa dibuka ya padahal password benar", "jmo.login_failed"),
    # The payout has not come yet: the claim's progress, unless a code, an e-mail or a contribution is what has not.
    ("wawancaranya udh seminggu lalu, dananya belom cair juga", "claim.status"),
    ("ngajuin tgl 3, sampe skrg blm kunjung ditransfer", "claim.status"),
    ("kode otp nya blm masuk2 dari tadi", "jmo.otp"),
    ("iuran 2 bulan terakhir blm masuk ke saldo", None),
    ("boleh gk dana jht sy ditransfer ke rekening suami?", None),  # asks whether it may be, nothing is missing
    ("udah 10 hari kok gak masuk ke rekening sy", "claim.status"),
    # The paper card lost or damaged: the card, not the membership's status.
    ("kartu jamsostek bapak sy udh rusak, masih bisa dipakai?", "membership.kpj_card"),
    # Contributions paid but not recorded: the payment, even when the status went inactive because of it.
    ("di jmo iuran bulan agustus sampe oktober gk tercatat, status sy jadi gk aktif", "membership.contribution_payment"),
    ("iuran rutin dibayar tapi status sy kok tidak aktif", "membership.status"),
    # The reset's own code or link is the reset flow, not the OTP of logging in.
    ("kode resetnya dikirim kmn ya? ke sms atau email?", "jmo.forgot_password"),
    ("the reset link never arrives", "jmo.forgot_password"),
    # The face photo or the camera failing is the face check; a document's photo to upload is not.
    ("pas pengkinian buka kameranya error terus", "jmo.face_verification"),
    ("mau cairin jht tp pas foto wajah gagal mulu", "jmo.face_verification"),
    ("upload foto ktp gagal terus", None),
    # Data not found is the app's data; an account not found at log-in is not.
    ("pas buat akun katanya data kepesertaan tidak ditemukan", "jmo.data_mismatch"),
    ("masukin nik pun akun tidak di temukan", None),
    # The account's e-mail and phone no longer in use, told at length; an OTP that fails is the OTP, even when the
    # e-mail was changed to try again.
    ("email sama no tlpn yg dulu didaftarkan sudah tidak aktif, jadi gak bisa login", "jmo.change_contact"),
    ("tiap masukin kode otp verifikasi gagal terus, sampai ganti email baru juga tetap gagal", "jmo.otp"),
    ("nomor hp lama sy udh mati, gmn ganti nomor di jmo biar bisa terima kode otp?", "jmo.change_contact"),
    # Signing up as a wage-earning (PU) or self-employed (BPU) participant is joining the programs.
    ("layanan pendaftaran pu tidak bisa diakses", "membership.register"),
    ("mau daftar pekerja bpu tp halaman webnya tidak tersedia", "membership.register"),
    # Signing up itself erroring is the registration; not a code, the programs' own sign-up or maintenance.
    ("mau registrasi error mulu dari kemarin", "jmo.register"),
    ("pendaftarannya ribet, isi tanggal lahir malah balik ke awal", "jmo.register"),
    ("daftar pu lewat website error terus", "membership.register"),  # joining, not the app's account
    ("pas daftar otp error", None),
    ("lagi perbaikan ya? daftar error", None),
])
def test_a_phrase_decides_between_sibling_topics(text, topic):
    assert topic_phrased(text) == topic


@pytest.mark.parametrize("text,topic", [
    ("tulisannya email atau sandi salah terus padahal ga pernah ganti", "jmo.login_failed"),
    ("saldo jht sy di aplikasi cuma strip, ga muncul", "jht.balance"),
    ("saldo jht saya di jmo kok tampil 0", "jht.balance"),
    # A card, a payment, the status or a claim is what these are about.
    ("kartu sy ga muncul jadi saldo jht ga keliatan", None),
    ("iuran bulan ini ga masuk ke saldo", None),
    ("kalau status nonaktif saldo jht hilang gak?", None),
    ("lupa sandi, katanya sandi salah", None),
    ("buat akun jmo gagal terus, katanya cek koneksi", "jmo.register"),
    ("di jmo keterangannya saldo jht tidak tersedia", "jht.balance"),
    ("my JHT balance is wrong, it went down from 18 to 14 million", "jht.balance"),
    ("my balance dropped after I withdrew 10%", None),  # a withdrawal explains it: not the balance's own problem
    # The paper card lost or damaged; a card gone from the app is the app's data.
    ("kartu bpjs tk sy sobek kena air, bisa diganti?", "membership.kpj_card"),
    ("kpj sy ilang pas pindahan", "membership.kpj_card"),
    ("kartu di jmo hilang satu", None),
    # Signing up for the app with nothing failing told; a code or data not found is that step's own problem.
    ("kalau mau daftar jmo hrs punya kpj dulu ya?", "jmo.register"),
    ("bikin akun jmo syaratnya apa", "jmo.register"),
    ("daftar jmo otp nya gak masuk", None),
    ("pas daftar jmo nik tidak ditemukan", None),
    # How much has built up, not what a claim pays, its tax or a contribution rate.
    ("kak saldo jht sy skrg ada berapa ya", "jht.balance"),
    ("berapa saldo bpjs tk saya, cara ceknya gimana", "jht.balance"),
    ("kalau klaim jht sekarang sudah berapa yang cair?", None),
    ("saldo jht 50 juta, potongan pajaknya berapa", None),
    # English forms of matters that the Indonesian phrases or the classifier settle.
    ("where can I check how much money is in my JHT?", "jht.balance"),
    ("how much can I take out of my JHT?", None),
    ("my digital card still shows my previous employer", "jmo.data_mismatch"),
    ("can I reserve a queue slot online before I come?", "service.queue"),
    ("what street is the Medan Kota branch on?", "service.location"),
    ("I'm 3 months behind on my contributions as an independent worker", "membership.contribution_payment"),
    ("the payment of my claim is late", None),
    # The agency's own phone or chat number, not the participant's number to change.
    ("no telp bpjs tk brp ya", "service.complaint_channels"),
    ("nomor wa cs nya ada?", "service.complaint_channels"),
    ("nomor hp sy di bpjs mau diganti", None),
    ("di kartu sy tempat kerjanya salah, mohon dibenerin", "jmo.data_mismatch"),
    ("kok di jmo muncul nama perusahaan lain, bukan pt sy", "jmo.data_mismatch"),
    # Signing oneself up for the programs, unless a data, NIK or card problem is told.
    ("I'm a freelance designer. How do I sign up for BPJS TK as an independent worker?", "membership.register"),
    ("buruh harian lepas, gk ada yg daftarin. bisa ikut program nya gk", "membership.register"),
    ("setiap mau daftar selalu jawabannya data kepesertaan tidak ditemukan", None),
    ("how do I register as an independent worker?", "membership.register"),
    ("bisa daftar sebagai peserta mandiri ga kak?", "membership.register"),
    ("daftar jmo sebagai peserta mandiri gmn", "jmo.register"),  # the app's account, not joining
    # The app itself: updates forced or too frequent, or the app not opening, with no credentials or account told.
    ("dikit dikit update y allah, ini apk apaan", "jmo.app_error"),
    ("tiap kali login masa selalu minta di perbaharui sih", "jmo.app_error"),
    ("tiap mau login selalu di minta instal ulang, knp?", "jmo.app_error"),
    ("selalu minta updet, abis di updet email dan pass selalu tdk terbaca", None),  # the credentials, not the app
    ("kaga bisa di buka nih jmo", "jmo.app_error"),
    ("tolong di bantu sya gagal buka aplikasi nya", "jmo.app_error"),
    ("kemarin dtg jam 10 udh gk kebagian nomor antrian, hrs dtg jam brp?", "service.queue"),
    ("akun jmo sy gak bisa dibuka", None),
    # Can't log in after updating, with nothing else told: the log-in; a crash or a forced update is the app's.
    ("abis diupdate kok ga bisa log in ya", "jmo.login_failed"),
    ("gk bisa masuk sejak sudah diupdate kemarin", "jmo.login_failed"),
    ("setelah update gak bisa login, aplikasinya keluar sendiri", None),
    ("setelah update gak bisa masuk, malah disuruh update lagi", "jmo.app_error"),
    ("udah 2 minggu sejak verifikasi, uangnya belum masuk juga", "claim.status"),
    ("emailnya belum masuk, link aktivasinya gak ada", None),
    ("setelah update gak bisa dibuka padahal password bener", None),  # the log-in, left to its own phrases
    # Several cards and whether the old one may be claimed while still working: the JHT's conditions.
    ("punya 2 kartu kpj, yg dr kerjaan lama bs dicairkan gk walaupun masih kerja di tempat baru", "jht.eligibility"),
    ("2 kartu saya tidak bisa di update ke dalam aplikasi", None),
    # Showing that a pensioner is alive is the yearly confirmation.
    ("My dad forgot the proof-of-life check and his pension stopped", "jp.periodic_confirmation"),
    ("pensiun mamak gak masuk, katanya belum lapor masih hidup", "jp.periodic_confirmation"),
    ("anak sy masih hidup kok, cuma luka", None),
    ("How do I get my 3 workers enrolled in BPJS TK?", "membership.register"),
    ("is my company registered with bpjs tk?", None),
    # The app logging one out by itself is the log-in; logging out and in again is a step tried.
    ("suka sama apk nya, tpi knp suka logout sndiri ya", "jmo.login_failed"),
    ("udh logout login lg masih ga muncul", None),
    ("lapak asik sering log out sendiri", None),
    ("tiba2 logout dan tiba2 no kepesertaan tidak terdaftar", None),
    # The password changed or reset and the log-in still fails; a connection error told is the app's.
    ("gak bisa di bukak paswood salah terus", "jmo.login_failed"),  # a cue spelling of "password"
    ("coba login gagal terus. Udah ganti pasword juga tetep gak bisa", "jmo.login_failed"),
    ("reset password sampai 3x juga ttp gabisa masuk", "jmo.login_failed"),
    ("sampe ganti password juga tetep ga bisa login, tulisannya ada masalah jaringan", None),
    # Credentials turned down, in English too and as "info login tidak benar"; not while resetting a forgotten one.
    ("It keeps telling me the password is wrong but I never changed it.", "jmo.login_failed"),
    ("I forgot my password and the reset says email is wrong", None),
    ("abis update gk bisa masuk akun, tulisannya info login tdk benar", "jmo.login_failed"),
    # The balance shown empty, in English.
    ("The JHT balance section in my JMO is empty. Why isn't it showing?", "jht.balance"),
    ("my balance after the claim is empty", None),
    # One's own KPJ number forgotten is the card's matter, not a forgotten password or phone number.
    ("lupa no kpj sy brp, bisa dicek dmn ya?", "membership.kpj_card"),
    ("I forgot my KPJ number", "membership.kpj_card"),
    ("lupa nomor hp yg terdaftar di jmo", None),
    # The app itself will not download or install; a card or a statement to download is another matter.
    ("JMO Gak Bisa Di Donlod Hp Saya", "jmo.app_error"),
    ("aplikasi tidak bisa di install, bisa dibantu?", "jmo.app_error"),
    ("Tidak bisa download rincian JHT ke email", None),
    ("udh download ulang tetap gak bisa login", None),
    # The account blocked or locked is the log-in, not a lock by the face check or one only feared.
    ("mudah utk cek saldo, tp skrg terblokir ga bisa cek saldo", "jmo.login_failed"),
    ("td coba masuk berkali2, skrg terkunci", "jmo.login_failed"),
    ("biometrik gagal 3x langsung keblokir", None),
    ("lupa password, takut salah masukin malah keblokir", None),
    ("pencairan gagal krn rekening diblokir bank", None),
    ("bikin akun gagal 3x terus keblokir", None),
    ("mau daftar jmo perlu kpj gk?", "jmo.register"),
    ("pas daftar jmo selalu keluar tulisan mohon maaf sedang ada perbaikan", None),  # maintenance: the app's fault
    # The agency's phone number, not one's own membership number.
    ("no hp bpjs medan brp ya", "service.complaint_channels"),
    ("cari ktp sama no bpjs nya dulu", None),
    ("ga bisa daftar pu karena website ga bisa diakses", None),  # joining the programs, not the app
])
def test_a_settling_phrase(text, topic):
    assert settling_phrased(text) == topic


def test_a_program_named_only_to_be_ruled_out_is_not_named():
    text = "kalau karyawan meninggal krn sakit, bukan kecelakaan kerja, ahli warisnya dapet brp?"
    assert follow_up_cues(text).programs == ("JKM",)
    assert follow_up_cues("pekerja meninggal krn kecelakaan kerja").programs == ("JKK",)


@pytest.mark.parametrize("text,leans", [("cara bikinnya gimana kak?", True), ("daftarnya dimana?", True),
                                        ("dokumen apa yg harus dibawa buat benerinnya?", True),
                                        ("cara daftar jmo gimana", False), ("saldonya brp", False)])
def test_a_verb_carrying_nya_refers_back_a_subject_does_not(text, leans):
    assert follow_up_cues(text).leans_on_context is leans


@pytest.mark.parametrize("text,asks", [("kapan dibalas?", True), ("kira2 kapan ya dibalas petugasnya?", True),
                                       ("when will someone reply?", True), ("How long until staff reply?", True),
                                       ("kapan jht sy cair?", False), ("kapan kantor buka?", False)])
def test_asking_when_staff_will_answer(text, asks):
    assert asks_when_answered(text) is asks


@pytest.mark.parametrize("text,topic", [("Sangat membantu tpi ko gak bisa di buka yah pdhl download ulang", "jmo.app_error"),
                                        ("jmo knp tdk bisa dibk lg", "jmo.app_error"),
                                        ("the app won't open since yesterday", "jmo.app_error"),
                                        ("email sy gak bisa dibuka", None),
                                        ("jmo nya kok gak terbuka ya dari pagi", "jmo.app_error"),
                                        ("fitur apa aja gak bisa diakses, error", "jmo.app_error"),
                                        ("kapan selesai perbaikan aplikasinya min?", "jmo.app_error"),
                                        ("akun jmo sy tdk bisa dibuka, tolong", "jmo.login_failed"),
                                        ("bikin akun jmo mentok di tahap terakhir, katanya cek koneksi",
                                         "jmo.register"),
                                        ("buat akun gagal terus, katanya nik tidak terdaftar", None),
                                        ("baru masukin email aplikasinya langsung keluar", "jmo.app_error"),
                                        ("terkunci, 175 tidak bisa dibuka kuncinya", None),
                                        ("lupa sandi, pas masukin email katanya email tidak ditemukan",
                                         "jmo.forgot_password"),
                                        ("android 11 udh gak bisa instal jmo", "jmo.app_error"),
                                        ("Tidak bisa download rincian JHT ke email", None),
                                        ("aplikasinya cuma bisa didownload di hp tertentu", "jmo.app_error"),
                                        ("pencairan jkp sy lambat bgt, kecewa", "claim.status"),
                                        ("klaim sy udh 2 minggu blm cair jg", "claim.status"),
                                        ("berapa lama biasanya klaim jht cair?", None),
                                        ("uang bpjstk sy yg lama kemana ya", None),
                                        ("uang pensiun bulanan ibu sy blm masuk", None),
                                        # The app, not the log-in, keeps one out ("aplikasinya gak bisa masuk").
                                        ("kenapa skrg aplikasinya gak bisa masuk", None),
                                        ("entah kenapa sy gak bisa masuk ke jmo", "jmo.login_failed"),
                                        # Everyday spellings of "not" and "open" (kb/lexicon.yml).
                                        ("kagak bisa di buka", "jmo.app_error"),
                                        ("mau masuk kok tiba2 kluar sndiri min, ngeleg", "jmo.app_error"),
                                        ("gak bisa di bukak", "jmo.app_error"),
                                        ("ga bs d buka", "jmo.app_error"),
                                        ("Where's my money? I filed the claim on the 2nd.", "claim.status"),
                                        ("where is the money for pension paid from?", None)])
def test_a_phrase_telling_a_concrete_problem(text, topic):
    assert problem_phrased(text) == topic


@pytest.mark.parametrize("text,read", [("Ngk jelas ngk bisa di buka", "tidak jelas gagal di buka"),
                                       ("tetep NGAK bisa", "tetep gagal"),
                                       ("knp ga bs dbuka", "kenapa tidak bisa dibuka"),
                                       ("ngkbisa", "ngkbisa")])  # only whole words are respelt
def test_cue_spellings_are_read_before_the_lexicon(text, read):
    assert plain(text) == read


@pytest.mark.parametrize("text,topic", [("Ngk jelas ngk bisa di buka", "jmo.app_error"),
                                        ("sdah lama pakai JMO tapi Skrang tdak bisah di akses", "jmo.app_error"),
                                        ("email sama sandi udah bnr, knp di buka mlh gagal", "jmo.login_failed")])
def test_a_problem_phrase_read_through_cue_spellings(text, topic):
    assert problem_phrased(text) == topic


def test_still_failing_read_through_cue_spellings():
    assert read_feedback("udh dicoba, masih ngak bisa kak") == STILL_FAILING


@pytest.mark.parametrize("text,read", [("akhirnya lolos juga kak", HELPFUL), ("ok it went through, thanks", HELPFUL),
                                       ("managed to log in now", HELPFUL), ("pengajuan sy tembus", HELPFUL),
                                       ("never went through", STILL_FAILING),
                                       ("sudah dicoba tapi belum lolos", STILL_FAILING),
                                       ("verifikasi wajah tidak lolos", None)])  # a problem told, not a reply
def test_everyday_ways_of_saying_it_went_through(text, read):
    assert read_feedback(text) == read


@pytest.mark.parametrize("text,read", [
    # The answer said not to help outweighs a step that succeeded.
    ("jawabannya ga membantu, pengkinian data udh sy lakuin 2x dan berhasil", STILL_FAILING),
    ("saldo cuma 8jt. penjelasan td ga nyelesain masalah sy", UNHELPFUL),
    ("udh bisa, makasih", HELPFUL)])
def test_an_answer_said_not_to_help_outweighs_a_step_that_succeeded(text, read):
    assert read_feedback(text) == read


@pytest.mark.parametrize("text,entity_programs,programs", [
    # Retirement told as the reason for claiming JHT names JHT alone.
    ("mohon info berkas pencairan jht sy karena sudah usia pensiun", ("JHT", "JP"), ("JHT",)),
    ("JHT claim documents now that I've reached retirement age", ("JHT", "JP"), ("JHT",)),
    # The pension named in its own name, or alone, is JP.
    ("bedanya jht sama jaminan pensiun apa", ("JHT", "JP"), ("JHT", "JP")),
    ("usia pensiun skrg brp tahun", ("JP",), ("JP",)),
])
def test_retirement_as_the_reason_for_a_jht_claim_does_not_name_jp(text, entity_programs, programs):
    assert follow_up_cues(text, entity_programs).programs == programs


@pytest.mark.parametrize("text,asks", [("udh ganti browser tetap gk bisa, terus awak hrs gmn lagi", True),
                                       ("masih gagal, solusinya apa?", True), ("still fails, what now?", True),
                                       ("tetap gagal, terus gimana dong", True),
                                       ("masih gagal, kalau lewat web gimana?", False),
                                       ("terus dokumennya gmn?", False), ("kalau jkp gmn?", False)])
def test_asking_what_to_do_now(text, asks):
    assert asks_what_now(text) is asks


@pytest.mark.parametrize("text,asks", [
    ("hrs pake nik ktp ya? email gmail bisa?", True),
    ("do I really need an email for it?", True),
    ("bisa pake nomor hp aja?", True),
    ("harus ganti email ya?", False),  # a change of its own
    ("lupa email harus pake apa?", False),
    ("syaratnya apa aja?", False),
])
def test_asking_what_the_matter_needs(text, asks):
    assert asks_requirement(text) is asks
