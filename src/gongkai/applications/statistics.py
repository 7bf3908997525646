"""Figures of one agency's year, for the disclosure office and the leadership.

- :func:`table3_for_year_sql`: table 三 of the annual report computed by **one** SQL aggregation
  over the agency's applications (grouped by applicant type and outcome code, the outcome codes
  then mapped to the year's row keys in Python). It gives exactly what the domain's
  ``counting.table3_for_year`` gives for the same cases (tested with hypothesis):
  ``new_received`` by receipt year; ``carried_over`` = received before the year and not concluded
  before 1 January; the result rows by the year the case concluded, in the year's format;
  ``carry_forward`` = received by 31 December and not concluded by then; the 总计 column summed.
  A case that was never received (withdrawn while 待确认收到) is counted nowhere.
- :func:`year_statistics`: on-time rate (replied cases whose reply date is on or before the reply
  deadline the domain clock computed from the case's log, see :func:`reply_timings`), median and
  worst working days from day 0 of the reply clock to the reply (pauses included: the time the
  applicant waited), cases per outcome, per applicant type and per month, and the open cases
  overdue or due soon today.
- :func:`monthly_chart`: the geometry of a bar chart drawn as inline SVG by the template.
- :func:`year_workbook`: the Excel export (summary, table 三, months, and the case list with
  identity-document numbers masked); every row goes through ``spreadsheets.append_row``, so an
  applicant's name can never become a formula.
"""

from __future__ import annotations

import io
import statistics as pystats
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractMonth
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from gongkai.accounts.models import Agency
from gongkai.applications import clock, tasks
from gongkai.applications.models import Application, CaseEvent, IdDocument
from gongkai.domain.applications.receipt import Channel
from gongkai.domain.applications.tracking import mask_identity_number
from gongkai.domain.applications.workflow import Action, State
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.clocks import DeadlineStatus
from gongkai.domain.errors import DomainError
from gongkai.domain.outcomes import APPLICANT_TYPES, OUTCOME_CODES, outcome, table3_row
from gongkai.domain.report_format import Table3, format_for_year
from gongkai.spreadsheets import append_row

FIRST_REPORT_YEAR = 2019  # the standard tables start with the 2019 reports
MONTH_LABELS = tuple(f"{m}月" for m in range(1, 13))
REPLY_STATUS_LABELS = {
    str(DeadlineStatus.RUNNING): "计时中",
    str(DeadlineStatus.PAUSED): "暂停计时",
    str(DeadlineStatus.MET): "按期",
    str(DeadlineStatus.MISSED): "逾期",
    str(DeadlineStatus.VOID): "不适用",
}


# -- table 三 in one query ----------------------------------------------------------------------


def _bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def year_scope(year: int) -> Q:
    """The cases table 三 of ``year`` counts: received by its end, and either received in it or
    not concluded before it began."""
    start, end = _bounds(year)
    return Q(received_on__isnull=False, received_on__lte=end) & (
        Q(received_on__gte=start) | Q(concluded_on__isnull=True) | Q(concluded_on__gte=start)
    )


def _aggregate(agency: Agency, year: int) -> list[dict[str, Any]]:
    """ONE query: per (applicant type, outcome code), the cases new, carried over, concluded and
    carried forward in ``year``."""
    start, end = _bounds(year)
    return list(
        Application.objects.filter(agency=agency)
        .filter(year_scope(year))
        .values("applicant_type", "outcome_code")
        .annotate(
            new=Count("id", filter=Q(received_on__gte=start)),
            carried=Count("id", filter=Q(received_on__lt=start)),
            concluded=Count("id", filter=Q(concluded_on__gte=start, concluded_on__lte=end)),
            forward=Count("id", filter=Q(concluded_on__isnull=True) | Q(concluded_on__gt=end)),
        )
        .order_by()
    )


def _table3_from(rows: Iterable[dict[str, Any]], year: int) -> dict[str, dict[str, int]]:
    t3 = format_for_year(year).table_3
    table = {r.key: {c.key: 0 for c in t3.columns} for r in t3.data_rows()}
    for r in rows:
        col = r["applicant_type"]
        table["new_received"][col] += r["new"]
        table["carried_over"][col] += r["carried"]
        table["carry_forward"][col] += r["forward"]
        if r["concluded"]:
            table[table3_row(r["outcome_code"], year)][col] += r["concluded"]
            table["results_total"][col] += r["concluded"]
    for cells in table.values():
        cells[Table3.TOTAL_COLUMN] = sum(v for c, v in cells.items() if c != Table3.TOTAL_COLUMN)
    return table


def table3_for_year_sql(agency: Agency, year: int) -> dict[str, dict[str, int]]:
    """Table 三 of ``year`` for ``agency`` (every data row × column, 总计 included), one SQL query."""
    return _table3_from(_aggregate(agency, year), year)


