"""Deciding what to do with a participant's question: answer, clarify, fall back or decline.

Two signals are fused per knowledge-base entry: the search score (kb/search.py)
and the NLU classifier's confidence in the entry's topic. The classifier's result
arrives already read as topics (rasa_ext/nlu_result.py does that for Rasa), so this
module knows nothing about the classifier's own labels.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

import yaml

from kb.search import SearchIndex
from kb.topics import OUT_OF_SCOPE_TOPIC, kb_topic_codes

FUSION_FILE = Path(__file__).resolve().parent / "fusion.json"
SCOPE_FILE = Path(__file__).resolve().parent / "scope.yml"

ANSWER, CLARIFY, FALLBACK, OUT_OF_SCOPE = "answer", "clarify", "fallback", "out_of_scope"
# The topic whose entry explains that BPJS Kesehatan is another agency: the classifier's best guess for a participant
# who mixes the two up ("BPJS Kesehatan diurus di sini juga?"), which the scope guard must not decline.
AGENCIES_TOPIC = "service.not_bpjs_kesehatan"
CLARIFY_CHOICES = 3  # options in one "which one?"


@dataclass(frozen=True)
class FusionConfig:
    search_weight: float = 0.5
    nlu_weight: float = 0.5
    answer_threshold: float = 0.5
    clarify_threshold: float = 0.3
    margin: float = 0.1
    out_of_scope_confidence: float = 0.5
    out_of_scope_override: float = 0.85  # a fused score this high beats the classifier's "out of scope"
    program_boost: float = 0.05
    nlu_topic_floor: float = 0.15  # NLU topics below this confidence add no candidates

    @classmethod
    def load(cls, path: Path = FUSION_FILE) -> "FusionConfig":
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{k: float(v) for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class NluSignal:
    """The classifier's reading of a message, in topic codes of kb/topics.yml (either kind).

    `NluSignal()` is no reading at all: search alone decides.
    """
    topic: Optional[str] = None  # its best guess, when that is a topic (not a yes, a no, ...)
    confidence: float = 0.0  # its confidence in its best guess, topic or not
    ranking: Sequence[Tuple[str, float]] = ()  # the topics among its guesses, with their confidence
    programs: Sequence[str] = ()  # the programs the message names
    classified: bool = False  # the classifier read the message (its topics are then fused with search)

    def topic_confidences(self) -> Dict[str, float]:
        out: Dict[str, float] = {}
        knowledge = set(kb_topic_codes())
        for topic, conf in self.ranking:
            if topic in knowledge:
                out[topic] = max(out.get(topic, 0.0), float(conf))
        return out

    def confidence_of(self, topic: str) -> float:
        return max([float(c) for t, c in self.ranking if t == topic] or [0.0])


@dataclass(frozen=True)
class Option:
    entry_id: str
    topic: str
    score: float
    search_score: float = 0.0
    nlu_score: float = 0.0

    def to_dict(self) -> dict:
        return {"entry_id": self.entry_id, "topic": self.topic, "score": round(self.score, 4)}


@dataclass(frozen=True)
class Decision:
    kind: str
    options: List[Option] = field(default_factory=list)  # answer: [chosen]; clarify: up to 3
    candidates: List[Option] = field(default_factory=list)  # everything considered, best first

    @property
    def best(self) -> Optional[Option]:
        return self.options[0] if self.options else None


@dataclass(frozen=True)
class ScopeLexicon:
    anchors: FrozenSet[str]
    weak_anchors: FrozenSet[str]
    health: FrozenSet[str]
    foreign: FrozenSet[str]
    confusion: FrozenSet[str]  # "beda", "di sini": the participant mixes up the two agencies
    domain: FrozenSet[str] = frozenset()  # "saldo", "kartu": our field, though not only ours
    treatment: FrozenSet[str] = frozenset()  # health words a work accident's story uses too ("dokter")
    workplace: FrozenSet[str] = frozenset()  # "gudang", "proyek": where work accidents happen
    connectivity: FrozenSet[str] = frozenset()  # "wifi": another field's only with no word of ours


@lru_cache(maxsize=1)
def scope_lexicon() -> ScopeLexicon:
    data = yaml.safe_load(SCOPE_FILE.read_text(encoding="utf-8")) or {}
    return ScopeLexicon(*(frozenset(str(w) for w in data.get(k) or [])
                          for k in ("anchors", "weak_anchors", "health", "foreign", "confusion", "domain",
                                    "treatment", "workplace", "connectivity")))


HEALTH, OTHER_FIELD = "health", "other_field"


def out_of_scope_reason(tokens: Sequence[str], lexicon: Optional[ScopeLexicon] = None) -> str:
    """Why a declined message is not ours: a health matter (BPJS Kesehatan) or another field."""
    lexicon = lexicon or scope_lexicon()
    return HEALTH if set(tokens) & lexicon.health else OTHER_FIELD


def in_field(tokens: Sequence[str], lexicon: Optional[ScopeLexicon] = None) -> bool:
    """True when the message uses a word of this agency's field (a guess at its meaning is worth offering)."""
    lexicon = lexicon or scope_lexicon()
    return bool(set(tokens) & (lexicon.anchors | lexicon.weak_anchors | lexicon.domain))


