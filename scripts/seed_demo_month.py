#!/usr/bin/env python
"""Seed a realistic, made-up month (and the month before it) for the monthly review's demo and screenshots.

Never real participant data: every participant id, message, complaint, comment and time below is generated
from the lists in this file with a fixed random seed, so the same command gives the same month.

    .venv/bin/python scripts/seed_demo_month.py --database-url sqlite:///var/demo-review.db --month 2026-10 --fresh

It migrates the database, loads the knowledge base (kb/content) and the branch profile, and writes for the
month and the one before: participants' questions through the day (busiest on weekday mornings and in the
evening), tickets of every kind with staff replies and resolutions in working hours (some late), answer
feedback, satisfaction ratings with comments, and the improvement actions of the previous month's review
(one of them with a knowledge-base change, whose effect shows in the month's OTP tickets) and of this one.
Refuses a database that already holds tickets unless --fresh (SQLite file removed first) or --force.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from dataclasses import replace
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, update  # noqa: E402

from branch.profile import BRANCHES_DIR, BranchProfile  # noqa: E402
from branch.store import BranchStore  # noqa: E402
from core.db import Database  # noqa: E402
from core.migrate import upgrade  # noqa: E402
from kb.content import read_entries  # noqa: E402
from kb.models import KbEntryRow, KbRevisionRow  # noqa: E402
from kb.store import LOADER, KbStore  # noqa: E402
from monitoring.improvements import ImprovementActions  # noqa: E402
from monitoring.models import FeedbackRow, ImprovementActionRow, TicketRow, TurnRow  # noqa: E402
from monitoring.review import Month  # noqa: E402
from monitoring.satisfaction import SatisfactionSurvey  # noqa: E402
from monitoring.service_time import add_working_hours  # noqa: E402
from monitoring.tickets import TicketService  # noqa: E402

STAFF = ("rina.cs", "budi.pelayanan", "sari.cs", "andi.cs")
HOUR_WEIGHTS = (0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.6, 3.4, 4.4, 4.0, 3.1, 2.4, 2.6, 2.3, 1.9, 1.6, 1.6, 1.8, 2.6,
                2.9, 2.3, 1.3, 0.6)
WEEKDAY_FACTOR = (1.35, 1.1, 1.0, 1.0, 0.9, 0.5, 0.4)
CONVERSATIONS_PER_DAY = 62
TOPICS: Dict[str, Tuple[float, Sequence[str]]] = {
    "jmo.otp": (9, ("kode otp jmo tidak masuk", "otp ga dikirim2 padahal sinyal penuh", "otp jmo kadaluarsa terus")),
    "jmo.login_failed": (7, ("tidak bisa login jmo", "login jmo gagal terus", "jmo bilang akun tidak ditemukan")),
    "jmo.forgot_password": (4, ("lupa password jmo", "cara reset kata sandi jmo")),
    "jmo.face_verification": (5, ("verifikasi wajah jmo gagal", "foto wajah tidak cocok di jmo")),
    "jmo.data_mismatch": (4, ("data di jmo tidak sesuai ktp", "nama di jmo salah")),
    "jmo.app_error": (5, ("aplikasi jmo error", "jmo keluar sendiri waktu dibuka")),
    "jmo.digital_card": (2, ("kartu digital tidak muncul", "cara lihat kartu digital")),
    "jmo.change_contact": (3, ("ganti nomor hp di jmo", "email lama tidak aktif, cara ganti")),
    "jmo.register": (3, ("cara daftar jmo", "daftar jmo pakai nik")),
    "jht.eligibility": (8, ("kapan jht bisa dicairkan", "sudah resign berapa lama bisa klaim jht")),
    "jht.documents": (5, ("dokumen klaim jht apa saja", "syarat berkas jht")),
    "jht.online_claim": (6, ("klaim jht online lewat jmo", "cara klaim jht tanpa ke kantor")),
    "jht.partial": (3, ("ambil jht 10 persen", "jht 30 persen untuk rumah")),
    "jht.balance": (5, ("cek saldo jht", "saldo jht kok sedikit")),
    "jht.tax": (2, ("pajak jht berapa", "jht kena potong pajak")),
    "claim.status": (6, ("klaim saya belum cair", "cek status klaim jht")),
    "claim.rejected": (3, ("klaim jht ditolak", "berkas dikembalikan kenapa")),
    "claim.bank_account": (2, ("rekening beda nama", "pencairan gagal ke rekening")),
    "jkk.report": (1, ("lapor kecelakaan kerja",)),
    "jkm.benefits": (1, ("santunan kematian berapa",)),
    "jp.eligibility": (2, ("kapan dapat pensiun", "syarat jaminan pensiun")),
    "jkp.eligibility": (2, ("syarat jkp", "kena phk dapat jkp tidak")),
    "jkp.apply": (2, ("cara klaim jkp", "daftar jkp lewat siapkerja")),
    "service.office_hours": (2, ("jam buka kantor cabang", "sabtu buka tidak")),
    "service.location": (2, ("alamat kantor medan kota", "kantor cabang terdekat")),
    "service.queue": (3, ("ambil antrean online", "antrean kantor cabang")),
    "membership.status": (3, ("status kepesertaan tidak aktif", "kenapa kepesertaan saya nonaktif")),
    "membership.contribution_payment": (2, ("cara bayar iuran bpu", "iuran belum masuk")),
    "membership.register": (1, ("cara daftar peserta bpu",)),
}
UNRESOLVED = (  # (text, weight): what the assistant did not understand, a few asked again and again
    ("jht saya dipotong tapi tidak ada rinciannya", 9), ("nik tidak padan dukcapil waktu klaim", 8),
    ("verifikasi wajah terus gagal padahal sudah terang", 6), ("bisa titip klaim ke keluarga tidak", 5),
    ("kenapa saldo jht berkurang bulan ini", 5), ("kartu peserta hilang cetak ulang dimana", 4),
    ("perusahaan tutup siapa yang urus", 4), ("apakah klaim bisa di kantor cabang lain", 3),
    ("cara ubah nama ibu kandung", 3), ("jmo minta update terus tapi sudah terbaru", 3),
    ("my employer did not pay contributions", 2), ("kenapa iuran 2019 tidak tercatat", 2),
    ("klaim jht untuk wni di luar negeri", 2), ("bpjs saya dobel dua kpj", 2),
)
COMPLAINTS = (  # (text, topic or None, weight): made up to cover the SERVQUAL dimensions
    ("Antrean di kantor cabang panjang sekali, saya menunggu hampir 3 jam", "service.queue", 6),
    ("Sudah 2 minggu klaim JHT belum cair dan tidak ada kabar", "claim.status", 6),
    ("Petugas satpam di pintu masuk tidak ramah waktu saya bertanya", None, 3),
    ("Ruang tunggu panas, AC mati dan kursinya kurang", "service.location", 2),
    ("Saldo JHT di JMO tidak sesuai dengan potongan di slip gaji", "jht.balance", 4),
    ("Ada orang di depan kantor menawarkan jasa calo untuk klaim", None, 2),
    ("Aplikasi JMO error terus waktu upload dokumen", "jmo.app_error", 4),
    ("Informasi dari petugas dan dari JMO berbeda-beda, saya bingung", "jht.documents", 3),
    ("Berkas saya dikembalikan tanpa penjelasan yang jelas", "claim.rejected", 3),
    ("Kode OTP tidak pernah masuk, sudah coba berhari-hari", "jmo.otp", 3),
    ("Orang tua saya lansia dipersulit saat konfirmasi pensiun", "jp.periodic_confirmation", 1),
    ("The staff at the counter were rude to my father", None, 1),
    ("I waited for weeks and nobody replied to my claim", "claim.status", 1),
)
COMMENTS = {  # by rating band
    "good": ("Petugasnya ramah dan cepat membalas, terima kasih", "Cepat ditanggapi, masalah selesai", "Penjelasannya jelas",
             "Terima kasih, sangat membantu", "Fast and helpful, thank you"),
    "mid": ("Selesai, tapi balasannya agak lama", "Lumayan, semoga aplikasinya diperbaiki", "Cukup, tapi harus tanya dua kali"),
    "bad": ("Balasannya lama sekali, sudah 3 hari baru dijawab", "Jawaban petugas tidak jelas, saya masih bingung",
            "Aplikasi JMO masih error walaupun tiket ditutup", "Disuruh datang ke kantor, antrean panjang",
            "Petugas kurang peduli dengan masalah saya", "Still waiting, nobody called me back"),
}
REPLIES = ("Terima kasih, kami sedang memeriksa data Anda.", "Mohon kirim nomor KPJ Anda melalui balasan ini.",
           "Kami sudah meneruskan ke bagian klaim.", "Silakan coba lagi setelah memperbarui aplikasi JMO.")


def wib(profile: BranchProfile, day: dt.date, hour: int, minute: int) -> dt.datetime:
    local = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(profile.timezone))
    return local.astimezone(dt.timezone.utc).replace(tzinfo=None)


class Seeder:
    def __init__(self, db: Database, profile: BranchProfile, rng: random.Random):
        self.db, self.profile, self.rng = db, profile, rng
        self.tickets = TicketService(db, profile)
        self.survey = SatisfactionSurvey(db)
        self.senders: List[str] = [f"tg:{rng.randint(10**8, 10**10)}" for _ in range(2600)] + \
                                  [f"web-{rng.randint(1000, 99999)}" for _ in range(120)]
        self.counts = {"questions": 0, "tickets": 0, "ratings": 0}
        self.cutoff = dt.datetime.max  # nothing staff do after it (set per month)

    def pick(self, weighted):
        """The first field of one of `weighted`'s tuples, chosen by their last field."""
        return self.rng.choices([w[0] for w in weighted], weights=[w[-1] for w in weighted])[0]

    # ---- one day of conversations ------------------------------------------------------------
    def day(self, day: dt.date, otp_fixed: bool, quicker: bool) -> None:
        n = int(CONVERSATIONS_PER_DAY * WEEKDAY_FACTOR[day.weekday()] * self.rng.uniform(0.8, 1.2))
        if day in self.profile.holiday_dates:
            n = int(n * 0.6)
        turns: List[TurnRow] = []
        feedback: List[FeedbackRow] = []
        tickets = []
        for _ in range(n):
            sender = self.rng.choice(self.senders)
            english = self.rng.random() < 0.05
            at = wib(self.profile, day, self.rng.choices(range(24), HOUR_WEIGHTS)[0], self.rng.randrange(60))
            if self.rng.random() < 0.35:
                turns.append(TurnRow(sender_id=sender, at=at, text="halo", outcome="dialogue", intent="greet",
                                     language="en" if english else "id"))
            for q in range(self.rng.choice((1, 1, 1, 2, 2, 3))):
                at += dt.timedelta(minutes=self.rng.randint(1, 6))
                topic = self.rng.choices(list(TOPICS), [w for w, _ in TOPICS.values()])[0]
                text = self.rng.choice(TOPICS[topic][1])
                outcome = self.rng.choices(("answered", "clarified", "fallback", "out_of_scope", "ticket"),
                                           (70, 10, 8, 3, 0))[0]
                ticket_chance = 0.05 if not topic.startswith("jmo.otp") else (0.04 if otp_fixed else 0.14)
                if self.rng.random() < ticket_chance:
                    outcome = "ticket"
                if outcome == "fallback":
                    text, topic = self.pick(UNRESOLVED), None
                if outcome == "out_of_scope":
                    text, topic = self.rng.choice(("cara daftar bpjs kesehatan", "cuaca medan hari ini")), None
                turn = TurnRow(sender_id=sender, at=at, text=text, outcome=outcome, topic=topic,
                               language="en" if english else "id", confidence=round(self.rng.uniform(0.4, 0.99), 2))
                turns.append(turn)
                if outcome == "answered" and self.rng.random() < 0.22:
                    helpful = self.rng.random() < (0.55 if topic in ("jmo.face_verification", "jht.balance") else 0.8)
                    feedback.append(FeedbackRow(sender_id=sender, faq_id=topic.replace(".", "-"), topic=topic,
                                                helpful=helpful, question=text, language=turn.language,
                                                created_at=at + dt.timedelta(minutes=1)))
                if outcome == "ticket":
                    tickets.append((turn, english))
        self.counts["questions"] += sum(1 for t in turns if t.outcome != "dialogue")
        with self.db.session() as s:
            s.add_all(turns + feedback)
        for turn, english in tickets:
            self.ticket(turn, english, quicker)
        for _ in range(self.rng.choice((0, 0, 1, 1, 2))):  # complaints told straight away
            text, topic, _ = self.rng.choices(COMPLAINTS, weights=[c[2] for c in COMPLAINTS])[0]
            at = wib(self.profile, day, self.rng.choices(range(24), HOUR_WEIGHTS)[0], self.rng.randrange(60))
            sender = self.rng.choice(self.senders)
            turn = TurnRow(sender_id=sender, at=at, text=text, outcome="ticket", topic=topic,
                           language="en" if text.startswith(("The", "I ")) else "id")
            with self.db.session() as s:
                s.add(turn)
            self.ticket(turn, turn.language == "en", quicker, kind="complaint")

    # ---- a ticket, handled in working hours ----------------------------------------------------
    def ticket(self, turn: TurnRow, english: bool, quicker: bool, kind: Optional[str] = None) -> None:
        kind = kind or self.rng.choices(("unresolved_question", "handoff", "negative_feedback", "complaint"),
                                        (35, 30, 22, 13))[0]
        text, topic = turn.text, turn.topic
        if kind == "complaint" and not any(c[0] == text for c in COMPLAINTS):
            text, complaint_topic, _ = self.rng.choices(COMPLAINTS, weights=[c[2] for c in COMPLAINTS])[0]
            topic = complaint_topic or topic
        if kind == "negative_feedback":
            with self.db.session() as s:  # the "not helpful" verdict the ticket came from
                s.add(FeedbackRow(sender_id=turn.sender_id, faq_id=(turn.topic or "x").replace(".", "-"),
                                  topic=turn.topic or "jht.balance", helpful=False, question=turn.text,
                                  language=turn.language, created_at=turn.at - dt.timedelta(minutes=2)))
        ticket = self.tickets.open(kind, turn.sender_id, "telegram" if turn.sender_id.startswith("tg:") else "rest",
                                   text, "en" if english else "id", topic=topic, now=turn.at)
        with self.db.session() as s:
            s.execute(update(TurnRow).where(TurnRow.id == turn.id).values(ticket_number=ticket.number))
        self.counts["tickets"] += 1
        staff = self.rng.choice(STAFF)
        late_response = self.rng.random() < (0.08 if quicker else 0.24)
        first = self.rng.uniform(8.5, 20) if late_response else self.rng.uniform(0.2, 7.5) * self.rng.random() ** 0.5
        responded = add_working_hours(turn.at, first, self.profile)
        if responded > self.cutoff:
            return
        self.tickets.reply(ticket.number, staff, self.rng.choice(REPLIES), now=responded)
        late_resolution = self.rng.random() < (0.12 if quicker else 0.2)
        total = self.rng.uniform(25, 45) if late_resolution else first + self.rng.uniform(0.3, max(0.5, 23.5 - first))
        resolved = add_working_hours(turn.at, total, self.profile)
        if resolved > self.cutoff or self.rng.random() < 0.04:
            return  # still open
        self.tickets.change_status(ticket.number, "resolved", staff, note="Sudah kami selesaikan.", now=resolved)
        if self.rng.random() < 0.62:
            late = late_response or late_resolution
            rating = self.rng.choices((5, 4, 3, 2, 1), (12, 20, 25, 24, 19) if late else (46, 34, 11, 6, 3))[0]
            rated = resolved + dt.timedelta(minutes=self.rng.randint(3, 600))
            self.survey.rate(ticket.number, turn.sender_id, rating, now=rated)
            self.counts["ratings"] += 1
            if self.rng.random() < 0.45:
                band = "good" if rating >= 4 else "mid" if rating == 3 else "bad"
                self.survey.comment(ticket.number, turn.sender_id, self.rng.choice(COMMENTS[band]),
                                    now=rated + dt.timedelta(minutes=2))

    def month(self, month: Month, otp_fix: Optional[dt.date], quicker_from: Optional[dt.date]) -> None:
        self.cutoff = wib(self.profile, month.last + dt.timedelta(days=1), 0, 0) + dt.timedelta(days=20)
        for day in month.period().days():
            self.day(day, otp_fix is not None and day >= otp_fix, quicker_from is not None and day >= quicker_from)


