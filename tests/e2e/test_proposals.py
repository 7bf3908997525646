"""The clerk registers a deputy's suggestion, records a talk with him, drafts the reply letter with
its category; the leader signs it; the clerk records the feedback and publishes the reply, which
the public finds in the column's 建议提案复文公开 with the mobile number masked. "Today" is frozen
for the live server through ``gongkai.localtime.local_today``."""

from datetime import date

from playwright.sync_api import expect

from gongkai import localtime
from gongkai.proposals.models import Proposal

TODAY = date(2026, 7, 1)


def test_register_reply_sign_publish_and_find_it_in_the_column(demo, page, live_server, login, monkeypatch):
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    login("jingban")
    page.goto(f"{live_server.url}/work/proposals/")
    page.click("[data-testid=register-link]")
    page.select_option("#id_kind", "suggestion")
    page.fill("#id_number", "0112")
    page.fill("#id_author", "王建国")
    page.fill("#id_delegation", "城关镇代表团")
    page.fill("#id_title", "关于增加城区学校课后服务供给的建议")
    page.fill("#id_lead_unit", "示范区教育局")
    page.fill("#id_co_units", "示范区财政局")
    page.fill("#id_assigned_on", "2026-11-30")
    page.click("[data-testid=proposal-submit]")
    expect(page.locator("[data-testid=error-assigned_on]")).to_contain_text("不能晚于今天")
    page.fill("#id_assigned_on", "2026-03-31")
    page.click("[data-testid=proposal-submit]")
    # three calendar months; June has no 31st: its last day
    expect(page.locator("[data-testid=due-on]")).to_have_text("2026-06-30")
    expect(page.locator("[data-testid=state]")).to_have_text("已交办")
    expect(page.locator("[data-testid=deadline]")).to_have_text("已逾期1日")

    page.click("[data-testid=action-accept]")
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=state]")).to_have_text("办理中")
    page.click("[data-testid=action-contact]")
    page.fill("#id_contact_on", "2026-04-10")
    page.select_option("#id_contact_way", "visit")
    page.fill("#id_summary", "走访王建国代表，听取意见。")
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=contact-row]")).to_have_count(1)

    page.click("[data-testid=action-submit_reply]")
    page.check("input[name=category][value=A]")
    page.fill("#id_reply_text", "王建国代表：\n课后服务已延长至18:00。联系电话13812345678。\n示范区教育局")
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=state]")).to_have_text("答复待签发")
    expect(page.locator("[data-testid=action-sign]")).to_have_count(0)  # the clerk does not sign

    page.context.clear_cookies()
    login("lingdao")
    page.goto(f"{live_server.url}/work/proposals/")
    page.click("text=关于增加城区学校课后服务供给的建议")
    page.click("[data-testid=action-sign]")
    page.fill("#id_replied_on", "2026-06-28")
    page.check("#id_confirm_irreversible")
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=state]")).to_have_text("已答复")
    expect(page.locator("[data-testid=category]")).to_have_text("A 已解决或采纳")

    page.context.clear_cookies()
    login("jingban")
    proposal = Proposal.objects.get(number="0112")
    page.goto(f"{live_server.url}/work/proposals/{proposal.pk}/")
    page.click("[data-testid=action-feedback]")
    page.check("input[name=satisfaction][value=satisfied]")
    page.fill("#id_feedback_on", "2026-06-30")
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=satisfaction]")).to_contain_text("满意")
    page.click("[data-testid=action-publish]")
    page.check("#id_confirm_irreversible")
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=publication]")).to_contain_text("已公开")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/xxgk/")
    page.click("text=建议提案复文公开")
    expect(page.locator("[data-testid=public-reply]")).to_have_count(1)
    page.click("[data-testid=public-reply] a")
    text = page.locator("[data-testid=public-reply-text]")
    expect(text).to_contain_text("138****5678")
    expect(text).not_to_contain_text("13812345678")
    expect(page.locator("[data-testid=public-reply-detail]")).to_contain_text("王建国")
