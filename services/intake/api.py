"""The public API: complaints and the reference lists the form needs."""
from __future__ import annotations

import json

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import ValidationError

from .reference import CATEGORIES, PLATFORMS, regions
from .schemas import (CodeLabelSchema, ComplaintSchema, ProblemSchema, ReceiptSchema, RegionQuerySchema,
                      RegionSchema, StatusSchema)
from .staging import Upload
from .status import complaint_status
from .submit import submit_complaint

complaints_blp = Blueprint("complaints", __name__, url_prefix="/api/v1/complaints",
                           description="Neutrality complaints about civil servants (ASN)")
reference_blp = Blueprint("reference", __name__, url_prefix="/api/v1/reference",
                          description="What the complaint form offers")

COMPLAINT_BODY = {"content": {
    "application/json": {"schema": "Complaint"},
    "multipart/form-data": {"schema": {"type": "object", "required": ["complaint"], "properties": {
        "complaint": {"type": "string", "description": "The complaint document, as JSON"},
        "evidence": {"type": "array", "items": {"type": "string", "format": "binary"}}}}},
}}


def read_document():
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raw = request.form.get("complaint")
        if raw is None and "complaint" in request.files:
            raw = request.files["complaint"].read().decode("utf-8", "replace")
        uploads = [Upload.read(i, f.stream) for i, f in enumerate(request.files.getlist("evidence"))]
    elif request.is_json:
        raw, uploads = request.get_data(as_text=True), []
    else:
        abort(415, message="Send application/json or multipart/form-data with a complaint part.")
    if raw is None:
        raise ValidationError({"complaint": ["Missing the complaint part."]})
    try:
        return json.loads(raw), uploads
    except json.JSONDecodeError as exc:
        raise ValidationError({"complaint": [f"Not valid JSON: {exc.msg}."]}) from None


@complaints_blp.route("")
class Complaints(MethodView):
    @complaints_blp.doc(requestBody=COMPLAINT_BODY, parameters=[
        {"in": "header", "name": "Idempotency-Key", "schema": {"type": "string"}, "required": False}])
    @complaints_blp.response(202, ReceiptSchema)
    @complaints_blp.alt_response(422, schema=ProblemSchema, description="Invalid complaint")
    @complaints_blp.alt_response(413, schema=ProblemSchema, description="Body over the limit")
    @complaints_blp.alt_response(415, schema=ProblemSchema, description="Evidence type not allowed")
    def post(self):
        """Submit a complaint, with evidence files or post URLs; answers a tracking code and a receipt."""
        document, uploads = read_document()
        key = request.headers.get("Idempotency-Key")
        return submit_complaint(current_app.extensions["netra.intake"], document, uploads,
                                request.remote_addr, key[:200] if key else None)


@complaints_blp.route("/<string:tracking_code>")
class ComplaintStatus(MethodView):
    @complaints_blp.doc(parameters=[{"in": "header", "name": "X-Receipt", "required": True,
                                     "schema": {"type": "string"}}])
    @complaints_blp.response(200, StatusSchema)
    @complaints_blp.alt_response(404, schema=ProblemSchema, description="Unknown code or wrong receipt")
    def get(self, tracking_code):
        """The status timeline of a complaint; needs the receipt shown at submission."""
        intake = current_app.extensions["netra.intake"]
        status = complaint_status(intake.engine, tracking_code, request.headers.get("X-Receipt"))
        if status is None:
            abort(404, message="No complaint with this tracking code and receipt.")
        return status


@reference_blp.route("/categories")
@reference_blp.response(200, CodeLabelSchema(many=True))
def categories():
    """Violation categories, with labels in Bahasa Indonesia."""
    return [{"code": code, "label": label} for code, label in CATEGORIES.items()]


@reference_blp.route("/platforms")
@reference_blp.response(200, CodeLabelSchema(many=True))
def platforms():
    """Where the violation was seen."""
    return [{"code": code, "label": label} for code, label in PLATFORMS.items()]


@reference_blp.route("/regions")
@reference_blp.arguments(RegionQuerySchema, location="query")
@reference_blp.response(200, RegionSchema(many=True))
def region_list(query):
    """Provinces, or the regencies and cities of the province given as parent."""
    return regions(query["parent"])


def register_schemas(spec) -> None:
    spec.components.schema("Complaint", schema=ComplaintSchema)
