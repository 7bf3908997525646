"""Small bar charts as inline SVG, drawn on the server: no chart library, no script, no CDN, and
nothing the strict Content-Security-Policy refuses (colours and sizes are SVG presentation
attributes, never ``style=``).

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (its figures in words,
year by year) that a screen reader reads; the page keeps the same figures in a table. A year with
no figure (no audited report, or a report without that number) is a gap, labelled "无数据" and never
drawn as a zero bar; a real zero is a hairline on the axis and the label "0".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from gongkai.domain.supervision import OUTCOME_LABELS

WIDTH = 640
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 8, 8, 34, 40  # TOP: the shown title, then room for the tallest label
GAP_LABEL = "无数据"
AXIS = "#8a8f98"
MUTED = "#6b7280"
# distinguishable for the common colour-vision deficiencies (Okabe–Ito), in the order of the series
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | int | None]  # one per year; None: no figure that year (a gap)


def _number(v: float | int) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}".rstrip("0").rstrip(".")


def _top(series: Sequence[Series], stacked: bool, ceiling: float | None) -> float:
    if ceiling is not None:
        return ceiling
    if stacked:
        totals = [sum(v or 0 for v in col) for col in zip(*(s.values for s in series), strict=True)]
    else:
        totals = [v for s in series for v in s.values if v is not None]
    return max([*totals, 0]) or 1


def bar_chart(
    *,
    chart_id: str,
    title: str,
    years: Sequence[int],
    series: Sequence[Series],
    unit: str = "",
    stacked: bool = False,
    ceiling: float | None = None,
) -> SafeString:
    """Bars per year: one bar per series side by side, or the series stacked in one bar. ``ceiling``
    fixes the top of the scale (100 for a percentage); else the largest figure is the top."""
    n = len(years)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(n, 1)
    top = _top(series, stacked, ceiling)
    base = TOP + plot_h
    groups = len(series) if not stacked else 1
    bar_w = max(2.0, slot * 0.7 / groups)
    parts: list[SafeString] = []
    for i, year in enumerate(years):
        x0 = LEFT + i * slot + (slot - bar_w * groups) / 2
        column = [s.values[i] for s in series]
        cx = LEFT + i * slot + slot / 2
        parts.append(_text(cx, base + 16, str(year), fill=AXIS))
        if all(v is None for v in column):
            parts.append(_text(cx, base - 4, GAP_LABEL, fill=MUTED, testid="gap"))
            continue
        y_cursor = base
        for k, (s, v) in enumerate(zip(series, column, strict=True)):
            if v is None:
                if not stacked:
                    parts.append(_text(x0 + bar_w * (k + 0.5), base - 4, "—", fill=MUTED))
                continue
            h = plot_h * min(v, top) / top
            drawn = max(h, 1.0)  # a zero is a hairline on the axis, unlike a gap
            x = x0 if stacked else x0 + bar_w * k
            y = (y_cursor if stacked else base) - drawn
            label = f"{year}年{s.name}：{_number(v)}{unit}"
            parts.append(_bar(x, y, bar_w, drawn, PALETTE[k % len(PALETTE)], label))
            if stacked:
                y_cursor -= h
            else:
                parts.append(_text(x + bar_w / 2, y - 4, _number(v), fill="#1f2937"))
        if stacked:
            total = sum(v or 0 for v in column)
            parts.append(_text(cx, y_cursor - 4, _number(total), fill="#1f2937"))
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>', LEFT, _px(base), WIDTH - RIGHT, _px(base), AXIS
        )
    )
    legend = _legend(series, base + 32) if len(series) > 1 else mark_safe("")
    desc = describe(years, series, unit)
    return format_html(
        '<svg class="chart" data-testid="chart-{id}" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg" font-size="12">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        # the title shown as well (the <title> is only read out or shown on hover)
        '<text x="{left}" y="14" fill="#1f2937" font-weight="bold" aria-hidden="true">{title}</text>'
        "{body}{legend}</svg>",
        id=chart_id,
        left=LEFT,
        w=WIDTH,
        h=HEIGHT,
        title=title,
        desc=desc,
        body=mark_safe("".join(parts)),
        legend=legend,
    )


def describe(years: Sequence[int], series: Sequence[Series], unit: str = "") -> str:
    """The chart's figures in words, for the ``<desc>``: 2024年：新收申请12件；2023年：无数据 …"""
    out = []
    for i, year in enumerate(years):
        values = [(s.name, s.values[i]) for s in series]
        if all(v is None for _, v in values):
            out.append(f"{year}年：{GAP_LABEL}")
        else:
            said = "，".join(f"{name}{'无数据' if v is None else _number(v) + unit}" for name, v in values)
            out.append(f"{year}年：{said}")
    return "；".join(out)


def _bar(x: float, y: float, w: float, h: float, fill: str, label: str) -> SafeString:
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
        _px(x),
        _px(y),
        _px(w),
        _px(h),
        fill,
        label,
    )


def _px(v: float) -> str:
    return f"{v:.1f}"


def _text(x: float, y: float, text: str, *, fill: str, testid: str = "") -> SafeString:
    extra = format_html(' data-testid="{}"', testid) if testid else ""
    return format_html(
        '<text x="{}" y="{}" text-anchor="middle" fill="{}"{}>{}</text>', _px(x), _px(y), fill, extra, text
    )


def _legend(series: Sequence[Series], y: float) -> SafeString:
    step = (WIDTH - LEFT - RIGHT) / len(series)
    return format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" fill="{}"/><text x="{}" y="{}" fill="#1f2937">{}</text>',
        (
            (_px(LEFT + k * step), _px(y - 9), PALETTE[k % len(PALETTE)], _px(LEFT + k * step + 14), _px(y), s.name)
            for k, s in enumerate(series)
        ),
    )


def history_charts(history) -> list[SafeString]:
    """The charts of one agency across the years (``selectors.agency_history``: year, figures,
    outliers): applications received, outcome mix, reviews and lawsuits, their 纠正 rate, the
    信息处理费, documents made."""
    years = [y for y, _f, _o in history]
    figs = [f for _y, f, _o in history]

    def of(attr: str) -> list:
        return [getattr(f, attr) if f is not None else None for f in figs]

    mix = [
        Series(name, [dict(f.outcome_mix).get(name) if f is not None else None for f in figs])
        for name in OUTCOME_LABELS
    ]
    return [
        bar_chart(
            chart_id="received",
            title="新收政府信息公开申请（件）",
            years=years,
            series=[Series("新收申请", of("received"))],
            unit="件",
        ),
        bar_chart(
            chart_id="outcomes", title="申请办理结果构成（件）", years=years, series=mix, unit="件", stacked=True
        ),
        bar_chart(
            chart_id="appeals",
            title="行政复议、行政诉讼结案数（件）",
            years=years,
            series=[Series("行政复议", of("reviews")), Series("行政诉讼", of("lawsuits"))],
            unit="件",
        ),
        bar_chart(
            chart_id="corrected",
            title="行政复议、行政诉讼被纠正率（%）",
            years=years,
            series=[Series("纠正率", [f.corrected_rate if f is not None else None for f in figs])],
            unit="%",
            ceiling=100,
        ),
        bar_chart(
            chart_id="fees",
            title="收取信息处理费（元）",
            years=years,
            series=[Series("信息处理费", of("fee"))],
            unit="元",
        ),
        bar_chart(
            chart_id="documents",
            title="制发规章和行政规范性文件（件）",
            years=years,
            series=[Series("制发件数", of("documents"))],
            unit="件",
        ),
    ]
