"""Reads of the review and litigation register: who may see and write what, the list, table 四.

Access follows the applications: a user reads the cases of the agencies they hold a membership in
(and a supervising office those of the agencies it oversees); 经办人 and 办公室主任 of the case's
agency write. A case outside what the user may read is "not found" (404), never "forbidden".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.http import Http404

from gongkai.accounts.models import Agency, Membership, Role
from gongkai.accounts.selectors import agencies_worked_in
from gongkai.applications.models import Application
from gongkai.applications.selectors import application_numbered, tracking_numbers
from gongkai.domain.annual_report.litigation import ReviewCaseForCount, table4_for_year
from gongkai.domain.applications.tracking import parse_tracking_number
from gongkai.domain.errors import DomainError
from gongkai.domain.report_format import format_for_year
from gongkai.domain.review_deadlines import AnswerDeadline, answer_deadline
from gongkai.litigation.models import ReviewCase, ReviewDocument
from gongkai.workcalendar.selectors import working_calendar

WRITE_ROLES = frozenset({Role.CLERK.value, Role.OFFICE_HEAD.value})
_COUNT_FIELDS = ("kind", "filed_on", "stage", "result", "concluded_on")


# -- access ---------------------------------------------------------------------------------------


def visible_agencies(user) -> QuerySet[Agency]:
    """The agencies whose reviews and suits ``user`` may open: those they work in (a case names the
    applicant; a supervising office sees table 四's counts on its own desk)."""
    return agencies_worked_in(user).order_by("name")


def writing_agencies(user) -> QuerySet[Agency]:
    """The agencies in which ``user`` registers and edits reviews and suits (经办人, 办公室主任)."""
    return (
        Agency.objects.filter(kind=Agency.Kind.AGENCY, memberships__user=user, memberships__role__in=list(WRITE_ROLES))
        .distinct()
        .order_by("name")
    )


def can_write(user, agency_id: int) -> bool:
    return Membership.objects.filter(user=user, agency_id=agency_id, role__in=list(WRITE_ROLES)).exists()


def agency_for(user, code: str | None) -> Agency | None:
    """The agency whose register the user asked for (by code), else the first one they may read."""
    agencies = visible_agencies(user)
    if code:
        found = agencies.filter(code=code).first()
        if found is None:
            raise Http404("机构不存在")
        return found
    return writing_agencies(user).first() or agencies.first()


def case_for(user, pk: int) -> ReviewCase:
    case = (
        ReviewCase.objects.select_related("agency", "application", "prior_review", "created_by")
        .filter(pk=pk, agency__in=agencies_worked_in(user))
        .first()
    )
    if case is None:
        raise Http404("案件不存在")
    return case


def document_for(user, case_pk: int, document_pk: int) -> ReviewDocument:
    case = case_for(user, case_pk)
    doc = ReviewDocument.objects.filter(pk=document_pk, case=case).first()
    if doc is None:
        raise Http404("文书不存在")
    return doc


def application_by_number(agency: Agency, text: str) -> Application:
    """The agency's application with this tracking number (YSQ-2026-000123), or a Chinese DomainError."""
    parse_tracking_number(text)  # refuses a malformed number with the expected pattern
    number = "".join(str(text).split()).upper()
    app = application_numbered(agency, number)
    if app is None:
        raise DomainError(f"本机关没有编号为{number}的政府信息公开申请")
    return app


# -- the register ---------------------------------------------------------------------------------


def review_cases(
    agency: Agency, *, year: int | None = None, kind: str | None = None, result: str | None = None
) -> QuerySet[ReviewCase]:
    """The agency's cases, newest first; ``year`` is the year of 申请复议 or 立案."""
    qs = ReviewCase.objects.filter(agency=agency).select_related("application", "prior_review")
    if year is not None:
        qs = qs.filter(filed_on__gte=date(year, 1, 1), filed_on__lte=date(year, 12, 31))
    if kind:
        qs = qs.filter(kind=kind)
    if result:
        qs = qs.filter(result=result)
    return qs.order_by("-filed_on", "-id")


def review_cases_for_application(application: Application) -> QuerySet[ReviewCase]:
    return ReviewCase.objects.filter(application=application).select_related("prior_review").order_by("filed_on", "id")


def prior_review_choices(agency: Agency, *, exclude_pk: int | None = None) -> QuerySet[ReviewCase]:
    qs = ReviewCase.objects.filter(agency=agency, kind="review").order_by("-filed_on", "-id")
    return qs.exclude(pk=exclude_pk) if exclude_pk else qs


def year_choices(agency: Agency, today: date) -> list[int]:
    """The years with cases, and the current one, newest first."""
    years = {d.year for d in ReviewCase.objects.filter(agency=agency).dates("filed_on", "year")}
    years.add(today.year)
    return sorted(years, reverse=True)


# -- table 四 -------------------------------------------------------------------------------------


def table4_figures(*, agency: Agency, year: int) -> dict[str, int]:
    """Table 四 of ``year`` for the agency, every column, counted by the domain from one query.

    The domain counts a case in the year it was filed, with its result as known on 31 December;
    only that year's cases are read, the rule itself is ``table4_for_year``'s."""
    rows = ReviewCase.objects.filter(
        agency=agency, filed_on__gte=date(year, 1, 1), filed_on__lte=date(year, 12, 31)
    ).values_list(*_COUNT_FIELDS)
    cases = [
        ReviewCaseForCount(kind=kind, filed_on=filed_on, stage=stage or None, result=result, concluded_on=concluded_on)
        for kind, filed_on, stage, result, concluded_on in rows
    ]
    return table4_for_year(cases, year)


@dataclass(frozen=True)
class Table4Column:
    key: str
    label: str
    value: int


@dataclass(frozen=True)
class Table4Group:
    key: str
    label: str
    columns: tuple[Table4Column, ...]


@dataclass(frozen=True)
class Table4Preview:
    year: int
    title: str
    review: Table4Group
    litigation_label: str
    litigation: tuple[Table4Group, ...]

    @property
    def litigation_span(self) -> int:
        return sum(len(g.columns) for g in self.litigation)


def table4_preview(*, agency: Agency, year: int) -> Table4Preview | None:
    """Table 四 with the official labels of the year's format, for the list page; None before 2019."""
    try:
        table = format_for_year(year).table_4
    except DomainError:
        return None
    figures = table4_figures(agency=agency, year=year)

    def group(key: str) -> Table4Group:
        g = table.group(key)
        cols = tuple(Table4Column(c, table.column(c).label, figures[c]) for c in g.children)
        return Table4Group(g.key, g.label, cols)

    litigation = table.group("litigation")
    return Table4Preview(
        year=year,
        title=table.title,
        review=group("review"),
        litigation_label=litigation.label,
        litigation=tuple(group(k) for k in litigation.children),
    )


# -- the case page --------------------------------------------------------------------------------

_HISTORY_FIELDS = (
    "kind",
    "case_number",
    "body",
    "applicant_name",
    "application",
    "filed_on",
    "stage",
    "prior_review",
    "result",
    "concluded_on",
    "correction_note",
    "notes",
)
_HISTORY_TYPES = {"+": "登记", "~": "修改", "-": "删除"}


@dataclass(frozen=True)
class HistoryRow:
    when: datetime
    who: str
    reason: str
    changes: list[tuple[str, str, str]]


def _shown(case_field, value) -> str:
    if value in (None, ""):
        return "（空）"
    if case_field.choices:
        return str(dict(case_field.choices).get(value, value))
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def history_rows(case: ReviewCase) -> list[HistoryRow]:
    """The django-simple-history records of the case, each with the fields it changed."""
    fields = {name: ReviewCase._meta.get_field(name) for name in _HISTORY_FIELDS}
    related_names = {
        "application": tracking_numbers(case.history.exclude(application=None).values("application_id")),
        "prior_review": {
            r.pk: str(r)
            for r in ReviewCase.objects.filter(pk__in=case.history.exclude(prior_review=None).values("prior_review_id"))
        },
    }
    rows: list[HistoryRow] = []
    previous = None
    for rec in case.history.select_related("history_user").order_by("history_date", "history_id"):
        changes = []
        for name, f in fields.items():
            attname = f.attname
            before = getattr(previous, attname) if previous is not None else None
            after = getattr(rec, attname)
            if before == after or (previous is None and after in (None, "")):
                continue
            if name in related_names:
                shown = related_names[name]
                changes.append((str(f.verbose_name), shown.get(before, "（空）"), shown.get(after, "（空）")))
            else:
                changes.append((str(f.verbose_name), _shown(f, before), _shown(f, after)))
        previous = rec
        if not changes:
            continue
        user = rec.history_user
        who = (f"{user.last_name}{user.first_name}".strip() or user.get_username()) if user else "系统"
        rows.append(
            HistoryRow(
                rec.history_date, who, rec.history_change_reason or _HISTORY_TYPES.get(rec.history_type, ""), changes
            )
        )
    return rows


def answer_deadline_of(case: ReviewCase, *, today: date) -> AnswerDeadline | None:
    """The agency's 书面答复 / 答辩状 deadline (None until the copy's receipt date is entered)."""
    if case.copy_received_on is None:
        return None
    try:
        return answer_deadline(
            case.kind, case.copy_received_on, calendar=working_calendar(), today=today, answered_on=case.answered_on
        )
    except DomainError:
        return None
