"""The SERVQUAL rules: which service-quality dimension a participant's feedback or complaint is about.

A transparent rule set over ticket kinds, topic codes and words (monitoring/servqual.yml explains
it and is the default); admins edit it in the dashboard, their version kept in the database
(`ServqualRules`), the file applying until the first edit and again after a reset. `classify` places
one item: by its words first, then its topic, then its ticket kind, and says which rule matched.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Collection, Dict, List, Optional, Pattern, Sequence, Tuple

import yaml
from sqlalchemy import select

from accounts import audit
from core.db import Database, utcnow
from core.language import LANGUAGES
from monitoring.models import ServqualRulesRow
from monitoring.tickets import KINDS

DIMENSIONS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
RULES_FILE = Path(__file__).resolve().with_name("servqual.yml")
BY_WORD, BY_TOPIC, BY_KIND = "word", "topic", "kind"
MAX_WORDS = 300
MAX_WORD_LENGTH = 60
_WORD = re.compile(r"^[\w][\w' -]*\*?$")
_TOPIC = re.compile(r"^[a-z_]+(\.[a-z_]+)?(\.\*)?$|^[a-z_]+\.\*$")


class RulesError(ValueError):
    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class DimensionRule:
    code: str
    kinds: Tuple[str, ...] = ()
    topics: Tuple[str, ...] = ()  # topic codes, or "group.*"
    words: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()  # (language, words)

    def words_in(self, lang: str) -> Tuple[str, ...]:
        return dict(self.words).get(lang, ())

    @property
    def all_words(self) -> Tuple[str, ...]:
        """Every language's words, each once."""
        return tuple(dict.fromkeys(w for _, words in self.words for w in words))


@dataclass(frozen=True)
class Rules:
    dimensions: Tuple[DimensionRule, ...]
    source: str = "file"  # "file", or "dashboard" when an admin's version applies
    changed_by: Optional[str] = None
    changed_at: Optional[dt.datetime] = None

    def rule(self, code: str) -> DimensionRule:
        return next(d for d in self.dimensions if d.code == code)

    def to_dict(self) -> Dict[str, Any]:
        return {"version": 1, "dimensions": {
            d.code: {"kinds": list(d.kinds), "topics": list(d.topics), "words": {lang: list(w) for lang, w in d.words}}
            for d in self.dimensions}}


