"""The clerk registers a review arising from an application, concludes it as 维持, and sees table 四
on the register's list count it. "Today" is frozen for the live server through ``gongkai.localtime.local_today``."""

from datetime import date

from playwright.sync_api import expect

from gongkai import localtime
from gongkai.accounts.models import Agency
from gongkai.applications.services import application_submit
from gongkai.litigation.models import ReviewCase
from tests.integration.signing import reply_and_issue

TODAY = date(2026, 11, 23)


def _cell(page, key: str):
    return page.locator(f"[data-testid=table4] [data-testid=cell][data-key={key}]")


def test_the_clerk_registers_a_review_concludes_it_and_table_4_counts_it(demo, page, live_server, login, monkeypatch):
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    app = application_submit(
        agency=Agency.objects.get(code="demo-edu"),
        channel="in_person",
        submitted_on=date(2026, 3, 2),
        handed_in_on=date(2026, 3, 2),
        today=date(2026, 3, 2),
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
    ).application
    login("jingban")
    page.goto(f"{live_server.url}/work/reviews/")
    expect(_cell(page, "review_total")).to_have_text("0")

    page.click("[data-testid=register-link]")
    page.select_option("#id_kind", "review")
    page.fill("#id_filed_on", "2026-05-06")
    page.fill("#id_body", "示范区人民政府")
    page.fill("#id_application_number", "YSQ-2026-999999")
    page.click("[data-testid=review-submit]")
    expect(page.locator("[data-testid=error-application_number]")).to_have_text(
        "本机关没有编号为YSQ-2026-999999的政府信息公开申请"
    )
    expect(page.locator("#id_body")).to_have_value("示范区人民政府")  # what was typed is kept
    page.fill("#id_application_number", app.tracking_number)
    page.click("[data-testid=review-submit]")
    expect(page.locator("[data-testid=result]")).to_have_text("尚未审结")
    expect(page.locator("[data-testid=applicant-name]")).to_have_text("刘洋")  # taken from the application
    expect(page.locator("[data-testid=application-link]")).to_have_text(app.tracking_number)

    page.click("[data-testid=conclude-link]")
    page.check("input[name=result][value=maintained]")
    page.fill("#id_concluded_on", "2026-06-30")
    page.click("[data-testid=conclude-submit]")
    expect(page.locator("[data-testid=error-confirm]")).to_be_visible()  # confirmation first
    page.check("#id_confirm")
    page.click("[data-testid=conclude-submit]")
    expect(page.locator("[data-testid=result]")).to_have_text("维持")
    assert ReviewCase.objects.get().result == "maintained"

    page.click("nav.subnav >> text=复议诉讼登记簿")
    expect(_cell(page, "review_maintained")).to_have_text("1")
    expect(_cell(page, "review_pending")).to_have_text("0")
    expect(_cell(page, "review_total")).to_have_text("1")
    expect(page.locator("[data-testid=review-row]")).to_have_count(1)


def test_a_correction_ordering_a_new_reply_reopens_the_application_with_its_own_deadline(
    demo, page, live_server, login, monkeypatch
):
    from django.contrib.auth import get_user_model

    from gongkai.applications.models import Application
    from gongkai.applications.services import application_transition

    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    clerk = get_user_model().objects.get(username="jingban")
    app = application_submit(
        agency=Agency.objects.get(code="demo-edu"),
        channel="in_person",
        submitted_on=date(2026, 3, 2),
        handed_in_on=date(2026, 3, 2),
        today=date(2026, 3, 2),
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
    ).application
    application_transition(
        application=app,
        action="start_processing",
        actor=clerk,
        actor_roles={"clerk"},
        today=date(2026, 3, 3),
        fields={},
    )
    app.refresh_from_db()
    # written without sign-off (已主动公开), then issued: the reply date is the issue's
    reply_and_issue(
        app, clerk=clerk, outcome_code="already_public", legal_basis="第三十六条（一）", on=date(2026, 3, 10)
    )
    login("jingban")
    page.goto(f"{live_server.url}/work/reviews/new/")
    page.select_option("#id_kind", "review")
    page.fill("#id_filed_on", "2026-04-01")
    page.fill("#id_body", "示范区人民政府")
    page.fill("#id_application_number", app.tracking_number)
    page.fill("#id_copy_received_on", "2026-04-03")
    page.click("[data-testid=review-submit]")
    # the written answer: 04-03 + 10 days = Mon 04-13; the page says the days are calendar days
    deadline = page.locator("[data-testid=answer-deadline]")
    expect(deadline).to_have_attribute("data-due", "2026-04-13")
    expect(deadline).to_contain_text("不是工作日")

    page.click("[data-testid=conclude-link]")
    page.check("input[name=result][value=corrected]")
    page.fill("#id_concluded_on", "2026-05-29")
    page.fill("#id_correction_note", "撤销原答复，责令重新答复")
    page.check("#id_re_reply_ordered")
    page.fill("#id_decision_received_on", "2026-06-01")
    page.check("#id_confirm")
    page.click("[data-testid=conclude-submit]")
    expect(page.locator("[data-testid=result]")).to_have_text("纠正")
    # 20 working days from 06-01: 06-02..05 (4), 08..12 (9), 15..18 (13), 06-19 off, 22..26 (18), 29, 30 → 06-30
    expect(page.locator("[data-testid=re-reply]")).to_contain_text("2026年6月30日")
    page.click("[data-testid=re-reply] a")
    expect(page.locator("[data-testid=state]")).to_have_text("已收到")
    new = Application.objects.get(reopened_from=app)
    assert (new.received_on, new.reply_due) == (date(2026, 6, 1), date(2026, 6, 30))
