"""The closest known word to a misspelt one."""
from __future__ import annotations

from typing import Dict, Iterable, Optional

from rapidfuzz import fuzz
from rapidfuzz import process as fuzz_process


class ClosestWord:
    """Finds the vocabulary word most like `word` (rapidfuzz ratio >= score_cutoff), memoised.

    Words shorter than `min_length` and numbers are never matched: two edits in a short
    word make it another word, not a typo.
    """

    def __init__(self, vocabulary: Iterable[str], score_cutoff: float = 80, min_length: int = 4,
                 cache_size: int = 50_000):
        self._pool = sorted({w for w in vocabulary if len(w) >= min_length and not w.isdigit()})
        self._cutoff = score_cutoff
        self._min_length = min_length
        self._cache_size = cache_size
        self._cache: Dict[str, Optional[str]] = {}

    def __call__(self, word: str) -> Optional[str]:
        if len(word) < self._min_length or word.isdigit() or not self._pool:
            return None
        if word not in self._cache:
            if len(self._cache) > self._cache_size:
                self._cache.clear()
            match = fuzz_process.extractOne(word, self._pool, scorer=fuzz.ratio, score_cutoff=self._cutoff)
            self._cache[word] = match[0] if match else None
        return self._cache[word]
