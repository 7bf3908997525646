"""Reads of the work-order register: who may see what, the list (paged: a year holds tens of
thousands), the counts of the dashboard, the statistics. An order outside what the user may read
is "not found" (404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gongkai.accounts import selectors as accounts_selectors
from gongkai.accounts.models import Agency, Membership, Role
from gongkai.accounts.selectors import REGISTER_WRITE_ROLES, agencies_visible_to, roles_in
from gongkai.domain.workorders import workflow as wf
from gongkai.workorders.models import ImportBatch, WorkOrder

WRITE_ROLES = REGISTER_WRITE_ROLES
PAGE_SIZE = 50


def office_head_agencies(user) -> QuerySet[Agency]:
    return Agency.objects.filter(memberships__user=user, memberships__role=Role.OFFICE_HEAD.value).distinct()


def can_write(user) -> bool:
    return Membership.objects.filter(user=user, role__in=list(WRITE_ROLES)).exists()


def order_for(user, pk: int) -> WorkOrder:
    order = WorkOrder.objects.select_related("agency").filter(pk=pk, agency__in=agencies_visible_to(user)).first()
    if order is None:
        raise Http404("工单不存在")
    return order


def batch_for(user, pk: int) -> ImportBatch:
    """A batch the user may import: one of an agency where they are a clerk or the office head."""
    batch = ImportBatch.objects.select_related("agency").filter(pk=pk, agency__in=writing_agencies(user)).first()
    if batch is None:
        raise Http404("导入批次不存在")
    return batch


def recent_batches(user, limit: int = 10):
    return list(
        ImportBatch.objects.filter(agency__in=writing_agencies(user))
        .defer("content")
        .select_related("agency")
        .order_by("-created_at", "-id")[:limit]
    )


def roles_for(user, order: WorkOrder) -> set[str]:
    return roles_in(user, order.agency_id)


@dataclass(frozen=True)
class Row:
    order: WorkOrder
    deadline: wf.DeadlineStatus | None


def orders(
    agency: Agency, *, year: int | None = None, platform: str = "", state: str = "", today: date, view: str = ""
) -> QuerySet[WorkOrder]:
    qs = WorkOrder.objects.filter(agency=agency)
    if year is not None:
        # the year as a range of received_at (local midnight to midnight), not of received_on: the
        # list's order is received_at's, so the (agency, -received_at, -id) index serves the filter,
        # the order and the page's LIMIT in one walk instead of sorting a year of orders
        tz = timezone.get_current_timezone()
        qs = qs.filter(
            received_at__gte=datetime(year, 1, 1, tzinfo=tz), received_at__lt=datetime(year + 1, 1, 1, tzinfo=tz)
        )
    if platform:
        qs = qs.filter(platform=platform)
    if state:
        qs = qs.filter(state=state)
    if view == "overdue":
        qs = qs.filter(state__in=[s.value for s in wf.OPEN_STATES], due_on__lt=today)
    return qs.order_by("-received_at", "-id")


def rows(page_orders, *, today: date) -> list[Row]:
    return [Row(o, wf.deadline_status(o.due_on, today=today, state=o.state)) for o in page_orders]


def counts(agency_id: int, *, today: date) -> dict[str, int]:
    # separate counts on the (agency, state, due_on) index: the open orders are few among a year's
    open_qs = WorkOrder.objects.filter(agency_id=agency_id, state__in=[s.value for s in wf.OPEN_STATES])
    return {
        "open": open_qs.count(),
        "overdue": open_qs.filter(due_on__lt=today).count(),
        "unassigned": open_qs.filter(state=wf.State.RECEIVED.value).count(),
    }


def year_choices(agency: Agency, today: date) -> list[int]:
    # the first and the last day by two index seeks (an aggregate MIN/MAX over a composite index
    # reads every entry of the agency's)
    days = WorkOrder.objects.filter(agency=agency).values_list("received_on", flat=True)
    lo, hi = days.order_by("received_on").first(), days.order_by("-received_on").first()
    years = {today.year}
    if lo is not None:
        years.update(range(lo.year, hi.year + 1))
    return sorted(years, reverse=True)


def history(order: WorkOrder):
    return list(order.events.select_related("actor").order_by("at", "id"))


# -- statistics --------------------------------------------------------------------------------------

GROUPS = {"month": "月份", "platform": "平台", "category": "类别", "unit": "承办单位"}


@dataclass(frozen=True)
class StatRow:
    key: str
    label: str
    figures: wf.Figures


def statistics(agency: Agency, *, year: int, by: str) -> tuple[list[StatRow], wf.Figures]:
    """Reply rate, on-time rate and satisfaction of the year's orders (by the day received), grouped
    by month, platform, category or unit; with the year's total. Counted in the database."""
    qs = WorkOrder.objects.filter(agency=agency, received_on__gte=date(year, 1, 1), received_on__lte=date(year, 12, 31))
    rated = [r for r in wf.RATING_LABELS if r != wf.Rating.NONE.value]
    measures = {
        "received": Count("id"),
        "replied": Count("id", filter=Q(first_replied_on__isnull=False)),
        "on_time": Count("id", filter=Q(first_replied_on__lte=F("due_on"))),
        "rated": Count("id", filter=Q(rating__in=rated)),
        "satisfied": Count("id", filter=Q(rating__in=list(wf.SATISFIED_RATINGS))),
    }
    # One grouped query; the year's total is the sum of its groups (a second pass over the year
    # would double the time). Months are folded from days in Python: SQLite extracts a month with a
    # Python function called per row, grouping on the stored day is ≤ 366 groups and no call.
    column = {"month": "received_on", "platform": "platform", "category": "category", "unit": "unit"}[by]
    groups: dict = {}
    for r in qs.values(column).annotate(**measures).order_by(column):
        key = r.pop(column)
        if by == "month":
            key = key.month
        counts = groups.setdefault(key, dict.fromkeys(measures, 0))
        for name, value in r.items():
            counts[name] += value
    out = []
    for key in sorted(groups, key=lambda k: (k is None, k)):
        if by == "month":
            label = f"{key}月"
        elif by == "platform":
            label = wf.PLATFORM_LABELS.get(key, key)
        elif by == "category":
            label = wf.CATEGORY_LABELS.get(key, key)
        else:
            label = key or "（未分派）"
        out.append(StatRow(str(key), label, wf.Figures(**groups[key])))
    total = wf.Figures(**{name: sum(g[name] for g in groups.values()) for name in measures})
    return out, total


def report_figures(*, agency: Agency, year: int) -> dict[str, wf.Figures]:
    """Per platform code, the figures of the orders received in ``year`` (platforms without an order
    that year are left out), in the platforms' order: what the annual report's 总体情况 quotes."""
    rows, _total = statistics(agency, year=year, by="platform")
    by_platform = {r.key: r.figures for r in rows}
    order = list(wf.PLATFORM_LABELS)
    return dict(sorted(by_platform.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))


def visible_agencies(user) -> QuerySet[Agency]:
    return agencies_visible_to(user).order_by("name")


writing_agencies = accounts_selectors.writing_agencies
agency_for = accounts_selectors.register_agency_for
