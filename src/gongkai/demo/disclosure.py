"""A year of proactive disclosure for the demo agency 示范区教育局, made through the services.

:func:`seed_documents` (``manage.py seed_documents``) does nothing when the agency already has
documents. Otherwise it installs the education bureau's column tree and the 索引号 scheme, enters
last year's table 二 figures, and plays about eighty documents through ``services``, every step
dated the day it would have happened (the services check each one with the domain table):

- 2026 documents in every column — 机构职能, 政策文件 (行政规范性文件 with their 政策解读, which are
  reviewed alongside and published the same day), 规划计划, 财政预决算 with 三公经费, 招生入学,
  行政许可 and 收费 items, 政府采购, 统计, 应急, 监督检查, 公告公示, 工作动态, 人事信息 — most
  published, with attachments (Word, Excel, PDF) where a real bureau would attach them;
- 行政规范性文件 from 2020–2025 already in the register: two repealed by this year's documents, one
  amended, one lapsed (a five-year 暂行办法), two still in force — so table 二 counts something;
- documents placed relative to ``today`` in every review stage: drafts, 办公室主任审核, 保密审查 (one
  returned by the confidentiality reviewer for personal data), 局领导审批, a policy and its
  interpretation both approved and waiting to be published, returned, withdrawn, one taken down
  with its reason, a published page revised (revision date shown) and one revision under review;
- two documents past their 20-working-day publication deadline and still in review.

Steps dated after ``today`` are left out (a document whose registration lies in the future is
skipped whole). Timestamps the database sets to "now" (decisions, history, versions, attachments)
are moved back to the day of each step, so the register reads like a year of work; that is the only
write here that does not go through a service.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Agency
from gongkai.demo.backdate import Appended, Backdater
from gongkai.disclosure import services
from gongkai.disclosure.models import Column, Document, DocumentAttachment, DocumentVersion, ReviewDecision
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.errors import DomainError
from gongkai.workcalendar.selectors import working_calendar

DEMO_AGENCY_CODE = "demo-edu"
# 统一社会信用代码 of the demo bureau (made up; 11 = 机关, check characters valid)
DEMO_ORGANISATION_CODE = "11110199MB0000015X"
INDEX_PATTERN = "{agency_code}/{year}-{seq:05d}"

WHO = {
    "clerk": ("jingban", {"clerk"}),
    "head": ("zhuren", {"office_head"}),
    "leader": ("lingdao", {"leader"}),
    "reviewer": ("baomi", {"confidentiality_reviewer"}),
}

# How far a document gets: the review moves it makes, in order, each on its own working day.
REVIEW = ("submit", "office_approve", "confidentiality_pass", "leader_approve")
PATHS: dict[str, tuple[str, ...]] = {
    "draft": (),
    "office_review": ("submit",),
    "confidentiality_review": ("submit", "office_approve"),
    "leader_approval": ("submit", "office_approve", "confidentiality_pass"),
    "approved": REVIEW,
    "published": (*REVIEW, "publish"),
    "returned_office": ("submit", "office_return"),
    "returned_secret": ("submit", "office_approve", "confidentiality_fail"),
    "returned_leader": ("submit", "office_approve", "confidentiality_pass", "leader_return"),
    "withdrawn": ("submit", "withdraw"),
    "unpublished": (*REVIEW, "publish"),
}
# The order of moves made on one day (a policy's interpretation is approved before the policy is published).
_RANK = {
    a: i
    for i, a in enumerate(
        (
            "create",
            "revise",
            "attach",
            "submit",
            "resubmit",
            "office_approve",
            "office_return",
            "confidentiality_pass",
            "confidentiality_fail",
            "leader_approve",
            "leader_return",
            "withdraw",
            "publish",
            "validity",
            "unpublish",
        )
    )
}
_ACTOR = {
    "submit": "clerk",
    "resubmit": "clerk",
    "office_approve": "head",
    "office_return": "head",
    "confidentiality_pass": "reviewer",
    "confidentiality_fail": "reviewer",
    "leader_approve": "leader",
    "leader_return": "leader",
    "publish": "head",
    "withdraw": "clerk",
    "unpublish": "head",
    "revise": "clerk",
}
_COMMENTS = {
    "office_approve": "内容、格式经审核无误，同意报送保密审查。",
    "confidentiality_pass": "经审查，不涉及国家秘密、工作秘密、商业秘密和个人隐私，同意公开。",
    "leader_approve": "同意公开。",
    "office_return": "请核对文号和成文日期，并补充联系电话后重新报送。",
    "confidentiality_fail": "附件名单含学生姓名及身份证号码，属于个人隐私，请删除或作去标识化处理后重新报送。",
    "leader_return": "请补充与上级文件的衔接说明后再报。",
    "withdraw": "活动延期举办，本通知不再发布。",
}


@dataclass(frozen=True)
class Doc:
    """One document of the demo. ``formed``: a date, or working days before ``today`` (an int)."""

    key: str
    column: str
    title: str
    formed: date | int
    body: str
    kind: str = "other"
    doc_number: str = ""
    signed: bool = False
    channels: tuple[str, ...] = ("website",)
    needs_interpretation: bool = False
    interprets: str | None = None
    path: str = "published"
    publish_after: int = 3  # working days from formation to publication
    attachments: tuple[str, ...] = ()
    validity: tuple[str, str, str] | None = None  # (validity, key of the deciding document, its 文号)
    revision: tuple[int, str, dict[str, Any], bool] | None = None  # (days after publication, reason, changes, publish)
    unpublish: tuple[int, str] | None = None  # (days after publication, reason)


def _d(m: int, day: int, y: int = 2026) -> date:
    return date(y, m, day)


WEB, WEB_WX, WEB_GAZ = ("website",), ("website", "new_media"), ("website", "gazette")

DOCS: tuple[Doc, ...] = (
    # -- 机构职能 -----------------------------------------------------------------------------------
    Doc(
        "duties",
        "zyzz",
        "示范区教育局主要职责",
        _d(1, 5),
        "一、贯彻执行国家、省、市教育工作的方针政策和法律法规，拟订全区教育发展规划和政策措施并组织实施。\n"
        "二、统筹管理全区各级各类教育，指导学前教育、义务教育、普通高中教育、特殊教育和继续教育工作。\n"
        "三、负责全区教育经费的统筹管理，参与拟订教育经费筹措、教育拨款、教育基建投资的政策。\n"
        "四、负责全区教师队伍建设，指导中小学教师和教育管理干部的培养培训工作。\n"
        "五、负责全区教育督导评估和校园安全管理工作。",
        publish_after=2,
    ),
    Doc(
        "divisions",
        "nsjg",
        "示范区教育局内设机构",
        _d(1, 5),
        "示范区教育局设办公室、政策法规科、基础教育科、计划财务科、人事科（教师工作科）、"
        "教育督导室、安全稳定科、民办教育管理科等8个内设机构。各科室职责详见附件。",
        publish_after=2,
    ),
    Doc(
        "leaders",
        "ldxx",
        "示范区教育局领导信息",
        _d(1, 5),
        "局长：刘建华，主持局全面工作。\n副局长：王强，负责政务公开、基础教育、招生考试工作。\n"
        "副局长：孙敏，负责计划财务、民办教育管理工作。\n督学：周立新，负责教育督导工作。",
        publish_after=2,
        revision=(
            130,
            "领导分工调整",
            {
                "body": "局长：刘建华，主持局全面工作。\n"
                "副局长：王强，负责政务公开、基础教育、招生考试、安全稳定工作。\n"
                "副局长：孙敏，负责计划财务、民办教育管理、教师队伍建设工作。\n"
                "督学：周立新，负责教育督导工作。"
            },
            True,
        ),
    ),
    Doc(
        "units",
        "zsdw",
        "示范区教育局直属单位",
        _d(1, 5),
        "示范区教育局直属单位包括：示范区教师发展中心、示范区教育考试中心、示范区学生资助管理中心、"
        "示范区教育技术装备中心、示范区青少年校外活动中心。",
        publish_after=2,
    ),
    Doc(
        "address",
        "jgzn",
        "示范区教育局办公地址、办公时间及联系方式",
        _d(1, 5),
        "办公地址：示范区人民路88号。\n办公时间：工作日上午8:30—12:00，下午13:30—17:30（法定节假日除外）。\n"
        "政府信息公开受理电话：010-62000001。\n政府信息公开受理地址：示范区人民路88号教育局一楼服务窗口。",
        publish_after=2,
        revision=(
            -4,
            "办公地址搬迁",
            {
                "body": "办公地址：示范区文华路16号（2026年12月起）。\n"
                "办公时间：工作日上午8:30—12:00，下午13:30—17:30（法定节假日除外）。\n"
                "政府信息公开受理电话：010-62000001。\n"
                "政府信息公开受理地址：示范区文华路16号教育局一楼服务窗口。"
            },
            False,
        ),
    ),
    # -- 行政规范性文件 of earlier years ----------------------------------------------------------------
    Doc(
        "aid_2019",
        "gfxwj",
        "示范区家庭经济困难学生认定办法",
        _d(9, 2, 2020),
        "第一条 为做好家庭经济困难学生认定工作，确保资助资金精准发放，制定本办法。\n"
        "第二条 本办法适用于示范区内各级各类学校在籍学生。……",
        kind="normative",
        doc_number="示教发〔2020〕11号",
        signed=True,
        channels=WEB_GAZ,
    ),
    Doc(
        "tutoring_2020",
        "gfxwj",
        "示范区校外培训机构管理暂行办法",
        _d(7, 1, 2020),
        "第一条 为规范校外培训机构办学行为，制定本办法。……\n第三十条 本办法自发布之日起施行，有效期五年。",
        kind="normative",
        doc_number="示教发〔2020〕8号",
        signed=True,
        channels=WEB_GAZ,
        validity=("lapsed", "", ""),
    ),
    Doc(
        "admission_2021",
        "gfxwj",
        "示范区义务教育招生入学工作管理规定",
        _d(3, 10, 2021),
        "第一条 为规范义务教育阶段学校招生入学工作，制定本规定。……",
        kind="normative",
        doc_number="示教发〔2021〕4号",
        signed=True,
        channels=WEB_GAZ,
        validity=("repealed", "admission", "示教发〔2026〕3号"),
    ),
    Doc(
        "afterschool_2022",
        "gfxwj",
        "示范区中小学课后服务工作管理暂行办法",
        _d(8, 22, 2022),
        "第一条 为做好中小学课后服务工作，减轻学生课业负担和家长接送负担，制定本办法。……",
        kind="normative",
        doc_number="示教发〔2022〕5号",
        signed=True,
        channels=WEB_GAZ,
        validity=("repealed", "afterschool", "示教规〔2026〕2号"),
    ),
    Doc(
        "roll_2023",
        "gfxwj",
        "示范区中小学学籍管理实施细则",
        _d(2, 20, 2023),
        "第一条 为加强中小学学籍管理，根据《中小学生学籍管理办法》，制定本细则。……",
        kind="normative",
        doc_number="示教发〔2023〕2号",
        signed=True,
        channels=WEB_GAZ,
        validity=("amended", "aid", "示教规〔2026〕3号"),
    ),
    Doc(
        "safety_2024",
        "gfxwj",
        "示范区中小学校园安全管理规定",
        _d(5, 10, 2024),
        "第一条 为加强中小学校园安全管理，保障师生人身和财产安全，制定本规定。……",
        kind="normative",
        doc_number="示教发〔2024〕6号",
        signed=True,
        channels=WEB_GAZ,
    ),
    Doc(
        "finance_2025",
        "gfxwj",
        "示范区教育系统财务管理办法",
        _d(4, 1, 2025),
        "第一条 为规范教育系统财务行为，提高资金使用效益，制定本办法。……",
        kind="normative",
        doc_number="示教发〔2025〕3号",
        signed=True,
        channels=WEB_GAZ,
    ),
    # -- 2026 政策文件 and their 政策解读 ---------------------------------------------------------------
    Doc(
        "admission",
        "gfxwj",
        "示范区义务教育阶段学校招生入学工作实施办法",
        _d(3, 16),
        "第一章 总则\n第一条 为保障适龄儿童少年依法接受义务教育，规范义务教育阶段学校招生入学工作，"
        "根据《中华人民共和国义务教育法》等法律法规，结合本区实际，制定本办法。\n"
        "第二条 义务教育阶段公办学校实行免试就近入学，按照学区划分招生。民办学校招生纳入审批地统一管理，"
        "与公办学校同步招生；报名人数超过招生计划的，实行电脑随机录取。\n"
        "第三条 适龄儿童入学登记实行网上信息采集，具体时间另行公布。\n"
        "第二章 招生对象和入学条件\n第四条 凡2026年8月31日前年满6周岁、具有本区户籍的适龄儿童，应当接受义务教育。……\n"
        "第五章 附则\n第二十六条 本办法自2026年4月1日起施行。《示范区义务教育招生入学工作管理规定》"
        "（示教发〔2021〕4号）同时废止。",
        kind="normative",
        doc_number="示教发〔2026〕3号",
        signed=True,
        channels=("website", "new_media", "gazette"),
        needs_interpretation=True,
        publish_after=4,
        attachments=("admission_docx",),
    ),
    Doc(
        "admission_reading",
        "zcjd",
        "《示范区义务教育阶段学校招生入学工作实施办法》政策解读",
        _d(3, 16),
        "一、出台背景\n原《示范区义务教育招生入学工作管理规定》已实施五年，随着城区新建住宅小区增多、"
        "学位供需形势变化，有必要对招生入学政策进行系统修订。\n"
        "二、主要变化\n（一）民办学校与公办学校同步招生，超额的实行电脑随机录取；"
        "（二）入学信息采集全部改为网上办理，家长无需提交纸质材料；"
        "（三）进一步明确随迁子女入学条件。\n"
        "三、施行时间\n本办法自2026年4月1日起施行。\n解读机关：示范区教育局基础教育科　联系电话：010-62000012",
        interprets="admission",
        channels=WEB_WX,
        publish_after=4,
    ),
    Doc(
        "private_licence",
        "gfxwj",
        "示范区民办中小学校办学许可管理办法",
        _d(4, 20),
        "第一条 为规范民办中小学校设立、变更和终止的审批管理，根据《中华人民共和国民办教育促进法》"
        "及其实施条例，制定本办法。\n第二条 申请举办民办中小学校，应当向区教育局提交下列材料：……\n"
        "第二十条 本办法自2026年6月1日起施行。",
        kind="normative",
        doc_number="示教规〔2026〕1号",
        signed=True,
        channels=WEB_GAZ,
        needs_interpretation=True,
        publish_after=5,
    ),
    Doc(
        "private_licence_reading",
        "zcjd",
        "图解：《示范区民办中小学校办学许可管理办法》",
        _d(4, 20),
        "一图读懂民办中小学校办学许可：申请条件、所需材料、办理流程、办理时限（受理之日起30个工作日）。",
        interprets="private_licence",
        channels=WEB_WX,
        publish_after=5,
    ),
    Doc(
        "afterschool",
        "gfxwj",
        "示范区中小学校课后服务管理办法",
        _d(6, 15),
        "第一条 为进一步规范中小学校课后服务，提升课后服务质量，制定本办法。\n"
        "第二条 课后服务坚持学生家长自愿原则，由学校统筹组织实施。\n"
        "第十八条 本办法自2026年9月1日起施行。《示范区中小学课后服务工作管理暂行办法》"
        "（示教发〔2022〕5号）同时废止。",
        kind="normative",
        doc_number="示教规〔2026〕2号",
        signed=True,
        channels=WEB_GAZ,
        needs_interpretation=True,
        publish_after=4,
    ),
    Doc(
        "afterschool_reading",
        "zcjd",
        "《示范区中小学校课后服务管理办法》政策解读",
        _d(6, 15),
        "一、为什么要出台《办法》？\n二、课后服务的时间如何安排？每周一至周五，结束时间原则上不早于当地正常下班时间。\n"
        "三、课后服务如何收费？按照区发展改革委、区教育局核定的标准收取，家庭经济困难学生免收。\n"
        "解读机关：示范区教育局基础教育科",
        interprets="afterschool",
        channels=WEB_WX,
        publish_after=4,
    ),
    Doc(
        "aid",
        "gfxwj",
        "示范区学生资助资金管理实施细则",
        _d(9, 1),
        "第一条 为规范学生资助资金管理，提高资金使用效益，制定本细则。\n"
        "第二条 本细则所称学生资助资金，包括学前教育幼儿资助、义务教育家庭经济困难学生生活补助、"
        "普通高中国家助学金等。\n第三十条 本细则自2026年10月1日起施行。《示范区中小学学籍管理实施细则》"
        "（示教发〔2023〕2号）第十二条同时修改。",
        kind="normative",
        doc_number="示教规〔2026〕3号",
        signed=True,
        channels=WEB_GAZ,
        needs_interpretation=True,
        publish_after=4,
    ),
    Doc(
        "aid_reading",
        "zcjd",
        "《示范区学生资助资金管理实施细则》政策解读",
        _d(9, 1),
        "一、资助对象有哪些？\n二、资助标准是多少？义务教育阶段家庭经济困难寄宿生每生每年小学1000元、初中1250元。\n"
        "三、如何申请？由学生或家长向就读学校提出申请。",
        interprets="aid",
        channels=WEB_WX,
        publish_after=4,
    ),
    Doc(
        "sports",
        "gfxwj",
        "示范区中小学校体育场地设施开放管理办法",
        6,
        "第一条 为推动中小学校体育场地设施在课余时间和节假日向社会开放，制定本办法。\n"
        "第二条 学校体育场地设施开放应当坚持安全第一、分类开放、有序管理的原则。……",
        kind="normative",
        doc_number="示教规〔2026〕4号",
        signed=True,
        channels=WEB_GAZ,
        needs_interpretation=True,
        path="approved",
    ),
    Doc(
        "sports_reading",
        "zcjd",
        "《示范区中小学校体育场地设施开放管理办法》政策解读",
        6,
        "一、哪些学校的场地向社会开放？\n二、开放时间如何确定？\n三、市民如何预约入校？通过“示范区教育”微信公众号实名预约。",
        interprets="sports",
        channels=WEB_WX,
        path="approved",
    ),
    Doc(
        "winter_safety",
        "qtwj",
        "关于做好2026年寒假期间学生安全工作的通知",
        _d(1, 12),
        "各中小学校、幼儿园：寒假将至，为切实做好假期学生安全工作，现就有关事项通知如下：\n"
        "一、开展一次安全教育。二、发放一封致家长的信。三、落实假期值班制度。",
        publish_after=1,
    ),
    Doc(
        "canteen_check",
        "jdjc",
        "关于开展2026年春季学期校园食品安全专项检查的通知",
        _d(4, 8),
        "各中小学校、幼儿园：为保障师生饮食安全，区教育局会同区市场监管局开展校园食品安全专项检查。"
        "检查时间为4月13日至5月8日，重点检查食堂证照、从业人员健康证明、食品原料进货查验和留样制度。",
    ),
    # -- 规划计划 ------------------------------------------------------------------------------------
    Doc(
        "summary_2025",
        "ghjh",
        "示范区教育局2025年工作总结",
        _d(1, 20),
        "2025年，区教育局坚持立德树人根本任务，新增公办学位2160个，完成6所学校校舍改造，"
        "义务教育优质均衡发展通过市级评估。",
    ),
    Doc(
        "priorities",
        "ghjh",
        "2026年示范区教育工作要点",
        _d(2, 10),
        "一、推进义务教育优质均衡发展，新建、改扩建学校3所，新增学位1800个。\n"
        "二、深化“双减”工作，提升课后服务质量。\n三、加强教师队伍建设，完成中小学校长职级制改革。\n"
        "四、落实校园安全责任，开展校园安全专项整治。",
        channels=WEB_GAZ,
    ),
    Doc(
        "half_year",
        "ghjh",
        "示范区教育局2026年上半年工作总结",
        _d(7, 15),
        "上半年，全区义务教育招生入学工作平稳有序，完成学位供给任务；中考组织实施安全顺利。",
    ),
    Doc(
        "plan_15",
        "ghjh",
        "示范区“十五五”教育事业发展规划",
        12,
        "第一章 发展基础\n第二章 总体要求\n第三章 主要任务：扩大优质学位供给、推进教育数字化、建设高素质教师队伍……",
        path="leader_approval",
        channels=WEB_GAZ,
    ),
    # -- 财政预决算 ----------------------------------------------------------------------------------
    Doc(
        "budget",
        "bmys",
        "示范区教育局2026年部门预算",
        _d(2, 5),
        "根据《中华人民共和国预算法》规定，现将示范区教育局2026年部门预算公开如下。"
        "2026年收入预算合计186,532.60万元，支出预算合计186,532.60万元。详见附件。",
        attachments=("budget_xlsx",),
        publish_after=5,
    ),
    Doc(
        "budget_notes",
        "bmys",
        "示范区教育局2026年部门预算编制说明",
        _d(2, 5),
        "一、部门职责及机构设置情况\n二、收支预算总体情况\n三、“三公”经费预算情况\n四、政府采购预算情况\n"
        "五、国有资产占用情况\n六、预算绩效目标情况",
        publish_after=5,
    ),
    Doc(
        "three_public_budget",
        "sgjf",
        "示范区教育局2026年“三公”经费预算情况说明",
        _d(2, 5),
        "2026年“三公”经费预算数为18.60万元，比上年减少1.20万元。其中：因公出国（境）费0万元；"
        "公务用车购置及运行维护费15.20万元；公务接待费3.40万元。",
        attachments=("three_public_xlsx",),
        publish_after=5,
    ),
    Doc(
        "school_budget",
        "bmys",
        "示范区第一中学2026年单位预算",
        _d(2, 6),
        "示范区第一中学2026年收入预算合计6,825.30万元，支出预算合计6,825.30万元。",
        publish_after=5,
    ),
    Doc(
        "accounts",
        "bmjs",
        "示范区教育局2025年部门决算",
        _d(7, 24),
        "2025年度收入总计179,862.45万元，支出总计178,905.12万元。决算报表详见附件。",
        attachments=("accounts_pdf",),
        publish_after=19,
    ),
    Doc(
        "three_public_accounts",
        "sgjf",
        "示范区教育局2025年“三公”经费决算情况说明",
        _d(7, 24),
        "2025年“三公”经费支出17.86万元，完成预算的90.4%。其中：因公出国（境）费0万元；"
        "公务用车购置及运行维护费14.52万元；公务接待费3.34万元。支出减少的主要原因是严格执行中央八项规定精神。",
        publish_after=19,
    ),
    # -- 招生入学 ------------------------------------------------------------------------------------
    Doc(
        "admission_notice",
        "zsrx",
        "关于做好2026年示范区义务教育阶段学校招生入学工作的通知",
        _d(4, 10),
        "各中小学校：根据《示范区义务教育阶段学校招生入学工作实施办法》，现就2026年招生入学工作通知如下。"
        "小学入学信息采集时间为5月11日至5月24日，初中入学按学区对口直升。",
        channels=WEB_WX,
    ),
    Doc(
        "zones_primary",
        "zsrx",
        "2026年示范区小学学区划分方案",
        _d(4, 15),
        "示范区实验小学：人民路以东、解放路以北……\n示范区第二小学：解放路以南、滨河路以西……\n"
        "示范区第三小学：文华路以东、新华街以南……（详见附件学区示意图）",
        channels=WEB_WX,
        attachments=("zones_png",),
    ),
    Doc(
        "zones_middle",
        "zsrx",
        "2026年示范区初中学区划分方案",
        _d(4, 15),
        "示范区第一中学对口小学：示范区实验小学、示范区第二小学；示范区第二中学对口小学：示范区第三小学……",
        channels=WEB_WX,
    ),
    Doc(
        "registration_times",
        "zsrx",
        "2026年示范区小学入学信息采集时间安排",
        _d(5, 6),
        "网上信息采集时间：5月11日9:00至5月24日17:00。采集网址：示范区教育局门户网站“入学服务”专栏。",
        channels=WEB_WX,
        publish_after=1,
    ),
    Doc(
        "migrant_children",
        "zsrx",
        "2026年随迁子女接受义务教育入学申请材料清单",
        _d(5, 6),
        "一、父母或其他法定监护人在本区的居住证；二、在本区的就业或经营证明；三、全家户口簿。",
        channels=WEB_WX,
        publish_after=1,
    ),
    Doc(
        "private_brochures",
        "zsrx",
        "2026年示范区民办义务教育学校招生简章汇总",
        _d(5, 20),
        "本区共有民办义务教育学校5所，2026年计划招生小学一年级420人、初中一年级560人。",
    ),
    Doc(
        "zhongkao_qa",
        "zsrx",
        "2026年示范区中考招生政策问答",
        _d(5, 25),
        "问：今年中考录取批次有哪些变化？答：……\n问：指标到校计划如何分配？答：……",
        channels=WEB_WX,
    ),
    Doc(
        "high_school_plan",
        "zsrx",
        "2026年示范区普通高中招生计划",
        _d(6, 10),
        "2026年全区普通高中计划招生2,380人，其中示范区第一中学640人、示范区第二中学560人……",
    ),
    Doc(
        "lottery_results",
        "zsrx",
        "2026年示范区民办义务教育学校电脑随机录取结果公示",
        _d(6, 25),
        "2026年民办义务教育学校电脑随机录取于6月24日在公证机构监督下进行，录取结果如下（以报名序号公布）……",
        publish_after=1,
    ),
    Doc(
        "class_allocation",
        "zsrx",
        "2026年秋季学期义务教育学校新生均衡分班工作提示",
        _d(8, 25),
        "各学校应当按照均衡编班原则，采用随机方式分配学生和教师，不得设置重点班。",
    ),
    # -- 行政权力 --------------------------------------------------------------------------------------
    Doc(
        "licence_guide",
        "xzxk",
        "民办学校办学许可办事指南",
        _d(1, 8),
        "事项名称：实施中等及中等以下学历教育、学前教育、自学考试助学及其他文化教育的学校设立、变更和终止审批。\n"
        "办理时限：30个工作日。收费：不收费。办理地点：示范区政务服务中心教育窗口。",
    ),
    Doc(
        "licence_q1",
        "xzxk",
        "2026年第一季度民办学校办学许可审批结果公示",
        _d(4, 7),
        "2026年第一季度共受理民办学校办学许可申请4件，准予许可3件，不予许可1件。",
    ),
    Doc(
        "licence_q2",
        "xzxk",
        "2026年第二季度民办学校办学许可审批结果公示",
        _d(7, 7),
        "2026年第二季度共受理民办学校办学许可申请5件，准予许可5件。",
    ),
    Doc(
        "penalty_guide",
        "xzcf",
        "示范区教育局行政处罚裁量基准",
        _d(3, 2),
        "一、违法举办学校的……二、民办学校违规招生的……",
        channels=WEB_GAZ,
    ),
    Doc(
        "fees",
        "sfxm",
        "示范区中小学课后服务收费标准及依据",
        _d(8, 28),
        "依据区发展改革委、区教育局《关于中小学课后服务收费有关问题的通知》，课后服务费每生每学期400元，"
        "家庭经济困难学生免收。",
    ),
    # -- 政府采购 / 统计 / 应急 / 监督检查 --------------------------------------------------------------
    Doc(
        "repair_tender",
        "zfcg",
        "示范区第三小学校舍维修加固工程采购公告",
        _d(3, 25),
        "项目编号：SFQCG-2026-018。预算金额：386.50万元。获取招标文件时间：3月26日至4月1日。",
        publish_after=1,
    ),
    Doc(
        "lighting_award",
        "zfcg",
        "示范区中小学教室照明改造项目中标结果公告",
        _d(5, 12),
        "中标供应商：示范区光明照明工程有限公司；中标金额：218.36万元。",
        publish_after=1,
    ),
    Doc(
        "procurement_status",
        "zfcg",
        "2026年示范区教育局政府集中采购目录执行情况",
        _d(9, 15),
        "截至8月底，区教育局执行政府集中采购项目12个，采购金额1,026.80万元。",
    ),
    Doc(
        "statistics_2025",
        "tjxx",
        "2025年示范区教育事业统计公报",
        _d(3, 30),
        "2025年全区共有各级各类学校86所，在校生8.62万人，专任教师6,318人。",
        channels=WEB_GAZ,
        attachments=("statistics_pdf",),
    ),
    Doc(
        "flood_plan",
        "yjgl",
        "示范区教育系统2026年防汛应急预案",
        _d(5, 28),
        "一、总则\n二、组织机构与职责\n三、预警与响应：气象部门发布暴雨红色预警时，全区中小学、幼儿园停课。",
    ),
    Doc(
        "storm_alert",
        "yjgl",
        "关于暴雨红色预警期间全区中小学幼儿园停课的紧急通知",
        _d(7, 30),
        "接区气象台暴雨红色预警，7月31日全区中小学、幼儿园（含校外培训机构）停课一天。",
        channels=WEB_WX,
        publish_after=0,
    ),
    Doc(
        "canteen_report",
        "jdjc",
        "2026年春季学期校园食品安全专项检查情况通报",
        _d(5, 18),
        "本次检查覆盖全区学校食堂68所，发现问题21个，已全部整改到位。",
    ),
    Doc(
        "autumn_check",
        "jdjc",
        "2026年秋季开学校园安全大检查情况",
        _d(9, 21),
        "开学前，区教育局组成5个检查组，对全区学校开展校舍、消防、食品、交通安全检查，排查隐患37处。",
    ),
    # -- 公告公示 --------------------------------------------------------------------------------------
    Doc(
        "teacher_cert_spring",
        "gggs",
        "2026年上半年示范区中小学教师资格认定公告",
        _d(3, 5),
        "网上申报时间：3月16日至3月27日。现场确认时间：4月7日至4月10日。",
        channels=WEB_WX,
    ),
    Doc(
        "teacher_cert_autumn",
        "gggs",
        "2026年下半年示范区中小学教师资格认定公告",
        _d(9, 10),
        "网上申报时间：9月21日至10月9日。",
        channels=WEB_WX,
    ),
    Doc(
        "class_teachers",
        "gggs",
        "2026年示范区优秀班主任拟表彰名单公示",
        _d(9, 4),
        "经学校推荐、区级评审，拟表彰优秀班主任50名，现予公示。公示期5个工作日。",
        unpublish=(12, "公示期满，名单中一人单位信息有误，撤下更正后另行公布"),
    ),
    Doc(
        "best_teachers",
        "gggs",
        "关于2026年示范区“最美教师”评选结果的公示",
        _d(9, 8),
        "经评选，张华等10名教师拟评为2026年示范区“最美教师”，公示期自9月9日至9月15日。",
        channels=WEB_WX,
    ),
    Doc(
        "preschool_consultation",
        "gggs",
        "关于公开征求《示范区学前教育三年行动计划（征求意见稿）》意见的公告",
        _d(10, 12),
        "意见反馈时间：10月13日至11月12日。反馈方式：电子邮件 xqjy@example.cn。",
        channels=WEB_WX,
    ),
    Doc(
        "principal_grades",
        "gggs",
        "2026年示范区中小学校长职级评审结果公示",
        _d(11, 10),
        "经个人申报、学校推荐、评审委员会评审，拟认定特级校长2名、高级校长9名，现予公示。",
    ),
    # -- 工作动态 --------------------------------------------------------------------------------------
    Doc(
        "news_conference",
        "gzdt",
        "示范区召开2026年教育工作会议",
        _d(2, 12),
        "2月12日，示范区召开2026年教育工作会议，总结2025年工作，部署2026年重点任务。",
        channels=WEB_WX,
        publish_after=1,
    ),
    Doc(
        "news_opening",
        "gzdt",
        "区教育局开展春季开学安全检查",
        _d(2, 27),
        "开学前夕，区教育局分组深入各校检查开学准备和校园安全工作。",
        channels=WEB_WX,
        publish_after=1,
    ),
    Doc(
        "news_admission_meeting",
        "gzdt",
        "区教育局召开义务教育招生工作部署会",
        _d(4, 13),
        "会议解读了今年招生入学政策，要求各校严格落实免试就近入学。",
        channels=WEB_WX,
        publish_after=1,
    ),
    Doc(
        "news_science",
        "gzdt",
        "示范区举办第十届中小学生科技节",
        _d(4, 22),
        "本届科技节共有62所学校的3,000余名学生参加。",
        channels=WEB_WX,
        publish_after=1,
    ),
    Doc(
        "news_double_reduction",
        "gzdt",
        "示范区中小学“双减”工作推进会召开",
        _d(5, 14),
        "会议通报了作业管理、课后服务、校外培训治理情况。",
        channels=WEB_WX,
        publish_after=1,
    ),
    Doc(
        "news_zhongkao",
        "gzdt",
        "示范区2026年中考平稳顺利结束",
        _d(6, 26),
        "今年全区共有4,215名考生参加中考，设考点8个。",
        channels=WEB_WX,
        publish_after=1,
    ),
    Doc(
        "news_summer",
        "gzdt",
        "区教育局部署暑期学生安全工作",
        _d(7, 6),
        "会议要求各校重点做好防溺水、交通安全和心理健康教育。",
        channels=WEB_WX,
        publish_after=1,
    ),
    Doc(
        "news_teachers_day",
        "gzdt",
        "示范区庆祝第42个教师节暨表彰大会召开",
        _d(9, 10),
        "大会表彰了优秀教师、优秀班主任和“最美教师”。",
        channels=WEB_WX,
        publish_after=1,
    ),
    Doc(
        "news_afterschool",
        "gzdt",
        "示范区开展秋季学期课后服务专项督导",
        _d(10, 15),
        "督导组采取随机抽查方式，对30所学校课后服务开展情况进行督导。",
        channels=WEB_WX,
        publish_after=1,
    ),
    Doc(
        "news_fire_drill",
        "gzdt",
        "区教育局组织开展校园消防疏散演练",
        9,
        "全区中小学、幼儿园同步开展消防疏散演练，参与师生8.1万人。",
        channels=WEB_WX,
        publish_after=1,
    ),
    Doc(
        "news_young_teachers",
        "gzdt",
        "示范区举办青年教师教学基本功大赛",
        4,
        "大赛分为教学设计、课堂展示、即兴演讲三个环节，共有126名青年教师参赛。",
        channels=WEB_WX,
        publish_after=2,
    ),
    Doc(
        "news_winter",
        "gzdt",
        "区教育局召开冬季校园安全工作部署会",
        1,
        "会议部署了冬季取暖、防火、防煤气中毒等安全工作。",
        channels=WEB_WX,
        path="draft",
    ),
    # -- 人事信息 --------------------------------------------------------------------------------------
    Doc(
        "hiring",
        "rsxx",
        "示范区教育局2026年公开招聘中小学教师公告",
        _d(3, 10),
        "计划招聘中小学教师120名。报名时间：3月20日至3月26日。报名方式：网上报名。",
        channels=WEB_WX,
        attachments=("hiring_xlsx",),
    ),
    Doc(
        "hiring_results",
        "rsxx",
        "示范区教育局2026年公开招聘中小学教师拟聘用人员公示",
        _d(7, 20),
        "经笔试、面试、体检和考察，拟聘用李明等118人，现予公示。公示期7个工作日。",
    ),
    Doc(
        "cadre_notice",
        "rsxx",
        "示范区教育局干部任前公示",
        _d(6, 5),
        "根据干部选拔任用有关规定，拟任命陈晓为示范区第二中学校长，现予公示。",
    ),
    Doc(
        "secondment",
        "rsxx",
        "示范区教育局2026年面向全区公开选调教研员公告",
        _d(10, 20),
        "选调教研员8名，报名时间：10月26日至10月30日。",
    ),
    # -- in review today ---------------------------------------------------------------------------------
    Doc(
        "preschool_plan",
        "ghjh",
        "示范区学前教育三年行动计划（2026—2028年）",
        2,
        "到2028年，全区学前三年毛入园率达到98%以上，普惠性幼儿园覆盖率达到90%以上。",
        path="draft",
    ),
    Doc(
        "secondment_list",
        "rsxx",
        "示范区教育局2026年公开选调教研员拟选调人员公示",
        3,
        "经报名、资格审查、面试，拟选调王丽等8名同志，现予公示。",
        path="office_review",
    ),
    Doc(
        "news_campus_reading",
        "gzdt",
        "示范区“书香校园”读书节启动",
        2,
        "读书节期间将开展经典诵读、好书推荐等活动。",
        channels=WEB_WX,
        path="office_review",
    ),
    Doc(
        "aid_list",
        "gggs",
        "2026年秋季学期家庭经济困难学生资助名单公示",
        5,
        "经学生申请、学校评议，拟资助家庭经济困难学生1,236名。",
        path="returned_secret",
    ),
    Doc(
        "canteen_autumn",
        "jdjc",
        "2026年秋季学期校园食品安全检查情况通报",
        4,
        "本次检查覆盖全区学校食堂68所。",
        path="confidentiality_review",
    ),
    Doc(
        "school_building",
        "zfcg",
        "示范区实验中学新校区建设项目招标公告",
        3,
        "项目编号：SFQCG-2026-061。预算金额：12,680.00万元。",
        path="confidentiality_review",
    ),
    Doc(
        "licence_q3",
        "xzxk",
        "2026年第三季度民办学校办学许可审批结果公示",
        30,
        "2026年第三季度共受理民办学校办学许可申请3件，准予许可3件。",
        path="leader_approval",
    ),
    Doc(
        "afterschool_report",
        "jdjc",
        "示范区2026年秋季学期中小学课后服务督导情况通报",
        26,
        "督导发现部分学校课后服务内容单一，已责令整改。",
        path="returned_office",
    ),
    Doc(
        "winter_holiday",
        "qtwj",
        "关于做好2027年元旦期间学生安全工作的通知",
        7,
        "各中小学校、幼儿园：元旦将至，现就假期学生安全工作通知如下。",
        path="returned_leader",
    ),
    Doc(
        "sports_day",
        "gggs",
        "关于举办示范区第十五届中小学生运动会的通知",
        8,
        "原定11月举办的运动会因场馆改造延期。",
        path="withdrawn",
    ),
)


# -- attachments: small but real files ---------------------------------------------------------------


def _xlsx(title: str, rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _docx(paragraphs: list[str]) -> bytes:
    from docx import Document as WordDocument

    doc = WordDocument()
    for p in paragraphs:
        doc.add_paragraph(p)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF with ASCII text (built by hand: no font needed)."""
    text = "BT /F1 12 Tf 72 760 Td 16 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode("ascii")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _png() -> bytes:
    import struct
    import zlib

    width, height = 4, 4
    raw = b"".join(b"\x00" + b"\x33\x66\x99" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _attachment(key: str) -> tuple[str, bytes]:
    if key == "budget_xlsx":
        return "2026年部门预算公开表.xlsx", _xlsx(
            "收支总表",
            [
                ["项目", "预算数（万元）"],
                ["一般公共预算拨款收入", 178430.25],
                ["事业收入", 6852.10],
                ["其他收入", 1250.25],
                ["收入合计", 186532.60],
            ],
        )
    if key == "three_public_xlsx":
        return "2026年三公经费预算表.xlsx", _xlsx(
            "三公经费",
            [
                ["项目", "2026年预算（万元）", "2025年预算（万元）"],
                ["因公出国（境）费", 0, 0],
                ["公务用车购置及运行维护费", 15.20, 16.10],
                ["公务接待费", 3.40, 3.70],
                ["合计", 18.60, 19.80],
            ],
        )
    if key == "hiring_xlsx":
        return "2026年教师招聘岗位表.xlsx", _xlsx(
            "岗位表",
            [
                ["岗位", "人数", "学历要求"],
                ["小学语文", 30, "本科及以上"],
                ["小学数学", 28, "本科及以上"],
                ["初中英语", 22, "本科及以上"],
                ["初中物理", 12, "本科及以上"],
                ["体育", 28, "本科及以上"],
            ],
        )
    if key == "admission_docx":
        return "示范区义务教育阶段学校招生入学工作实施办法.docx", _docx(
            [
                "示范区义务教育阶段学校招生入学工作实施办法",
                "第一章 总则",
                "第一条 为保障适龄儿童少年依法接受义务教育，规范义务教育阶段学校招生入学工作，制定本办法。",
            ]
        )
    if key == "accounts_pdf":
        return "2025年部门决算报表.pdf", _pdf(
            ["Shifanqu Education Bureau", "Final accounts 2025 (10k CNY)", "Revenue 179862.45", "Expenditure 178905.12"]
        )
    if key == "statistics_pdf":
        return "2025年教育事业统计公报.pdf", _pdf(
            ["Education statistics 2025", "Schools 86", "Students 86200", "Teachers 6318"]
        )
    if key == "zones_png":
        return "小学学区示意图.png", _png()
    raise KeyError(key)


# -- playing the documents ---------------------------------------------------------------------------


class _Days:
    """Working days from the calendar, where it has the year; weekdays beyond it."""

    def __init__(self, calendar: WorkingCalendar, today: date):
        self.calendar, self.today = calendar, today

    def working(self, d: date) -> bool:
        if self.calendar.covers(d):
            return self.calendar.is_working_day(d)
        return d.weekday() < 5

    def next(self, d: date) -> date:
        while not self.working(d):
            d += timedelta(days=1)
        return d

    def add(self, d: date, n: int) -> date:
        d = self.next(d)
        for _ in range(n):
            d += timedelta(days=1)
            d = self.next(d)
        return d

    def back(self, n: int) -> date:
        d = self.today
        while not self.working(d):
            d -= timedelta(days=1)
        for _ in range(n):
            d -= timedelta(days=1)
            while not self.working(d):
                d -= timedelta(days=1)
        return d


@dataclass(order=True)
class _Step:
    day: date
    rank: int
    order: int
    key: str = field(compare=False)
    action: str = field(compare=False)
    fields: dict[str, Any] = field(compare=False, default_factory=dict)


def _publication_day(doc: Doc, days: _Days) -> date:
    formed = days.back(doc.formed) if isinstance(doc.formed, int) else doc.formed
    return days.add(formed, doc.publish_after)


def _validity_step(doc: Doc, order: int, days: _Days, specs: dict[str, Doc]) -> _Step:
    """A repeal or amendment is recorded the day the deciding document is published, dated its
    signing; a 暂行办法 of five years lapses the day before its fifth anniversary."""
    validity, by, number = doc.validity or ("", "", "")
    if by:
        deciding = specs[by]
        assert isinstance(deciding.formed, date)
        day, changed_on = _publication_day(deciding, days), deciding.formed
    else:
        assert isinstance(doc.formed, date)
        day = changed_on = doc.formed.replace(year=doc.formed.year + 5) - timedelta(days=1)
    return _Step(
        day,
        _RANK["validity"],
        order,
        doc.key,
        "validity",
        {"validity": validity, "changed_on": changed_on, "number": number},
    )


def _steps(doc: Doc, order: int, days: _Days, formed: date) -> list[_Step]:
    out: list[_Step] = []

    def add(day: date, action: str, **fields: Any) -> None:
        out.append(_Step(day, _RANK[action], order, doc.key, action, fields))

    add(formed, "create")
    for name in doc.attachments:
        add(formed, "attach", name=name)
    review = PATHS[doc.path]
    published = days.add(formed, doc.publish_after) if doc.path in ("published", "unpublished") else None
    for i, action in enumerate(review):
        day = published if action == "publish" else days.add(formed, min(i + 1, max(doc.publish_after - 1, 0)))
        if doc.path not in ("published", "unpublished"):
            day = days.add(formed, i)  # in review now: one step a day from formation
        fields: dict[str, Any] = {}
        if action in _COMMENTS:
            fields["comment" if action not in ("confidentiality_fail", "withdraw") else "reason"] = _COMMENTS[action]
        if action == "confidentiality_fail":
            fields["concern"] = "third_party"
        if action == "publish":
            fields["published_on"] = day
        add(day, action, **fields)
    if published is not None and doc.revision is not None:
        offset, reason, changes, publish = doc.revision
        start = days.back(-offset) if offset < 0 else days.add(published, offset)
        if start <= published:
            return out  # too early in the year for this revision
        add(start, "revise", reason=reason, changes=changes)
        if publish:
            for i, action in enumerate(REVIEW):
                add(days.add(start, i + 1), action, **({"comment": _COMMENTS[action]} if action in _COMMENTS else {}))
            add(days.add(start, len(REVIEW) + 1), "publish", published_on=days.add(start, len(REVIEW) + 1))
        else:
            add(start, "submit")
    if published is not None and doc.unpublish is not None:
        on = days.add(published, doc.unpublish[0])
        add(on, "unpublish", reason=doc.unpublish[1], unpublished_on=on)
    return out


@dataclass
class SeedResult:
    created: int = 0
    skipped: list[str] = field(default_factory=list)


def _play(
    step: _Step,
    *,
    docs: dict[str, Document],
    spec: Doc,
    agency: Agency,
    users: dict[str, Any],
    columns: dict[str, Column],
) -> Document:
    today = step.day
    if step.action == "create":
        clerk = users["clerk"]
        return services.document_create(
            agency=agency,
            actor=clerk,
            actor_roles={"clerk"},
            title=spec.title,
            column=columns[spec.column],
            formed_on=step.day,
            today=today,
            kind=spec.kind,
            doc_number=spec.doc_number,
            signed_on=step.day if spec.signed else None,
            needs_interpretation=spec.needs_interpretation,
            interprets=docs[spec.interprets] if spec.interprets else None,
            body=spec.body,
            channels=spec.channels,
        )
    doc = docs[spec.key]
    if step.action == "attach":
        name, data = _attachment(step.fields["name"])
        services.attachment_add(document=doc, name=name, data=data, actor=users["clerk"], actor_roles={"clerk"})
        return doc
    if step.action == "validity":
        services.document_change_validity(
            document=doc,
            actor=users["clerk"],
            actor_roles={"clerk"},
            validity=step.fields["validity"],
            changed_on=step.fields["changed_on"],
            changed_by=step.fields["number"],
            today=today,
        )
        return doc
    if step.action == "revise":
        services.document_update(
            document=doc,
            actor=users["clerk"],
            actor_roles={"clerk"},
            changes=step.fields["changes"],
            reason=step.fields["reason"],
            today=today,
        )
        return doc
    if step.action == "publish" and spec.interprets:
        doc.refresh_from_db()
        if doc.state == "published" and doc.public_version == doc.current_version:
            return doc  # went public with its policy (同步发布)
    who = _ACTOR[step.action]
    services.document_transition(
        document=doc, action=step.action, actor=users[who], actor_roles=WHO[who][1], fields=step.fields, today=today
    )
    return doc


def seed_documents(today: date | None = None) -> SeedResult:
    """Create the demo register of 示范区教育局 unless it already has documents."""
    today = today or timezone.localdate()
    result = SeedResult()
    agency = Agency.objects.filter(code=DEMO_AGENCY_CODE).first()
    if agency is None:
        raise DomainError("尚未创建演示机关“示范区教育局”，请先运行 manage.py seed_demo")
    if Document.objects.filter(agency=agency).exists():
        return result
    services.column_tree_install(agency=agency)
    services.index_scheme_save(agency=agency, organisation_code=DEMO_ORGANISATION_CODE, pattern=INDEX_PATTERN)
    services.annual_figures_save(
        agency=agency,
        year=2025,
        actor=None,
        figures={"licensing_decisions": 16, "penalty_decisions": 2, "coercion_decisions": 0, "fee_amount": "0"},
    )
    User = get_user_model()
    users = {who: User.objects.get(username=username) for who, (username, _roles) in WHO.items()}
    columns = {c.slug: c for c in Column.objects.filter(agency=agency)}
    days = _Days(working_calendar(), today)
    specs = {s.key: s for s in DOCS}
    steps: list[_Step] = []
    for order, spec in enumerate(DOCS):
        formed = days.back(spec.formed) if isinstance(spec.formed, int) else spec.formed
        if formed > today:
            continue
        steps += [s for s in _steps(spec, order, days, formed) if s.day <= today]
        if spec.validity is not None:
            steps += [s for s in (_validity_step(spec, order, days, specs),) if s.day <= today]
    docs: dict[str, Document] = {}
    failed: set[str] = set()
    stamps = Backdater(
        Appended(ReviewDecision.objects, "pk", "at"),
        Appended(Document.history, "history_id", "history_date"),
        Appended(DocumentVersion.objects, "pk", "created_at"),
        Appended(DocumentAttachment.objects, "pk", "uploaded_at"),
        every=23,
        within=480,
    )
    for step in sorted(steps):
        spec = specs[step.key]
        if step.key in failed or (spec.interprets and spec.interprets in failed):
            failed.add(step.key)
            continue
        try:
            with transaction.atomic():
                doc = _play(step, docs=docs, spec=spec, agency=agency, users=users, columns=columns)
                stamps.stamp(step.day, doc, created=step.action == "create")
        except DomainError as err:
            failed.add(step.key)
            result.skipped.append(f"{spec.title}（{step.day} {step.action}）：{err.message}")
            stamps.skip()
            continue
        docs[step.key] = doc
        if step.action == "create":
            result.created += 1
    return result
