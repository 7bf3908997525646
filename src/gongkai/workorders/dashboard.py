"""The work-order part of the staff dashboard (registered in WorkordersConfig.ready)."""

from datetime import date

from django.urls import reverse

from gongkai.accounts.dashboards import CaseCount, Panel
from gongkai.accounts.models import Role
from gongkai.domain.calendar import WorkingCalendar
from gongkai.workorders.selectors import counts

_ROLES = (Role.CLERK, Role.OFFICE_HEAD)


def fill_panels(panels: list[Panel], *, today: date, calendar: WorkingCalendar) -> None:
    by_agency: dict[int, dict[str, int]] = {}
    work = reverse("workorders:list")
    for panel in panels:
        if panel.role not in _ROLES:
            continue
        if panel.agency.pk not in by_agency:
            by_agency[panel.agency.pk] = counts(panel.agency.pk, today=today)
        c = by_agency[panel.agency.pk]
        panel.links.append(("热线和平台工单", work))
        panel.counts += [
            CaseCount("workorders_open", "在办工单", c["open"], work),
            CaseCount("workorders_overdue", "工单已逾期", c["overdue"], f"{work}?view=overdue", alert=True),
        ]