def table3_rows_for_display(year: int, table: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """The rows of the year's format in order (headings too), for a page or a sheet."""
    t3 = format_for_year(year).table_3
    out = []
    for r in t3.rows:
        depth = 0 if r.parent is None else (1 if r.parent == "results" else 2)
        cells = [table[r.key][c.key] for c in t3.columns] if r.data else []
        out.append({"key": r.key, "label": r.label, "depth": depth, "data": r.data, "cells": cells})
    return out


def table3_columns(year: int) -> list[str]:
    return [c.label for c in format_for_year(year).table_3.columns]


# -- the year's statistics ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyTiming:
    tracking_number: str
    day0: date
    replied_on: date
    due: date
    working_days: int
    on_time: bool


@dataclass
class MonthRow:
    month: int
    received: int = 0
    concluded: int = 0
    replied: int = 0
    on_time: int = 0

    @property
    def label(self) -> str:
        return MONTH_LABELS[self.month - 1]


@dataclass
class YearStatistics:
    agency: Agency
    year: int
    table3: dict[str, dict[str, int]]
    timings: dict[int, ReplyTiming]  # by application id
    unchecked: list[str]  # replied cases whose log the clock could not read
    per_outcome: list[tuple[str, str, int]]  # code, label, concluded in the year
    per_applicant_type: list[tuple[str, str, int, int]]  # key, label, received, concluded
    months: list[MonthRow]
    overdue_now: int = 0
    due_soon_now: int | None = 0
    reminder_days: int = 3
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def replied(self) -> int:
        return len(self.timings)

    @property
    def on_time(self) -> int:
        return sum(1 for t in self.timings.values() if t.on_time)

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.replied if self.replied else None

    @property
    def on_time_percent(self) -> str:
        rate = self.on_time_rate
        return "—" if rate is None else f"{rate * 100:.1f}%"

    @property
    def median_working_days(self) -> float | None:
        days = [t.working_days for t in self.timings.values()]
        return pystats.median(days) if days else None

    @property
    def worst(self) -> ReplyTiming | None:
        return max(self.timings.values(), key=lambda t: (t.working_days, t.tracking_number), default=None)


def reply_timings(agency: Agency, year: int, *, calendar: WorkingCalendar) -> tuple[dict[int, ReplyTiming], list[str]]:
    """For each case replied in ``year``: day 0, due date and whether the reply was in time.

    Two queries, whatever the number of cases: the due date is the stored copy of the domain
    clock's reply deadline, which ``services.application_transition`` refreshed with the reply
    itself and which never moves after it (a test recomputes it from every demo case's log with
    :func:`reply_timings_from_log`); day 0 is the receipt date, or the receipt of the corrected
    application (第三十条), under the case's convention.
    """
    rows = list(
        _replied_in(agency, year).values_list(
            "id", "tracking_number", "received_on", "concluded_on", "reply_due", "convention"
        )
    )
    corrected: dict[int, date] = {}
    events = CaseEvent.objects.filter(
        application_id__in=_replied_in(agency, year).values("id"), action=Action.RECEIVE_CORRECTION
    )
    for app_id, fields in events.values_list("application_id", "fields"):
        corrected[app_id] = clock.parse_fields(fields)["received_on"]
    timings: dict[int, ReplyTiming] = {}
    unchecked: list[str] = []
    for pk, number, received, concluded, due, convention in rows:
        try:
            if due is None:
                raise DomainError("没有答复期限")
            day0 = calendar.day_zero(corrected.get(pk, received), convention)
            days = calendar.working_days_between(day0, concluded)
        except DomainError:
            unchecked.append(number)
            continue
        timings[pk] = ReplyTiming(number, day0, concluded, due, days, concluded <= due)
    return timings, unchecked


def reply_timings_from_log(agency: Agency, year: int, *, calendar: WorkingCalendar) -> dict[int, ReplyTiming]:
    """The same figures recomputed by the domain clock from each case's log (slow; for checks)."""
    timings: dict[int, ReplyTiming] = {}
    apps = _replied_in(agency, year).prefetch_related(Prefetch("events", queryset=CaseEvent.objects.order_by("seq")))
    for app in apps:
        deadlines = clock.deadlines_of(
            app.events.all(),
            calendar=calendar,
            today=app.concluded_on,
            convention=app.convention,
            policy=clock.policy_for(app.agency),
        )
        reply = clock.reply_of(deadlines)
        days = calendar.working_days_between(reply.start, app.concluded_on)
        timings[app.pk] = ReplyTiming(
            app.tracking_number, reply.start, app.concluded_on, reply.due, days, reply.status == DeadlineStatus.MET
        )
    return timings


def _replied_in(agency: Agency, year: int) -> QuerySet[Application]:
    start, end = _bounds(year)
    return Application.objects.filter(
        agency=agency, state=State.REPLIED, received_on__isnull=False, concluded_on__gte=start, concluded_on__lte=end
    )


def year_statistics(agency: Agency, year: int, *, calendar: WorkingCalendar, today: date) -> YearStatistics:
    rows = _aggregate(agency, year)
    table = _table3_from(rows, year)
    by_outcome: dict[str, int] = {}
    by_type: dict[str, list[int]] = {k: [0, 0] for k in APPLICANT_TYPES}
    for r in rows:
        by_type[r["applicant_type"]][0] += r["new"]
        if r["concluded"]:
            by_outcome[r["outcome_code"]] = by_outcome.get(r["outcome_code"], 0) + r["concluded"]
            by_type[r["applicant_type"]][1] += r["concluded"]
    timings, unchecked = reply_timings(agency, year, calendar=calendar)
    months = _months(agency, year, timings)
    stats = YearStatistics(
        agency=agency,
        year=year,
        table3=table,
        timings=timings,
        unchecked=unchecked,
        per_outcome=[(c, outcome(c).label, by_outcome[c]) for c in OUTCOME_CODES if by_outcome.get(c)],
        per_applicant_type=[(k, label, *by_type[k]) for k, label in APPLICANT_TYPES.items()],
        months=months,
        reminder_days=tasks.reminder_working_days(),
    )
    stats.overdue_now = tasks.overdue_cases(agency, today=today).count()
    try:
        stats.due_soon_now = tasks.due_soon_cases(agency, today=today, calendar=calendar).count()
    except DomainError:  # the next working days reach a year whose holiday notice is not entered yet
        stats.due_soon_now = None
    return stats


def _months(agency: Agency, year: int, timings: dict[int, ReplyTiming]) -> list[MonthRow]:
    months = [MonthRow(m) for m in range(1, 13)]
    received = (
        Application.objects.filter(agency=agency, received_on__year=year)
        .annotate(m=ExtractMonth("received_on"))
        .values("m")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in received:
        months[r["m"] - 1].received = r["n"]
    concluded = (
        Application.objects.filter(agency=agency, received_on__isnull=False, concluded_on__year=year)
        .annotate(m=ExtractMonth("concluded_on"))
        .values("m")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in concluded:
        months[r["m"] - 1].concluded = r["n"]
    for t in timings.values():
        row = months[t.replied_on.month - 1]
        row.replied += 1
        row.on_time += t.on_time
    return months


def report_years(agency: Agency, today: date) -> list[int]:
    """The years a user may choose: from the agency's first receipt (or this year) to this year."""
    first = (
        Application.objects.filter(agency=agency, received_on__isnull=False)
        .order_by("received_on")
        .values_list("received_on", flat=True)
        .first()
    )
    start = max(FIRST_REPORT_YEAR, min(first.year if first else today.year, today.year))
    return list(range(today.year, start - 1, -1))


# -- the chart ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    series: str
    css: str
    month: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    bars: tuple[Bar, ...]
    y_ticks: tuple[tuple[float, int], ...]
    x_labels: tuple[tuple[float, str], ...]
    legend: tuple[tuple[str, str], ...]
    title: str

    @property
    def plot_height(self) -> int:
        return self.bottom - self.top

    @property
    def x_title_x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def y_title_y(self) -> float:
        return (self.top + self.bottom) / 2


def _nice_step(maximum: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if maximum / step <= 5:
            return step
    return 10 ** len(str(maximum))


def monthly_chart(months: list[MonthRow], *, year: int) -> Chart:
    """Bars per month: received and concluded. Drawn by the template as inline SVG (no script)."""
    width, height, left, top, right, bottom = 760, 300, 56, 36, 744, 250
    series = (("received", "收到申请", "bar-received"), ("concluded", "办结", "bar-concluded"))
    peak = max([getattr(m, s) for m in months for s, _, _ in series] + [1])
    step = _nice_step(peak)
    top_value = step * -(-peak // step)
    scale = (bottom - top) / top_value
    slot = (right - left) / 12
    bar_w = slot * 0.34
    bars = []
    for i, m in enumerate(months):
        for j, (attr, label, css) in enumerate(series):
            value = getattr(m, attr)
            h = value * scale
            x = left + i * slot + slot * 0.14 + j * bar_w
            bars.append(
                Bar(round(x, 1), round(bottom - h, 1), round(bar_w, 1), round(h, 1), value, label, css, m.label)
            )
    ticks = tuple((round(bottom - v * scale, 1), v) for v in range(0, top_value + 1, step))
    x_labels = tuple((round(left + (i + 0.5) * slot, 1), m.label) for i, m in enumerate(months))
    return Chart(
        width,
        height,
        left,
        top,
        right,
        bottom,
        tuple(bars),
        ticks,
        x_labels,
        tuple((css, label) for _, label, css in series),
        f"{year}年各月收到与办结的政府信息公开申请",
    )


# -- the Excel export ---------------------------------------------------------------------------


CASE_COLUMNS = [
    "申请编号",
    "收到申请日期",
    "申请人类型",
    "申请人",
    "身份证明类型",
    "身份证明号码（已遮蔽）",
    "申请渠道",
    "办理状态",
    "办理结果",
    "办结日期",
    "答复期限",
    "期限状态",
    "用时（工作日）",
    "是否按期答复",
]


def cases_of_year(agency: Agency, year: int) -> QuerySet[Application]:
    """The cases table 三 of the year counts, oldest receipt first."""
    return (
        Application.objects.filter(agency=agency)
        .filter(year_scope(year))
        .only(
            "id",
            "tracking_number",
            "received_on",
            "applicant_type",
            "applicant_name",
            "id_document_type",
            "id_document_number",
            "channel",
            "state",
            "outcome_code",
            "concluded_on",
            "reply_due",
            "reply_status",
        )
        .order_by("received_on", "id")
    )


def _label(choices: dict[str, str], key: str) -> str:
    return choices.get(key, key)


def case_rows(agency: Agency, year: int, timings: dict[int, ReplyTiming]) -> Iterable[list[Any]]:
    id_types = dict(IdDocument.choices)
    applicant_types = dict(APPLICANT_TYPES)
    channels = {c.value: c.label for c in Channel}
    for app in cases_of_year(agency, year).iterator(chunk_size=2000):
        t = timings.get(app.pk)
        yield [
            app.tracking_number,
            app.received_on,
            _label(applicant_types, app.applicant_type),
            app.applicant_name,
            _label(id_types, app.id_document_type),
            mask_identity_number(app.id_document_number),
            _label(channels, app.channel),
            State(app.state).label,
            outcome(app.outcome_code).label if app.outcome_code else "",
            app.concluded_on,
            t.due if t else app.reply_due,
            REPLY_STATUS_LABELS.get(app.reply_status, "") if not t else ("按期" if t.on_time else "逾期"),
            t.working_days if t else None,
            ("是" if t.on_time else "否") if t else "",
        ]


def _sheet(wb: Workbook, title: str, header: list[str]):
    ws = wb.create_sheet(title)
    append_row(ws, header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.freeze_panes = "A2"
    return ws


def year_workbook(stats: YearStatistics) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    y = stats.year
    summary = _sheet(wb, "汇总", ["项目", "数值"])
    worst = stats.worst
    for row in (
        ("机关", stats.agency.name),
        ("年度", y),
        ("本年新收申请", stats.table3["new_received"]["total"]),
        ("上年结转申请", stats.table3["carried_over"]["total"]),
        ("本年办结", stats.table3["results_total"]["total"]),
        ("结转下年度继续办理", stats.table3["carry_forward"]["total"]),
        ("本年作出答复", stats.replied),
        ("按期答复", stats.on_time),
        ("按期答复率", stats.on_time_percent),
        ("答复用时中位数（工作日）", stats.median_working_days),
        ("答复用时最长（工作日）", worst.working_days if worst else None),
        ("用时最长的申请", worst.tracking_number if worst else ""),
    ):
        append_row(summary, row)
    summary.column_dimensions["A"].width = 28
    summary.column_dimensions["B"].width = 28

    t3 = _sheet(wb, "表三", ["项目", *table3_columns(y)])
    for r in table3_rows_for_display(y, stats.table3):
        append_row(t3, ["　" * r["depth"] + r["label"], *r["cells"]])
    t3.column_dimensions["A"].width = 60

    months = _sheet(wb, "按月", ["月份", "收到申请", "办结", "作出答复", "按期答复"])
    for m in stats.months:
        append_row(months, [m.label, m.received, m.concluded, m.replied, m.on_time])

    outcomes = _sheet(wb, "按办理结果", ["办理结果", "件数"])
    for _, label, n in stats.per_outcome:
        append_row(outcomes, [label, n])
    outcomes.column_dimensions["A"].width = 40

    types = _sheet(wb, "按申请人类型", ["申请人类型", "本年新收", "本年办结"])
    for _, label, received, concluded in stats.per_applicant_type:
        append_row(types, [label, received, concluded])

    cases = _sheet(wb, "案件清单", CASE_COLUMNS)
    for row in case_rows(stats.agency, y, stats.timings):
        append_row(cases, row)
    for col, w in zip("ABCDEFGHIJKLMN", (18, 12, 12, 24, 16, 22, 14, 16, 30, 12, 12, 10, 10, 10)):
        cases.column_dimensions[col].width = w
    for ws in (cases,):
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
