"""The public 政府信息公开 column (no login): home, 指南, 制度, column pages, document pages and their
files, search. Feeds are in :mod:`.feeds`.

Everything shown comes from the public reads (``selectors.public_*``, ``selectors_public``): a
document that is not published, was taken down, belongs to another agency, or a revision still
under review is never reachable here — the answer is 404 for everyone, staff included (staff see
drafts in the work area). All text is autoescaped; search highlights are built from escaped pieces.

Column pages have page numbers for the first ``NUMBERED_PAGES`` pages and then continue with a
cursor (``?after=<date>.<id>``, keyset pagination), so a deep page costs what the first one does.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from gongkai.accounts.models import Agency
from gongkai.accounts.selectors import site_agency
from gongkai.disclosure import selectors, selectors_public
from gongkai.disclosure.models import Column, Document
from gongkai.disclosure.selectors_public import public_context
from gongkai.domain import clocks, fees
from gongkai.domain.disclosure.attachments import KINDS, extension
from gongkai.domain.disclosure.catalogue import Channel as PublicationChannel
from gongkai.domain.disclosure.search_text import aligned
from gongkai.domain.disclosure.validity import Validity
from gongkai.downloads import stored_file_response

PER_PAGE = 20
NUMBERED_PAGES = 10
HOME_PER_COLUMN = 5
MAX_QUERY_CHARS = 100
MAX_SEARCH_PAGES = 50
SNIPPET_BEFORE, SNIPPET_AFTER = 40, 110
# a downloaded file can do nothing: no scripts, no plugins, no same-origin access
ATTACHMENT_CSP = "default-src 'none'; sandbox"
_CURSOR = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.(\d{1,18})$")


def _agency() -> Agency:
    agency = site_agency()
    if agency is None:
        raise Http404("本系统尚未设置公开机关")
    return agency


def _int(value: str | None, default: int = 1) -> int:
    try:
        return max(1, int(value or default))
    except (TypeError, ValueError):
        return default


# -- home, guide, rules ------------------------------------------------------------------------------


@require_safe
def home(request):
    agency = _agency()
    context = public_context(agency, "home", sections=selectors_public.sections(agency, per_column=HOME_PER_COLUMN))
    return render(request, "disclosure/public/home.html", context)


@require_safe
def guide(request):
    agency = _agency()
    context = public_context(
        agency,
        "guide",
        agency=agency,
        supervisor=agency.supervised_by,
        contact=selectors_public.contact_document(agency),
        fee_lines=selectors_public.fee_lines(),
        fee_basis=fees.FEE_BASIS,
        days={
            "reply": clocks.REPLY_WORKING_DAYS,
            "extension": clocks.MAX_EXTENSION_WORKING_DAYS,
            "correction": clocks.CORRECTION_NOTICE_WORKING_DAYS,
            "consultation": clocks.CONSULTATION_WORKING_DAYS,
            "fee": clocks.FEE_PAYMENT_WORKING_DAYS,
            "publication": clocks.PUBLICATION_WORKING_DAYS,
        },
        publication_channels=[c.label for c in PublicationChannel],
    )
    return render(request, "disclosure/public/guide.html", context)


@require_safe
def rules(request):
    agency = _agency()
    column = selectors_public.rules_column(agency)
    page = None
    if column is not None:
        page = selectors.public_documents_page(
            agency=agency, column=column, page=min(_int(request.GET.get("page")), NUMBERED_PAGES), per_page=PER_PAGE
        )
    return render(
        request,
        "disclosure/public/rules.html",
        public_context(agency, "rules", agency=agency, column=column, page=page),
    )


# -- column pages ------------------------------------------------------------------------------------


def _cursor(value: str) -> tuple[date, int]:
    m = _CURSOR.match(value)
    if not m:
        raise Http404("翻页参数无效")
    try:
        return date(int(m[1]), int(m[2]), int(m[3])), int(m[4])
    except ValueError:
        raise Http404("翻页参数无效") from None


def _cursor_of(doc: Document) -> str:
    return f"{doc.published_on.isoformat()}.{doc.pk}"


def _column_nav(agency: Agency, column: Column) -> tuple[Column, list[Column]]:
    """The section a column belongs to and the section's sub-columns."""
    top = column.parent if column.parent_id else column
    children = list(Column.objects.filter(agency=agency, parent=top).order_by("order", "id"))
    return top, children


