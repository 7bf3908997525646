"""What the letters of a case must say that the log alone does not: the details a reply's
outcome needs, the 文书编号 and the way quoted text ends.

- 第三十六条（五）: a reply that the information is not this agency's to disclose must name the
  agency that is responsible, and its contact details, when that can be determined. The clerk
  enters them with the reply (optional fields of the reply forms, in the field registry); a contact
  without the agency it belongs to is refused, and so are these fields on any other outcome.
- 文书编号: one sequence per agency and year, written like 示教信公〔2026〕12号. The agency's
  short name defaults to the first character of its name and the first character after its
  region (示范区教育局 → 示教), which is how most agencies abbreviate themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from gongkai.domain.applications.fields import FIELDS
from gongkai.domain.fields import FieldError

# outcome code → the optional fields its reply may carry
REPLY_DETAIL_FIELDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"not_this_agency": ("responsible_agency", "responsible_agency_contact")}
)
ALL_REPLY_DETAIL_FIELDS: tuple[str, ...] = tuple(
    dict.fromkeys(n for names in REPLY_DETAIL_FIELDS.values() for n in names)
)


def check_reply_details(outcome_code: str, fields: Mapping[str, Any]) -> None:
    """Raise FieldError (Chinese) when the reply details do not fit the outcome."""
    allowed = REPLY_DETAIL_FIELDS.get(outcome_code, ())
    for name in ALL_REPLY_DETAIL_FIELDS:
        value = fields.get(name)
        if value in (None, ""):
            continue
        if name not in allowed:
            raise FieldError(name, f"“{FIELDS[name].label}”只在办理结果为“无法提供：不属于本机关负责公开”时填写")
        FIELDS[name].validate(value)
    if fields.get("responsible_agency_contact") and not fields.get("responsible_agency"):
        raise FieldError("responsible_agency", "填写了联系方式，请同时填写“负责公开的行政机关”")


# The characters that may end a region's name before the agency's own name begins.
_REGION_ENDS = "省市区县盟旗镇乡"  # not 州: it is inside city names (杭州市)
DEFAULT_REFERENCE_PATTERN = "{short}信公〔{year}〕{number}号"


def agency_short_name(name: str) -> str:
    """示范区教育局 → 示教; 国家统计局 → 国家 (no region: the first two characters)."""
    name = name.strip()
    for i, ch in enumerate(name[:-1]):
        if ch in _REGION_ENDS and i > 0:
            return name[0] + name[i + 1]
    return name[:2]


def reference_number(*, short: str, year: int, number: int, pattern: str = DEFAULT_REFERENCE_PATTERN) -> str:
    """示教信公〔2026〕12号: the agency's short name, the year in 〔〕, the number without leading zeros."""
    return pattern.format(short=short, year=year, number=number)


# Sentence ends a quotation may carry; the letter's own sentence gives the full stop after the quote.
_QUOTE_END = "。．.；;，,、 \u3000\n\r\t"


def quotable(text: str) -> str:
    """The text to put between “ and ” in a sentence that ends after the quote: no trailing 。
    (so a letter never prints “…年检结果。”。)."""
    return (text or "").rstrip(_QUOTE_END)


# -- the remedies paragraph (救济途径) -----------------------------------------------------------------
# 条例 第五十一条 gives the rights; the periods are 行政复议法 (2023) 第二十条 (六十日 from knowing of
# the act) and 行政诉讼法 第四十六条 (六个月). A letter that does not name the 复议机关 lets the review
# period run up to one year (行政复议法 第二十条第三款), so each agency's 复议机关 and court are named
# when its settings hold them; when not, the paragraph stays generic ("依法申请行政复议").
REMEDIES_CITATION = (
    "《中华人民共和国政府信息公开条例》第五十一条、《中华人民共和国行政复议法》第二十条、"
    "《中华人民共和国行政诉讼法》第四十六条"
)


def _to(body: str, default: str = "") -> str:
    body = (body or "").strip()
    return f"向{body}" if body else default


def remedies_text(review_body: str = "", court: str = "") -> str:
    """The applicant's remedies paragraph, naming the 复议机关 and the court when given."""
    return (
        f"如您对本答复不服，可以在收到本答复书之日起60日内依法{_to(review_body)}申请行政复议，也可以在收到本答复书之日起6个月内"
        f"依法{_to(court, '向人民法院')}提起行政诉讼；您还可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报"
        f"（{REMEDIES_CITATION}）。"
    )


def third_party_remedies_text(review_body: str = "", court: str = "") -> str:
    """The same rights of a third party whose information is disclosed over its objection."""
    return (
        f"贵方如认为本机关的决定侵犯贵方合法权益，可以在收到本告知书之日起60日内依法{_to(review_body)}申请行政复议，也可以在收到本告知书之日起"
        f"6个月内依法{_to(court, '向人民法院')}提起行政诉讼（{REMEDIES_CITATION}）。"
    )
