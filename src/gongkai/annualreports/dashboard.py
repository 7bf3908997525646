"""The annual-report part of the staff dashboard: the report the agency owes next (第四十九条), on the
panels of the roles that write and approve it (registered with accounts.dashboards in
AnnualReportsConfig.ready)."""

from datetime import date
from typing import Any

from gongkai.accounts.dashboards import Panel
from gongkai.accounts.models import Role
from gongkai.annualreports.selectors import report_countdown
from gongkai.domain.calendar import WorkingCalendar

_REPORT_ROLES = (Role.CLERK, Role.OFFICE_HEAD, Role.LEADER)  # who writes and approves the annual report


def fill_panels(panels: list[Panel], *, today: date, calendar: WorkingCalendar) -> None:
    countdowns: dict[int, Any] = {}
    for panel in panels:
        if panel.role in _REPORT_ROLES:
            if panel.agency.pk not in countdowns:
                countdowns[panel.agency.pk] = report_countdown(panel.agency, today)
            panel.report_countdown = countdowns[panel.agency.pk]
