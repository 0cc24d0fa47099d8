"""What the gateway itself says (everything else comes from the assistant)."""
from __future__ import annotations

from core.language import lang_of

TEXTS = {
    "disturbed": {
        "id": "Maaf, layanan kami sedang terganggu. Pesan Anda sudah kami simpan dan akan dijawab otomatis begitu layanan pulih. Tidak perlu mengirim ulang.",
        "en": "Sorry, our service is disturbed. Your message has been kept and will be answered as soon as the service is back. No need to send it again.",
    },
    "rate_limited": {
        "id": "Pesan Anda terlalu banyak dalam waktu singkat. Mohon tunggu sebentar sebelum mengirim lagi.",
        "en": "You are sending messages too fast. Please wait a moment before sending more.",
    },
    "unsupported": {
        "id": "Maaf, saat ini saya hanya bisa membaca pesan teks. Silakan tuliskan pertanyaan Anda. Mohon jangan mengirim foto KTP, kartu, atau dokumen pribadi lain di sini.",
        "en": "Sorry, I can only read text messages for now. Please type your question. Please do not send photos of your ID card or other personal documents here.",
    },
    "edited": {
        "id": "Pesan yang diubah tidak saya proses ulang. Jika ada koreksi, silakan kirim sebagai pesan baru.",
        "en": "I do not process edited messages again. If you want to correct something, please send it as a new message.",
    },
    "help": {
        "id": "Saya asisten otomatis BPJS Ketenagakerjaan. Tulis pertanyaan Anda, atau gunakan perintah:\n/start - salam dan menu\n/status - status tiket Anda (/status {example} untuk satu tiket)\n/bahasa - pilih bahasa\n/hapus - hapus data percakapan Anda\n/help - bantuan ini",
        "en": "I am BPJS Ketenagakerjaan's automated assistant. Type your question, or use a command:\n/start - greeting and menu\n/status - your tickets (/status {example} for one)\n/bahasa - choose a language\n/hapus - delete your conversation data\n/help - this help",
    },
    "language_choose": {"id": "Pilih bahasa:", "en": "Choose a language:"},
    "forget_confirm": {
        "id": "Hapus data percakapan Anda? Riwayat percakapan dan catatan pertanyaan Anda akan dihapus. Tiket yang sudah dibuat tetap tercatat untuk petugas, tetapi isinya disamarkan. Tindakan ini tidak bisa dibatalkan.",
        "en": "Delete your conversation data? Your conversation history and question log will be deleted. Tickets already opened stay on record for staff, with their text masked. This cannot be undone.",
    },
    "forget_done": {
        "id": "Data percakapan Anda sudah dihapus. Terima kasih.",
        "en": "Your conversation data has been deleted. Thank you.",
    },
    "forget_cancelled": {"id": "Penghapusan dibatalkan.", "en": "Deletion cancelled."},
    "forget_failed": {
        "id": "Maaf, penghapusan gagal karena gangguan sistem. Silakan coba lagi nanti.",
        "en": "Sorry, the deletion failed because of a system problem. Please try again later.",
    },
    "button_expired": {
        "id": "Tombol ini sudah tidak berlaku. Silakan tulis pertanyaan Anda.",
        "en": "This button has expired. Please type your question.",
    },
    "staff_only": {"id": "Maaf, perintah ini hanya untuk petugas terdaftar.", "en": "Sorry, this command is for registered staff only."},
    "ticket_unresolvable": {
        "id": "Maaf, pesan Anda belum bisa kami proses. Pesan ini sudah diteruskan ke petugas sebagai tiket {number}.",
        "en": "Sorry, we could not process your message. It has been passed to staff as ticket {number}.",
    },
}

BUTTONS = {
    "yes_forget": {"id": "Ya, hapus data saya", "en": "Yes, delete my data"},
    "cancel": {"id": "Batal", "en": "Cancel"},
}


def t(key: str, lang: str | None, **values) -> str:
    text = TEXTS[key][lang_of(lang)]
    return text.format(**values) if values else text
