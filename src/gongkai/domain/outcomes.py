"""How a disclosure application ends (办理结果), and where each ending is counted in table 三.

Source: the outcome table of procedure.md §4. Each outcome code carries its legal basis, a short
label, the *family* that picks the reply-letter template, and its table 三 row in each annual
report format. The 2019 trial format (reports on 2019 and 2020) has a single ``other_handling``
row where the 2021 format splits it into three.

Applicant types are the table 三 columns; the format defines none of them, so the organisation
type is asked at intake and stored (procedure.md §4).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from gongkai.domain.errors import DomainError
from gongkai.domain.report_format import format_for_year


class OutcomeFamily(StrEnum):
    """The six result groups of table 三; one reply-letter template each."""

    GRANTED = "granted"
    PARTIALLY_GRANTED = "partially_granted"
    WITHHELD = "withheld"
    UNABLE = "unable"
    NOT_PROCESSED = "not_processed"
    OTHER_HANDLING = "other_handling"

    @property
    def label(self) -> str:
        return _FAMILY_LABELS[self]


_FAMILY_LABELS = {
    OutcomeFamily.GRANTED: "予以公开",
    OutcomeFamily.PARTIALLY_GRANTED: "部分公开",
    OutcomeFamily.WITHHELD: "不予公开",
    OutcomeFamily.UNABLE: "无法提供",
    OutcomeFamily.NOT_PROCESSED: "不予处理",
    OutcomeFamily.OTHER_HANDLING: "其他处理",
}


@dataclass(frozen=True)
class Outcome:
    code: str
    label: str
    basis: str  # article(s) of the 条例 (or the fee 办法); empty when none was found
    family: OutcomeFamily
    row_2021: str
    row_2019: str

    def table3_row(self, report_year: int) -> str:
        # the format in force for the year decides the row (ReportYearNotCovered before 2019)
        return self.row_2021 if format_for_year(report_year).version == "2021" else self.row_2019


# 第三十六条（三） is the duty to give reasons for any withholding, so every withheld code cites it
# next to the exemption itself.
_WITHHOLD = "、第三十六条（三）"
_F = OutcomeFamily

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("already_public", "已主动公开", "第三十六条（一）", _F.GRANTED, "granted", "granted"),
    Outcome("disclosed", "予以公开", "第三十六条（二）", _F.GRANTED, "granted", "granted"),
    Outcome(
        "partially_disclosed",
        "部分公开（区分处理）",
        "第三十七条",
        _F.PARTIALLY_GRANTED,
        "partially_granted",
        "partially_granted",
    ),
    Outcome(
        "withheld_state_secret",
        "不予公开：国家秘密",
        "第十四条" + _WITHHOLD,
        _F.WITHHELD,
        "withheld_state_secret",
        "withheld_state_secret",
    ),
    Outcome(
        "withheld_law_prohibited",
        "不予公开：法律、行政法规禁止公开",
        "第十四条" + _WITHHOLD,
        _F.WITHHELD,
        "withheld_law_prohibited",
        "withheld_law_prohibited",
    ),
    Outcome(
        "withheld_security_stability",
        "不予公开：危及“三安全一稳定”",
        "第十四条" + _WITHHOLD,
        _F.WITHHELD,
        "withheld_security_stability",
        "withheld_security_stability",
    ),
    Outcome(
        "withheld_third_party",
        "不予公开：损害第三方合法权益",
        "第十五条、第三十二条" + _WITHHOLD,
        _F.WITHHELD,
        "withheld_third_party_rights",
        "withheld_third_party_rights",
    ),
    Outcome(
        "withheld_internal_affairs",
        "不予公开：内部事务信息",
        "第十六条第一款" + _WITHHOLD,
        _F.WITHHELD,
        "withheld_internal_affairs",
        "withheld_internal_affairs",
    ),
    Outcome(
        "withheld_process_info",
        "不予公开：过程性信息",
        "第十六条第二款" + _WITHHOLD,
        _F.WITHHELD,
        "withheld_process_info",
        "withheld_process_info",
    ),
    Outcome(
        "withheld_enforcement_file",
        "不予公开：行政执法案卷",
        "第十六条第二款" + _WITHHOLD,
        _F.WITHHELD,
        "withheld_enforcement_file",
        "withheld_enforcement_file",
    ),
    # Mapping to 8.属于行政查询事项 is UNCONFIRMED (procedure.md §4); the row sits under 不予公开.
    Outcome(
        "special_query_procedure",
        "告知按特别规定办理（行政查询事项）",
        "第三十六条（七）",
        _F.WITHHELD,
        "withheld_admin_inquiry",
        "withheld_admin_inquiry",
    ),
    Outcome(
        "does_not_exist", "无法提供：信息不存在", "第三十六条（四）", _F.UNABLE, "unable_not_held", "unable_not_held"
    ),
    Outcome(
        "not_this_agency",
        "无法提供：不属于本机关负责公开",
        "第三十六条（五）",
        _F.UNABLE,
        "unable_not_held",
        "unable_not_held",
    ),
    Outcome(
        "requires_creation",
        "无法提供：需要另行制作",
        "第三十八条",
        _F.UNABLE,
        "unable_needs_creation",
        "unable_needs_creation",
    ),
    Outcome(
        "unclear_after_correction",
        "无法提供：补正后仍不明确",
        "第三十条",
        _F.UNABLE,
        "unable_unclear_after_correction",
        "unable_unclear_after_correction",
    ),
    Outcome(
        "petition_complaint",
        "不予处理：信访、投诉、举报",
        "第三十九条第一款",
        _F.NOT_PROCESSED,
        "not_processed_petition",
        "not_processed_petition",
    ),
    Outcome(
        "duplicate",
        "不予处理：重复申请",
        "第三十六条（六）",
        _F.NOT_PROCESSED,
        "not_processed_duplicate",
        "not_processed_duplicate",
    ),
    Outcome(
        "publication",
        "不予处理：要求提供公开出版物",
        "第三十九条第二款",
        _F.NOT_PROCESSED,
        "not_processed_publication",
        "not_processed_publication",
    ),
    Outcome(
        "excessive_unreasonable",
        "不予处理：无正当理由大量反复申请",
        "第三十五条",
        _F.NOT_PROCESSED,
        "not_processed_excessive",
        "not_processed_excessive",
    ),
    Outcome(
        "confirm_or_reissue",
        "不予处理：要求确认或重新出具已获取信息",
        "",
        _F.NOT_PROCESSED,
        "not_processed_confirm_or_reissue",
        "not_processed_confirm_or_reissue",
    ),
    Outcome(
        "abandoned_no_correction",
        "逾期未补正，不再处理",
        "第三十条",
        _F.OTHER_HANDLING,
        "other_no_correction",
        "other_handling",
    ),
    Outcome(
        "abandoned_fee_unpaid",
        "逾期未缴纳信息处理费，不再处理",
        "国办函〔2020〕109号",
        _F.OTHER_HANDLING,
        "other_fee_unpaid",
        "other_handling",
    ),
    Outcome("withdrawn", "申请人撤回申请", "", _F.OTHER_HANDLING, "other_other", "other_handling"),
    Outcome("other", "其他处理", "", _F.OTHER_HANDLING, "other_other", "other_handling"),
)

_BY_CODE: Mapping[str, Outcome] = MappingProxyType({o.code: o for o in OUTCOMES})
OUTCOME_CODES: tuple[str, ...] = tuple(_BY_CODE)


def outcome(code: str) -> Outcome:
    try:
        return _BY_CODE[code]
    except KeyError:
        raise DomainError(f"未知的办理结果代码“{code}”") from None


def table3_row(outcome_code: str, report_year: int) -> str:
    """The table 三 row that counts ``outcome_code`` in the report on ``report_year``."""
    return outcome(outcome_code).table3_row(report_year)


APPLICANT_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "natural_person": "自然人",
        "commercial_enterprise": "商业企业",
        "research_institution": "科研机构",
        "public_interest_org": "社会公益组织",
        "legal_service_org": "法律服务机构",
        "other_org": "其他",
    }
)


def applicant_type_label(key: str) -> str:
    try:
        return APPLICANT_TYPES[key]
    except KeyError:
        raise DomainError(f"未知的申请人类型“{key}”") from None
