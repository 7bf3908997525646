"""An applicant, without an account, applies in the browser, keeps the receipt and looks the case up."""

import io
import re
from datetime import date

import pdfplumber
import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from gongkai import localtime
from gongkai.applications.models import Application
from gongkai.workcalendar.selectors import working_calendar

TODAY = date(2026, 3, 2)  # fixed: the due date is hand-checkable and needs no 2027 holiday notice


@pytest.fixture
def applicant_site(demo, monkeypatch, settings):
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    settings.GONGKAI_APPLY_RATE = "1000/h"
    settings.GONGKAI_LOOKUP_RATE = "1000/h"
    cache.clear()
    yield
    cache.clear()


def test_an_applicant_fixes_a_missing_phone_submits_keeps_the_receipt_and_looks_the_case_up(
    applicant_site, page, live_server
):
    page.goto(f"{live_server.url}/apply/")
    expect(page.locator("h1")).to_have_text("政府信息公开申请")
    page.get_by_label("自然人").check()
    page.fill("#id_applicant_name", "陈静")
    page.select_option("#id_id_document_type", "resident_id")
    page.fill("#id_id_document_number", "11010519491231002X")
    page.fill("#id_email", "chenjing@example.com")
    page.fill("#id_address", "示范区学府路8号")
    page.fill("#id_description", "2025年示范区中小学课后服务收费标准及其批准文件")
    page.fill("#id_document_number_hint", "示教发〔2025〕12号")
    page.get_by_label("电子文档").check()
    page.get_by_label("电子邮件").check()
    page.click("#submit-button")

    # the phone is missing: told so beside the field, everything else is still there
    expect(page.locator("#field-phone .field-error")).to_have_text("请填写联系电话")
    expect(page.locator("#error-summary")).to_contain_text("1处需要修改")
    expect(page.locator("#id_applicant_name")).to_have_value("陈静")
    expect(page.locator("#id_id_document_number")).to_have_value("11010519491231002X")
    expect(page.locator("#id_description")).to_have_value("2025年示范区中小学课后服务收费标准及其批准文件")
    expect(page.locator("#id_document_number_hint")).to_have_value("示教发〔2025〕12号")
    expect(page.get_by_label("电子邮件")).to_be_checked()
    assert Application.objects.count() == 0

    page.fill("#id_phone", "13912345678")
    page.click("#submit-button")

    expect(page).to_have_url(re.compile(r"/apply/receipt/YSQ-2026-\d{6}/$"))
    number = page.locator("#tracking-number").inner_text()
    code = page.locator("#query-code").inner_text()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", code)
    expect(page.locator("#code-warning")).to_contain_text("请立即记下查询码")
    due = working_calendar().add_working_days(TODAY, 20)
    due_text = f"{due.year}年{due.month}月{due.day}日"
    expect(page.locator("#received-on")).to_contain_text("2026年3月2日")
    expect(page.locator("#reply-due")).to_contain_text(due_text)
    app = Application.objects.get()
    assert app.tracking_number == number and app.reply_due == due

    with page.expect_download() as download_info:
        page.click("#receipt-pdf")
    download = download_info.value
    assert download.suggested_filename.endswith(f"{number}.pdf")
    data = open(download.path(), "rb").read()
    assert data.startswith(b"%PDF-")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert number in text and code in text

    # later, in a fresh browser session: number + code
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/apply/status/")
    page.fill("#id_number", number)
    page.fill("#id_code", "WRONGCDE")
    page.click(".lookup button[type=submit]")  # the page also has the column's search box
    expect(page.locator("#lookup-problem")).to_have_text("申请编号或查询码不正确")
    expect(page.locator("#id_number")).to_have_value(number)
    page.fill("#id_code", code.lower())
    page.click(".lookup button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/apply/status/{number}/$"))
    expect(page.locator("#state-label")).to_have_text("已收到")
    expect(page.locator("#deadline-reply .due")).to_have_text(due_text)
    expect(page.locator("#deadline-reply")).to_contain_text("还剩20个工作日")
    expect(page.locator("#summary-name")).to_have_text("陈静")


def test_the_form_offers_only_the_channels_that_can_carry_the_chosen_form(applicant_site, page, live_server):
    page.goto(f"{live_server.url}/apply/")
    email, post, pickup, online = (page.get_by_label(n) for n in ("电子邮件", "邮寄", "当面领取", "网上获取"))
    page.get_by_label("电子文档").check()
    email.check()
    page.get_by_label("纸质").check()  # paper cannot come by e-mail: hidden, and no longer chosen
    expect(email).to_be_hidden()
    expect(online).to_be_hidden()
    expect(email).not_to_be_checked()
    expect(post).to_be_visible()
    expect(pickup).to_be_visible()
    page.get_by_label("当场查阅、抄录").check()  # only at the office: chosen for the applicant
    expect(pickup).to_be_checked()
    expect(post).to_be_hidden()
    page.get_by_label("电子文档").check()
    expect(email).to_be_visible()
    expect(pickup).to_be_hidden()
