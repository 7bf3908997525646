"""法制审核 in the browser (issue 16 §2): the clerk drafts a refusal, the 法制审核人员 returns it with a
reason, the clerk redrafts, the review passes, the office head then the leader sign. The demo agency
keeps the default settings (法制审核 for 部分公开 and every refusal). The reply deadline shown never
moves: received Monday 2025-03-03, the 20th working day after it is Monday 2025-03-31 (no holiday in
March 2025), and a review pauses nothing (第三十三条第三款 excludes only consultations)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from gongkai import localtime
from gongkai.accounts.models import Agency
from gongkai.applications.models import Application, CaseEvent
from gongkai.applications.services import application_submit, application_transition
from gongkai.demo.accounts import DEMO_PASSWORD


@pytest.fixture
def case(demo):
    from django.contrib.auth import get_user_model

    clerk = get_user_model().objects.get(username="jingban")
    applicant = {
        "applicant_type": "natural_person",
        "applicant_name": "刘洋",
        "id_document_type": "resident_id",
        "id_document_number": "110101199001011237",
        "phone": "13800000000",
        "description": "某培训学校的办学许可审查材料",
        "delivery_form": "electronic",
        "delivery_channel": "email",
    }
    app = application_submit(
        agency=Agency.objects.get(code="demo-edu"),
        channel="in_person",
        applicant=applicant,
        submitted_on=date(2025, 3, 3),
        handed_in_on=date(2025, 3, 3),
        registered_by=clerk,
        today=date(2025, 3, 3),
    ).application
    application_transition(
        application=app,
        action="start_processing",
        actor=clerk,
        actor_roles={"clerk"},
        fields={},
        today=date(2025, 3, 3),
    )
    return app


def _as(page, login, username):
    page.context.clear_cookies()
    login(username, DEMO_PASSWORD)


def _open(page, live_server, app):
    page.goto(f"{live_server.url}/work/applications/{app.pk}/")


def _act(page, action):
    page.click(f"[data-testid=action][data-action={action}]")
    expect(page.locator("form[data-testid=action-form]")).to_have_attribute("data-action", action)


def _submit(page):
    page.click("[data-testid=action-submit]")
    expect(page.locator(".messages")).to_contain_text("已")


def _due(page):
    due = page.locator("tr[data-testid=deadline][data-key=reply] [data-testid=deadline-due]").first
    expect(due).to_have_attribute("datetime", "2025-03-31")


def test_a_refusal_is_returned_by_the_legality_review_redrafted_passed_and_signed(
    case, page, live_server, login, monkeypatch
):
    monkeypatch.setattr(localtime, "local_today", lambda: date(2025, 3, 10))
    _as(page, login, "jingban")
    _open(page, live_server, case)
    expect(page.locator("[data-testid=action][data-action=submit_reply_for_sign_off]")).to_have_count(1)
    _act(page, "submit_reply_for_review")
    page.select_option("#id_outcome_code", "withheld_third_party")
    expect(page.locator("#id_legal_basis")).not_to_have_value("")
    _submit(page)
    expect(page.locator("[data-testid=state]")).to_have_text("答复待法制审核")
    _due(page)

    # the reviewer reads the draft, cannot sign, returns it with the reason
    _as(page, login, "fazhi")
    _open(page, live_server, case)
    expect(page.locator("[data-testid=action][data-action=sign_off_reply]")).to_have_count(0)
    _act(page, "return_from_review")
    expect(page.locator("[data-testid=pending-reply]")).to_contain_text("第三方")
    page.click("[data-testid=action-submit]")  # no reason: refused
    expect(page.locator("form[data-testid=action-form]")).to_contain_text("退回意见")
    page.fill("#id_comment", "未写明第三方不同意公开的理由及其依据")
    _submit(page)
    expect(page.locator("[data-testid=state]")).to_have_text("办理中")
    expect(page.locator("body")).to_contain_text("未写明第三方不同意公开的理由及其依据")

    # redrafted and submitted again; the review passes: the office head's turn
    _as(page, login, "jingban")
    _open(page, live_server, case)
    _act(page, "submit_reply_for_review")
    page.select_option("#id_outcome_code", "withheld_third_party")
    expect(page.locator("#id_legal_basis")).not_to_have_value("")
    page.fill("#id_legal_basis", "《中华人民共和国政府信息公开条例》第十五条、第三十二条；第三方书面不同意公开")
    _submit(page)
    _as(page, login, "fazhi")
    _open(page, live_server, case)
    _act(page, "pass_legal_review")
    page.fill("#id_comment", "同意")
    _submit(page)
    expect(page.locator("[data-testid=state]")).to_have_text("答复待签发")
    _due(page)

    _as(page, login, "zhuren")
    _open(page, live_server, case)
    _act(page, "sign_off_reply")
    _submit(page)
    expect(page.locator("[data-testid=state]")).to_have_text("答复待局领导签发")
    _as(page, login, "lingdao")
    _open(page, live_server, case)
    _act(page, "sign_off_reply")
    _submit(page)
    expect(page.locator("[data-testid=state]")).to_have_text("答复已签发待送达")
    _due(page)

    steps = list(CaseEvent.objects.filter(application=case).order_by("seq").values_list("action", "actor_label"))
    assert steps[2:] == [
        ("submit_reply_for_review", "张敏"),
        ("return_from_review", "孙丽"),
        ("submit_reply_for_review", "张敏"),
        ("pass_legal_review", "孙丽"),
        ("sign_off_reply", "李华"),
        ("sign_off_reply", "王强"),
    ]
    app = Application.objects.get(pk=case.pk)
    assert (app.state, app.pending_outcome, app.reply_due) == (
        "reply_signed",
        "withheld_third_party",
        date(2025, 3, 31),
    )
