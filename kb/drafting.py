"""A knowledge-base entry drafted from a ticket: what the participant asked and staff answered, in FAQ form.

The draft saves the admin work and leaves them the judgement:
- question variants: the participant's question first, then up to two more from the same conversation
  (other questions they wrote), else shorter forms of the first; personal numbers removed;
- a title from the question, cut at a word, never mid-word;
- the topic the ticket (or the caller's search) names, and the programs the question or topic names;
- the answer: staff's reply without the greeting, the sign-off, the participant's name and personal
  numbers, the ticket number, and ending with one "Langkah berikutnya:" paragraph when the reply ends
  with an instruction (kb/validation.py's shape);
- no citations: which official source supports the answer is for the admin to name.

Everything goes into the participant's language; the other language is left for the admin.
Plain text functions: no database, no web framework.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional, Sequence

from core.masking import mask_pii
from kb.entry import MAX_ANSWER, MAX_QUESTION, MAX_TITLE
from kb.topics import PROGRAMS, is_kb_topic
from kb.validation import NEXT_STEP

VARIANTS = 3  # the entry needs three Indonesian question variants
TITLE_CHARS = 80
MIN_WORDS = 3  # shorter messages ("masih gagal", "halo min") are not questions to keep

# Openings and closings of a participant's message that are not the question.
_GREETING = re.compile(
    r"^(?:(?:halo|hallo|hai|hi|hello|permisi|assalamu'?alaikum(?: wr\.? ?wb\.?)?|selamat (?:pagi|siang|sore|malam)|"
    r"pagi|siang|sore|malam|min|admin|kak|mas|mbak|bang|pak|bu|good (?:morning|afternoon|evening))\b[\s,.!]*)+",
    re.IGNORECASE)
_ASKING = re.compile(r"^(?:(?:saya|sy|aku)\s+)?(?:mau|ingin|pengen|numpang|izin|ijin|boleh)\s+(?:tanya|nanya|bertanya)\b"
                     r"[\s,:]*|^(?:i\s+)?(?:would like|want|wanted) to ask\b[\s,:]*", re.IGNORECASE)
_PLEA = re.compile(r"[\s,.!]*(?:(?:terima ?kasih|makasih|thx|thanks|thank you|mohon (?:bantuannya|dibantu|infonya)|"
                   r"tolong (?:dibantu|bantu)|please help)\b(?:[\s,.!]*(?:ya|yah|min|kak|banyak|sebelumnya|atas bantuannya)\b)*"
                   r"[\s,.!]*)+$", re.IGNORECASE)
# Messages that ask for a person or say the answer failed: context, not the question.
_NOT_A_QUESTION = re.compile(
    r"^(?:(?:saya )?(?:mau|ingin|minta|pengen) (?:bicara|ngomong|chat|komplain|mengadu|lapor)|"
    r"(?:masih|tetap|tetep) (?:gagal|sama|error|belum)|tidak membantu|ga(?:k)? (?:membantu|ngaruh)|"
    r"sudah (?:dicoba|saya coba)|ok(?:e|ay)?|ya|iya|tidak|bukan|status tiket)\b", re.IGNORECASE)
_QUESTION_WORD = re.compile(
    r"\b(?:apa|apakah|bagaimana|gimana|gmn|kapan|berapa|brp|kenapa|mengapa|knp|dimana|di ?mana|kemana|siapa|bisa|"
    r"bisakah|boleh|cara|syarat|how|what|when|why|where|can|is|are|do|does)\b", re.IGNORECASE)
# Personal numbers (already masked) with the word naming them.
_PERSONAL = re.compile(r"(?:(?:\b(?:no\.?|nomor|nomer)\s+)?\b(?:nik|kpj|no\.?|nomor|nomer|hp|wa|whatsapp|telepon|telp|"
                       r"e-?mail|rekening|rek)\b"
                       r"(?:\s+(?:saya|sy|anda|aku|ku))?\s*:?\s*)?\S*\*{3,}\S*", re.IGNORECASE)
_TICKET = re.compile(r"(?:\b(?:untuk |pada |di |dengan )?(?:nomor |no\.? )?tiket\s+)?\b[A-Z]{2,5}-\d{6}\b[\s,.]*",
                     re.IGNORECASE)

# Staff replies: a greeting or thanks at the start, a sign-off at the end, the participant addressed by name.
_REPLY_OPENING = re.compile(
    r"^(?:(?:selamat (?:pagi|siang|sore|malam)|halo|hai|dear|good (?:morning|afternoon|evening)|hello|hi|"
    r"terima ?kasih (?:telah|sudah|atas)[^.!\n]*|mohon maaf (?:atas|sebelumnya)[^.!\n]*|"
    r"thank you for[^.!\n]*|sorry for[^.!\n]*|baik)[^.!\n]*?[.!,\n]+\s*)+", re.IGNORECASE)
_SIGN_OFF = re.compile(
    r"(?:\n|^|(?<=[.!?])\s)\s*(?:salam(?: hangat)?|hormat kami|terima ?kasih|semoga (?:membantu|bermanfaat)|"
    r"regards|best regards|kind regards|thank you|thanks)\b[^\n]*(?:\n[^\n]{0,60})?\s*$", re.IGNORECASE)
_HONORIFIC_NAME = re.compile(r"\b(?:Bapak|Ibu|Pak|Bu|Sdr\.?|Sdri\.?|Saudara|Saudari|Kak|Mas|Mbak|Mr\.?|Mrs\.?|Ms\.?)"
                             r"(?:\s+[A-Z][\w'.-]*){1,3}")
# An instruction: the participant's next step.
_INSTRUCTION = re.compile(
    r"^(?:silakan|silahkan|mohon|harap|segera|datang|datanglah|kunjungi|hubungi|ajukan|buka|unduh|isi|kirim|bawa|"
    r"cek|periksa|pastikan|lakukan|login|masuk|pilih|klik|tekan|coba|lengkapi|siapkan|please|visit|contact|open|"
    r"download|fill|send|bring|check|make sure|log in|choose|tap|try|prepare|apply)\b", re.IGNORECASE)
_TICKET_NUMBER = re.compile(r"\b[A-Z]{2,5}-\d{6}\b", re.IGNORECASE)
_MASKED = re.compile(r"\*{3,}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_GROUP_PROGRAMS = {p.lower(): p for p in PROGRAMS}


def _tidy(text: str) -> str:
    text = re.sub(r"\s+([,.!?;:])", r"\1", " ".join(text.split()))
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"\b(?:dan|atau|and|or)\s*([,.!?])", r"\1", text)
    return text.strip(" ,;:-")


def clean_question(text: str) -> str:
    """A participant's message as a question variant: greeting, pleas and personal numbers removed."""
    text = _PERSONAL.sub(" ", mask_pii(text or ""))
    text = _TICKET.sub(" ", text)
    text = _PLEA.sub("", _GREETING.sub("", " ".join(text.split())))
    text = _tidy(_ASKING.sub("", _GREETING.sub("", text)))
    return text[:MAX_QUESTION].strip()


