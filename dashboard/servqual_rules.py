"""The SERVQUAL rules of the monthly review: everyone reads them, admins edit them (one form, one fieldset
per dimension: ticket kinds as checkboxes, topic codes and each language's words one per line) or put the
version-controlled file back. A refused form is shown again as typed, with the reasons."""
from __future__ import annotations

from typing import Any, Dict

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from branch.profile import BranchProfile
from core.language import LANGUAGES
from dashboard import labels
from dashboard.security import admin_required
from dashboard.services import services
from kb.topics import kb_topic_codes, load_topics
from monitoring.servqual import DIMENSIONS, Rules, RulesError, ServqualRules, parse_rules
from monitoring.tickets import KINDS

bp = Blueprint("servqual", __name__, url_prefix="/review/rules")


def _lines(text: str):
    return [" ".join(line.split()) for line in (text or "").replace(",", "\n").splitlines() if line.strip()]


def rules_from_form(form) -> Dict[str, Any]:
    """The form's fields as the rules' mapping form (checked by parse_rules)."""
    return {"dimensions": {code: {
        "kinds": [k for k in form.getlist(f"{code}_kinds")],
        "topics": _lines(form.get(f"{code}_topics") or ""),
        "words": {lang: _lines(form.get(f"{code}_words_{lang}") or "") for lang in LANGUAGES},
    } for code in DIMENSIONS}}


def form_from_rules(rules: Rules) -> Dict[str, Any]:
    data = rules.to_dict()["dimensions"]
    return {code: {"kinds": data[code]["kinds"], "topics": "\n".join(data[code]["topics"]),
                   "words": {lang: "\n".join(data[code]["words"].get(lang, [])) for lang in LANGUAGES}}
            for code in DIMENSIONS}


def rules_source(rules: Rules, profile: BranchProfile) -> str:
    """Which version of the rules is in force, in the staff's words."""
    if rules.source == "dashboard" and rules.changed_at is not None:
        return labels.text("monthly.rules_from_dashboard", by=rules.changed_by,
                           at=labels.local_time(rules.changed_at, profile.timezone))
    return labels.text("monthly.rules_from_file")


def _render(rules: Rules, form: Dict[str, Any], error: str = "", status: int = 200):
    source = rules_source(rules, services().profile())
    return render_template("review/rules.html", rules=rules, form=form, error=error, dimensions=DIMENSIONS,
                           kinds=KINDS, languages=LANGUAGES, source=source,
                           topic_codes=[t.code for t in load_topics() if t.kind == "kb"]), status


@bp.get("")
def show():
    rules = ServqualRules(services().db).current()
    return _render(rules, form_from_rules(rules))


@bp.post("")
@admin_required
def save():
    store = ServqualRules(services().db)
    data = rules_from_form(request.form)
    try:
        rules = parse_rules(data, known_topics=kb_topic_codes())
    except RulesError as exc:
        typed = {code: {"kinds": spec["kinds"], "topics": request.form.get(f"{code}_topics") or "",
                        "words": {lang: request.form.get(f"{code}_words_{lang}") or "" for lang in LANGUAGES}}
                 for code, spec in data["dimensions"].items()}
        return _render(store.current(), typed, labels.text("monthly.rules_refused", problems="; ".join(exc.problems[:8])),
                       400)
    store.save(rules, g.user.username)
    flash(labels.text("monthly.rules_saved"), "info")
    return redirect(url_for("servqual.show"))


@bp.post("/reset")
@admin_required
def reset():
    ServqualRules(services().db).reset(g.user.username)
    flash(labels.text("monthly.rules_reset"), "info")
    return redirect(url_for("servqual.show"))
