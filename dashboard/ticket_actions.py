"""What staff do on a ticket: one action area (reply, internal note, change status, resolve, with a reply
template or an FAQ answer inserted into the text), assigning, the topic, merging duplicates, FAQ proposals.

Every change goes through monitoring.tickets.TicketService, which audits it in the same transaction.
"""
from __future__ import annotations

from typing import Optional

from flask import Blueprint, abort, flash, g, redirect, request, url_for

from core.input_limits import strip_invisible
from dashboard import labels
from dashboard.services import services
from dashboard.tickets import colleagues, names, render_detail, ticket_or_404
from kb.entry import ID_PATTERN, Entry
from kb.store import NotFound
from kb.topics import is_kb_topic
from monitoring.reply_templates import fill
from monitoring.tickets import STATUSES, Ticket, TicketError

bp = Blueprint("ticket_actions", __name__)

MAX_REPLY = 3500  # a staff reply plus its heading fits one Telegram message
MAX_NOTE = 2000


def _back(ticket: Ticket, anchor: Optional[str] = None):
    return redirect(url_for("tickets.detail", number=ticket.number, _anchor=anchor))


def _text() -> str:
    # Invisible characters alone (zero-width, direction marks) are no text.
    return strip_invisible(request.form.get("text") or "").replace("\r\n", "\n").strip()


# ---- the action area ---------------------------------------------------------------------------------
@bp.post("/tickets/<number>/act")
def act(number: str):
    """The action area's one form: the button pressed (`do`) says what happens to the text."""
    ticket = ticket_or_404(number, with_events=False)
    action, text = request.form.get("do"), _text()
    if action == "reply":
        return _reply(ticket, text)
    if action == "note":
        return _note(ticket, text)
    if action == "status":
        return _change_status(ticket, request.form.get("status") or "", text)
    if action == "resolve":
        return _change_status(ticket, "resolved", text)
    if action in ("insert_template", "insert_faq"):
        return _insert(ticket, action, text)
    abort(400)


def _insert(ticket: Ticket, action: str, text: str):
    """The page again, the chosen template (filled in for this ticket) or FAQ answer added to the text."""
    svc = services()
    addition = ""
    if action == "insert_template":
        try:
            template = svc.reply_templates().get(int(request.form.get("template") or 0))
        except ValueError:
            template = None
        if template is None or not template.active:
            flash(labels.text("ticket.template_missing"), "error")
        else:
            addition = fill(template, ticket, svc.profile())
    else:
        entry = _active_entry(request.form.get("entry") or "")
        if entry is None:
            flash(labels.text("ticket.faq_missing"), "error")
        else:
            addition = svc.knowledge_base().answer(entry, ticket.language)
    draft = "\n\n".join(part for part in (text, addition) if part)
    return render_detail(ticket_or_404(ticket.number), draft=draft)


def _active_entry(entry_id: str) -> Optional[Entry]:
    if not ID_PATTERN.match(entry_id):
        return None
    try:
        entry = services().kb_store().get(entry_id).entry
    except NotFound:
        return None
    return entry if entry.active else None


def _reply(ticket: Ticket, text: str):
    if ticket.merged_into:  # the participant's conversation continues on the ticket kept
        flash(labels.text("ticket.merged_closed", number=ticket.merged_into), "error")
        return _back(ticket)
    if not text:
        flash(labels.text("ticket.reply_empty"), "error")
        return _back(ticket)
    if len(text) > MAX_REPLY:
        flash(labels.text("ticket.reply_too_long", length=len(text), limit=MAX_REPLY), "error")
        return render_detail(ticket_or_404(ticket.number), draft=text, status_code=400)
    try:
        services().tickets().reply(ticket.number, g.user.username, text, source="dashboard")
    except TicketError:
        abort(400)
    flash(labels.text("ticket.reply_sent" if ticket.reaches_participant else "ticket.reply_saved"), "info")
    return _back(ticket)


def _note(ticket: Ticket, text: str):
    if not text:
        flash(labels.text("ticket.note_empty"), "error")
        return _back(ticket)
    if len(text) > MAX_NOTE:
        flash(labels.text("ticket.note_too_long"), "error")
        return render_detail(ticket_or_404(ticket.number), draft=text, status_code=400)
    services().tickets().add_note(ticket.number, g.user.username, text, source="dashboard")
    flash(labels.text("ticket.note_saved"), "info")
    return _back(ticket)


