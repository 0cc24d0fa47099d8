"""The review queue and the ticket page: history, transcript, replies, status, turning a ticket into a FAQ."""
from __future__ import annotations

from typing import Iterator, Optional

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for

from core.db import utcnow
from core.identity import is_telegram
from core.input_limits import strip_invisible
from core.masking import contains_pii
from dashboard import holiday_notices, labels
from dashboard.services import services
from dashboard.transcript import Transcript, fetch_transcript
from monitoring.service_time import sla_state
from monitoring.review_queue import PER_PAGE_CHOICES, SLA_STATES, SORTS, STATUS_CHOICES, QueueFilter
from monitoring.tickets import KINDS, STATUSES, Ticket, TicketError, normalize_number

bp = Blueprint("tickets", __name__)

MAX_REPLY = 3500  # a staff reply plus its heading fits one Telegram message


def _ticket_or_404(number: str, with_events: bool = True) -> Ticket:
    normalized = normalize_number(number or "")
    if normalized is None:
        abort(404)
    ticket = services().tickets().get(normalized, with_events=with_events)
    if ticket is None:
        abort(404)
    return ticket


def may_reveal() -> bool:
    return g.user is not None and g.user.role in current_app.config["REVEAL_ROLES"]


@bp.get("/")
def home():
    return redirect(url_for("tickets.index"))


@bp.get("/tickets")
def index():
    svc = services()
    queue = svc.queue()
    f = QueueFilter.from_mapping(request.args, me=g.user.username)
    page = queue.list(f)
    profile = svc.profile()
    return render_template(
        "tickets/index.html", f=f, page=page, counts=queue.counts(me=g.user.username),
        topics=queue.topics(), assignees=queue.assignees(), kinds=KINDS, statuses=STATUS_CHOICES,
        sla_states=SLA_STATES, sorts=SORTS, per_page_choices=PER_PAGE_CHOICES, profile=profile,
        holiday_warnings=holiday_notices.warnings(profile) if g.user.is_admin else [],
    )


def _masked_texts(ticket: Ticket, transcript: Optional[Transcript]) -> Iterator[str]:
    """Every text the ticket page shows masked until a reveal (the template's `pii` macro)."""
    yield ticket.text
    yield from (m.get("text") or "" for m in ticket.messages)
    yield from (str(v) for v in (ticket.contact or {}).values())
    yield from (e.text or "" for e in ticket.events)
    if transcript is not None:
        for message in [*transcript.opening, *(m for t in transcript.turns for m in t.bot)]:
            yield message.text
            yield from message.buttons
        yield from (t.text for t in transcript.turns)


def _render_detail(ticket: Ticket, revealed: bool = False, status_code: int = 200):
    svc = services()
    transcript, note = None, None
    if ticket.redacted:
        note = labels.text("ticket.redacted_transcript")
    else:
        transcript, note = fetch_transcript(svc.rasa(), ticket.sender_id)
    has_pii = bool(ticket.contact) or any(contains_pii(text) for text in _masked_texts(ticket, transcript))
    profile = svc.profile()
    sla = None
    if ticket.is_open:
        sla = sla_state(ticket.resolve_due_at if ticket.first_response_at else ticket.due_at, utcnow(), profile)
    return render_template(
        "tickets/detail.html", ticket=ticket, transcript=transcript, transcript_note=note, revealed=revealed,
        may_reveal=may_reveal(), has_pii=has_pii, statuses=STATUSES, profile=profile, sla=sla,
        last_reply=ticket.last_staff_reply,
        deliveries=[m for m in svc.outbox().for_ticket(ticket.number) if m.recipient != "staff"],
    ), status_code


@bp.get("/tickets/<number>")
def detail(number: str):
    return _render_detail(_ticket_or_404(number))


def _audit(action: str, number: str, detail: Optional[str] = None) -> None:
    services().audit().record(g.user.username, action, number, detail, source="dashboard")


def _back(ticket: Ticket):
    return redirect(url_for("tickets.detail", number=ticket.number))


@bp.post("/tickets/<number>/reveal")
def reveal(number: str):
    ticket = _ticket_or_404(number)
    if not may_reveal():
        abort(403)
    reason = " ".join((request.form.get("reason") or "").split())[:300]
    if not reason:
        flash(labels.text("ticket.reveal_reason_missing"), "error")
        return _back(ticket)
    _audit("pii_revealed", ticket.number, f"reason: {reason}")
    return _render_detail(ticket, revealed=True)


@bp.post("/tickets/<number>/assign")
def assign(number: str):
    ticket = _ticket_or_404(number, with_events=False)
    assignee = g.user.username if request.form.get("to") == "me" else None
    services().tickets().assign(ticket.number, assignee, actor=g.user.username, source="dashboard")
    flash(labels.text("ticket.assigned_to_you" if assignee else "ticket.unassigned"), "info")
    return _back(ticket)


@bp.post("/tickets/<number>/reply")
def reply(number: str):
    ticket = _ticket_or_404(number, with_events=False)
    text = strip_invisible(request.form.get("text") or "").strip()  # invisible characters alone are no reply
    if not text:
        flash(labels.text("ticket.reply_empty"), "error")
        return _back(ticket)
    if len(text) > MAX_REPLY:
        flash(labels.text("ticket.reply_too_long", length=len(text), limit=MAX_REPLY), "error")
        return _back(ticket)
    try:
        services().tickets().reply(ticket.number, g.user.username, text, source="dashboard")
    except TicketError:
        abort(400)
    flash(labels.text("ticket.reply_sent" if is_telegram(ticket.sender_id) else "ticket.reply_saved"), "info")
    return _back(ticket)


def _change_status(ticket: Ticket, status: str, note: str):
    if status not in STATUSES:
        flash(labels.text("ticket.status_unknown"), "error")
        return _back(ticket)
    if len(note) > 2000:
        flash(labels.text("ticket.note_too_long"), "error")
        return _back(ticket)
    services().tickets().change_status(ticket.number, status, g.user.username, note=note or None, source="dashboard")
    told = is_telegram(ticket.sender_id) and status != ticket.status
    flash(labels.text("ticket.status_set", status=labels.label("status", status))
          + (labels.text("ticket.participant_told") if told else ""), "info")
    return _back(ticket)


@bp.post("/tickets/<number>/status")
def status(number: str):
    ticket = _ticket_or_404(number, with_events=False)
    return _change_status(ticket, request.form.get("status") or "", (request.form.get("note") or "").strip())


@bp.post("/tickets/<number>/resolve")
def resolve(number: str):
    ticket = _ticket_or_404(number, with_events=False)
    return _change_status(ticket, "resolved", (request.form.get("note") or "").strip())


@bp.post("/tickets/<number>/suggest-faq")
def suggest_faq(number: str):
    """Staff propose a ticket's question and answer as a new FAQ; admins see it on the knowledge-base page."""
    ticket = _ticket_or_404(number, with_events=False)
    note = " ".join((request.form.get("note") or "").split())[:300] or None
    if services().kb_store().propose(ticket.number, g.user.username, note, source="dashboard"):
        flash(labels.text("ticket.faq_proposed"), "info")
    else:
        flash(labels.text("ticket.faq_already_proposed"), "info")
    return _back(ticket)
