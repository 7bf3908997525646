"""The report as a PDF: WeasyPrint prints the full HTML page (the same body as the public page)
with the print stylesheet; every URL fetch is refused, so printing never touches the network.

Fonts are found by local name through fontconfig ("Noto Serif CJK SC", "Noto Sans CJK SC", from
Debian's fonts-noto-cjk, installed by ``make browser``). Table 三 sits on a landscape page of its
own (the ``wide`` named page of the stylesheet) so that its ten columns and 36 rows fit one page.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from gongkai.annualreports.render._html import html_page
from gongkai.domain.annual_report.content import ReportContent

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "gongkai" / "annual-report-print.css"


class FetchRefused(ValueError):
    pass


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    """WeasyPrint's url_fetcher: nothing is fetched, http(s) or anything else."""
    raise FetchRefused(f"the annual report PDF fetches nothing (asked for {url[:200]})")


@functools.cache
def _stylesheet_text() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


@functools.cache
def _stylesheet() -> Any:
    from weasyprint import CSS  # heavy import, only when a PDF is asked for

    return CSS(string=_stylesheet_text(), base_url=str(STYLESHEET.parent), url_fetcher=refuse_fetch)


def pdf_bytes(content: ReportContent) -> bytes:
    """The report as an A4 PDF, rendered offline."""
    from weasyprint import HTML

    document = HTML(string=html_page(content), base_url=str(STYLESHEET.parent), url_fetcher=refuse_fetch)
    return document.write_pdf(stylesheets=[_stylesheet()])
