"""The cells of a row of the comparison, made once in Python: the all-agencies table has hundreds of
rows, and rendering each figure through the template language (a lookup and a localised number
format per cell) cost most of the page. Same markup as ``supervision/_figures.html``."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

DASH = "—"


def _n(value) -> str:
    return DASH if value is None else str(value)


def _rate(value) -> str:
    return DASH if value is None else f"{value}%"


def figure_cells(f, outliers: list[str]) -> SafeString:
    if f is None:
        figures = format_html('<td colspan="7" class="hint">{}</td>', "未收到已审计的报告")
    else:
        figures = format_html(
            '<td data-testid="received">{}</td><td>{}</td><td>{}</td><td data-testid="granted-rate">{}</td>'
            "<td>{}（纠正{}）</td><td>{}（纠正{}）</td><td>{}</td>",
            _n(f.received),
            _n(f.results),
            _n(f.granted),
            _rate(f.granted_rate),
            _n(f.reviews),
            _n(f.reviews_corrected),
            _n(f.lawsuits),
            _n(f.lawsuits_corrected),
            _rate(f.corrected_rate),
        )
    spans = format_html_join("；", '<span class="count-error">{}</span>', ((o,) for o in outliers))
    return format_html('{}<td data-testid="outliers">{}</td>', figures, spans)
