"""Rates as the reports and the statistics pages print them: 100%, 92.3%, 99.95%.

One rule for every page and sentence that states a rate (the work orders' reply and on-time rates,
the annual report's sentences): rounded half up to one decimal, or to as many decimals as it takes
never to print 100% when one item is missing nor 0% when one is there — a reader takes "100%" as
"all", and a supervisor checks exactly that.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def rate(part: int, whole: int) -> Decimal | None:
    """The rate in per cent, rounded half up to one decimal — or to as many as it takes not to
    print 100% when one is missing, nor 0% when one is there (None when there is no whole)."""
    if not whole:
        return None
    exact = Decimal(part * 100) / Decimal(whole)
    for places in range(1, 9):
        r = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if (r == 100) == (part == whole) and (r == 0) == (part == 0):
            return r
    return r  # pragma: no cover - eight places tell any count a report holds


def rate_text(part: int, whole: int) -> str:
    """100%, 92.3%, 99.95% (the style of the reports and of the work-order statistics page)."""
    r = rate(part, whole)
    if r is None:
        return "—"
    text = format(r, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + "%"
