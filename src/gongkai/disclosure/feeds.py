"""RSS 2.0 and Atom feeds of the public column: one per column and one of everything.

Feed readers treat titles and descriptions as HTML, so both are HTML-escaped here (Django's own
default for titles) before the feed generator escapes them again as XML: a title holding
``<script>`` reaches the reader as text, never as markup.
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from gongkai.accounts.models import Agency
from gongkai.accounts.selectors import site_agency
from gongkai.disclosure import selectors, selectors_public
from gongkai.disclosure.models import Column, Document

FEED_ITEMS = 30


def _aware(day) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time(0, 0)))


class ColumnFeed(Feed):
    """The newest documents of a column (its sub-columns included), or of the agency without a slug."""

    def get_object(self, request, slug: str | None = None) -> tuple[Agency, Column | None]:
        agency = site_agency()
        if agency is None:
            raise Http404("本系统尚未设置公开机关")
        if slug is None:
            return agency, None
        column = selectors.column_by_slug(agency, slug)
        if column is None:
            raise Http404("栏目不存在")
        return agency, column

    def title(self, obj) -> str:
        agency, column = obj
        return f"{agency.name}政府信息公开" + (f"·{column}" if column else "")

    def link(self, obj) -> str:
        _agency, column = obj
        if column is None:
            return reverse("disclosure:public_home")
        return reverse("disclosure:public_column", args=[column.slug])

    def description(self, obj) -> str:
        agency, column = obj
        where = f"“{column}”栏目" if column else "法定主动公开内容"
        return f"{agency.name}{where}最新发布的政府信息"

    def items(self, obj) -> list[Document]:
        agency, column = obj
        return selectors_public.feed_items(agency, column, limit=FEED_ITEMS)

    def item_title(self, item: Document) -> str:
        return escape(f"{item.title}（{item.doc_number}）" if item.doc_number else item.title)

    def item_description(self, item: Document) -> str:
        text = " ".join((getattr(item, "excerpt", "") or "").split())
        more = "……" if len(text) >= selectors_public.EXCERPT_CHARS else ""
        facts = f"索引号：{item.index_number}" + (f"　文号：{item.doc_number}" if item.doc_number else "")
        return f"<p>{escape(facts)}</p><p>{escape(text)}{more}</p>"

    def item_link(self, item: Document) -> str:
        return reverse("disclosure:public_document", args=[item.pk])

    def item_guid(self, item: Document) -> str:
        return item.index_number

    item_guid_is_permalink = False

    def item_pubdate(self, item: Document) -> datetime | None:
        return _aware(item.published_on)

    def item_updateddate(self, item: Document) -> datetime | None:
        return _aware(item.revised_on or item.published_on)


class ColumnAtomFeed(ColumnFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj) -> str:
        return self.description(obj)
