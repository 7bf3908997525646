"""Suggestions and proposals of the demo year for 示范区教育局, made through the services.

:func:`seed_proposals` does nothing when the demo agency already has some. Otherwise it registers
the items the 示范区 people's congress and CPPCC assigned after their spring sessions of 2026 and
takes each as far as its story goes: one replied (A), the deputy satisfied and the reply published;
one replied (B) and published, its feedback awaited; one that went to a second handling after a
不满意; one awaiting the leader's signature; one still in hand (overdue, to show the marking); one
just assigned. A step dated after ``today`` is not taken, so the demo stays true on any day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Agency
from gongkai.demo.backdate import Appended, Backdater
from gongkai.domain.errors import DomainError
from gongkai.proposals import services
from gongkai.proposals.models import ContactRecord, Proposal, ProposalEvent

DEMO_AGENCY_CODE = "demo-edu"


@dataclass(frozen=True)
class Item:
    kind: str
    number: str
    author: str
    delegation: str
    title: str
    text: str
    assigned_on: date
    co_units: str = ""
    urgent: bool = False
    # the moves to take, in order: (action, date, fields); the date is also "today" for the move
    steps: tuple[tuple[str, date, dict], ...] = field(default_factory=tuple)


def _contact(on: date, way: str, summary: str):
    return ("contact", on, {"contact_on": on, "contact_way": way, "summary": summary})


def _reply(on: date, category: str, body: str, co: str = ""):
    fields = {"category": category, "reply_text": body}
    if co:
        fields["co_opinions"] = co
    return ("submit_reply", on, fields)


def _sign(on: date):
    return ("sign", on, {"replied_on": on, "comment": "同意"})


ITEMS: tuple[Item, ...] = (
    Item(
        "suggestion",
        "0112",
        "王建国",
        "城关镇代表团",
        "关于增加城区学校课后服务供给的建议",
        "城区部分小学课后服务时段短、内容少，建议延长服务时间并引入素质拓展课程。",
        date(2026, 3, 20),
        co_units="示范区财政局",
        steps=(
            ("accept", date(2026, 3, 23), {}),
            _contact(date(2026, 4, 8), "visit", "到王建国代表所在社区走访，听取对课后服务时段和课程的具体意见。"),
            _reply(
                date(2026, 5, 26),
                "A",
                "王建国代表：\n　　您提出的《关于增加城区学校课后服务供给的建议》（第0112号建议）收悉。现答复如下：\n"
                "　　自2026年秋季学期起，城区12所小学课后服务延长至18:00，新增科技、体育、艺术类课程46门，所需经费已纳入区级预算。\n"
                "　　感谢您对我们工作的关心和支持。\n　　联系人：李明，联系电话：0000-12345678\n示范区教育局",
                "示范区财政局：同意将课后服务补助经费纳入2026年预算。",
            ),
            _sign(date(2026, 5, 29)),
            ("feedback", date(2026, 6, 10), {"satisfaction": "satisfied", "feedback_on": date(2026, 6, 10)}),
            ("publish", date(2026, 6, 15), {}),
        ),
    ),
    Item(
        "proposal",
        "0057",
        "陈秀兰",
        "教育界",
        "关于加强农村学校心理健康教师配备的提案",
        "农村学校专职心理健康教师不足，建议通过招聘和培训加以补充。",
        date(2026, 3, 25),
        steps=(
            ("accept", date(2026, 3, 26), {}),
            _contact(date(2026, 4, 15), "phone", "电话联系陈秀兰委员，说明心理健康教师配备现状和招聘计划。"),
            _reply(
                date(2026, 6, 5),
                "B",
                "陈秀兰委员：\n　　您提出的《关于加强农村学校心理健康教师配备的提案》（第0057号提案）收悉。现答复如下：\n"
                "　　2026年已招聘专职心理健康教师8名，计划在2027年实现农村中心校专职心理教师全覆盖。\n"
                "　　感谢您对我们工作的关心和支持。\n示范区教育局",
            ),
            _sign(date(2026, 6, 12)),
            ("publish", date(2026, 6, 20), {}),
        ),
    ),
    Item(
        "suggestion",
        "0131",
        "赵志强",
        "新区代表团",
        "关于解决新区学校学位紧张问题的建议",
        "新区入学人数增长快，现有学校学位不足。",
        date(2026, 3, 20),
        steps=(
            ("accept", date(2026, 3, 23), {}),
            _contact(date(2026, 4, 20), "meeting", "邀请赵志强代表参加新区学位供给座谈会。"),
            _reply(
                date(2026, 6, 1),
                "C",
                "赵志强代表：\n　　您提出的《关于解决新区学校学位紧张问题的建议》收悉。受用地条件限制，新建学校暂时无法启动，"
                "我局将通过调整招生片区缓解学位压力。\n示范区教育局",
            ),
            _sign(date(2026, 6, 5)),
            (
                "rehandle",
                date(2026, 6, 18),
                {"feedback_on": date(2026, 6, 18), "comment": "认为调整片区不能根本解决问题，希望明确新建学校时间表。"},
            ),
            _contact(date(2026, 7, 2), "visit", "局领导带队走访赵志强代表，通报与自然资源部门协调用地的进展。"),
        ),
    ),
    Item(
        "proposal",
        "0083",
        "刘芳",
        "妇联界",
        "关于规范校外培训机构收费的提案",
        "部分校外培训机构预收费过高，建议加强资金监管。",
        date(2026, 4, 2),
        co_units="示范区市场监督管理局",
        steps=(
            ("accept", date(2026, 4, 3), {}),
            _contact(date(2026, 5, 6), "letter", "书面征求刘芳委员对预收费监管办法的意见。"),
            _reply(
                date(2026, 6, 25),
                "A",
                "刘芳委员：\n　　您提出的《关于规范校外培训机构收费的提案》收悉。我局已会同市场监管部门实行预收费资金专户监管。\n示范区教育局",
                "示范区市场监督管理局：已联合开展收费专项检查。",
            ),
        ),
    ),
    Item(
        "suggestion",
        "0145",
        "孙丽",
        "城关镇代表团",
        "关于改善学校周边交通安全的建议",
        "上下学时段校门口拥堵，存在安全隐患。",
        date(2026, 4, 10),
        co_units="示范区公安分局交警大队",
        steps=(("accept", date(2026, 4, 13), {}),),
    ),
    Item(
        "proposal",
        "0102",
        "周明",
        "无党派人士",
        "关于推进中小学食堂“明厨亮灶”的提案",
        "建议所有中小学食堂接入视频监控平台。",
        date(2026, 11, 20),
        urgent=True,
    ),
)


def seed_proposals(today: date | None = None) -> int:
    """Register the demo items for 示范区教育局 unless it already has some; returns how many were made."""
    today = today or timezone.localdate()
    agency = Agency.objects.filter(code=DEMO_AGENCY_CODE).first()
    if agency is None:
        raise DomainError("尚未创建演示机关“示范区教育局”，请先运行 manage.py seed_demo")
    if Proposal.objects.filter(agency=agency).exists():
        return 0
    users = get_user_model().objects
    clerk, leader = users.get(username="jingban"), users.get(username="lingdao")
    # the moves' timestamps are set to the day each step happened (the demo plays them all today)
    stamps = Backdater(
        Appended(ProposalEvent.objects, "pk", "at"),
        Appended(ContactRecord.objects, "pk", "recorded_at"),
        Appended(Proposal.history, "history_id", "history_date"),
        every=7,
        within=480,
    )
    made = 0
    for item in ITEMS:
        if item.assigned_on > today:
            continue
        with transaction.atomic():
            proposal = services.proposal_register(
                agency=agency,
                actor=clerk,
                today=today,
                kind=item.kind,
                number=item.number,
                author=item.author,
                delegation=item.delegation,
                title=item.title,
                text=item.text,
                lead_unit=agency.name,
                co_units=item.co_units,
                assigned_on=item.assigned_on,
                urgent=item.urgent,
            )
            stamps.stamp(item.assigned_on, proposal, created=True)
            for action, on, fields in item.steps:
                if on > today:
                    break
                actor = leader if action == "sign" else clerk
                proposal = services.proposal_act(proposal=proposal, action=action, actor=actor, today=on, fields=fields)
                stamps.stamp(on, proposal)
        made += 1
    return made
