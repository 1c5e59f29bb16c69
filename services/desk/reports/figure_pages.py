"""The figures page (/desk/angka) and its file (/desk/angka/unduh): the period from the query string, the
numbers from period_figures, and each chart as an SVG file of its own (/desk/angka/grafik/<name>.svg, drawn
by figure_charts from the same pairs as its table). A period that cannot be applied answers 400 with the
form and the reason, never an error page."""
from __future__ import annotations

import functools
from pathlib import Path

from flask import Response, abort, current_app, g, render_template, request, url_for

from services.reference.regions import region_name

from ..cases import deadlines
from ..cases.casework import now
from ..local_times import staff_zone
from ..reminders.digest import MONTHS
from . import figure_charts, figures_export, periods
from .period_figures import figures_of

CHARTS = {"status": "Kasus per status", "category": "Kasus per kategori", "sanction": "Sanksi per jenis",
          "month": "Kasus per bulan masuk", "region": "Kasus per wilayah", "timeliness": "Persen tepat waktu per unit",
          "step": "Kasus per langkah saat ini"}
FILES = {"csv": ("text/csv; charset=utf-8", figures_export.to_csv_bytes),
         "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", figures_export.to_xlsx)}


def desk():
    return current_app.extensions["netra.desk"]


@functools.cache
def elections(path: Path | None) -> tuple[periods.Election, ...]:
    return periods.load_elections(path)


def chosen_figures() -> dict:
    """The figures of the period the query string asks for; periods.PeriodError says why it cannot."""
    zone = staff_zone()
    period = periods.period_from(request.args, now().astimezone(zone.tz).date(),
                                 elections(desk().settings.election_calendar))
    return figures_of(desk().cases, g.staff, period, zone, deadlines.office_day(now()), desk().units)


def page():
    try:
        figures = chosen_figures()
    except periods.PeriodError as problem:
        return render_template("figures.html", figures=None, problem=str(problem), **form_values()), 400
    return render_template("figures.html", figures=figures, problem=None, charts=charts_of(figures),
                           rows=rows_of(figures), **form_values())


def chart(name: str):
    """One chart of the chosen period as SVG, under its own policy (figure_charts.CSP)."""
    if name not in CHARTS:
        abort(404)
    try:
        pairs = chart_rows(chosen_figures())[name]
    except periods.PeriodError as problem:
        return Response(str(problem), 400, mimetype="text/plain")
    top, unit = (100, "%") if name == "timeliness" else (None, "")
    return Response(figure_charts.bar_svg(pairs, top, unit), mimetype="image/svg+xml",
                    headers={"Content-Security-Policy": figure_charts.CSP})


def download():
    fmt = request.args.get("format", "csv")
    if fmt not in FILES:
        return render_template("figures.html", figures=None, problem=f"Format tidak dikenal: {fmt[:10]!r} "
                               "(csv atau xlsx).", **form_values()), 400
    try:
        figures = chosen_figures()
    except periods.PeriodError as problem:
        return render_template("figures.html", figures=None, problem=str(problem), **form_values()), 400
    mimetype, render = FILES[fmt]
    name = f"angka-{g.staff.unit_id}-{figures['period'].since}-{figures['period'].until}.{fmt}"
    return Response(render(figures), mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


def form_values() -> dict:
    return {"kinds": periods.KINDS, "chosen": request.args.get("periode") or periods.DEFAULT,
            "since": request.args.get("dari", ""), "until": request.args.get("sampai", ""),
            "has_elections": bool(elections(desk().settings.election_calendar)), "zone": staff_zone().name,
            "period_args": {name: request.args[name] for name in ("periode", "dari", "sampai") if name in request.args}}


def rows_of(figures: dict) -> dict[str, list[tuple[str, int]]]:
    """(label, count) pairs per section, in the tables' and the charts' order."""
    def pairs(counted):
        return [(entry["label"], entry["count"]) for entry in counted.values()]
    return {"status": pairs(figures["per_status"]), "category": pairs(figures["per_category"]),
            "sanction": pairs(figures["sanctions"]), "step": pairs(figures["per_step"]),
            "region": region_rows(figures["per_region"]),
            "month": [(f"{MONTHS[int(m[5:7]) - 1]} {m[:4]}", n) for m, n in figures["per_month"].items()]}


def region_rows(per_region: dict[str, dict]) -> list[tuple[str, int]]:
    """Per province; when every case is in one province, per regency or city in it (a region head's view)."""
    if len(per_region) != 1:
        return [(entry["name"], entry["count"]) for entry in per_region.values()]
    (province, entry), = per_region.items()
    return [(region_name(code) or code or "-", count) if code != province else (f"{entry['name']} (provinsi)", count)
            for code, count in entry["regions"].items()]


def chart_rows(figures: dict) -> dict[str, list[tuple[str, float]]]:
    """The pairs each chart draws: the tables' counts, and the on-time percentage of each unit that has one."""
    rated = [(entry["name"], round(entry["rate"] * 100)) for entry in figures["timeliness"] if entry["rate"] is not None]
    return {**rows_of(figures), "timeliness": rated}


def charts_of(figures: dict) -> dict[str, dict]:
    """Per chart: its title, its file's address for this period, and its size (None when it has no bars)."""
    period_args = form_values()["period_args"]
    return {name: {"title": CHARTS[name], "src": url_for("reports.figures_chart", name=name, **period_args),
                   "size": figure_charts.size(len(pairs)) if pairs else None}
            for name, pairs in chart_rows(figures).items()}
