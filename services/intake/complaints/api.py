"""The public API: complaints and the reference lists the form needs. Views only read, call and answer."""
from __future__ import annotations

import re

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from services.reference import regions, vocabulary

from ..tracking.status import complaint_status
from .schemas import (
    CodeLabelSchema,
    LanguageQuerySchema,
    ProblemSchema,
    ReceiptSchema,
    RegionQuerySchema,
    RegionSchema,
    StatusSchema,
)
from .submit import submit_complaint
from .validation import ComplaintSchema, read_document

complaints_blp = Blueprint("complaints", __name__, url_prefix="/api/v1/complaints",
                           description="Neutrality complaints about civil servants (ASN)")
reference_blp = Blueprint("reference", __name__, url_prefix="/api/v1/reference",
                          description="What the complaint form offers")

PROBLEMS = {400: "Unreadable body", 403: "Cross-site request refused", 413: "Body over the limit",
            414: "Address too long", 415: "Not JSON or multipart, or evidence type not allowed", 422: "Invalid complaint",
            429: "Too many requests, or today's evidence quota is used up", 503: "Storage unavailable"}
COMPLAINT_BODY = {"required": True, "content": {
    "application/json": {"schema": "Complaint"},
    "multipart/form-data": {"schema": {"type": "object", "required": ["complaint"], "properties": {
        "complaint": {"type": "string", "description": "The complaint document, as JSON"},
        "evidence": {"type": "array", "items": {"type": "string", "format": "binary"}}}}},
}}
IDEMPOTENCY_KEY = {"in": "header", "name": "Idempotency-Key", "required": False,
                   "schema": {"type": "string", "maxLength": 200, "pattern": "^[\\x21-\\x7e]+$"}}
TRACKING_CODE = re.compile(r"NTR-[0-9A-Z]{4}-[0-9A-Z]{4}")
RECEIPT = {"in": "header", "name": "X-Receipt", "required": True, "schema": {"type": "string", "maxLength": 200}}


def problem_responses(blueprint: Blueprint, *codes: int, descriptions: dict[int, str] = PROBLEMS):
    """Declares the problem+json answers a view can give; the edge's 414 and 429 can reach every view."""
    def decorate(view):
        for code in codes:
            view = blueprint.alt_response(code, schema=ProblemSchema, description=descriptions[code],
                                          content_type="application/problem+json")(view)
        return view
    return decorate


def idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (0 < len(key) <= 200 and key.isascii() and key.isprintable() and " " not in key):
        abort(400, message="Idempotency-Key must be 1 to 200 visible ASCII characters.")
    return key


@complaints_blp.route("")
class Complaints(MethodView):
    @complaints_blp.doc(requestBody=COMPLAINT_BODY, parameters=[IDEMPOTENCY_KEY])
    @complaints_blp.response(202, ReceiptSchema)
    @problem_responses(complaints_blp, 400, 403, 413, 414, 415, 422, 429, 503)
    def post(self):
        """Submit a complaint, with evidence files or post URLs; answers a tracking code and a receipt."""
        key = idempotency_key()
        document, uploads = read_document(request)
        return submit_complaint(current_app.extensions["netra.intake"], document, uploads, key)


@complaints_blp.route("/<string:tracking_code>")
class ComplaintStatus(MethodView):
    @complaints_blp.doc(parameters=[RECEIPT])
    @complaints_blp.response(200, StatusSchema)
    @problem_responses(complaints_blp, 414, 429, 503)
    @complaints_blp.alt_response(404, schema=ProblemSchema, description="Unknown code or wrong receipt",
                                 content_type="application/problem+json")
    def get(self, tracking_code):
        """The status timeline of a complaint; needs the receipt shown at submission."""
        intake = current_app.extensions["netra.intake"]
        status = complaint_status(intake.repository, tracking_code, request.headers.get("X-Receipt")) \
            if TRACKING_CODE.fullmatch(tracking_code) else None
        if status is None:
            abort(404, message="No complaint with this tracking code and receipt.")
        return status


@reference_blp.route("/categories")
@reference_blp.response(200, CodeLabelSchema(many=True))
@problem_responses(reference_blp, 414, 429)
def categories():
    """Violation categories, with labels and an example in Bahasa Indonesia."""
    return vocabulary.entries("categories")


@reference_blp.route("/platforms")
@reference_blp.response(200, CodeLabelSchema(many=True))
@problem_responses(reference_blp, 414, 429)
def platforms():
    """Where the violation was seen."""
    return vocabulary.entries("platforms")


@reference_blp.route("/employer-levels")
@reference_blp.response(200, CodeLabelSchema(many=True))
@problem_responses(reference_blp, 414, 429)
def employer_levels():
    """Whether the civil servant works for a central, provincial or regency/city government, with hints."""
    return vocabulary.entries("employer_levels")


@reference_blp.route("/regions")
@reference_blp.arguments(RegionQuerySchema, location="query")
@reference_blp.response(200, RegionSchema(many=True))
@problem_responses(reference_blp, 414, 422, 429)
def region_list(query):
    """Provinces, or the regencies and cities of the province given as parent."""
    return regions.regions(query["parent"])


@reference_blp.route("/notices")
@reference_blp.arguments(LanguageQuerySchema, location="query")
@reference_blp.response(200, CodeLabelSchema(many=True))
@problem_responses(reference_blp, 414, 422, 429)
def notices(query):
    """What a reporter must know before submitting; `anonymous_bawaslu`: Bawaslu cannot register a report
    without the reporter's name and address (UU 7/2017 Pasal 454 ayat (4)), so an anonymous complaint goes to
    BKN's regional office and the employee's agency instead of Bawaslu."""
    return vocabulary.entries("notices", query["lang"])


def register_schemas(spec) -> None:
    spec.components.schema("Complaint", schema=ComplaintSchema)
