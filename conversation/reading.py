"""Reading what a message says about the conversation, from the cue words in cues.yml.

Each reader is a small function of the text: a typed reply to "was this helpful?",
a question or a story, the participant's own case, a complaining tone, a follow-up's
aspect and program. All of them work on normalised words (kb/normalize.py), so
slang and typos the normaliser knows are read like their standard forms.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Collection, Dict, FrozenSet, Optional, Pattern, Sequence, Tuple

import yaml

from kb.normalize import Normalizer, default_normalizer

CUES_FILE = Path(__file__).resolve().parent / "cues.yml"

HELPFUL, UNHELPFUL, STILL_FAILING = "helpful", "unhelpful", "still_failing"
WORKED = "worked"  # the cue group for "it works now", read first


@dataclass(frozen=True)
class Cues:
    aspects: Tuple[Tuple[str, FrozenSet[str]], ...]
    elaborate: FrozenSet[str]
    elaborate_phrases: Tuple[Pattern, ...]
    same_matter: FrozenSet[str]
    vocabulary: FrozenSet[str]  # every follow-up cue word, as written and in normal form ("berhak", "hak")
    connective: FrozenSet[str]
    programs: Dict[str, FrozenSet[str]]
    feedback: Dict[str, Tuple[Pattern, ...]]
    negation: FrozenSet[str]
    personal: Tuple[Pattern, ...]
    aside: Tuple[Pattern, ...]
    persisting: Tuple[Pattern, ...]
    question: Tuple[Pattern, ...]
    failure: Tuple[Pattern, ...]
    praise: Tuple[Pattern, ...]
    complaint_tone: Tuple[Pattern, ...]
    account_topics: FrozenSet[str]
    complaint_request: Tuple[Pattern, ...]
    complaint_wish: Tuple[Pattern, ...]
    ticket_status: Dict[str, FrozenSet[str]]
    person_request: Tuple[Pattern, ...] = ()
    reply_wait: Tuple[Pattern, ...] = ()
    person_alone: Dict[str, FrozenSet[str]] = field(default_factory=dict)
    courtesy: FrozenSet[str] = frozenset()
    refers_back: FrozenSet[str] = frozenset()
    claiming: FrozenSet[str] = frozenset()
    program_stories: Dict[str, Dict[str, Tuple[Pattern, ...]]] = field(default_factory=dict)
    topic_words: Dict[str, FrozenSet[str]] = field(default_factory=dict)
    topics_anywhere: FrozenSet[str] = frozenset()  # topics whose words count in any conversation
    ruled_out_by_story: Dict[str, str] = field(default_factory=dict)  # "bukan kecelakaan kerja": not JKK
    program_as_reason: Dict[str, Tuple[Pattern, ...]] = field(default_factory=dict)  # "karena usia pensiun"
    story_app_words: FrozenSet[str] = frozenset()  # a story names the app with these (else no JMO topics)
    waiting_topics: FrozenSet[str] = frozenset()  # topics whose answer is itself a wait
    what_now: Tuple[Pattern, ...] = ()  # "terus hrs gmn lagi?" after telling that it still fails
    requirement: Tuple[Pattern, ...] = ()  # "hrs pake nik ya?": what the last answer's matter needs
    processing: FrozenSet[str] = frozenset()  # words naming a claim's own processing or money
    aspect_phrases: Tuple[Tuple[str, Tuple[Pattern, ...]], ...] = ()
    topic_phrases: Tuple[Tuple[str, Tuple[Pattern, ...]], ...] = ()
    problem_phrases: Tuple[Tuple[str, Tuple[Pattern, ...]], ...] = ()
    settling_phrases: Tuple[Tuple[str, Tuple[Pattern, ...]], ...] = ()
    named_topics: Tuple[Tuple[str, Tuple[Pattern, ...]], ...] = ()  # topics the message names outright
    phrases_across: FrozenSet[str] = frozenset()  # topic_phrases that also decide over another family's answer
    contested: FrozenSet[FrozenSet[str]] = frozenset()  # sibling pairs whose phrases ask rather than overrule
    respell: Optional[Tuple[Pattern, Dict[str, str]]] = None  # cue-only spellings: (their pattern, word -> form)


def _patterns(items: Sequence) -> Tuple[Pattern, ...]:
    """Compiled patterns; an item may itself be a list (a YAML alias of phrases shared by two lists)."""
    flat = [p for item in items for p in (item if isinstance(item, list) else [item])]
    return tuple(re.compile(p) for p in flat)


def _respelling(spellings: Dict[str, str]) -> Optional[Tuple[Pattern, Dict[str, str]]]:
    forms = {str(k).lower(): str(v) for k, v in spellings.items()}
    if not forms:
        return None
    ordered = sorted(forms, key=len, reverse=True)
    return re.compile(r"(?<![\w])(" + "|".join(re.escape(w) for w in ordered) + r")(?![\w])", re.IGNORECASE), forms


@lru_cache(maxsize=1)
def cues(path: Path = CUES_FILE) -> Cues:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    normalizer = default_normalizer()

    def words(items) -> FrozenSet[str]:
        return frozenset(str(w) for w in items or [])

    def labelled_patterns(key: str) -> Tuple[Tuple[str, Tuple[Pattern, ...]], ...]:
        """A section of label -> patterns (topic or aspect phrases), in the file's order."""
        return tuple((label, _patterns(items)) for label, items in (data.get(key) or {}).items())

    fb = data["feedback"]
    follow_up = [w for items in data["aspects"].values() for w in items] + data["elaborate"] + data["same_matter"] + \
        data["connective"] + \
        [w for items in data["programs"].values() for w in items]
    return Cues(
        aspects=tuple((name, words(items)) for name, items in data["aspects"].items()),
        elaborate=words(data["elaborate"]), elaborate_phrases=_patterns(data.get("elaborate_phrases") or []),
        same_matter=words(data["same_matter"]),
        vocabulary=frozenset(w for item in follow_up for w in (str(item), normalizer.word(str(item)))),
        connective=words(data["connective"]),
        programs={p: words(items) for p, items in data["programs"].items()},
        feedback={k: _patterns(fb[k]) for k in (WORKED, STILL_FAILING, UNHELPFUL, HELPFUL)},
        negation=words(fb["negation"]), personal=_patterns(data["personal"]), aside=_patterns(data["aside"]),
        persisting=_patterns(data["persisting"]), question=_patterns(data["question"]),
        failure=_patterns(data["failure"]), praise=_patterns(data["praise"]),
        complaint_tone=_patterns(data["complaint_tone"]), account_topics=words(data["account_topics"]),
        complaint_request=_patterns(data["complaint_request"]),
        complaint_wish=_patterns(data.get("complaint_wish") or []),
        ticket_status={k: words(v) for k, v in data["ticket_status"].items()},
        person_request=_patterns(data.get("person_request") or []),
        reply_wait=_patterns(data.get("reply_wait") or []),
        person_alone={k: words(v) for k, v in (data.get("person_alone") or {}).items()},
        courtesy=words(data.get("courtesy")),
        refers_back=words(data.get("refers_back")),
        claiming=words(data.get("claiming")),
        topic_phrases=labelled_patterns("topic_phrases"), problem_phrases=labelled_patterns("problem_phrases"),
        settling_phrases=labelled_patterns("settling_phrases"),
        named_topics=labelled_patterns("named_topics"),
        phrases_across=words(data.get("topic_phrases_across")),
        contested=frozenset(frozenset(pair) for pair in data.get("topic_phrases_contested") or []),
        respell=_respelling(data.get("cue_spellings") or {}),
        aspect_phrases=labelled_patterns("aspect_phrases"),
        topic_words={t: words(items) for t, items in {**(data.get("topic_words") or {}),
                                                      **(data.get("topic_words_anywhere") or {})}.items()},
        topics_anywhere=frozenset(data.get("topic_words_anywhere") or {}),
        program_stories={p: {k: _patterns(story.get(k) or []) for k in ("told", "because", "ruled_out", "unless")}
                         for p, story in (data.get("program_stories") or {}).items()},
        ruled_out_by_story={p: str(story["rules_out"]) for p, story in (data.get("program_stories") or {}).items()
                            if story.get("rules_out")},
        story_app_words=words(data.get("story_app_words")),
        waiting_topics=words(data.get("waiting_topics")), processing=words(data.get("processing")),
        what_now=_patterns(data.get("what_now") or []),
        requirement=_patterns(data.get("requirement") or []),
        program_as_reason={p: _patterns(items) for p, items in (data.get("program_as_reason") or {}).items()},
    )


