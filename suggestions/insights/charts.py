"""Geometry for the dashboard's charts, computed here so the SVG templates only draw.

Bars are HTML rows (a real text label and value) with a small SVG bar between them: they read
on a phone as well as on a wall screen. Trends are one SVG line chart. Every chart has a table
beside it for people who do not read charts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no figure (too small to show, nothing measured)
    text: str  # the value as shown
    css: str = ""  # e.g. "bar-highlight" for the slowest department
    note: str = ""  # shown beside the value
    href: str | None = None


@dataclass
class BarChart:
    bars: list[Bar]
    widths: list[float] = field(default_factory=list)  # filled part of each bar, 0..100

    def rows(self):
        return zip(self.bars, self.widths, strict=True)


def bar_chart(bars: list[Bar], maximum: float | None = None) -> BarChart:
    """Scale the bars to the largest value (or to ``maximum``, e.g. 1.0 for shares)."""
    values = [b.value for b in bars if b.value is not None]
    top = maximum if maximum is not None else max(values, default=0)
    widths = [
        round(100 * max(0.0, b.value) / top, 2) if top and b.value is not None else 0.0
        for b in bars
    ]
    return BarChart(bars, widths)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    label: str


@dataclass
class Series:
    name: str
    css: str
    points: list[Point]
    segments: list[str]  # "x,y x,y ..." for each unbroken run of points


@dataclass
class LineChart:
    width: int
    height: int
    left: int
    bottom: int
    right: int
    top: int
    series: list[Series]
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def empty(self) -> bool:
        return not any(s.points for s in self.series)


def nice_ceiling(value: float) -> float:
    """1, 2, 2.5, 5 or 10 times a power of ten, at least ``value`` (axes end on round numbers)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value - 1e-9:
            return step * power
    return 10 * power


def line_chart(
    buckets: list[str],
    bucket_labels: list[str],
    series: list[tuple[str, str, dict[str, float | None]]],
    *,
    width: int = 640,
    height: int = 260,
    number=lambda v: f"{v:g}",
) -> LineChart:
    """One line per series over the buckets; a missing value breaks the line."""
    left, right, top, bottom = 58, 12, 14, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _, _, data in series for v in data.values() if v is not None]
    y_max = 4 * nice_ceiling(max(values, default=0) / 4)  # four round steps up the axis

    def x_of(i: int) -> float:
        return left + (plot_w * (i + 0.5) / len(buckets) if buckets else 0)

    def y_of(v: float) -> float:
        return top + plot_h * (1 - v / y_max)

    drawn = []
    for name, css, data in series:
        points, segments, run = [], [], []
        for i, bucket in enumerate(buckets):
            value = data.get(bucket)
            if value is None:
                if run:
                    segments.append(" ".join(run))
                run = []
                continue
            point = Point(round(x_of(i), 1), round(y_of(value), 1), value, bucket_labels[i])
            points.append(point)
            run.append(f"{point.x},{point.y}")
        if run:
            segments.append(" ".join(run))
        drawn.append(Series(name, css, points, segments))
    y_ticks = [(round(y_of(y_max * k / 4), 1), number(y_max * k / 4)) for k in range(5)]
    every = max(1, math.ceil(len(buckets) / 6))  # at most about six labels fit on a phone
    x_ticks = [(round(x_of(i), 1), bucket_labels[i]) for i in range(0, len(buckets), every)]
    return LineChart(width, height, left, bottom, right, top, drawn, y_ticks, x_ticks)
