"""Knowledge-base pages: admins list, create, edit, preview, publish, deactivate, restore,
import and export entries; staff may read active entries.

A saved change bumps the knowledge-base version, and the running assistant answers
with it within half a second: no retraining and no restart.
"""
from __future__ import annotations

import os
import tempfile
from typing import Any, Dict, List, Optional

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for

from dashboard import kb_forms, labels
from dashboard.security import admin_required
from dashboard.services import services
from branch.profile import BranchError
from kb.content import ContentError, dump_entries, read_entries
from kb.entry import ID_PATTERN, EntryError, validate_entry
from kb.freshness import REVIEW_EVERY_DAYS, due_for_review, faq_digest
from kb.store import Conflict, EntryRecord, ImportRefused, NotFound
from kb.drafting import draft_from_ticket
from kb.topics import ASPECTS, PROGRAMS, is_kb_topic, kb_topic_codes, load_topics
from monitoring.tickets import normalize_number

bp = Blueprint("kb", __name__, url_prefix="/kb")

RESERVED_IDS = {"new", "import", "export.yml", "proposals", "review"}  # page addresses under /kb/
SOURCE = "dashboard"  # the channel named in the audit log
DRAFT_TOPIC_SCORE = 0.25  # a ticket without a topic: the draft proposes the best match from this score on


def _record_or_404(entry_id: str) -> EntryRecord:
    if not ID_PATTERN.match(entry_id or ""):
        abort(404)
    try:
        record = services().kb_store().get(entry_id)
    except NotFound:
        abort(404)
    if not record.entry.active and not g.user.is_admin:
        abort(404)  # drafts and retired entries are for admins only
    return record


def _preview(data: Dict[str, Any]) -> Dict[str, Any]:
    """The answer as the assistant would send it, per language, rendered with the branch profile."""
    entry = kb_forms.preview_entry(data)
    kb = services().knowledge_base()
    out: Dict[str, Any] = {}
    for lang in kb_forms.LANGS:
        questions = entry.questions.get(lang) or []
        answer, error = "", None
        try:
            answer = kb.answer(entry, lang) if entry.answer.get(lang) else ""
        except BranchError as exc:  # e.g. an unknown {{branch.*}} placeholder
            error = str(exc)
        out[lang] = {"question": questions[0] if questions else "", "answer": answer, "error": error}
    return out


def _ticket_topic(ticket) -> Optional[str]:
    """The draft's topic: the ticket's, else the knowledge base's best match for its question."""
    if ticket.topic and is_kb_topic(ticket.topic):
        return ticket.topic
    found = services().knowledge_base().search(" ".join(ticket.participant_messages[:3]), limit=1)
    return found[0].topic if found and found[0].score >= DRAFT_TOPIC_SCORE else None


def _topics() -> List[Any]:
    return [t for t in load_topics() if t.kind == "kb"]


def _form_page(template: str, form: Dict[str, Any], status: int = 200, **extra):
    return render_template(template, form=form, topics=_topics(), programs=PROGRAMS, aspects=ASPECTS, **extra), status


# ---- list and view ----------------------------------------------------------
@bp.get("")
def index():
    args = request.args
    q = " ".join((args.get("q") or "").split())[:100] or None
    topic = (args.get("topic") or "").strip()[:64] or None
    program = args.get("program") if args.get("program") in PROGRAMS else None
    state = args.get("state") if args.get("state") in ("active", "inactive", "all") else "active"
    if not g.user.is_admin:
        state = "active"
    active = {"active": True, "inactive": False, "all": None}[state]
    records = services().kb_store().list(topic=topic, active=active, text=q, program=program)
    suggestions = services().kb_store().proposals() if g.user.is_admin else []
    due = len(_due()) if g.user.is_admin else 0
    groups = sorted({code.split(".", 1)[0] for code in kb_topic_codes()})
    return render_template("kb/index.html", records=records, q=q or "", topic=topic or "", program=program or "",
                           state=state, topics=_topics(), groups=groups, programs=PROGRAMS, suggestions=suggestions,
                           due=due)


@bp.get("/<entry_id>")
def view(entry_id: str):
    record = _record_or_404(entry_id)
    return render_template("kb/view.html", record=record, preview=_preview(record.entry.to_dict()))


