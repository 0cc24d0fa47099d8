"""What a participant is told when staff act on their ticket (queued in the outbox)."""
from __future__ import annotations

import re
from typing import Optional

from core.language import lang_of

STATUS_NAMES = {
    "open": {"id": "menunggu ditangani", "en": "waiting for staff"},
    "in_progress": {"id": "sedang ditangani petugas", "en": "being handled by staff"},
    "waiting_participant": {"id": "menunggu tanggapan Anda", "en": "waiting for your reply"},
    "resolved": {"id": "selesai", "en": "resolved"},
    "closed": {"id": "ditutup", "en": "closed"},
}


def staff_reply(number: str, text: str, lang: Optional[str]) -> str:
    if lang_of(lang) == "en":
        return (f"💬 Staff reply to ticket {number}:\n\n{text}\n\n"
                "To add something to this ticket, reply to this message; other questions you can simply type.")
    return (f"💬 Balasan petugas untuk tiket {number}:\n\n{text}\n\n"
            "Untuk menambahkan keterangan ke tiket ini, balas (reply) pesan ini; pertanyaan lain cukup diketik saja.")


_PARTICIPANT_HEAD = re.compile(r"^(?:💬|ℹ️|✅) (?:Balasan petugas untuk tiket|Staff reply to ticket|Status tiket|"
                               r"Ticket|Tiket) ([A-Z]{2,5}-\d{6})\b")


def ticket_in_participant_notice(text: Optional[str]) -> Optional[str]:
    """The ticket a message to the participant is about (a staff reply or status change), from its first line."""
    match = _PARTICIPANT_HEAD.match(text or "")
    return match.group(1) if match else None


def status_changed(number: str, status: str, note: Optional[str], lang: Optional[str]) -> str:
    lang = lang_of(lang)
    name = STATUS_NAMES.get(status, {}).get(lang, status)
    if status in ("resolved", "closed"):
        head = (f"✅ Ticket {number} has been {name}." if lang == "en" else f"✅ Tiket {number} telah {name}.")
    else:
        head = f"ℹ️ Ticket {number} status: {name}." if lang == "en" else f"ℹ️ Status tiket {number}: {name}."
    if note:
        head += ("\nNote from staff: " if lang == "en" else "\nCatatan petugas: ") + note
    return head


KIND_NAMES = {"complaint": "Pengaduan", "unresolved_question": "Pertanyaan belum terjawab",
              "handoff": "Minta bicara dengan petugas", "negative_feedback": "Jawaban kurang membantu"}


_NOTICE_HEAD = re.compile(r"^(?:🆕|➕) Tiket (\S+) —")


def ticket_in_staff_notice(text: Optional[str]) -> Optional[str]:
    """The ticket number a staff-chat post is about, read from its first line (see staff_notice)."""
    match = _NOTICE_HEAD.match(text or "")
    return match.group(1) if match else None


def participant_added(number: str, text: str, link: str) -> str:
    """The staff-chat post about details a participant added to an open ticket (text already masked)."""
    return "\n".join([f"➕ Tiket {number} — tambahan dari peserta", "", text, "",
                      f"Balas pesan ini untuk menjawab peserta, atau /reply {number} <teks>.", f"Dasbor: {link}"])


def staff_notice(number: str, kind: str, topic: Optional[str], text: str, due: str, link: str) -> str:
    """The post in the staff chat about a new ticket (participant text already masked and clipped)."""
    lines = [f"🆕 Tiket {number} — {KIND_NAMES.get(kind, kind)}"]
    if topic:
        lines.append(f"Topik: {topic}")
    lines += [f"Batas tanggapan: {due}", "", text, "",
              f"Balas pesan ini untuk menjawab peserta, atau /reply {number} <teks>; /resolve {number} [catatan].",
              f"Dasbor: {link}"]
    return "\n".join(lines)
