"""信息处理费 under 国办函〔2020〕109号 (procedure.md §5), in whole yuan.

Both tariffs are progressive over excess bands (超额累进), and an agency picks exactly one of them
for an application (办法第三条). Charging is discretionary (条例第四十二条): these functions say
what *may* be charged, never that a fee is due.

Reading the first band above 30 applications as 200 元/件 is an inference shared by the local fee
lists read (procedure.md §5.3); the page tariff is checked against a reported real case
(2,219 pages → 83,460 元).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gongkai.domain.errors import DomainError

FEE_BASIS = "国办函〔2020〕109号《政府信息公开信息处理费管理办法》"
FREE_APPLICATIONS_PER_MONTH = 10
FREE_PAGES = 30

# (first page, last page or None for open-ended, 元 per page)
PAGE_BANDS: tuple[tuple[int, int | None, int], ...] = (
    (1, 30, 0),
    (31, 100, 10),
    (101, 200, 20),
    (201, None, 40),
)


class FeeMethod(StrEnum):
    PER_APPLICATION = "per_application"
    PER_PAGE = "per_page"

    @property
    def label(self) -> str:
        return "按件计收" if self is FeeMethod.PER_APPLICATION else "按量计收"


@dataclass(frozen=True)
class FeeQuote:
    amount: int  # 元
    method: FeeMethod
    explanation: str  # Chinese, lists the bands applied
    basis: str


def _whole_number(value: object, what: str, *, minimum: int) -> int:
    # bool is an int subclass; True pages is a bug, not one page
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(f"{what}应为整数，收到的是“{value!r}”")
    if value < minimum:
        kind = "正整数" if minimum == 1 else "非负整数"
        raise DomainError(f"{what}应为{kind}，收到的是{value}")
    return value


# -- 按件计收 (办法第四条) ----------------------------------------------------------------------


def application_band(k: int) -> tuple[int, int, int]:
    """(first, last, 元 per application) of the band holding the k-th application of the month."""
    k = _whole_number(k, "本自然月累计申请序号", minimum=1)
    if k <= FREE_APPLICATIONS_PER_MONTH:
        return 1, FREE_APPLICATIONS_PER_MONTH, 0
    if k <= 30:
        return 11, 30, 100
    step = (k - 31) // 10
    first = 31 + 10 * step
    return first, first + 9, 100 * (2 + step)


def per_application_fee(k: int) -> int:
    """The fee for the k-th application (1-based) by the same applicant in a calendar month."""
    return application_band(k)[2]


def monthly_per_application_total(n: int) -> int:
    """The fees for all ``n`` applications of one applicant in one calendar month."""
    n = _whole_number(n, "本自然月申请件数", minimum=0)
    total, k = 0, 1
    while k <= n:  # walk band by band so large counts stay cheap
        _, last, rate = application_band(k)
        total += (min(n, last) - k + 1) * rate
        k = last + 1
    return total


# -- 按量计收 (办法第五条) ----------------------------------------------------------------------


def _page_band_counts(pages: int) -> list[tuple[int, int, int, int]]:
    """(first, last, rate, pages in band) for each band the document reaches."""
    out = []
    for first, last, rate in PAGE_BANDS:
        if pages < first:
            break
        top = pages if last is None else min(pages, last)
        out.append((first, top, rate, top - first + 1))
    return out


def per_page_fee(pages: int) -> int:
    """The fee for one application answered with ``pages`` pages."""
    pages = _whole_number(pages, "页数", minimum=0)
    return sum(rate * count for _, _, rate, count in _page_band_counts(pages))


# -- one application ---------------------------------------------------------------------------


def fee_for_application(
    *, method: FeeMethod | str, month_position: int | None = None, pages: int | None = None
) -> FeeQuote:
    """Quote the fee for one application under exactly one tariff."""
    method = _fee_method(method)
    if month_position is not None and pages is not None:
        raise DomainError("同一申请不得同时按件和按量计收")
    if method is FeeMethod.PER_APPLICATION:
        if month_position is None:
            raise DomainError("按件计收须提供该申请在本自然月内的累计序号")
        return _quote_per_application(month_position)
    if pages is None:
        raise DomainError("按量计收须提供页数")
    return _quote_per_page(pages)


def _fee_method(method: FeeMethod | str) -> FeeMethod:
    try:
        return FeeMethod(method)
    except ValueError:
        raise DomainError(f"未知的收费方式“{method}”，应为按件计收或按量计收") from None


def _quote_per_application(k: int) -> FeeQuote:
    first, last, rate = application_band(k)
    if rate == 0:
        text = f"按件计收：本自然月第{k}件申请，属第{first}—{last}件档，不收费。"
    else:
        text = f"按件计收：本自然月第{k}件申请，属第{first}—{last}件档，每件{rate}元，本件收费{rate}元。"
    return FeeQuote(amount=rate, method=FeeMethod.PER_APPLICATION, explanation=text, basis=FEE_BASIS + "第四条")


def _quote_per_page(pages: int) -> FeeQuote:
    amount = per_page_fee(pages)
    if pages <= FREE_PAGES:
        text = f"按量计收：共{pages}页，不超过{FREE_PAGES}页，不收费。"
    else:
        parts = [f"第1—{FREE_PAGES}页免费"]
        for first, top, rate, count in _page_band_counts(pages)[1:]:
            parts.append(f"第{first}—{top}页共{count}页×{rate}元＝{count * rate}元")
        text = f"按量计收：共{pages}页，" + "；".join(parts) + f"；合计{amount}元。"
    return FeeQuote(amount=amount, method=FeeMethod.PER_PAGE, explanation=text, basis=FEE_BASIS + "第五条")
