"""The office head enters the 2027 holiday notice in the web admin; the calendar then counts into 2027."""

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


def test_a_weekday_make_up_day_is_refused_then_a_valid_notice_unlocks_2027(demo, page, live_server, login):
    login("zhuren")
    page.goto(f"{live_server.url}/work/?start=2026-12-10&working_days=20&convention=A")
    expect(page.get_by_test_id("calendar-warning")).to_contain_text("尚未录入2027年节假日安排")
    expect(page.get_by_test_id("deadline-error")).to_be_visible()

    page.get_by_test_id("calendar-warning").get_by_role("link", name="现在录入").click()
    _fill_notice(page, "2027-02-22")  # a Monday: not a make-up day
    page.click("input[name=_save]")
    expect(page.locator(".errorlist").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("调休上班日应为周六或周日")

    # nothing was saved; correct the day and save
    page.fill("#id_makeup_workdays-0-date", "2027-02-20")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("2027年节假日安排")

    page.goto(f"{live_server.url}/work/?start=2026-12-10&working_days=20&convention=A")
    expect(page.get_by_test_id("deadline-result")).to_contain_text("2027年1月8日")
    expect(page.get_by_test_id("calendar-warning")).to_have_count(0)