@require_safe
def column(request, slug: str):
    agency = _agency()
    col = selectors.column_by_slug(agency, slug)
    if col is None:
        raise Http404("栏目不存在")
    base = reverse("disclosure:public_column", args=[col.slug])
    after = request.GET.get("after")
    context: dict[str, Any] = {"column": col, "base_url": base}
    if after is not None:
        documents, next_key = selectors.public_documents_after(
            agency=agency, column=col, after=_cursor(after), per_page=PER_PAGE
        )
        context.update(
            documents=documents,
            cursor_mode=True,
            next_url=f"{base}?after={next_key[0].isoformat()}.{next_key[1]}" if next_key else None,
        )
    else:
        requested = _int(request.GET.get("page"))
        if requested > NUMBERED_PAGES:
            # page numbers stop here (an OFFSET grows with the depth); the cursor continues
            return redirect(f"{base}?page={NUMBERED_PAGES}")
        page = selectors.public_documents_page(agency=agency, column=col, page=requested, per_page=PER_PAGE)
        documents = list(page.object_list)
        shown = min(page.paginator.num_pages, NUMBERED_PAGES)
        next_url = None
        if page.number < shown:
            next_url = f"{base}?page={page.number + 1}"
        elif page.has_next() and documents:
            next_url = f"{base}?after={_cursor_of(documents[-1])}"
        context.update(
            documents=documents,
            page=page,
            page_numbers=range(1, shown + 1),
            cursor_mode=False,
            next_url=next_url,
            previous_url=f"{base}?page={page.number - 1}" if page.number > 1 else None,
        )
    top, children = _column_nav(agency, col)
    context.update(top=top, children=children)
    return render(request, "disclosure/public/column.html", public_context(agency, "content", **context))


# -- one document and its files ------------------------------------------------------------------------


def _public_document_or_404(agency: Agency, pk: int) -> Document:
    doc = selectors.public_document(agency=agency, pk=pk)
    if doc is None:
        raise Http404("文件不存在或未公开")
    return doc


@require_safe
def document(request, pk: int):
    agency = _agency()
    doc = _public_document_or_404(agency, pk)
    validity = Validity(doc.validity) if doc.validity else None
    context = public_context(
        agency,
        "content",
        document=doc,
        paragraphs=[line.strip() for line in doc.body.splitlines() if line.strip()],
        validity=validity,
        validity_final=validity is not None and validity is not Validity.IN_FORCE,
        attachments=selectors.public_attachments(doc),
        interpretations=selectors.public_interpretations(doc),
        policy=selectors.public_policy_of(doc),
        section=doc.column.parent or doc.column,
    )
    return render(request, "disclosure/public/document.html", context)


@require_safe
def attachment(request, pk: int, att_pk: int):
    agency = _agency()
    doc = _public_document_or_404(agency, pk)
    att = next((a for a in selectors.public_attachments(doc) if a.pk == att_pk), None)
    if att is None:
        raise Http404("附件不存在")
    # the type comes from the kind checked at upload (the stored name's extension), never the upload's claim
    kind = KINDS.get(extension(att.file.name))
    if kind is None:
        raise Http404("附件不存在")
    response = stored_file_response(att.file, filename=att.download_name, content_type=kind.content_type)
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


# -- search ------------------------------------------------------------------------------------------


