"""What each role sees first: the panels of the dashboard, one per role a user holds.

The base app knows the roles and their duties; the work each role has waiting belongs to the apps
above it. Each of those apps registers a :data:`PanelSource` in its ``AppConfig.ready`` (applications:
the cases, disclosure: the documents, annualreports: the report owed next), and the dashboard runs
what is registered, so accounts imports nothing above it (the layers contract in pyproject.toml).
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from gongkai.accounts.models import Agency, Membership, Role, Unit
from gongkai.domain.calendar import WorkingCalendar


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
    report_countdown: Any = (
        None  # annualreports.selectors.Countdown (its panel source): the report owed next (第四十九条)
    )
    documents: list["CaseCount"] = field(default_factory=list)  # 主动公开: awaiting this role, overdue
    document_links: list[tuple[str, str]] = field(default_factory=list)
    remedies_unnamed: bool = False  # the office head's: the letters name no 复议机关 or court yet
    unit: Unit | None = None  # the unit roles' (承办人, 股室负责人): the unit whose assigned cases they answer


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
    Role.LEGAL_REVIEWER: (
        "法制审核工作台",
        [
            "在签发前审核部分公开、不予公开等答复的事实、依据、理由和救济途径告知是否合法",
            "审核通过或说明理由退回经办人修改；审核人员不签发答复",
            "审核期间答复期限照常计算（第三十三条第三款只扣除征求意见的时间），应及时审核",
        ],
    ),
    Role.UNIT_STAFF: (
        "承办人工作台",
        [
            "签收办公室交办的申请，查找本单位制作或保存的政府信息",
            "在内部办理期限内提交查找到的信息和拟办意见（拟办结果及理由）",
            "不属于本单位的，退回办公室并说明理由",
        ],
    ),
    Role.UNIT_HEAD: (
        "股室负责人工作台",
        ["督促本单位按内部办理期限答复办公室交办的申请", "审核本单位提交的拟办意见"],
    ),
    Role.SUPERVISOR: (
        "政务公开监督",
        ["查看所辖机关的政府信息公开工作情况（只读）", "审阅所辖机关的年度报告，发现不一致之处"],
    ),
}


class PanelSource(Protocol):
    """Fills its part of the panels in place (counts, links, the countdown) for the roles it concerns
    and leaves the others alone. ``calendar`` is the one the page already read."""

    def __call__(self, panels: list[Panel], *, today: date, calendar: WorkingCalendar) -> None: ...


_SOURCES: dict[str, PanelSource] = {}


def register_panel_source(name: str, source: PanelSource) -> None:
    """Called from an app's ``ready()``; by name, so a second ``ready()`` does not add it twice.
    Sources run in the order the apps are installed."""
    _SOURCES[name] = source


def dashboard_panels(memberships: list[Membership], *, today: date, calendar: WorkingCalendar) -> list[Panel]:
    panels = []
    for m in memberships:
        heading, duties = DUTIES[m.role]
        panel = Panel(role=m.role, role_label=m.get_role_display(), agency=m.agency, heading=heading, duties=duties)
        panel.unit = m.unit
        if m.role == Role.SUPERVISOR:
            panel.agencies = list(m.agency.supervised_agencies.order_by("name"))
        panels.append(panel)
    for source in _SOURCES.values():
        source(panels, today=today, calendar=calendar)
    return panels
