"""Delivery and archiving walked in the browser (issue 16 §3, §6): the reply is issued, its service by
EMS recorded with the served date, the 送达回证 printed (downloaded as Word), the case filed and its
package opened: the index first, then the documents in order, with their checksums.

Receipt Mon 2026-03-02 (in person); reply written 03-10, issued and posted 03-12, served 03-16.
"""

import hashlib
import io
import zipfile
from datetime import date
from pathlib import Path

import docx
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


def _download(page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    return Path(info.value.path()).read_bytes()


def test_the_reply_is_served_by_ems_its_return_receipt_printed_and_the_case_filed(
    demo, page, live_server, login, today
):
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
            "address": "示范区人民路1号",
            "description": "2026年示范区义务教育招生划片方案",
            "delivery_form": "paper",
            "delivery_channel": "post",
        },
        submitted_on=date(2026, 3, 2),
        handed_in_on=date(2026, 3, 2),
        registered_by=clerk,
        today=date(2026, 3, 2),
    ).application
    login("jingban")
    case = f"{live_server.url}/work/applications/{app.pk}/"

    # the reply: written, its letter generated, issued by post
    today(date(2026, 3, 10))
    page.goto(case)
    _act(page, "start_processing")
    _submit(page)
    _act(page, "reply")
    page.select_option("#id_outcome_code", "already_public")
    _submit(page)
    today(date(2026, 3, 12))
    page.goto(f"{live_server.url}/work/applications/{app.pk}/letters/")
    page.locator("[data-testid=letter-need][data-kind=reply_already_public] [data-testid=generate]").click()
    expect(
        page.locator("[data-testid=letter-need][data-kind=reply_already_public] [data-testid=letter]")
    ).to_have_count(1)
    page.goto(case)
    _act(page, "issue_reply")
    page.select_option("#id_issued_via", "post")
    page.check("#id_confirm_irreversible")
    _submit(page)
    expect(page.locator("[data-testid=state]")).to_have_text("已答复")

    # delivery by EMS: the tracking number is required and checked
    page.click("[data-testid=delivery-link]")
    form = page.locator("form[data-testid=delivery-form]")
    form.locator("#id_method").select_option("ems")
    form.locator("#id_sent_on").fill("2026-03-12")
    form.locator("#id_tracking_number").fill("EA123456786CN")
    page.click("[data-testid=delivery-submit]")
    expect(page.locator("[data-testid=error-tracking_number]")).to_contain_text("校验位不正确")
    form.locator("#id_tracking_number").fill("EA123456785CN")
    form.locator("#id_address").fill("示范区人民路1号")
    page.click("[data-testid=delivery-submit]")
    record = page.locator("[data-testid=delivery-record][data-method=ems]")
    expect(record.locator("[data-testid=served-on]")).to_contain_text("待登记送达日期")

    # the post office reports the item delivered on Monday 03-16
    today(date(2026, 3, 16))
    page.goto(f"{case}delivery/")
    served = page.locator("form[data-testid=served-form]")
    served.locator("input[name=served_on]").fill("2026-03-16")
    served.locator("input[name=signed_by]").fill("刘洋")
    served.locator("button").click()
    expect(record.locator("[data-testid=served-on]")).to_have_text("2026年3月16日")

    # the 送达回证, printed from Word: the case, the document and its number, the addressee, the method
    data = _download(page, "[data-testid=return-receipt]")
    cells = [c.text for t in docx.Document(io.BytesIO(data)).tables for r in t.rows for c in r.cells]
    for expected in (
        app.tracking_number,
        "答复书（已主动公开）",
        "刘洋",
        "邮政EMS",
        "EA123456785CN",
        "受送达人（签名或盖章）",
    ):
        assert any(expected in c for c in cells), expected
    # a tracking printout as its proof
    proof_form = page.locator("form[data-testid=proof-form]")
    proof_form.locator("select[name=kind]").select_option("tracking")
    proof_form.locator("input[type=file]").set_input_files(
        {"name": "EMS妥投.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% tracking printout\n"}
    )
    proof_form.locator("button").click()
    expect(page.locator("[data-testid=proof]")).to_have_text("邮件查询记录（妥投证明）")

    # the case log shows the delivery
    page.goto(case)
    expect(page.locator("[data-testid=event-action]").filter(has_text="登记送达日期")).to_have_count(1)

    # filed, and the package opened
    page.goto(f"{case}delivery/")
    page.click("[data-testid=archive-submit]")
    expect(page.locator("[data-testid=archived]")).to_contain_text("保管至2036年12月31日")
    package = zipfile.ZipFile(io.BytesIO(_download(page, "[data-testid=archive-package]")))
    names = package.namelist()
    assert names[0] == "00-卷内目录及案卷.pdf" and package.read(names[0]).startswith(b"%PDF-")
    assert names[1:-1] == [
        "01-政府信息公开申请（登记内容）.pdf",
        "02-政府信息公开申请回执.pdf",
        "03-答复书（已主动公开）（生成稿，未上传签章版）.docx",
        "04-答复书（已主动公开）送达凭证：邮件查询记录（妥投证明）.pdf",
        "05-办理记录.pdf",
    ]
    sums = dict(line.split("  ")[::-1] for line in package.read("SHA256SUMS.txt").decode().splitlines())
    for name in names[1:-1]:
        assert sums[name] == hashlib.sha256(package.read(name)).hexdigest()
    assert (
        package.read("04-答复书（已主动公开）送达凭证：邮件查询记录（妥投证明）.pdf")
        == b"%PDF-1.4\n% tracking printout\n"
    )