# ---- create -----------------------------------------------------------------
@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    if request.method == "GET":
        data: Dict[str, Any] = {"questions": {}, "answer": {}, "title": {}, "programs": [], "aspects": []}
        number = normalize_number(request.args.get("ticket") or "")
        ticket = services().tickets().get(number, with_events=True) if number else None
        if number and ticket is None:
            abort(404)
        if ticket is not None:
            data = draft_from_ticket(ticket.number, ticket.participant_messages, ticket.last_staff_reply,
                                     _ticket_topic(ticket), ticket.language)
        return _form_page("kb/edit.html", kb_forms.form_from_data(data), creating=True,
                          ticket=ticket.number if ticket else "", preview=_preview(data) if ticket else None,
                          shape=kb_forms.shape_notes(data), error=None)
    data = kb_forms.data_from_form(request.form)
    ticket_number = normalize_number(request.form.get("ticket") or "") or ""
    action = request.form.get("action")
    form = kb_forms.form_from_data(data)
    common = dict(creating=True, ticket=ticket_number, preview=_preview(data), shape=kb_forms.shape_notes(data))
    if action == "preview":
        return _form_page("kb/edit.html", form, error=None, **common)
    data["active"] = action == "publish"
    try:
        if data["id"] in RESERVED_IDS:
            raise EntryError(f"id {data['id']!r} is reserved for a dashboard page; choose another id")
        entry = validate_entry(data)
        note = labels.text("kb.draft_note", number=ticket_number) if ticket_number else None
        services().kb_store().create(entry, actor=g.user.username, note=note, source=SOURCE,
                                     proposal=ticket_number or None)
    except (EntryError, Conflict) as exc:
        return _form_page("kb/edit.html", form, status=400, error=str(exc), **common)
    flash(labels.text("kb.created_published" if entry.active else "kb.created_draft", id=entry.id), "info")
    return redirect(url_for("kb.view", entry_id=entry.id))


