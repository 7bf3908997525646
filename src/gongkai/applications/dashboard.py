"""The applications part of the staff dashboard: each case role's counts and links (registered with
accounts.dashboards in ApplicationsConfig.ready)."""

from datetime import date

from django.urls import reverse

from gongkai.accounts.dashboards import CaseCount, Panel
from gongkai.accounts.models import Role
from gongkai.applications.selectors import dashboard_counts
from gongkai.applications.selectors_review import awaiting_review_count
from gongkai.applications.selectors_units import escalated_count, unit_counts
from gongkai.domain.applications.workflow import State
from gongkai.domain.calendar import WorkingCalendar

_CASE_ROLES = (Role.CLERK, Role.OFFICE_HEAD, Role.LEADER)
_UNIT_ROLES = (Role.UNIT_STAFF, Role.UNIT_HEAD)


def _unit_panel(panel: Panel, counts: dict[str, int]) -> None:
    """A unit's cases (承办): open, due within a few working days, past the internal deadline."""
    work = reverse("applications:unit_list")
    panel.heading = f"{panel.heading} · {panel.unit.name}" if panel.unit else panel.heading
    panel.links = [("本单位承办件", work)]
    panel.counts = [
        CaseCount("unit_open", "在办承办件", counts["open"], work),
        CaseCount("unit_due_soon", "3个工作日内到期", counts["due_soon"], work, alert=True),
        CaseCount("unit_overdue", "已超过内部办理期限", counts["overdue"], work, alert=True),
    ]


def _case_panel(panel: Panel, counts: dict[str, int]) -> None:
    """Links and counts of the applications work for the roles that handle them."""
    work = reverse("applications:staff_list")
    approvals = reverse("applications:staff_approvals")
    if panel.role == Role.CLERK:
        panel.links = [("申请工作清单", work), ("登记申请", reverse("applications:staff_register"))]
        panel.counts = [
            CaseCount("open", "在办申请", counts["open"], work),
            CaseCount("overdue", "已逾期", counts["overdue"], f"{work}?view=overdue", alert=True),
            CaseCount("due_soon", "3个工作日内到期", counts["due_soon"], f"{work}?view=due_soon", alert=True),
            CaseCount("unconfirmed", "待确认收到", counts["unconfirmed"], work, alert=True),
            # a reply (signed, or needing no signature) is a reply only once issued: the clerk's to
            # send, with the date and channel
            CaseCount(
                "to_issue", "答复待送达", counts.get("to_issue", 0), f"{work}?view=awaiting_sign_off", alert=True
            ),
        ]
    elif panel.role == Role.OFFICE_HEAD:
        panel.links = [
            ("待我审批", approvals),
            ("申请工作清单", work),
            ("办理统计", reverse("applications:statistics")),
            ("本机关设置", reverse("accounts:agency_settings")),
        ]
        panel.counts = [
            CaseCount("extensions", "延期待批准", counts["extensions"], approvals, alert=True),
            # only the drafts whose next signature in the agency's chain is the office head's
            CaseCount("sign_offs", "答复待我签发", counts.get("sign_offs_office_head", 0), approvals, alert=True),
            CaseCount("overdue", "已逾期", counts["overdue"], f"{work}?view=overdue", alert=True),
        ]
        if counts.get("deadline_changes"):  # shown after a holiday notice moved some reply deadlines
            panel.counts.append(
                CaseCount(
                    "deadline_changes",
                    "近30日因录入节假日安排而变化的答复期限",
                    counts["deadline_changes"],
                    reverse("applications:staff_deadline_changes"),
                    alert=True,
                )
            )
        panel.links.append(("期限变更", reverse("applications:staff_deadline_changes")))
        panel.links.append(("承办件", reverse("applications:unit_list")))
        panel.links.append(("依申请公开转主动公开", reverse("proactive:year")))
        escalated = escalated_count(panel.agency.pk)
        if escalated:  # 督办's last step: a unit still has not answered five working days late
            panel.counts.append(
                CaseCount(
                    "unit_escalated",
                    "承办单位超期未答复（已报告办公室主任）",
                    escalated,
                    reverse("applications:unit_list"),
                    alert=True,
                )
            )
        panel.remedies_unnamed = not panel.agency.names_remedy_bodies
        if counts.get("provisional"):
            panel.facts.append(
                ("预计期限", f"{counts['provisional']}件在办申请的答复期限为预计日期（下一年度节假日安排尚未录入）")
            )
    elif panel.role == Role.LEADER:
        panel.links = [
            ("待我签发", approvals),
            ("申请工作清单", work),
            ("办理统计", reverse("applications:statistics")),
        ]
        panel.counts = [
            CaseCount("sign_offs", "答复待我签发", counts.get("sign_offs_leader", 0), approvals, alert=True)
        ]


# the reviewers of draft replies and the state their drafts wait in
_REVIEWERS = {
    Role.LEGAL_REVIEWER: (State.AWAITING_LEGAL_REVIEW, "答复待法制审核"),
    Role.CONFIDENTIALITY_REVIEWER: (State.AWAITING_SECRECY_REVIEW, "答复待保密审查"),
}


def _review_panel(panel: Panel) -> None:
    state, label = _REVIEWERS[panel.role]
    work = f"{reverse('applications:staff_list')}?view=awaiting_sign_off"
    panel.links = [*panel.links, ("待审核的答复", work)]
    panel.counts = [
        *panel.counts,
        CaseCount(state.value, label, awaiting_review_count(panel.agency.pk, state), work, alert=True),
    ]


def fill_panels(panels: list[Panel], *, today: date, calendar: WorkingCalendar) -> None:
    counts_by_agency: dict[int, dict[str, int]] = {}
    _fill(panels, counts_by_agency, today=today, calendar=calendar)
    for panel in panels:  # the reminders (gongkai.notifications): the office reads the outbox, everyone sets theirs
        if panel.role in (Role.CLERK, Role.OFFICE_HEAD):
            panel.links.append(("待发消息", reverse("notifications:outbox")))
        panel.links.append(("我的提醒设置", reverse("notifications:preferences")))


def _fill(panels, counts_by_agency, *, today: date, calendar: WorkingCalendar) -> None:
    for panel in panels:
        if panel.role in _REVIEWERS:
            _review_panel(panel)
            continue
        if panel.role in _UNIT_ROLES and panel.unit is not None:
            _unit_panel(panel, unit_counts(panel.unit.pk, today=today, calendar=calendar))
            continue
        if panel.role not in _CASE_ROLES:
            continue
        if panel.agency.pk not in counts_by_agency:
            counts_by_agency[panel.agency.pk] = dashboard_counts(panel.agency.pk, today=today, calendar=calendar)
        _case_panel(panel, counts_by_agency[panel.agency.pk])
