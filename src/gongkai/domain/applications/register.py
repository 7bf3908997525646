"""The applicant register (申请人登记): who the same applicant is across applications, the count of
their applications in a calendar month for the per-application fee, and how many and how often
they applied, for 第三十五条.

The law's words this module applies (the 2019 条例, 国务院令第711号; the spec,
``../shared/spec/procedure.md`` §3.2, §4 and §5.3, paraphrases them in English and gives the
article numbers, not the Chinese text, which is quoted here from the 条例 and the 办法; checked on
2026-12-07 against republished texts: 109号 第四条's bands word for word, 第三十五条 and
第三十六条（六） against agencies' guides that restate them clause by clause, no full text of those two
articles being at hand):

- 第三十五条: see :data:`ARTICLE_35`;
- 第三十六条（六）: see :data:`ARTICLE_36_6` (its repeat test is :mod:`.repeats`);
- 国办函〔2020〕109号 第四条 counts 按件计收 over "同一申请人一个自然月内累计申请" (the spec: "Count =
  cumulative applications by the same applicant within one calendar month (自然月)").

Who "the same applicant" is [I]: the 条例 asks each application for the applicant's name and
身份证明 (第二十九条), so the register matches on what identifies a person or body: the identity
document's number (type and number) for a natural person, the 统一社会信用代码 for an organisation,
and the name with the telephone number only when neither is given. Two applications matched on
different grounds (one with an ID number, one without) stay two register entries: the office may
still see both under the name, but the fee count never merges people on a guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from gongkai.domain.fields import FieldError

ARTICLE_35 = (
    "申请人申请公开政府信息的数量、频次明显超过合理范围，行政机关可以要求申请人说明理由。"
    "行政机关认为申请理由不合理的，告知申请人不予处理；行政机关认为申请理由合理，但是无法在本条例第三十三条"
    "规定的期限内答复申请人的，可以确定延迟答复的合理期限并告知申请人。"
)
ARTICLE_36_6 = (
    "行政机关已就申请人提出的政府信息公开申请作出答复、申请人重复申请公开相同政府信息的，告知申请人不予重复处理"
)
FEE_MONTH_RULE = "同一申请人一个自然月内累计申请"  # 国办函〔2020〕109号 第四条, the words every band starts with
FEE_MONTH_BASIS = "国办函〔2020〕109号《政府信息公开信息处理费管理办法》第四条"


class KeyKind(StrEnum):
    IDENTITY = "identity"  # a natural person's identity document (type and number)
    CREDIT_CODE = "credit_code"  # an organisation's 统一社会信用代码
    NAME_PHONE = "name_phone"  # neither given: the name with the telephone number

    @property
    def label(self) -> str:
        return {
            KeyKind.IDENTITY: "身份证明号码",
            KeyKind.CREDIT_CODE: "统一社会信用代码",
            KeyKind.NAME_PHONE: "姓名或名称与联系电话",
        }[self]


@dataclass(frozen=True)
class ApplicantKey:
    kind: KeyKind
    key: str  # normalised; equal keys are the same applicant


_SPACES = re.compile(r"[\s\u3000·．.\-－—_()（）]+")
_NOT_DIGIT = re.compile(r"\D+")


def _norm(text: str) -> str:
    """Full-width to half-width (NFKC), upper case, separators dropped: "110101 19900101 123x" and
    "１１０１０１１９９００１０１１２３Ｘ" are one number."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or "")).upper()


def applicant_key(
    *, applicant_type: str, id_document_type: str, id_document_number: str, name: str, phone: str
) -> ApplicantKey | None:
    """The register key of an application's applicant, or None when nothing identifies them (no
    number, and no name with a telephone number)."""
    number = _norm(id_document_number)
    if number and id_document_type == "credit_code":
        return ApplicantKey(KeyKind.CREDIT_CODE, f"credit:{number}")
    if number:
        # an organisation that gave another document is keyed by it too; the type is part of the
        # key so that a passport number never matches an ID card number by chance
        return ApplicantKey(KeyKind.IDENTITY, f"{id_document_type or 'other'}:{number}")
    clean_name, digits = _norm(name), _NOT_DIGIT.sub("", unicodedata.normalize("NFKC", phone or ""))
    if clean_name and digits:
        return ApplicantKey(KeyKind.NAME_PHONE, f"name:{applicant_type}:{clean_name}|{digits}")
    return None


