"""Indonesian labels for codes shown to staff, and small display formatters (Jinja filters)."""
from __future__ import annotations

import datetime as dt
from typing import Optional
from zoneinfo import ZoneInfo

from branch.profile import TZ_ABBREVIATIONS

STATUS = {
    "open": "Baru", "in_progress": "Sedang ditangani", "waiting_participant": "Menunggu peserta",
    "resolved": "Selesai", "closed": "Ditutup",
}
KIND = {
    "complaint": "Pengaduan", "unresolved_question": "Pertanyaan belum terjawab",
    "handoff": "Minta petugas", "negative_feedback": "Jawaban kurang membantu",
}
SLA = {"on_time": "Tepat waktu", "due_soon": "Segera jatuh tempo", "overdue": "Terlambat"}
OUTCOME = {
    "answered": "Dijawab dari basis pengetahuan", "clarified": "Diminta memilih (klarifikasi)",
    "fallback": "Tidak dipahami (fallback)", "out_of_scope": "Di luar layanan", "ticket": "Menjadi tiket",
    "dialogue": "Sapaan / langkah dialog",
}
EVENT = {"created": "Tiket dibuat", "status": "Status diubah", "reply": "Balasan petugas", "note": "Catatan",
         "assigned": "Penanganan", "participant_message": "Tambahan dari peserta"}
ASPECT = {"eligibility": "Syarat / kapan bisa klaim", "documents": "Dokumen", "apply": "Cara mengajukan",
          "online": "Lewat online (JMO, Lapak Asik, SIAPkerja)", "duration": "Lama proses / batas waktu",
          "amount": "Manfaat / besaran", "status": "Status klaim berjalan"}
DELIVERY = {"staff_reply": "Balasan petugas", "status_change": "Perubahan status", "resolution": "Penyelesaian",
            "notice": "Pemberitahuan"}
ROLE = {"staff": "Petugas", "admin": "Admin"}
DEADLINE = {"response": "tanggapan pertama", "resolution": "penyelesaian"}
DAYS = {"mon": "Senin", "tue": "Selasa", "wed": "Rabu", "thu": "Kamis", "fri": "Jumat", "sat": "Sabtu",
        "sun": "Minggu"}
AUDIT = {
    "login": "Masuk", "logout": "Keluar", "login_failed": "Gagal masuk", "account_locked": "Akun dikunci",
    "login_refused_locked": "Masuk ditolak (terkunci)", "login_refused_inactive": "Masuk ditolak (nonaktif)",
    "user_created": "Akun dibuat", "password_reset": "Kata sandi direset", "password_changed": "Kata sandi diganti",
    "telegram_set": "ID Telegram diatur", "telegram_cleared": "ID Telegram dihapus", "role_changed": "Peran diubah",
    "user_activated": "Akun diaktifkan", "user_deactivated": "Akun dinonaktifkan",
    "pii_revealed": "Data pribadi dibuka", "ticket_reply": "Balasan tiket", "ticket_status": "Status tiket",
    "ticket_assigned": "Penanganan tiket", "faq_suggested": "Usulan FAQ", "faq_drafted": "Draf FAQ dari tiket",
    "kb_created": "Entri dibuat", "kb_edited": "Entri diubah", "kb_published": "Entri diterbitkan",
    "kb_deactivated": "Entri dinonaktifkan", "kb_restored": "Entri dipulihkan", "kb_imported": "Impor YAML",
    "kb_exported": "Ekspor YAML", "branch_profile_changed": "Profil cabang diubah",
    "staff_command_refused": "Perintah Telegram ditolak",
}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def local_time(at_utc: Optional[dt.datetime], timezone: str, with_date: bool = True) -> str:
    """A naive-UTC time as the branch reads it: '30 Nov 2026 10.00 WIB'."""
    if at_utc is None:
        return "–"
    local = at_utc.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo(timezone))
    tz = TZ_ABBREVIATIONS.get(timezone, timezone)
    clock = f"{local:%H.%M}"
    if not with_date:
        return f"{clock} {tz}"
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} {clock} {tz}"


def from_timestamp(value) -> Optional[dt.datetime]:
    """A Unix timestamp (as Rasa stores them) as naive UTC; None when it is not one."""
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromtimestamp(float(value), dt.timezone.utc).replace(tzinfo=None)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def percent(value: Optional[float]) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def hours(value: Optional[float]) -> str:
    if value is None:
        return "–"
    text = f"{value:.1f}".replace(".", ",")
    return f"{text[:-2] if text.endswith(',0') else text} jam kerja"


def label(mapping: dict, code: Optional[str]) -> str:
    if code is None:
        return "–"
    return mapping.get(code, code)
