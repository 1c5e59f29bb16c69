"""The desk's pages: the case list, a case with its history, moves, transfers, questions and evidence."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from services.reference.law_wording import legal_view
from services.reference.vocabulary import labels

from ..accounts.auth import login_required
from ..reports.audit_words import readable
from ..transfers import transfer_notice
from . import case_list, casework, deadlines, evidence, lifecycle, reads
from .access import reads_audit
from .case_list import ListQuery
from .changes import NotFound, Refused

blp = Blueprint("pages", __name__, url_prefix="/desk")


def desk():
    return current_app.extensions["netra.desk"]


def office_today():
    """Today in WIB: the day the due dates are counted in."""
    return deadlines.office_day(casework.now())


@blp.get("/")
@login_required
def cases():
    """The cases this officer's unit works or may read: searched, filtered, sorted, one page at a time."""
    query = ListQuery.from_args(request.args)
    engine = desk().cases.engine
    found, total = case_list.find_page(engine, g.staff, query, office_today())
    return render_template("cases.html", cases=found, total=total, query=query, page_size=case_list.PAGE_SIZE,
                           today=office_today(), label=lifecycle.label, overdue=deadlines.is_overdue,
                           unread=reads.unread(engine, g.staff, [case["case_id"] for case in found]),
                           group_sizes=case_list.group_sizes(engine, g.staff, {c["group_id"] for c in found}),
                           statuses=deadlines.statuses(), categories=labels("categories"), steps=case_list.STEPS,
                           group=query.group)


@blp.get("/kasus/<case_id>")
@login_required
def case(case_id):
    """One case: what was reported, evidence, history, transfers, questions and the forms to act."""
    found, access = casework.open_case(desk().cases, case_id, g.staff)
    desk().audit.record(g.staff.username, g.staff.unit_id, "case.viewed", case_id)
    reads.mark_read(desk().cases.engine, g.staff, case_id, casework.now())
    repo = desk().cases
    return render_template(
        "case.html", case=found, access=access, history=repo.history(case_id), transfers=repo.transfers(case_id),
        group=repo.group_members(found["group_id"], g.staff) if found.get("group_id") else [],
        pending=repo.pending_transfer(case_id), questions=repo.questions(case_id), label=lifecycle.label,
        choices=lifecycle.choices(found["status"], g.staff.role, found.get("chain")), sanction_kinds=lifecycle.sanction_kinds(),
        units=desk().units, today=office_today(), days_left=deadlines.days_left, law=legal_view(found.get("law") or {}), can_transfer="dialihkan" in lifecycle.statuses()[found["status"]]["moves"])


def _back(case_id, message=None, refused: Refused | None = None):
    for reason in (refused.reasons if refused else []):
        flash(reason, "error")
    if message:
        flash(message, "ok")
    return redirect(url_for("pages.case", case_id=case_id))


@blp.post("/kasus/<case_id>/status")
@login_required
def move(case_id):
    form = request.form
    details = {k: form.get(k, "").strip() for k in ("decree_number", "decree_date", "sanction_kind") if form.get(k)}
    step = lifecycle.Move(form.get("status", ""), g.staff.username, g.staff.role, form.get("file_note", ""),
                          form.get("public_note", "").strip() or None, details)
    try:
        casework.move_case(desk().cases, case_id, g.staff, step)
    except Refused as refused:
        return _back(case_id, refused=refused)
    return _back(case_id, f"Status diubah menjadi '{lifecycle.label(step.target)}'.")


@blp.post("/kasus/<case_id>/pengalihan")
@login_required
def request_transfer(case_id):
    try:
        transfer = casework.request_transfer(desk().cases, desk().units, case_id, g.staff,
                                             request.form.get("to_unit_id", ""), request.form.get("reason", ""))
    except Refused as refused:
        return _back(case_id, refused=refused)
    if not transfer_notice.tell_heads(desk().accounts, desk().invitations, desk().units, transfer,
                                      desk().cases.get(case_id)):
        flash("Surel pemberitahuan ke kepala unit belum terkirim; pengajuan tetap tampil di daftar pengalihannya.",
              "error")
    return _back(case_id, "Pengalihan diajukan; menunggu persetujuan kepala unit.")


@blp.post("/kasus/<case_id>/pengalihan/setujui")
@login_required
def approve_transfer(case_id):
    casework.open_case(desk().cases, case_id, g.staff)
    if g.staff.role != "kepala":
        return _back(case_id, refused=Refused(["Hanya kepala unit yang dapat menyetujui pengalihan."]))
    try:
        casework.approve_transfer(desk().cases, case_id, g.staff, request.form.get("public_note") or None)
    except Refused as refused:
        return _back(case_id, refused=refused)
    return _back(case_id, "Pengalihan disetujui; kasus diteruskan ke unit tujuan.")


@blp.post("/kasus/<case_id>/pertanyaan")
@login_required
def ask(case_id):
    try:
        casework.ask_reporter(desk().cases, case_id, g.staff, request.form.get("question", ""))
    except Refused as refused:
        return _back(case_id, refused=refused)
    return _back(case_id, "Pertanyaan dikirim kepada pelapor.")


@blp.get("/kasus/<case_id>/bukti/<int:index>")
@login_required
def open_evidence(case_id, index):
    """The file's bytes, streamed from the evidence store; every view goes into the audit log."""
    found, _ = casework.open_case(desk().cases, case_id, g.staff)
    entry = evidence.file_of(found, index)
    desk().audit.record(g.staff.username, g.staff.unit_id, "evidence.viewed", case_id, entry["sha256"])
    return Response(evidence.stream(desk().store, entry["key"]), mimetype=entry["media_type"] or
                    "application/octet-stream", headers={"Cache-Control": "no-store",
                                                         "X-Content-Type-Options": "nosniff",
                                                         "Content-Security-Policy": "sandbox"})


@blp.post("/kasus/<case_id>/bukti/<int:index>/periksa")
@login_required
def verify_evidence(case_id, index):
    found, _ = casework.open_case(desk().cases, case_id, g.staff)
    entry = evidence.file_of(found, index)
    computed = evidence.sha256_of(desk().store, entry["key"])
    same = computed == entry["sha256"]
    desk().audit.record(g.staff.username, g.staff.unit_id, "evidence.verified", case_id,
                        f"{entry['sha256']} {'cocok' if same else 'BERBEDA: ' + computed}")
    if same:
        return _back(case_id, f"Berkas {index + 1}: SHA-256 dihitung ulang di server dan cocok ({computed}).")
    return _back(case_id, refused=Refused([f"Berkas {index + 1}: SHA-256 TIDAK cocok, dihitung {computed}."]))


@blp.get("/audit")
@login_required
def audit():
    """The unit's audit log, for kepala and admin."""
    if not reads_audit(g.staff):
        raise NotFound("audit")
    return render_template("audit.html", lines=[readable(line) for line in desk().audit.for_unit(g.staff.unit_id)])