def _change_status(ticket: Ticket, status: str, note: str):
    if status not in STATUSES:
        flash(labels.text("ticket.status_unknown"), "error")
        return _back(ticket)
    if len(note) > MAX_NOTE:
        flash(labels.text("ticket.note_too_long"), "error")
        return render_detail(ticket_or_404(ticket.number), draft=note, status_code=400)
    if ticket.merged_into:
        flash(labels.text("ticket.merged_closed", number=ticket.merged_into), "error")
        return _back(ticket)
    services().tickets().change_status(ticket.number, status, g.user.username, note=note or None, source="dashboard")
    told = ticket.reaches_participant and status != ticket.status
    flash(labels.text("ticket.status_set", status=labels.label("status", status))
          + (labels.text("ticket.participant_told") if told else ""), "info")
    return _back(ticket)


# The single-purpose forms of earlier versions (and of scripts): the same actions.
@bp.post("/tickets/<number>/reply")
def reply(number: str):
    return _reply(ticket_or_404(number, with_events=False), _text())


@bp.post("/tickets/<number>/note")
def note(number: str):
    return _note(ticket_or_404(number, with_events=False), _text())


@bp.post("/tickets/<number>/status")
def status(number: str):
    ticket = ticket_or_404(number, with_events=False)
    return _change_status(ticket, request.form.get("status") or "", (request.form.get("note") or "").strip())


@bp.post("/tickets/<number>/resolve")
def resolve(number: str):
    ticket = ticket_or_404(number, with_events=False)
    return _change_status(ticket, "resolved", (request.form.get("note") or "").strip())


# ---- who handles it, its topic, duplicates -----------------------------------------------------------
@bp.post("/tickets/<number>/assign")
def assign(number: str):
    """To any active colleague ('to' is a username, 'me', or 'none')."""
    ticket = ticket_or_404(number, with_events=False)
    to = (request.form.get("to") or "").strip()
    assignee = g.user.username if to == "me" else None if to in ("", "none") else to
    if assignee is not None and assignee not in {u.username for u in colleagues()}:
        flash(labels.text("ticket.assignee_unknown"), "error")
        return _back(ticket)
    if assignee != ticket.assignee:
        services().tickets().assign(ticket.number, assignee, actor=g.user.username, source="dashboard")
    if assignee is None:
        flash(labels.text("ticket.unassigned"), "info")
    elif assignee == g.user.username:
        flash(labels.text("ticket.assigned_to_you"), "info")
    else:
        flash(labels.text("ticket.assigned_to", name=names().get(assignee, assignee)), "info")
    return _back(ticket)


@bp.post("/tickets/<number>/topic")
def topic(number: str):
    ticket = ticket_or_404(number, with_events=False)
    code = (request.form.get("topic") or "").strip()
    if not is_kb_topic(code):
        flash(labels.text("ticket.topic_unknown"), "error")
        return _back(ticket)
    services().tickets().set_topic(ticket.number, code, g.user.username, source="dashboard")
    flash(labels.text("ticket.topic_set", topic=code), "info")
    return _back(ticket)


@bp.post("/tickets/<number>/merge")
def merge(number: str):
    """Merge the participant's duplicate ticket `duplicate` into this one."""
    ticket = ticket_or_404(number, with_events=False)
    duplicate = ticket_or_404(request.form.get("duplicate") or "", with_events=False)
    try:
        services().tickets().merge(duplicate.number, ticket.number, g.user.username, source="dashboard")
    except TicketError:
        flash(labels.text("ticket.merge_refused", duplicate=duplicate.number, number=ticket.number), "error")
        return _back(ticket)
    told = labels.text("ticket.participant_told") if duplicate.reaches_participant else ""
    flash(labels.text("ticket.merged", duplicate=duplicate.number, number=ticket.number) + told, "info")
    return _back(ticket)


@bp.post("/tickets/<number>/suggest-faq")
def suggest_faq(number: str):
    """Staff propose a ticket's question and answer as a new FAQ; admins see it on the knowledge-base page."""
    ticket = ticket_or_404(number, with_events=False)
    note_text = " ".join((request.form.get("note") or "").split())[:300] or None
    if services().kb_store().propose(ticket.number, g.user.username, note_text, source="dashboard"):
        flash(labels.text("ticket.faq_proposed"), "info")
    else:
        flash(labels.text("ticket.faq_already_proposed"), "info")
    return _back(ticket)
