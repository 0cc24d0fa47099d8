"""The ticket queue and the ticket page: what staff see. What they do on a ticket is dashboard/ticket_actions.py."""
from __future__ import annotations

from typing import Dict, Iterator, List, Optional

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for

from accounts.users import User
from core.db import utcnow
from core.masking import contains_pii
from dashboard import holiday_notices, labels
from dashboard.services import services
from dashboard.transcript import Transcript, fetch_transcript
from kb.topics import load_topics
from monitoring.review_queue import PER_PAGE_CHOICES, SLA_STATES, SORTS, STATUS_CHOICES, UNASSIGNED, QueueFilter
from monitoring.service_time import sla_state
from monitoring.tickets import KINDS, OPEN_STATUSES, STATUSES, Ticket, TicketError, normalize_number

bp = Blueprint("tickets", __name__)

MAX_BULK = 100  # tickets one bulk action may change


def ticket_or_404(number: str, with_events: bool = True) -> Ticket:
    normalized = normalize_number(number or "")
    if normalized is None:
        abort(404)
    ticket = services().tickets().get(normalized, with_events=with_events)
    if ticket is None:
        abort(404)
    return ticket


def may_reveal() -> bool:
    return g.user is not None and g.user.role in current_app.config["REVEAL_ROLES"]


def colleagues() -> List[User]:
    """The active accounts a ticket may be given to."""
    return [u for u in services().users().list() if u.active]


def names() -> Dict[str, str]:
    """username -> display name, for every account (a former colleague's tickets still show a name)."""
    return {u.username: u.display_name or u.username for u in services().users().list()}


def kb_topics() -> list:
    return [t for t in load_topics() if t.kind == "kb"]


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
    people = colleagues()
    view = ("mine" if f.assignee == g.user.username else "unassigned" if f.assignee == UNASSIGNED
            else "overdue" if f.sla == "overdue" else "all" if not f.assignee and not f.sla else None)
    return render_template(
        "tickets/index.html", f=f, page=page, counts=queue.counts(me=g.user.username), view=view,
        topics=sorted(set(queue.topics()) | {t.code for t in kb_topics()}), colleagues=people, names=names(),
        kinds=KINDS, statuses=STATUS_CHOICES, sla_states=SLA_STATES, sorts=SORTS, per_page_choices=PER_PAGE_CHOICES,
        profile=profile, back=request.full_path.rstrip("?"),
        holiday_warnings=holiday_notices.warnings(profile) if g.user.is_admin else [],
    )


def _queue_url(back: Optional[str]) -> str:
    """Where a bulk action returns: the queue as it was filtered (only a queue address is accepted)."""
    if back and back.startswith("/tickets?") and "//" not in back and "\\" not in back:
        return back
    return url_for("tickets.index")


@bp.post("/tickets/bulk")
def bulk():
    """Assign or resolve several tickets at once (each change audited and told as if done one by one)."""
    back = _queue_url(request.form.get("back"))
    numbers = list(dict.fromkeys(n for n in (normalize_number(x) for x in request.form.getlist("numbers")) if n))
    if not numbers:
        flash(labels.text("queue.bulk_none"), "error")
        return redirect(back)
    if len(numbers) > MAX_BULK:
        flash(labels.text("queue.bulk_too_many", limit=MAX_BULK), "error")
        return redirect(back)
    tickets = services().tickets()
    action = request.form.get("do")
    done = 0
    if action == "assign":
        assignee = _assignee(request.form.get("assignee"))
        if assignee is False:
            flash(labels.text("ticket.assignee_unknown"), "error")
            return redirect(back)
        for number in numbers:
            ticket = tickets.get(number)
            if ticket is not None and ticket.is_open and ticket.assignee != assignee:
                tickets.assign(number, assignee or None, actor=g.user.username, source="dashboard")
                done += 1
        who = names().get(assignee, assignee) if assignee else None
        flash(labels.text("queue.bulk_assigned", count=done, name=who) if who
              else labels.text("queue.bulk_unassigned", count=done), "info")
    elif action == "resolve":
        note = (request.form.get("note") or "").strip()
        if len(note) > 2000:
            flash(labels.text("ticket.note_too_long"), "error")
            return redirect(back)
        told = 0
        for number in numbers:
            ticket = tickets.get(number)
            if ticket is None or not ticket.is_open:
                continue
            try:
                tickets.change_status(number, "resolved", g.user.username, note=note or None, source="dashboard")
            except TicketError:
                continue
            done += 1
            told += ticket.reaches_participant
        flash(labels.text("queue.bulk_resolved", count=done, told=told), "info")
    else:
        flash(labels.text("queue.bulk_unknown"), "error")
    return redirect(back)


def _assignee(value: Optional[str]):
    """The username to assign to ('' for no one), or False when it is not an active colleague's."""
    value = (value or "").strip()
    if value in ("", UNASSIGNED):
        return ""
    if value == "me":
        return g.user.username
    return value if value in {u.username for u in colleagues()} else False


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


def render_detail(ticket: Ticket, revealed: bool = False, draft: str = "", status_code: int = 200):
    """The ticket page; `draft` prefills the action text (a template or an FAQ answer inserted)."""
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
    store = svc.kb_store()
    faq_links = [(p, _entry_state(store, p.entry_id)) for p in store.proposals_for_ticket(ticket.number)]
    entries = sorted(store.active_entries(), key=lambda e: (e.topic != ticket.topic, e.topic, e.id))
    others = [t for t in svc.tickets().for_sender(ticket.sender_id, limit=10) if t.number != ticket.number]
    return render_template(
        "tickets/detail.html", ticket=ticket, transcript=transcript, transcript_note=note, revealed=revealed,
        may_reveal=may_reveal(), has_pii=has_pii, statuses=STATUSES, open_statuses=OPEN_STATUSES, profile=profile,
        sla=sla, draft=draft, colleagues=colleagues(), names=names(), topics=kb_topics(), faq_links=faq_links,
        faq_pending=any(p.status == "pending" for p, _ in faq_links),
        templates=svc.reply_templates().list(active_only=True), entries=entries, others=others,
        deliveries=[m for m in svc.outbox().for_ticket(ticket.number) if m.recipient != "staff"],
    ), status_code


def _entry_state(store, entry_id: Optional[str]) -> Optional[str]:
    """'active' or 'draft' for an entry made from the ticket; None when it no longer exists."""
    if not entry_id:
        return None
    try:
        return "active" if store.get(entry_id).entry.active else "draft"
    except LookupError:
        return None


@bp.get("/tickets/<number>")
def detail(number: str):
    return render_detail(ticket_or_404(number))


@bp.post("/tickets/<number>/reveal")
def reveal(number: str):
    ticket = ticket_or_404(number)
    if not may_reveal():
        abort(403)
    reason = " ".join((request.form.get("reason") or "").split())[:300]
    if not reason:
        flash(labels.text("ticket.reveal_reason_missing"), "error")
        return redirect(url_for("tickets.detail", number=ticket.number))
    services().audit().record(g.user.username, "pii_revealed", ticket.number,
                              labels.text("ticket.reveal_audit", reason=reason), source="dashboard")
    return render_detail(ticket, revealed=True)
