"""The SERVQUAL rules: the version-controlled file, how an item is placed, and the admins' version."""
import datetime as dt

import pytest
import yaml

from accounts.audit import AuditLog
from kb.topics import load_topics
from monitoring.servqual import (BY_KIND, BY_TOPIC, BY_WORD, DIMENSIONS, RULES_FILE, Item, Rules, RulesError,
                                 ServqualRules, classify, counts, load_file, parse_rules, words_in)

AT = dt.datetime(2026, 10, 5, 3)


def item(text="", kind=None, topic=None, rating=None, source="complaint"):
    return Item(source, text, AT, kind, topic, None, rating)


def rules(**dimensions):
    return parse_rules({"dimensions": dimensions})


def test_the_file_names_every_dimension_and_only_known_kinds_and_topics():
    codes = [t.code for t in load_topics()]
    loaded = parse_rules(yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")), known_topics=codes)
    assert [d.code for d in loaded.dimensions] == list(DIMENSIONS) and loaded.source == "file"
    assert all(d.all_words for d in loaded.dimensions)  # every dimension has words in both languages
    assert all(d.words_in("id") and d.words_in("en") for d in loaded.dimensions)
    assert loaded.to_dict()["dimensions"]["reliability"]["kinds"] == ["negative_feedback"]
    assert parse_rules(loaded.to_dict(), known_topics=codes) == loaded  # the stored form reads back the same


@pytest.mark.parametrize("text, dimension", [
    ("Antreannya panjang sekali di kantor", "responsiveness"),  # antre* also matches antreannya
    ("sudah 3 minggu belum cair", "responsiveness"),
    ("aplikasi JMO error terus", "reliability"),
    ("saldo saya tidak sesuai", "reliability"),
    ("petugas satpam jutek", "empathy"),
    ("ada calo minta uang", "assurance"),
    ("ruang tunggu panas, AC mati", "tangibles"),
    ("the staff were rude to my mother", "empathy"),
    ("I waited for weeks", "responsiveness"),
    ("Someone asked me for an extra fee, is it a scam?", "assurance"),
])
def test_the_files_words_place_typical_feedback(text, dimension):
    assert dimension in classify(item(text), load_file()).dimensions


def test_words_are_whole_words_phrases_in_order_and_prefixes_with_a_star():
    assert words_in("Antre lama", ["antre*", "lama"]) == ["antre*", "lama"]
    assert words_in("kelamaan", ["lama"]) == []  # a word is matched whole
    assert words_in("TIDAK   ramah!", ["tidak ramah", "ramah tidak"]) == ["tidak ramah"]
    assert words_in("don't care", ["don't care"]) == ["don't care"]
    assert words_in("", ["lama"]) == []


def test_words_win_over_topics_and_topics_over_kinds():
    r = rules(responsiveness={"kinds": ["complaint"], "topics": ["service.queue"], "words": {"id": ["lama"]}},
              reliability={"topics": ["jmo.*"], "kinds": ["negative_feedback"]},
              empathy={"kinds": ["complaint"]})
    by_word = classify(item("lama sekali", "negative_feedback", "jmo.otp"), r)
    assert [(m.dimension, m.by, m.rule) for m in by_word.matches] == [("responsiveness", BY_WORD, "lama")]
    by_topic = classify(item("tolong", "complaint", "jmo.otp"), r)
    assert [(m.dimension, m.by, m.rule) for m in by_topic.matches] == [("reliability", BY_TOPIC, "jmo.*")]
    by_kind = classify(item("tolong", "complaint", "jht.balance"), r)
    assert [(m.dimension, m.by) for m in by_kind.matches] == [("responsiveness", BY_KIND), ("empathy", BY_KIND)]
    assert by_kind.dimensions == ("responsiveness", "empathy")
    assert classify(item("tolong", None, None), r).matches == ()


def test_counts_per_dimension_with_negative_and_positive_items():
    r = rules(responsiveness={"words": {"id": ["lama", "cepat"]}}, empathy={"words": {"en": ["friendly"]}})
    placed = [classify(i, r) for i in (item("lama"), item("cepat dan friendly", rating=5, source="satisfaction"),
                                       item("lama", rating=3, source="satisfaction"), item("nothing"))]
    assert [(c.dimension, c.items, c.negative, c.positive) for c in counts(placed)] == [
        ("tangibles", 0, 0, 0), ("reliability", 0, 0, 0), ("responsiveness", 3, 1, 1), ("assurance", 0, 0, 0),
        ("empathy", 1, 0, 1)]


@pytest.mark.parametrize("data, problem", [
    (None, "'dimensions' mapping"),
    ({"dimensions": {"courtesy": {}}}, "unknown dimensions: courtesy"),
    ({"dimensions": {"empathy": {"kinds": ["praise"]}}}, "unknown ticket kind 'praise'"),
    ({"dimensions": {"empathy": {"topics": ["jmo.no_such"]}}}, "no topic 'jmo.no_such'"),
    ({"dimensions": {"empathy": {"topics": ["JMO OTP"]}}}, "is not a topic code"),
    ({"dimensions": {"empathy": {"words": {"fr": ["lent"]}}}}, "unknown language 'fr'"),
    ({"dimensions": {"empathy": {"words": {"id": ["<script>"]}}}}, "is not a word or phrase"),
    ({"dimensions": {"empathy": {"words": {"id": ["a*b*"]}}}}, "is not a word or phrase"),
    ({"dimensions": {"empathy": {"words": "ramah"}}}, "expected a list per language"),
    ({"dimensions": {"empathy": {"words": {"id": "ramah"}}}}, "expected a list of texts"),
])
def test_bad_rules_are_refused_with_the_reason(data, problem):
    with pytest.raises(RulesError) as refused:
        parse_rules(data, known_topics=["jmo.otp", "service.queue"])
    assert problem in str(refused.value)


def test_words_are_lowered_and_deduplicated():
    r = rules(empathy={"words": {"id": ["Ramah", "ramah ", "  tidak   ramah"]}, "topics": ["jmo.*"]})
    assert r.rule("empathy").words_in("id") == ("ramah", "tidak ramah") and r.rule("tangibles").all_words == ()


def test_admins_version_applies_until_reset_to_the_file(db):
    store = ServqualRules(db)
    assert store.current() == load_file()
    mine = rules(empathy={"words": {"id": ["judes"]}})
    saved = store.save(mine, "budi")
    current = store.current()
    assert (current.source, current.changed_by, current.rule("empathy").words_in("id")) == ("dashboard", "budi", ("judes",))
    assert current.dimensions == saved.dimensions
    assert store.reset("budi") == load_file() and store.current().source == "file"
    assert [e.action for e in AuditLog(db).list(actor="budi")] == ["servqual_rules_changed"] * 2
    assert isinstance(current, Rules)