def outside_scope(tokens: Sequence[str], lexicon: Optional[ScopeLexicon] = None, at_work: bool = False) -> bool:
    """True when the message names another domain and nothing that is only ours (`at_work`: the conversation is
    about a work accident already)."""
    lexicon = lexicon or scope_lexicon()
    words = set(tokens)
    if words & lexicon.anchors:
        return False
    if words & lexicon.health:
        # "jatuh di gudang ... dokter bilang ...": a work accident's treatment, not a health-insurance matter.
        return bool(words & lexicon.health - lexicon.treatment) or not (at_work or words & lexicon.workplace)
    if words & lexicon.connectivity and not words & (lexicon.weak_anchors | lexicon.domain):
        return True  # "wifi di rumah mati"; but "coba kartu lain pakai wifi" tells what was tried
    return bool(words & lexicon.foreign) and not words & lexicon.weak_anchors


def _fused(index: SearchIndex, text: str, nlu: NluSignal, config: FusionConfig) -> List[Option]:
    search = {c.entry_id: c for c in index.search(text, limit=10)}
    topic_conf = nlu.topic_confidences()
    found = {c.topic for c in search.values()}
    # Topics the classifier believes in but the search missed still compete.
    for topic, conf in topic_conf.items():
        if conf >= config.nlu_topic_floor and topic not in found:
            within = index.search(text, limit=1, topics=[topic])
            if within:
                search[within[0].entry_id] = within[0]
            else:
                entries = [e for e in index.entries if e.topic == topic]
                if entries:
                    search[entries[0].id] = None  # type: ignore[assignment]
    mentioned = {p.upper() for p in nlu.programs}
    options = []
    for entry_id, cand in search.items():
        entry = index.entry(entry_id)
        if entry is None:
            continue
        s_score = cand.score if cand is not None else 0.0
        n_score = topic_conf.get(entry.topic, 0.0)
        score = config.search_weight * s_score + config.nlu_weight * n_score
        if index.learned is not None and entry.id not in index.learned:
            # The classifier never saw this entry's questions (an admin added it since it was trained): its low
            # confidence in the topic is no evidence against it, so search alone may carry it.
            score = max(score, s_score)
        if mentioned and entry.programs:
            score += config.program_boost if mentioned & set(entry.programs) else -config.program_boost
        options.append(Option(entry.id, entry.topic, score, s_score, n_score))
    options.sort(key=lambda o: (-o.score, o.entry_id))
    return options


def decide(text: str, index: SearchIndex, nlu: Optional[NluSignal] = None,
           config: Optional[FusionConfig] = None, at_work: bool = False) -> Decision:
    config = config or FusionConfig.load()
    nlu = nlu or NluSignal()
    if nlu.classified:
        options = _fused(index, text, nlu, config)
    else:  # search only (no classifier available)
        options = [Option(c.entry_id, c.topic, c.score, c.score, 0.0) for c in index.search(text, limit=10)]
    top = options[0] if options else None
    # The scope guard reads the words as written: a typo correction can turn "berat" into "obat".
    written = index.normalizer.tokens(text)
    if outside_scope(written, at_work=at_work):
        # "Is BPJS Kesehatan handled here?" is answered (the two agencies explained); a health question is not.
        mixes_up = nlu.topic == AGENCIES_TOPIC and set(written) & scope_lexicon().confusion
        if not mixes_up:
            return Decision(OUT_OF_SCOPE, [], options)
    # A message with no word we know is unclear rather than out of scope: it gets the fallback path.
    if (nlu.topic == OUT_OF_SCOPE_TOPIC and nlu.confidence_of(OUT_OF_SCOPE_TOPIC) >= config.out_of_scope_confidence
            and index.understands(text)):
        if top is None or top.score < config.out_of_scope_override:
            return Decision(OUT_OF_SCOPE, [], options)
    if top is None or top.score < config.clarify_threshold:
        return Decision(FALLBACK, [], options)
    runner_up = next((o for o in options[1:] if o.topic != top.topic), None)
    if top.score >= config.answer_threshold and (runner_up is None or top.score - runner_up.score >= config.margin):
        return Decision(ANSWER, [top], options)
    choices = one_per_topic(options, limit=CLARIFY_CHOICES, floor=config.clarify_threshold * 0.5)
    # One plausible topic below the answer threshold becomes a "did you mean ...?" question.
    return Decision(CLARIFY, choices, options)


def one_per_topic(options: Sequence[Option], limit: int, floor: float = float("-inf")) -> List[Option]:
    """The best option of each topic, best first, at most `limit`, stopping at the first below `floor`."""
    best: List[Option] = []
    for option in options:
        if option.score < floor or len(best) == limit:
            break
        if all(option.topic != b.topic for b in best):
            best.append(option)
    return best
