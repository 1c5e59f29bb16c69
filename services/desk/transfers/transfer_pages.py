"""Transfers waiting for a head's decision: the list of them, and refusing one with a reason."""
from __future__ import annotations

from flask import Blueprint, current_app, g, render_template, request

from ..accounts.auth import login_required
from ..cases import casework
from ..cases.changes import NotFound, Refused
from ..cases.pages import _back
from .transfer_notice import DECIDES

blp = Blueprint("transfers", __name__, url_prefix="/desk")


def desk():
    return current_app.extensions["netra.desk"]


def pending_count() -> int:
    """In a template: how many transfers wait for this head's decision (0 for anyone who cannot decide)."""
    staff = g.get("staff")
    if staff is None or staff.role != DECIDES:
        return 0
    return len(desk().cases.pending_transfers_of(staff.unit_id))


@blp.get("/pengalihan")
@login_required
def pending():
    """The unit's transfer requests waiting for the head, oldest first."""
    if g.staff.role != DECIDES:
        raise NotFound("pengalihan")
    return render_template("transfers.html", pending=desk().cases.pending_transfers_of(g.staff.unit_id),
                           units=desk().units)


@blp.post("/kasus/<case_id>/pengalihan/tolak")
@login_required
def refuse(case_id):
    casework.open_case(desk().cases, case_id, g.staff)
    if g.staff.role != DECIDES:
        return _back(case_id, refused=Refused(["Hanya kepala unit yang dapat menolak pengalihan."]))
    try:
        casework.refuse_transfer(desk().cases, case_id, g.staff, request.form.get("refusal_reason", ""))
    except Refused as refused:
        return _back(case_id, refused=refused)
    return _back(case_id, "Pengalihan ditolak; petugas yang mengajukan membaca alasannya pada kasus ini.")
