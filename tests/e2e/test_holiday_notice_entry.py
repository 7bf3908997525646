"""The office head enters the 2027 holiday notice in the web admin; provisional dates become firm at once."""

from datetime import date

from playwright.sync_api import expect


def _fill_notice(page, makeup_day: str):
    page.fill("#id_year", "2027")
    page.fill("#id_title", "国务院办公厅关于2027年部分节假日安排的通知")
    page.fill("#id_doc_no", "国办发明电〔2026〕9号")
    page.fill("#id_periods-0-name", "元旦")
    page.fill("#id_periods-0-start", "2027-01-01")
    page.fill("#id_periods-0-end", "2027-01-03")
    page.fill("#id_periods-1-name", "春节")
    page.fill("#id_periods-1-start", "2027-02-06")
    page.fill("#id_periods-1-end", "2027-02-14")
    page.fill("#id_makeup_workdays-0-date", makeup_day)
    page.fill("#id_makeup_workdays-0-name", "春节")


def _december_case():
    from django.contrib.auth import get_user_model

    from gongkai.accounts.models import Agency
    from gongkai.applications.services import application_submit

    applicant = {
        "applicant_type": "natural_person",
        "applicant_name": "十二月申请人",
        "id_document_type": "resident_id",
        "id_document_number": "110101199001011237",
        "phone": "13800000000",
        "description": "校舍维修项目清单",
        "delivery_form": "electronic",
        "delivery_channel": "email",
    }
    return application_submit(
        agency=Agency.objects.get(code="demo-edu"),
        channel="in_person",
        applicant=applicant,
        submitted_on=date(2026, 12, 4),
        handed_in_on=date(2026, 12, 4),
        registered_by=get_user_model().objects.get(username="jingban"),
        today=date(2026, 12, 4),
    ).application


def test_a_weekday_make_up_day_is_refused_then_a_valid_notice_makes_the_dates_firm(demo, page, live_server, login):
    app = _december_case()
    assert app.reply_due_provisional
    login("zhuren")
    page.goto(f"{live_server.url}/work/?start=2026-12-10&working_days=20&convention=A")
    expect(page.get_by_test_id("calendar-warning")).to_contain_text("尚未录入2027年节假日安排")
    expect(page.get_by_test_id("deadline-result").get_by_test_id("provisional")).to_have_text("预计")
    page.goto(f"{live_server.url}/work/applications/")
    row = page.locator(f'[data-testid=case-row][data-tracking="{app.tracking_number}"]')
    expect(row.get_by_test_id("provisional")).to_have_text("预计")

    page.goto(f"{live_server.url}/work/?start=2026-12-10&working_days=20&convention=A")

    page.get_by_test_id("calendar-warning").get_by_role("link", name="现在录入").click()
    _fill_notice(page, "2027-02-22")  # a Monday: not a make-up day
    page.click("input[name=_save]")
    expect(page.locator(".errorlist").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("调休上班日应为周六或周日")

    # nothing was saved; correct the day and save
    page.fill("#id_makeup_workdays-0-date", "2027-02-20")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("2027年节假日安排")
    expect(page.locator(".messagelist")).to_contain_text("1件申请的答复期限有变化")

    page.goto(f"{live_server.url}/work/?start=2026-12-10&working_days=20&convention=A")
    expect(page.get_by_test_id("deadline-result")).to_contain_text("2027年1月8日")
    expect(page.get_by_test_id("provisional")).to_have_count(0)
    expect(page.get_by_test_id("calendar-warning")).to_have_count(0)

    # the moved date is listed for the office head, and the work list shows it firm
    page.goto(f"{live_server.url}/work/applications/deadline-changes/")
    change = page.locator(f'[data-testid=deadline-change][data-id="{app.pk}"]')
    expect(change).to_contain_text("（预计）")
    expect(change.get_by_test_id("new-due")).not_to_contain_text("预计")
    page.goto(f"{live_server.url}/work/applications/")
    row = page.locator(f'[data-testid=case-row][data-tracking="{app.tracking_number}"]')
    expect(row.get_by_test_id("provisional")).to_have_count(0)