def improvement_actions(db: Database, profile: BranchProfile, month: Month) -> None:
    """The previous review's actions (followed up in this month's review) and this review's own."""
    actions = ImprovementActions(db, profile)
    previous = month.previous()
    recorded = wib(profile, month.first + dt.timedelta(days=1), 10, 0)
    otp = actions.create(previous, "Perbarui entri 'OTP JMO tidak masuk': langkah cek sinyal, batas kirim ulang dan "
                         "jalur bantuan bila tetap gagal", "Rina (admin basis pengetahuan)", month.first + dt.timedelta(days=8),
                         "topic_tickets", "kepala.cabang", problem="Tiket OTP JMO terbanyak bulan lalu",
                         topic="jmo.otp", kb_entry_id="jmo-otp-not-received", now=recorded)
    store = KbStore(db)
    entry = store.get("jmo-otp-not-received").entry
    questions = dict(entry.questions)
    questions["id"] = list(questions["id"]) + ["otp jmo tidak dikirim padahal sinyal penuh"]
    store.update(replace(entry, questions=questions), actor="rina.kb", note="tindakan perbaikan OTP", source="dashboard")
    changed = wib(profile, month.first + dt.timedelta(days=5), 9, 30)
    with db.session() as s:  # the demo's change happened on the 6th, not when this script runs
        last = s.execute(select(func.max(KbRevisionRow.id)).where(KbRevisionRow.entry_id == "jmo-otp-not-received")).scalar()
        s.execute(update(KbRevisionRow).where(KbRevisionRow.id == last).values(changed_at=changed))
        s.execute(update(KbEntryRow).where(KbEntryRow.id == "jmo-otp-not-received").values(updated_at=changed))
    actions.update(otp.id, "kepala.cabang", status="done", note="Entri diperbarui dan diuji di Telegram",
                   now=changed + dt.timedelta(hours=2))
    picket = actions.create(previous, "Petugas piket membalas tiket pukul 08.00-10.00 (jam tersibuk)",
                            "Budi (Kasubag Pelayanan)", month.first + dt.timedelta(days=14), "first_response_on_time",
                            "kepala.cabang", problem="Tanggapan pertama sering lewat 1 hari kerja", now=recorded)
    actions.update(picket.id, "kepala.cabang", status="in_progress", note="Jadwal piket berlaku sejak tanggal 12",
                   now=wib(profile, month.first + dt.timedelta(days=11), 8, 0))
    actions.create(previous, "Papan informasi antrean online di ruang tunggu", "Sari (Customer Service)",
                   month.first + dt.timedelta(days=19), "complaints", "kepala.cabang",
                   problem="Pengaduan antrean panjang di kantor", topic="service.queue", now=recorded)
    after = wib(profile, month.last + dt.timedelta(days=2), 10, 0)
    actions.create(month, "Entri baru: klaim JHT ditolak karena NIK tidak padan dengan Dukcapil",
                   "Rina (admin basis pengetahuan)", month.last + dt.timedelta(days=14), "topic_unresolved", "kepala.cabang",
                   problem="Pertanyaan 'nik tidak padan dukcapil waktu klaim' sering tidak terjawab", topic="claim.rejected",
                   now=after)
    actions.create(month, "Hubungi kembali peserta yang memberi nilai 1-2 dalam 1 hari kerja", "Andi (Customer Service)",
                   month.last + dt.timedelta(days=10), "satisfaction", "kepala.cabang",
                   problem="Kepuasan rendah pada tiket yang terlambat", now=after)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="sqlite:///var/demo-review.db")
    parser.add_argument("--month", default="2026-10", help="the month to review (YYYY-MM); the month before is seeded too")
    parser.add_argument("--branch", default="medan-kota")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--fresh", action="store_true", help="remove the SQLite file first")
    parser.add_argument("--force", action="store_true", help="seed even if the database already holds tickets")
    args = parser.parse_args(argv)
    month = Month.parse(args.month)
    if args.fresh and args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    upgrade(args.database_url)
    db = Database(args.database_url)
    with db.session() as s:
        if s.execute(select(func.count()).select_from(TicketRow)).scalar() and not args.force:
            print("the database already holds tickets: use a demo database (--fresh) or --force", file=sys.stderr)
            return 2
        if s.execute(select(func.count()).select_from(ImprovementActionRow)).scalar() and not args.force:
            return 2
    branches = BranchStore(db)
    branches.sync_from_file(BRANCHES_DIR / f"{args.branch}.yml")
    profile = branches.get(args.branch)
    assert profile is not None
    KbStore(db).import_entries(read_entries(), actor=LOADER, sync=True, source="cli", name="kb/content")
    loaded = wib(profile, month.previous().first - dt.timedelta(days=30), 8, 0)
    with db.session() as s:  # as if the knowledge base had been loaded before the months seeded
        s.execute(update(KbRevisionRow).where(KbRevisionRow.changed_by == LOADER).values(changed_at=loaded))
        s.execute(update(KbEntryRow).where(KbEntryRow.updated_by == LOADER).values(updated_at=loaded, created_at=loaded))
    seeder = Seeder(db, profile, random.Random(args.seed))
    seeder.month(month.previous(), None, None)
    seeder.month(month, otp_fix=month.first + dt.timedelta(days=5), quicker_from=month.first + dt.timedelta(days=11))
    improvement_actions(db, profile, month)
    print(f"seeded {month.previous()} and {month} in {args.database_url}: {seeder.counts['questions']} questions, "
          f"{seeder.counts['tickets']} tickets, {seeder.counts['ratings']} ratings")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
