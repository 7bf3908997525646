"""The suggestions and proposals part of the staff dashboard (registered in ProposalsConfig.ready)."""

from datetime import date

from django.urls import reverse

from gongkai.accounts.dashboards import CaseCount, Panel
from gongkai.accounts.models import Role
from gongkai.domain.calendar import WorkingCalendar
from gongkai.proposals.selectors import counts

_ROLES = (Role.CLERK, Role.OFFICE_HEAD, Role.LEADER)


def fill_panels(panels: list[Panel], *, today: date, calendar: WorkingCalendar) -> None:
    by_agency: dict[int, dict[str, int]] = {}
    work = reverse("proposals:list")
    for panel in panels:
        if panel.role not in _ROLES:
            continue
        if panel.agency.pk not in by_agency:
            by_agency[panel.agency.pk] = counts(panel.agency.pk, today=today)
        c = by_agency[panel.agency.pk]
        panel.links.append(("建议提案办理", work))
        if panel.role == Role.LEADER:
            panel.counts.append(CaseCount("proposals_to_sign", "建议提案答复函待签发", c["to_sign"], work, alert=True))
            continue
        panel.counts += [
            CaseCount("proposals_open", "在办建议提案", c["open"], work),
            CaseCount("proposals_overdue", "建议提案已逾期", c["overdue"], f"{work}?view=overdue", alert=True),
        ]