def plain(text: str, normalizer: Optional[Normalizer] = None) -> str:
    """The message as normalised words joined by spaces (what the patterns of cues.yml match), after the cue-only
    spellings ("ngk bisa" reads as "tidak bisa", then as "gagal")."""
    return " ".join((normalizer or default_normalizer()).words(respelt(text or "")))


# "berkas2nya": a word doubled with "2" and a suffix, which the normaliser leaves whole ("berkas2" it reads).
_DOUBLED_WITH_SUFFIX = re.compile(r"\b([a-z]{3,})2(nya|mu|ku)\b", re.IGNORECASE)


def _undoubled(text: str) -> str:
    return _DOUBLED_WITH_SUFFIX.sub(lambda m: f"{m.group(1)} {m.group(1)}{m.group(2)}", text)


def respelt(text: str) -> str:
    """The message with the spellings of cues.yml `cue_spellings` replaced, case ignored, and a doubled word with a
    suffix written out ("berkas2nya": "berkas berkasnya")."""
    text = _undoubled(text)
    respell = cues().respell
    if respell is None:
        return text
    pattern, forms = respell
    return pattern.sub(lambda m: forms[m.group(1).lower()], text)


def _any(patterns: Sequence[Pattern], text: str) -> bool:
    return any(p.search(text) for p in patterns)


