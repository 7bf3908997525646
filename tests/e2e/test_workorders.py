"""The clerk imports a 12345 sheet with a number already registered and a row the platform got
wrong, reads the preview (the duplicate skipped, the error in Chinese next to its row), confirms,
assigns an order to a unit, replies, records the rating, and exports the replies in the sheet's
layout. "Today" is frozen for the live server through ``gongkai.localtime.local_today``."""

import io
from datetime import date

from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from gongkai import localtime
from gongkai.workorders.models import WorkOrder

TODAY = date(2026, 7, 1)
HEAD = ["工单编号", "诉求类型", "受理时间", "诉求标题", "诉求内容", "承办单位"]  # a changed column order


def _sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(page, live_server, name, content):
    page.goto(f"{live_server.url}/work/workorders/import/")
    page.select_option("#id_platform", "12345")
    page.set_input_files("#id_file", {"name": name, "mimeType": "application/octet-stream", "buffer": content})
    page.click("[data-testid=import-submit]")


def test_import_preview_confirm_reply_and_export(demo, page, live_server, login, monkeypatch):
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    login("jingban")
    # a first sheet registers GD001
    _upload(
        page,
        live_server,
        "first.xlsx",
        _sheet([["GD001", "投诉", "2026-06-01 09:30", "学校周边施工噪音", "晚间施工", ""]]),
    )
    page.click("[data-testid=confirm-import]")
    expect(page.locator("[data-testid=workorder-row]")).to_have_count(1)

    # the next sheet repeats GD001, has a row with a wrong date, and a new order
    _upload(
        page,
        live_server,
        "second.xlsx",
        _sheet(
            [
                ["GD001", "投诉", "2026-06-01 09:30", "学校周边施工噪音", "晚间施工", ""],
                ["GD002", "咨询", "2026/6/29", "小学新生入学需要哪些材料", "问入学材料", ""],
                ["GD003", "建议", "六月", "建议延长图书馆开放时间", "", ""],
            ]
        ),
    )
    expect(page.locator("[data-testid=valid-count]")).to_have_text("1")
    expect(page.locator("[data-testid=duplicate-count]")).to_have_text("1")
    expect(page.locator("[data-testid=error-count]")).to_have_text("1")
    expect(page.locator("[data-testid=preview-row][data-line='2']")).to_have_attribute("data-status", "duplicate")
    bad = page.locator("[data-testid=preview-row][data-line='4']")
    expect(bad.locator("[data-testid=row-errors]")).to_contain_text("“受理时间”无法识别：“六月”")
    # 29 June 2026 (Monday) + 5 working days: 6 July
    expect(page.locator("[data-testid=preview-row][data-line='3'] td").nth(6)).to_have_text("2026-07-06")
    page.click("[data-testid=confirm-import]")
    expect(page.locator(".messages")).to_contain_text("已导入1件工单，重复1件已跳过（GD001），1行有错误未导入")
    assert WorkOrder.objects.count() == 2

    page.click("[data-testid=workorder-row][data-number=GD002] a")
    expect(page.locator("[data-testid=state]")).to_have_text("待分派")
    page.click("[data-testid=action-assign]")
    page.fill("#id_unit", "基础教育科")
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=state]")).to_have_text("办理中")
    page.click("[data-testid=action-reply]")
    page.fill("#id_reply_text", "入学需户口簿、房产证明和预防接种证明，详见教育局网站招生公告。")
    page.fill("#id_replied_on", "2026-06-30")
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=state]")).to_have_text("已答复")
    expect(page.locator("[data-testid=on-time]")).to_have_text("按时答复")
    page.click("[data-testid=action-rate]")
    page.check("input[name=rating][value=satisfied]")
    page.fill("#id_rated_on", "2026-07-01")
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=state]")).to_have_text("已办结")
    expect(page.locator("[data-testid=rating]")).to_contain_text("满意")

    page.goto(f"{live_server.url}/work/workorders/statistics/?by=platform")
    expect(page.locator("[data-testid=sentence]")).to_contain_text("收到工单2件，回复1件，回复率50%")

    page.goto(f"{live_server.url}/work/workorders/")
    with page.expect_download() as info:
        page.click("[data-testid=export-12345]")
    ws = load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).active
    rows = list(ws.values)
    assert list(rows[0]) == HEAD + ["答复内容", "答复时间", "办理状态"]
    assert rows[1][0] == "GD002" and rows[1][7] == "2026-06-30" and rows[1][8] == "已办结"
