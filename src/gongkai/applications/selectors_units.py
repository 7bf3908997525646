"""Reads of the routing to units (承办): a unit's work list and its view of a case, the office's view
of who has answered.

Unit staff (承办人, 股室负责人) read only the cases assigned to their unit, and through the assignment
only: the office's case page is closed to them (``accounts.selectors.agencies_visible_to`` gives a unit
role no agency), and the applicant's identity document number is left out unless the office shared it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from gongkai.accounts.models import Membership, Role
from gongkai.accounts.selectors import agencies_visible_to, units_of
from gongkai.applications.models import Application, Assignment, AssignmentFile, IdDocument
from gongkai.applications.services import ASSIGNMENT_OPEN_STATES
from gongkai.domain.applications.assignment import CHASE_STEPS, RETURN_KINDS
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.errors import DomainError
from gongkai.domain.outcomes import APPLICANT_TYPES, OUTCOME_CODES, outcome

DUE_SOON_WORKING_DAYS = 3
_OFFICE_ROLES = [Role.CLERK, Role.OFFICE_HEAD]
# a row lists the unit's files: fetched with the rows, not one query per row
_FILES = Prefetch("files", queryset=AssignmentFile.objects.order_by("pk"))


def unit_assignments(user) -> QuerySet[Assignment]:
    """The assignments of the units ``user`` works in; for the office (经办人, 办公室主任) those of its
    agency, so it follows every unit's work in one list. Open first, by internal deadline."""
    office = Membership.objects.filter(user=user, role__in=_OFFICE_ROLES).values_list("agency_id", flat=True)
    return (
        # a unit belongs to the case's agency (assignment_create refuses another's), so the office's
        # filter is on the units and the list walks one index in its order
        Assignment.objects.filter(Q(unit__in=units_of(user)) | Q(unit__agency_id__in=office))
        .select_related("application", "unit")
        .prefetch_related(_FILES)
        .order_by("-open", "due", "-pk")
    )


def escalated_count(agency_id: int) -> int:
    """Open assignments chased up to the office head (督办, the last step)."""
    return Assignment.objects.filter(
        application__agency_id=agency_id, state__in=ASSIGNMENT_OPEN_STATES, chase_level__gte=len(CHASE_STEPS)
    ).count()


def assignment_for(user, pk: int) -> Assignment:
    """An assignment ``user`` may read: one of their unit's, or any of a case the office may read; 404
    otherwise (no difference between absent and forbidden)."""
    a = Assignment.objects.select_related("application", "application__agency", "unit").filter(pk=pk).first()
    if a is None:
        raise Http404("交办件不存在")
    if units_of(user).filter(pk=a.unit_id).exists():
        return a
    if agencies_visible_to(user).filter(pk=a.application.agency_id).exists():
        return a
    raise Http404("交办件不存在")


def assignment_file_for(user, pk: int, file_pk: int) -> AssignmentFile:
    a = assignment_for(user, pk)
    f = AssignmentFile.objects.filter(pk=file_pk, assignment=a).first()
    if f is None:
        raise Http404("材料不存在")
    return f


def is_unit_reader(user, assignment: Assignment) -> bool:
    """Whether ``user`` reads the assignment as its unit (not as the office)."""
    return units_of(user).filter(pk=assignment.unit_id).exists()


def unit_case_facts(app: Application, *, share_identity: bool) -> list[tuple[str, str]]:
    """What a unit sees of the case: the request and who asked; the identity document number only
    when the office shared it (第三十六条 needs the information, not the person's papers)."""
    rows = [
        ("申请编号", app.tracking_number),
        ("申请人类型", APPLICANT_TYPES.get(app.applicant_type, app.applicant_type)),
        ("申请人姓名或名称", app.applicant_name),
        ("收到申请日期", _cn(app.received_on) if app.received_on else "尚未确认收到"),
        ("法定答复期限", _cn(app.reply_due) if app.reply_due else ""),
        ("文号（如知道）", app.document_number_hint),
    ]
    if share_identity:
        kind = dict(IdDocument.choices).get(app.id_document_type, app.id_document_type)
        rows.insert(3, ("身份证明", f"{kind} {app.id_document_number}"))
    return [(k, v) for k, v in rows if v]


