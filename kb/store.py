"""Persistence of knowledge-base entries, their revisions and the change counter.

All SQL of the knowledge base lives here. Every change writes a revision (a full
snapshot), an audit row naming the actor and the channel (dashboard, cli, ...) and
bumps the `kb_state` counter that search caches watch, in one transaction: the
dashboard and the command line leave the same trail.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import List, Optional, Sequence

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

import texts
from accounts import audit
from branch.store import LOADER
from core.db import Database, utcnow
from kb.citation import citations_from
from kb.entry import Entry, validate_entry
from kb.models import FaqProposalRow, KbEntryRow, KbRevisionRow, KbStateRow
from kb.validation import validate_collection


class NotFound(LookupError):
    pass


class Conflict(RuntimeError):
    """The entry changed since the caller read it, or the id already exists."""


class ImportRefused(ValueError):
    """The import would add problems to the knowledge base (a topic left uncovered, a question in two entries, ...)."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems[:10]))


@dataclass(frozen=True)
class EntryRecord:
    entry: Entry
    version: int
    updated_by: str
    updated_at: dt.datetime
    created_at: dt.datetime


@dataclass(frozen=True)
class Revision:
    id: int
    entry_id: str
    version: int
    action: str
    snapshot: dict
    changed_by: str
    changed_at: dt.datetime
    note: Optional[str]


@dataclass
class ImportReport:
    created: List[str] = field(default_factory=list)
    updated: List[str] = field(default_factory=list)
    unchanged: List[str] = field(default_factory=list)
    kept_admin_edits: List[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
                f"{len(self.kept_admin_edits)} kept (edited by an admin since loaded)")


def _to_entry(row: KbEntryRow) -> Entry:
    return Entry(
        id=row.id, topic=row.topic,
        title={"id": row.title_id, "en": row.title_en},
        questions={"id": list(row.questions_id), "en": list(row.questions_en)},
        answer={"id": row.answer_id, "en": row.answer_en},
        citations=citations_from(row.citations or []), source=row.source, programs=list(row.programs),
        active=bool(row.active), aspects=list(row.aspects or []),
        reviewed_at=row.reviewed_at, reviewed_by=row.reviewed_by or "", reviewed_digest=row.reviewed_digest or "",
    )


def _to_record(row: KbEntryRow) -> EntryRecord:
    return EntryRecord(_to_entry(row), row.version, row.updated_by, row.updated_at, row.created_at)


def _apply(row: KbEntryRow, entry: Entry) -> None:
    row.topic = entry.topic
    row.title_id, row.title_en = entry.title["id"], entry.title["en"]
    row.questions_id, row.questions_en = list(entry.questions["id"]), list(entry.questions["en"])
    row.answer_id, row.answer_en = entry.answer["id"], entry.answer["en"]
    row.source = entry.source
    row.citations = [c.to_dict() for c in entry.citations]
    row.programs = list(entry.programs)
    row.aspects = list(entry.aspects)
    row.active = entry.active
    row.reviewed_at, row.reviewed_by = entry.reviewed_at, entry.reviewed_by or None
    row.reviewed_digest = entry.reviewed_digest or None


@dataclass(frozen=True)
class Proposal:
    id: int
    ticket_number: str
    proposed_by: str
    proposed_at: dt.datetime
    note: Optional[str]
    status: str
    entry_id: Optional[str]


def _proposal(row: FaqProposalRow) -> Proposal:
    return Proposal(row.id, row.ticket_number, row.proposed_by, row.proposed_at, row.note, row.status, row.entry_id)


_AUDIT_ACTION = {"edited": "kb_edited", "activated": "kb_published", "deactivated": "kb_deactivated"}


def _detail(*parts: Optional[str]) -> str:
    return ": ".join(p for p in parts if p)


def _said(key: str, **values) -> str:
    """An audit detail in the staff's language (texts/dashboard.yml, audit_detail)."""
    return texts.say(f"dashboard.audit_detail.{key}", texts.STAFF_LANGUAGE, **values)


def _check_import(stored: Sequence[Entry], incoming: Sequence[Entry]) -> None:
    merged = {e.id: e for e in stored}
    merged.update({e.id: e for e in incoming})
    before = set(validate_collection(list(stored)).errors)
    added = [e for e in validate_collection(list(merged.values())).errors if e not in before]
    if added:
        raise ImportRefused(added)


