"""Indonesian-first text normalisation for search: slang, reduplication, stemming, synonyms.

`Normalizer.tokens(text)` turns "jht sy gmn cairinnya, udh resign 2 bln" into
concept tokens like ["jht", "bagaimana", "klaim", "resign", "2", "bulan"].
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import yaml

LEXICON_FILE = Path(__file__).resolve().parent / "lexicon.yml"

_REDUPLICATION = re.compile(r"\b([a-z]{3,})2\b")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")
# Skin tones, variation selectors and joiners: "🙏🏻" and "🙏" mean the same.
_EMOJI_MODIFIERS = re.compile("[\U0001F3FB-\U0001F3FF\uFE0E\uFE0F\u200D]")
_ANY_REPEATS = re.compile(r"(.)\1+")


class Normalizer:
    def __init__(self, lexicon: Optional[dict] = None):
        lexicon = lexicon if lexicon is not None else yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
        phrases: Dict[str, str] = {self._clean(k): v for k, v in (lexicon.get("phrases") or {}).items()}
        self._phrases = phrases
        ordered = sorted(phrases, key=len, reverse=True)
        self._phrase_re = re.compile(r"\b(" + "|".join(re.escape(p) for p in ordered) + r")\b") if ordered else None
        self._slang: Dict[str, str] = {str(k): str(v) for k, v in (lexicon.get("slang") or {}).items()}
        self._concepts: Dict[str, str] = {}
        for concept, forms in (lexicon.get("concepts") or {}).items():
            for form in forms:
                self._concepts[str(form)] = str(concept)
        self._stopwords = {str(w) for w in (lexicon.get("stopwords") or [])}
        # Tokens the lexicon already produced are final: never stem them.
        self._protected = set(phrases.values()) | set(self._slang.values()) | set(self._concepts.values())
        self._stemmer: Optional[Any] = None  # Sastrawi's (untyped), built on first use

    @staticmethod
    def _clean(text: str) -> str:
        text = unicodedata.normalize("NFKC", text).lower()
        text = _REDUPLICATION.sub(r"\1 \1", text)
        text = _NON_WORD.sub(" ", text)
        return _REPEATS.sub(r"\1", text).strip()

    def _stem(self, token: str) -> str:
        return _stem_cached(self, token)

    def _stem_uncached(self, token: str) -> str:
        if token in self._protected or token.isdigit() or len(token) <= 3 or not token.isascii():
            return token
        if self._stemmer is None:
            from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

            self._stemmer = StemmerFactory().create_stemmer()
        stem = self._stemmer.stem(token)
        if stem == token:
            for suffix in ("nya", "ku", "mu"):
                if token.endswith(suffix) and len(token) - len(suffix) > 3:
                    base = token[: -len(suffix)]
                    return self._slang.get(base) or self._stem(base)
        if stem == token and token.endswith("in") and len(token) > 5:
            # Jakarta-style verb suffix: "cairin" = "cairkan", "daftarin" = "daftarkan".
            base = self._stemmer.stem(token[:-2] + "kan")
            if base != token[:-2] + "kan":
                return base
        return stem or token

    def raw_words(self, text: str) -> List[str]:
        """Cleaned words after phrase rewriting, before slang, stemming and synonyms."""
        cleaned = self._clean(text or "")
        if self._phrase_re is not None:
            cleaned = self._phrase_re.sub(lambda m: self._phrases[m.group(1)], cleaned)
        return cleaned.split()

    def words(self, text: str) -> List[str]:
        """Words with phrases rewritten and slang resolved, not stemmed, stopwords kept ("udh coba" -> "sudah coba")."""
        return [part for raw in self.raw_words(text) for part in self._slang.get(raw, raw).split()]

    def known(self, word: str) -> bool:
        """True if the lexicon itself knows the word (so it is not a typo)."""
        return word in self._slang or word in self._concepts or word in self._protected or word in self._stopwords

    def tokens(self, text: str, correct: Optional[Callable[[str], str]] = None) -> List[str]:
        """Concept tokens of `text`, stopwords removed; `correct` may fix misspelt raw words first."""
        out: List[str] = []
        for raw in self.raw_words(text):
            if correct is not None:
                raw = correct(raw)
            token = self._slang.get(raw, raw)
            for part in token.split():
                stem = self._stem(part)
                concept = self._concepts.get(stem) or self._concepts.get(part) or stem
                if concept not in self._stopwords:
                    out.append(concept)
        return out

    def word(self, word: str) -> str:
        """One word's normal form (slang, stem, synonym), stopwords included: for NLU lemmas."""
        raw = self._clean(word).replace(" ", "")
        if not raw:  # symbols only: "🙏🙏🏻" -> "🙏", "???" -> "?"
            return _ANY_REPEATS.sub(r"\1", _EMOJI_MODIFIERS.sub("", word)) or word
        token = self._slang.get(raw, raw).split()[0]
        stem = self._stem(token)
        return self._concepts.get(stem) or self._concepts.get(token) or stem

    def text(self, text: str) -> str:
        return " ".join(self.tokens(text))


@lru_cache(maxsize=200_000)
def _stem_cached(normalizer: Normalizer, token: str) -> str:
    return normalizer._stem_uncached(token)


@lru_cache(maxsize=1)
def default_normalizer() -> Normalizer:
    return Normalizer()
