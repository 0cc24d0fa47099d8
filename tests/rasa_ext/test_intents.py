"""Rasa's intent names for the topics, and Rasa's NLU result read as topics."""
import subprocess
import sys

from core.settings import PROJECT_ROOT
from kb.topics import load_topics
from rasa_ext.intents import dialogue_intent, intent_for_topic, kb_intents, topic_for_intent
from rasa_ext.nlu_result import nlu_signal, parsed_signal


def test_knowledge_topics_are_kb_intents_and_dialogue_topics_their_own_names():
    assert intent_for_topic("jht.documents") == "kb_jht_documents"
    assert intent_for_topic("service.not_bpjs_kesehatan") == "kb_service_not_bpjs_kesehatan"
    assert intent_for_topic("greet") == "greet" and intent_for_topic("out_of_scope") == "out_of_scope"
    for topic in load_topics():
        assert topic_for_intent(intent_for_topic(topic.code)) == topic.code
    assert len(kb_intents()) == len(set(kb_intents())) == sum(t.kind == "kb" for t in load_topics())
    assert [topic_for_intent(i) for i in ("affirm", "nlu_fallback", None, "kb_nothing")] == [None] * 4


def test_the_planner_gets_dialogue_intents_and_reads_knowledge_intents_as_topics():
    assert [dialogue_intent(i) for i in ("greet", "affirm", "request_ticket", "out_of_scope")] == \
        ["greet", "affirm", "request_ticket", "out_of_scope"]
    assert [dialogue_intent(i) for i in ("kb_jmo_otp", "nlu_fallback", None)] == [None, None, None]


def test_a_reading_keeps_its_topics_and_counts_as_the_classifiers_even_without_one():
    signal = nlu_signal("kb_jmo_otp", 0.7, [("kb_jmo_otp", 0.7), ("affirm", 0.2), ("out_of_scope", 0.1)], ["JHT"])
    assert (signal.topic, signal.confidence, signal.programs) == ("jmo.otp", 0.7, ("JHT",))
    assert list(signal.ranking) == [("jmo.otp", 0.7), ("out_of_scope", 0.1)] and signal.classified
    yes = nlu_signal("affirm", 0.9, [("affirm", 0.9)])
    assert yes.topic is None and yes.confidence == 0.9 and not yes.ranking and yes.classified
    assert not nlu_signal(None, 0.0, []).classified


def test_a_parse_result_and_a_payloads_lone_intent():
    parsed = {"text": "otp jht", "intent": {"name": "kb_jmo_otp", "confidence": 0.8},
              "intent_ranking": [{"name": "kb_jmo_otp", "confidence": 0.8}, {"name": "greet", "confidence": 0.1}],
              "entities": [{"entity": "program", "value": "JHT"}, {"entity": "jmo_problem", "value": "otp"}]}
    signal = parsed_signal(parsed)
    assert signal.topic == "jmo.otp" and list(signal.ranking) == [("jmo.otp", 0.8), ("greet", 0.1)]
    assert signal.programs == ("JHT",)
    payload = parsed_signal({"intent": {"name": "kb_jht_documents", "confidence": 1.0}, "entities": []})
    assert list(payload.ranking) == [("jht.documents", 1.0)] and payload.classified


def test_the_bridging_modules_load_without_rasa():
    """The action server and the gateway import them: loading Rasa there would cost seconds and memory."""
    code = ("import sys, rasa_ext.intents, rasa_ext.nlu_result, rasa_ext.training_data, rasa_ext.tracker_erasure; "
            "sys.exit(1 if 'rasa' in sys.modules else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
