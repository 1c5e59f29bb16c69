"""Bar charts as SVG drawn on the server: no script, no inline style, so the desk's Content-Security-Policy
holds; colours come from desk.css through class names. Each chart is drawn from the same pairs as the
table printed beside it, which is what a screen reader reads (the SVG is labelled, its bars hidden).

Horizontal bars: each label on its own line above its bar, so long Indonesian category names stay whole.
"""
from __future__ import annotations

from dataclasses import dataclass

WIDTH = 400          # the viewBox width; the SVG scales to its column
BAR_SPACE = 320      # the longest bar, leaving room for its number
ROW = 40             # one label line and one bar


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str
    y: int
    width: float


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]
    height: int
    width: int = WIDTH


def bar_chart(title: str, pairs: list[tuple[str, float]], top: float | None = None,
              shown=lambda value: str(value)) -> Chart:
    """Bars for (label, value) pairs, scaled to `top` (the largest value when None)."""
    largest = top if top is not None else max([value for _, value in pairs] + [0])
    bars = tuple(Bar(label, value, shown(value), index * ROW, _length(value, largest))
                 for index, (label, value) in enumerate(pairs))
    return Chart(title, bars, max(len(bars), 1) * ROW)


def _length(value: float, largest: float) -> float:
    if not largest or not value:
        return 0
    return round(max(value / largest * BAR_SPACE, 2), 1)
