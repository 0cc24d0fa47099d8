"""Sessions, access control, CSRF protection and security headers for every request.

- Anonymous visitors reach only the login page and static files; everything else redirects to login.
- Sessions live on the server (accounts/sessions.py): the signed cookie holds a random token for
  the session record and the CSRF token. Signing out, a password change or reset and deactivating
  the account end the record, so a copied cookie stops working; a session ends 10 hours after
  sign-in however active (the cookie expires then too, it is not renewed by use) and after 2 hours
  idle. Roles are read from the database on every request.
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
from flask.sessions import SecureCookieSessionInterface, SessionMixin

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


class FixedEndSessionInterface(SecureCookieSessionInterface):
    """The cookie expires when its server-side session does (10 hours after sign-in), not a lifetime
    after the latest response that happened to rewrite it."""

    def get_expiration_time(self, app: Flask, session: SessionMixin) -> Optional[dt.datetime]:
        end = session.get("end")
        if session.permanent and isinstance(end, (int, float)):
            return dt.datetime.fromtimestamp(end, dt.timezone.utc)
        return super().get_expiration_time(app, session)


def start_session(user: User, client: Optional[str] = None) -> None:
    """A fresh session for a fresh login (no fixation): a new server-side record and a new CSRF token."""
    end_session()
    token, signin = services().sessions().start(user.id, client)
    session.permanent = True
    session["sid"] = token
    session["end"] = signin.expires_at.replace(tzinfo=dt.timezone.utc).timestamp()
    session["csrf"] = secrets.token_urlsafe(32)


def end_session() -> None:
    """Sign out: the server-side record goes, so a copy of the cookie no longer works either."""
    token = session.get("sid")
    if isinstance(token, str):
        services().sessions().end(token)
    session.clear()


def _load_user() -> Optional[User]:
    token = session.get("sid")
    if token is None:
        return None  # anonymous (the login page's CSRF token stays)
    signin = services().sessions().resolve(token) if isinstance(token, str) else None
    user = services().users().session_user(signin.user_id) if signin is not None else None
    if user is None:
        end_session()
        return None
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
    app.session_interface = FixedEndSessionInterface()
    app.jinja_env.globals["csrf_token"] = csrf_token

    @app.before_request
    def guard():
        g.user = None
        if request.endpoint == "static":
            return None
        g.user = _load_user()
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
