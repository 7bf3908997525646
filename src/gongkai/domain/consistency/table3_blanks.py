"""The spec's blank-cell convention for a table 三 read from a published report."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from gongkai.domain.report_format import ReportFormat, load_formats


def normalise_table3(table: Mapping[str, Any], fmt: ReportFormat | None = None) -> dict[str, dict[str, Any]]:
    """Apply the spec's blank-cell convention to a table 三 read from a *published* report.

    Published reports often leave zero cells blank, and some fill the 总计 column only on rows
    一, 二, （七） and 四 (the Shanghai municipal office's 2019 report does). The convention: a
    blank (``None`` or absent) cell in an applicant column counts as 0, while a blank 总计 cell is
    **computed** as the sum of the six applicant columns of its row; a 总计 cell that was filled
    in is kept as written, so :func:`evaluate` still checks it.

    Use it on tables transcribed or parsed from a published report before calling
    :func:`evaluate`. Do not use it on figures still being entered, where a blank means "not yet
    filled in" and should stay *not checkable*, nor on a table that is missing or unreadable
    altogether (that is not an all-zero table). Rows are those of ``fmt`` when given (absent
    rows become zero rows), otherwise the rows present in ``table``. Returns a new dict.
    """
    t3 = (fmt or load_formats()["2021"]).table_3  # the columns are the same in both formats
    applicant = [c.key for c in t3.applicant_columns()]
    out: dict[str, dict[str, Any]] = {k: dict(v) for k, v in table.items() if isinstance(v, Mapping)}
    rows = [r.key for r in t3.data_rows()] if fmt is not None else list(out)
    every = frozenset((*applicant, t3.TOTAL_COLUMN))
    for row in rows:
        cells = out.setdefault(row, {})
        if None not in cells.values() and cells.keys() >= every:
            continue  # every cell written (most rows): nothing to fill
        for c in applicant:
            if cells.get(c) is None:
                cells[c] = 0
        if cells.get(t3.TOTAL_COLUMN) is None:
            parts = [cells[c] for c in applicant]
            if all(isinstance(p, (int, float, Decimal)) and not isinstance(p, bool) for p in parts):
                cells[t3.TOTAL_COLUMN] = sum(parts)
    return out