# -- the count of 109号 (按件计收) ----------------------------------------------------------------------


def month_of(day: date) -> tuple[date, date]:
    """First and last day of the calendar month (自然月) holding ``day``."""
    first = day.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return first, nxt - timedelta(days=1)


def month_position(this: tuple[date, int], others: Iterable[tuple[date, int]]) -> int:
    """The place of an application in its applicant's calendar month (1 = the first).

    ``this`` and ``others`` are (receipt date, a tie-breaking order such as the id) of the same
    applicant's applications to the same agency. [I] An application counts in the month of its
    receipt date (第三十一条 fixes when an application is made to the agency), and applications
    received on the same day are counted in the order they were registered. Those of other months
    and those after ``this`` do not count.
    """
    first, last = month_of(this[0])
    return 1 + sum(1 for d, order in others if first <= d <= last and (d, order) < this)


def check_month_position(*, register_count: int | None, typed: int | None, reason: str | None) -> None:
    """The 本自然月累计申请序号 of a fee notice is the register's; the clerk may correct it (an
    application split under 一事一申请, one registered elsewhere…) only by saying why."""
    if register_count is None or typed is None or typed == register_count:
        return
    if not (reason or "").strip():
        raise FieldError(
            "month_position_reason",
            f"申请人登记显示本件为该申请人本自然月内第{register_count}件申请，填写的是第{typed}件："
            f"请填写“累计序号与申请人登记不一致的理由”（{FEE_MONTH_BASIS}：{FEE_MONTH_RULE}）",
        )


# -- number and frequency (第三十五条) ----------------------------------------------------------------


@dataclass(frozen=True)
class Frequency:
    """How many applications, and how often, one applicant made to one agency up to ``today``."""

    today: date
    total: int
    last_30_days: int
    this_month: int
    last_12_months: int
    by_month: tuple[tuple[str, int], ...]  # ("2026年3月", n) for the last 12 months, oldest first
    busiest_day: tuple[date, int] | None  # the day with the most applications, if any had two or more
    shortest_gap_days: int | None  # the fewest days between two consecutive applications

    @property
    def summary(self) -> str:
        parts = [
            f"累计{self.total}件",
            f"近30日{self.last_30_days}件",
            f"本自然月{self.this_month}件",
            f"近12个月{self.last_12_months}件",
        ]
        if self.last_12_months:
            parts.append(f"近12个月月均{self.last_12_months / 12:.1f}件")
        if self.busiest_day:
            day, n = self.busiest_day
            parts.append(f"同一日最多{n}件（{day.year}年{day.month}月{day.day}日）")
        if self.shortest_gap_days is not None:
            parts.append(f"相邻两次申请最短间隔{self.shortest_gap_days}日")
        return "，".join(parts)


def _months_back(today: date, n: int) -> list[date]:
    out, first = [], today.replace(day=1)
    for _ in range(n):
        out.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(out))


def frequency(dates: Sequence[date], *, today: date) -> Frequency:
    """The figures 第三十五条 asks the office to weigh (数量、频次), over ``dates``, the receipt
    dates of one applicant's applications to one agency (those after ``today`` are ignored)."""
    days = sorted(d for d in dates if d <= today)
    months = _months_back(today, 12)
    start_12 = months[0]
    counts: dict[date, int] = {}
    for d in days:
        counts[d] = counts.get(d, 0) + 1
    busiest = max(counts.items(), key=lambda kv: (kv[1], kv[0]), default=None)
    gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    per_month = {m: 0 for m in months}
    for d in days:
        if d >= start_12:
            per_month[d.replace(day=1)] += 1
    return Frequency(
        today=today,
        total=len(days),
        last_30_days=sum(1 for d in days if d > today - timedelta(days=30)),
        this_month=per_month[months[-1]],
        last_12_months=sum(1 for d in days if d >= start_12),
        by_month=tuple((f"{m.year}年{m.month}月", per_month[m]) for m in months),
        busiest_day=busiest if busiest and busiest[1] >= 2 else None,
        shortest_gap_days=min(gaps) if gaps else None,
    )