# ---- typed replies to the assistant's own questions ------------------------------------
def read_feedback(text: str) -> Optional[str]:
    """A typed reply to "was this helpful?": still failing, unhelpful, helpful, or None (not a reply)."""
    words = plain(text)
    if not words:
        return None
    c = cues()
    worked = _found(c.feedback[WORKED], words, c.negation)
    said_unhelpful = _any(c.feedback[UNHELPFUL], words)
    if worked == HELPFUL and not said_unhelpful:  # "jawabannya ga membantu, … udh sy lakuin dan berhasil": a step
        return HELPFUL
    if worked == UNHELPFUL or _any(c.feedback[STILL_FAILING], words):
        return STILL_FAILING
    if said_unhelpful:
        return UNHELPFUL
    return _found(c.feedback[HELPFUL], words, c.negation)


def _found(patterns: Sequence[Pattern], words: str, negation: FrozenSet[str]) -> Optional[str]:
    """HELPFUL for the first pattern found, UNHELPFUL when a negation comes just before it ("belum berhasil")."""
    for pattern in patterns:
        match = pattern.search(words)
        if match:
            # "tidak ada yang berhasil": the negation may stand before "ada yang".
            before = [w for w in words[:match.start()].split() if w not in ("ada", "yang", "pun")][-2:]
            return UNHELPFUL if negation & set(before) else HELPFUL
    return None


_YES = {"ya", "iya", "iy", "yoi", "yup", "boleh", "mau", "oke", "ok", "okay", "baik", "silakan", "tolong", "yes",
        "sure", "please", "lanjut", "setuju", "bisa"}
_NO = {"tidak", "jangan", "no", "nope", "enggak", "gausah", "nanti", "batal", "ndak"}


def yes_or_no(text: str) -> Optional[bool]:
    """A short typed answer to a yes/no question: True ("iya tolong"), False ("ga usah"), or None."""
    words = plain(text).split()
    if not words or len(words) > 4:
        return None
    if words[0] in _NO or words[:2] in (["tidak", "usah"], ["tidak", "perlu"]):
        return False
    return True if words[0] in _YES else None


_ORDINALS = {"1": 0, "satu": 0, "pertama": 0, "first": 0,
             "2": 1, "dua": 1, "kedua": 1, "second": 1, "two": 1,
             "3": 2, "tiga": 2, "ketiga": 2, "third": 2, "three": 2,
             "4": 3, "empat": 3, "keempat": 3, "fourth": 3, "four": 3}


def pick_ordinal(text: str, count: int) -> Optional[int]:
    """"yang kedua", "no 2", "the first one" -> an index of the offered options, else None."""
    words = plain(text).split()
    if not words or len(words) > 4:
        return None
    picks = [_ORDINALS[w] for w in words if w in _ORDINALS]
    if len(picks) == 1 and picks[0] < count:
        return picks[0]
    return None


# ---- what kind of message it is ------------------------------------------------------
def is_question(text: str) -> bool:
    return _any(cues().question, plain(text)) or "?" in (text or "")


def is_personal(text: str) -> bool:
    """The participant's own case: first person, identifying numbers, how long they have waited."""
    return _any(cues().personal, plain(text))


