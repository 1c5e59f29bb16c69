"""/lacak: the citizen follows their complaint with the tracking code and the receipt, reads the units'
notes and questions, answers a question, and adds evidence (services/intake/tracking/additions.py).

The receipt travels only in POST bodies, never in a URL. There is no session: each form on the page
carries the code and receipt again in hidden fields (the page is served with Cache-Control: no-store),
and every post is checked again, so nothing about the reporter is kept between requests.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from flask import Blueprint, current_app, make_response, render_template, request

from services.reference.zones import local_time, zone_of

from ..complaints.uploads import Upload
from ..form import EVIDENCE_TYPES
from ..ports import TrackingRecords
from ..problems import retry_after, too_many_seconds
from .additions import Refused, add_evidence
from .questions import MAX_ANSWER, answer_event
from .status import status_words
from .tracking_access import (
    TOKEN_COOKIE,
    form_token,
    normal_code,
    open_complaint,
    token_matches,
)

tracking_blp = Blueprint("tracking", __name__, template_folder="templates")
NOT_FOUND = ("Kode pelacakan atau tanda terima tidak cocok. Periksa kembali keduanya; "
             "tanda terima dibedakan huruf besar dan kecilnya.")


@dataclass(frozen=True)
class Tracking:
    """What the page needs: the repository (tracking_store.TrackingRepository) and whether cookies are https-only."""
    repository: TrackingRecords
    secure_cookie: bool


def _tracking() -> Tracking:
    return current_app.extensions["netra.tracking"]


@tracking_blp.get("/lacak")
def login_page():
    return page("lacak.html")


@tracking_blp.post("/lacak")
def show():
    if not token_matches(request.cookies.get(TOKEN_COOKIE), request.form.get("token")):
        return expired()
    return case_page(*credentials())


@tracking_blp.post("/lacak/jawab")
def answer():
    if not token_matches(request.cookies.get(TOKEN_COOKIE), request.form.get("token")):
        return expired()
    code, receipt = credentials()
    complaint = open_complaint(_tracking().repository, code, receipt)
    if complaint is None:
        return page("lacak.html", status=404, error=NOT_FOUND, code=code)
    text = (request.form.get("jawaban") or "").strip()
    if not text or len(text) > MAX_ANSWER:
        return case_page(code, receipt, complaint, status=422, answer_error=request.form.get("question_id"),
                         draft=text[:MAX_ANSWER])
    fields, event = answer_event(complaint, request.form.get("question_id", ""), text, datetime.now(timezone.utc))
    saved = _tracking().repository.answer(complaint["complaint_id"], request.form.get("question_id", ""),
                                          fields, event)
    notice = "Jawaban Anda terkirim kepada unit." if saved else "Pertanyaan ini sudah dijawab sebelumnya."
    return case_page(code, receipt, complaint, notice=notice)


@tracking_blp.post("/lacak/bukti")
def add_files():
    """More evidence for the complaint: staged like the form's files, then archived by evidence."""
    if not token_matches(request.cookies.get(TOKEN_COOKIE), request.form.get("token")):
        return expired()
    code, receipt = credentials()
    complaint = open_complaint(_tracking().repository, code, receipt)
    if complaint is None:
        return page("lacak.html", status=404, error=NOT_FOUND, code=code)
    files = [f for f in request.files.getlist("bukti") if f.filename]
    try:
        add_evidence(current_app.extensions["netra.intake"], _tracking().repository, complaint,
                     [Upload.read(i, f.stream) for i, f in enumerate(files)])
    except Refused as refused:
        return case_page(code, receipt, complaint, status=422, evidence_error=refused.message)
    return case_page(code, receipt, complaint, notice=f"{len(files)} berkas bukti terkirim. Bukti akan diperiksa "
                                                      "dan diteruskan kepada unit yang menangani pengaduan.")


def credentials() -> tuple[str, str]:
    return normal_code(request.form.get("kode", "")), (request.form.get("tanda_terima") or "").strip()


def case_page(code: str, receipt: str, complaint: dict | None = None, status: int = 200, **extra):
    repository = _tracking().repository
    complaint = complaint or open_complaint(repository, code, receipt)
    if complaint is None:
        return page("lacak.html", status=404, error=NOT_FOUND, code=code)
    zone = zone_of(complaint.get("region_code"))  # the zone of the region the unit works in, named
    timeline = [{**entry, "label": status_words(entry["status"]), "shown_at": local_time(entry["at"], zone)}
                for entry in repository.timeline(complaint["complaint_id"])]
    return page("lacak_kasus.html", status=status, code=code, receipt=receipt, complaint=complaint,
                status_label=status_words(complaint["status"]), timeline=timeline,
                questions=repository.questions(complaint["complaint_id"]), max_answer=MAX_ANSWER,
                evidence_types=EVIDENCE_TYPES, max_files=current_app.extensions["netra.intake"].max_files,
                max_body_mb=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024) or 1, **extra)


@tracking_blp.errorhandler(429)
def too_many(exc):
    """A page, not problem+json: a citizen reads it in the browser."""
    seconds = too_many_seconds(exc)
    return retry_after(page("lacak.html", status=429, error=f"Terlalu banyak percobaan. Silakan coba lagi "
                                                           f"setelah {seconds} detik."), seconds)


def expired():
    return page("lacak.html", status=400, error="Formulir sudah kedaluwarsa. Silakan isi dan kirim sekali lagi.")


def page(template: str, status: int = 200, **context):
    token = form_token(request.cookies.get(TOKEN_COOKIE))
    response = make_response(render_template(template, token=token, **context), status)
    # "no-referrer" (the edge's default) makes Chromium send `Origin: null` with the form's posts, which the
    # edge's cross-site check refuses; same-origin sends the real origin and still nothing to other sites.
    response.headers["Referrer-Policy"] = "same-origin"
    response.set_cookie(TOKEN_COOKIE, token, max_age=2 * 3600, path="/lacak", httponly=True, samesite="Strict",
                        secure=_tracking().secure_cookie)
    return response
