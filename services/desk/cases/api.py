"""The desk's JSON API under /desk/api/v1, with its own OpenAPI document (/desk/api/v1/openapi.json)."""
from __future__ import annotations

from flask import current_app, g
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import EXCLUDE, Schema, fields

from ..accounts.auth import login_required
from ..disclosure.pages import request_identity
from . import casework, lifecycle
from .changes import Refused

blp = Blueprint("desk-api", __name__, url_prefix="/desk/api/v1/cases",
                description="Cases of the officer's unit; session cookie from /desk/masuk")


class CaseSchema(Schema):
    case_id = fields.String()
    case_number = fields.String(allow_none=True)
    tracking_code = fields.String()
    unit_id = fields.String()
    unit_name = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda case: lifecycle.label(case["status"]))
    status_since = fields.DateTime()
    due_date = fields.Date(allow_none=True)
    sequence = fields.Integer()
    subject = fields.Dict()
    violation = fields.Dict()
    files = fields.List(fields.Dict())
    sanction = fields.Dict(allow_none=True)


class HistorySchema(Schema):
    status = fields.String()
    previous_status = fields.String(allow_none=True)
    actor = fields.String()
    file_note = fields.String()
    public_note = fields.String(allow_none=True)
    details = fields.Dict(allow_none=True)
    at = fields.DateTime()


class MoveSchema(Schema):
    status = fields.String(required=True)
    file_note = fields.String(required=True)
    public_note = fields.String(load_default=None, allow_none=True)
    decree_number = fields.String()
    decree_date = fields.String()
    sanction_kind = fields.String()


class IdentityRequestSchema(Schema):
    """Both checked after the case (a foreign case is 404 whatever the body): a missing one is a 409 in words."""
    class Meta:
        unknown = EXCLUDE

    reason = fields.String(load_default="")
    legal_basis = fields.String(load_default="")


class IdentityRequestedSchema(Schema):
    request_id = fields.String()
    case_id = fields.String()
    legal_basis = fields.String()
    state = fields.String()
    requested_at = fields.DateTime()


def desk():
    return current_app.extensions["netra.desk"]


@blp.route("")
class Cases(MethodView):
    decorators = [login_required]

    @blp.response(200, CaseSchema(many=True))
    def get(self):
        """The cases the officer's unit works or may read, nearest due date first."""
        return desk().cases.visible_to(g.staff)


@blp.route("/<case_id>")
class Case(MethodView):
    decorators = [login_required]

    @blp.response(200, CaseSchema)
    def get(self, case_id):
        """One case; 404 for a case of another unit."""
        found, _ = casework.open_case(desk().cases, case_id, g.staff)
        desk().audit.record(g.staff.username, g.staff.unit_id, "case.viewed", case_id, "api")
        return found


@blp.route("/<case_id>/history")
class History(MethodView):
    decorators = [login_required]

    @blp.response(200, HistorySchema(many=True))
    def get(self, case_id):
        """The case's moves, with the notes for the file."""
        casework.open_case(desk().cases, case_id, g.staff)
        return desk().cases.history(case_id)


@blp.route("/<case_id>/moves")
class Moves(MethodView):
    decorators = [login_required]

    @blp.arguments(MoveSchema)
    @blp.response(201, CaseSchema)
    def post(self, move, case_id):
        """Move the case to another status (send the CSRF token as X-CSRFToken); 409 explains a refusal."""
        details = {k: move[k] for k in ("decree_number", "decree_date", "sanction_kind") if k in move}
        step = lifecycle.Move(move["status"], g.staff.username, g.staff.role, move["file_note"],
                              move["public_note"], details)
        try:
            return casework.move_case(desk().cases, case_id, g.staff, step)
        except Refused as refused:
            abort(409, message="; ".join(refused.reasons), errors={"status": refused.reasons})


@blp.route("/<case_id>/identity-requests")
class IdentityRequests(MethodView):
    decorators = [login_required]

    @blp.arguments(IdentityRequestSchema)
    @blp.response(201, IdentityRequestedSchema)
    def post(self, asked, case_id):
        """Ask the identity custodian for the reporter's identity (officers of the body owning the current step,
        of a kind disclosure.yaml allows); 409 says why not."""
        try:
            return request_identity(g.staff, case_id, asked["reason"], asked["legal_basis"])
        except Refused as refused:
            abort(409, message="; ".join(refused.reasons), errors={"identity": refused.reasons})
