"""One application walked through the browser, checking every reply deadline shown against dates
computed by hand on the official 2025 calendar (国办发明电〔2024〕12号).

Receipt 2025-09-01 (in person): day 0; 20 working days → 2025-09-28, a make-up working Sunday.
补正 on 2025-09-03 voids the clock; the corrected application on 2025-09-08 restarts it: 20
working days over the National Day / Mid-Autumn holiday (10-01 to 10-08) → 2025-10-11, a make-up
Saturday. The third party receives the letter on 2025-09-17: its 15 working days end 2025-10-14.
The consultation (letter sent 09-15, ended 09-26) pauses the reply clock for the 9 working days
(09-15, 09-26] → 2025-10-23. The extension approved on 2025-10-10 adds 20 working days →
2025-11-20. The reply signed off on 2025-11-14 meets it.

"Today" is frozen for the live server (same process) through ``gongkai.localtime.local_today``.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from gongkai import localtime
from gongkai.applications.models import Application


@pytest.fixture
def today(monkeypatch):
    def _set(day: date):
        monkeypatch.setattr(localtime, "local_today", lambda: day)

    return _set


def _deadline(page, key: str):
    return page.locator(f"tr[data-testid=deadline][data-key={key}]").first


def _expect_due(page, key: str, due: date):
    row = _deadline(page, key)
    expect(row.locator("[data-testid=deadline-due]")).to_have_attribute("datetime", due.isoformat())
    expect(row.locator("[data-testid=deadline-due]")).to_have_text(f"{due.year}年{due.month}月{due.day}日")


def _act(page, action: str):
    page.click(f"[data-testid=action][data-action={action}]")
    expect(page.locator("form[data-testid=action-form]")).to_have_attribute("data-action", action)


def _submit(page):
    page.click("[data-testid=action-submit]")
    expect(page.locator(".messages")).to_contain_text("已")


def _switch_user(page, login, username: str):
    page.context.clear_cookies()
    login(username)


def test_a_case_walks_from_receipt_to_signed_reply_with_every_shown_deadline_as_computed_by_hand(
    demo, page, live_server, login, today
):
    # 1. the clerk registers an application handed in on 2025-09-01
    today(date(2025, 9, 1))
    login("jingban")
    page.goto(f"{live_server.url}/work/applications/new/")
    page.select_option("#id_channel", "in_person")
    page.fill("#id_handed_in_on", "2025-09-01")
    page.select_option("#id_applicant_type", "natural_person")
    page.fill("#id_applicant_name", "刘洋")
    page.select_option("#id_id_document_type", "resident_id")
    page.fill("#id_id_document_number", "110101199001011237")
    page.fill("#id_phone", "13800000000")
    page.fill("#id_description", "2025年示范区义务教育招生划片方案及其制定说明")
    page.select_option("#id_delivery_form", "electronic")
    page.select_option("#id_delivery_channel", "email")
    page.click("[data-testid=register-submit]")
    expect(page.locator("[data-testid=registered]")).to_be_visible()
    number = page.locator("[data-testid=tracking-number]").inner_text().strip()
    assert len(page.locator("[data-testid=query-code]").inner_text().strip()) == 8
    page.click("[data-testid=open-case]")
    expect(page.locator("h1[data-testid=tracking-number]")).to_have_text(number)
    _expect_due(page, "reply", date(2025, 9, 28))
    expect(_deadline(page, "reply")).to_contain_text("调休上班日")

    # 2. 补正 requested on 2025-09-03, 10 working days: the reply clock is void
    today(date(2025, 9, 3))
    page.reload()
    _act(page, "request_correction")
    page.fill("#id_items", "请写明所需文件的名称或文号\n请写明获取信息的用途范围")
    expect(page.locator("#id_requested_on")).to_have_value("2025-09-03")
    page.fill("#id_period_working_days", "10")
    page.click("[data-testid=action-submit]")  # without confirming: refused
    expect(page.locator("[data-testid=error-confirm_irreversible]")).to_contain_text("不可撤销")
    page.check("#id_confirm_irreversible")
    _submit(page)
    expect(_deadline(page, "reply")).to_have_attribute("data-status", "void")
    expect(_deadline(page, "reply").locator("[data-testid=deadline-status]")).to_have_text("作废")

    # 3. the corrected application arrives on 2025-09-08: a new day 0
    today(date(2025, 9, 8))
    page.reload()
    _act(page, "receive_correction")
    page.fill("#id_received_on", "2025-09-08")
    _submit(page)
    _expect_due(page, "reply", date(2025, 10, 11))
    expect(_deadline(page, "reply")).to_contain_text("调休上班日")

    # 4. third-party consultation: letter sent 09-15, delivered 09-17; its window ends 10-14
    today(date(2025, 9, 17))
    page.reload()
    _act(page, "start_third_party_consultation")
    page.fill("#id_party", "某培训学校")
    page.fill("#id_sent_on", "2025-09-15")
    page.fill("#id_delivered_on", "2025-09-17")
    _submit(page)
    _expect_due(page, "consultation_reply", date(2025, 10, 14))
    expect(_deadline(page, "reply")).to_have_attribute("data-status", "paused")

    # 5. the consultation ends on 09-26: the paused working days are added
    today(date(2025, 9, 26))
    page.reload()
    _act(page, "end_consultation")
    expect(page.locator("#id_party")).to_have_value("某培训学校")
    page.fill("#id_ended_on", "2025-09-26")
    page.select_option("#id_response", "agreed")
    _submit(page)
    _expect_due(page, "reply", date(2025, 10, 23))
    expect(_deadline(page, "consultation_reply")).to_have_attribute("data-status", "met")

    # 6. the clerk asks for an extension; no approve button for the clerk
    today(date(2025, 10, 9))
    page.reload()
    _act(page, "request_extension")
    page.fill("#id_reason", "需调取历年招生档案并逐份审查")
    page.fill("#id_working_days", "20")
    _submit(page)
    expect(page.locator("[data-testid=action][data-action=approve_extension]")).to_have_count(0)
    _expect_due(page, "reply", date(2025, 10, 23))

    # 7. the office head approves it on 2025-10-10 from the approvals page
    today(date(2025, 10, 10))
    _switch_user(page, login, "zhuren")
    page.goto(f"{live_server.url}/work/applications/approvals/")
    row = page.locator("[data-testid=extension-row]").filter(has_text=number)
    expect(row).to_contain_text("需调取历年招生档案")
    row.locator("a[data-action=approve_extension]").click()
    expect(page.locator("#id_working_days")).to_have_value("20")
    expect(page.locator("#id_approved_on")).to_have_value("2025-10-10")
    page.check("#id_confirm_irreversible")
    _submit(page)
    _expect_due(page, "reply", date(2025, 11, 20))

    # 8. the clerk submits the reply for sign-off; the legal basis follows the outcome
    today(date(2025, 11, 13))
    _switch_user(page, login, "jingban")
    page.goto(f"{live_server.url}/work/applications/")
    page.click(f"text={number}")
    _act(page, "submit_reply_for_sign_off")
    page.select_option("#id_outcome_code", "disclosed")
    expect(page.locator("#id_legal_basis")).to_have_value("第三十六条（二）")
    _submit(page)
    expect(page.locator("[data-testid=state]")).to_have_text("答复待签发")

    # 9. the office head signs first (the agency's chain: office head, then leader), reading the letter itself
    _switch_user(page, login, "lingdao")
    page.goto(f"{live_server.url}/work/applications/approvals/")
    expect(page.locator("[data-testid=sign-off-row]").filter(has_text=number)).to_have_count(0)  # not yet the leader's
    _switch_user(page, login, "zhuren")
    page.goto(f"{live_server.url}/work/applications/approvals/")
    page.locator("[data-testid=sign-off-row]").filter(has_text=number).locator("a[data-action=sign_off_reply]").click()
    expect(page.locator("[data-testid=pending-reply]")).to_contain_text("予以公开")
    letter = page.locator("[data-testid=reply-letter]")
    expect(letter).to_contain_text(number)
    expect(letter).to_contain_text("行政复议")
    _submit(page)
    expect(page.locator("[data-testid=state]")).to_have_text("答复待局领导签发")

    # 10. the leader signs on 2025-11-14: signed, not yet replied
    today(date(2025, 11, 14))
    _switch_user(page, login, "lingdao")
    page.goto(f"{live_server.url}/work/applications/approvals/")
    page.locator("[data-testid=sign-off-row]").filter(has_text=number).locator("a[data-action=sign_off_reply]").click()
    expect(page.locator("[data-testid=reply-letter]")).to_contain_text(number)
    _submit(page)
    expect(page.locator("[data-testid=state]")).to_have_text("答复已签发待送达")

    # 11. the clerk generates the reply letter and issues it by post the same day: now 已答复
    _switch_user(page, login, "jingban")
    app = Application.objects.get(tracking_number=number)
    page.goto(f"{live_server.url}/work/applications/{app.pk}/letters/")
    page.locator("[data-testid=letter-need][data-kind=reply_granted] [data-testid=generate]").click()
    expect(page.locator("[data-testid=letter-need][data-kind=reply_granted] [data-testid=letter]")).to_have_count(1)
    page.goto(f"{live_server.url}/work/applications/{app.pk}/")
    _act(page, "issue_reply")
    expect(page.locator("#id_replied_on")).to_have_value("2025-11-14")
    page.select_option("#id_issued_via", "post")
    page.check("#id_confirm_irreversible")
    _submit(page)
    expect(page.locator("[data-testid=state]")).to_have_text("已答复")
    _expect_due(page, "reply", date(2025, 11, 20))
    expect(_deadline(page, "reply")).to_have_attribute("data-status", "met")
    expect(_deadline(page, "reply").locator("[data-testid=deadline-status]")).to_have_text("按期")
    expect(page.locator("[data-testid=history-row]").first).to_be_visible()

    app = Application.objects.get(tracking_number=number)
    assert (app.state, app.outcome_code, app.reply_due, app.reply_status) == (
        "replied",
        "disclosed",
        date(2025, 11, 20),
        "met",
    )
