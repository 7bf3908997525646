"""Table 三 of the annual report counted from the cases themselves (procedure.md §4).

For report year Y, per applicant type:

- ``new_received``: cases received in Y;
- ``carried_over``: received before Y and not concluded before Y;
- the outcome rows and ``results_total``: cases concluded in Y, each in the row of its outcome
  under the format in force for Y (outcomes.table3_row);
- ``carry_forward``: received on or before 31 December Y and not concluded by then; it equals
  ``carried_over`` of Y+1 by construction.

So every received case is in exactly one of "concluded in Y" or "open at the end of Y" once it
is counted in Y at all, which is the printed balance new_received + carried_over = results_total +
carry_forward. A case never received (withdrawn while 待确认收到) is not an application in the
count and appears nowhere [I]. The web app computes the same figures with one SQL aggregation and
is tested against this function.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from gongkai.domain.errors import DomainError
from gongkai.domain.outcomes import APPLICANT_TYPES, outcome, table3_row
from gongkai.domain.report_format import Table3, format_for_year

RowKey = str
ColumnKey = str


@dataclass(frozen=True)
class CaseForCount:
    applicant_type: str  # a key of outcomes.APPLICANT_TYPES
    received_on: date | None
    concluded_on: date | None
    outcome_code: str | None

    def __post_init__(self) -> None:
        if self.applicant_type not in APPLICANT_TYPES:
            raise DomainError(f"未知的申请人类型“{self.applicant_type}”")
        if (self.concluded_on is None) != (self.outcome_code is None):
            raise DomainError("办结日期与办理结果应同时填写或同时为空")
        if self.outcome_code is not None:
            outcome(self.outcome_code)  # unknown codes raise
        if self.received_on and self.concluded_on and self.concluded_on < self.received_on:
            raise DomainError(f"办结日期{self.concluded_on}早于收到申请日期{self.received_on}")


def table3_for_year(cases: Iterable[CaseForCount], year: int) -> dict[RowKey, dict[ColumnKey, int]]:
    """Every data row × column of table 三 for ``year``, in that year's format, the total column included."""
    t3 = format_for_year(year).table_3
    table = _zeros(t3)
    start, end = date(year, 1, 1), date(year, 12, 31)
    for case in cases:
        if case.received_on is None or case.received_on > end:
            continue
        col = case.applicant_type
        if case.received_on >= start:
            table["new_received"][col] += 1
        elif case.concluded_on is None or case.concluded_on >= start:
            table["carried_over"][col] += 1
        if case.concluded_on is not None and start <= case.concluded_on <= end:
            assert case.outcome_code is not None
            table[table3_row(case.outcome_code, year)][col] += 1
            table["results_total"][col] += 1
        elif case.concluded_on is None or case.concluded_on > end:
            table["carry_forward"][col] += 1
    for row in table.values():
        row[Table3.TOTAL_COLUMN] = sum(v for c, v in row.items() if c != Table3.TOTAL_COLUMN)
    return table


def _zeros(t3: Table3) -> dict[RowKey, dict[ColumnKey, int]]:
    return {r.key: {c.key: 0 for c in t3.columns} for r in t3.data_rows()}
