"""Table 二 第二十条第（一）项 and the year's publications, counted from the document register.

The register is a list of :class:`RegisterEntry` (one per document). Only documents that were
published count: a 规章 or 行政规范性文件 that never reached the public was never issued (规范性文件
未经公布的，不得作为行政管理依据), and a draft is not a disclosure.

2021 format (report years 2021 on), per row 规章 / 行政规范性文件:

- ``made`` 本年制发件数: signed (签发) in the year;
- ``repealed`` 本年废止件数: repealed (已废止) with a repeal date in the year;
- ``in_force`` 现行有效件数: in force on 31 December (:func:`validity.in_force_on`: signed by then,
  not repealed or lapsed by then; 已修改 stays in force).

So ``in_force(Y) = in_force(Y-1) + made(Y) - repealed(Y)`` whenever nothing lapsed (已失效) in Y,
the continuity that the format's rule ``t2_in_force_continuity`` checks as a warning.

2019 format (report years 2019 and 2020): ``newly_made`` 本年新制作数量 (signed in the year),
``newly_published`` 本年新公开数量 (first published in the year), ``total_published`` 对外公开总数量
(published by 31 December and not taken down by then).

:func:`publications_for_year` counts every document first published in the year, per column and per
channel, for the prose of 总体情况 (:func:`publication_sentence`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from gongkai.domain.disclosure.catalogue import Channel, DocumentKind
from gongkai.domain.disclosure.validity import Validity, in_force_on
from gongkai.domain.errors import DomainError
from gongkai.domain.report_format import format_for_year

ROW_OF_KIND: Mapping[DocumentKind, str] = {
    DocumentKind.REGULATION: "regulations",
    DocumentKind.NORMATIVE: "normative_documents",
}
ROWS: tuple[str, ...] = ("regulations", "normative_documents")
COLUMNS_2021: tuple[str, ...] = ("made", "repealed", "in_force")
COLUMNS_2019: tuple[str, ...] = ("newly_made", "newly_published", "total_published")


@dataclass(frozen=True)
class RegisterEntry:
    kind: str
    published_on: date | None  # first publication; None: never published, not counted
    signed_on: date | None = None
    validity: str | None = None
    validity_changed_on: date | None = None
    unpublished_on: date | None = None
    column: str = ""
    channels: tuple[str, ...] = field(default=(Channel.WEBSITE.value,))

    def __post_init__(self) -> None:
        try:
            kind = DocumentKind(self.kind)
        except ValueError:
            raise DomainError(f"未知的文件类别“{self.kind}”") from None
        if not kind.has_validity or self.published_on is None:
            return
        if self.signed_on is None:
            raise DomainError(f"已公开的{kind.label}缺少签发日期")
        v = Validity(self.validity or Validity.IN_FORCE)
        if v.is_final and self.validity_changed_on is None:
            raise DomainError(f"{v.label}的{kind.label}缺少{v.label[1:]}日期")
        if self.validity_changed_on is not None and self.validity_changed_on < self.signed_on:
            raise DomainError(f"有效性变更日期{self.validity_changed_on}早于签发日期{self.signed_on}")

    @property
    def row(self) -> str | None:
        return ROW_OF_KIND.get(DocumentKind(self.kind))

    @property
    def counted(self) -> bool:
        return self.published_on is not None and self.row is not None


def _zeros(columns: tuple[str, ...]) -> dict[str, dict[str, int]]:
    return {r: {c: 0 for c in columns} for r in ROWS}


def art20_1_2021(entries: Iterable[RegisterEntry], year: int) -> dict[str, dict[str, int]]:
    """{row: {made, repealed, in_force}} for ``year``."""
    table = _zeros(COLUMNS_2021)
    end = date(year, 12, 31)
    for e in entries:
        if not e.counted:
            continue
        assert e.signed_on is not None and e.row is not None
        cells = table[e.row]
        if e.signed_on.year == year:
            cells["made"] += 1
        validity = Validity(e.validity or Validity.IN_FORCE)
        if validity is Validity.REPEALED and e.validity_changed_on is not None and e.validity_changed_on.year == year:
            cells["repealed"] += 1
        if in_force_on(e.signed_on, validity, e.validity_changed_on, end):
            cells["in_force"] += 1
    return table


def art20_1_2019(entries: Iterable[RegisterEntry], year: int) -> dict[str, dict[str, int]]:
    """{row: {newly_made, newly_published, total_published}} for ``year``."""
    table = _zeros(COLUMNS_2019)
    end = date(year, 12, 31)
    for e in entries:
        if not e.counted:
            continue
        assert e.signed_on is not None and e.published_on is not None and e.row is not None
        cells = table[e.row]
        if e.signed_on.year == year:
            cells["newly_made"] += 1
        if e.published_on.year == year:
            cells["newly_published"] += 1
        if e.published_on <= end and (e.unpublished_on is None or e.unpublished_on > end):
            cells["total_published"] += 1
    return table


def art20_1_for_year(entries: Iterable[RegisterEntry], year: int) -> dict[str, dict[str, int]]:
    """第二十条第（一）项 of table 二 in the format of the report on ``year``."""
    if format_for_year(year).version == "2019":
        return art20_1_2019(entries, year)
    return art20_1_2021(entries, year)


# -- publications of the year ---------------------------------------------------------------------


@dataclass(frozen=True)
class PublicationCounts:
    year: int
    total: int
    by_column: dict[str, int]
    by_channel: dict[str, int]


def publications_for_year(
    entries: Iterable[RegisterEntry], year: int, *, roll_up: Mapping[str, str] | None = None
) -> PublicationCounts:
    """Documents first published in ``year``: in all, per column (rolled up to ``roll_up[column]``
    when given, e.g. to the top-level column) and per channel (a document counts once per channel)."""
    total = 0
    columns: Counter[str] = Counter()
    channels: Counter[str] = Counter()
    for e in entries:
        if e.published_on is None or e.published_on.year != year:
            continue
        total += 1
        col = roll_up.get(e.column, e.column) if roll_up else e.column
        columns[col] += 1
        for ch in dict.fromkeys(e.channels):
            channels[ch] += 1
    return PublicationCounts(year, total, dict(columns), dict(channels))


def publication_sentence(counts: PublicationCounts, column_names: Mapping[str, str]) -> str:
    """ "本年度主动公开政府信息200条，其中公告公示43条、工作动态38条……" — columns by count, then by name."""
    if counts.total == 0:
        return "本年度未主动公开政府信息。"
    parts = [
        f"{column_names.get(c, c)}{n}条"
        for c, n in sorted(counts.by_column.items(), key=lambda kv: (-kv[1], column_names.get(kv[0], kv[0])))
        if n
    ]
    text = f"本年度主动公开政府信息{counts.total}条"
    if parts:
        text += "，其中" + "、".join(parts)
    order = [c.value for c in Channel]
    labels = {c.value: c.label for c in Channel}
    channels = [
        f"{labels.get(c, c)}{n}条"
        for c, n in sorted(
            counts.by_channel.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0])
        )
        if n
    ]
    if channels:
        text += "；按发布渠道分，" + "、".join(channels)
    return text + "。"
