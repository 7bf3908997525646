"""The supervision part of the staff dashboard (registered in SupervisionConfig.ready): the
supervisor's desk for a supervising office, and the rectification notices an agency's office head
answers."""

from datetime import date

from django.urls import reverse

from gongkai.accounts.dashboards import Panel
from gongkai.accounts.models import Role
from gongkai.domain.calendar import WorkingCalendar

SUPERVISOR_LINKS = (
    ("年度报告报送情况", "supervision:board_current"),
    ("所辖机关", "supervision:agencies"),
    ("工作情况", "supervision:work"),
)


def fill_panels(panels: list[Panel], *, today: date, calendar: WorkingCalendar) -> None:
    for panel in panels:
        if panel.role == Role.SUPERVISOR:
            panel.links = [(label, reverse(name)) for label, name in SUPERVISOR_LINKS] + panel.links
        elif panel.role == Role.OFFICE_HEAD:
            panel.links.append(("上级整改通知", reverse("supervision:notices")))
