"""A realistic year of applications for the demo agency 示范区教育局, made through the services.

:func:`seed_applications` (``manage.py seed_applications``; ``seed_demo`` calls it) does nothing
when the demo agency already has applications. Otherwise it plays about seventy cases through
``services.application_submit`` and ``services.application_transition``, every move dated the
day it would have happened (the services check each one with the domain table and clocks):

- received from 2026-01-05 to ``today``, plus a handful received in December 2025 and carried
  into 2026 (so 上年结转 is not zero);
- every state of the procedure, open ones placed relative to ``today`` so that some are fresh,
  some due within 3 working days and some overdue; every outcome code;
- 补正, third-party and co-producer consultations, an extension approved and one refused, fees
  paid and unpaid, replies signed off (one returned first), 第三十五条 questions, on-the-spot
  answers, a withdrawal before and after receipt;
- applicants of all six types with made-up but well-formed data: 18-character resident identity
  numbers and unified social credit codes with valid check characters.

Letters are generated for concluded cases and their notices, and the generated file is kept as
the signed version of the reply, so the applicant's status page has a final letter to show.

Timestamps that the database sets to "now" (submitted_at, the log's recorded_at, the history's
history_date, updated_at) are moved back to the day of each move, so the demo reads like a year
of work. That is the only write here that does not go through a service, and only the demo does it.

Any day of the year works as ``today``: a deadline running into a year whose holiday notice is not
yet entered is provisional (预计), like in real use. A scenario the rules refuse is skipped whole, in
its own transaction, and reported.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Agency
from gongkai.accounts.selectors import review_policy_for
from gongkai.applications import letters, services
from gongkai.applications.models import Application, CaseEvent, DeliveryChannel, DeliveryForm, IdDocument, Letter
from gongkai.demo.backdate import Appended, Backdater, aware
from gongkai.domain.applications.delivery import DELIVERY_PAIRS
from gongkai.domain.applications.review import ReviewPolicy
from gongkai.domain.applications.workflow import State
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.errors import DomainError
from gongkai.domain.outcomes import outcome
from gongkai.workcalendar.selectors import working_calendar

DEMO_AGENCY_CODE = "demo-edu"
YEAR_START = date(2026, 1, 5)

# -- made-up applicants --------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(area: str, born: date, sequence: int) -> str:
    """An 18-character resident identity number with its GB 11643 check character."""
    body = f"{area}{born:%Y%m%d}{sequence:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS)) % 11]


def credit_code(prefix: str, area: str, org: str) -> str:
    """A unified social credit code (GB 32100): 2-character prefix, area, organisation code with its
    own check character, and the overall check character."""
    org_check = 11 - sum(int(c, 36) * w for c, w in zip(org, _ORG_WEIGHTS)) % 11
    body = f"{prefix}{area}{org}{ {10: 'X', 11: '0'}.get(org_check, str(org_check)) }"
    check = 31 - sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(body, _CREDIT_WEIGHTS)) % 31
    return body + _CREDIT_ALPHABET[0 if check == 31 else check]


def _person(name: str, area: str, born: date, seq: int, phone: str, address: str, **kw: Any) -> dict[str, Any]:
    return {
        "applicant_type": "natural_person",
        "applicant_name": name,
        "id_document_type": IdDocument.RESIDENT_ID,
        "id_document_number": resident_id(area, born, seq),
        "phone": phone,
        "address": address,
        "postcode": "100000",
        **kw,
    }


def _org(
    kind: str, name: str, contact: str, prefix: str, org: str, phone: str, address: str, **kw: Any
) -> dict[str, Any]:
    return {
        "applicant_type": kind,
        "applicant_name": name,
        "contact_person": contact,
        "id_document_type": IdDocument.CREDIT_CODE,
        "id_document_number": credit_code(prefix, "110199", org),
        "phone": phone,
        "address": address,
        "postcode": "100000",
        **kw,
    }


APPLICANTS: dict[str, dict[str, Any]] = {
    "liu": _person(
        "刘洋",
        "110101",
        date(1988, 3, 14),
        231,
        "13801234567",
        "示范区朝阳路12号院3号楼2单元401",
        email="liuyang88@example.cn",
    ),
    "chen": _person("陈静", "110105", date(1990, 7, 2), 462, "13911112222", "示范区和平里街道安居小区5号楼"),
    "wang": _person("王建国", "130102", date(1975, 11, 20), 113, "13700001111", "示范区新华街道光明路8号"),
    "li": _person(
        "李娜",
        "110108",
        date(1986, 1, 9),
        248,
        "13612345678",
        "示范区学院路街道清华东路6号",
        email="lina_parent@example.cn",
    ),
    "zhang": _person("张伟", "370102", date(1982, 5, 30), 175, "15012345678", "示范区东湖街道湖滨花园9号楼"),
    "zhao": _person("赵磊", "110106", date(1993, 9, 17), 359, "18611223344", "示范区丰台路街道幸福里3号"),
    "sun": _person("孙丽", "320102", date(1985, 12, 1), 524, "13522334455", "示范区南苑街道南苑路66号"),
    "zheng": _person(
        "郑浩", "110102", date(1979, 4, 8), 417, "13333445566", "示范区西城街道金融街2号", email="zhenghao@example.cn"
    ),
    "huang": _person("黄蕾", "440305", date(1991, 6, 25), 286, "13855667788", "示范区科技园街道创新路1号"),
    "he": _person("何军", "510104", date(1970, 2, 14), 331, "13966778899", "示范区城关街道老街15号"),
    "qihang": _org(
        "commercial_enterprise",
        "示范区启航教育咨询有限公司",
        "周明",
        "91",
        "MA01ABC2",
        "010-62001234",
        "示范区中关村大街27号",
        email="office@qihang.example.cn",
    ),
    "mingde": _org(
        "commercial_enterprise",
        "示范区明德建筑工程有限公司",
        "吴刚",
        "91",
        "MA02XYR7",
        "010-63005678",
        "示范区建设路100号",
    ),
    "xingguang": _org(
        "commercial_enterprise", "星光校服制造有限公司", "钱芳", "91", "MA03KLM5", "010-64007788", "示范区工业园区8号"
    ),
    "jiaoyuyuan": _org(
        "research_institution",
        "首都师范大学教育政策研究中心",
        "冯教授",
        "12",
        "40000123",
        "010-68901234",
        "示范区西三环北路105号",
        email="policy@cnu.example.cn",
    ),
    "shekeyuan": _org(
        "research_institution", "示范区社会科学院", "卫研究员", "12", "40000456", "010-68905678", "示范区文化路9号"
    ),
    "liushou": _org(
        "public_interest_org",
        "示范区关爱留守儿童协会",
        "蒋志愿",
        "51",
        "50000789",
        "010-65001122",
        "示范区民政服务中心3层",
    ),
    "jijinhui": _org(
        "public_interest_org",
        "示范区青少年发展基金会",
        "沈秘书长",
        "53",
        "50000321",
        "010-65003344",
        "示范区团结路20号",
    ),
    "zhengyan": _org(
        "legal_service_org",
        "示范区正言律师事务所",
        "韩律师",
        "31",
        "30000654",
        "010-66001234",
        "示范区法院街18号",
        email="hanlawyer@zhengyan.example.cn",
    ),
    "mingli": _org(
        "legal_service_org", "明理律师事务所", "杨律师", "31", "30000987", "010-66005678", "示范区长安街88号"
    ),
    "jiawei": _org(
        "other_org", "示范区实验小学家长委员会", "朱主任", "Y1", "70000111", "13811119999", "示范区实验小学"
    ),
    "juweihui": _org(
        "other_org", "示范区光明社区居民委员会", "秦主任", "Y1", "70000222", "010-67001234", "示范区光明社区服务站"
    ),
}

TOPICS: dict[str, str] = {
    "enrolment_zones": "2026年示范区义务教育阶段小学招生划片范围及各学校学区划分方案",
    "middle_school_plan": "示范区第一中学2026年初一新生招生计划及录取结果统计",
    "after_school_fees": "2025年秋季学期中小学课后服务收费标准及其制定依据",
    "teacher_hiring": "示范区2026年公开招聘中小学教师的岗位设置、报名人数及拟聘用人员名单",
    "repair_project": "示范区第三小学校舍维修加固工程的招标文件、中标通知书及工程预算",
    "private_school": "示范区民办启明学校办学许可的审批材料及审批决定",
    "budget": "示范区教育局2025年度部门决算及“三公”经费支出情况",
    "kindergartens": "示范区普惠性民办幼儿园认定名单及2025年补助资金拨付情况",
    "canteens": "2025年示范区中小学校园食堂食品安全检查结果",
    "tutoring": "示范区教育局校外培训机构专项治理的检查记录及行政处罚决定书",
    "student_aid": "示范区2025年义务教育阶段家庭经济困难学生资助标准及资助人数",
    "new_campus": "示范区实验中学新校区建设项目立项批复及环境影响评价文件",
    "titles": "2025年示范区中小学教师职称评审结果及评审委员会组成办法",
    "after_school_vendor": "示范区中小学课后服务第三方机构遴选的采购文件和服务合同",
    "special_education": "示范区特殊教育学校招生办法及残疾儿童随班就读安置情况",
    "school_expansion": "示范区第二小学扩建项目用地及周边房屋征收补偿方案",
    "own_child": "本人子女2026年小学入学资格审核未通过的审核记录及依据",
    "uniforms": "示范区中小学校服采购的招标文件、中标价格及质量检测报告",
    "school_bus": "2025年示范区中小学校车安全管理检查记录",
    "meeting_minutes": "示范区教育局党组会议关于学区调整问题的讨论记录",
    "personnel": "示范区教育局机关2025年干部考核及内部岗位调整情况",
    "exam_security": "2026年示范区中考试卷保管、运送和保密工作方案",
    "gazette": "2025年《示范区教育年鉴》全书",
    "already_answered": "示范区第一中学2026年初一新生招生计划（此前已申请并获答复）",
    "complaint": "反映某小学教师有偿补课问题，要求教育局查处并公开处理结果",
    "certificate": "要求重新出具本人1998年初中毕业证明的信息",
    "unclear": "教育局所有关于学校的文件",
    "many_requests": "示范区所有中小学近十年的全部会议纪要、全部收支凭证和全部人事档案",
    "sports_facility": "示范区中小学体育场馆课后向社会开放的学校名单及管理办法",
    "air_quality": "示范区新建教学楼室内空气质量检测报告",
    "tuition_private": "示范区民办学校2026年秋季学费标准备案材料",
    "teacher_rotation": "示范区义务教育学校校长教师交流轮岗实施方案及2025年交流名单",
    "preschool_places": "示范区2026年公办幼儿园学位供给及招生计划",
    "school_safety": "示范区中小学校舍安全隐患排查台账",
    "statistics": "示范区2025年教育事业统计公报",
}


# -- scenarios -----------------------------------------------------------------------------------

CLERK, HEAD, LEADER, LEGAL, SECRECY = "clerk", "head", "leader", "legal", "secrecy"
ROLES = {
    CLERK: {"clerk"},
    HEAD: {"office_head"},
    LEADER: {"leader"},
    LEGAL: {"legal_reviewer"},
    SECRECY: {"confidentiality_reviewer"},
}


@dataclass(frozen=True)
class D:
    """A date written as working days after the receipt date (day 0) of the scenario."""

    n: int


@dataclass(frozen=True)
class Step:
    at: int  # working days after receipt
    action: str
    who: str = CLERK
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    applicant: str
    topic: str
    channel: str
    steps: tuple[Step, ...] = ()
    ago: int | None = None  # open cases: receipt this many working days before today
    received: date | None = None  # fixed receipt date (the cases of December 2025)
    confirm: bool = True  # confirmation channels: confirmed on the receipt day
    withdraw_unconfirmed: bool = False
    forwarded: str = ""  # an origin other than 直接提交: registered with its number and papers (issue 16 §5)

    @property
    def length(self) -> int:
        return max((s.at for s in self.steps), default=0)


def _basis(code: str) -> str:
    return (
        f"《中华人民共和国政府信息公开条例》{outcome(code).basis}"
        if outcome(code).basis
        else "《中华人民共和国政府信息公开条例》"
    )


def start(at: int = 1) -> Step:
    return Step(at, "start_processing")


# A draft reply as the demo writes it: submitted to the reviews the agency's settings ask for (法制审核,
# then 保密审查: gongkai.demo.accounts.AGENCY sets them), passed the same day, else to sign-off (_play).
DRAFT_REPLY = "draft_reply"
# A draft sent back by whoever holds it: 法制审核 (审核退回) or, for an agency without the review, the office head.
RETURN_DRAFT = "return_draft"
_REVIEWERS = {
    "awaiting_legal_review": ("pass_legal_review", LEGAL),
    "awaiting_secrecy_review": ("pass_secrecy_review", SECRECY),
}


def submitted(at: int, code: str, *, passes: int | None = None) -> tuple[Step, ...]:
    """A draft submitted on day ``at``: to its reviews first when the agency's settings ask for them for
    this outcome, ``passes`` of which pass it the same day (all when None) on to sign-off."""
    fields: dict[str, Any] = {"outcome_code": code, "legal_basis": _basis(code)}
    return (Step(at, DRAFT_REPLY, CLERK, fields | ({"passes": passes} if passes is not None else {})),)


def _drafted(step: Step, review: ReviewPolicy) -> list[Step]:
    fields = dict(step.fields)
    passes = fields.pop("passes", None)
    reviews = review.reviews(fields["outcome_code"])
    if not reviews:
        return [Step(step.at, "submit_reply_for_sign_off", CLERK, fields)]
    done = reviews[: len(reviews) if passes is None else passes]
    return [
        Step(step.at, "submit_reply_for_review", CLERK, fields),
        *(Step(step.at, _REVIEWERS[r.value][0], _REVIEWERS[r.value][1], {"comment": "经审核，同意"}) for r in done),
    ]


def signed_reply(at: int, code: str, via: str = "post") -> tuple[Step, ...]:
    """Drafted the day before (and reviewed, where the outcome needs it), signed by the office head then
    the leader (the demo agency's chain), and issued (送达) on day ``at``: the reply date."""
    return (
        *submitted(at - 1, code),
        Step(at - 1, "sign_off_reply", HEAD),
        Step(at, "sign_off_reply", LEADER),
        Step(at, "issue_reply", CLERK, {"replied_on": D(at), "issued_via": via}),
    )


def direct_reply(at: int, code: str, action: str = "reply", via: str = "post") -> Step | tuple[Step, ...]:
    """A reply that needs no signature: answered across the desk (当场答复, which is the reply), or
    written and then issued (送达) on day ``at`` like a signed one: only the issue makes it 已答复."""
    if action == "answer_on_the_spot":
        return Step(at, action, CLERK, {"outcome_code": code, "legal_basis": _basis(code), "replied_on": D(at)})
    return (
        Step(at, action, CLERK, {"outcome_code": code, "legal_basis": _basis(code)}),
        Step(at, "issue_reply", CLERK, {"replied_on": D(at), "issued_via": via}),
    )


def correction(at: int, items: list[str], period: int = 10) -> Step:
    return Step(at, "request_correction", CLERK, {"items": items, "requested_on": D(at), "period_working_days": period})


def consult(at: int, party: str, *, agency: bool = False) -> Step:
    action = "start_agency_consultation" if agency else "start_third_party_consultation"
    return Step(at + 1, action, CLERK, {"party": party, "sent_on": D(at), "delivered_on": D(at + 1)})


def consulted(at: int, party: str, response: str) -> Step:
    return Step(at, "end_consultation", CLERK, {"party": party, "ended_on": D(at), "response": response})


def extension(at: int, reason: str, days: int = 20) -> tuple[Step, ...]:
    return (
        Step(at, "request_extension", CLERK, {"reason": reason, "working_days": days}),
        Step(at + 1, "approve_extension", HEAD, {"working_days": days, "approved_on": D(at + 1)}),
    )


def fee(at: int, *, pages: int | None = None, position: int | None = None, amount: int) -> Step:
    fields: dict[str, Any] = {
        "method": "per_page" if pages is not None else "per_application",
        "amount": amount,
        "fee_sent_on": D(at + 1),
        "notice_received_on": D(at + 1),
    }
    fields.update({"pages": pages} if pages is not None else {"month_position": position})
    if position is not None:  # the demo's applicant register holds fewer: the clerk says why (109号)
        fields["month_position_reason"] = "申请含多项内容，按“一事一申请”原则拆分计算件数"
    return Step(at + 1, "notify_fee", CLERK, fields)


def S(applicant: str, topic: str, channel: str, *steps: Step | tuple[Step, ...], **kw: Any) -> Scenario:
    flat: list[Step] = []
    for s in steps:
        flat.extend(s if isinstance(s, tuple) else (s,))
    return Scenario(applicant, topic, channel, tuple(flat), **kw)


def _until_after_today(days: int) -> Callable[[date], date]:
    return lambda today: today + timedelta(days=days)


SCENARIOS: tuple[Scenario, ...] = (
    # -- received in December 2025; all but one concluded in 2026 ----------------------------
    S("chen", "enrolment_zones", "in_person", start(), signed_reply(11, "disclosed"), received=date(2025, 12, 3)),
    S(
        "liu",
        "kindergartens",
        "in_person",
        start(),
        signed_reply(20, "disclosed", "email"),
        received=date(2025, 12, 10),
    ),
    S(
        "zhengyan",
        "tutoring",
        "post_signed",
        start(),
        extension(14, "涉及多个科室、需调取2019年以来的执法档案"),
        signed_reply(31, "does_not_exist"),
        received=date(2025, 12, 17),
    ),
    # a refusal drafted yesterday, waiting for 法制审核
    S("liushou", "statistics", "in_person", start(), submitted(10, "does_not_exist", passes=0), ago=11),
    S(
        "xingguang",
        "uniforms",
        "online",
        start(),
        consult(4, "示范区华美服装有限公司"),
        consulted(13, "示范区华美服装有限公司", "objected"),
        signed_reply(19, "withheld_third_party"),
        received=date(2025, 12, 24),
    ),
    S(
        "sun",
        "after_school_fees",
        "in_person",
        correction(2, ["请写明所需文件的名称或者文号", "请说明所需信息涉及的学校或者学段"]),
        Step(14, "correction_lapsed", CLERK, {"decided_on": D(14)}),
        received=date(2025, 12, 15),
    ),
    S(
        "jiaoyuyuan",
        "teacher_rotation",
        "email",
        start(),
        signed_reply(9, "partially_disclosed"),
        received=date(2025, 12, 29),
    ),
    # -- 2026, concluded ----------------------------------------------------------------------
    S("li", "enrolment_zones", "in_person", start(), direct_reply(6, "already_public")),
    S("wang", "statistics", "in_person", direct_reply(0, "already_public", "answer_on_the_spot")),
    S("zhang", "middle_school_plan", "in_person", start(), signed_reply(14, "disclosed")),
    S(
        "mingde",
        "repair_project",
        "post_signed",
        start(),
        extension(17, "所需资料分散在基建科和财务科，需逐项核对"),
        signed_reply(32, "disclosed", "email"),
    ),
    S(
        "qihang",
        "after_school_vendor",
        "online",
        start(),
        consult(5, "示范区乐学教育科技有限公司"),
        consulted(14, "示范区乐学教育科技有限公司", "agreed"),
        signed_reply(22, "disclosed"),
    ),
    S(
        "zheng",
        "budget",
        "email",
        start(),
        fee(3, position=15, amount=100),
        Step(10, "fee_paid", CLERK, {"paid_on": D(10)}),
        signed_reply(17, "disclosed", "email"),
    ),
    S(
        "chen",
        "special_education",
        "in_person",
        correction(2, ["请明确所需的是招生办法还是安置情况统计"]),
        Step(7, "receive_correction", CLERK, {"received_on": D(7)}),
        signed_reply(21, "disclosed"),
    ),
    S("zhao", "teacher_hiring", "online", start(), signed_reply(24, "disclosed")),  # answered late
    S(
        "shekeyuan",
        "new_campus",
        "post_signed",
        start(),
        consult(4, "示范区发展和改革委员会", agency=True),
        consulted(12, "示范区发展和改革委员会", "agreed"),
        signed_reply(19, "disclosed", "email"),
    ),
    S("huang", "preschool_places", "online", start(), signed_reply(10, "disclosed")),
    S(
        "mingli",
        "private_school",
        "post_signed",
        start(),
        consult(6, "示范区启明学校"),
        consulted(17, "示范区启明学校", "objected"),
        signed_reply(25, "partially_disclosed"),
    ),
    S(
        "jijinhui",
        "student_aid",
        "email",
        start(),
        submitted(9, "partially_disclosed"),
        Step(10, "return_reply", LEADER, {"comment": "请逐项说明不予公开部分涉及的个人信息"}),
        signed_reply(14, "partially_disclosed"),
    ),
    S("he", "exam_security", "in_person", start(), signed_reply(9, "withheld_state_secret")),
    S("zhengyan", "canteens", "post_signed", start(), signed_reply(12, "withheld_law_prohibited", "email")),
    S("wang", "school_safety", "in_person", start(), signed_reply(15, "withheld_security_stability")),
    S(
        "qihang",
        "uniforms",
        "online",
        start(),
        consult(4, "星光校服制造有限公司"),
        consulted(12, "星光校服制造有限公司", "objected"),
        signed_reply(19, "withheld_third_party"),
    ),
    S("zhang", "personnel", "in_person", start(), signed_reply(10, "withheld_internal_affairs")),
    S("juweihui", "meeting_minutes", "post_signed", start(), signed_reply(16, "withheld_process_info", "email")),
    S(
        "zhengyan",
        "new_campus",
        "email",
        start(),
        extension(15, "需征询区规划部门意见并核对历次会议材料", 10),
        signed_reply(28, "withheld_process_info"),
    ),
    S("mingli", "tutoring", "post_signed", start(), signed_reply(13, "withheld_enforcement_file")),
    S("chen", "certificate", "in_person", direct_reply(0, "special_query_procedure", "answer_on_the_spot")),
    S("liushou", "student_aid", "online", start(), signed_reply(11, "does_not_exist")),
    S("sun", "air_quality", "in_person", start(), signed_reply(18, "does_not_exist", "email")),
    S("zhao", "school_expansion", "in_person", direct_reply(0, "not_this_agency", "answer_on_the_spot")),
    S("huang", "sports_facility", "online", start(), signed_reply(7, "not_this_agency")),
    S("jiaoyuyuan", "titles", "email", start(), signed_reply(16, "requires_creation")),
    S(
        "he",
        "unclear",
        "in_person",
        correction(2, ["请写明所需文件的名称、文号或者形成时间", "请说明所需信息涉及的学校"], 10),
        Step(9, "receive_correction", CLERK, {"received_on": D(9)}),
        signed_reply(16, "unclear_after_correction"),
    ),
    S(
        "wang",
        "complaint",
        "in_person",
        start(),
        Step(
            3,
            "not_an_application",
            CLERK,
            {"kind": "complaint", "decided_on": D(3), "referred_to": "示范区教育局督导室投诉电话12345转教育局"},
        ),
    ),
    S(
        "zhang",
        "complaint",
        "post_unsigned",
        Step(1, "not_an_application", CLERK, {"kind": "report", "decided_on": D(1)}),
    ),
    S("zheng", "already_answered", "email", signed_reply(2, "duplicate", "email")),
    S("li", "gazette", "in_person", direct_reply(0, "publication", "answer_on_the_spot")),
    S(
        "zheng",
        "many_requests",
        "email",
        start(),
        Step(2, "ask_reason", CLERK, {"requested_on": D(2)}),
        signed_reply(9, "excessive_unreasonable"),
    ),
    S("liu", "certificate", "online", start(), signed_reply(7, "confirm_or_reissue")),
    S(
        "sun",
        "tuition_private",
        "in_person",
        correction(3, ["请说明所需的是哪一所民办学校的备案材料"], 8),
        Step(14, "correction_lapsed", CLERK, {"decided_on": D(14)}),
    ),
    S(
        "zheng",
        "school_bus",
        "email",
        start(),
        fee(2, pages=60, amount=300),
        Step(26, "fee_lapsed", CLERK, {"decided_on": D(26)}),
    ),
    S("zhao", "uniforms", "online", start(), Step(5, "withdraw", CLERK, {"withdrawn_on": D(5)})),
    S("huang", "air_quality", "online", withdraw_unconfirmed=True, confirm=False),
    S("jiawei", "after_school_fees", "post_signed", start(), signed_reply(10, "other", "email")),
    S(
        "jiawei",
        "canteens",
        "post_signed",
        start(),
        Step(2, "ask_reason", CLERK, {"requested_on": D(2)}),
        Step(5, "reason_accepted"),
        signed_reply(15, "disclosed"),
    ),
    S(
        "juweihui",
        "school_expansion",
        "in_person",
        start(),
        Step(2, "ask_reason", CLERK, {"requested_on": D(2)}),
        Step(4, "set_delay_period", CLERK, {"notified_on": D(4), "reply_until": D(30)}),
        signed_reply(29, "disclosed", "email"),
    ),
    S("liushou", "special_education", "email", start(), signed_reply(12, "disclosed")),
    S("jiaoyuyuan", "teacher_hiring", "post_signed", start(), signed_reply(18, "disclosed", "email")),
    S("mingde", "repair_project", "online", start(), signed_reply(9, "does_not_exist")),
    S("li", "own_child", "in_person", start(), signed_reply(5, "disclosed")),
    # -- 2026, still open on ``today`` (ago = working days since receipt) ----------------------------
    S("zhao", "preschool_places", "online", confirm=False, ago=0),
    S("jijinhui", "sports_facility", "email", confirm=False, ago=1),
    S("chen", "teacher_rotation", "in_person", ago=0, forwarded="gov_office"),
    S("mingli", "budget", "post_signed", ago=1),
    S("he", "tutoring", "in_person", correction(2, ["请写明所需处罚决定涉及的培训机构名称或者处罚时间"]), ago=5),
    S("zheng", "titles", "email", start(), Step(3, "ask_reason", CLERK, {"requested_on": D(3)}), ago=4),
    S("liu", "after_school_vendor", "online", start(), ago=6),
    S("qihang", "private_school", "online", start(), ago=18),  # due within 3 working days
    S("wang", "repair_project", "in_person", start(), ago=23),  # overdue
    S(
        "huang",
        "enrolment_zones",
        "online",
        correction(3, ["请说明所需的是哪一所小学的划片范围"]),
        Step(8, "receive_correction", CLERK, {"received_on": D(8)}),
        ago=15,
    ),
    S("mingde", "new_campus", "post_signed", start(), consult(10, "示范区实验中学"), ago=14),
    S("shekeyuan", "statistics", "email", start(), consult(8, "示范区统计局", agency=True), ago=12),
    S(
        "zhengyan",
        "teacher_hiring",
        "post_signed",
        start(),
        Step(
            16,
            "request_extension",
            CLERK,
            {"reason": "报名材料数量大，需逐份核对并对个人信息作区分处理", "working_days": 15},
        ),
        ago=17,
    ),
    S("jiaoyuyuan", "budget", "email", start(), extension(17, "需向财政部门核对决算数据"), ago=26),
    S(
        "juweihui",
        "school_safety",
        "post_signed",
        start(),
        Step(2, "ask_reason", CLERK, {"requested_on": D(2)}),
        Step(5, "set_delay_period", CLERK, {"notified_on": D(5), "reply_until": _until_after_today(15)}),
        ago=22,
    ),
    S("zheng", "kindergartens", "email", start(), fee(5, pages=180, amount=2300), ago=8),
    S(
        "liushou",
        "canteens",
        "online",
        start(),
        Step(11, "submit_reply_for_sign_off", CLERK, {"outcome_code": "disclosed", "legal_basis": _basis("disclosed")}),
        ago=12,
    ),
    S(
        "xingguang",
        "uniforms",
        "post_signed",
        start(),
        # returned by 法制审核 with its reason, redrafted, and waiting for the review again
        submitted(12, "partially_disclosed", passes=0),
        Step(13, RETURN_DRAFT, LEGAL, {"comment": "不予公开部分的理由需写明具体条款"}),
        submitted(15, "partially_disclosed", passes=1),  # 法制审核 passed: 保密审查 next
        ago=16,
    ),
    S(
        "zhang",
        "air_quality",
        "in_person",
        start(),
        submitted(20, "does_not_exist"),
        ago=22,
    ),  # overdue, awaiting sign-off
    S(
        "li",
        "statistics",
        "in_person",
        start(),
        Step(9, "submit_reply_for_sign_off", CLERK, {"outcome_code": "disclosed", "legal_basis": _basis("disclosed")}),
        Step(10, "sign_off_reply", HEAD),
        ago=11,
    ),
    S(
        "huang",
        "gazette",
        "online",
        start(),
        submitted(7, "does_not_exist"),
        Step(8, "sign_off_reply", HEAD),
        Step(9, "sign_off_reply", LEADER),
        ago=10,
    ),  # signed, to be issued
    S(
        "sun",
        "student_aid",
        "in_person",
        start(),
        Step(15, "request_extension", CLERK, {"reason": "需汇总各校数据", "working_days": 10}),
        Step(16, "reject_extension", HEAD, {"comment": "数据已由资助中心汇总，可按期答复"}),
        ago=19,
    ),
    S(
        "jiawei",
        "school_bus",
        "post_signed",
        start(),
        fee(4, position=12, amount=100),
        Step(9, "fee_paid", CLERK, {"paid_on": D(9)}),
        ago=14,
    ),
    S(
        "mingde",
        "gazette",
        "online",
        start(),
        Step(6, "reply", CLERK, {"outcome_code": "already_public", "legal_basis": _basis("already_public")}),
        ago=7,
    ),  # written without sign-off (已主动公开), to be issued
)


# -- playing the scenarios -----------------------------------------------------------------------


class _Days:
    """Working days around the demo year, to place receipts and read ``D(n)``."""

    def __init__(self, calendar: WorkingCalendar, today: date):
        self.calendar = calendar
        first = date(2025, 12, 1)
        # A weekend the missing next-year notice may still make a make-up day counts in a
        # provisional deadline, but no office receives mail on it: receipts go on sure days.
        self.working = [
            d
            for d in (first + timedelta(days=i) for i in range((today - first).days + 1))
            if calendar.is_working_day(d) and (d.weekday() < 5 or calendar.is_firm(d))
        ]
        self.today = today

    def back(self, n: int) -> date:
        """The working day n working days before the last working day up to today."""
        return self.working[len(self.working) - 1 - n]

    def after(self, receipt: date, n: int) -> date:
        return self.calendar.add_working_days(receipt, n)


def _resolve(value: Any, receipt: date, days: _Days) -> Any:
    if isinstance(value, D):
        return days.after(receipt, value.n)
    if callable(value):
        return value(days.today)
    return value


def _when(at: int, fields: dict[str, Any], receipt: date, days: _Days) -> date:
    happened = [v for k, v in fields.items() if isinstance(v, date) and k not in ("until", "reply_until")]
    return max([days.after(receipt, at), *happened])


def _receipts(days: _Days, rng: random.Random) -> list[tuple[Scenario, date]]:
    """A receipt date for every scenario that fits before ``today``."""
    placed: list[tuple[Scenario, date]] = []
    closed = [s for s in SCENARIOS if s.ago is None and s.received is None]
    fractions = [(i + 0.5) / len(closed) for i in range(len(closed))]
    rng.shuffle(fractions)
    year = [d for d in days.working if d >= YEAR_START]
    for scenario, frac in zip(closed, fractions):
        room = len(year) - scenario.length - 2  # concluded at least two working days ago
        if room <= 0:
            continue
        placed.append((scenario, year[int(frac * room)]))
    for scenario in SCENARIOS:
        if scenario.received is not None and days.after(scenario.received, scenario.length) <= days.today:
            placed.append((scenario, scenario.received))
        elif scenario.ago is not None and scenario.ago < len(days.working) and days.back(scenario.ago) >= YEAR_START:
            placed.append((scenario, days.back(scenario.ago)))
    return sorted(placed, key=lambda p: p[1])


def _forwarded(scenario: Scenario, receipt: date) -> dict[str, Any]:
    """A forwarded application's intake: the forwarding office's number, the day it reached the
    bureau (its receipt date, 第三十一条) and the forwarding slip as its original papers."""
    if not scenario.forwarded:
        return {}
    number = f"示政办转〔{receipt.year}〕{receipt.month:02d}{receipt.day:02d}号"
    slip = f"示范区人民政府办公室转办单\n编号：{number}\n事由：转来{APPLICANTS[scenario.applicant]['applicant_name']}的政府信息公开申请\n"
    return {
        "intake": {
            "origin": scenario.forwarded,
            "origin_reference": number,
            "reached_on": receipt,
            "original_submitted_on": receipt - timedelta(days=3),
            "identity_check": "copy",
        },
        "intake_papers": [("original", "转办单.txt", "text/plain", slip.encode())],
    }


def _play(
    scenario: Scenario, receipt: date, *, agency: Agency, users: dict[str, Any], days: _Days, rng: random.Random
) -> Application:
    form = rng.choice([DeliveryForm.ELECTRONIC, DeliveryForm.ELECTRONIC, DeliveryForm.PAPER])
    picked = rng.choice([DeliveryChannel.EMAIL, DeliveryChannel.POST, DeliveryChannel.PICKUP])
    applicant = {
        **APPLICANTS[scenario.applicant],
        "description": TOPICS[scenario.topic],
        "delivery_form": form,
        # only a pair the public form accepts (paper is never e-mailed); the same two draws as
        # before, so the rest of the demo year is unchanged
        "delivery_channel": picked if picked in DELIVERY_PAIRS[form] else DELIVERY_PAIRS[form][0],
    }
    channel = scenario.channel
    confirmation = channel in ("online", "email", "fax", "post_unsigned")
    dates: dict[str, date] = {}
    if channel in ("in_person", "oral"):
        dates["handed_in_on"] = receipt
    elif channel == "post_signed":
        dates["signed_for_on"] = receipt
    elif scenario.confirm and channel == "post_unsigned":
        dates["confirmed_on"] = receipt  # confirmed with the applicant the day the letter came
    clerk = users[CLERK]
    # made before the case, so that its first log entry and history row are the first step's
    stamps = Backdater(
        Appended(CaseEvent.objects, "pk", "recorded_at"),
        Appended(Application.history, "history_id", "history_date"),
        every=37,
        within=420,
    )
    submitted = services.application_submit(
        agency=agency,
        channel=channel,
        applicant=applicant,
        submitted_on=receipt,
        registered_by=None if channel in ("online", "email") else clerk,
        calendar=days.calendar,
        today=receipt,
        **dates,
        **_forwarded(scenario, receipt),
    )
    app = submitted.application
    stamps.stamp(receipt, app)
    if confirmation and scenario.confirm and channel != "post_unsigned":
        services.application_transition(
            application=app,
            action="confirm_receipt",
            actor=clerk,
            actor_roles={"clerk"},
            fields={"confirmed_on": receipt},
            today=receipt,
            calendar=days.calendar,
        )
        stamps.stamp(receipt, app)
    if scenario.withdraw_unconfirmed:
        withdrawn_on = receipt + timedelta(days=1)
        services.application_transition(
            application=app,
            action="withdraw",
            actor=clerk,
            actor_roles={"clerk"},
            fields={"withdrawn_on": withdrawn_on},
            today=withdrawn_on,
            calendar=days.calendar,
        )
        stamps.stamp(withdrawn_on, app)
    review = review_policy_for(agency)
    steps = [x for s in scenario.steps for x in (_drafted(s, review) if s.action == DRAFT_REPLY else [s])]
    for step in steps:
        fields = {k: _resolve(v, receipt, days) for k, v in step.fields.items()}
        when = _when(step.at, fields, receipt, days)
        app.refresh_from_db()
        if step.action == RETURN_DRAFT:
            step = (
                Step(step.at, "return_from_review", LEGAL, step.fields)
                if app.state == State.AWAITING_LEGAL_REVIEW
                else Step(step.at, "return_reply", HEAD, step.fields)
            )
        if step.action == "issue_reply" and not app.letters.filter(kind__startswith="reply_").exists():
            # the reply letter is generated before it is issued (the service refuses it otherwise)
            letters.generate_letter(
                application=app,
                kind=letters.LetterKind.reply_for(app.pending_outcome),
                user=users[CLERK],
                calendar=days.calendar,
            )
        services.application_transition(
            application=app,
            action=step.action,
            actor=users[step.who],
            actor_roles=ROLES[step.who],
            fields=fields,
            today=when,
            calendar=days.calendar,
        )
        stamps.stamp(when, app)
    Application.objects.filter(pk=app.pk).update(submitted_at=aware(receipt, 0))
    app.refresh_from_db()
    return app


# Open cases whose notice has gone out: the demo shows their letters too.
_NOTICE_STATES = (
    State.CORRECTION_REQUESTED,
    State.FEE_NOTIFIED,
    State.EXTENDED,
    State.THIRD_PARTY_CONSULTATION,
    State.REPLY_SIGNED,
    State.REPLY_READY,
)


def _letters(app: Application, clerk, calendar: WorkingCalendar) -> int:
    """The letters a case needed so far; a concluded case's reply is also kept as its signed version."""
    made = 0
    for need in letters.letter_kinds_for(app):
        letter = (
            need.letters[-1]
            if need.letters
            else letters.generate_letter(
                application=app, kind=need.kind, event=need.event, user=clerk, calendar=calendar
            )
        )
        made += 1
        sent = need.event.recorded_at  # already moved back to the day of the move
        dates = {"created_at": sent + timedelta(minutes=20)}
        if State(app.state).is_terminal and need.kind.is_reply:
            data = letter.generated.open("rb").read()
            letters.upload_signed_letter(letter=letter, name="reply.docx", data=data, user=clerk)
            dates["signed_at"] = sent + timedelta(hours=2)
        Letter.objects.filter(pk=letter.pk).update(**dates)
    return made


@dataclass
class SeedResult:
    created: int = 0
    letters: int = 0
    skipped: list[str] = field(default_factory=list)


def seed_applications(today: date | None = None, *, with_letters: bool = True) -> SeedResult:
    """Create the demo year for 示范区教育局 unless it already has applications."""
    today = today or timezone.localdate()
    result = SeedResult()
    agency = Agency.objects.filter(code=DEMO_AGENCY_CODE).first()
    if agency is None:
        raise DomainError("尚未创建演示机关“示范区教育局”，请先运行 manage.py seed_demo")
    if Application.objects.filter(agency=agency).exists():
        return result
    User = get_user_model()
    users = {
        CLERK: User.objects.get(username="jingban"),
        HEAD: User.objects.get(username="zhuren"),
        LEADER: User.objects.get(username="lingdao"),
        # the reviewers, where the agency has them (a test's cast may not)
        LEGAL: User.objects.filter(username="fazhi").first(),
        SECRECY: User.objects.filter(username="baomi").first(),
    }
    calendar = working_calendar()
    days = _Days(calendar, today)
    rng = random.Random(2026)
    for scenario, receipt in _receipts(days, rng):
        try:
            with transaction.atomic():
                app = _play(scenario, receipt, agency=agency, users=users, days=days, rng=rng)
                if with_letters and (not app.is_open or app.state in _NOTICE_STATES):
                    result.letters += _letters(app, users[CLERK], calendar)
        except DomainError as err:
            result.skipped.append(f"{TOPICS[scenario.topic]}（{receipt}）：{err.message}")
            continue
        result.created += 1
    for app in Application.objects.filter(agency=agency, state__in=services.open_states(), received_on__isnull=False):
        services.application_refresh_deadline(application=app, calendar=calendar, today=today)
    return result
