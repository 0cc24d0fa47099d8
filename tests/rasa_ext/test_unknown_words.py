from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_ext.tokenizer import IndonesianTokenizer
from rasa_ext.unknown_words import UnknownWordsFallback

TRAINING = [("iya betul", "affirm"), ("tidak mau", "deny"), ("kode otp jmo tidak masuk", "kb_jmo_otp"),
            ("terima kasih banyak", "thanks"), ("🙏", "thanks")]


def _tokenizer():
    return IndonesianTokenizer(IndonesianTokenizer.get_default_config())


def _trained(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("unknown_words")
    examples = [Message(data={"text": t, "intent": i}) for t, i in TRAINING]
    data = TrainingData(examples)
    _tokenizer().process_training_data(data)
    config = UnknownWordsFallback.get_default_config()
    UnknownWordsFallback.create(config, storage, resource, None).train(data)
    return UnknownWordsFallback.load(config, storage, resource, None)  # the persisted vocabulary


def _predict(component, text, intent="affirm", entities=()):
    message = Message(data={"text": text})
    _tokenizer().process([message])
    message.set("intent", {"name": intent, "confidence": 0.3})
    message.set("intent_ranking", [{"name": intent, "confidence": 0.3}])
    message.set("entities", list(entities))
    component.process([message])
    return message


def test_a_message_with_no_known_word_becomes_nlu_fallback_keeping_the_ranking(tmp_path):
    component = _trained(tmp_path)
    message = _predict(component, "zorp quibble flanx")
    assert message.get("intent")["name"] == "nlu_fallback"
    assert [r["name"] for r in message.get("intent_ranking")] == ["nlu_fallback", "affirm"]
    # No word at all, or an emoji never seen in training, is unclear too (not a "yes").
    for text in ("??", "...", "12345", "😡😡"):
        assert _predict(component, text).get("intent")["name"] == "nlu_fallback", text


def test_known_words_typos_numbers_and_entities_keep_the_prediction(tmp_path):
    component = _trained(tmp_path)
    for text in ("otp zorp", "terimakasih banyakk", "kode otpp", "🙏🙏🏻"):
        assert _predict(component, text).get("intent")["name"] == "affirm", text
    with_entity = _predict(component, "TK-2026-000123 zorp", entities=[{"entity": "ticket_id", "value": "x"}])
    assert with_entity.get("intent")["name"] == "affirm"
    number = _predict(component, "MDK-000123", entities=[{"entity": "ticket_id", "value": "MDK-000123"}])
    assert number.get("intent")["name"] == "affirm"