def asks_for_person(text: str) -> bool:
    """"hubungkan ke cs", "I want to talk to a human", "petugas dong, jgn robot": the participant asks for
    staff in so many words."""
    words = plain(text)
    if _any(cues().person_request, words):
        return True
    group = cues().person_alone
    said = words.split()
    return bool(group) and any(w in group["person"] for w in said) and \
        all(w in group["person"] or w in group["also"] for w in said)


_OPENING = re.compile(r"^\s*([^.!?,;:\n]+)[.!?,;:\n]+\s*(\S.*)$", re.DOTALL)
MAX_ASIDE_OPENING = 6  # "eh gak jadi deh", "actually quick question first": an opening, not the question


def _opening(text: str) -> Optional[Tuple[str, str]]:
    """The first clause of a message and the rest, when there is a rest."""
    match = _OPENING.match(text or "")
    return (plain(match.group(1)), match.group(2).strip()) if match else None


def after_courtesy(text: str) -> Optional[str]:
    """"makasih. bikinin pantun dong" -> "bikinin pantun dong": what a message says after a courtesy that
    opens it, or None when it does not open with one (or says nothing else)."""
    split = _opening(text)
    if split is None:
        return None
    courtesy = cues().courtesy
    opening, rest = split[0].split(), split[1]
    if not opening or not all(w in courtesy for w in opening):
        return None
    return rest if any(w not in courtesy for w in plain(rest).split()) else None


def after_aside(text: str) -> Optional[str]:
    """"ga jadi deh, nanya aja: iuran bpu brp?" -> "iuran bpu brp?": the question after the openings that
    announce an aside, or None when the message does not open with one."""
    rest = None
    split = _opening(text)
    while split is not None and len(split[0].split()) <= MAX_ASIDE_OPENING and _any(cues().aside, split[0]):
        rest = split[1]
        split = _opening(rest)
    return rest


def is_aside(text: str) -> bool:
    """"btw", "satu lagi", "a general question": a question beside the matter at hand."""
    return _any(cues().aside, plain(text))


def persists(text: str) -> bool:
    """The message says the problem goes on ("masih", "tetap", "belum", "gagal lagi", "still")."""
    return read_feedback(text) == STILL_FAILING or _any(cues().persisting, plain(text))


def asks_what_now(text: str) -> bool:
    """"terus hrs gmn lagi?", "solusinya apa?", "what now?": what to do, the last answer not having settled it."""
    return _any(cues().what_now, plain(text))


def asks_requirement(text: str) -> bool:
    """"hrs pake nik ktp ya?", "do I really need an email for it?": what something needs, nothing told to have failed."""
    return _any(cues().requirement, plain(text))


def complaining(text: str) -> bool:
    return _any(cues().complaint_tone, plain(text)) or "!!" in (text or "")


def is_waiting_topic(topic: Optional[str]) -> bool:
    """The topic's answer is itself a wait (the branch's queue, JHT's month after leaving work)."""
    return topic in cues().waiting_topics


def is_account_topic(topic: Optional[str]) -> bool:
    return bool(topic) and topic in cues().account_topics


def names_failure(text: str) -> bool:
    return _any(cues().failure, plain(text))


def praise_or_venting(text: str) -> bool:
    return _any(cues().praise, plain(text))


def asks_to_complain(text: str) -> bool:
    """"saya mau komplain", "I want to file a complaint": an explicit request, not only a complaining tone."""
    return _any(cues().complaint_request, plain(text))


def wishes_to_complain(text: str) -> bool:
    """"sy mau buat pengaduan", "I want to file a complaint": a wish to complain said outright (not "lapor", which is
    also how a work accident is reported)."""
    return _any(cues().complaint_wish, plain(text))


def asks_ticket_status(text: str) -> bool:
    """"status tiket", "tiket sy gmn?", "cek aduan MDK-000001": a short question after one's own ticket."""
    group = cues().ticket_status
    raw = plain(text).split()
    # A ticket number ("mdk 000001" once normalised) is neither a ticket word nor a status word.
    words = [w for i, w in enumerate(raw)
             if not w.isdigit() and not (i + 1 < len(raw) and raw[i + 1].isdigit() and 2 <= len(w) <= 5)]
    if not words or len(words) > 6:
        return False
    allowed = group["tickets"] | group["status"] | group["filler"]
    return all(w in allowed for w in words) and any(w in group["tickets"] for w in words) \
        and any(w in group["status"] for w in words)


