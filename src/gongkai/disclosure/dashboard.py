"""The proactive-disclosure part of the staff dashboard: each reviewing role's queue and the
agency's overdue documents (registered with accounts.dashboards in DisclosureConfig.ready)."""

from datetime import date

from django.urls import reverse

from gongkai.accounts.dashboards import CaseCount, Panel
from gongkai.accounts.models import Role
from gongkai.disclosure.selectors_staff import dashboard_counts
from gongkai.domain.calendar import WorkingCalendar

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


def fill_panels(panels: list[Panel], *, today: date, calendar: WorkingCalendar) -> None:
    several_agencies = len({p.agency.pk for p in panels if p.role in _DOCUMENT_ROLES}) > 1
    for panel in panels:
        if panel.role in _DOCUMENT_ROLES:
            # each panel counts its own role's queue; the overdue list is the agency's
            counts = dashboard_counts(panel.agency, {panel.role}, today=today, calendar=calendar)
            _document_panel(panel, counts, several_agencies)
