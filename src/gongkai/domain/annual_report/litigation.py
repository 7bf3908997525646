"""Table 四 (政府信息公开行政复议、行政诉讼情况) counted from the review and litigation register.

Each administrative review (行政复议) or lawsuit (行政诉讼) arising from a disclosure matter is one
:class:`ReviewCaseForCount`. A lawsuit is either brought directly (未经复议直接起诉) or after a review
(复议后起诉); its stage decides its column group. A result is 维持, 纠正, 其他 or 尚未审结.

Counting rule (a choice: the format says nothing about cases that span two years, see
annual-report-format.md §5):

- a case counts **once, in the report on the year it was filed** (``filed_on``);
- its result is **the one known on 31 December of that year**: a case concluded later (or not yet)
  is counted as 尚未审结, even if the register now holds its final result;
- so a case is never counted twice, and each year's table 四 is fixed once the year is over (a
  report regenerated later gives the same figures). The final result of a case counted as 尚未审结
  belongs in the prose of the next report, not in its table.

Every group's 总计 is the sum of its four result columns, so the rules t4_*_total hold by
construction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from gongkai.domain.errors import DomainError
from gongkai.domain.report_format import format_for_year

KIND_LABELS: Mapping[str, str] = MappingProxyType({"review": "行政复议", "litigation": "行政诉讼"})
STAGE_LABELS: Mapping[str, str] = MappingProxyType({"direct": "未经复议直接起诉", "after_review": "复议后起诉"})
RESULT_LABELS: Mapping[str, str] = MappingProxyType(
    {"maintained": "维持", "corrected": "纠正", "other": "其他", "pending": "尚未审结"}
)
# result key -> the suffix of its table 四 column (review_<suffix>, litigation_direct_<suffix> …)
_COLUMN_SUFFIX = {"maintained": "maintained", "corrected": "corrected", "other": "other", "pending": "pending"}


@dataclass(frozen=True)
class ReviewCaseForCount:
    """One review or lawsuit as table 四 needs it.

    ``result`` is the result now on the register; ``concluded_on`` is when it was decided (None
    while 尚未审结). A concluded case has a result other than ``pending`` and a conclusion date.
    """

    kind: str  # "review" | "litigation"
    filed_on: date
    stage: str | None  # litigation only: "direct" | "after_review"
    result: str  # "maintained" | "corrected" | "other" | "pending"
    concluded_on: date | None = None

    def __post_init__(self) -> None:
        if self.kind not in KIND_LABELS:
            raise DomainError(f"未知的案件类别“{self.kind}”，应为行政复议或行政诉讼")
        if not isinstance(self.filed_on, date):
            raise DomainError(f"{KIND_LABELS[self.kind]}案件缺少立案（申请、起诉）日期")
        if self.kind == "litigation":
            if self.stage is None:
                raise DomainError("行政诉讼案件应注明是未经复议直接起诉还是复议后起诉")
            if self.stage not in STAGE_LABELS:
                raise DomainError(f"未知的起诉阶段“{self.stage}”，应为未经复议直接起诉或复议后起诉")
        elif self.stage is not None:
            raise DomainError("行政复议案件没有起诉阶段，只有行政诉讼案件区分直接起诉和复议后起诉")
        if self.result not in RESULT_LABELS:
            raise DomainError(f"未知的案件结果“{self.result}”，应为维持、纠正、其他或尚未审结")
        if self.result == "pending" and self.concluded_on is not None:
            raise DomainError(f"案件已于{self.concluded_on}审结，结果不能是尚未审结")
        if self.result != "pending" and self.concluded_on is None:
            raise DomainError(f"案件结果为“{RESULT_LABELS[self.result]}”，应填写审结日期")
        if self.concluded_on is not None and self.concluded_on < self.filed_on:
            raise DomainError(f"审结日期{self.concluded_on}早于立案日期{self.filed_on}")

    @property
    def group(self) -> str:
        """The column group of table 四: ``review``, ``litigation_direct`` or ``litigation_after_review``."""
        return "review" if self.kind == "review" else f"litigation_{self.stage}"

    def result_on(self, day: date) -> str:
        """The result as known on ``day``: 尚未审结 until the case is concluded."""
        if self.concluded_on is None or self.concluded_on > day:
            return "pending"
        return self.result

    @property
    def label(self) -> str:
        """e.g. 行政诉讼（复议后起诉）."""
        if self.stage is None:
            return KIND_LABELS[self.kind]
        return f"{KIND_LABELS[self.kind]}（{STAGE_LABELS[self.stage]}）"


def table4_for_year(cases: Iterable[ReviewCaseForCount], year: int) -> dict[str, int]:
    """Every column of table 四 of ``year``'s format (the three 总计 included), counted by the rule above."""
    columns = [c.key for c in format_for_year(year).table_4.columns]
    table = dict.fromkeys(columns, 0)
    end = date(year, 12, 31)
    for case in cases:
        if case.filed_on.year != year:
            continue
        group = case.group
        table[f"{group}_{_COLUMN_SUFFIX[case.result_on(end)]}"] += 1
        table[f"{group}_total"] += 1
    return table
