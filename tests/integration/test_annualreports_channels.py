"""The other channels in the annual report's workspace: the figures gathered from the proposals and
work-order registers, the suggested sentences beside 一、总体情况 (inserted only when the clerk
chooses), the checklist points with the figures, and the warnings when the prose quotes a figure
the register contradicts."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import Workbook

from gongkai.accounts.models import Agency
from gongkai.annualreports import selectors, services
from gongkai.annualreports.channel_figures import _publicity_figures, channel_figures
from gongkai.annualreports.models import ReportVersion
from gongkai.demo.accounts import seed_demo
from gongkai.domain.annual_report.channels import HOTLINE, MAILBOX
from gongkai.proposals import selectors as proposal_selectors
from gongkai.proposals import services as proposal_services
from gongkai.workorders import selectors as order_selectors
from gongkai.workorders import services as order_services
from gongkai.workorders.models import WorkOrder

pytestmark = pytest.mark.django_db

YEAR = 2026
TODAY = date(2026, 12, 18)
HEAD = ["工单编号", "受理时间", "诉求类型", "诉求标题", "诉求内容", "承办单位"]


@pytest.fixture
def people():
    seed_demo()
    User = get_user_model()
    return {u: User.objects.get(username=u) for u in ("jingban", "zhuren", "lingdao")}


@pytest.fixture
def edu(people):
    return Agency.objects.get(code="demo-edu")


def _proposal(edu, people, number, kind="suggestion", *, reply=False, feedback="", publish=False):
    clerk, leader = people["jingban"], people["lingdao"]
    p = proposal_services.proposal_register(
        agency=edu,
        actor=clerk,
        today=TODAY,
        kind=kind,
        number=number,
        author="王建国",
        delegation="城关镇代表团",
        title=f"关于第{number}号事项的建议",
        lead_unit="示范区教育局",
        co_units="",
        assigned_on=date(2026, 3, 20),
    )

    def act(p, action, user, **fields):
        return proposal_services.proposal_act(proposal=p, action=action, actor=user, today=TODAY, fields=fields)

    if reply:
        p = act(p, "accept", clerk)
        p = act(p, "contact", clerk, contact_on=date(2026, 4, 1), contact_way="phone", summary="电话沟通")
        p = act(p, "submit_reply", clerk, category="A", reply_text="答复正文。")
        p = act(p, "sign", leader, replied_on=date(2026, 6, 1))
    if feedback:
        p = act(p, "feedback", clerk, satisfaction=feedback, feedback_on=date(2026, 6, 10))
    if publish:
        p = act(p, "publish", clerk)
    return p


def _orders(edu, people, rows, platform="12345", head=HEAD):
    wb = Workbook()
    ws = wb.active
    ws.append(head)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    batch = order_services.batch_upload(
        agency=edu, actor=people["jingban"], platform=platform, filename="sheet.xlsx", content=out.getvalue()
    )
    order_services.batch_confirm(batch=batch, actor=people["jingban"], today=TODAY)


def _reply_all(people, platform="12345"):
    for o in WorkOrder.objects.filter(platform=platform):
        o = order_services.order_act(
            order=o, action="assign", actor=people["jingban"], today=TODAY, fields={"unit": "基础教育股"}
        )
        order_services.order_act(
            order=o,
            action="reply",
            actor=people["jingban"],
            today=TODAY,
            fields={"reply_text": "已答复", "replied_on": o.received_on},
        )


@pytest.fixture
def registers(edu, people):
    _proposal(edu, people, "0101", reply=True, feedback="satisfied", publish=True)
    _proposal(edu, people, "0102", reply=True, feedback="basically_satisfied")
    _proposal(edu, people, "0103")
    _proposal(edu, people, "0201", kind="proposal", reply=True, publish=True)
    _proposal(edu, people, "0301", kind="proposal").__class__.objects.filter(number="0301").update(year=2025)
    _orders(edu, people, [[f"GD{n:03d}", f"2026-06-{n:02d} 09:00", "咨询", "入学", "问入学", ""] for n in range(1, 4)])
    mailbox = ["编号", "来信日期", "类型", "主题", "内容", "承办单位"]
    _orders(edu, people, [["XX001", "2026-05-06", "建议", "延长开放时间", "", ""]], platform="mailbox", head=mailbox)
    _reply_all(people)
    return edu


def test_the_registers_give_the_years_figures(registers):
    kinds = proposal_selectors.report_figures(agency=registers, year=YEAR)
    assert kinds["suggestion"] == proposal_selectors.KindFigures(3, 2, 1, 2, 2)
    assert kinds["proposal"] == proposal_selectors.KindFigures(1, 1, 1, 0, 0)  # 0301 is of 2025
    assert proposal_selectors.report_figures(agency=registers, year=2024) == {}
    orders = order_selectors.report_figures(agency=registers, year=YEAR)
    assert list(orders) == ["12345", "mailbox"]  # the platforms' order; 民心网 had none
    assert (orders["12345"].received, orders["12345"].replied, orders["12345"].on_time) == (3, 3, 3)
    assert (orders["mailbox"].received, orders["mailbox"].replied) == (1, 0)

    f = channel_figures(agency=registers, year=YEAR)
    assert (f.suggestions.handled, f.suggestions.published, f.proposals.handled) == (3, 1, 1)
    assert [(w.platform, w.noun, w.received) for w in f.work_orders] == [(HOTLINE, "工单", 3), (MAILBOX, "来信", 1)]
    assert f.publicity is None and _publicity_figures(registers, YEAR) is None  # nothing recorded in publicity


def _open(edu, people):
    return services.report_open(agency=edu, year=YEAR, actor=people["jingban"], actor_roles={"clerk"}, today=TODAY)


def test_the_workspace_offers_the_sentences_beside_overview_even_before_the_tables_are_complete(registers, people):
    report = _open(registers, people)
    ws = selectors.workspace(report, roles={"clerk"}, today=TODAY)
    assert ws.incomplete  # table 二's yearly figures not entered: no table sentence, the channels' still
    overview = next(s for s in ws.sections if s.key == "overview")
    texts = {sg.key: sg.text for _i, sg in overview.suggestions}
    assert texts["proposals"] == (
        "本年度共办理人大代表建议3件、政协委员提案1件，已答复3件，在政府信息公开专栏公开答复复文2件，"
        "收到代表委员反馈意见2件，满意和基本满意率100%。"
    )
    assert texts["work_orders"] == (
        "本年度收到12345政务服务便民热线工单3件，回复3件，回复率100%，按时回复率100%；"
        "收到局长信箱来信1件，回复0件，回复率0%，按时回复率0%。"
    )
    other = next(s for s in ws.sections if s.key == "other")
    assert [sg.key for _i, sg in other.suggestions] == ["proposals_other"]
    points = {i.point: i for i in overview.checklist}
    assert "收到12345政务服务便民热线工单3件" in points["政务热线和网上平台工单办理情况"].figures
    assert not points["建议提案办理和复文公开情况"].covered
    # nothing was written into the report by offering
    assert ReportVersion.objects.get(pk=report.current_version_id).sections == {}


def test_the_clerk_inserts_a_channel_sentence_without_javascript(registers, people, client, monkeypatch):
    from gongkai import localtime

    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    report = _open(registers, people)
    ws = selectors.workspace(report, roles={"clerk"}, today=TODAY)
    overview = next(s for s in ws.sections if s.key == "overview")
    index, sentence = next((i, sg) for i, sg in overview.suggestions if sg.key == "work_orders")
    client.force_login(people["jingban"])
    page = client.get(reverse("annualreports:staff_year", args=[YEAR]))
    assert "根据数据生成的建议语句" in page.content.decode() and "据工单登记" in page.content.decode()
    response = client.post(
        reverse("annualreports:staff_sections", args=[YEAR]),
        {"overview": "我局已写的开头。", "problems": "", "other": "", "insert": str(index)},
    )
    assert response.status_code == 302
    saved = ReportVersion.objects.get(pk=report.current_version_id).sections
    assert saved["overview"] == "我局已写的开头。\n" + sentence.text
    ws = selectors.workspace(selectors.report_for(registers, YEAR), roles={"clerk"}, today=TODAY)
    points = {i.point: i for i in next(s for s in ws.sections if s.key == "overview").checklist}
    assert points["政务热线和网上平台工单办理情况"].covered and ws.register_warnings == []


def test_a_figure_the_register_contradicts_is_a_warning_naming_both_and_does_not_block(registers, people, client):
    report = _open(registers, people)
    prose = "本年度共办理人大代表建议5件、政协委员提案1件。收到12345政务服务便民热线工单13件，回复13件，回复率100%。"
    services.report_save_sections(
        report=report, sections={"overview": prose}, actor=people["jingban"], actor_roles={"clerk"}
    )
    ws = selectors.workspace(selectors.report_for(registers, YEAR), roles={"clerk"}, today=TODAY)
    assert [p.message for p in ws.register_warnings] == [
        "正文称“本年度共办理人大代表建议5件”，而建议提案办理登记中本年度人大代表建议办理3件",
        "正文称“收到12345政务服务便民热线工单13件”，而工单登记中本年度12345政务服务便民热线收到工单3件",
        "正文称“回复13件”，而工单登记中本年度12345政务服务便民热线回复3件",
    ]
    assert ws.readiness.register_warnings and not any("登记" in b for b in ws.readiness.blockers())
    assert ws.prose_problems == []  # the tables' problems stay apart
    client.force_login(people["jingban"])
    html = client.get(reverse("annualreports:staff_year", args=[YEAR])).content.decode()
    assert 'data-testid="register-warnings"' in html and "收到工单3件" in html


def test_an_agency_without_the_registers_gets_no_channel_sentence_or_point(edu, people):
    report = _open(edu, people)
    ws = selectors.workspace(report, roles={"clerk"}, today=TODAY)
    assert all(not s.suggestions for s in ws.sections)  # tables incomplete, no register figures
    points = {i.point for s in ws.sections for i in s.checklist}
    assert "政务热线和网上平台工单办理情况" not in points and "建议提案办理和复文公开情况" not in points


def test_the_public_column_links_the_replies_section_from_its_menu(registers, client):
    home = client.get("/xxgk/").content.decode()
    assert home.count('href="/xxgk/jianyitian/"') == 2  # the entry and the menu
    guide = client.get(reverse("disclosure:public_guide")).content.decode()
    assert 'data-testid="nav-jianyitian"' in guide
    listing = client.get("/xxgk/jianyitian/").content.decode()
    assert 'href="/xxgk/jianyitian/" data-testid="nav-jianyitian" class="active" aria-current="page"' in listing
    assert listing.count('data-testid="public-reply"') == 2  # 0101 and 0201 were published


def test_new_media_and_conferences_reach_the_report_only_as_whole_year_figures(edu, people):
    from gongkai.domain.annual_report.channels import channel_suggestions
    from gongkai.publicity import services as publicity_services

    clerk = people["jingban"]
    wechat = publicity_services.account_save(agency=edu, actor=clerk, platform="wechat", name="示范区教育")
    weibo = publicity_services.account_save(agency=edu, actor=clerk, platform="weibo", name="示范区教育发布")
    for month in range(1, 13):  # the WeChat account's whole year, December included
        publicity_services.figures_record(
            account=wechat,
            actor=clerk,
            month=date(YEAR, month, 1),
            posts=30,
            followers=1000 + month,
            reads=None,
            today=TODAY,
        )
    for month in range(1, 12):  # the Weibo account's year without December
        publicity_services.figures_record(
            account=weibo, actor=clerk, month=date(YEAR, month, 1), posts=5, followers=400, reads=None, today=TODAY
        )
    publicity_services.briefing_save(
        agency=edu,
        actor=clerk,
        today=TODAY,
        kind="press",
        held_on=date(YEAR, 8, 25),
        topic="秋季学期开学工作",
        speakers=[("李华", "办公室主任")],
    )
    f = _publicity_figures(edu, YEAR)
    by_kind = {m.kind: m for m in f.media}
    assert (by_kind["wechat"].posts, by_kind["wechat"].followers) == (360, 1012)
    # eleven months are not 全年, and November's followers are not 年末's: no figure rather than a short one
    assert (by_kind["weibo"].posts, by_kind["weibo"].followers) == (None, None)
    assert (f.press_conferences, f.policy_briefings, f.concerns_answered) == (1, 0, 0)
    texts = " ".join(s.text for s in channel_suggestions(channel_figures(agency=edu, year=YEAR)))
    assert "全年发布360条" in texts and "年末关注人数1012人" in texts
    assert "召开新闻发布会1场" in texts and "55条" not in texts
