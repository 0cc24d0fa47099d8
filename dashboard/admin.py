"""Admin pages: the branch profile (office hours, service standard, holidays), accounts, the audit log."""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from accounts.models import ROLES
from accounts.passwords import PasswordError
from accounts.users import UserError
from branch.profile import DAYS, BranchError, BranchProfile, read_profile_file
from dashboard import holiday_notices, labels
from dashboard.branch_form import form_values, profile_from_form
from dashboard.security import admin_required
from dashboard.services import services

bp = Blueprint("admin", __name__, url_prefix="/admin")

AUDIT_PAGE = 50


@bp.before_request
@admin_required
def _admins_only():
    return None


# ---- branch profile ---------------------------------------------------------
def _file_profile() -> Optional[BranchProfile]:
    """The branch's version-controlled profile (branch/profiles/<code>.yml), None when there is none."""
    path = services().profile_file()
    try:
        return read_profile_file(path) if path.exists() else None
    except BranchError:
        return None


def _file_offers(profile: BranchProfile, today: dt.date) -> List[Dict[str, Any]]:
    """Years whose holidays the profile file lists from a decree the stored profile does not name for
    that year. Once an admin has edited the profile, starting the stack no longer copies the file into
    the database, so a year's decree added to the file reaches the database through this offer."""
    in_file = _file_profile()
    if in_file is None:
        return []
    return [{"year": year.year, "count": year.days, "source": year.source, "file": services().profile_file().name}
            for year in in_file.holiday_years(today)
            if year.loaded and profile.holiday_sources.get(year.year) != year.source]


@bp.route("/branch", methods=["GET", "POST"])
def branch():
    svc = services()
    profile = svc.profile()
    error = None
    if request.method == "POST":
        try:
            updated = profile_from_form(profile, request.form)
        except BranchError as exc:
            error = str(exc)
        else:
            if svc.branches().save(updated, actor=g.user.username, source="dashboard"):
                svc.forget_profile()
                flash(labels.text("admin.branch_saved"), "info")
            else:
                flash(labels.text("unchanged"), "info")
            return redirect(url_for("admin.branch"))
    today = holiday_notices.today(profile)
    years = profile.holiday_years(today)
    values = form_values(profile, years)
    if error:  # shown again as typed: nothing the admin wrote is lost
        values.update(request.form.to_dict())
        values["days"] = request.form.getlist("days")
    open_h, open_m = map(int, profile.open_time.split(":"))
    close_h, close_m = map(int, profile.close_time.split(":"))
    day_hours = ((close_h * 60 + close_m) - (open_h * 60 + open_m)) / 60
    return render_template("admin/branch.html", profile=profile, values=values, days=DAYS, error=error,
                           day_hours=day_hours, holiday_years=years,
                           holiday_warnings=holiday_notices.warnings(profile),
                           file_offers=_file_offers(profile, today),
                           updated_by=svc.branches().updated_by(profile.code)), (400 if error else 200)


@bp.post("/branch/holidays/from-file")
def holidays_from_file():
    """One year's holidays and decree taken from the profile file into the stored profile."""
    svc = services()
    profile = svc.profile()
    in_file = _file_profile()
    try:
        year = int(request.form.get("year") or "")
    except ValueError:
        year = 0
    if in_file is None or not in_file.holiday_sources.get(year):
        flash(labels.text("admin.holidays_not_in_file", year=year or "?"), "error")
        return redirect(url_for("admin.branch"))
    if svc.branches().save(profile.with_holiday_year(in_file, year), actor=g.user.username, source="dashboard"):
        svc.forget_profile()
        count = sum(1 for h in in_file.holidays if h.date.year == year)
        flash(labels.text("admin.holidays_imported", year=year, count=count), "info")
    else:
        flash(labels.text("unchanged"), "info")
    return redirect(url_for("admin.branch"))


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
