from kb.answering import AGENCIES_TOPIC, ANSWER, FALLBACK, OUT_OF_SCOPE, FusionConfig, NluSignal, decide
from tests.kb.test_search import _index

CONFIG = FusionConfig()


def _oos(conf=0.9):
    return NluSignal(topic="out_of_scope", confidence=conf, ranking=[("out_of_scope", conf), ("jmo.otp", 0.05)],
                     classified=True)


def test_understands_known_words_and_their_typos_but_not_gibberish():
    index = _index()
    assert index.understands("otp jmo ga masuk2")
    assert index.understands("pasword lupaa")
    assert not index.understands("zorp quibble flanx")
    assert not index.understands("")


def test_an_understood_out_of_scope_message_is_declined():
    assert decide("what is the weather today", _index(), _oos(), CONFIG).kind == OUT_OF_SCOPE
    assert decide("tolong otp saya kapan masuk", _index(), _oos(), CONFIG).kind == OUT_OF_SCOPE


def test_gibberish_falls_back_instead_of_being_declined():
    assert decide("zorp quibble flanx", _index(), _oos(), CONFIG).kind == FALLBACK


def test_a_confident_topic_is_answered():
    nlu = NluSignal(topic="jmo.otp", confidence=0.95, ranking=[("jmo.otp", 0.95), ("out_of_scope", 0.02)],
                    classified=True)
    decision = decide("kode otp tidak masuk", _index(), nlu, CONFIG)
    assert decision.kind == ANSWER and decision.best.entry_id == "jmo-otp"


def test_topics_the_search_misses_entirely_still_compete():
    # Neither topic shares a word with the message: both join the candidates on the classifier's word alone.
    nlu = NluSignal(topic="jht.eligibility", confidence=0.5,
                    ranking=[("jht.eligibility", 0.5), ("jmo.forgot_password", 0.3)], classified=True)
    candidates = decide("kode otp tidak masuk", _index(), nlu, CONFIG).candidates
    assert {"jht-resign", "jmo-password"} <= {c.entry_id for c in candidates}
    assert next(c for c in candidates if c.entry_id == "jht-resign").search_score == 0.0


def test_out_of_scope_needs_it_as_the_classifiers_best_guess():
    # The same confidence in "out of scope" lower in the ranking (best guess: a yes) declines nothing.
    ranked_second = NluSignal(topic=None, confidence=0.95, ranking=[("out_of_scope", 0.9)], classified=True)
    assert decide("what is the weather today", _index(), ranked_second, CONFIG).kind != OUT_OF_SCOPE
    assert decide("what is the weather today", _index(), _oos(0.9), CONFIG).kind == OUT_OF_SCOPE


def test_without_a_reading_search_alone_scores_and_a_reading_without_topics_halves_it():
    index = _index()
    alone = decide("kode otp tidak masuk", index, NluSignal(), CONFIG).candidates[0]
    no_topic = decide("kode otp tidak masuk", index, NluSignal(confidence=0.9, classified=True), CONFIG).candidates[0]
    assert alone.entry_id == no_topic.entry_id == "jmo-otp"
    assert alone.score == alone.search_score > 0 and no_topic.nlu_score == 0.0
    assert abs(no_topic.score - CONFIG.search_weight * alone.search_score) < 1e-9


def test_a_health_question_is_declined_unless_the_participant_mixes_up_the_agencies():
    text = "bpjs kesehatan bisa diurus di sini juga?"
    mixed_up = NluSignal(topic=AGENCIES_TOPIC, confidence=0.8, ranking=[(AGENCIES_TOPIC, 0.8)], classified=True)
    other = NluSignal(topic="jmo.otp", confidence=0.8, ranking=[("jmo.otp", 0.8)], classified=True)
    assert decide(text, _index(), mixed_up, CONFIG).kind != OUT_OF_SCOPE
    assert decide(text, _index(), other, CONFIG).kind == OUT_OF_SCOPE
    assert decide("obat dari dokter klinik", _index(), mixed_up, CONFIG).kind == OUT_OF_SCOPE  # no confusion word


def test_a_work_accident_told_with_a_doctor_is_not_a_health_insurance_matter():
    from kb.answering import outside_scope
    from kb.normalize import Normalizer

    tokens = Normalizer().tokens
    assert not outside_scope(tokens("jatuh di gudang, tangannya patah, dokter bilang harus istirahat 2 bulan"))
    assert outside_scope(tokens("berobat ke dokter pake bpjs bisa?"))
    assert outside_scope(tokens("kerja di proyek, sakit, ke puskesmas pakai kis"))  # a health-only word


def test_wifi_is_another_fields_only_without_a_word_of_ours():
    from kb.answering import outside_scope
    from kb.normalize import Normalizer

    tokens = Normalizer().tokens
    assert outside_scope(tokens("kuota internet cepat habis kenapa"))
    assert outside_scope(tokens("wifi indihome sy gangguan dari pagi"))  # the provider is another field's
    assert outside_scope(tokens("pulsa 50rb brp ya"))  # phone credit is always another field's
    # What the participant tried: ours.
    assert not outside_scope(tokens("tidak bisa terhubung. sdh coba kartu lain pakai wifi ttp tidak bisa"))


def test_scope_words_name_the_field_and_the_reason_for_declining():
    from kb.answering import HEALTH, OTHER_FIELD, in_field, out_of_scope_reason
    from kb.normalize import Normalizer

    tokens = Normalizer().tokens
    assert in_field(tokens("kartu saya kenapa begini")) and in_field(tokens("saldo kok berkurang"))
    assert not in_field(tokens("cara ternak lele di kolam terpal"))
    assert out_of_scope_reason(tokens("rujukan ke puskesmas gimana")) == HEALTH
    assert out_of_scope_reason(tokens("resep nasi goreng")) == OTHER_FIELD


def test_an_entry_added_since_the_classifier_was_trained_is_answered_on_search():
    """An admin's new entry (e.g. from a ticket): the classifier, sure of another topic, never saw its questions."""
    from kb.content import read_entries
    from kb.search import SearchIndex
    from tests.kb.factories import make_entry

    content = [e for e in read_entries() if e.active]
    new = make_entry("layanan-ruang-laktasi", topic="service.location", programs=[], title={
        "id": "Ruang laktasi di kantor cabang", "en": "Lactation room at the branch"}, questions={
        "id": ["apakah kantor cabang menyediakan ruang laktasi untuk ibu menyusui?",
               "kantor cabang menyediakan ruang laktasi", "ruang laktasi ibu menyusui kantor cabang"],
        "en": ["is there a lactation room at the branch"]})
    nlu = NluSignal(topic="service.standards", confidence=0.9, ranking=[("service.standards", 0.9)], classified=True)
    question = "ada ruang laktasi buat ibu menyusui di kantor cabang?"
    learned = SearchIndex(content + [new], learned=[e.id for e in content])
    decision = decide(question, learned, nlu, FusionConfig.load())
    assert decision.kind == ANSWER and decision.best.entry_id == "layanan-ruang-laktasi"
    # Where the classifier did learn it, its disagreement counts as before.
    everything = SearchIndex(content + [new])
    assert decide(question, everything, nlu, FusionConfig.load()).best.entry_id != "layanan-ruang-laktasi"
    # Unrelated questions are not drawn to it.
    otp = NluSignal(topic="jmo.otp", confidence=0.9, ranking=[("jmo.otp", 0.9)], classified=True)
    assert decide("kode otp jmo tidak masuk", learned, otp, FusionConfig.load()).best.topic == "jmo.otp"
