"""Ranking knowledge-base entries for a participant's message.

Each entry is represented by several documents (its question variants in both
languages, its titles and, with less weight, its answers). A message is
normalised (kb/normalize.py), misspelt words are corrected against the index
vocabulary, and documents are scored by cosine similarity of word (uni- and
bigram) and character n-gram TF-IDF vectors. An entry's raw score is its best
document's; a logistic calibration (kb/calibration.json) turns it into a
probability-like score in [0, 1] that thresholds can be set against.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from kb.entry import Entry
from kb.normalize import Normalizer, default_normalizer
from kb.spelling import ClosestWord

CALIBRATION_FILE = Path(__file__).resolve().parent / "calibration.json"

FIELD_WEIGHTS = {"question": 1.0, "title": 0.9, "answer": 0.55}
WORD_SHARE = 0.5  # word vs character n-gram similarity
# An entry's score blends its best single document with its profile: all of its
# questions and titles as one document, which pools the evidence of every variant.
PROFILE_SHARE = 0.6


@dataclass(frozen=True)
class Calibration:
    slope: float = 9.0
    intercept: float = -4.0
    answer_threshold: float = 0.55
    clarify_threshold: float = 0.3
    margin: float = 0.12

    @classmethod
    def load(cls, path: Path = CALIBRATION_FILE) -> "Calibration":
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{k: float(v) for k, v in data.items() if k in cls.__dataclass_fields__})

    def probability(self, raw: float) -> float:
        return 1.0 / (1.0 + math.exp(-(self.slope * raw + self.intercept)))


@dataclass(frozen=True)
class Candidate:
    entry_id: str
    topic: str
    score: float  # calibrated, 0..1
    raw: float
    matched: str  # the document text that matched best


def _word_features(tokens: Sequence[str]) -> List[str]:
    return list(tokens) + [f"{a}_{b}" for a, b in zip(tokens, tokens[1:])]


class SearchIndex:
    """An immutable index over a set of entries; rebuild it when the entries change."""

    def __init__(self, entries: Iterable[Entry], normalizer: Optional[Normalizer] = None,
                 calibration: Optional[Calibration] = None, learned: Optional[Iterable[str]] = None):
        self.normalizer = normalizer or default_normalizer()
        self.calibration = calibration or Calibration.load()
        # The entries whose questions the topic classifier learned from (None: all of them). One added since
        # (in the dashboard) is answered on search alone where search is surer than the fused score.
        self.learned: Optional[FrozenSet[str]] = frozenset(learned) if learned is not None else None
        self.entries: List[Entry] = [e for e in entries if e.active]
        self._by_id: Dict[str, Entry] = {e.id: e for e in self.entries}
        doc_texts: List[str] = []
        doc_tokens: List[List[str]] = []
        weights: List[float] = []
        owners: List[int] = []
        for i, entry in enumerate(self.entries):
            fields = [("question", q) for lang in ("id", "en") for q in entry.questions.get(lang, [])]
            fields += [("title", entry.title[lang]) for lang in ("id", "en")]
            fields += [("answer", entry.answer[lang]) for lang in ("id", "en")]
            for kind, text in fields:
                tokens = self.normalizer.tokens(text)
                if not tokens:
                    continue
                doc_texts.append(text)
                doc_tokens.append(tokens)
                weights.append(FIELD_WEIGHTS[kind])
                owners.append(i)
        profile_tokens = []
        for i, entry in enumerate(self.entries):
            texts = [q for lang in ("id", "en") for q in entry.questions.get(lang, [])] + list(entry.title.values())
            profile_tokens.append([t for text in texts for t in self.normalizer.tokens(text)])
        self._doc_texts = doc_texts
        self._owners = np.asarray(owners, dtype=np.int64)
        self._weights = np.asarray(weights, dtype=np.float64)
        self._starts = np.searchsorted(self._owners, np.arange(len(self.entries))) if self.entries else np.zeros(0, int)
        self._entry_topics = np.asarray([e.topic for e in self.entries], dtype=object)
        self._vocab_set: set = set()
        self._closest = ClosestWord(())
        if not doc_tokens:
            self._word = self._char = None
            return
        self._word = TfidfVectorizer(analyzer=_word_features, sublinear_tf=True, norm="l2")
        word_matrix = self._word.fit_transform(doc_tokens)
        self._char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, norm="l2", min_df=1)
        char_matrix = self._char.fit_transform([" ".join(t) for t in doc_tokens])
        # Term-major matrices: a query touches only the posting lists of its own terms.
        self._word_t = word_matrix.T.tocsr()
        self._char_t = char_matrix.T.tocsr()
        self._profile_word_t = self._normalized(self._word.transform(profile_tokens)).T.tocsr()
        self._profile_char_t = self._normalized(self._char.transform([" ".join(t) for t in profile_tokens])).T.tocsr()
        raw = {w for text in doc_texts for w in self.normalizer.raw_words(text)}
        self._vocab_set = raw
        self._closest = ClosestWord(raw)

    @staticmethod
    def _normalized(matrix):
        from sklearn.preprocessing import normalize

        return normalize(matrix, norm="l2", copy=False)

    def __len__(self) -> int:
        return len(self.entries)

    def entry(self, entry_id: str) -> Optional[Entry]:
        return self._by_id.get(entry_id)

    def correct(self, word: str) -> str:
        """A word missing from the index and the lexicon becomes its closest indexed word (typos)."""
        if word in self._vocab_set or self.normalizer.known(word):
            return word
        return self._closest(word) or word

    def tokens(self, text: str) -> List[str]:
        return self.normalizer.tokens(text or "", correct=self.correct)

    def understands(self, text: str) -> bool:
        """True when at least one word of `text` is a word we know (indexed, in the lexicon, or a typo of one)."""
        return any(w in self._vocab_set or self.normalizer.known(w) or self._closest(w) is not None
                   for w in self.normalizer.raw_words(text or ""))

    def _scores(self, tokens: List[str]):
        """Per-document scores and per-entry profile scores for the query tokens."""
        assert self._word is not None and self._char is not None  # search() returns early on an empty index
        q_word = self._word.transform([tokens])
        q_char = self._char.transform([" ".join(tokens)])

        def sim(q, matrix):
            return (q @ matrix).toarray().ravel() if q.nnz else np.zeros(matrix.shape[1])

        docs = (WORD_SHARE * sim(q_word, self._word_t) + (1 - WORD_SHARE) * sim(q_char, self._char_t)) * self._weights
        profiles = WORD_SHARE * sim(q_word, self._profile_word_t) + (1 - WORD_SHARE) * sim(q_char, self._profile_char_t)
        return docs, profiles

    def search(self, text: str, limit: int = 5, programs: Optional[Iterable[str]] = None,
               groups: Optional[Iterable[str]] = None, topics: Optional[Iterable[str]] = None,
               entry_ids: Optional[Iterable[str]] = None) -> List[Candidate]:
        """Best entries for `text`, best first, one candidate per entry.

        programs: keep entries tagged with one of them (or untagged);
        groups: keep topics in these groups ("jht", "jmo", ...); topics: keep these codes;
        entry_ids: keep only these entries.
        """
        if not self.entries or self._word is None:
            return []
        tokens = self.tokens(text)
        if not tokens:
            return []
        doc_scores, profile_scores = self._scores(tokens)
        best_doc = np.maximum.reduceat(doc_scores, self._starts) if len(doc_scores) else np.zeros(len(self.entries))
        entry_scores = (1 - PROFILE_SHARE) * best_doc + PROFILE_SHARE * profile_scores
        mask = np.ones(len(self.entries), dtype=bool)
        if programs:
            wanted = {p.upper() for p in programs}
            mask &= np.asarray([not e.programs or bool(wanted & set(e.programs)) for e in self.entries])
        if groups:
            wanted_groups = set(groups)
            mask &= np.asarray([t.split(".", 1)[0] in wanted_groups for t in self._entry_topics])
        if topics:
            wanted_topics = set(topics)
            mask &= np.asarray([t in wanted_topics for t in self._entry_topics])
        if entry_ids is not None:
            wanted_ids = set(entry_ids)
            mask &= np.asarray([e.id in wanted_ids for e in self.entries])
        entry_scores = np.where(mask, entry_scores, -1.0)
        k = min(limit, len(entry_scores))
        top = np.argpartition(-entry_scores, k - 1)[:k]
        top = top[np.argsort(-entry_scores[top], kind="stable")]
        results = []
        for i in top:
            raw = float(entry_scores[i])
            if raw <= 0:
                continue
            start = self._starts[i]
            end = self._starts[i + 1] if i + 1 < len(self._starts) else len(doc_scores)
            best_doc = start + int(np.argmax(doc_scores[start:end]))
            entry = self.entries[i]
            results.append(Candidate(entry.id, entry.topic, self.calibration.probability(raw), raw,
                                     self._doc_texts[best_doc]))
        return results
