"""The monitoring teams' API: batches of findings, the template, and the team's own submissions.

Every route but the template needs `Authorization: Bearer <key>` (teams.py); each key has its own rate
limits (settings `team_rate_limit`, `team_batch_rate_limit`) on top of the per-address default.
"""
from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from ..complaints.api import PROBLEMS, problem_responses
from ..problems import problem
from .bulk import submit_batch
from .manifest import ManifestError, read_manifest
from .team_schemas import BATCH_BODY, BEARER, BatchSchema, FindingSchema, PageSchema
from .team_template import template_csv, template_xlsx
from .teams import (
    READ,
    SUBMIT,
    Forbidden,
    Unauthorized,
    authenticate,
    bearer_token,
    token_digest,
)

teams_blp = Blueprint("teams", __name__, url_prefix="/api/v1", description="Monitoring teams: bulk findings")
TEAM_PROBLEMS = {**PROBLEMS, 401: "Missing, unknown or revoked API key", 403: "The key may not do this",
                 404: "No such batch of this team", 422: "Unreadable manifest or invalid query"}


def team_problems(*codes: int):
    return problem_responses(teams_blp, *codes, descriptions=TEAM_PROBLEMS)


def team(scope: str):
    return authenticate(current_app.extensions["netra.teams"], request.headers.get("Authorization"), scope)


@teams_blp.route("/batches")
class Batches(MethodView):
    @teams_blp.doc(requestBody=BATCH_BODY, security=[BEARER])
    @teams_blp.response(200, BatchSchema)
    @team_problems(401, 403, 413, 414, 422, 429, 503)
    def post(self):
        """File a batch of findings; each item is accepted, a duplicate of one filed before, or refused."""
        key = team(SUBMIT)
        manifest = request.files.get("manifest")
        if manifest is None:
            abort(422, message="Missing the manifest part.", errors={"manifest": ["Required."]})
        data = manifest.stream.read(current_app.config["NETRA_MAX_MANIFEST_BYTES"] + 1)
        if len(data) > current_app.config["NETRA_MAX_MANIFEST_BYTES"]:
            raise ManifestError("The manifest is over the size limit.")
        rows = read_manifest(manifest.filename or "", data, current_app.config["NETRA_MAX_BATCH_ITEMS"])
        files = {f.filename: f.stream for f in request.files.getlist("files") if f.filename}
        return submit_batch(current_app.extensions["netra.intake"], current_app.extensions["netra.teams"], key,
                            rows, files)


@teams_blp.route("/batches/<string:batch_id>")
@teams_blp.doc(security=[BEARER])
@teams_blp.response(200, BatchSchema)
@team_problems(401, 403, 404, 414, 429)
def batch(batch_id):
    """One of the team's batches, answered as when it was filed."""
    key = team(READ)
    found = current_app.extensions["netra.teams"].batch(batch_id[:36], key.team_id)
    if found is None:
        abort(404, message="No batch with this id for this team.")
    return found


@teams_blp.route("/team/complaints")
@teams_blp.doc(security=[BEARER])
@teams_blp.arguments(PageSchema, location="query")
@teams_blp.response(200, FindingSchema(many=True))
@team_problems(401, 403, 414, 422, 429)
def own_complaints(page):
    """The team's own findings, with each complaint's current status."""
    key = team(READ)
    return current_app.extensions["netra.teams"].findings(key.team_id, page["limit"], page["offset"])


@teams_blp.route("/batches/template.csv")
@teams_blp.response(200, content_type="text/csv", description="The columns and an example row")
@team_problems(414, 429)
def csv_template():
    """The batch template as CSV (UTF-8)."""
    return attachment(template_csv(), "text/csv; charset=utf-8", "netra-temuan.csv")


@teams_blp.route("/batches/template.xlsx")
@teams_blp.response(200, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    description="Sheet temuan (columns, example row), sheet kode (every accepted code)")
@team_problems(414, 429)
def xlsx_template():
    """The batch template as XLSX, with the codes on a second sheet."""
    return attachment(template_xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      "netra-temuan.xlsx")


def attachment(body: bytes, mimetype: str, name: str):
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def key_of_request() -> str:
    """The rate-limit key: the key's digest, so each key has its own budget (no key: one shared budget)."""
    token = bearer_token(request.headers.get("Authorization"))
    return "team-" + token_digest(token)[:32] if token else "team-none"


def register_team_api(app, api, limiter, settings, store) -> None:
    app.extensions["netra.teams"] = store
    app.config.update(NETRA_MAX_MANIFEST_BYTES=settings.max_manifest_bytes,
                      NETRA_MAX_BATCH_ITEMS=settings.max_batch_items, NETRA_MAX_BATCH_BYTES=settings.max_batch_bytes,
                      NETRA_MAX_BATCH_PARTS=settings.max_batch_items * settings.max_files + 10)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    limiter.limit(settings.team_rate_limit, key_func=key_of_request, override_defaults=False)(teams_blp)
    limiter.limit(settings.team_batch_rate_limit, key_func=key_of_request, methods=["POST"],
                  override_defaults=False)(teams_blp)

    api.register_blueprint(teams_blp)


@teams_blp.before_request
def larger_bodies():
    """A batch carries its screenshots: its own body limit instead of the single complaint's."""
    if request.method == "POST":
        request.max_content_length = current_app.config["NETRA_MAX_BATCH_BYTES"]
        request.max_form_parts = current_app.config["NETRA_MAX_BATCH_PARTS"]


@teams_blp.errorhandler(Unauthorized)
def unauthorized(_=None):
    response = problem(401, "Unauthorized", "Send a valid, unrevoked team API key as Authorization: Bearer <key>.")
    response.headers["WWW-Authenticate"] = 'Bearer realm="netra"'
    return response


@teams_blp.errorhandler(Forbidden)
def forbidden(_):
    return problem(403, "Forbidden", "This API key may not do this.")


@teams_blp.errorhandler(ManifestError)
def unreadable_manifest(exc):
    return problem(422, "Unreadable manifest", str(exc), {"manifest": [str(exc)]})
