"""Telling English from Indonesian in short, informal messages."""
from __future__ import annotations

import re
from typing import Optional

_WORD = re.compile(r"[a-z']+")

ENGLISH = {
    "the", "is", "are", "am", "was", "my", "me", "i", "i'm", "im", "you", "your", "how", "what", "when", "where",
    "why", "which", "who", "can", "could", "would", "should", "do", "does", "did", "don't", "dont", "doesn't",
    "please", "help", "want", "need", "have", "has", "get", "got", "not", "it", "its", "this", "that", "with",
    "from", "for", "to", "of", "and", "or", "in", "on", "at", "after", "before", "still", "yet", "already",
    "thanks", "thank", "hello", "hi", "hey", "yes", "no", "will", "be", "been", "there", "here", "much", "many",
    "long", "work", "job", "company", "money", "account", "received", "receive", "pension", "death", "accident",
    "office", "open", "address", "forgot", "password", "lost", "card", "balance", "withdraw", "claim", "apply",
    "english", "human", "agent", "talk", "speak", "bye", "goodbye", "good", "morning", "afternoon", "evening",
    "app", "keeps", "crashing", "crashed", "can't", "cant", "cannot", "won't", "wont", "working",
}
INDONESIAN = {
    "yang", "saya", "sy", "aku", "gw", "gue", "gimana", "gmn", "bagaimana", "apa", "apakah", "tidak", "tdk", "gak",
    "ga", "gk", "nggak", "enggak", "sudah", "udah", "udh", "sdh", "belum", "blm", "bisa", "bs", "kenapa", "knp",
    "mau", "tolong", "kok", "dong", "ya", "ini", "itu", "di", "ke", "dari", "untuk", "utk", "dengan", "dgn", "kak",
    "min", "berapa", "brp", "kapan", "dimana", "mana", "cara", "caranya", "saldo", "pencairan", "cair", "klaim",
    "lupa", "kata", "sandi", "masuk", "kode", "akun", "kartu", "terima", "kasih", "makasih", "pagi", "siang",
    "sore", "malam", "selamat", "halo", "bapak", "ibu", "mohon", "bantu", "nya", "aja", "saja", "juga", "lagi",
    "kantor", "cabang", "jam", "buka", "syarat", "berkas", "iuran", "peserta", "kerja", "bulan", "tahun", "sama",
    "atau", "dan", "ada", "kalau", "kalo", "tapi", "karena", "sih", "deh", "nih", "dapat", "dapet", "tanya",
    "petugas", "bahasa", "indonesia", "hapus", "batal", "iya", "tidak", "bukan", "benar", "betul", "oke", "sip",
    "nomor", "nomer", "nmr", "telp", "tlp", "telpon", "telepon", "hp", "wa", "rekening", "rek",
}


def detect_language(text: str, default: Optional[str] = "id") -> Optional[str]:
    """'en' or 'id' when the words say so clearly, else `default` (e.g. the conversation's language)."""
    words = _WORD.findall((text or "").lower())
    if not words or (text or "").lstrip().startswith("/"):
        return default
    # "no telp", "no kpj": "no" before a word that is not English is the Indonesian "nomor".
    en = sum(w in ENGLISH and not (w == "no" and i + 1 < len(words) and words[i + 1] not in ENGLISH)
             for i, w in enumerate(words))
    idn = sum(w in INDONESIAN for w in words)
    if en >= 2 and en > 1.5 * idn:
        return "en"
    if en == 1 and idn == 0 and len(words) <= 3 and words[0] in ENGLISH:
        return "en"
    if idn >= 1 and idn >= en:
        return "id"
    return default
