"""The citizen's pages in Bahasa Indonesia: the complaint form and the privacy notice.

With JavaScript the form posts to the same API as every other client (static/form.js). Without it the
browser posts the form here, and the same submission is answered as a page: the result, or the form again
with its values and an error next to each field. The script is a static file, so the pages run under a CSP
without inline code.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from functools import cache

from flask import Blueprint, current_app, render_template, request
from marshmallow import ValidationError

from services.reference.regions import regions
from services.reference.vocabulary import entries, label, labels
from services.reference.zones import local_time, zone_of

from .complaints.submit import submit_complaint
from .complaints.uploads import Upload
from .complaints.validation import UnsupportedEvidence, flatten
from .wording import errors_in

form_blp = Blueprint("form", __name__, template_folder="templates")
EVIDENCE_TYPES = "image/png,image/jpeg,image/webp,image/gif,application/pdf"
GROUPS = ("reporter", "subject", "violation")
LABELS = {"reporter.name": "Nama pelapor", "reporter.address": "Alamat pelapor", "reporter.email": "Email",
          "reporter.phone": "Nomor telepon",
          "subject.name": "Nama ASN", "subject.nip": "NIP", "subject.position": "Jabatan",
          "subject.agency": "Instansi tempat bekerja", "subject.employer_level": "Instansi itu milik",
          "subject.region_code": "Wilayah", "violation.category": "Jenis pelanggaran",
          "violation.platform": "Tempat pelanggaran terlihat", "violation.post_urls": "Tautan unggahan",
          "violation.occurred_on": "Tanggal kejadian", "violation.location": "Lokasi",
          "violation.description": "Uraian", "evidence": "Bukti", "declaration": "Pernyataan"}


@cache
def region_groups() -> tuple[dict, ...]:
    """Each province with its regencies and cities: one server-rendered <select>, usable without JavaScript."""
    return tuple({**province, "regencies": regions(province["code"])} for province in regions())


def page_facts() -> dict:
    """What both pages say about limits and retention, from the running settings."""
    config = current_app.config
    return {"max_files": current_app.extensions["netra.intake"].max_files,
            "max_body_bytes": config["MAX_CONTENT_LENGTH"],
            "max_body_mb": config["MAX_CONTENT_LENGTH"] // (1024 * 1024) or 1,
            "retention_days": config.get("NETRA_CONTACT_RETENTION_DAYS", 90),
            "data_controller": config.get("NETRA_DATA_CONTROLLER", ""),
            "data_controller_contact": config.get("NETRA_DATA_CONTROLLER_CONTACT", ""),
            "anonymous_notice": label("notices", "anonymous_bawaslu"),
            "lacak_url": current_app.extensions["netra.intake"].public_url.rstrip("/") + "/lacak"}


def form_page(status: int = 200, values=None, errors=None, result=None, key=None):
    return render_template(
        "form.html", categories=entries("categories"), platforms=labels("platforms"),
        employer_levels=entries("employer_levels"), provinces=region_groups(), evidence_types=EVIDENCE_TYPES,
        idempotency_key=key or str(uuid.uuid4()), values=values or {}, errors=errors or {},
        field_errors=by_field(errors or {}), labels=LABELS, result=result, **page_facts()), status


@form_blp.get("/")
def complaint_form():
    return form_page()


@form_blp.post("/")
def complaint_form_sent():
    """The form posted without JavaScript: the same checks and the same Idempotency-Key rule as the API."""
    key = request.form.get("idempotency_key") or None
    files = [f for f in request.files.getlist("evidence") if f.filename]
    uploads = [Upload.read(i, f.stream) for i, f in enumerate(files)]
    try:
        answer = submit_complaint(current_app.extensions["netra.intake"], document_of(request.form), uploads, key)
    except (ValidationError, UnsupportedEvidence) as exc:
        messages = exc.errors if isinstance(exc, UnsupportedEvidence) else exc.messages
        errors = errors_in(flatten(messages if isinstance(messages, dict) else {"_schema": messages}), "id")
        return form_page(422, request.form, errors, key=key)
    sent_at = local_time(datetime.now(timezone.utc), zone_of(request.form.get("subject.region_code")))
    return form_page(result={**answer, "sent_at": sent_at})


@form_blp.get("/privasi")
def privacy_notice():
    return render_template("privasi.html", **page_facts())


def document_of(form) -> dict:
    """The API's complaint document from the form's fields, as static/form.js builds it."""
    document: dict = {group: {} for group in GROUPS}
    document["declaration"] = bool(form.get("declaration"))
    for name, value in form.items(multi=False):
        group, _, field = name.partition(".")
        if group not in GROUPS or not field or not value.strip():
            continue
        document[group][field] = (value.split() if field == "post_urls" else True if field == "anonymous"
                                  else value.strip())
    return document


def by_field(errors: dict[str, list[str]]) -> dict[str, str]:
    """One text per form field: evidence.2 is shown at the evidence input, like the script does."""
    fields: dict[str, str] = {}
    for path, messages in errors.items():
        name = "evidence" if path.startswith("evidence") else path
        fields[name] = " ".join(filter(None, [fields.get(name), *messages]))
    return fields
