"""What each role sees first: the panels of the dashboard, one per role a user holds."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.urls import reverse

from gongkai.accounts.models import Agency, Membership, Role


@dataclass
class Panel:
    role: str
    role_label: str
    agency: Agency
    heading: str
    duties: list[str]
    links: list[tuple[str, str]] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    counts: list["CaseCount"] = field(default_factory=list)
    report_countdown: Any = None  # annualreports.selectors.Countdown: the report owed next (第四十九条)
    documents: list["CaseCount"] = field(default_factory=list)  # 主动公开: awaiting this role, overdue
    document_links: list[tuple[str, str]] = field(default_factory=list)
    remedies_unnamed: bool = False  # the office head's: the letters name no 复议机关 or court yet


@dataclass(frozen=True)
class CaseCount:
    """A number of cases on a panel, linking to the list that shows them."""

    key: str
    label: str
    value: int
    url: str
    alert: bool = False  # shown in red when non-zero (overdue, due soon)


# What each role is responsible for under the 条例 and the agency's internal review rules.
DUTIES: dict[str, tuple[str, list[str]]] = {
    Role.CLERK: (
        "经办人工作台",
        [
            "登记来信、当面、传真、电子邮件等渠道的政府信息公开申请，按第三十一条确定收到日期",
            "在法定期限内发出补正告知、第三方意见征询、延期、收费通知和答复书",
            "拟稿并提交主动公开信息，20个工作日内公开",
        ],
    ),
    Role.OFFICE_HEAD: (
        "办公室主任工作台",
        [
            "审批延期答复（第三十三条第二款，由政府信息公开工作机构负责人同意）",
            "审核主动公开信息和答复书",
            "维护节假日安排，确保期限按工作日准确计算",
        ],
    ),
    Role.LEADER: (
        "局领导工作台",
        ["审批主动公开信息和需签发的答复书", "审定政府信息公开工作年度报告（每年1月31日前公布）"],
    ),
    Role.CONFIDENTIALITY_REVIEWER: (
        "保密审查工作台",
        ["对拟公开信息进行保密审查：涉密信息不公开、公开信息不涉密", "未经保密审查的信息不得公开"],
    ),
    Role.SUPERVISOR: (
        "政务公开监督",
        ["查看所辖机关的政府信息公开工作情况（只读）", "审阅所辖机关的年度报告，发现不一致之处"],
    ),
}


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
            # signed replies are a reply only once issued: the clerk's to send, with the date and channel
            CaseCount(
                "to_issue", "答复已签发待送达", counts.get("to_issue", 0), f"{work}?view=awaiting_sign_off", alert=True
            ),
        ]
    elif panel.role == Role.OFFICE_HEAD:
        panel.links = [
            ("待我审批", approvals),
            ("申请工作清单", work),
            ("办理统计", reverse("applications:statistics")),
            ("本机关设置", reverse("accounts:agency_settings")),
            ("上级整改通知", reverse("supervision:notices")),
        ]
        panel.counts = [
            CaseCount("extensions", "延期待批准", counts["extensions"], approvals, alert=True),
            CaseCount("sign_offs", "答复待签发", counts["sign_offs"], approvals, alert=True),
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
        panel.counts = [CaseCount("sign_offs", "答复待签发", counts["sign_offs"], approvals, alert=True)]


# the supervisor's desk (gongkai.supervision), named by URL only: accounts imports no app above it
SUPERVISOR_LINKS = (
    ("年度报告报送情况", "supervision:board_current"),
    ("所辖机关", "supervision:agencies"),
    ("工作情况", "supervision:work"),
)
_CASE_ROLES = (Role.CLERK, Role.OFFICE_HEAD, Role.LEADER)
_REPORT_ROLES = (Role.CLERK, Role.OFFICE_HEAD, Role.LEADER)  # who writes and approves the annual report
_DOCUMENT_ROLES = (Role.CLERK, Role.OFFICE_HEAD, Role.LEADER, Role.CONFIDENTIALITY_REVIEWER)
# what "awaiting" means for each role's proactive-disclosure queue
_DOCUMENT_QUEUE_LABELS = {
    Role.CLERK: "主动公开文件待提交或发布",
    Role.OFFICE_HEAD: "主动公开文件待办公室主任审核或发布",
    Role.LEADER: "主动公开文件待局领导审批",
    Role.CONFIDENTIALITY_REVIEWER: "主动公开文件待保密审查",
}


def _document_panel(panel: Panel, counts: dict[str, int], several_agencies: bool) -> None:
    """Counts and links of the proactive-disclosure review for the roles that take part in it."""
    query = f"?agency={panel.agency.code}" if several_agencies else ""
    queue = reverse("disclosure:staff_queue") + query
    overdue = reverse("disclosure:staff_overdue") + query
    panel.documents = [
        CaseCount("documents_queue", _DOCUMENT_QUEUE_LABELS[panel.role], counts["queue"], queue, alert=True),
        CaseCount("documents_overdue", "主动公开文件超过20个工作日未公开", counts["overdue"], overdue, alert=True),
    ]
    panel.document_links = [("待我处理", queue), ("文件登记簿", reverse("disclosure:staff_list") + query)]
    if panel.role in (Role.CLERK, Role.OFFICE_HEAD):
        panel.document_links.append(("登记文件", reverse("disclosure:staff_create") + query))


def dashboard_panels(user, memberships: list[Membership], *, today: date) -> list[Panel]:
    # imported here: the applications app builds on accounts, not the other way round
    from gongkai.annualreports.selectors import report_countdown
    from gongkai.applications.selectors import dashboard_counts
    from gongkai.disclosure.selectors_staff import dashboard_counts as document_counts
    from gongkai.workcalendar.selectors import working_calendar

    calendar = working_calendar() if any(m.role in _CASE_ROLES + _DOCUMENT_ROLES for m in memberships) else None
    counts_by_agency: dict[int, dict[str, int]] = {}
    countdowns: dict[int, Any] = {}
    several_agencies = len({m.agency_id for m in memberships if m.role in _DOCUMENT_ROLES}) > 1
    panels = []
    for m in memberships:
        heading, duties = DUTIES[m.role]
        panel = Panel(role=m.role, role_label=m.get_role_display(), agency=m.agency, heading=heading, duties=duties)
        if m.role == Role.SUPERVISOR:
            panel.agencies = list(m.agency.supervised_agencies.order_by("name"))
            panel.links = [(label, reverse(name)) for label, name in SUPERVISOR_LINKS]
        if m.role in _REPORT_ROLES:
            if m.agency_id not in countdowns:
                countdowns[m.agency_id] = report_countdown(m.agency, today)
            panel.report_countdown = countdowns[m.agency_id]
        if m.role in _CASE_ROLES and calendar is not None:
            if m.agency_id not in counts_by_agency:
                counts_by_agency[m.agency_id] = dashboard_counts(m.agency_id, today=today, calendar=calendar)
            _case_panel(panel, counts_by_agency[m.agency_id])
        if m.role in _DOCUMENT_ROLES and calendar is not None:
            # each panel counts its own role's queue; the overdue list is the agency's
            _document_panel(
                panel, document_counts(m.agency, {m.role}, today=today, calendar=calendar), several_agencies
            )
        panels.append(panel)
    return panels
