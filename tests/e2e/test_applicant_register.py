"""The applicant register and a forwarded application in the browser (issue 16 §4, §5): the clerk
registers a 12345 work order as an application, which keeps its origin (12345工单转来, the order's
number, received the day the order reached the office: 第三十一条); the applicant had the same
information answered before, so the case page flags a repeated request with the earlier case and
offers 不予处理：重复申请 without deciding; the fee notice's 本自然月累计申请序号 comes from the register
(109号: 同一申请人一个自然月内累计申请). "Today" is frozen for the live server."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from gongkai import localtime
from gongkai.accounts.models import Agency
from gongkai.applications.models import Application, CaseEvent
from gongkai.applications.services import application_transition
from gongkai.workorders.models import WorkOrder
from tests.factories import APPLICANT, submit_application

TODAY = date(2026, 3, 10)


def test_a_forwarded_12345_repeat_is_flagged_and_its_fee_counts_from_the_register(
    demo, page, live_server, login, monkeypatch
):
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    edu = Agency.objects.get(code="demo-edu")
    clerk = get_user_model().objects.get(username="jingban")
    # the applicant's earlier request, answered on 3 March; and nine more of theirs this March
    earlier = submit_application(agency=edu, registered_by=clerk, received=date(2026, 3, 2)).application
    application_transition(
        application=earlier,
        action="answer_on_the_spot",
        actor=clerk,
        actor_roles={"clerk"},
        fields={"outcome_code": "already_public", "legal_basis": "第三十六条（一）", "replied_on": date(2026, 3, 3)},
        today=date(2026, 3, 3),
    )
    for n in range(9):
        submit_application(
            agency=edu,
            registered_by=clerk,
            received=date(2026, 3, 4),
            applicant={**APPLICANT, "description": f"示范区第{n + 1}批校车安全检查记录"},
        )
    order = WorkOrder.objects.create(
        agency=edu,
        platform="12345",
        number="GD2026030009",
        category="consult",
        title="要求公开招生划片方案",
        content="请公开示范区2025年度义务教育阶段招生划片方案",
        received_at=datetime(2026, 3, 9, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
        received_on=date(2026, 3, 9),
        due_on=date(2026, 3, 16),
    )

    login("jingban")
    page.goto(f"{live_server.url}/work/workorders/{order.pk}/")
    page.click("[data-testid=to-application]")
    expect(page.locator("#id_reached_on")).to_have_value("2026-03-09")
    page.select_option("#id_channel", "oral")
    page.select_option("#id_applicant_type", APPLICANT["applicant_type"])
    page.fill("#id_applicant_name", APPLICANT["applicant_name"])
    page.select_option("#id_id_document_type", APPLICANT["id_document_type"])
    page.fill("#id_id_document_number", APPLICANT["id_document_number"])
    page.fill("#id_phone", APPLICANT["phone"])
    page.select_option("#id_delivery_form", APPLICANT["delivery_form"])
    page.select_option("#id_delivery_channel", APPLICANT["delivery_channel"])
    page.select_option("#id_identity_check", "unverified")
    page.click("[data-testid=to-application-submit]")
    expect(page.locator(".messages")).to_contain_text("申请记录中注明来自工单GD2026030009")
    app = Application.objects.get(intake__origin_reference="GD2026030009")
    assert app.received_on == date(2026, 3, 9)  # the day the order reached the office (第三十一条)

    # the case keeps its origin, and the repeat is flagged with the earlier case and its reply
    page.goto(f"{live_server.url}/work/applications/{app.pk}/")
    intake = page.locator("[data-testid=intake]")
    expect(intake).to_contain_text("12345工单转来")
    expect(intake).to_contain_text("GD2026030009")
    expect(intake).to_contain_text("2026-03-09")
    repeat = page.locator("[data-testid=repeat]")
    expect(repeat).to_have_count(1)
    expect(repeat).to_have_attribute("data-earlier", earlier.tracking_number)
    expect(repeat).to_contain_text("2026年3月3日答复：已主动公开")
    expect(page.locator("[data-testid=applicant-history] [data-testid=history-application]")).to_have_count(10)
    # the outcome is offered, not taken: the form opens with it chosen and the case stays as it was
    page.click("[data-testid=offer-duplicate]")
    expect(page.locator("#id_outcome_code")).to_have_value("duplicate")
    page.go_back()
    expect(page.locator("[data-testid=state]")).to_have_attribute("data-state", "received")

    # the clerk decides it is not the same request after all; at the fee notice the count is the register's
    application_transition(
        application=app, action="start_processing", actor=clerk, actor_roles={"clerk"}, fields={}, today=TODAY
    )
    page.goto(f"{live_server.url}/work/applications/{app.pk}/act/notify_fee/")
    expect(page.locator("[data-testid=fee-register-count]")).to_have_attribute("data-value", "11")
    page.select_option("#id_method", "per_application")  # the count left empty: the register's
    page.fill("#id_fee_sent_on", "2026-03-10")
    page.fill("#id_notice_received_on", "2026-03-10")
    page.click("[data-testid=fee-calculate]")
    expect(page.locator("[data-testid=fee-amount]")).to_have_attribute("data-value", "100")
    expect(page.locator("[data-testid=fee-explanation]")).to_contain_text("本自然月第11件申请")
    page.check("#id_confirm_irreversible")
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=state]")).to_have_attribute("data-state", "fee_notified")
    fee = CaseEvent.objects.filter(application=app, action="notify_fee").get()
    assert fee.fields["month_position"] == fee.fields["register_count"] == 11
