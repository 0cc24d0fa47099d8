"""FAQ gaps: the nearest entry of an unresolved question, and what a topic's unresolved signals point to."""
from kb.gaps import AMBIGUOUS, ESCALATED, NO_ENTRY, UNHELPFUL, WORDING, question_gaps, topic_gaps
from kb.search import Calibration, SearchIndex
from tests.kb.factories import distinct_entry, make_entry

OTP = make_entry("jmo-otp", topic="jmo.otp", programs=[], title={"id": "Kode OTP JMO tidak masuk", "en": "JMO OTP not received"},
                 questions={"id": ["kode otp jmo tidak masuk", "otp jmo tidak terkirim", "sms otp jmo belum datang"],
                            "en": ["jmo otp code not received"]})


def test_a_question_near_an_entry_is_a_wording_gap_and_one_near_none_needs_an_entry():
    index = SearchIndex([OTP, distinct_entry("jht-lain")])
    gaps = question_gaps(index, [("otp jmo ga masuk masuk", 7), ("cara ubah nama ibu kandung", 3)],
                         Calibration(clarify_threshold=0.3))
    wording, missing = gaps
    assert (wording.text, wording.count, wording.gap, wording.entry_id, wording.topic) == (
        "otp jmo ga masuk masuk", 7, WORDING, "jmo-otp", "jmo.otp")
    assert wording.score >= 0.3
    assert missing.gap == NO_ENTRY and (missing.score is None or missing.score < 0.3)


def test_an_empty_knowledge_base_points_every_question_to_a_new_entry():
    (gap,) = question_gaps(SearchIndex([]), [("apa saja", 1)])
    assert (gap.gap, gap.entry_id, gap.score) == (NO_ENTRY, None, None)


def test_a_topics_dominant_signal_names_its_gap():
    gaps = topic_gaps([("jmo.otp", 5, 2, 1), ("jht.balance", 1, 6, 2), ("claim.status", 0, 1, 4), ("jkp.apply", 3, 0, 0),
                       (None, 0, 0, 2)], {"jmo.otp": 1, "jht.balance": 2, "claim.status": 3})
    assert [(g.topic, g.gap, g.entries, g.total) for g in gaps] == [
        ("jmo.otp", UNHELPFUL, 1, 8), ("jht.balance", AMBIGUOUS, 2, 9), ("claim.status", ESCALATED, 3, 5),
        ("jkp.apply", NO_ENTRY, 0, 3), (None, NO_ENTRY, 0, 2)]