def _strings(value: Any, where: str, problems: List[str]) -> List[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        problems.append(f"{where}: expected a list of texts")
        return []
    out: List[str] = []
    for v in value:
        text = " ".join(str(v).split()).lower()
        if text and text not in out:
            out.append(text)
    return out


def parse_rules(data: Any, known_topics: Optional[Collection[str]] = None, source: str = "file",
                changed_by: Optional[str] = None, changed_at: Optional[dt.datetime] = None) -> Rules:
    """Rules from their mapping form (the YAML file's, or an admin's); RulesError lists every problem.

    `known_topics`, when given, are the topic codes a rule may name (a "group.*" must match one)."""
    problems: List[str] = []
    dimensions = (data or {}).get("dimensions") if isinstance(data, dict) else None
    if not isinstance(dimensions, dict):
        raise RulesError(["the rules need a 'dimensions' mapping"])
    unknown = [d for d in dimensions if d not in DIMENSIONS]
    if unknown:
        problems.append(f"unknown dimensions: {', '.join(map(str, unknown))} (allowed: {', '.join(DIMENSIONS)})")
    parsed = []
    for code in DIMENSIONS:
        spec = dimensions.get(code) or {}
        if not isinstance(spec, dict):
            problems.append(f"{code}: expected kinds, topics and words")
            spec = {}
        kinds = _strings(spec.get("kinds"), f"{code}.kinds", problems)
        problems += [f"{code}: unknown ticket kind {k!r} (known: {', '.join(KINDS)})" for k in kinds if k not in KINDS]
        topics = _strings(spec.get("topics"), f"{code}.topics", problems)
        for topic in topics:
            if not _TOPIC.match(topic):
                problems.append(f"{code}: {topic!r} is not a topic code or 'group.*'")
            elif known_topics is not None and not any(fnmatch.fnmatchcase(t, topic) for t in known_topics):
                problems.append(f"{code}: no topic {topic!r} in the knowledge base's topic list")
        words_spec = spec.get("words") or {}
        if not isinstance(words_spec, dict):
            problems.append(f"{code}.words: expected a list per language ({', '.join(LANGUAGES)})")
            words_spec = {}
        problems += [f"{code}.words: unknown language {lang!r}" for lang in words_spec if lang not in LANGUAGES]
        words = []
        for lang in LANGUAGES:
            listed = _strings(words_spec.get(lang), f"{code}.words.{lang}", problems)
            for word in listed:
                if len(word) > MAX_WORD_LENGTH or not _WORD.match(word) or word.count("*") > 1:
                    problems.append(f"{code}: {word!r} is not a word or phrase (letters, digits, spaces, ' and -; "
                                    f"a final * for 'starts with'; at most {MAX_WORD_LENGTH} characters)")
            if len(listed) > MAX_WORDS:
                problems.append(f"{code}.words.{lang}: at most {MAX_WORDS} words")
            words.append((lang, tuple(listed)))
        parsed.append(DimensionRule(code, tuple(kinds), tuple(topics), tuple(words)))
    if problems:
        raise RulesError(problems)
    return Rules(tuple(parsed), source, changed_by, changed_at)


def load_file(path: Path = RULES_FILE) -> Rules:
    return parse_rules(yaml.safe_load(path.read_text(encoding="utf-8")))


# ---- placing an item ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    """One piece of feedback or a complaint from a participant."""

    source: str  # complaint, unhelpful_answer (a ticket), answer_feedback, satisfaction
    text: str
    at: dt.datetime
    kind: Optional[str] = None  # the ticket's kind, when there is a ticket
    topic: Optional[str] = None
    ticket: Optional[str] = None
    rating: Optional[int] = None  # satisfaction items


@dataclass(frozen=True)
class Match:
    dimension: str
    by: str  # word, topic or kind
    rule: str  # the word, topic pattern or kind that matched


@dataclass(frozen=True)
class Placed:
    item: Item
    matches: Tuple[Match, ...]

    @property
    def dimensions(self) -> Tuple[str, ...]:
        return tuple(dict.fromkeys(m.dimension for m in self.matches))

    def reasons(self, dimension: str) -> Tuple[Match, ...]:
        return tuple(m for m in self.matches if m.dimension == dimension)


@lru_cache(maxsize=4096)
def _word_pattern(word: str) -> Pattern[str]:
    prefix = word.endswith("*")
    parts = [re.escape(p) for p in word.rstrip("*").split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + (r"\w*" if prefix else "") + r"(?!\w)")


def words_in(text: str, words: Sequence[str]) -> List[str]:
    """The words (and phrases) of `words` that occur in `text`."""
    low = " ".join((text or "").lower().split())
    return [w for w in words if _word_pattern(w).search(low)]


def classify(item: Item, rules: Rules) -> Placed:
    """Place an item in the dimensions its words name; failing that, its topic's; failing that, its kind's."""
    by_word = [Match(d.code, BY_WORD, w) for d in rules.dimensions for w in words_in(item.text, d.all_words)]
    if by_word:
        return Placed(item, tuple(by_word))
    by_topic = [Match(d.code, BY_TOPIC, t) for d in rules.dimensions for t in d.topics
                if item.topic and fnmatch.fnmatchcase(item.topic, t)]
    if by_topic:
        return Placed(item, tuple(by_topic))
    return Placed(item, tuple(Match(d.code, BY_KIND, item.kind) for d in rules.dimensions
                              if item.kind and item.kind in d.kinds))


@dataclass(frozen=True)
class DimensionCount:
    dimension: str
    items: int
    negative: int  # complaints, unhelpful answers, ratings 1-2
    positive: int  # ratings 4-5


def is_negative(item: Item) -> bool:
    return item.rating is None or item.rating <= 2


def is_positive(item: Item) -> bool:
    return item.rating is not None and item.rating >= 4


def counts(placed: Sequence[Placed]) -> List[DimensionCount]:
    """Items per dimension (an item may count in several), of which negative and positive."""
    out = []
    for code in DIMENSIONS:
        mine = [p.item for p in placed if code in p.dimensions]
        out.append(DimensionCount(code, len(mine), sum(1 for i in mine if is_negative(i)),
                                  sum(1 for i in mine if is_positive(i))))
    return out


# ---- the admins' version -------------------------------------------------------------------------
class ServqualRules:
    """The rules in force: the latest admin version in the database, else the file."""

    def __init__(self, db: Database, path: Path = RULES_FILE):
        self.db = db
        self.path = path

    def current(self) -> Rules:
        with self.db.session() as s:
            row = s.execute(select(ServqualRulesRow).order_by(ServqualRulesRow.id.desc()).limit(1)).scalar_one_or_none()
        if row is None or row.rules is None:
            return load_file(self.path)
        return parse_rules(row.rules, source="dashboard", changed_by=row.changed_by, changed_at=row.changed_at)

    def save(self, rules: Rules, actor: str, source: str = "dashboard") -> Rules:
        """An admin's version, audited in the same transaction."""
        now = utcnow()
        with self.db.session() as s:
            s.add(ServqualRulesRow(rules=rules.to_dict(), changed_by=actor, changed_at=now))
            audit.add(s, actor, "servqual_rules_changed", "servqual", None, source, now)
        return Rules(rules.dimensions, "dashboard", actor, now)

    def reset(self, actor: str, source: str = "dashboard") -> Rules:
        """Back to the version-controlled file (the admin versions stay as history)."""
        now = utcnow()
        with self.db.session() as s:
            s.add(ServqualRulesRow(rules=None, changed_by=actor, changed_at=now))
            audit.add(s, actor, "servqual_rules_changed", "servqual", "reset to the file", source, now)
        return load_file(self.path)
