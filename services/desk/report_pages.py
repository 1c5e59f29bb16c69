"""The export form and download (/desk/ekspor) and the figures page (/desk/angka)."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, g, render_template, request

from . import deadlines, reporting
from .auth import login_required
from .casework import now
from .digest import MONTHS
from .export import FilterError
from services.reference.regions import region_name, regions
from services.reference.vocabulary import labels

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
    """Counts per status, category and month; per province and region for a pengawas."""
    return render_template("figures.html", figures=reporting.figures_for(desk().cases, g.staff),
                           region_name=region_name, pairs=lambda counted: [(entry["label"], entry["count"])
                                                                         for entry in counted.values()],
                           month_rows=month_rows)


def month_rows(per_month: dict[str, int]) -> list[tuple[str, int]]:
    """("November 2026", 3) for "2026-11": 3."""
    return [(f"{MONTHS[int(month[5:7]) - 1]} {month[:4]}", count) for month, count in per_month.items()]
