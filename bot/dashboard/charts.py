"""Chart geometry for server-side SVG: numbers in, rectangles out (templates draw them).

No JavaScript and nothing fetched from elsewhere: the page is complete as served.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

PALETTE = ("#2f6fd0", "#3aa37a", "#e0a32e", "#c8553d", "#7d5ba6", "#5b8a9a")


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str
    series: str = ""
    color: str = PALETTE[0]


@dataclass(frozen=True, slots=True)
class Tick:
    at: float  # y for vertical charts, x for horizontal ones
    label: str


@dataclass(frozen=True, slots=True)
class Legend:
    name: str
    color: str


@dataclass(slots=True)
class Chart:
    title: str
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    labels: list[Tick] = field(default_factory=list)  # category labels along the axis
    legend: list[Legend] = field(default_factory=list)
    horizontal: bool = False
    left: float = 0  # where the plot area starts
    bottom: float = 0  # baseline of vertical charts
    right: float = 0  # where the plot area ends, when a second scale stands beyond it

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    @property
    def empty(self) -> bool:
        return self.total == 0


# A value above zero never draws thinner than this (in SVG units, about 1.5 px on a
# phone): 1 against 1,400 would otherwise be a bar of 0.1 units, invisible.
MIN_BAR = 2.5


def extent(value: int, top_value: int, room: float) -> float:
    """How long a bar of ``value`` is on an axis of ``room`` units topped at ``top_value``."""
    return max(room * value / top_value, MIN_BAR) if value > 0 else 0.0


def tick_label(value: float) -> str:
    """2.5 stays 2.5 (``round`` would say 2); whole numbers print without a point."""
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def axis_ticks(top: float, height: float, top_value: int) -> list[Tick]:
    return [Tick(top + height * (1 - f), tick_label(top_value * f)) for f in (0, 0.5, 1)]


def nice_ceiling(value: int) -> int:
    """The axis top: 1, 2 or 5 times a power of ten, at least ``value`` (and at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** int(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return int(step * power)
    return int(10 * power)


def column_chart(
    title: str,
    points: Sequence[tuple[str, int]],
    *,
    width: int = 640,
    height: int = 220,
    label_every: int = 1,
    color: str = PALETTE[0],
) -> Chart:
    """One column per point, labelled underneath (every ``label_every``-th label shown).

    The scale stands on both sides: a phone shows a time series from its newest end."""
    left, right, top, bottom_margin = 44.0, 44.0, 12.0, 24.0
    plot_h = height - top - bottom_margin
    plot_w = width - left - right
    top_value = nice_ceiling(max((v for _, v in points), default=0))
    slot = plot_w / max(len(points), 1)
    chart = Chart(title, width, height, left=left, bottom=top + plot_h, right=left + plot_w)
    for i, (label, value) in enumerate(points):
        h = extent(value, top_value, plot_h)
        x = left + i * slot + slot * 0.15
        chart.bars.append(Bar(x, top + plot_h - h, slot * 0.7, h, value, label, color=color))
        if i % label_every == 0:
            chart.labels.append(Tick(left + i * slot + slot / 2, label))
    chart.ticks = axis_ticks(top, plot_h, top_value)
    return chart


def bar_chart(
    title: str, points: Sequence[tuple[str, int]], *, width: int = 640, row: int = 24
) -> Chart:
    """Horizontal bars, one row per point, longest first as given."""
    left, right = 150.0, 60.0
    height = max(len(points), 1) * row + 8
    top_value = nice_ceiling(max((v for _, v in points), default=0))
    plot_w = width - left - right
    chart = Chart(title, width, height, horizontal=True, left=left)
    for i, (label, value) in enumerate(points):
        color = PALETTE[i % len(PALETTE)]
        w = extent(value, top_value, plot_w)
        chart.bars.append(Bar(left, 4 + i * row + 3, w, row - 6, value, label, color=color))
        chart.labels.append(Tick(4 + i * row + row / 2, label))
    return chart


def grouped_chart(
    title: str,
    groups: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[str],
    *,
    width: int = 640,
    height: int = 240,
) -> Chart:
    """Columns side by side per group, one colour per series (a funnel per vacancy)."""
    left, top, bottom_margin = 44.0, 12.0, 28.0
    plot_h = height - top - bottom_margin
    plot_w = width - left - 8
    top_value = nice_ceiling(max((v for _, values in groups for v in values), default=0))
    slot = plot_w / max(len(groups), 1)
    inner = slot * 0.8 / max(len(series), 1)
    chart = Chart(title, width, height, left=left, bottom=top + plot_h)
    chart.legend = [Legend(name, PALETTE[i % len(PALETTE)]) for i, name in enumerate(series)]
    for g, (label, values) in enumerate(groups):
        for s, value in enumerate(values):
            h = extent(value, top_value, plot_h)
            x = left + g * slot + slot * 0.1 + s * inner
            color = PALETTE[s % len(PALETTE)]
            chart.bars.append(
                Bar(x, top + plot_h - h, inner * 0.9, h, value, label, series[s], color)
            )
        chart.labels.append(Tick(left + g * slot + slot / 2, label))
    chart.ticks = axis_ticks(top, plot_h, top_value)
    return chart
