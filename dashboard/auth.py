"""Signing in and out, and changing one's own password."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from accounts.passwords import PasswordError
from accounts.users import UserError
from dashboard import labels
from dashboard.security import end_session, safe_next, start_session
from dashboard.services import services
from dashboard.throttle import LoginThrottle

bp = Blueprint("auth", __name__)

def throttle() -> LoginThrottle:
    return current_app.extensions["bpjstk_login_throttle"]


def client_key() -> str:
    return request.remote_addr or "unknown"


@bp.route("/login", methods=["GET", "POST"])
def login():
    if g.user is not None:
        return redirect(url_for("tickets.index"))
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("login.html", next=next_url)
    key = client_key()
    if throttle().blocked(key):
        minutes = max(1, throttle().retry_after(key) // 60)
        return render_template("login.html", next=next_url,
                               error=labels.text("auth.throttled", minutes=minutes)), 429
    username = (request.form.get("username") or "")[:64]
    password = (request.form.get("password") or "")[:256]
    result = services().users().authenticate(username, password, source="dashboard", client=key)
    if not result.ok:
        throttle().failed(key)
        return render_template("login.html", next=next_url, username=username, error=labels.text("auth.failed")), 401
    # The address's failures keep counting: one valid account must not buy guesses at the others.
    start_session(result.user, key)
    return redirect(next_url or url_for("tickets.index"))


@bp.post("/logout")
def logout():
    services().audit().record(g.user.username, "logout", g.user.username, source="dashboard")
    end_session()
    flash(labels.text("auth.signed_out"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    if request.method == "POST":
        new = request.form.get("new_password") or ""
        if new != (request.form.get("confirm_password") or ""):
            flash(labels.text("auth.new_passwords_differ"), "error")
        else:
            try:
                user = services().users().change_password(g.user.id, request.form.get("current_password") or "", new)
            except (UserError, PasswordError) as exc:
                flash(str(exc), "error")
            else:
                start_session(user, client_key())  # every session of the account ended: a new one here
                flash(labels.text("auth.password_changed"), "info")
                return redirect(url_for("tickets.index"))
    return render_template("account_password.html")
