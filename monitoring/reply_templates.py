"""Reply templates: texts admins keep for staff to start a reply from, filled in for one ticket.

A template has a title, an Indonesian body and optionally an English one (participants who chose English
get it; without it they get the Indonesian body). Bodies may use the placeholders of PLACEHOLDERS, written
{nomor_tiket}; anything else in braces is refused when the template is saved, so filling one in never fails.
All SQL of the templates lives here; changes are audited in the same transaction.
"""
from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass
from typing import Dict, List, Optional

from sqlalchemy import select

import texts
from accounts import audit
from branch.profile import BranchProfile
from core.db import Database, utcnow
from monitoring.models import ReplyTemplateRow
from monitoring.service_time import reply_by_text
from monitoring.tickets import Ticket

# placeholder -> what it becomes (the dashboard lists them for admins, texts/dashboard.yml names them)
PLACEHOLDERS = ("nomor_tiket", "batas_waktu", "jam_kantor", "nama_cabang")
MAX_TITLE = 120
MAX_BODY = 3000


class TemplateError(ValueError):
    """A template cannot be saved; the message (staff language) says why."""


@dataclass(frozen=True)
class ReplyTemplate:
    id: int
    title: str
    body_id: str
    body_en: str
    active: bool
    updated_by: str
    updated_at: dt.datetime

    def body(self, lang: str) -> str:
        return self.body_en if lang == "en" and self.body_en else self.body_id


def _template(row: ReplyTemplateRow) -> ReplyTemplate:
    return ReplyTemplate(row.id, row.title, row.body_id, row.body_en or "", bool(row.active), row.updated_by,
                         row.updated_at)


def _error(key: str, **values) -> TemplateError:
    return TemplateError(texts.say(f"dashboard.templates.{key}", texts.STAFF_LANGUAGE, **values))


def check_body(body: str) -> str:
    """The body, cleaned; TemplateError when it is empty, too long or uses an unknown placeholder."""
    body = (body or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if len(body) > MAX_BODY:
        raise _error("too_long", limit=MAX_BODY)
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(body) if name is not None]
    except ValueError:
        raise _error("braces", example="{nomor_tiket}") from None
    unknown = sorted({f for f in fields if f not in PLACEHOLDERS})
    if unknown:
        raise _error("unknown_placeholder", names=", ".join("{" + f + "}" for f in unknown),
                     known=", ".join("{" + p + "}" for p in PLACEHOLDERS))
    return body


def fill(template: ReplyTemplate, ticket: Ticket, profile: BranchProfile) -> str:
    """The template's body in the ticket's language with its placeholders filled for this ticket.

    {batas_waktu} is the resolution due time only where the branch published its standard (the same rule as
    the assistant's own messages, service_time.reply_by_text); otherwise "as soon as possible in office hours".
    """
    lang = ticket.language if ticket.language in ("id", "en") else "id"
    values: Dict[str, str] = {
        "nomor_tiket": ticket.number,
        "batas_waktu": reply_by_text(ticket.resolve_due_at, profile, lang),
        "jam_kantor": profile.office_hours_text(lang),
        "nama_cabang": profile.name.get(lang) or profile.name["id"],
    }
    return template.body(lang).format(**values)


class ReplyTemplates:
    def __init__(self, db: Database):
        self.db = db

    def list(self, active_only: bool = False) -> List[ReplyTemplate]:
        stmt = select(ReplyTemplateRow).order_by(ReplyTemplateRow.title, ReplyTemplateRow.id)
        if active_only:
            stmt = stmt.where(ReplyTemplateRow.active.is_(True))
        with self.db.session() as s:
            return [_template(r) for r in s.execute(stmt).scalars()]

    def get(self, template_id: int) -> Optional[ReplyTemplate]:
        with self.db.session() as s:
            row = s.get(ReplyTemplateRow, template_id)
            return _template(row) if row else None

    @staticmethod
    def _clean(title: str, body_id: str, body_en: str) -> tuple:
        title = " ".join((title or "").split())[:MAX_TITLE]
        if not title:
            raise _error("title_missing")
        body_id = check_body(body_id)
        if not body_id:
            raise _error("body_missing")
        return title, body_id, check_body(body_en)

    def create(self, title: str, body_id: str, body_en: str, actor: str, source: str = "system") -> ReplyTemplate:
        title, body_id, body_en = self._clean(title, body_id, body_en)
        now = utcnow()
        with self.db.session() as s:
            row = ReplyTemplateRow(title=title, body_id=body_id, body_en=body_en, active=True, updated_by=actor,
                                   updated_at=now, created_at=now)
            s.add(row)
            s.flush()
            audit.add(s, actor, "reply_template_created", title, None, source, now)
            return _template(row)

    def update(self, template_id: int, title: str, body_id: str, body_en: str, active: bool, actor: str,
               source: str = "system") -> ReplyTemplate:
        title, body_id, body_en = self._clean(title, body_id, body_en)
        now = utcnow()
        with self.db.session() as s:
            row = s.get(ReplyTemplateRow, template_id)
            if row is None:
                raise LookupError(f"no reply template {template_id}")
            row.title, row.body_id, row.body_en, row.active = title, body_id, body_en, bool(active)
            row.updated_by, row.updated_at = actor, now
            detail = None if row.active else texts.say("dashboard.templates.audit_inactive", texts.STAFF_LANGUAGE)
            audit.add(s, actor, "reply_template_edited", title, detail, source, now)
            s.flush()
            return _template(row)
