"""Reply templates (admins): list, create and edit the texts staff insert into a ticket reply."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from dashboard import labels
from dashboard.security import admin_required
from dashboard.services import services
from monitoring.reply_templates import PLACEHOLDERS, TemplateError

bp = Blueprint("reply_templates", __name__, url_prefix="/templates")


def _page(form=None, error=None, status: int = 200):
    return render_template("admin/reply_templates.html", templates=services().reply_templates().list(),
                           placeholders=PLACEHOLDERS, form=form or {}, error=error), status


@bp.get("")
@admin_required
def index():
    edit = request.args.get("edit", type=int)
    template = services().reply_templates().get(edit) if edit else None
    if edit and template is None:
        abort(404)
    form = {"id": template.id, "title": template.title, "body_id": template.body_id, "body_en": template.body_en,
            "active": template.active} if template else {}
    return _page(form)


@bp.post("")
@admin_required
def save():
    store = services().reply_templates()
    form = {k: request.form.get(k) or "" for k in ("title", "body_id", "body_en")}
    template_id = request.form.get("id", type=int)
    try:
        if template_id:
            form["id"], form["active"] = template_id, request.form.get("active") == "1"
            store.update(template_id, form["title"], form["body_id"], form["body_en"], form["active"],
                         actor=g.user.username, source="dashboard")
            flash(labels.text("templates.saved", title=form["title"].strip()), "info")
        else:
            store.create(form["title"], form["body_id"], form["body_en"], actor=g.user.username, source="dashboard")
            flash(labels.text("templates.created", title=form["title"].strip()), "info")
    except TemplateError as exc:
        return _page(form, error=str(exc), status=400)
    except LookupError:
        abort(404)
    return redirect(url_for("reply_templates.index"))
