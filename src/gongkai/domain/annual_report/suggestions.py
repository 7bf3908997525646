"""Sentences for the prose, generated from the year's figures, that the clerk can insert and edit.

Every figure in a suggestion is read from the tables (or, for 信息处理费, from the fee register
totals in :class:`ReportFacts`), so a sentence inserted as is always agrees with them. The wording
is also chosen so that the audit reader (:mod:`gongkai.domain.audit.prose`) reads each figure as
what it is: a whole is followed by ``，其中`` and its parts (never in brackets, where a part would be
read as the whole), and the words that key a figure (收到…申请, 上年结转, 办结, 结转下年度, 行政复议,
行政诉讼) appear only in the clause of the figure they describe. A sentence with a zero says so in
words (本年度未收到…申请) or states 0 where the reader compares it.

Suggestions (section, point):

- overview / 主动公开: the publication sentence given (:func:`disclosure.counting.publication_sentence`);
  规章 and 行政规范性文件 from table 二 第二十条第（一）项; 行政许可 / 行政处罚 / 行政强制 decisions
  (and the 行政事业性收费 amount in the 2021 format) when any is not zero;
- overview / 依申请公开: applications received (per applicant type), carried over, concluded (per
  result group), carried forward, from table 三; reviews and lawsuits from table 四;
- other / 信息处理费: the fee collected, or that none was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gongkai.domain.annual_report.markdown import number_text
from gongkai.domain.errors import DomainError
from gongkai.domain.report_format import ReportFormat, format_for_year

# how an applicant column is named in prose (the table's 其他 alone would be ambiguous)
APPLICANT_PROSE = {
    "natural_person": "自然人",
    "commercial_enterprise": "商业企业",
    "research_institution": "科研机构",
    "public_interest_org": "社会公益组织",
    "legal_service_org": "法律服务机构",
    "other_org": "其他法人或其他组织",
}
# the result groups of table 三 by the key of their label row (a data row directly under
# 三、本年度办理结果, such as （一）予以公开 or the 2019 format's （六）其他处理, is its own group)
_FAMILY_NAMES = {
    "granted": "予以公开",
    "partially_granted": "部分公开",
    "withheld": "不予公开",
    "unable": "无法提供",
    "not_processed": "不予处理",
    "other_handling": "其他处理",
}
_RESULT_PROSE = (("maintained", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"))


@dataclass(frozen=True)
class ReportFacts:
    """What the suggestions are made from: the assembled tables and a few facts outside them."""

    year: int
    tables: Mapping[str, Any]
    publication_sentence: str = ""
    fees_collected_yuan: Decimal = Decimal(0)  # 信息处理费 actually collected in the year, in 元
    fee_cases: int = 0  # applications the fee was collected on
    extra: Mapping[str, Any] = field(default_factory=dict)  # carried for callers; not used for figures

    def __post_init__(self) -> None:
        fee = self.fees_collected_yuan
        if isinstance(fee, bool) or not isinstance(fee, (int, Decimal)):
            raise DomainError(f"信息处理费金额应为数字（元），收到的是“{fee!r}”")
        if isinstance(fee, int):
            object.__setattr__(self, "fees_collected_yuan", Decimal(fee))
        if not self.fees_collected_yuan.is_finite() or self.fees_collected_yuan < 0:
            raise DomainError(f"信息处理费金额不能为负数，收到的是{fee}")
        if isinstance(self.fee_cases, bool) or not isinstance(self.fee_cases, int) or self.fee_cases < 0:
            raise DomainError(f"收取信息处理费的申请件数应为非负整数，收到的是“{self.fee_cases!r}”")
        if self.fee_cases == 0 and self.fees_collected_yuan > 0:
            raise DomainError("收取了信息处理费，应同时填写收费的申请件数")
        if self.fee_cases > 0 and self.fees_collected_yuan == 0:
            raise DomainError(f"有{self.fee_cases}件申请收取信息处理费，收费金额却为0")


@dataclass(frozen=True)
class Suggestion:
    section_key: str  # overview | problems | other
    point: str  # the checklist point it covers (checklist.py)
    text: str
    key: str = (
        ""  # a stable name: publications, table2_documents, table2_decisions, applications, review_litigation, fees
    )
    source: str = ""  # the register a sentence of another channel is made from (channels.py), shown beside it


class _Figures:
    """Cells of the tables, refusing a blank: a suggestion never prints a figure it does not have."""

    def __init__(self, tables: Mapping[str, Any]):
        self.tables = tables

    def get(self, *path: str) -> int | Decimal:
        node: Any = self.tables
        for k in path:
            node = node.get(k) if isinstance(node, Mapping) else None
        if isinstance(node, bool) or not isinstance(node, (int, Decimal)):
            raise DomainError(f"表格中“{'.'.join(path)}”空白或不是数字，无法生成建议语句；请先生成完整的表格")
        return node


def _listing(items: list[tuple[str, int | Decimal]], unit: str) -> str:
    return "、".join(f"{name}{number_text(n)}{unit}" for name, n in items if n)


def _among(whole: str, parts: str) -> str:
    return f"{whole}，其中{parts}" if parts else whole


def _applications(fmt: ReportFormat, f: _Figures) -> str:
    t3 = fmt.table_3
    received = f.get("table_3", "new_received", "total")
    carried = f.get("table_3", "carried_over", "total")
    concluded = f.get("table_3", "results_total", "total")
    forward = f.get("table_3", "carry_forward", "total")
    parts: list[str] = []
    if received:
        by_type = _listing(
            [
                (APPLICANT_PROSE.get(c.key, c.label), f.get("table_3", "new_received", c.key))
                for c in t3.applicant_columns()
            ],
            "件",
        )
        parts.append(_among(f"本年度共收到政府信息公开申请{number_text(received)}件", by_type))
    else:
        parts.append("本年度未收到新的政府信息公开申请")
    parts.append(f"上年结转政府信息公开申请{number_text(carried)}件")
    if concluded:
        families: dict[str, int | Decimal] = {}
        for r in t3.outcome_rows():
            family = r.parent if r.parent in _FAMILY_NAMES else r.key
            families[family] = families.get(family, 0) + f.get("table_3", r.key, "total")
        by_result = _listing([(_FAMILY_NAMES.get(k, k), n) for k, n in families.items()], "件")
        parts.append(_among(f"本年度办结{number_text(concluded)}件", by_result))
    else:
        parts.append("本年度没有办结的申请")
    parts.append(f"结转下年度继续办理{number_text(forward)}件")
    return "；".join(parts) + "。"


def _review_litigation(f: _Figures) -> str:
    review = f.get("table_4", "review_total")
    direct = f.get("table_4", "litigation_direct_total")
    after = f.get("table_4", "litigation_after_review_total")
    if not review and not direct and not after:
        return "本年度未发生政府信息公开行政复议、行政诉讼案件。"
    parts: list[str] = []
    if review:
        results = _listing([(name, f.get("table_4", f"review_{k}")) for k, name in _RESULT_PROSE], "件")
        parts.append(_among(f"本年度发生政府信息公开行政复议{number_text(review)}件", results))
    else:
        parts.append("本年度未发生政府信息公开行政复议案件")
    if direct or after:
        lead = "发生" if review else "本年度发生"
        stages = _listing([("未经复议直接起诉", direct), ("复议后起诉", after)], "件")
        results = _listing(
            [
                (name, f.get("table_4", f"litigation_direct_{k}") + f.get("table_4", f"litigation_after_review_{k}"))
                for k, name in _RESULT_PROSE
            ],
            "件",
        )
        parts.append(_among(f"{lead}政府信息公开行政诉讼{number_text(direct + after)}件", stages))
        if results:
            parts.append(f"上述诉讼案件{results}")
    else:
        parts.append("未发生政府信息公开行政诉讼案件")
    return "；".join(parts) + "。"


def _documents(fmt: ReportFormat, f: _Figures, year: int) -> str:
    sub = fmt.table_2.subtable("art20_1")
    names = [(r.key, r.label) for r in sub.rows]

    def listing(col: str) -> str:
        return "、".join(f"{label}{number_text(f.get('table_2', 'art20_1', key, col))}件" for key, label in names)

    if fmt.version == "2019":
        return f"本年度新制作{listing('newly_made')}，新公开{listing('newly_published')}；截至{year}年12月31日，对外公开{listing('total_published')}。"
    return (
        f"本年度制发{listing('made')}，废止{listing('repealed')}；截至{year}年12月31日，现行有效{listing('in_force')}。"
    )


def _decisions(fmt: ReportFormat, f: _Figures) -> str | None:
    t2 = fmt.table_2
    items: list[tuple[str, int | Decimal]] = []
    for sub_id in ("art20_5", "art20_6"):
        sub = t2.subtable(sub_id)
        for r in sub.rows:
            items.append((f"{r.label}决定", f.get("table_2", sub_id, r.key, "decisions")))
    fee: int | Decimal = 0
    if fmt.version == "2021":
        fee = f.get("table_2", "art20_8", "administrative_fees", "fee_amount")
    if not any(n for _, n in items) and not fee:
        return None
    text = "本年度作出" + _listing(items, "件") if any(n for _, n in items) else "本年度"
    if fee:
        text += ("，" if any(n for _, n in items) else "") + f"收取行政事业性收费{number_text(fee)}万元"
    return text + "。"


def _fees(facts: ReportFacts) -> str:
    if not facts.fees_collected_yuan:
        return "本年度未收取信息处理费。"
    return f"本年度共对{facts.fee_cases}件申请收取信息处理费{number_text(facts.fees_collected_yuan)}元。"


def suggested_sentences(facts: ReportFacts) -> list[Suggestion]:
    """The suggestions for ``facts.year``, in the order they would appear in the report."""
    fmt = format_for_year(facts.year)
    f = _Figures(facts.tables)
    out: list[Suggestion] = []
    if facts.publication_sentence.strip():
        out.append(Suggestion("overview", "主动公开", facts.publication_sentence.strip(), "publications"))
    out.append(Suggestion("overview", "主动公开", _documents(fmt, f, facts.year), "table2_documents"))
    decisions = _decisions(fmt, f)
    if decisions:
        out.append(Suggestion("overview", "主动公开", decisions, "table2_decisions"))
    out.append(Suggestion("overview", "依申请公开", _applications(fmt, f), "applications"))
    out.append(Suggestion("overview", "依申请公开", _review_litigation(f), "review_litigation"))
    out.append(Suggestion("other", "信息处理费", _fees(facts), "fees"))
    return out