def asks_when_answered(text: str) -> bool:
    """"kapan dibalas?", "when will someone reply?": with a ticket open, a question about that ticket."""
    words = plain(text)
    return len(words.split()) <= 10 and _any(cues().reply_wait, words)


def _without_complaint_request(words: str) -> str:
    """Normalised words with the ways of asking to complain taken out."""
    for pattern in cues().complaint_request:
        words = pattern.sub(" ", words)
    return words


def only_asks_to_complain(text: str) -> bool:
    """"lapor kak", "mau ngadu min": a request to complain and nothing else ("lapor kecelakaan kerja" is more)."""
    words = plain(text)
    if not _any(cues().complaint_request, words):
        return False
    rest = _without_complaint_request(words).split()
    return all(w in cues().courtesy or w in cues().person_alone.get("also", ()) for w in rest)


def complaint_story(text: str, min_words: int = 4) -> Optional[str]:
    """The story in a message that asks to complain ("mau komplain, klaim sy 2 bln blm cair" -> the story),
    or None when the message only asks to complain."""
    content = [w for w in default_normalizer().tokens(_without_complaint_request(plain(text))) if not w.isdigit()]
    return text.strip() if len(content) >= min_words else None


# ---- follow-ups ----------------------------------------------------------------------
@dataclass(frozen=True)
class FollowUpCues:
    aspect: Optional[str]  # the aspect asked about ("documents"), if any
    programs: Tuple[str, ...]  # programs named in the message
    elaborate: bool  # "kenapa?", "maksudnya?": more about the last answer
    same_matter: bool  # "bisa ajukan ulang?", "bisa diwakilin?": the last answer's matter once more
    leans_on_context: bool  # nothing else: the message cannot stand alone
    told_by_story: bool = False  # `programs` are what the story tells (cues.yml program_stories), none named
    aspect_phrased: bool = False  # `aspect` is asked by a whole phrase ("ahli warisnya dapet apa aja?"), not one word
    claims: bool = False  # asks to claim a benefit ("mau cairin", "withdraw")
    refers_back: bool = False  # a verb carrying "-nya" does the last answer's matter ("benerinnya dmn?")
    names_app: bool = False  # the app is named (cues.yml story_app_words)
    processing: bool = False  # names the claim's own processing or money (cues.yml processing)

    @property
    def any(self) -> bool:
        return bool(self.aspect or self.programs or self.elaborate or self.same_matter)


_ELAPSED = re.compile(r"\d+\s*(hari|hr|minggu|mgg|bulan|bln|tahun|thn|days?|weeks?|months?|years?)\b"
                      r"|\b(minggu|mgg|bulan|bln|tahun|thn|hari|hr)\s+(lalu|kemarin|kemaren|kmrn|yang lalu|yg lalu)\b"
                      r"|\blast\s+(week|month|year)\b|\b(a|one|two|few|several)\s+(days?|weeks?|months?|years?)\s+ago\b",
                      re.IGNORECASE)


def topics_named(text: str, families: Optional[Collection[str]] = None,
                 normalizer: Optional[Normalizer] = None) -> Tuple[str, ...]:
    """Topics whose own words the message uses (cues.yml topic_words), e.g. "lapor" for reporting an accident;
    with `families`, only topics of those families ("jkk", "service") and the topics asked about anywhere."""
    c = cues()
    tokens = set((normalizer or default_normalizer()).tokens(text or ""))
    return tuple(topic for topic, words in c.topic_words.items() if words & tokens and
                 (families is None or topic.split(".")[0] in families or topic in c.topics_anywhere))


def topic_phrased(text: str) -> Optional[str]:
    """The topic a phrase of the message decides for among its siblings ("pembayaran gagal": the bank account)."""
    return _phrased(cues().topic_phrases, text)


def contested(answered: str, phrased: str) -> bool:
    """Whether a phrase of `phrased` asks rather than overrules an answer of `answered` (cues.yml
    topic_phrases_contested)."""
    return frozenset((answered, phrased)) in cues().contested


def decides_across(topic: str) -> bool:
    """Whether the topic's phrases decide over an answer of another family too (cues.yml topic_phrases_across)."""
    return topic in cues().phrases_across


