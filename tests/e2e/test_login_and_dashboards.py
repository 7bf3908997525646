"""A new user logs in as each demo role and sees the right dashboard, in Chinese."""

import re

import pytest
from playwright.sync_api import expect

ROLE_HEADINGS = {
    "jingban": ("clerk", "经办人工作台"),
    "zhuren": ("office_head", "办公室主任工作台"),
    "lingdao": ("leader", "局领导工作台"),
    "baomi": ("confidentiality_reviewer", "保密审查工作台"),
    "jiandu": ("supervisor", "政务公开监督"),
}


@pytest.mark.parametrize("username", list(ROLE_HEADINGS))
def test_each_demo_user_logs_in_and_sees_the_dashboard_of_their_role(demo, page, live_server, login, username):
    role, heading = ROLE_HEADINGS[username]
    login(username)
    expect(page).to_have_url(re.compile(r"/work/$"))
    panel = page.locator(f"section.panel[data-role={role}]")
    expect(panel).to_be_visible()
    expect(panel.locator("h2")).to_contain_text(heading)
    # only their own role's panel
    assert page.locator("section.panel").count() == 1
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")


def test_the_supervisor_sees_every_agency_it_oversees_read_only(demo, page, login):
    login("jiandu")
    table = page.locator("section.panel[data-role=supervisor] table")
    expect(table).to_contain_text("示范区教育局")
    expect(table).to_contain_text("示范区卫生健康局")


def test_a_wrong_password_shows_a_chinese_error_and_keeps_the_user_name(demo, page, live_server, login):
    login("jingban", "wrong-password")
    expect(page.locator("[role=alert]")).to_contain_text("用户名或密码不正确")
    expect(page.locator("#id_username")).to_have_value("jingban")


def test_login_is_locked_after_repeated_failures_even_with_the_right_password(demo, page, login, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("lingdao", "wrong-password")
    login("lingdao")
    expect(page.locator("h1")).to_have_text("登录已被暂时锁定")
    expect(page).not_to_have_url(re.compile(r"/work/$"))


def test_the_dashboard_counts_a_deadline_and_marks_one_reaching_into_2027_as_provisional(
    demo, page, live_server, login
):
    login("jingban")
    page.goto(f"{live_server.url}/work/?start=2025-01-30&working_days=20&convention=A")
    expect(page.get_by_test_id("deadline-result")).to_contain_text("2025年3月3日")
    expect(page.get_by_test_id("provisional")).to_have_count(0)
    page.goto(f"{live_server.url}/work/?start=2026-12-20&working_days=20&convention=A")
    expect(page.get_by_test_id("deadline-result")).to_contain_text(
        "2027年节假日安排尚未录入，按法定节假日推算，实际期限不早于此日"
    )
    expect(page.get_by_test_id("provisional")).to_have_text("预计")
    expect(page.get_by_test_id("deadline-error")).to_have_count(0)