# ---- edit -------------------------------------------------------------------
@bp.route("/<entry_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(entry_id: str):
    record = _record_or_404(entry_id)
    if request.method == "GET":
        return _form_page("kb/edit.html", kb_forms.form_from_data(record.entry.to_dict()), creating=False,
                          record=record, version=record.version, preview=None, error=None)
    data = kb_forms.data_from_form(request.form)
    data["id"] = record.entry.id  # ids never change
    data["active"] = record.entry.active  # publishing and deactivating are separate, explicit steps
    try:
        version = int(request.form.get("version") or record.version)
    except ValueError:
        version = record.version
    common = dict(creating=False, record=record, version=version, preview=_preview(data),
                  shape=kb_forms.shape_notes(data))
    form = kb_forms.form_from_data(data)
    if request.form.get("action") == "preview":
        return _form_page("kb/edit.html", form, error=None, **common)
    note = " ".join((request.form.get("note") or "").split())[:300] or None
    try:
        entry = validate_entry(data)
        if entry == record.entry:
            flash(labels.text("unchanged"), "info")
            return redirect(url_for("kb.view", entry_id=entry_id))
        updated = services().kb_store().update(entry, actor=g.user.username, expected_version=version, note=note,
                                               source=SOURCE)
    except EntryError as exc:
        return _form_page("kb/edit.html", form, status=400, error=str(exc), **common)
    except Conflict as exc:
        return _form_page("kb/edit.html", form, status=409, error=labels.text("kb.edit_conflict", error=exc), **common)
    flash(labels.text("kb.saved", version=updated.version) + (labels.text("kb.in_use") if updated.entry.active else ""), "info")
    return redirect(url_for("kb.view", entry_id=entry_id))


@bp.post("/<entry_id>/publish")
@admin_required
def publish(entry_id: str):
    record = _record_or_404(entry_id)
    try:
        validate_entry({**record.entry.to_dict(), "active": True})
    except EntryError as exc:
        flash(labels.text("kb.not_publishable", error=exc), "error")
        return redirect(url_for("kb.edit", entry_id=entry_id))
    services().kb_store().set_active(entry_id, True, actor=g.user.username, source=SOURCE)
    flash(labels.text("kb.published"), "info")
    return redirect(url_for("kb.view", entry_id=entry_id))


@bp.post("/<entry_id>/deactivate")
@admin_required
def deactivate(entry_id: str):
    _record_or_404(entry_id)
    note = " ".join((request.form.get("note") or "").split())[:300] or None
    services().kb_store().set_active(entry_id, False, actor=g.user.username, note=note, source=SOURCE)
    flash(labels.text("kb.deactivated"), "info")
    return redirect(url_for("kb.view", entry_id=entry_id))


@bp.post("/proposals/<number>/dismiss")
@admin_required
def dismiss_proposal(number: str):
    """An admin decides a staff proposal needs no entry (it stays in the audit log)."""
    if services().kb_store().dismiss_proposal(normalize_number(number) or "", g.user.username, source=SOURCE):
        flash(labels.text("kb.proposal_dismissed", number=number), "info")
    return redirect(url_for("kb.index"))


# ---- periodic review ----------------------------------------------------------
def _due() -> List[Any]:
    today = labels.local_today(services().profile().timezone)
    return due_for_review(services().kb_store().active_entries(), today, services().faq_rows())


@bp.get("/review")
@admin_required
def review_list():
    """Entries not reviewed for REVIEW_EVERY_DAYS days, never reviewed, or whose cited FAQ rows changed."""
    return render_template("kb/review.html", due=_due(), every_days=REVIEW_EVERY_DAYS,
                           faq_available=services().faq_rows() is not None)


@bp.post("/<entry_id>/reviewed")
@admin_required
def mark_reviewed(entry_id: str):
    record = _record_or_404(entry_id)
    today = labels.local_today(services().profile().timezone)
    services().kb_store().mark_reviewed(entry_id, g.user.username, faq_digest(record.entry, services().faq_rows()),
                                        today, source=SOURCE)
    flash(labels.text("kb.reviewed", id=entry_id), "info")
    back = "kb.review_list" if request.form.get("back") == "review" else "kb.view"
    return redirect(url_for(back, entry_id=entry_id) if back == "kb.view" else url_for(back))


# ---- history ----------------------------------------------------------------
@bp.get("/<entry_id>/revisions")
@admin_required
def revisions(entry_id: str):
    record = _record_or_404(entry_id)
    revs = services().kb_store().revisions(entry_id)  # newest first
    items = []
    for index, rev in enumerate(revs):
        previous = revs[index + 1].snapshot if index + 1 < len(revs) else None
        items.append((rev, kb_forms.diff(previous, rev.snapshot)))
    return render_template("kb/revisions.html", record=record, items=items)


@bp.post("/<entry_id>/restore/<int:revision_id>")
@admin_required
def restore(entry_id: str, revision_id: int):
    _record_or_404(entry_id)
    try:
        record = services().kb_store().restore(entry_id, revision_id, actor=g.user.username, source=SOURCE)
    except NotFound:
        abort(404)
    except EntryError as exc:
        flash(labels.text("kb.not_restorable", error=exc), "error")
        return redirect(url_for("kb.revisions", entry_id=entry_id))
    flash(labels.text("kb.restored", version=record.version), "info")
    return redirect(url_for("kb.view", entry_id=entry_id))


# ---- import and export ------------------------------------------------------
@bp.get("/export.yml")
@admin_required
def export():
    entries = services().kb_store().export(g.user.username, include_inactive=request.args.get("all") == "1", source=SOURCE)
    return Response(dump_entries(entries), mimetype="application/x-yaml",
                    headers={"Content-Disposition": 'attachment; filename="kb-export.yml"'})


def _read_upload(upload) -> list:
    fd, path = tempfile.mkstemp(suffix=".yml")
    try:
        with os.fdopen(fd, "wb") as out:
            upload.save(out)
        return read_entries(path)
    finally:
        os.unlink(path)


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def import_yaml():
    if request.method == "GET":
        return render_template("kb/import.html", report=None, error=None)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("kb/import.html", report=None, error=labels.text("kb.import_no_file")), 400
    store = services().kb_store()
    try:
        entries = _read_upload(upload)
    except ContentError as exc:
        message = str(exc).split(": ", 1)[-1]  # drop the temporary file name
        return render_template("kb/import.html", report=None, error=labels.text("kb.import_unusable", error=message)), 400
    try:
        report = store.import_entries(entries, actor=g.user.username, source=SOURCE, name=upload.filename)
    except ImportRefused as exc:
        return render_template("kb/import.html", report=None,
                               error=labels.text("kb.import_refused", problems="; ".join(exc.problems[:10]))), 400
    except Conflict as exc:
        return render_template("kb/import.html", report=None, error=str(exc)), 400
    return render_template("kb/import.html", report=report, error=None)
