from kb.answering import ANSWER, FALLBACK, OUT_OF_SCOPE, FusionConfig, NluSignal, decide
from tests.kb.test_search import _index

CONFIG = FusionConfig()


def _oos(conf=0.9):
    return NluSignal(intent="out_of_scope", confidence=conf, ranking=[("out_of_scope", conf), ("kb_jmo_otp", 0.05)])


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
    nlu = NluSignal(intent="kb_jmo_otp", confidence=0.95, ranking=[("kb_jmo_otp", 0.95), ("out_of_scope", 0.02)])
    decision = decide("kode otp tidak masuk", _index(), nlu, CONFIG)
    assert decision.kind == ANSWER and decision.best.entry_id == "jmo-otp"


def test_scope_words_name_the_field_and_the_reason_for_declining():
    from kb.answering import HEALTH, OTHER_FIELD, in_field, out_of_scope_reason
    from kb.normalize import Normalizer

    tokens = Normalizer().tokens
    assert in_field(tokens("kartu saya kenapa begini")) and in_field(tokens("saldo kok berkurang"))
    assert not in_field(tokens("cara ternak lele di kolam terpal"))
    assert out_of_scope_reason(tokens("rujukan ke puskesmas gimana")) == HEALTH
    assert out_of_scope_reason(tokens("resep nasi goreng")) == OTHER_FIELD
