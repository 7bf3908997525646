"""Routing to units (承办) in the browser: the office assigns a case to two units; one returns it as
不属于本单位, the other signs for it and answers with a file and a 拟办意见; the office's case page
shows both answers and the case log each step. "Today" is frozen for the live server."""

from datetime import date

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from gongkai import localtime
from gongkai.accounts.models import Agency
from gongkai.applications.models import Assignment
from tests.factories import submit_application

RECEIVED = date(2026, 9, 15)  # the reply is due 19 October 2026
TODAY = date(2026, 9, 22)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_assign_to_two_units_one_returns_one_answers_the_office_sees_both(
    demo, page, live_server, login, monkeypatch, tmp_path
):
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    edu = Agency.objects.get(code="demo-edu")
    clerk = get_user_model().objects.get(username="jingban")
    app = submit_application(agency=edu, registered_by=clerk, received=RECEIVED).application

    login("jingban")
    page.goto(f"{live_server.url}/work/applications/{app.pk}/")
    page.click("[data-testid=assign-link]")
    page.check("label:has-text('基础教育股') input")
    page.check("label:has-text('计划财务股') input")
    page.fill("#id_due", "2026-10-19")  # the statutory deadline itself: refused
    page.click("[data-testid=assign-submit]")
    expect(page.locator("[data-testid=form-errors]")).to_contain_text("最晚为2026年10月16日")
    page.fill("#id_due", "")
    page.fill("#id_instructions", "请查找2026年招生划片方案")
    page.get_by_label("计划财务股承办事项").fill("第2项：划片方案的制定依据")  # 分项交办
    page.click("[data-testid=assign-submit]")
    rows = page.locator("[data-testid=routing] [data-testid=assignment]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("2026年10月13日")  # 10 working days, before 19 October

    page.context.clear_cookies()
    login("chengban1")
    page.goto(f"{live_server.url}/work/applications/units/")
    page.click(f"text={app.tracking_number}")
    expect(page.locator("[data-testid=internal-due]")).to_have_text("2026年10月13日")
    expect(page.locator("body")).not_to_contain_text(app.id_document_number)
    page.click("[data-testid=action][data-action=return_to_office]")
    page.check("input[name=return_kind][value=not_ours]")
    page.fill("#id_reason", "招生划片方案由计划财务股牵头制定")
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=assignment-state]").first).to_have_text("已退回")

    page.context.clear_cookies()
    login("chengban2")
    page.goto(f"{live_server.url}/work/applications/units/")
    page.click(f"text={app.tracking_number}")
    expect(page.locator("[data-testid=assignment-part]")).to_have_text("第2项：划片方案的制定依据")
    page.click("[data-testid=action][data-action=accept]")
    page.click("[data-testid=action-submit]")
    page.click("[data-testid=action][data-action=answer]")
    page.select_option("#id_proposed_outcome", "disclosed")
    page.fill("#id_opinion", "本股制作并保存该方案，建议予以公开")
    pdf = tmp_path / "划片方案.pdf"
    pdf.write_bytes(PDF)
    page.set_input_files("#id_material", str(pdf))
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=assignment-state]").first).to_have_text("已提交承办意见")

    page.context.clear_cookies()
    login("jingban")
    page.goto(f"{live_server.url}/work/applications/{app.pk}/")
    routing = page.locator("[data-testid=routing]")
    expect(routing.locator("[data-unit=基础教育股]")).to_contain_text("不属于本单位：招生划片方案由计划财务股牵头制定")
    expect(routing.locator("[data-unit=计划财务股]")).to_contain_text("予以公开：本股制作并保存该方案，建议予以公开")
    expect(routing.locator("[data-unit=计划财务股]")).to_contain_text("划片方案.pdf")
    expect(routing.locator("[data-unit=计划财务股] [data-testid=assignment-part]")).to_have_text(
        "第2项：划片方案的制定依据"
    )
    expect(routing.locator("[data-unit=基础教育股] [data-testid=assignment-part]")).to_have_text("全部")
    log = page.locator("[data-testid=event-action]")
    expect(log).to_have_text(
        ["提交申请", "交办承办单位", "交办承办单位", "承办单位退回办公室", "承办单位签收", "承办单位提交承办意见"]
    )
    expect(page.locator("[data-testid=state]")).to_have_text("已收到")  # the units moved nothing
    assert sorted(Assignment.objects.values_list("state", flat=True)) == ["answered", "returned"]