def highlight(text: str, terms: tuple[str, ...] | list[str]) -> SafeString:
    """``text`` escaped, with every occurrence of a term (case-insensitive) in <mark>.

    The text is cut at the matches first and every piece escaped on its own, so a term can never
    match inside an entity (searching "amp" in "A&B") and nothing of the text reaches the page
    unescaped."""
    words = sorted({t for t in terms if t}, key=len, reverse=True)
    if not text or not words:
        return escape(text or "")
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    out, last = [], 0
    # the terms are normalised (〔〕 → (), full width → half): matched in the text normalised in place
    for m in pattern.finditer(aligned(text)):
        out.append(escape(text[last : m.start()]))
        out.append(f"<mark>{escape(text[m.start() : m.end()])}</mark>")
        last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def snippet(body: str, terms: tuple[str, ...]) -> SafeString:
    """A piece of the body around the first match (or its beginning), highlighted."""
    body = " ".join((body or "").split())
    lowered = aligned(body).lower()
    found = [i for i in (lowered.find(t.lower()) for t in terms) if i >= 0]
    start = max(0, min(found) - SNIPPET_BEFORE) if found else 0
    end = min(len(body), start + SNIPPET_BEFORE + SNIPPET_AFTER)
    piece = body[start:end]
    marked = highlight(piece, terms)
    return mark_safe(("…" if start else "") + marked + ("…" if end < len(body) else ""))


def _query_problem(query: str) -> str:
    if not query:
        return "请输入要查找的词语，如标题中的词、文号或正文中的词语。"
    if len(query) > MAX_QUERY_CHARS:
        return f"搜索内容过长（{len(query)}个字符），请不超过{MAX_QUERY_CHARS}个字符。"
    words = query.replace("\u3000", " ").split()
    if len(words) > selectors.MAX_SEARCH_TERMS:
        return f"最多可输入{selectors.MAX_SEARCH_TERMS}个词语（用空格分隔），请减少后再搜索。"
    longest = max(words, key=len)
    if len(longest) > selectors.MAX_TERM_LENGTH:
        return f"单个词语不能超过{selectors.MAX_TERM_LENGTH}个字符，请用空格把“{longest[:10]}…”分成较短的词语。"
    return ""


@require_safe
def search(request):
    agency = _agency()
    asked = "q" in request.GET
    query = request.GET.get("q", "").strip()
    slug = request.GET.get("column", "").strip()
    col = selectors.column_by_slug(agency, slug) if slug else None
    page = min(_int(request.GET.get("page")), MAX_SEARCH_PAGES)
    problem = _query_problem(query) if asked else ""
    if slug and col is None:
        problem = problem or "所选栏目不存在，请重新选择。"
    results, rows = None, []
    if asked and not problem:
        results = selectors.search_public_documents(
            agency=agency, query=query, page=page, per_page=PER_PAGE, column=col
        )
        texts = selectors_public.bodies(d.pk for d in results.documents)
        rows = [
            {
                "document": d,
                "title": highlight(d.title, results.terms),
                "doc_number": highlight(d.doc_number, results.terms),
                "snippet": snippet(texts.get(d.pk, ""), results.terms),
            }
            for d in results.documents
        ]

    def page_url(n: int) -> str:
        params = {"q": query, **({"column": col.slug} if col else {}), "page": n}
        return f"{reverse('disclosure:public_search')}?{urlencode(params)}"

    context = public_context(
        agency,
        "search",
        query=query,
        public_query=query,
        column=col,
        problem=problem,
        results=results,
        rows=rows,
        asked=asked,
        first_rank=(page - 1) * PER_PAGE + 1,
        # gongkai.web.guard took them out of the query (a NUL used to be a 500 here)
        control_characters_removed=getattr(request, "control_characters_removed", False),
        next_url=page_url(page + 1) if results and results.has_next and page < MAX_SEARCH_PAGES else None,
        previous_url=page_url(page - 1) if results and page > 1 else None,
        last_page_reached=bool(results and results.has_next and page >= MAX_SEARCH_PAGES),
    )
    return render(request, "disclosure/public/search.html", context)
