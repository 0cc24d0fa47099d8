"""Admin pages: the branch profile (office hours, service standard, holidays), accounts, the audit log."""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from accounts.models import ROLES
from accounts.passwords import PasswordError
from accounts.users import UserError
from dashboard import labels
from dashboard.security import admin_required
from dashboard.services import services
from branch.profile import DAYS, BranchError, BranchProfile

bp = Blueprint("admin", __name__, url_prefix="/admin")

AUDIT_PAGE = 50


@bp.before_request
@admin_required
def _admins_only():
    return None


# ---- branch profile ---------------------------------------------------------
def _holidays(text: str) -> List[str]:
    days = []
    for raw in (text or "").replace(",", "\n").splitlines():
        raw = raw.strip()
        if not raw:
            continue
        try:
            days.append(dt.date.fromisoformat(raw[:10]).isoformat())
        except ValueError:
            raise BranchError(labels.text("admin.bad_holiday", date=repr(raw[:20]))) from None
    return sorted(set(days))


def _number(form, name: str) -> float:
    try:
        return float((form.get(name) or "").replace(",", "."))
    except ValueError:
        raise BranchError(labels.text("admin.not_a_number", field=name)) from None


def _profile_from_form(current: BranchProfile, form) -> BranchProfile:
    data: Dict[str, Any] = current.to_dict()
    data["name"] = {"id": (form.get("name_id") or "").strip()[:200] or current.name["id"],
                    "en": (form.get("name_en") or "").strip()[:200] or current.name["en"]}
    for key in ("address", "phone", "map_url"):
        data[key] = (form.get(key) or "").strip()[:300] or None
    if data["map_url"] and not data["map_url"].startswith(("https://", "http://")):
        raise BranchError(labels.text("admin.map_url_scheme"))
    data["office_hours"] = {"days": [d for d in DAYS if d in form.getlist("days")],
                            "open": (form.get("open") or "").strip(), "close": (form.get("close") or "").strip(),
                            "source": (form.get("hours_source") or "").strip()[:300]}
    data["service_standard"] = {key: _number(form, key)
                                for key in ("first_response_hours", "resolution_hours", "due_soon_hours")}
    if data["service_standard"]["due_soon_hours"] < 0:
        raise BranchError(labels.text("admin.negative_due_soon"))
    data["service_standard"]["published"] = form.get("standard_published") == "1"
    data["service_standard"]["document"] = (form.get("standard_document") or "").strip()[:300] or None
    data["holidays"] = _holidays(form.get("holidays") or "")
    return BranchProfile.from_dict(data)


@bp.route("/branch", methods=["GET", "POST"])
def branch():
    svc = services()
    profile = svc.profile()
    error = None
    if request.method == "POST":
        try:
            updated = _profile_from_form(profile, request.form)
        except BranchError as exc:
            error = str(exc)
        else:
            if svc.branches().save(updated, actor=g.user.username, source="dashboard"):
                svc.forget_profile()
                flash(labels.text("admin.branch_saved"), "info")
            else:
                flash(labels.text("unchanged"), "info")
            return redirect(url_for("admin.branch"))
    open_h, open_m = map(int, profile.open_time.split(":"))
    close_h, close_m = map(int, profile.close_time.split(":"))
    day_hours = ((close_h * 60 + close_m) - (open_h * 60 + open_m)) / 60
    return render_template("admin/branch.html", profile=profile, days=DAYS, error=error, day_hours=day_hours,
                           updated_by=svc.branches().updated_by(profile.code)), (400 if error else 200)


# ---- accounts ---------------------------------------------------------------
@bp.get("/users")
def users():
    return render_template("admin/users.html", users=services().users().list(), roles=ROLES)


def _done(message: str):
    flash(message, "info")
    return redirect(url_for("admin.users"))


def _failed(message: str):
    flash(message, "error")
    return redirect(url_for("admin.users"))


@bp.post("/users")
def create_user():
    form = request.form
    if (form.get("password") or "") != (form.get("confirm_password") or ""):
        return _failed(labels.text("admin.passwords_differ"))
    try:
        user = services().users().create(form.get("username") or "", form.get("display_name") or "",
                                         form.get("role") or "", form.get("password") or "",
                                         actor=g.user.username, source="dashboard")
    except (UserError, PasswordError) as exc:
        return _failed(str(exc))
    return _done(labels.text("admin.user_created", username=user.username))


def _target(username: str):
    user = services().users().get(username)
    if user is None:
        abort(404)
    return user


@bp.post("/users/<username>/password")
def reset_password(username: str):
    user = _target(username)
    form = request.form
    if (form.get("password") or "") != (form.get("confirm_password") or ""):
        return _failed(labels.text("admin.passwords_differ"))
    try:
        services().users().reset_password(user.username, form.get("password") or "", actor=g.user.username,
                                          source="dashboard")
    except (UserError, PasswordError) as exc:
        return _failed(str(exc))
    return _done(labels.text("admin.password_reset", username=user.username))


@bp.post("/users/<username>/role")
def set_role(username: str):
    user = _target(username)
    try:
        services().users().set_role(user.username, request.form.get("role") or "", actor=g.user.username)
    except UserError as exc:
        return _failed(str(exc))
    return _done(labels.text("admin.role_changed", username=user.username))


@bp.post("/users/<username>/active")
def set_active(username: str):
    user = _target(username)
    active = request.form.get("active") == "1"
    if not active and user.id == g.user.id:
        return _failed(labels.text("admin.cannot_deactivate_self"))
    try:
        services().users().set_active(user.username, active, actor=g.user.username)
    except UserError as exc:
        return _failed(str(exc))
    return _done(labels.text("admin.activated" if active else "admin.deactivated", username=user.username))


@bp.post("/users/<username>/telegram")
def set_telegram(username: str):
    user = _target(username)
    raw = (request.form.get("telegram_user_id") or "").strip()
    try:
        tid = int(raw) if raw else None
    except ValueError:
        return _failed(labels.text("admin.telegram_not_a_number"))
    try:
        services().users().set_telegram(user.username, tid, actor=g.user.username, source="dashboard")
    except UserError as exc:
        return _failed(str(exc))
    return _done(labels.text("admin.telegram_set" if tid else "admin.telegram_cleared", username=user.username))


# ---- audit log --------------------------------------------------------------
@bp.get("/audit")
def audit():
    log = services().audit()
    actor = (request.args.get("actor") or "").strip()[:100] or None
    actions = log.actions()
    action = request.args.get("action") if request.args.get("action") in actions else None
    try:
        page = max(1, min(100_000, int(request.args.get("page") or 1)))
    except ValueError:
        page = 1
    total = log.count(actor=actor, action=action)
    entries = log.list(actor=actor, action=action, limit=AUDIT_PAGE, offset=(page - 1) * AUDIT_PAGE)
    pages = max(1, -(-total // AUDIT_PAGE))
    return render_template("admin/audit.html", entries=entries, actions=actions, actor=actor or "",
                           action=action or "", page=page, pages=pages, total=total)
