"""Issue 18's "done when": the clerk registers a CPPCC member's proposal, takes it through handling
(accepted, a talk with the member, the reply letter, the leader's signature), records the member's
feedback and publishes the reply; imports work orders from a 12345 sheet and answers one; then opens
the 2026 annual report and finds those figures in the suggested sentences of 一、总体情况, inserts
one (only when she chooses), sees the checklist covered, and is warned when the prose quotes a
figure the register contradicts.

"Today" is frozen for the live server through ``gongkai.localtime.local_today`` to a day of 2026
(the report year is the year of the figures, as the workspace of the year being written shows it),
so the test passes on any day the suite runs.
"""

import io
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from playwright.sync_api import expect

from gongkai import localtime
from gongkai.annualreports.models import AnnualReport, ReportVersion
from gongkai.proposals.models import Proposal

TODAY = date(2026, 12, 18)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
HEAD = ["工单编号", "诉求类型", "受理时间", "诉求标题", "诉求内容", "承办单位"]


def _sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _switch(page, login, username):
    page.context.clear_cookies()
    login(username)


def _handle_a_proposal(page, live_server, login):
    # registered as assigned (交办) by the government office, with its lead and co-units
    page.goto(f"{live_server.url}/work/proposals/")
    page.click("[data-testid=register-link]")
    page.select_option("#id_kind", "proposal")
    page.fill("#id_number", "0207")
    page.fill("#id_author", "李明")
    page.fill("#id_delegation", "教育界")
    page.fill("#id_title", "关于加强中小学心理健康教育的提案")
    page.fill("#id_lead_unit", "示范区教育局")
    page.fill("#id_co_units", "示范区卫生健康局")
    page.fill("#id_assigned_on", "2026-04-02")
    page.click("[data-testid=proposal-submit]")
    expect(page.locator("[data-testid=state]")).to_have_text("已交办")
    page.click("[data-testid=action-accept]")
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=state]")).to_have_text("办理中")
    page.click("[data-testid=action-contact]")
    page.fill("#id_contact_on", "2026-04-20")
    page.select_option("#id_contact_way", "visit")
    page.fill("#id_summary", "走访李明委员，听取意见。")
    page.click("[data-testid=action-submit]")
    page.click("[data-testid=action-submit_reply]")
    page.check("input[name=category][value=B]")
    page.fill("#id_reply_text", "李明委员：\n我局已将心理健康教育纳入年度计划。\n示范区教育局")
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=state]")).to_have_text("答复待签发")

    _switch(page, login, "lingdao")
    page.goto(f"{live_server.url}/work/proposals/")
    page.click("text=关于加强中小学心理健康教育的提案")
    page.click("[data-testid=action-sign]")
    page.fill("#id_replied_on", "2026-06-25")
    page.check("#id_confirm_irreversible")
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=state]")).to_have_text("已答复")

    _switch(page, login, "jingban")
    proposal = Proposal.objects.get(number="0207")
    page.goto(f"{live_server.url}/work/proposals/{proposal.pk}/")
    page.click("[data-testid=action-feedback]")
    page.check("input[name=satisfaction][value=basically_satisfied]")
    page.fill("#id_feedback_on", "2026-07-03")
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=satisfaction]")).to_contain_text("基本满意")
    page.click("[data-testid=action-publish]")
    page.check("#id_confirm_irreversible")
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=publication]")).to_contain_text("已公开")


def _import_work_orders(page, live_server):
    page.goto(f"{live_server.url}/work/workorders/import/")
    page.select_option("#id_platform", "12345")
    content = _sheet(
        [
            ["GD101", "咨询", "2026-09-01 09:30", "小学新生入学需要哪些材料", "问入学材料", ""],
            ["GD102", "投诉", "2026-09-14 15:00", "学校周边施工噪音", "晚间施工", ""],
        ]
    )
    page.set_input_files("#id_file", {"name": "12345.xlsx", "mimeType": "application/octet-stream", "buffer": content})
    page.click("[data-testid=import-submit]")
    expect(page.locator("[data-testid=valid-count]")).to_have_text("2")
    page.click("[data-testid=confirm-import]")
    expect(page.locator(".messages")).to_contain_text("已导入2件工单")
    page.click("[data-testid=workorder-row][data-number=GD101] a")
    page.click("[data-testid=action-assign]")
    page.fill("#id_unit", "基础教育股")
    page.click("[data-testid=action-submit]")
    page.click("[data-testid=action-reply]")
    page.fill("#id_reply_text", "入学需户口簿、房产证明和预防接种证明。")
    page.fill("#id_replied_on", "2026-09-02")
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=state]")).to_have_text("已答复")


