"""Sessions, access control, CSRF protection and security headers for every request.

- Anonymous visitors reach only the login page and static files; everything else redirects to login.
- The signed session cookie holds the user id and a stamp of the password hash: a password
  reset or deactivation ends existing sessions; roles are read from the database on every request.
- Every POST (and other unsafe method) must carry the session's CSRF token.
"""
from __future__ import annotations

import datetime as dt
import functools
import hmac
import secrets
from typing import Callable, Optional
from urllib.parse import urlsplit

from flask import Flask, abort, g, redirect, request, session, url_for

from accounts.users import User
from dashboard.services import services

PUBLIC_ENDPOINTS = {"auth.login", "static"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def _csrf_ok() -> bool:
    expected = session.get("csrf")
    given = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    return bool(expected) and hmac.compare_digest(str(expected), str(given))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def start_session(user: User) -> None:
    """A fresh session for a fresh login (no fixation): new id data and a new CSRF token."""
    session.clear()
    session.permanent = True
    session["uid"] = user.id
    session["stamp"] = user.session_stamp
    session["seen"] = _now().timestamp()
    session["csrf"] = secrets.token_urlsafe(32)


def end_session() -> None:
    session.clear()


def _load_user(app: Flask) -> Optional[User]:
    uid, stamp, seen = session.get("uid"), session.get("stamp"), session.get("seen")
    if not isinstance(uid, int) or not isinstance(stamp, str):
        return None
    idle: dt.timedelta = app.config["IDLE_TIMEOUT"]
    now = _now().timestamp()
    if not isinstance(seen, (int, float)) or now - seen > idle.total_seconds():
        session.clear()
        return None
    user = services().users().session_user(uid, stamp)
    if user is None:
        session.clear()
        return None
    if now - seen > 60:
        session["seen"] = now
    return user


def safe_next(target: Optional[str]) -> Optional[str]:
    """Only a local path may be a redirect target after login."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def role_required(*roles: str) -> Callable:
    """403 for signed-in users without one of `roles` (anonymous users never get here)."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if g.user is None:
                return redirect(url_for("auth.login", next=request.full_path))
            if g.user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


admin_required = role_required("admin")


def init_security(app: Flask) -> None:
    app.jinja_env.globals["csrf_token"] = csrf_token

    @app.before_request
    def guard():
        g.user = None
        if request.endpoint == "static":
            return None
        g.user = _load_user(app)
        if request.method in UNSAFE_METHODS and not _csrf_ok():
            abort(400, description="csrf")
        if g.user is None and request.endpoint not in PUBLIC_ENDPOINTS:
            target = request.full_path.rstrip("?") if request.method == "GET" else None
            return redirect(url_for("auth.login", next=safe_next(target)))
        return None

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response
