"""Reads of the public column beyond ``selectors.public_*``: the home page's sections, the 制度
column, the agency's contact page for the 指南, feed items and search snippets.

Like the core's public reads, these only ever return documents that are ``is_public`` (whose row is
the published version), and list reads never load bodies except where a snippet is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Substr

from gongkai.accounts.models import Agency
from gongkai.disclosure import selectors
from gongkai.disclosure.models import Column, Document
from gongkai.domain import fees

# Slugs an agency may give the column of its disclosure rules (制度); a column named …制度 also counts.
RULES_SLUGS = ("gkzd", "xxgkzd", "zwgkzd", "zhidu", "zd")
# The 第二十条 item of 机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名
CONTACT_ITEM = 2
CONTACT_WORDS = ("办公地址", "联系方式", "办公时间")
EXCERPT_CHARS = 200


@dataclass(frozen=True)
class Section:
    """A top-level column on the home page: its children and its newest documents."""

    column: Column
    children: list[Column]
    recent: list[Document]


def sections(agency: Agency, *, per_column: int = 5) -> list[Section]:
    """Every top-level column with its newest ``per_column`` public documents (one indexed read each)."""
    return [
        Section(top, children, list(selectors.public_documents(agency=agency, column=top)[:per_column]))
        for top, children in selectors.column_tree(agency)
    ]


def rules_column(agency: Agency) -> Column | None:
    """The column holding the agency's disclosure rules (制度), if its tree has one."""
    columns = Column.objects.filter(agency=agency).select_related("parent")
    by_slug = {c.slug: c for c in columns.filter(slug__in=RULES_SLUGS)}
    for slug in RULES_SLUGS:
        if slug in by_slug:
            return by_slug[slug]
    return columns.filter(name__endswith="制度").order_by("parent_id", "order", "id").first()


def contact_document(agency: Agency) -> Document | None:
    """The published page giving the office's address, hours and telephone (第二十条第（二）项),
    looked for in the columns of that item: the newest whose title names one of them."""
    words = Q()
    for w in CONTACT_WORDS:
        words |= Q(title__contains=w)
    for column in Column.objects.filter(agency=agency, article20_item=CONTACT_ITEM).order_by("parent_id", "order"):
        doc = selectors.public_documents(agency=agency, column=column).filter(words).first()
        if doc is not None:
            return Document.objects.only("id", "title", "body", "published_on", "revised_on").get(pk=doc.pk)
    return None


def with_excerpts(qs: QuerySet[Document], chars: int = EXCERPT_CHARS) -> QuerySet[Document]:
    """``qs`` with ``excerpt``: the first characters of the body, cut in the database."""
    return qs.annotate(excerpt=Substr("body", 1, chars))


def feed_items(agency: Agency, column: Column | None, *, limit: int = 30) -> list[Document]:
    """The newest public documents of a column (or the whole agency) with their excerpts."""
    return list(with_excerpts(selectors.public_documents(agency=agency, column=column))[:limit])


def bodies(ids: Iterable[int]) -> dict[int, str]:
    """The bodies of public documents by id (search snippets: one read for a page of results)."""
    ids = list(ids)
    if not ids:
        return {}
    return dict(Document.objects.filter(pk__in=ids, is_public=True).values_list("id", "body"))


# -- the guide's fee paragraph, from the domain's tariffs (国办函〔2020〕109号) ------------------------


def _band(first: int, last: int | None, unit: str) -> str:
    if last is None:
        return f"{first - 1}{unit}以上的部分"
    if first == 1:
        return f"{last}{unit}以下（含{last}{unit}）"
    return f"{first}—{last}{unit}的部分"


def fee_lines() -> list[str]:
    """The two tariffs in plain Chinese, computed from ``gongkai.domain.fees``."""
    free = fees.FREE_APPLICATIONS_PER_MONTH
    f2, l2, r2 = fees.application_band(free + 1)
    f3, l3, r3 = fees.application_band(l2 + 1)
    f4, l4, r4 = fees.application_band(l3 + 1)
    per_application = (
        f"按件计收：同一申请人一个自然月内累计申请{free}件以下（含{free}件）的，不收费；"
        f"{f2}—{l2}件的部分，{r2}元/件；{l2}件以上的部分，以{l3 - f3 + 1}件为一档，每增加一档，"
        f"收费标准提高{r4 - r3}元/件（{f3}—{l3}件{r3}元/件，{f4}—{l4}件{r4}元/件，依此类推）。"
    )
    pages = []
    for first, last, rate in fees.PAGE_BANDS:
        price = "不收费" if rate == 0 else f"{rate}元/页"
        pages.append(f"{_band(first, last, '页')}{price}")
    per_page = "按量计收：同一申请人同一申请所需信息" + "；".join(pages) + "。"
    return [per_application, per_page]


def public_context(agency: Agency | None, public_nav: str, /, **extra: Any) -> dict[str, Any]:
    """What ``disclosure/public/base_public.html`` reads: the active nav item and the column tree
    for the 法定主动公开内容 menu. Other apps' public pages (年报) call it too."""
    return {
        "public_nav": public_nav,
        "public_columns": selectors.column_tree(agency) if agency is not None else [],
        **extra,
    }