def _is_question(text: str) -> bool:
    return len(text.split()) >= MIN_WORDS and not _NOT_A_QUESTION.match(text)


def _questionlike(text: str) -> int:
    return 1 if "?" in text or _QUESTION_WORD.search(text) else 0


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _shorter_forms(question: str) -> List[str]:
    """Shorter ways to ask the same: without the question mark and pronouns, without the question words, and
    the bare content words."""
    plain = _tidy(re.sub(r"\b(?:saya|sy|aku|gue|kok|ya|yah|sih|dong|deh|nih|min|kak|tolong|mohon)\b", " ",
                         question.rstrip("?"), flags=re.IGNORECASE))
    bare = _tidy(re.sub(r"\b(?:apa|apakah|bagaimana|gimana|gmn|caranya|kapan|berapa|kenapa|mengapa|di ?mana|ke ?mana|"
                        r"bisa|bisakah|boleh|how|what|when|why|where|can|do|does|i|my)\b", " ", plain, flags=re.IGNORECASE))
    words = _tidy(re.sub(r"\b(?:untuk|yang|di|ke|dari|dengan|dan|atau|kalau|jika|apa|sudah|belum|ada|itu|ini|"
                         r"the|a|an|to|for|of|in|on|and|or|if|is|are)\b", " ", bare, flags=re.IGNORECASE))
    return [form.lower() for form in (plain, bare, words) if len(form.split()) >= 2]


def question_variants(messages: Sequence[str]) -> List[str]:
    """Up to three distinct variants: the first question-like message, then other questions of the
    conversation (most question-like first, in order), then shorter forms of the first."""
    cleaned: List[str] = []
    for message in messages:
        for line in (message or "").split("\n"):
            text = clean_question(line)
            if _is_question(text) and _key(text) not in {_key(c) for c in cleaned}:
                cleaned.append(text)
    if not cleaned:
        cleaned = [c for c in (clean_question(m) for m in messages) if c][:1]
    if not cleaned:
        return []
    first = next((c for c in cleaned if _questionlike(c)), cleaned[0])
    others = sorted((c for c in cleaned if c != first), key=lambda c: -_questionlike(c))
    variants = [first]
    for candidate in others + _shorter_forms(first):
        if len(variants) == VARIANTS:
            break
        if _key(candidate) and _key(candidate) not in {_key(v) for v in variants}:
            variants.append(candidate)
    return variants


