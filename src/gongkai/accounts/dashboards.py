"""What each role sees first: the panels of the dashboard, one per role a user holds."""

from dataclasses import dataclass, field
from datetime import date

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


def annual_report_countdown(today: date) -> tuple[int, date]:
    """Days until the next 31 January, the deadline for publishing last year's report (第四十九条)."""
    due = date(today.year, 1, 31)
    if today > due:
        due = date(today.year + 1, 1, 31)
    return (due - today).days, due


def dashboard_panels(user, memberships: list[Membership], *, today: date) -> list[Panel]:
    panels = []
    for m in memberships:
        heading, duties = DUTIES[m.role]
        panel = Panel(role=m.role, role_label=m.get_role_display(), agency=m.agency, heading=heading, duties=duties)
        if m.role == Role.SUPERVISOR:
            panel.agencies = list(m.agency.supervised_agencies.order_by("name"))
        if m.role in (Role.LEADER, Role.OFFICE_HEAD):
            days, due = annual_report_countdown(today)
            panel.facts.append(("年度报告公布截止", f"{due:%Y年%-m月%-d日}（还有{days}天，发布{due.year - 1}年度报告）"))
        panels.append(panel)
    return panels
