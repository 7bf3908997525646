"""Login, throttling, role dashboards and the demo data, through Django's test client (the demo's
own tests on seed_demo(), the others on tests.factories)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from gongkai.accounts.models import Agency, Membership
from gongkai.accounts.selectors import agencies_visible_to
from gongkai.demo.accounts import DEMO_USERS, seed_demo
from tests.factories import EDU, HEALTH, PASSWORD, bureau

pytestmark = pytest.mark.django_db


def test_seeding_the_demo_twice_creates_nothing_new():
    seed_demo()
    counts = (get_user_model().objects.count(), Agency.objects.count(), Membership.objects.count())
    seed_demo()
    assert (get_user_model().objects.count(), Agency.objects.count(), Membership.objects.count()) == counts
    assert counts == (len(DEMO_USERS) + 1, 3, len(DEMO_USERS))


def test_seeding_again_does_not_reset_a_password_the_user_changed():
    seed_demo()
    user = get_user_model().objects.get(username="jingban")
    user.set_password("a-new-secret-2026")
    user.save()
    seed_demo()
    user.refresh_from_db()
    assert user.check_password("a-new-secret-2026")


def test_the_work_area_requires_login(client):
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_wrong_password_is_answered_in_chinese(client):
    bureau()
    response = client.post(reverse("accounts:login"), {"username": "jingban", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_repeated_failures_lock_the_login_with_a_chinese_page(client, settings):
    bureau()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "baomi", "password": "nope"})
    response = client.post(reverse("accounts:login"), {"username": "baomi", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录已被暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_right_password_opens_the_dashboard_of_the_role(client):
    bureau()
    response = client.post(reverse("accounts:login"), {"username": "lingdao", "password": PASSWORD}, follow=True)
    html = response.content.decode()
    assert "局领导工作台" in html and "经办人工作台" not in html
    assert 'data-testid="report-countdown"' in html and "公布截止" in html and "条例第四十九条" in html


def test_a_supervisor_reads_the_agencies_it_oversees_and_a_clerk_only_their_own():
    bureau()
    User = get_user_model()
    assert {a.code for a in agencies_visible_to(User.objects.get(username="jiandu"))} == {EDU, HEALTH}
    assert {a.code for a in agencies_visible_to(User.objects.get(username="jingban"))} == {EDU}


def test_a_user_without_a_role_is_told_so(client):
    client.force_login(get_user_model().objects.create_user("nobody"))
    assert "尚未分配岗位" in client.get(reverse("accounts:dashboard")).content.decode()


def test_the_deadline_calculator_prefills_today_in_the_format_a_date_input_accepts(client):
    # A browser's <input type="date"> shows nothing for a value that is not YYYY-MM-DD (zh-hans
    # formats dates as 2026/12/07), so the calculator would open empty.
    bureau()
    client.post(reverse("accounts:login"), {"username": "jingban", "password": PASSWORD})
    html = client.get(reverse("accounts:dashboard")).content.decode()
    field = re.search(r'<input type="date" name="start"[^>]*>', html).group(0)
    assert re.search(r'value="\d{4}-\d{2}-\d{2}"', field), field


def test_the_membership_roles_are_the_domains_staff_roles():
    from gongkai.accounts.models import Role
    from gongkai.domain.roles import STAFF_ROLES

    assert Role.choices == [(r.value, r.label) for r in STAFF_ROLES]
    assert Role.OFFICE_HEAD == "office_head" and Role.OFFICE_HEAD.label == "办公室主任"
    assert Membership._meta.get_field("role").choices == Role.choices


def test_the_helpers_of_accounts_name_actors_and_find_roles_and_the_site_agency(settings):
    from gongkai.accounts.selectors import actor_label, roles_in, site_agency

    bureau()
    user = get_user_model().objects.get(username="zhuren")
    agency = Membership.objects.filter(user=user).first().agency
    assert roles_in(user, agency) == roles_in(user, agency.pk) == {"office_head"}
    assert (
        actor_label(user) == "李华" and actor_label(None) == "系统" and actor_label(None, nobody="申请人") == "申请人"
    )
    settings.GONGKAI_AGENCY_CODE = agency.code
    assert site_agency() == agency


def test_every_page_names_an_icon_that_is_served(client):
    # without one, browsers ask for /favicon.ico on every first visit and log a 404
    html = client.get(reverse("accounts:login")).content.decode()
    href = re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)
    response = client.get(href)
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content if response.streaming else [response.content])