def test_the_registers_figures_reach_the_2026_reports_suggested_sentences(demo, page, live_server, login, monkeypatch):
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    login("jingban")
    _handle_a_proposal(page, live_server, login)
    _import_work_orders(page, live_server)

    # the public column lists the published reply
    page.goto(f"{live_server.url}/xxgk/")
    page.click("[data-testid=nav-jianyitian]")
    expect(page.locator("[data-testid=public-reply]")).to_have_count(1)

    # the 2026 report: opened by the clerk, the sentences beside 一、总体情况
    page.goto(f"{live_server.url}/work/annual-reports/")
    page.locator("tr[data-testid=year-row][data-year='2026'] [data-testid=open-year]").click()
    expect(page.locator("[data-testid=report-title]")).to_have_text("示范区教育局2026年政府信息公开工作年度报告")
    overview = page.locator("[data-testid=section][data-section=overview]")
    proposals = overview.locator("[data-testid=suggestion][data-key=proposals]")
    expect(proposals).to_contain_text("本年度共办理政协委员提案1件，已答复1件，在政府信息公开专栏公开答复复文1件")
    expect(proposals).to_contain_text("满意和基本满意率100%")
    orders = overview.locator("[data-testid=suggestion][data-key=work_orders]")
    expect(orders).to_contain_text("收到12345政务服务便民热线工单2件，回复1件，回复率50%，按时回复率50%")
    expect(orders).to_contain_text("据工单登记")
    point = overview.locator("[data-testid=checklist-item][data-point=政务热线和网上平台工单办理情况]")
    expect(point).to_have_attribute("data-covered", "no")
    expect(point.locator("[data-testid=checklist-figures]")).to_contain_text("工单2件")
    other = page.locator("[data-testid=section][data-section=other]")
    expect(other.locator("[data-testid=suggestion][data-key=proposals_other]")).to_be_visible()

    # offering writes nothing: the text is the clerk's until she inserts and saves
    report = AnnualReport.objects.get(agency__code="demo-edu", year=2026)
    assert ReportVersion.objects.get(pk=report.current_version_id).sections == {}
    area = page.locator("textarea[data-section=overview]")
    area.fill("我局依托政府门户网站政府信息公开专栏做好平台建设。")
    orders.locator("[data-testid=insert]").click()
    expect(page.locator("[data-testid=unsaved]")).to_be_visible()
    assert "回复率50%" in area.input_value()
    page.click("[data-testid=save-prose]")
    expect(page.locator(".messages")).to_contain_text("正文已保存")
    point = page.locator(
        "[data-testid=section][data-section=overview] [data-testid=checklist-item][data-point=政务热线和网上平台工单办理情况]"
    )
    expect(point).to_have_attribute("data-covered", "yes")
    expect(page.locator("[data-testid=register-warnings]")).to_have_count(0)

    # a figure typed from elsewhere that the register contradicts: a warning naming both
    area = page.locator("textarea[data-section=overview]")
    area.fill(area.input_value() + "\n本年度共办理政协委员提案3件。")
    page.click("[data-testid=save-prose]")
    warning = page.locator("[data-testid=register-warning]")
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text("正文称“本年度共办理政协委员提案3件”")
    expect(warning).to_contain_text("建议提案办理登记中本年度政协委员提案办理1件")
    expect(warning).to_have_attribute("data-section", "overview")
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("[data-testid=section][data-section=overview]").screenshot(
        path=str(ARTIFACTS / "channels-overview.png")
    )
