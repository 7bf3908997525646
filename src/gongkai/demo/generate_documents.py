"""Bulk-generate disclosed documents for benchmarks: ``manage.py generate_documents --count 500000``.

Fast (``bulk_create``, no per-document service call) but consistent with the rules: every
published document has passed the confidentiality review of its version
(``confidentiality_passed_version == current_version == public_version == 1``), its 索引号 follows
the agency's pattern with a unique sequence per year, its column and top-level column agree, and
行政规范性文件 carry 文号, signing date and a validity (some repealed later, with date and
repealing document). About 1 in 100 of the last two months' documents is still in review (not
public). Publication dates run from 2019-01-02 to today, a little more every year, on working
days; titles and bodies are assembled from an education bureau's vocabulary (3 to 24 sentences,
about 100–1,200 characters), so the search has realistic text to scan.

No review log, versions or history rows are written for generated documents: they were never
edited. Not for production data: use a scratch database. 500,000 documents take about 3 minutes
on SQLite and 4 on PostgreSQL (the search indexes — FTS5 trigram table, pg_trgm GIN — are filled
as the rows arrive); on PostgreSQL the command then runs ``ANALYZE`` so that the planner's
estimates (which the search uses) know the new rows.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.core.management.base import CommandError
from django.db import transaction

from gongkai.accounts.models import Agency
from gongkai.disclosure import selectors, services
from gongkai.disclosure.models import Column, Document
from gongkai.domain.disclosure.workflow import State
from gongkai.workcalendar.selectors import working_calendar

FIRST_DAY = date(2019, 1, 2)
BATCH = 2000

SCHOOLS = (
    "示范区实验小学",
    "示范区第二小学",
    "示范区第三小学",
    "示范区育才小学",
    "示范区光明小学",
    "示范区第一中学",
    "示范区第二中学",
    "示范区实验中学",
    "示范区外国语学校",
    "示范区职业高级中学",
    "示范区特殊教育学校",
    "示范区第一幼儿园",
    "示范区阳光幼儿园",
    "示范区滨河小学",
    "示范区文华中学",
)
SUBJECTS = (
    "语文",
    "数学",
    "英语",
    "物理",
    "化学",
    "生物",
    "历史",
    "地理",
    "道德与法治",
    "体育",
    "音乐",
    "美术",
    "信息科技",
)
TOPICS = (
    "义务教育招生入学",
    "学区划分",
    "课后服务",
    "校园安全",
    "食品安全",
    "学生资助",
    "教师招聘",
    "校舍维修",
    "教育督导",
    "“双减”工作",
    "防溺水",
    "心理健康教育",
    "劳动教育",
    "体育锻炼",
    "近视防控",
    "校外培训治理",
    "学前教育普及普惠",
    "特殊教育",
    "职业教育",
    "教育信息化",
    "家庭教育指导",
    "控辍保学",
    "营养改善计划",
)
SEASONS = ("春季学期", "秋季学期", "寒假", "暑假", "第一季度", "第二季度", "第三季度", "第四季度", "上半年", "下半年")

# column slug → (weight, title templates)
TITLES: dict[str, tuple[int, tuple[str, ...]]] = {
    "gzdt": (
        30,
        (
            "{school}开展{topic}主题活动",
            "区教育局召开{topic}工作推进会",
            "{school}举办{subject}教学开放日",
            "示范区{year}年{season}{topic}工作综述",
            "区教育局督导{school}{topic}工作",
        ),
    ),
    "gggs": (
        14,
        (
            "{year}年示范区{topic}先进集体和先进个人拟表彰名单公示",
            "{school}{year}年{season}招生结果公示",
            "关于{year}年{season}{topic}有关事项的公告",
            "{year}年示范区中小学教师资格认定公告（{season}）",
        ),
    ),
    "zsrx": (
        8,
        (
            "{year}年{school}招生简章",
            "{year}年示范区{topic}工作方案",
            "{year}年{school}学区范围",
            "{year}年示范区随迁子女入学工作问答",
        ),
    ),
    "qtwj": (
        6,
        (
            "关于做好{year}年{season}{topic}工作的通知",
            "关于开展{year}年{topic}专项检查的通知",
            "关于印发{year}年{topic}实施方案的通知",
        ),
    ),
    "bmys": (3, ("{school}{year}年单位预算", "示范区教育局{year}年部门预算")),
    "bmjs": (2, ("{school}{year}年单位决算", "示范区教育局{year}年部门决算")),
    "sgjf": (1, ("{school}{year}年“三公”经费预算情况说明", "示范区教育局{year}年“三公”经费决算情况说明")),
    "xzxk": (4, ("{year}年{season}民办学校办学许可审批结果公示", "{school}办学许可证变更结果公示")),
    "xzcf": (1, ("示范区教育局行政处罚决定书（示教罚〔{year}〕{n}号）",)),
    "sfxm": (1, ("{school}{year}年{season}课后服务收费公示",)),
    "zfcg": (4, ("{school}{topic}项目采购公告", "{school}{topic}项目中标结果公告", "{year}年政府集中采购目录执行情况")),
    "tjxx": (1, ("{year}年示范区教育事业统计公报", "{year}年{season}示范区教育统计数据")),
    "yjgl": (1, ("示范区教育系统{year}年{topic}应急预案", "关于启动{topic}应急响应的通知")),
    "jdjc": (3, ("{year}年{season}{topic}监督检查情况通报", "{school}{topic}督导评估报告")),
    "rsxx": (
        4,
        (
            "示范区教育局{year}年公开招聘{subject}教师公告",
            "{year}年{school}校长任前公示",
            "示范区教育局{year}年公开招聘拟聘用人员公示",
        ),
    ),
    "ghjh": (2, ("{year}年示范区教育工作要点", "示范区教育局{year}年{season}工作总结", "示范区{topic}三年行动计划")),
    "zcjd": (2, ("《关于做好{year}年{topic}工作的通知》政策解读", "图解：{year}年示范区{topic}政策")),
    "gfxwj": (1, ("示范区{topic}管理办法", "示范区{topic}实施细则", "示范区{topic}暂行规定")),
}
SENTENCES = (
    "为深入贯彻落实党中央、国务院关于{topic}的决策部署，结合本区实际，现就有关事项通知如下。",
    "各中小学校、幼儿园要高度重视{topic}工作，成立工作专班，明确责任分工。",
    "{school}认真组织实施{topic}工作，{year}年{season}共覆盖学生{n}人。",
    "区教育局将会同有关部门加强督导检查，对工作不力的单位予以通报。",
    "请各单位于{season}结束前将工作总结报送区教育局{office}。",
    "联系人：{office}，联系电话：010-6200{n4}。",
    "本次活动共有{n}名师生参加，{subject}学科教研组进行了现场展示。",
    "经研究，决定对{school}{topic}工作中表现突出的集体和个人予以表扬。",
    "如对公示内容有异议，请在公示期内以书面形式向区教育局{office}反映。",
    "资金使用严格执行财务管理制度，确保专款专用，{year}年安排资金{n}万元。",
    "各学校要加强家校沟通，通过家长会、致家长的一封信等方式做好政策宣传解读。",
    "本通知自印发之日起施行，由区教育局{office}负责解释。",
)
OFFICES = ("办公室", "政策法规科", "基础教育科", "计划财务科", "人事科", "教育督导室", "安全稳定科", "民办教育管理科")


def _fill(rng: random.Random, template: str, year: int) -> str:
    return template.format(
        school=rng.choice(SCHOOLS),
        subject=rng.choice(SUBJECTS),
        topic=rng.choice(TOPICS),
        season=rng.choice(SEASONS),
        year=year,
        n=rng.randint(12, 4800),
        n4=f"{rng.randint(0, 9999):04d}",
        office=rng.choice(OFFICES),
    )


def _body(rng: random.Random, year: int) -> str:
    parts = [_fill(rng, rng.choice(SENTENCES), year) for _ in range(rng.randint(3, 24))]
    return "\n".join(parts)


def generate(count: int, *, agency: Agency, today: date, seed: int = 2026, actor=None, progress=None) -> int:
    """Insert ``count`` documents for ``agency``; returns how many were written."""
    rng = random.Random(seed)
    services.column_tree_install(agency=agency)
    columns = {c.slug: c for c in Column.objects.filter(agency=agency)}
    missing = set(TITLES) - set(columns)
    if missing:
        raise CommandError(f"the agency lacks the columns {sorted(missing)} of the default tree")
    pattern, org = selectors.index_scheme_for(agency)
    calendar = working_calendar()
    days = [FIRST_DAY + timedelta(days=i) for i in range((today - FIRST_DAY).days + 1)]
    working = [d for d in days if not calendar.covers(d) or calendar.is_working_day(d)]
    # a little more every year: later days weigh more
    weights = [1.0 + 0.6 * (d - FIRST_DAY).days / 365 for d in working]
    dates = sorted(rng.choices(working, weights=weights, k=count))
    slugs = list(TITLES)
    slug_weights = [TITLES[s][0] for s in slugs]
    next_seq: dict[int, int] = {}
    in_review = (State.DRAFT, State.OFFICE_REVIEW, State.CONFIDENTIALITY_REVIEW, State.LEADER_APPROVAL)
    written = 0
    for start in range(0, count, BATCH):
        batch = []
        for published in dates[start : start + BATCH]:
            slug = rng.choices(slugs, weights=slug_weights)[0]
            column = columns[slug]
            formed = published - timedelta(days=rng.randint(0, 12))
            year = formed.year
            if year not in next_seq:
                next_seq[year] = selectors.next_index_seq(agency, year)
            seq = next_seq[year]
            next_seq[year] += 1
            title = _fill(rng, rng.choice(TITLES[slug][1]), year)
            normative = slug == "gfxwj"
            public = rng.random() >= 0.01 or published < today - timedelta(days=60)
            doc = Document(
                agency=agency,
                title=title[:300],
                index_number=pattern.format(agency_code=org, year=year, seq=seq, column=slug),
                index_year=year,
                index_seq=seq,
                issuing_office=agency.name,
                formed_on=formed,
                column=column,
                top_column_id=column.top_id,
                topic=column.topic,
                article20_item=column.article20_item,
                kind="normative" if normative else "other",
                body=_body(rng, year),
                channels=["website", "new_media"] if rng.random() < 0.4 else ["website"],
                current_version=1,
                created_by=actor,
            )
            if normative:
                doc.doc_number = f"示教规〔{year}〕{seq}号"
                doc.signed_on = formed
                doc.validity = "in_force"
                if rng.random() < 0.25:
                    repealed = formed + timedelta(days=rng.randint(200, 2000))
                    if repealed <= today:
                        doc.validity, doc.validity_changed_on = "repealed", repealed
                        doc.repealed_by = f"示教规〔{repealed.year}〕{rng.randint(1, 40)}号"
            elif rng.random() < 0.3:
                doc.doc_number = f"示教发〔{year}〕{rng.randint(1, 300)}号"
            if public:
                doc.state, doc.is_public, doc.public_version = State.PUBLISHED.value, True, 1
                doc.confidentiality_passed_version, doc.published_on = 1, published
            else:
                doc.state = rng.choice(in_review).value
            doc.refresh_search_text()  # bulk_create does not call save()
            batch.append(doc)
        with transaction.atomic():
            Document.objects.bulk_create(batch, batch_size=500)
        written += len(batch)
        if progress:
            progress(written)
    return written
