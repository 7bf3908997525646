"""New media and public communication of 示范区教育局 for the demo, made through the services.

:func:`seed_publicity` does nothing when the demo agency already has new-media accounts. Otherwise it
registers the bureau's four accounts (政务微信公众号, 政务微博, 政务抖音号, 门户网站) and records their
monthly figures from January of last year to the last month that has ended: last year's come from a
sheet the demo writes and imports (upload → preview → confirm, as an office does), this year's are
entered month by month. It records press conferences and policy briefings — those of this year
explaining policies and 政策解读 the demo register has published (held the day the policy was
published) — and a few 回应关切 and 舆情 events, the latest not yet answered. Everything is dated
relative to ``today`` and never after it, so the demo holds on any day, 1 January and 31 December
included. Deterministic.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.accounts.models import Agency
from gongkai.domain.errors import DomainError
from gongkai.domain.publicity.media import PLATFORM_LABELS, month_start
from gongkai.publicity import selectors, services
from gongkai.publicity.models import MediaAccount

DEMO_AGENCY_CODE = "demo-edu"

# (platform, name, url, posts a month, followers at the start of last year, followers gained a month,
# reads per post)
ACCOUNTS = (
    ("wechat", "示范区教育发布", "https://mp.weixin.qq.com/", 34, 118000, 900, 2600),
    ("weibo", "@示范区教育", "https://weibo.com/", 22, 41000, 300, 1400),
    ("douyin", "示范区教育局", "https://www.douyin.com/", 6, 15000, 650, 9000),
    ("website", "示范区教育局门户网站", "https://edu.example.gov.cn/", 28, None, 0, 300),
)


def _months(today: date) -> list[date]:
    """January of last year up to the last month that has ended."""
    out, m = [], date(today.year - 1, 1, 1)
    while m < month_start(today):
        out.append(m)
        m = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return out


def _figures(spec: tuple, i: int, m: date) -> tuple[int, int | None, int]:
    _platform, _name, _url, per_month, start, gain, per_read = spec
    # a busier September (enrolment) and February (spring term), a quieter summer
    season = {2: 1.2, 7: 0.7, 8: 0.8, 9: 1.4}.get(m.month, 1.0)
    posts = round(per_month * season) + (i * 7) % 5
    followers = None if start is None else start + gain * (i + 1) + (i * 37) % 200
    return posts, followers, posts * per_read + (i * 131) % 1000


def _last_year_sheet(specs, months: list[date]) -> bytes:
    # the columns in an office's own order, with its own header texts: matched by header
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["月份", "账号", "平台", "发布数", "粉丝数", "阅读量"])
    for spec in specs:
        for i, m in enumerate(months):
            posts, followers, reads = _figures(spec, i, m)
            w.writerow([f"{m.year}年{m.month}月", spec[1], PLATFORM_LABELS[spec[0]], posts, followers or "", reads])
    return out.getvalue().encode("utf-8-sig")


def seed_publicity(today: date | None = None) -> int:
    """Record the demo's new-media figures, conferences and concerns unless it has accounts already;
    returns the number of month rows recorded."""
    today = today or timezone.localdate()
    agency = Agency.objects.filter(code=DEMO_AGENCY_CODE).first()
    if agency is None:
        raise DomainError("尚未创建演示机关“示范区教育局”，请先运行 manage.py seed_demo")
    if MediaAccount.objects.filter(agency=agency).exists():
        return 0
    clerk = get_user_model().objects.get(username="jingban")
    accounts = {
        spec[1]: services.account_save(agency=agency, actor=clerk, platform=spec[0], name=spec[1], url=spec[2])
        for spec in ACCOUNTS
    }
    months = _months(today)
    last_year = [m for m in months if m.year < today.year]
    made = 0
    if last_year:
        batch = services.batch_upload(
            agency=agency,
            actor=clerk,
            filename=f"新媒体月度数据-{today.year - 1}.csv",
            content=_last_year_sheet(ACCOUNTS, last_year),
        )
        made += services.batch_confirm(batch=batch, actor=clerk, today=today).imported
    for spec in ACCOUNTS:
        for i, m in enumerate(months):
            if m.year < today.year:
                continue
            posts, followers, reads = _figures(spec, i, m)
            services.figures_record(
                account=accounts[spec[1]],
                actor=clerk,
                month=m,
                posts=posts,
                followers=followers,
                reads=reads,
                today=today,
            )
            made += 1
    _briefings(agency, clerk, today)
    _concerns(agency, clerk, today)
    return made


def _briefings(agency: Agency, clerk, today: date) -> None:
    # this year's published 政策解读 of the register, each with the policy it explains
    docs = [d for d in selectors.document_choices(agency) if d.is_public]
    readings = [d for d in docs if d.interprets_id and d.published_on and d.published_on <= today]
    by_pk = {d.pk: d for d in docs}
    speakers = [
        [("王志强", "局党组书记、局长"), ("李红", "基础教育科科长")],
        [("赵明", "局党组成员、副局长")],
        [("李红", "基础教育科科长"), ("孙丽", "学生资助管理中心主任")],
    ]
    for n, reading in enumerate(sorted(readings, key=lambda d: d.published_on)[:3]):
        policy = by_pk.get(reading.interprets_id)
        kind = "press" if n == 0 else ("briefing" if n == 1 else "interpretation")
        services.briefing_save(
            agency=agency,
            actor=clerk,
            today=today,
            kind=kind,
            held_on=reading.published_on,
            topic=f"《{policy.title if policy else reading.title}》政策发布",
            place="示范区政府新闻发布厅" if kind == "press" else "局三楼会议室",
            summary="介绍政策出台的背景、主要内容和办理方式，并回答记者提问。",
            speakers=speakers[n],
            documents=[d.pk for d in (policy, reading) if d is not None],
        )
    # last year's conferences, and one on the new school year (dates relative to today)
    for held_on, kind, topic, who in (
        (
            date(today.year - 1, 3, 20),
            "press",
            f"示范区{today.year - 1}年教育工作新闻发布会",
            [("王志强", "局党组书记、局长")],
        ),
        (date(today.year - 1, 8, 25), "briefing", "秋季学期开学工作政策吹风会", [("赵明", "局党组成员、副局长")]),
        (
            today - timedelta(days=40),
            "press",
            "示范区义务教育优质均衡发展情况新闻发布会",
            [("王志强", "局党组书记、局长")],
        ),
    ):
        services.briefing_save(
            agency=agency,
            actor=clerk,
            today=today,
            kind=kind,
            held_on=held_on,
            topic=topic,
            place="示范区政府新闻发布厅",
            speakers=who,
        )


def _concerns(agency: Agency, clerk, today: date) -> None:
    for days, answered_after, kind, subject, source, actions, channel in (
        (
            300,
            1,
            "concern",
            "网民询问小学新生入学报名时间",
            "政务微博网民留言",
            "在政务微博回复报名时间和所需材料，并在门户网站置顶招生公告。",
            "政务微博",
        ),
        (
            200,
            2,
            "opinion",
            "网传某校食堂食品安全问题",
            "短视频平台网民发布视频",
            "会同市场监管部门到校核查，责成学校整改，在政务微信公众号发布情况通报。",
            "政务微信公众号",
        ),
        (
            120,
            1,
            "concern",
            "家长关注课后服务收费标准",
            "12345热线转办和公众号留言",
            "在政务微信公众号发布课后服务收费政策解读，逐条回复留言。",
            "政务微信公众号",
        ),
        (
            60,
            3,
            "opinion",
            "暴雨天气学校停课安排引发关注",
            "本地媒体报道",
            "发布停课通知和复课安排，接受媒体采访说明情况。",
            "门户网站、政务微博",
        ),
        (
            3,
            None,
            "concern",
            "家长询问寒假放假时间",
            "政务微信公众号留言",
            "正在会同各校确定放假安排，拟统一发布。",
            "",
        ),
    ):
        occurred = today - timedelta(days=days)
        answered = occurred + timedelta(days=answered_after) if answered_after is not None else None
        if answered is not None and answered > today:
            answered = today
        services.concern_save(
            agency=agency,
            actor=clerk,
            today=today,
            kind=kind,
            occurred_on=occurred,
            subject=subject,
            source=source,
            actions=actions,
            answered_on=answered,
            channel=channel,
        )