_ACRONYM = re.compile(r"\b(?:jht|jkk|jkm|jp|jkp|jmo|kpj|nik|bpu|pu|ktp|bpjs)\b", re.IGNORECASE)
_CLAUSE = re.compile(r",\s|\s(?:kalau|jika|bila|apabila|tapi|tetapi|padahal|karena|soalnya|if|but|because)\s",
                     re.IGNORECASE)


def title_from(question: str, limit: int = TITLE_CHARS) -> str:
    """A title from the question: capitalised, no question mark; a long one is cut at its first clause
    ("..., kalau ...") or else at a word boundary, never mid-word."""
    text = question.strip().rstrip("?!. ")
    if len(text) > limit:
        clause = _CLAUSE.search(text)
        if clause and len(text[:clause.start()].split()) >= MIN_WORDS and clause.start() <= limit:
            text = text[:clause.start()]
        else:
            text = text[:limit + 1].rsplit(" ", 1)[0]
    text = _ACRONYM.sub(lambda m: m.group(0).upper(), text.rstrip(",;:- "))
    return (text[:1].upper() + text[1:])[:MAX_TITLE]


def _sentences(paragraph: str) -> List[str]:
    return [s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()]


def clean_answer(reply: str, lang: str = "id") -> str:
    """Staff's reply as an FAQ answer: no greeting, sign-off, name, personal number or ticket number, and
    (when the reply ends with an instruction) that instruction as its one next-step paragraph."""
    text = (reply or "").replace("\r\n", "\n").strip()
    text = _HONORIFIC_NAME.sub("Anda" if lang != "en" else "you", text)
    for _ in range(2):  # "Selamat siang Bapak Budi. Terima kasih sudah menghubungi kami. ..."
        text = _REPLY_OPENING.sub("", text.strip())
        text = _SIGN_OFF.sub("", text.strip())
    masked = mask_pii(text)
    # A sentence about this participant's case (their ticket, their numbers) is not part of a general answer.
    paragraphs = [" ".join(s for s in _sentences(" ".join(p.split()))
                           if not _TICKET_NUMBER.search(s) and not _MASKED.search(s))
                  for p in re.split(r"\n\s*\n", masked)]
    paragraphs = [_tidy(p) for p in paragraphs]
    paragraphs = [p[:1].upper() + p[1:] for p in paragraphs if p]
    marker = NEXT_STEP.get(lang, NEXT_STEP["en"])
    if paragraphs and not any(p.startswith(marker) for p in paragraphs):
        last = _sentences(paragraphs[-1])
        if last and _INSTRUCTION.match(last[-1]) and (len(last) > 1 or len(paragraphs) > 1):
            step = last.pop()
            paragraphs[-1] = " ".join(last)
            paragraphs = [p for p in paragraphs if p] + [f"{marker} {step[:1].lower()}{step[1:]}"]
    answer = "\n\n".join(paragraphs)
    if len(answer) > MAX_ANSWER:
        answer = answer[:MAX_ANSWER].rsplit(" ", 1)[0]
    return answer


def programs_in(texts: Iterable[str], topic: Optional[str]) -> List[str]:
    """The programs the question names (JHT, JKK, ...), or the one of the topic's group."""
    found = {p for text in texts for p in PROGRAMS if re.search(rf"\b{p}\b", text or "", re.IGNORECASE)}
    group = (topic or "").split(".", 1)[0]
    if group in _GROUP_PROGRAMS:
        found.add(_GROUP_PROGRAMS[group])
    return [p for p in PROGRAMS if p in found]


def draft_from_ticket(number: str, messages: Sequence[str], staff_reply: str, topic: Optional[str],
                      lang: str = "id") -> Dict[str, Any]:
    """Entry data (not yet valid: English texts and citations are the admin's) for a ticket's question."""
    lang = "en" if lang == "en" else "id"
    other = "id" if lang == "en" else "en"
    variants = question_variants(messages)
    slug = re.sub(r"[^a-z0-9]+", "-", f"draf-{number}".lower()).strip("-")
    return {
        "id": slug[:80],
        "topic": topic if topic and is_kb_topic(topic) else "",
        "title": {lang: title_from(variants[0]) if variants else "", other: ""},
        "questions": {lang: variants, other: []},
        "answer": {lang: clean_answer(staff_reply, lang), other: ""},
        "citations": [],
        "source": "",
        "programs": programs_in(variants, topic),
        "aspects": [],
    }
