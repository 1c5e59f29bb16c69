"""The case file download (/desk/kasus/<case_id>/berkas-kasus.pdf) for officers of the case's units."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, g

from ..accounts.auth import login_required
from ..cases.casework import now
from .casefile import case_file_for, may_print

blp = Blueprint("casefile", __name__, url_prefix="/desk")


def desk():
    return current_app.extensions["netra.desk"]


@blp.get("/kasus/<case_id>/berkas-kasus.pdf")
@login_required
def download(case_id):
    """The PDF for a hearing; 404 for anyone of no unit of the case, like every other route of it."""
    made = case_file_for(desk(), case_id, g.staff, now())
    return Response(made.pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{made.filename}"', "Cache-Control": "no-store"})


@blp.app_template_global()
def may_print_case_file(case_id: str) -> bool:
    """Whether the case page offers the download to this officer."""
    return may_print(g.staff, desk().cases.accesses(case_id))