def problem_phrased(text: str) -> Optional[str]:
    """The topic of a concrete problem a phrase of the message tells ("ko gak bisa di buka": the app's errors)."""
    return _phrased(cues().problem_phrases, text)


def named_topic(text: str) -> Optional[str]:
    """A topic the message names outright ("pengkinian data": the data update; cues.yml named_topics)."""
    return _phrased(cues().named_topics, text)


def settling_phrased(text: str) -> Optional[str]:
    """The topic a phrase precise enough to settle "which one?" tells, even among other options ("salah sandi")."""
    return _phrased(cues().settling_phrases, text)


def _phrased(phrases: Tuple[Tuple[str, Tuple[Pattern, ...]], ...], text: str) -> Optional[str]:
    """_first_phrased over the message's normalised words (not normalised when there are no phrases)."""
    return _first_phrased(phrases, plain(text)) if phrases else None


def _first_phrased(phrases: Tuple[Tuple[str, Tuple[Pattern, ...]], ...], words: str) -> Optional[str]:
    """The label of the first phrase list one of whose patterns the normalised words match."""
    return next((label for label, patterns in phrases if _any(patterns, words)), None)


def story_programs(text: str) -> Tuple[str, ...]:
    """Programs the story tells without naming them ("bapak meninggal krn sakit" is JKM's; cues.yml)."""
    return _story_programs(plain(text))


def _story_programs(words: str) -> Tuple[str, ...]:
    found = []
    for program, story in cues().program_stories.items():
        if not _any(story["told"], words) or not _any(story["because"] + story["ruled_out"], words):
            continue
        rest = words
        for pattern in story["ruled_out"]:
            rest = pattern.sub(" ", rest)
        if not _any(story["unless"], rest):
            found.append(program)
    return tuple(found)


def _only_a_reason(program: str, programs: Sequence[str], words: Sequence[str], c: Cues) -> bool:
    """"klaim jht karena usia pensiun": JP's word is the reason for another program's claim, not JP named."""
    return len(programs) > 1 and program.lower() not in words and _any(c.program_as_reason.get(program, ()),
                                                                        " ".join(words))


def follow_up_cues(text: str, entity_programs: Sequence[str] = (),
                   normalizer: Optional[Normalizer] = None) -> FollowUpCues:
    """What a message asks if it leans on the previous turn: an aspect, a program, or "why"."""
    normalizer = normalizer or default_normalizer()
    c = cues()
    text = _undoubled(text or "")
    words = normalizer.words(text)
    token_list = normalizer.tokens(text)
    tokens = set(token_list) | set(words)
    # "udh diajukan 10 hari, cek statusnya gmn?": time that has passed is told, not asked about.
    told = _ELAPSED.sub(" ", text)
    asked = tokens if told == text else set(normalizer.tokens(told)) | set(normalizer.words(told))
    phrased = " ".join(words) if told == text else plain(told, normalizer)
    by_phrase = _first_phrased(c.aspect_phrases, phrased)
    aspect = by_phrase or next((name for name, cue in c.aspects if cue & asked), None)
    programs = [p.upper() for p in entity_programs]
    programs += [p for p, cue in c.programs.items() if cue & tokens and p not in programs]
    by_story = _story_programs(" ".join(words))
    # "meninggal krn sakit, bukan kecelakaan kerja" names JKK only to rule it out.
    programs = [p for p in programs if p not in {c.ruled_out_by_story.get(t) for t in by_story}] or list(by_story)
    programs = [p for p in programs if not _only_a_reason(p, programs, words, c)]
    referring = {w for w in token_list if w in c.refers_back and any(x.endswith("nya") and w in x for x in words)}
    own = [w for w in token_list if w not in c.vocabulary and not w.isdigit() and w not in referring]
    elaborate = bool(c.elaborate & tokens) or _any(c.elaborate_phrases, phrased)
    same_matter = bool(c.same_matter & tokens) and "ulang tahun" not in " ".join(words)  # a birthday is not a redo
    return FollowUpCues(aspect, tuple(programs), elaborate, same_matter,
                        leans_on_context=not own and len(words) <= 12,
                        told_by_story=bool(by_story) and tuple(programs) == by_story,
                        aspect_phrased=by_phrase is not None, claims=bool(c.claiming & tokens),
                        refers_back=bool(referring), names_app=bool(c.story_app_words & tokens),
                        processing=bool(c.processing & tokens))
