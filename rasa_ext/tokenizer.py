"""A whitespace tokenizer whose token lemmas are normalised Indonesian.

Rasa's CountVectorsFeaturizer featurizes `token.lemma` (use_lemma: true), so
"cairin", "pencairan", "klaim" and "withdraw" all reach the classifier as
"klaim", "gmn" as "bagaimana", and "pasword" as "sandi". The text and the
token offsets stay untouched, so entity extraction is unaffected.
"""
from __future__ import annotations

from typing import List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from kb.normalize import default_normalizer


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class IndonesianTokenizer(WhitespaceTokenizer):
    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        tokens = super().tokenize(message, attribute)
        normalizer = default_normalizer()
        for token in tokens:
            token.lemma = normalizer.word(token.text)
        return tokens
