"""The case's chain of steps on its page: each body's step, its due date and outcome, the form that ends the
step and hands the case on, the decree's PDF, and the Kanreg's view of whether the PPK followed it."""
from __future__ import annotations

import functools

from flask import Blueprint, Response, current_app, flash, g, redirect, request, url_for

from ..accounts.auth import login_required
from ..cases import casework, deadlines
from ..cases.changes import NotFound, Refused
from ..cases.evidence import stream
from . import handoff, siasn
from .documents import BAP, DECREE, DocumentRefused, read_pdf
from .steps import OUTCOME_WORDS, TASK_WORDS, active_step

blp = Blueprint("steps", __name__, url_prefix="/desk")


def desk():
    return current_app.extensions["netra.desk"]


def _back(case_id, message=None, reasons=()):
    for reason in reasons:
        flash(reason, "error")
    if message:
        flash(message, "ok")
    return redirect(url_for("pages.case", case_id=case_id) + "#steps")


@blp.app_template_global()
def step_view(case: dict, access: str) -> dict:
    """What the case page shows of the chain to this officer."""
    chain, today = case.get("chain"), deadlines.office_day(casework.now())
    active = active_step(chain)
    return {"chain": chain, "active": active, "followed": handoff.followed(chain),
            "can_complete": access == "write" and active is not None and case["status"] not in handoff.CLOSED,
            "overdue_ppk": siasn.flagged_to(g.staff, chain, today), "next_action": siasn.NEXT_ACTION,
            "sanctions": handoff.sanctions(), "tasks": TASK_WORDS, "outcomes": OUTCOME_WORDS}


@blp.app_template_global()
def ppk_late(case: dict) -> bool:
    """The case list's marker: the PPK's step on this officer's unit's recommendation is past its deadline."""
    return siasn.flagged_to(g.staff, case.get("chain"), deadlines.office_day(casework.now())) is not None


@blp.app_template_global()
def desk_document_limit() -> int:
    return desk().settings.document_max_bytes


def outcome_from(form) -> handoff.Outcome:
    return handoff.Outcome(**{name: form.get(name, "").strip() for name in handoff.Outcome.__dataclass_fields__})


@blp.post("/kasus/<case_id>/langkah")
@login_required
def complete(case_id):
    """End this unit's step with its outcome (a decision carries its decree's PDF, and its BAP's when given)
    and hand the case on."""
    found, _ = casework.open_case(desk().cases, case_id, g.staff)
    outcome = outcome_from(request.form)
    try:
        step = active_step(found.get("chain"))
        pdfs = decision_pdfs(request.files) if step and step["outcome"] == "keputusan" else {}
        archive = functools.partial(archive_documents, found["complaint_id"], pdfs)
        desk().cases.act(case_id, lambda case: handoff.complete_step(case, g.staff, outcome, archive,
                                                                     casework.now()))
    except DocumentRefused as refused:
        return _back(case_id, reasons=[str(refused)])
    except Refused as refused:
        return _back(case_id, reasons=refused.reasons)
    return _back(case_id, "Langkah selesai; kasus diteruskan ke instansi berikutnya.")


def decision_pdfs(files) -> dict:
    """The decree's PDF (required) and the BAP's (optional), each checked before anything is written."""
    limit = desk().settings.document_max_bytes
    field, kind, name = DECREE
    pdfs = {kind: read_pdf(files.get(field), limit, name)}
    field, kind, name = BAP
    pdfs[kind] = read_pdf(files.get(field), limit, name, required=False)
    if pdfs[kind] == pdfs[DECREE[1]]:
        raise DocumentRefused(f"{name}: berkasnya sama dengan PDF keputusan; unggah berita acaranya sendiri.")
    return pdfs


def archive_documents(complaint_id: str, pdfs: dict) -> dict:
    archive = current_app.extensions["netra.desk.documents"]
    return {"document": archive.put(complaint_id, pdfs["decree"], "decree"),
            "bap": archive.put(complaint_id, pdfs["bap"], "bap") if pdfs.get("bap") else None}


@blp.post("/kasus/<case_id>/siasn")
@login_required
def record_block(case_id):
    casework.open_case(desk().cases, case_id, g.staff)
    try:
        desk().cases.act(case_id, lambda case: siasn.record_block(case, g.staff, request.form.get("reference", ""),
                                                                  casework.now()))
    except Refused as refused:
        return _back(case_id, reasons=refused.reasons)
    return _back(case_id, "Pemblokiran data di SIASN dicatat.")


@blp.get("/kasus/<case_id>/dokumen/<sha256>")
@login_required
def open_document(case_id, sha256):
    """A decree's or BAP's sanitised copy, streamed from the evidence store (the original stays locked for
    custody); every view goes into the audit log. Until the evidence service has made the copy, the page says so."""
    found, _ = casework.open_case(desk().cases, case_id, g.staff)
    document = next((d for d in handoff.documents_of(found.get("chain")) if d["sha256"] == sha256), None)
    if document is None:
        raise NotFound(sha256)
    if not document.get("sanitised"):
        return _back(case_id, reasons=["Salinan aman dokumen ini sedang disiapkan; coba lagi sebentar lagi."])
    desk().audit.record(g.staff.username, g.staff.unit_id, "document.viewed", case_id, sha256)
    return Response(stream(desk().store, document["sanitised"]["key"]), mimetype="application/pdf", headers={
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"})
