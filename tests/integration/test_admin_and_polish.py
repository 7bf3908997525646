"""What a first-time administrator saw: raw codes in the change history, "0 节假日安排" while the
shipped notices are in force, untranslated third-party apps, and unstyled success messages."""

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from gongkai.accounts.templatetags.change_history import value_label
from gongkai.applications.models import Application
from gongkai.domain.calendar import WorkingCalendar
from tests.integration.test_disclosure_services import create, env, move  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, env):
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def test_the_change_history_shows_field_and_choice_labels_not_codes(env, admin_client):
    doc = create(env, title="关于2026年春季学期开学工作的通知")
    move(env, doc, "submit", "clerk", date(2026, 3, 2))
    html = admin_client.get(f"/admin/disclosure/document/{doc.pk}/history/").content.decode()
    assert "状态：" in html and "草稿" in html and "办公室主任审核" in html
    assert "<strong>state:</strong>" not in html and "office_review" not in html


def test_stored_codes_without_choices_are_shown_by_their_labels():
    assert value_label(Application, "reply_status", "missed") == "逾期"
    assert value_label(Application, "reply_status", "running") == "计时中"
    assert value_label(Application, "state", "in_progress") == "办理中"
    assert value_label(Application, "reply_status", "") == "（空）"
    assert value_label(Application, "oral", True) == "是"


def test_the_holiday_notice_list_shows_the_shipped_notices_read_only(admin_client):
    html = admin_client.get("/admin/workcalendar/holidaynotice/").content.decode()
    shipped = WorkingCalendar.official().notices
    assert f"系统附带的节假日安排（{len(shipped)}份，只读）" in html
    for notice in shipped:
        assert f'data-year="{notice.year}"' in html and notice.title in html
    assert "生效中" in html


def test_third_party_apps_have_chinese_names_in_the_admin(admin_client):
    html = admin_client.get("/admin/").content.decode()
    for name in ("登录保护", "登录失败记录", "后台任务", "后台任务记录"):
        assert name in html, name
    for raw in ("Axes", "Access attempts", "Tasks Database Backend", "Task Results"):
        assert raw not in html, raw


def test_each_message_level_has_its_own_style():
    css = (Path(__file__).resolve().parents[2] / "src/gongkai/static/gongkai/site.css").read_text(encoding="utf-8")
    for level in ("success", "info", "warning", "error"):
        assert f".messages li.{level} {{" in css, level
