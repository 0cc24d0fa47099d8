"""Fallback for messages in which the assistant knows no word at all.

Character n-grams give every string some intent, so "zorp quibble flanx" may come
out as `affirm` with a confidence above the fallback threshold. A message none of
whose words (nor a close misspelling of one) occurs in the training data, or one
with no word at all ("??", "...", a run of one letter such as "aaaa…"), and in
which no entity was found, is predicted as `nlu_fallback` instead: it is unclear,
not a yes, and not out of scope. The intent ranking is kept, so the answering
action still sees what the classifier guessed.
"""
from __future__ import annotations

import json
import unicodedata
from typing import Any, Dict, Iterable, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from kb.spelling import ClosestWord

VOCABULARY_FILE = "vocabulary.json"


NOISE_RUN = 3  # a "word" of this many or more of one letter ("aaaa…", "zzz") is noise


def _is_word(text: str) -> bool:
    """Letters or emoji carry meaning ("ok", "🙏"); digits and punctuation alone do not, nor a run of one
    letter ("aaaaa…": the normaliser reads elongations as the letter itself, which would pass for "a")."""
    if len(text) >= NOISE_RUN and text.isalpha() and len(set(text.casefold())) == 1:
        return False
    return any(ch.isalpha() or unicodedata.category(ch) == "So" for ch in text)


def _words(message: Message) -> List[Any]:
    return [t for t in message.get(TOKENS_NAMES[TEXT]) or [] if _is_word(t.text)]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class UnknownWordsFallback(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # score_cutoff: how close (rapidfuzz ratio) an unseen word must be to a known one to count as a typo of it.
        return {"score_cutoff": 80, "min_fuzzy_length": 4}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 vocabulary: Iterable[str] = ()) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._set_vocabulary(vocabulary)

    def _set_vocabulary(self, vocabulary: Iterable[str]) -> None:
        self._vocabulary: Set[str] = set(vocabulary)
        self._closest = ClosestWord(self._vocabulary, self._config["score_cutoff"], self._config["min_fuzzy_length"])

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "UnknownWordsFallback":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        words: Set[str] = set()
        for example in training_data.training_examples:
            for token in _words(example):
                words.add(token.text.lower())
                if token.lemma:
                    words.add(str(token.lemma).lower())
        self._set_vocabulary(words)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(json.dumps(sorted(words), ensure_ascii=False), encoding="utf-8")
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "UnknownWordsFallback":
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            vocabulary = []
        return cls(config, model_storage, resource, vocabulary)

    def _known(self, word: str) -> bool:
        return word in self._vocabulary or self._closest(word) is not None

    def knows_nothing_in(self, message: Message) -> bool:
        if not self._vocabulary or message.get(ENTITIES):
            return False
        words = _words(message)
        if not words:
            return True  # only digits and punctuation: "??", "...", "12345"
        return not any(self._known(t.text.lower()) or (t.lemma and str(t.lemma).lower() in self._vocabulary)
                       for t in words)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent: Optional[Dict[str, Any]] = message.get(INTENT)
            if not intent or intent.get(INTENT_NAME_KEY) == DEFAULT_NLU_FALLBACK_INTENT_NAME:
                continue
            if self.knows_nothing_in(message):
                fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, fallback, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [fallback] + list(message.get(INTENT_RANKING_KEY) or []),
                            add_to_output=True)
        return messages
