"""What one generated annual report holds, independent of how it is stored or printed.

Every output (Word, PDF, the public HTML page) and every check is made from a :class:`ReportContent`,
so the figures cannot differ between them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gongkai.domain.report_format import ReportFormat, format_for_year


def report_title(agency_name: str, year: int) -> str:
    return f"{agency_name}{year}年政府信息公开工作年度报告"


def default_preamble(agency_name: str, year: int) -> str:
    """The customary opening paragraph: legal basis, what the report covers, the period."""
    return (
        f"本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国务院办公厅政府信息与政务公开办公室"
        f"关于政府信息公开工作年度报告的有关要求，由{agency_name}编制。报告全文包括总体情况、主动公开政府信息情况、"
        f"收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、"
        f"其他需要报告的事项。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    )


@dataclass(frozen=True)
class ReportContent:
    """One version of a report.

    ``tables`` has the shape :mod:`gongkai.domain.consistency` reads:
    ``{"table_2": {sub_id: {row: {col: n}}}, "table_3": {row: {col: n}}, "table_4": {col: n}}``.
    ``sections`` maps a narrative section key of the year's format (overview, problems, other) to
    its text; paragraphs are separated by line breaks.
    """

    agency_name: str
    year: int
    tables: Mapping[str, Any]
    sections: Mapping[str, str] = field(default_factory=dict)
    preamble: str = ""
    dated: date | None = None  # the date printed under the signature (落款日期), if any

    @property
    def fmt(self) -> ReportFormat:
        return format_for_year(self.year)

    @property
    def title(self) -> str:
        return report_title(self.agency_name, self.year)

    @property
    def opening(self) -> str:
        return self.preamble or default_preamble(self.agency_name, self.year)

    def section_text(self, key: str) -> str:
        return (self.sections.get(key) or "").strip()

    def paragraphs(self, key: str) -> list[str]:
        return [p.strip() for p in self.section_text(key).splitlines() if p.strip()]
