"""The staff and admin web dashboard (Flask): review queue, tickets with transcripts,
knowledge-base editing, KPIs, branch profile and accounts.

`create_app()` does no work beyond wiring: the database is opened by the first
request that needs it. Views stay thin; queries live in monitoring/, accounts/ and kb/.
"""
from __future__ import annotations

import logging
from typing import Any, Mapping, Optional

from flask import Flask, g, render_template
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from core.masking import mask_pii
from kb.citation import format_lines
from texts import STAFF_LANGUAGE, lookup

log = logging.getLogger(__name__)

def _error_page(code: int, name: str = ""):
    """The error page in the staff's language; an unknown status shows its HTTP name."""
    title = lookup(f"dashboard.error.{code}.title", STAFF_LANGUAGE) or name
    text = lookup(f"dashboard.error.{code}.text", STAFF_LANGUAGE) or ""
    return render_template("error.html", code=code, title=title, text=text), code


def _branch_name() -> str:
    """The branch's name for page headers; a generic name when the profile cannot be read (database down)."""
    from branch.profile import BranchError
    from dashboard.services import services

    try:
        return services().profile().name["id"]
    except BranchError:  # no profile for this branch: the page must still render
        return "BPJS Ketenagakerjaan"


def create_app(test_config: Optional[Mapping[str, Any]] = None) -> Flask:
    from dashboard import admin, auth, kb, kpis, labels, reply_templates, review, servqual_rules, ticket_actions, tickets
    from dashboard.config import build_config
    from dashboard.inputs import DashboardRequest
    from dashboard.security import init_security
    from dashboard.services import EXTENSION, Services
    from dashboard.throttle import LoginThrottle

    app = Flask(__name__)
    app.request_class = DashboardRequest  # form fields and query parameters without NUL characters
    app.config.from_mapping(build_config(test_config))
    app.extensions[EXTENSION] = Services(app)
    app.extensions["bpjstk_login_throttle"] = LoginThrottle(app.config["LOGIN_THROTTLE_LIMIT"],
                                                            app.config["LOGIN_THROTTLE_WINDOW"])
    init_security(app)
    for blueprint in (auth.bp, tickets.bp, ticket_actions.bp, reply_templates.bp, kb.bp, kpis.bp, review.bp,
                      servqual_rules.bp, admin.bp):
        app.register_blueprint(blueprint)

    app.jinja_env.filters.update(
        masked=mask_pii, timestamp=labels.from_timestamp, percent=labels.percent, hours=labels.hours,
        status_label=lambda c: labels.label("status", c), kind_label=lambda c: labels.label("kind", c),
        sla_label=lambda c: labels.label("sla", c), outcome_label=lambda c: labels.label("outcome", c),
        event_label=lambda c: labels.label("event", c), role_label=lambda c: labels.label("role", c),
        audit_label=lambda c: labels.label("audit", c), day_label=labels.day_label,
        deadline_label=lambda c: labels.label("deadline", c), aspect_label=lambda c: labels.label("aspect", c),
        delivery_kind=lambda c: labels.label("delivery", c), citation_lines=format_lines,
        local_date=labels.local_date, review_reason=lambda c: labels.label("review", c),
        share=labels.share, decimal=labels.decimal, signed=labels.signed,
        grouping_label=lambda c: labels.label("grouping", c), label=lambda c, family: labels.label(family, c),
        contact_label=lambda c: labels.label("contact", c if c in ("email", "phone") else "other"),
        channel_label=lambda c: labels.label("channel", c if c in ("telegram", "rest") else "other"),
        placeholder_label=lambda c: labels.label("placeholder", c),
    )
    app.jinja_env.globals["t"] = labels.text  # the dashboard's sentences (texts/dashboard.yml) in templates

    @app.template_filter("local")
    def local(at, with_date: bool = True) -> str:
        """A naive-UTC time in the branch's time zone (looked up once per request)."""
        if "timezone" not in g:
            g.timezone = app.extensions[EXTENSION].profile().timezone
        return labels.local_time(at, g.timezone, with_date)

    @app.context_processor
    def globals_for_templates():
        return {"current_user": g.get("user"), "branch_name": _branch_name()}

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return _error_page(exc.code or 500, exc.name)

    @app.errorhandler(SQLAlchemyError)
    def database_error(exc: SQLAlchemyError):
        log.error("database error: %s", type(exc).__name__, exc_info=True)
        return _error_page(503)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.error("unhandled error: %s", type(exc).__name__, exc_info=True)
        return _error_page(500)

    return app
