"""Checks of the report against the register, beside the 勾稽 rules of the format.

The format's rules compare cells with cells; these compare cells with what the register shows
happened, where a row can only count cases that went through a step first:

- table 三 （四）3 补正后申请内容仍不明确: no more than the applications concluded in the year whose
  补正 the applicant answered (第三十条; workflow refuses the outcome otherwise, so a larger figure is
  a table typed or imported by hand, or a case mis-recorded);
- table 三 （六）2 申请人逾期未按收费通知要求缴纳费用: no more than the applications concluded in the year
  that received a 收费通知 (国办函〔2020〕109号);
- section 六 (其他需要报告的事项): the 信息处理费 it states equals the fees paid in the year.

Each problem is a Chinese sentence; the app blocks submission on them like a failing rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

UNCLEAR_ROW = "unable_unclear_after_correction"
FEE_UNPAID_ROW = "other_fee_unpaid"
FEE_SECTION = "other"


@dataclass(frozen=True)
class RegisterFacts:
    """What the register shows for the year (the app counts it)."""

    corrections_answered: int  # applications concluded in the year whose 补正 was answered
    fee_notices: int  # applications concluded in the year that received a 收费通知
    fees_paid_yuan: Decimal  # 信息处理费 paid in the year


def _total(tables: Mapping[str, Any], row: str) -> int | None:
    value = ((tables.get("table_3") or {}).get(row) or {}).get("total")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# 信息处理费1,200元 / 信息处理费共计0.12万元; "未收取信息处理费" states 0.
_FEE_STATED = re.compile(
    r"信息处理费(?:共计|合计|共|总计|为|：|:|\s)*(?P<n>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<unit>万元|元)"
)
_NO_FEE = re.compile(r"未(?:收取|收)(?:任何)?信息处理费")


def stated_fee_yuan(text: str) -> Decimal | None:
    """The 信息处理费 a section states, in 元 (None when it states none)."""
    m = _FEE_STATED.search(text or "")
    if m is not None:
        value = Decimal(m.group("n").replace(",", ""))
        return value * 10000 if m.group("unit") == "万元" else value
    if _NO_FEE.search(text or ""):
        return Decimal(0)
    return None


def register_problems(tables: Mapping[str, Any], sections: Mapping[str, str], facts: RegisterFacts) -> list[str]:
    out: list[str] = []
    unclear = _total(tables, UNCLEAR_ROW)
    if unclear is not None and unclear > facts.corrections_answered:
        out.append(
            f"表三“补正后申请内容仍不明确”为{unclear}件，但本年办结的申请中申请人已补正的只有{facts.corrections_answered}件"
            "（第三十条：须先一次性告知补正并收到补正）"
        )
    unpaid = _total(tables, FEE_UNPAID_ROW)
    if unpaid is not None and unpaid > facts.fee_notices:
        out.append(
            f"表三“申请人逾期未按收费通知要求缴纳费用”为{unpaid}件，但本年办结的申请中发出收费通知的只有{facts.fee_notices}件"
        )
    stated = stated_fee_yuan(sections.get(FEE_SECTION, ""))
    if stated is not None and stated != facts.fees_paid_yuan:
        out.append(
            f"“其他需要报告的事项”称收取信息处理费{stated.normalize():f}元，登记的本年实际缴纳金额为"
            f"{facts.fees_paid_yuan.normalize():f}元"
        )
    return out