class KbStore:
    def __init__(self, db: Database):
        self.db = db

    # ---- reads -------------------------------------------------------------
    def version(self) -> int:
        with self.db.session() as s:
            return s.execute(select(KbStateRow.version).where(KbStateRow.id == 1)).scalar_one()

    def get(self, entry_id: str) -> EntryRecord:
        with self.db.session() as s:
            row = s.get(KbEntryRow, entry_id)
            if row is None:
                raise NotFound(f"no entry with id {entry_id!r}")
            return _to_record(row)

    def list(self, topic: Optional[str] = None, active: Optional[bool] = None,
             text: Optional[str] = None, program: Optional[str] = None) -> List[EntryRecord]:
        stmt = select(KbEntryRow).order_by(KbEntryRow.topic, KbEntryRow.id)
        if topic:
            stmt = stmt.where(or_(KbEntryRow.topic == topic, KbEntryRow.topic.like(f"{topic}.%")))
        if active is not None:
            stmt = stmt.where(KbEntryRow.active.is_(active))
        if text:
            pattern = f"%{text.strip().lower()}%"
            stmt = stmt.where(or_(
                KbEntryRow.id.ilike(pattern), KbEntryRow.title_id.ilike(pattern),
                KbEntryRow.title_en.ilike(pattern), KbEntryRow.answer_id.ilike(pattern),
                KbEntryRow.answer_en.ilike(pattern),
            ))
        with self.db.session() as s:
            records = [_to_record(r) for r in s.execute(stmt).scalars()]
        if program:
            records = [r for r in records if program.upper() in r.entry.programs]
        return records

    def active_entries(self) -> List[Entry]:
        return [r.entry for r in self.list(active=True)]

    def revisions(self, entry_id: str) -> List[Revision]:
        stmt = select(KbRevisionRow).where(KbRevisionRow.entry_id == entry_id).order_by(KbRevisionRow.id.desc())
        with self.db.session() as s:
            return [Revision(r.id, r.entry_id, r.version, r.action, dict(r.snapshot), r.changed_by,
                             r.changed_at, r.note) for r in s.execute(stmt).scalars()]

    # ---- writes ------------------------------------------------------------
    # Every write takes the actor and the channel (`source`) and audits itself.
    def create(self, entry: Entry, actor: str, note: Optional[str] = None, source: str = "system",
               proposal: Optional[str] = None) -> EntryRecord:
        """Create an entry; with `proposal` (a ticket number) the pending FAQ proposal of that ticket is closed."""
        entry = validate_entry(entry.to_dict())
        with self.db.session() as s:
            row = self._create(s, entry, actor, note)
            audit.add(s, actor, "kb_created", entry.id, _said("kb_published" if entry.active else "kb_draft"), source)
            if proposal:
                self._close_proposal(s, proposal, entry.id, actor, source)
            return _to_record(row)

    def update(self, entry: Entry, actor: str, expected_version: Optional[int] = None,
               note: Optional[str] = None, source: str = "system") -> EntryRecord:
        entry = validate_entry(entry.to_dict())
        with self.db.session() as s:
            row = self._locked(s, entry.id)
            if expected_version is not None and row.version != expected_version:
                raise Conflict(f"entry {entry.id} was changed by {row.updated_by} meanwhile "
                               f"(version {row.version}, you edited {expected_version})")
            action = "edited"
            if row.active != entry.active:
                action = "activated" if entry.active else "deactivated"
            self._change(s, row, entry, actor, action, note)
            audit.add(s, actor, _AUDIT_ACTION[action], entry.id, _detail(_said("kb_version", version=row.version), note),
                      source)
            return _to_record(row)

    def set_active(self, entry_id: str, active: bool, actor: str, note: Optional[str] = None,
                   source: str = "system") -> EntryRecord:
        with self.db.session() as s:
            row = self._locked(s, entry_id)
            entry = _to_entry(row)
            entry.active = active
            action = "activated" if active else "deactivated"
            self._change(s, row, entry, actor, action, note)
            audit.add(s, actor, _AUDIT_ACTION[action], entry_id, note, source)
            return _to_record(row)

    def restore(self, entry_id: str, revision_id: int, actor: str, source: str = "system") -> EntryRecord:
        with self.db.session() as s:
            rev = s.get(KbRevisionRow, revision_id)
            if rev is None or rev.entry_id != entry_id:
                raise NotFound(f"entry {entry_id} has no revision {revision_id}")
            row = self._locked(s, entry_id)
            entry = validate_entry(rev.snapshot)
            self._change(s, row, entry, actor, "restored", f"restored revision {revision_id} (v{rev.version})")
            audit.add(s, actor, "kb_restored", entry_id, _said("kb_restored", revision=revision_id, version=row.version),
                      source)
            return _to_record(row)

    def mark_reviewed(self, entry_id: str, actor: str, digest: str, today: dt.date,
                      source: str = "system") -> EntryRecord:
        """Record that `actor` checked the entry against its sources today (content and version unchanged)."""
        with self.db.session() as s:
            row = s.get(KbEntryRow, entry_id)
            if row is None:
                raise NotFound(f"no entry with id {entry_id!r}")
            row.reviewed_at, row.reviewed_by, row.reviewed_digest = today, actor, digest or None
            audit.add(s, actor, "kb_reviewed", entry_id, digest or None, source)
            s.flush()
            return _to_record(row)

    def import_entries(self, entries: Sequence[Entry], actor: str, sync: bool = False, source: str = "system",
                       name: Optional[str] = None) -> ImportReport:
        """Create or update many entries in one transaction (all or nothing).

        The import is checked as a whole against what is stored: only problems it
        would add (a topic left without an active entry, a question variant in two
        entries, ...) refuse it, so a partial file can update a complete base.
        With `sync=True` (the loader at start-up) an entry an admin has edited
        since it was loaded is left alone, so dashboard edits are never lost.
        `name` (the file) is recorded in the audit log.
        """
        entries = [validate_entry(e.to_dict()) for e in entries]
        seen = set()
        for entry in entries:
            if entry.id in seen:
                raise Conflict(f"duplicate id {entry.id!r} in the import")
            seen.add(entry.id)
        report = ImportReport()
        with self.db.session() as s:
            stored = {r.id: r for r in s.execute(select(KbEntryRow)).scalars()}
            _check_import([_to_entry(r) for r in stored.values()], entries)
            for entry in entries:
                row = stored.get(entry.id)
                if row is not None and row.reviewed_at and (entry.reviewed_at is None or row.reviewed_at > entry.reviewed_at):
                    entry = replace(entry, reviewed_at=row.reviewed_at, reviewed_by=row.reviewed_by or "",
                                    reviewed_digest=row.reviewed_digest or "")  # a newer review in the dashboard wins
                if row is None:
                    self._create(s, entry, actor, "imported", bump=False)
                    report.created.append(entry.id)
                elif _to_entry(row) == entry:
                    report.unchanged.append(entry.id)
                elif sync and row.updated_by != LOADER:
                    report.kept_admin_edits.append(entry.id)
                else:
                    self._change(s, row, entry, actor, "edited", "imported", bump=False)
                    report.updated.append(entry.id)
            if report.created or report.updated:
                self._bump(s)
                audit.add(s, actor, "kb_imported", (name or "")[:200] or None, _said(
                    "kb_imported", created=len(report.created), updated=len(report.updated),
                    unchanged=len(report.unchanged), kept=len(report.kept_admin_edits)), source)
        return report

    def export(self, actor: str, include_inactive: bool = False, source: str = "system") -> List[Entry]:
        """The entries to hand out as a file; who took a copy is audited."""
        entries = [r.entry for r in self.list(active=None if include_inactive else True)]
        with self.db.session() as s:
            audit.add(s, actor, "kb_exported", None, _said("kb_exported", count=len(entries)), source)
        return entries

    # ---- FAQ proposals: staff suggest a ticket's question and answer as a new entry
    def propose(self, ticket_number: str, actor: str, note: Optional[str] = None, source: str = "system") -> bool:
        """Record a proposal; False when the ticket already has one pending."""
        with self.db.session() as s:
            pending = s.execute(select(FaqProposalRow.id).where(
                FaqProposalRow.ticket_number == ticket_number, FaqProposalRow.status == "pending")).first()
            if pending:
                return False
            s.add(FaqProposalRow(ticket_number=ticket_number, proposed_by=actor, proposed_at=utcnow(),
                                 note=(note or None) and note[:300], status="pending"))
            audit.add(s, actor, "faq_suggested", ticket_number, note, source)
            return True

    def proposals(self, status: str = "pending", limit: int = 200) -> List[Proposal]:
        stmt = (select(FaqProposalRow).where(FaqProposalRow.status == status)
                .order_by(FaqProposalRow.id.desc()).limit(limit))
        with self.db.session() as s:
            return [_proposal(r) for r in s.execute(stmt).scalars()]

    def proposals_for_ticket(self, ticket_number: str) -> List[Proposal]:
        """Every proposal of one ticket, oldest first: the entries it became (drafted) and what is pending."""
        stmt = (select(FaqProposalRow).where(FaqProposalRow.ticket_number == ticket_number)
                .order_by(FaqProposalRow.id))
        with self.db.session() as s:
            return [_proposal(r) for r in s.execute(stmt).scalars()]

    def dismiss_proposal(self, ticket_number: str, actor: str, source: str = "system") -> bool:
        with self.db.session() as s:
            return self._close_proposal(s, ticket_number, None, actor, source)

    def _close_proposal(self, s: Session, ticket_number: str, entry_id: Optional[str], actor: str, source: str) -> bool:
        """Close the ticket's pending proposals: drafted as `entry_id`, or dismissed. An entry an admin made
        from a ticket nobody proposed is recorded as a drafted proposal too, so the ticket shows what it became."""
        rows = s.execute(select(FaqProposalRow).where(
            FaqProposalRow.ticket_number == ticket_number, FaqProposalRow.status == "pending")).scalars().all()
        if not rows and entry_id:
            rows = [FaqProposalRow(ticket_number=ticket_number, proposed_by=actor, proposed_at=utcnow())]
            s.add(rows[0])
        for row in rows:
            row.status = "drafted" if entry_id else "dismissed"
            row.entry_id = entry_id
            row.closed_by = actor
            row.closed_at = utcnow()
        if entry_id:
            audit.add(s, actor, "faq_drafted", ticket_number, _said("kb_entry", id=entry_id), source)
        elif rows:
            audit.add(s, actor, "faq_dismissed", ticket_number, None, source)
        return bool(rows)

    # ---- helpers -----------------------------------------------------------
    def _locked(self, s: Session, entry_id: str) -> KbEntryRow:
        row = s.execute(select(KbEntryRow).where(KbEntryRow.id == entry_id).with_for_update()).scalar_one_or_none()
        if row is None:
            raise NotFound(f"no entry with id {entry_id!r}")
        return row

    def _create(self, s: Session, entry: Entry, actor: str, note: Optional[str], bump: bool = True) -> KbEntryRow:
        if s.get(KbEntryRow, entry.id) is not None:
            raise Conflict(f"an entry with id {entry.id!r} already exists")
        now = utcnow()
        row = KbEntryRow(id=entry.id, version=1, updated_by=actor, updated_at=now, created_at=now)
        _apply(row, entry)
        s.add(row)
        s.flush()
        self._revision(s, row, "created", actor, note)
        if bump:
            self._bump(s)
        return row

    def _change(self, s: Session, row: KbEntryRow, entry: Entry, actor: str, action: str,
                note: Optional[str], bump: bool = True) -> None:
        _apply(row, entry)
        row.version += 1
        row.updated_by = actor
        row.updated_at = utcnow()
        s.flush()
        self._revision(s, row, action, actor, note)
        if bump:
            self._bump(s)

    @staticmethod
    def _revision(s: Session, row: KbEntryRow, action: str, actor: str, note: Optional[str]) -> None:
        s.add(KbRevisionRow(entry_id=row.id, version=row.version, action=action,
                            snapshot=_to_entry(row).to_dict(), changed_by=actor, changed_at=row.updated_at,
                            note=(note or None) and note[:500]))

    @staticmethod
    def _bump(s: Session) -> None:
        s.execute(update(KbStateRow).where(KbStateRow.id == 1)
                  .values(version=KbStateRow.version + 1, updated_at=utcnow()))
