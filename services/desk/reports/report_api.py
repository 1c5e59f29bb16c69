"""The export and the figures in the JSON API: /desk/api/v1/export and /desk/api/v1/figures."""
from __future__ import annotations

from flask import Response, current_app, g, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from ..accounts.auth import login_required
from ..cases import deadlines
from ..cases.casework import now
from . import reporting
from .export import FilterError

blp = Blueprint("desk-api-reports", __name__, url_prefix="/desk/api/v1",
                description="Export and figures of the cases the officer may see")


class ExportQuery(Schema):
    format = fields.String(load_default="csv", validate=validate.OneOf(sorted(reporting.FORMATS)))
    since = fields.Date(metadata={"description": "received on or after (YYYY-MM-DD)"})
    until = fields.Date(metadata={"description": "received on or before (YYYY-MM-DD)"})
    status = fields.List(fields.String(), metadata={"description": "status codes; repeat for several"})
    category = fields.List(fields.String(), metadata={"description": "category codes; repeat for several"})
    region = fields.List(fields.String(), metadata={"description": "region codes (14, 14.03); a province "
                                                                   "keeps its regencies"})


class FiguresSchema(Schema):
    total = fields.Integer()
    per_status = fields.Dict(metadata={"description": "status code -> {label, count}"})
    per_category = fields.Dict(metadata={"description": "category code -> {label, count}"})
    per_month = fields.Dict(metadata={"description": "YYYY-MM -> count, by the month received"})
    per_region = fields.Dict(metadata={"description": "pengawas only: province code -> {name, count, regions}"})


def desk():
    return current_app.extensions["netra.desk"]


@blp.route("/export")
class Export(MethodView):
    decorators = [login_required]

    @blp.arguments(ExportQuery, location="query")
    @blp.response(200, description="the CSV or XLSX file",
                  content_type="application/octet-stream")
    def get(self, query):
        """The cases the officer may see, filtered, as CSV or XLSX; every export is in the audit log."""
        try:
            made = reporting.export_cases(desk().cases, desk().audit, g.staff, reporting.filters_from(request.args),
                                          query["format"], deadlines.office_day(now()))
        except FilterError as problem:
            abort(400, message=str(problem))
        return Response(made.body, mimetype=made.mimetype, headers={
            "Content-Disposition": f'attachment; filename="{made.filename}"', "Cache-Control": "no-store"})


@blp.route("/figures")
class Figures(MethodView):
    decorators = [login_required]

    @blp.response(200, FiguresSchema)
    def get(self):
        """Counts per status, category and month of the cases the officer may see; per region for pengawas."""
        return reporting.figures_for(desk().cases, g.staff)
