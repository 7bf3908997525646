"""The staff dashboard shows what the apps above accounts register: accounts makes one panel per role
(heading, duties) and runs each registered panel source over them (issue 13: the base app imports
nothing above it)."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from gongkai.accounts import dashboards
from gongkai.accounts.models import Agency, Membership, Role
from gongkai.domain.calendar import WorkingCalendar

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


def test_the_apps_register_their_panels_in_the_order_they_are_installed():
    assert list(dashboards._SOURCES) == [
        "applications",
        "disclosure",
        "proposals",
        "workorders",
        "publicity",
        "annualreports",
        "supervision",
    ]


def test_every_registered_source_fills_the_panels_of_the_roles_it_concerns(monkeypatch):
    agency = Agency.objects.create(code="t-edu", name="测试教育局")
    user = get_user_model().objects.create_user("clerk-t", password="x-2026-secret")
    Membership.objects.create(user=user, agency=agency, role=Role.CLERK)
    Membership.objects.create(user=user, agency=agency, role=Role.CONFIDENTIALITY_REVIEWER)
    calendar = WorkingCalendar.official()
    seen = []

    def source(panels, *, today, calendar):
        seen.append((today, calendar))
        for panel in panels:
            if panel.role == Role.CLERK:
                panel.facts.append(("测试", "由登记的来源填写"))

    monkeypatch.setitem(dashboards._SOURCES, "test", source)
    memberships = list(Membership.objects.filter(user=user).select_related("agency").order_by("role"))
    panels = dashboards.dashboard_panels(memberships, today=TODAY, calendar=calendar)

    assert seen == [(TODAY, calendar)]
    by_role = {p.role: p for p in panels}
    assert by_role[Role.CLERK].heading == "经办人工作台"
    assert ("测试", "由登记的来源填写") in by_role[Role.CLERK].facts
    assert ("测试", "由登记的来源填写") not in by_role[Role.CONFIDENTIALITY_REVIEWER].facts
    # the installed sources ran too: the clerk's case counts and the reviewer's document queue
    assert {c.key for c in by_role[Role.CLERK].counts} >= {"open", "overdue"}
    assert [c.key for c in by_role[Role.CONFIDENTIALITY_REVIEWER].documents] == ["documents_queue", "documents_overdue"]
