"""The new-media part of the staff dashboard (registered in PublicityConfig.ready): the clerk and the
office head see which accounts still lack last month's figures and the concerns not yet answered."""

from datetime import date

from django.urls import reverse

from gongkai.accounts.dashboards import CaseCount, Panel
from gongkai.accounts.models import Role
from gongkai.domain.calendar import WorkingCalendar
from gongkai.publicity.selectors import counts

_ROLES = (Role.CLERK, Role.OFFICE_HEAD)


def fill_panels(panels: list[Panel], *, today: date, calendar: WorkingCalendar) -> None:
    by_agency: dict[int, dict[str, int]] = {}
    home = reverse("publicity:index")
    for panel in panels:
        if panel.role not in _ROLES:
            continue
        if panel.agency.pk not in by_agency:
            by_agency[panel.agency.pk] = counts(panel.agency.pk, today=today)
        c = by_agency[panel.agency.pk]
        panel.links.append(("新媒体与新闻发布", home))
        panel.counts += [
            CaseCount("publicity_missing_month", "新媒体账号上月数据未登记", c["missing_last_month"], home, alert=True),
            CaseCount("publicity_unanswered", "回应关切尚未回应", c["unanswered"], reverse("publicity:concerns")),
        ]
