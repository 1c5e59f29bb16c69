"""The figures page's bar charts, drawn on the server by pygal as SVG files of their own.

The page shows each one with <img src> and alt text beside the table that holds the same numbers (what a
screen reader reads). An SVG shown through <img> runs no script; pygal still writes one (its tooltip
config), so it is taken out, and the file carries its own policy: nothing may load, only the chart's own
<style> (pygal styles its SVG that way; the page itself keeps the desk's policy without inline styles).
"""
from __future__ import annotations

import pygal
from pygal.etree import etree
from pygal.style import Style

CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
WIDTH = 420            # the viewBox width and the <img> width; narrower columns scale it down
ROW = 44               # one bar and its gap
FRAME = 60             # the margins and the value axis below the bars
LABEL_CHARS = 22       # longer labels are cut with an ellipsis; the table beside has them whole
ROOM = 1.15            # the axis runs a little past the longest bar, leaving room for its number
VALUES_AFTER_BARS = "inline:.text-overlay text.value { text-anchor: start; }"
LOOK = Style(background="#ffffff", plot_background="#ffffff", foreground="#1d2733",
             foreground_strong="#1d2733", foreground_subtle="#5b6776", colors=("#2f6f9f",), opacity="1",
             opacity_hover="1", font_family="system-ui, sans-serif", label_font_size=15,
             major_label_font_size=15, value_font_size=15, no_data_font_size=18)


def bar_svg(pairs: list[tuple[str, float]], top: float | None = None, unit: str = "") -> bytes:
    """Horizontal bars for (label, value) pairs, scaled 0..top (the largest value when None)."""
    largest = (top if top is not None else max([value for _, value in pairs] + [0])) or 1
    chart = pygal.HorizontalBar(
        style=LOOK, js=[], width=WIDTH, height=size(len(pairs))[1], show_legend=False,
        print_values=True, print_values_position="top", range=(0, largest * ROOM), truncate_label=-1,
        value_formatter=lambda value: f"{value:g}{unit}", show_x_labels=False, show_x_guides=False,
        show_y_guides=False, css=("file://style.css", "file://graph.css", VALUES_AFTER_BARS), margin=10, spacing=8,
        x_labels=[shortened(name) for name, _ in reversed(pairs)])
    chart.add("", [value for _, value in reversed(pairs)])  # pygal draws the first bar lowest
    return without_scripts(chart.render_tree())


def size(bars: int) -> tuple[int, int]:
    """The chart's width and height (its viewBox), for the page's <img> to keep its place while it loads."""
    return WIDTH, max(bars, 1) * ROW + FRAME


def shortened(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1].rstrip() + "…"


def without_scripts(tree) -> bytes:
    for parent in list(tree.iter()):
        for script in [child for child in parent if str(child.tag).endswith("script")]:
            parent.remove(script)
    return etree.tostring(tree, encoding="utf-8")
