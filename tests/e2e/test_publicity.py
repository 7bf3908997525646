"""The clerk registers the bureau's WeChat account, imports a sheet of monthly figures (its columns in
another order, a month already recorded, a row with a wrong month) through the preview, records a
press conference whose speakers explain a policy and its 政策解读 from the register, and a visitor
finds it in the column's 新闻发布 with the documents linked. "Today" is frozen for the live server
through ``gongkai.localtime.local_today``."""

import io
from datetime import date

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from gongkai import localtime
from gongkai.demo.disclosure import seed_documents
from gongkai.disclosure.models import Document
from gongkai.publicity.models import MonthFigures

TODAY = date(2026, 11, 23)
HEAD = ["月份", "发布数", "账号名称", "阅读量", "粉丝数"]  # an office's own order and names


def _sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def register(demo):
    result = seed_documents(TODAY)
    assert result.skipped == []
    reading = Document.objects.filter(agency__code="demo-edu", is_public=True, interprets__isnull=False).order_by(
        "published_on", "pk"
    )[0]
    return reading, reading.interprets


def _upload(page, live_server, name, content):
    page.goto(f"{live_server.url}/work/publicity/import/")
    page.set_input_files("#id_file", {"name": name, "mimeType": "application/octet-stream", "buffer": content})
    page.click("[data-testid=import-submit]")


def test_clerk_imports_figures_and_records_a_press_conference_the_public_finds(
    register, page, live_server, login, monkeypatch
):
    reading, policy = register
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    login("jingban")
    page.goto(f"{live_server.url}/work/")
    page.click("text=新媒体与新闻发布")
    page.click("[data-testid=account-create]")
    page.select_option("#id_platform", "wechat")
    page.fill("#id_name", "示范区教育发布")
    page.fill("#id_url", "https://mp.weixin.qq.com/")
    page.click("[data-testid=account-submit]")
    expect(page.locator(".messages")).to_contain_text("已登记政务微信公众号“示范区教育发布”")

    # October entered by hand
    page.click("[data-testid=month-create]")
    page.fill("#id_month", "2026-10")
    page.fill("#id_posts", "36")
    page.fill("#id_followers", "131000")
    page.click("[data-testid=month-submit]")
    expect(page.locator("[data-testid=month-row][data-month='2026-10']")).to_contain_text("36")

    # the sheet repeats October with other figures, has September, and a row with a wrong month
    _upload(
        page,
        live_server,
        "新媒体10月.xlsx",
        _sheet(
            [
                ["2026年10月", 40, "示范区教育发布", 91000, "13.2万"],
                ["2026-09", 44, "示范区教育发布", 99000, 130500],
                ["九月", 44, "示范区教育发布", 99000, 130500],
            ]
        ),
    )
    expect(page.locator("[data-testid=valid-count]")).to_have_text("1")
    expect(page.locator("[data-testid=duplicate-count]")).to_have_text("1")
    expect(page.locator("[data-testid=error-count]")).to_have_text("1")
    dup = page.locator("[data-testid=preview-row][data-line='2']")
    expect(dup).to_have_attribute("data-status", "duplicate")
    expect(dup).to_contain_text("已登记的数据与表格不同：发布36条")
    expect(page.locator("[data-testid=preview-row][data-line='4'] [data-testid=row-errors]")).to_contain_text(
        "“月份”无法识别：“九月”"
    )
    page.click("[data-testid=confirm-import]")
    expect(page.locator(".messages")).to_contain_text(
        "已导入1行月度数据，已登记的1行未导入（示范区教育发布 2026年10月），1行有错误未导入"
    )
    assert MonthFigures.objects.get(month=date(2026, 10, 1)).posts == 36  # not overwritten
    assert MonthFigures.objects.get(month=date(2026, 9, 1)).followers == 130500

    page.click("[data-testid=statistics-link]")
    expect(page.locator("[data-testid=posts-chart] rect[data-month='9']")).to_have_attribute("data-value", "44")
    expect(
        page.locator("[data-testid=platform-stats][data-platform=wechat] [data-testid=platform-sentence]")
    ).to_contain_text("2026年发布80条，截至10月底关注/粉丝131000人")

    # the press conference, explaining a policy and its interpretation from the register
    page.click("[data-testid=briefings-link]")
    page.click("[data-testid=briefing-create]")
    page.check("input[name=kind][value=press]")
    page.fill("#id_held_on", "2026-11-20")
    page.fill("#id_topic", "义务教育招生入学政策新闻发布会")
    page.fill("#id_place", "示范区政府新闻发布厅")
    page.fill("#id_speaker_1_name", "王志强")
    page.fill("#id_speaker_1_post", "局党组书记、局长")
    page.fill("#id_speaker_2_name", "李红")
    page.click("[data-testid=briefing-submit]")
    expect(page.locator("[data-testid=error-speaker_2_post]")).to_have_text("请填写李红的职务")
    page.fill("#id_speaker_2_post", "基础教育科科长")
    page.check(f"input[name=documents][value='{policy.pk}']")
    page.check(f"input[name=documents][value='{reading.pk}']")
    page.click("[data-testid=briefing-submit]")
    expect(page.locator("[data-testid=speakers]")).to_have_text("局党组书记、局长王志强；基础教育科科长李红")
    expect(page.locator("[data-testid=briefing-document]")).to_have_count(2)

    # a visitor: the column's index leads to 新闻发布, the conference, its documents
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/xxgk/")
    page.click("text=新闻发布")
    item = page.locator("[data-testid=public-briefing]")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("新闻发布会：义务教育招生入学政策新闻发布会")
    item.locator("a").click()
    expect(page.locator("[data-testid=public-speakers]")).to_contain_text("局党组书记、局长王志强")
    docs = page.locator("[data-testid=public-briefing-documents] a")
    expect(docs).to_have_count(2)
    page.click(f"[data-testid=public-briefing-documents] a[href='/xxgk/documents/{reading.pk}/']")
    expect(page.locator("h1")).to_contain_text(reading.title)
