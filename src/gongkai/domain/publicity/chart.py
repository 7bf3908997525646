"""The geometry of the month statistics' bar chart (posts per month, one bar per platform), drawn by
the template as inline SVG: no script, no style attribute (the strict Content-Security-Policy)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from gongkai.domain.publicity.media import PLATFORM_LABELS


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    month: int
    platform: str
    label: str
    css: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    bars: tuple[Bar, ...]
    y_ticks: tuple[tuple[float, int], ...]
    x_labels: tuple[tuple[float, str], ...]
    legend: tuple[tuple[str, str], ...]
    title: str


def nice_step(maximum: int) -> int:
    """A tick step that gives at most five ticks above zero."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if maximum / (step * m) <= 5:
                return step * m
        step *= 10


def posts_chart(posts: Mapping[str, Sequence[int]], *, year: int) -> Chart:
    """``posts``: platform → twelve monthly post counts (January first)."""
    width, height, left, top, right, bottom = 760, 300, 56, 24, 744, 250
    platforms = [p for p in PLATFORM_LABELS if p in posts]
    peak = max([v for p in platforms for v in posts[p]] + [1])
    step = nice_step(peak)
    top_value = step * -(-peak // step)
    scale = (bottom - top) / top_value
    slot = (right - left) / 12
    bar_w = slot * 0.8 / max(len(platforms), 1)
    bars = []
    for i in range(12):
        for j, p in enumerate(platforms):
            value = posts[p][i]
            h = value * scale
            x = left + i * slot + slot * 0.1 + j * bar_w
            bars.append(
                Bar(
                    round(x, 1),
                    round(bottom - h, 1),
                    round(bar_w, 1),
                    round(h, 1),
                    value,
                    i + 1,
                    p,
                    PLATFORM_LABELS[p],
                    f"bar-{p}",
                )
            )
    ticks = tuple((round(bottom - v * scale, 1), v) for v in range(0, top_value + 1, step))
    x_labels = tuple((round(left + (i + 0.5) * slot, 1), f"{i + 1}月") for i in range(12))
    legend = tuple((f"bar-{p}", PLATFORM_LABELS[p]) for p in platforms)
    return Chart(width, height, left, top, right, bottom, tuple(bars), ticks, x_labels, legend, f"{year}年各月发布条数")
