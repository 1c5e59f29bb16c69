"""The export form and download (/desk/ekspor) and the figures page (/desk/angka)."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, g, render_template, request

from services.reference.regions import regions
from services.reference.vocabulary import labels

from ..accounts.auth import login_required
from ..cases import deadlines
from ..cases.casework import now
from . import figure_pages, reporting
from .export import FilterError

blp = Blueprint("reports", __name__, url_prefix="/desk")


def desk():
    return current_app.extensions["netra.desk"]


def form_page(problem: str | None = None, status: int = 200):
    filters = reporting.filters_from(request.args)
    return render_template("export.html", filters=filters, problem=problem,
                           statuses=labels("case_statuses"), categories=labels("categories"),
                           provinces=regions()), status


@blp.get("/ekspor")
@login_required
def export_form():
    """The filters (period, status, category, region) and the CSV and XLSX buttons."""
    return form_page()


@blp.get("/ekspor/unduh")
@login_required
def export_download():
    """The file itself; a filter that cannot be applied shows the form again with the reason."""
    try:
        made = reporting.export_cases(desk().cases, desk().audit, g.staff, reporting.filters_from(request.args),
                                      request.args.get("format", "csv"), deadlines.office_day(now()))
    except FilterError as problem:
        return form_page(str(problem), 400)
    return Response(made.body, mimetype=made.mimetype, headers={
        "Content-Disposition": f'attachment; filename="{made.filename}"', "Cache-Control": "no-store",
        "X-Case-Count": str(made.count)})


@blp.get("/angka")
@login_required
def figures_page():
    """Cases by status, category, month and region, sanctions by kind and timeliness per body, for a period."""
    return figure_pages.page()


@blp.get("/angka/grafik/<name>.svg")
@login_required
def figures_chart(name: str):
    """One of the figures page's charts for the chosen period, as SVG."""
    return figure_pages.chart(name)


@blp.get("/angka/unduh")
@login_required
def figures_download():
    """The figures of the chosen period as CSV or XLSX."""
    return figure_pages.download()