@dataclass(frozen=True)
class AssignmentRow:
    assignment: Assignment
    state_label: str
    due_text: str
    overdue: bool
    proposed_outcome_label: str
    return_kind_label: str
    files: list[AssignmentFile]


def assignment_rows(assignments, *, today: date) -> list[AssignmentRow]:
    rows = []
    for a in assignments:
        rows.append(
            AssignmentRow(
                assignment=a,
                state_label=a.state_label,
                due_text=_cn(a.due),
                overdue=a.is_open and a.due < today,
                proposed_outcome_label=outcome(a.proposed_outcome).label if a.proposed_outcome in OUTCOME_CODES else "",
                return_kind_label=RETURN_KINDS.get(a.return_kind, a.return_kind),
                files=list(a.files.all()),
            )
        )
    return rows


def case_assignments(app: Application, *, today: date) -> list[AssignmentRow]:
    """Every unit the case was assigned to, with its answer: the office sees who has answered (会签)."""
    return assignment_rows(app.assignments.select_related("unit").prefetch_related(_FILES).order_by("pk"), today=today)


def unit_counts(unit_id: int, *, today: date, calendar: WorkingCalendar) -> dict[str, int]:
    """A unit's panel: its open cases, those due within a few working days, those overdue."""
    open_ = Assignment.objects.filter(unit_id=unit_id, state__in=ASSIGNMENT_OPEN_STATES)
    try:
        soon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
    except DomainError:  # a year whose notice is missing: count by calendar days instead
        soon = date.fromordinal(today.toordinal() + DUE_SOON_WORKING_DAYS)
    return {
        "open": open_.count(),
        "due_soon": open_.filter(due__gte=today, due__lte=soon).count(),
        "overdue": open_.filter(due__lt=today).count(),
    }


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True)
class UnitStatistics:
    unit: str
    assigned: int  # assignments made in the year
    answered: int  # answered with a 拟办意见
    returned: int
    open: int
    on_time: int  # answered by the internal deadline
    average_working_days: float | None  # from the assignment to the answer, over the answered ones

    @property
    def on_time_rate(self) -> str:
        return f"{self.on_time * 100 / self.answered:.0f}%" if self.answered else "—"


def unit_statistics(agency_id: int, year: int, *, calendar: WorkingCalendar) -> list[UnitStatistics]:
    """Per unit, the assignments made in ``year``: how many answered, returned, still open, the share
    answered on time and the working days taken. One query; the working days are counted here."""
    rows = (
        Assignment.objects.filter(application__agency_id=agency_id, assigned_on__year=year)
        .order_by("unit__name", "pk")
        .values_list("unit__name", "state", "assigned_on", "due", "answered_on")
    )
    per: dict[str, dict] = {}
    for unit, state, assigned_on, due, answered_on in rows:
        u = per.setdefault(unit, {"assigned": 0, "answered": 0, "returned": 0, "open": 0, "on_time": 0, "days": []})
        u["assigned"] += 1
        if state == "answered":
            u["answered"] += 1
            u["on_time"] += int(answered_on <= due)
            try:
                u["days"].append(calendar.working_days_between(assigned_on, answered_on))
            except DomainError:
                pass
        elif state == "returned":
            u["returned"] += 1
        elif state in ASSIGNMENT_OPEN_STATES:
            u["open"] += 1
    return [
        UnitStatistics(
            unit=name,
            assigned=u["assigned"],
            answered=u["answered"],
            returned=u["returned"],
            open=u["open"],
            on_time=u["on_time"],
            average_working_days=round(sum(u["days"]) / len(u["days"]), 1) if u["days"] else None,
        )
        for name, u in per.items()
    ]
