"""The demo's routing to units (承办): open cases of 示范区教育局 assigned to its two units so that every
state shows — 已交办, 承办中, 已提交承办意见, 已退回 (不属于本单位), 已收回 — plus one split into parts
(分项交办) and one past its internal deadline and chased (督办). Played through the services, dated
from ``today`` so the demo generates on any date."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.accounts.models import Agency, Unit
from gongkai.applications import services
from gongkai.applications.models import Application, Assignment
from gongkai.demo.accounts import AGENCY
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.errors import DomainError
from gongkai.workcalendar.selectors import working_calendar

JICHU, CAIWU = "基础教育股", "计划财务股"
ASK = "请查找本单位制作或保存的相关信息，提出拟办意见。"


def seed_routing(today: date | None = None) -> int:
    """Assign up to five open cases whose reply is still some days off, and one received long enough
    ago to be overdue; nothing if any case of the agency is already assigned. Returns the number of
    assignments made."""
    today = today or timezone.localdate()
    agency = Agency.objects.filter(code=AGENCY["code"]).first()
    if agency is None or Assignment.objects.filter(application__agency=agency).exists():
        return 0
    units = {u.name: u for u in Unit.objects.filter(agency=agency)}
    if set(units) < {JICHU, CAIWU}:
        return 0
    User = get_user_model()
    clerk, jichu, caiwu = (User.objects.get(username=u) for u in ("jingban", "chengban1", "chengban2"))
    calendar = working_calendar()
    open_cases = (
        Application.objects.filter(
            agency=agency, state__in=services.open_states(), reply_due__gt=today, reply_status="running"
        )
        .exclude(state="awaiting_sign_off")
        .exclude(received_on__isnull=True)
    )
    made = 0
    # the overdue one first: the case received earliest, assigned then with a short internal deadline
    late = _overdue_candidate(open_cases.order_by("received_on", "pk"), today, calendar)
    used: set[int] = set()
    if late is not None:
        app, assigned_on, due = late
        made += _assign(app, [units[JICHU]], clerk, assigned_on, due=due)
        used.add(app.pk)
        services.assignments_chase(today=today, calendar=calendar)
    cases = list(open_cases.exclude(pk__in=used).order_by("-reply_due", "pk")[:4])
    for i, app in enumerate(cases):
        if app.reply_due is None or calendar.working_days_between(today, app.reply_due) < 2:
            continue  # no working day left before the reply deadline to give a unit
        if i == 0:  # 会签, split into parts: one unit returns its part, the other answers
            made += _assign(
                app,
                [units[JICHU], units[CAIWU]],
                clerk,
                today,
                parts={
                    units[JICHU].pk: "第1项：相关工作的制度文件",
                    units[CAIWU].pk: "第2项：相关经费的预算和支出情况",
                },
            )
            first, second = app.assignments.order_by("pk")
            _act(first, jichu, "return_to_office", today, return_kind="not_ours", reason="该信息由计划财务股制作并保存")
            _act(second, caiwu, "accept", today)
            _act(
                second,
                caiwu,
                "answer",
                today,
                proposed_outcome="disclosed",
                opinion="经查，本股制作并保存该信息，不属于第十四条、第十五条、第十六条规定的情形，拟予以公开。",
                files=[("查找到的信息.txt", "text/plain", "计划财务股查找到的相关信息（示范数据）。\n".encode())],
            )
        elif i == 1:  # signed for, being worked on
            made += _assign(app, [units[JICHU]], clerk, today)
            _act(app.assignments.get(), jichu, "accept", today)
        elif i == 2:  # still waiting for the unit to sign
            made += _assign(app, [units[CAIWU]], clerk, today)
        else:  # sent to the wrong unit and taken back by the office
            made += _assign(app, [units[CAIWU]], clerk, today)
            services.assignment_transition(
                assignment=app.assignments.get(),
                action="withdraw",
                actor=clerk,
                actor_roles={"clerk"},
                fields={"comment": "交办单位有误，办公室收回后直接答复"},
                today=today,
            )
    return made


def _overdue_candidate(cases, today: date, calendar: WorkingCalendar) -> tuple[Application, date, date] | None:
    """A case that could have been assigned on a working day from its receipt with the next working
    day as the internal deadline, that deadline now past (before today and the reply deadline)."""
    for app in cases[:50]:
        try:
            assigned_on = app.received_on
            if not calendar.is_working_day(assigned_on):
                assigned_on = calendar.next_working_day(assigned_on)
            due = calendar.next_working_day(assigned_on)
        except DomainError:
            continue
        if due < today and due < app.reply_due:
            return app, assigned_on, due
    return None


def _assign(app: Application, units: list[Unit], clerk, today: date, *, due=None, parts=None) -> int:
    try:
        created = services.assignment_create(
            application=app,
            units=units,
            actor=clerk,
            actor_roles={"clerk"},
            today=today,
            due=due,
            parts=parts,
            instructions=ASK,
        )
    except DomainError:
        return 0
    return len(created)


def _act(a: Assignment, user, action: str, today: date, files=(), **fields) -> None:
    services.assignment_transition(
        assignment=a, action=action, actor=user, actor_roles={"unit_staff"}, fields=fields, today=today, files=files
    )
