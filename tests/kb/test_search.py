from kb.search import Calibration, SearchIndex
from tests.kb.factories import make_entry


def _index():
    entries = [
        make_entry("jht-resign", questions={
            "id": ["kapan jht bisa dicairkan setelah resign", "syarat cairkan jht karena mengundurkan diri", "resign berapa lama jht cair"],
            "en": ["when can I claim JHT after resigning"]}),
        make_entry("jmo-otp", topic="jmo.otp", programs=[], questions={
            "id": ["kode otp tidak masuk", "sms verifikasi jmo tidak diterima", "otp kadaluarsa"],
            "en": ["OTP code not received"]}, title={"id": "OTP tidak masuk", "en": "OTP not received"}),
        make_entry("jmo-password", topic="jmo.forgot_password", programs=[], questions={
            "id": ["lupa kata sandi jmo", "cara reset password jmo", "lupa pin aplikasi"],
            "en": ["forgot my JMO password"]}, title={"id": "Lupa kata sandi", "en": "Forgot password"}),
        make_entry("jkm-benefit", topic="jkm.benefits", programs=["JKM"], questions={
            "id": ["berapa santunan kematian", "ahli waris dapat berapa jika peserta meninggal", "besaran jkm"],
            "en": ["how much is the death benefit"]}, title={"id": "Manfaat JKM", "en": "JKM benefits"}),
        make_entry("old", topic="jmo.otp", active=False),
    ]
    return SearchIndex(entries, calibration=Calibration())


def test_ranks_the_right_entry_first_for_informal_text():
    index = _index()
    assert index.search("jht sy gmn cairinnya, udh resign 2 bln")[0].entry_id == "jht-resign"
    assert index.search("otp jmo ga masuk2")[0].entry_id == "jmo-otp"
    assert index.search("I forgot the password of my jmo")[0].entry_id == "jmo-password"


def test_typos_are_tolerated():
    assert _index().search("pasword jmo lupaa")[0].entry_id == "jmo-password"
    assert _index().search("santunan kematain brp")[0].entry_id == "jkm-benefit"


def test_scores_are_calibrated_probabilities_in_order():
    results = _index().search("kode otp tidak masuk", limit=4)
    scores = [c.score for c in results]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert results[0].score > 0.5 > results[-1].score


def test_inactive_entries_are_not_found():
    assert all(c.entry_id != "old" for c in _index().search("syarat klaim jht", limit=10))


def test_filters():
    index = _index()
    assert {c.entry_id for c in index.search("lupa", programs=["JKM"], limit=10)} <= {"jkm-benefit", "jmo-otp", "jmo-password"}
    assert {c.topic.split(".")[0] for c in index.search("jht", groups=["jmo"], limit=10)} == {"jmo"}
    assert [c.entry_id for c in index.search("otp", topics=["jkm.benefits"], limit=10)] == []


def test_unrelated_and_empty_messages_score_low():
    index = _index()
    for text in ["", "🙂", "resep nasi goreng enak", "siapa juara piala dunia"]:
        results = index.search(text)
        assert not results or results[0].score < index.calibration.answer_threshold


def test_empty_index():
    assert SearchIndex([]).search("jht") == []
