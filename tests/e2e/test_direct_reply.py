"""A reply that needs no signature (已主动公开, the demo agency's only unsigned outcome) walked in the
browser: written, its letter generated, issued by e-mail. Only the issue makes it 已答复 (issue 14).

Receipt Mon 2026-03-02 (in person): 20 working days → 2026-03-30 (no holiday in March 2026).
Written on 03-10, issued on 03-12: the reply date is 03-12, in time.
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from gongkai import localtime
from gongkai.accounts.models import Agency
from gongkai.applications.services import application_submit


@pytest.fixture
def today(monkeypatch):
    def _set(day: date):
        monkeypatch.setattr(localtime, "local_today", lambda: day)

    return _set


def _act(page, action: str):
    page.click(f"[data-testid=action][data-action={action}]")
    expect(page.locator("form[data-testid=action-form]")).to_have_attribute("data-action", action)


def _submit(page):
    page.click("[data-testid=action-submit]")
    expect(page.locator(".messages")).to_contain_text("已")


def test_a_reply_without_sign_off_is_written_then_issued_and_only_then_replied(demo, page, live_server, login, today):
    today(date(2026, 3, 2))
    clerk = get_user_model().objects.get(username="jingban")
    app = application_submit(
        agency=Agency.objects.get(code="demo-edu"),
        channel="in_person",
        applicant={
            "applicant_type": "natural_person",
            "applicant_name": "刘洋",
            "id_document_type": "resident_id",
            "id_document_number": "110101199001011237",
            "phone": "13800000000",
            "description": "2026年示范区义务教育招生划片方案",
            "delivery_form": "electronic",
            "delivery_channel": "email",
        },
        submitted_on=date(2026, 3, 2),
        handed_in_on=date(2026, 3, 2),
        registered_by=clerk,
        today=date(2026, 3, 2),
    ).application
    login("jingban")
    case = f"{live_server.url}/work/applications/{app.pk}/"

    today(date(2026, 3, 10))
    page.goto(case)
    _act(page, "start_processing")
    _submit(page)
    _act(page, "reply")
    page.select_option("#id_outcome_code", "already_public")
    expect(page.locator("#id_legal_basis")).to_have_value("第三十六条（一）")
    _submit(page)
    # written, not yet a reply: the office still has to issue it
    expect(page.locator("[data-testid=state]")).to_have_text("答复已作出待送达")

    today(date(2026, 3, 12))
    page.goto(f"{live_server.url}/work/applications/{app.pk}/letters/")
    page.locator("[data-testid=letter-need][data-kind=reply_already_public] [data-testid=generate]").click()
    expect(
        page.locator("[data-testid=letter-need][data-kind=reply_already_public] [data-testid=letter]")
    ).to_have_count(1)
    page.goto(case)
    _act(page, "issue_reply")
    expect(page.locator("[data-testid=reply-letter]")).to_contain_text(app.tracking_number)
    expect(page.locator("#id_replied_on")).to_have_value("2026-03-12")
    page.select_option("#id_issued_via", "email")
    page.check("#id_confirm_irreversible")
    _submit(page)
    expect(page.locator("[data-testid=state]")).to_have_text("已答复")
    row = page.locator("tr[data-testid=deadline][data-key=reply]").first
    expect(row.locator("[data-testid=deadline-due]")).to_have_attribute("datetime", "2026-03-30")
    expect(row).to_have_attribute("data-status", "met")
