"""Reads of the staff pages beyond :mod:`.selectors`: whose pages these are (membership of the
document's agency, 404 otherwise), the register list with its filters, the policies an
interpretation may explain, the publication clock as a list cell, and the dashboard counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from gongkai.accounts.models import Agency
from gongkai.disclosure import selectors
from gongkai.disclosure.models import Column, Document, DocumentAttachment
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.clocks import Deadline, DeadlineStatus
from gongkai.domain.disclosure.catalogue import DocumentKind
from gongkai.domain.disclosure.workflow import PRE_PUBLICATION_STATES, State

# the 20-working-day clock reads "due soon" from this many working days left
DUE_SOON_WORKING_DAYS = 5
POLICY_CHOICES_LIMIT = 200


def member_agencies(user) -> QuerySet[Agency]:
    """The agencies in which ``user`` holds a role: the only ones whose register they may open."""
    return Agency.objects.filter(kind=Agency.Kind.AGENCY, memberships__user=user).distinct().order_by("name")


def document_for(user, pk: int) -> Document:
    """The document, if ``user`` is a member of its agency; 404 otherwise (absent and forbidden look alike)."""
    agency_ids = list(member_agencies(user).values_list("id", flat=True))
    doc = (
        Document.objects.select_related("agency", "column", "column__parent", "interprets")
        .filter(pk=pk, agency_id__in=agency_ids)
        .first()
    )
    if doc is None:
        raise Http404("文件不存在")
    return doc


def attachment_for(user, document_pk: int, attachment_pk: int) -> DocumentAttachment:
    doc = document_for(user, document_pk)
    att = DocumentAttachment.objects.filter(pk=attachment_pk, document=doc).first()
    if att is None:
        raise Http404("附件不存在")
    return att


def register_documents(
    agency: Agency, *, state: str = "", column: Column | None = None, kind: str = "", text: str = ""
) -> QuerySet[Document]:
    """The agency's register for the staff list, filtered, newest first.

    Newest by 索引号 (formation year, then registration order), which the unique index on
    (agency, year, sequence) serves without sorting; within one state by formation date, which the
    queues' index (agency, state, formation date) serves — a register of 500,000 documents would
    otherwise be sorted on every page.
    """
    qs = Document.objects.filter(agency=agency)
    order: tuple[str, ...] = ("-index_year", "-index_seq")
    if state:
        qs = qs.filter(state=state)
        order = ("-formed_on", "-index_year", "-index_seq")
    if column is not None:
        qs = qs.filter(top_column=column) if column.parent_id is None else qs.filter(column=column)
    if kind:
        qs = qs.filter(kind=kind)
    # the words as typed (not normalised): they are compared with the stored title, 文号 and 索引号
    for word in dict.fromkeys(text.replace("\u3000", " ").split()[: selectors.MAX_SEARCH_TERMS]):
        word = word[: selectors.MAX_TERM_LENGTH]
        qs = qs.filter(Q(title__icontains=word) | Q(doc_number__icontains=word) | Q(index_number__icontains=word))
    return (
        qs.select_related("agency", "column", "column__parent")
        .only(
            *selectors.LIST_FIELDS,
            "needs_interpretation",
            "interprets_id",
            "current_version",
            "public_version",
            "index_year",
            "index_seq",
            "agency__deadline_convention",
            "agency__name",
            "column__name",
            "column__parent__name",
            "column__parent_id",
        )
        .order_by(*order)
    )


def interpretations_of(document: Document) -> list[Document]:
    """Every interpretation linked to a policy document, whatever its state (staff see drafts too)."""
    return list(Document.objects.filter(interprets=document).order_by("formed_on", "id"))


def policy_choices(agency: Agency, *, exclude: Document | None = None, keep: int | None = None) -> list[Document]:
    """Documents an interpretation may explain, at most ``POLICY_CHOICES_LIMIT``: first the policies
    still on their way to publication that are flagged as needing one, then the agency's 规章 and
    行政规范性文件, newest signed first; never an interpretation itself, a withdrawn or a taken-down
    document. ``keep``: a document already chosen, listed even if it no longer qualifies.

    (A published policy that needed an interpretation already has one: it could not be published
    without it.)"""
    base = (
        Document.objects.filter(agency=agency, interprets__isnull=True)
        .exclude(state__in=[State.WITHDRAWN, State.UNPUBLISHED])
        .only("id", "title", "doc_number", "state", "needs_interpretation", "formed_on")
    )
    if exclude is not None:
        base = base.exclude(pk=exclude.pk)
    waiting = list(
        base.filter(needs_interpretation=True, state__in=[s.value for s in PRE_PUBLICATION_STATES]).order_by(
            "-formed_on", "-id"
        )[:POLICY_CHOICES_LIMIT]
    )
    policies = base.filter(kind__in=[DocumentKind.REGULATION, DocumentKind.NORMATIVE]).order_by("-signed_on", "-id")
    seen = {d.pk for d in waiting}
    docs = waiting + [d for d in policies[:POLICY_CHOICES_LIMIT] if d.pk not in seen]
    docs = docs[:POLICY_CHOICES_LIMIT]
    if keep is not None and all(d.pk != keep for d in docs):
        extra = Document.objects.filter(agency=agency, pk=keep).first()
        if extra is not None:
            docs.insert(0, extra)
    return docs


# -- the publication clock as a cell -------------------------------------------------------------------


@dataclass(frozen=True)
class ClockCell:
    """The 20-working-day clock (第二十六条) of one document, as the lists and the page show it."""

    deadline: Deadline | None
    text: str
    css: str  # "overdue" (red), "soon", "met" or ""

    @property
    def days_left(self) -> int | None:
        return self.deadline.days_left if self.deadline is not None else None

    @property
    def due_text(self) -> str:
        return f"期限{self.deadline.due:%Y-%m-%d}" if self.deadline is not None else ""


def clock_cell(deadline: Deadline | None, document: Document) -> ClockCell:
    if deadline is None:
        if document.state == State.WITHDRAWN:
            return ClockCell(None, "已撤回，不计算", "")
        return ClockCell(None, "无法计算（节假日安排未录入）", "")
    if deadline.status is DeadlineStatus.MET:
        return ClockCell(deadline, "按期公开", "met")
    if deadline.status is DeadlineStatus.MISSED:
        if document.published_on is not None:
            return ClockCell(deadline, "逾期公开", "overdue")
        return ClockCell(deadline, f"已逾期{-deadline.days_left}个工作日", "overdue")
    n = deadline.days_left
    if n == 0:
        return ClockCell(deadline, "今日到期", "soon")
    return ClockCell(deadline, f"剩{n}个工作日", "soon" if n <= DUE_SOON_WORKING_DAYS else "")


def clock_cells(
    documents: Iterable[Document], *, today: date, calendar: WorkingCalendar
) -> list[tuple[Document, ClockCell]]:
    return [(d, clock_cell(selectors.publication_clock(d, today=today, calendar=calendar), d)) for d in documents]


# -- the dashboard -------------------------------------------------------------------------------------


def dashboard_counts(agency: Agency, roles: Iterable[str], *, today: date, calendar: WorkingCalendar) -> dict[str, int]:
    """Documents awaiting someone with ``roles`` and documents past the publication deadline."""
    return {
        "queue": sum(selectors.queue_counts(agency=agency, roles=roles).values()),
        "overdue": len(selectors.overdue_documents(agency=agency, today=today, calendar=calendar)),
    }
