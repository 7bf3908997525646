"""The agency's new-media accounts, their monthly figures, its responses to public concerns and its
press conferences: the kinds with their Chinese names, the checks of one record, and the year's
figures the annual report quotes in section 一 (总体情况: "政务微信公众号发布信息400余条，关注13万余人").

A month is kept as its first day. The followers of a month are those at its end; the followers "at
year end" are December's, or, when December is not recorded, those of the year's last recorded
month (the figures say which month that was, so a sentence never passes November off as December).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from gongkai.domain.fields import FieldError


class Platform(StrEnum):
    WECHAT = "wechat"
    WEIBO = "weibo"
    DOUYIN = "douyin"
    WEBSITE = "website"
    OTHER = "other"

    @property
    def label(self) -> str:
        return PLATFORM_LABELS[self.value]


PLATFORM_LABELS: Mapping[str, str] = {
    Platform.WECHAT.value: "政务微信公众号",
    Platform.WEIBO.value: "政务微博",
    Platform.DOUYIN.value: "政务抖音号",
    Platform.WEBSITE.value: "门户网站",
    Platform.OTHER.value: "其他政务新媒体",
}


class BriefingKind(StrEnum):
    PRESS_CONFERENCE = "press"
    POLICY_BRIEFING = "briefing"
    INTERPRETATION = "interpretation"

    @property
    def label(self) -> str:
        return BRIEFING_LABELS[self.value]


BRIEFING_LABELS: Mapping[str, str] = {
    BriefingKind.PRESS_CONFERENCE.value: "新闻发布会",
    BriefingKind.POLICY_BRIEFING.value: "政策吹风会",
    BriefingKind.INTERPRETATION.value: "政策解读会",
}
# The report counts policy briefings and interpretation meetings together (both explain a policy).
POLICY_BRIEFING_KINDS = frozenset({BriefingKind.POLICY_BRIEFING.value, BriefingKind.INTERPRETATION.value})


class ConcernKind(StrEnum):
    CONCERN = "concern"
    OPINION = "opinion"

    @property
    def label(self) -> str:
        return CONCERN_LABELS[self.value]


CONCERN_LABELS: Mapping[str, str] = {
    ConcernKind.CONCERN.value: "回应关切",
    ConcernKind.OPINION.value: "舆情事件",
}

MAX_SPEAKERS = 6


def month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def month_label(m: date) -> str:
    return f"{m.year}年{m.month}月"


def check_month(month: date, *, today: date) -> date:
    """A month whose figures may be recorded: one that has begun (the current month's running figures
    are allowed; a later month's are not known yet). Returns the month's first day."""
    m = month_start(month)
    if m > month_start(today):
        raise FieldError("month", f"{month_label(m)}尚未开始，不能登记该月的数据")
    return m


def check_counts(*, posts: int | None, followers: int | None, reads: int | None) -> None:
    """Posts are required; followers and reads may be left empty (a website has no followers)."""
    if posts is None:
        raise FieldError("posts", "请填写“发布条数”")
    for name, label, value in (
        ("posts", "发布条数", posts),
        ("followers", "关注/粉丝数", followers),
        ("reads", "阅读量", reads),
    ):
        if value is not None and value < 0:
            raise FieldError(name, f"“{label}”不能为负数")


def check_concern(*, occurred_on: date, answered_on: date | None, today: date) -> None:
    """A concern is recorded once it arose; its answer cannot come before it, nor after today."""
    if occurred_on > today:
        raise FieldError("occurred_on", "“发现日期”不能晚于今天")
    if answered_on is not None:
        if answered_on < occurred_on:
            raise FieldError("answered_on", "“回应日期”不能早于发现日期")
        if answered_on > today:
            raise FieldError("answered_on", "“回应日期”不能晚于今天")


def clean_speakers(speakers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The speakers (name, post) in order, blank rows dropped; at least one, each with a post: a
    conference's 发布人 is named with the office they speak for."""
    out = []
    for i, (name, post) in enumerate(speakers, start=1):
        name, post = (name or "").strip(), (post or "").strip()
        if not name and not post:
            continue
        if not name:
            raise FieldError(f"speaker_{i}_name", "请填写发布人的姓名")
        if not post:
            raise FieldError(f"speaker_{i}_post", f"请填写{name}的职务")
        out.append((name[:50], post[:100]))
    if not out:
        raise FieldError("speaker_1_name", "请至少填写一位发布人及其职务")
    if len(out) > MAX_SPEAKERS:
        raise FieldError(None, f"发布人最多{MAX_SPEAKERS}位")
    return out


def check_briefing(*, held_on: date, today: date) -> None:
    """Recorded once held: the register and the report count what took place."""
    if held_on > today:
        raise FieldError("held_on", "“举行日期”不能晚于今天：发布会举行后再登记")


# -- the year's figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthRow:
    """One account's figures of one month."""

    account: int
    platform: str
    month: date
    posts: int
    followers: int | None = None
    reads: int | None = None


@dataclass(frozen=True)
class PlatformYear:
    """One platform's year, over all the agency's accounts on it."""

    platform: str
    accounts: int  # accounts with figures in the year
    posts: int
    followers: int | None  # at year end (summed over accounts), None when no account recorded any
    followers_month: date | None  # the month those followers were counted (December when recorded)
    reads: int | None
    months: int  # distinct months recorded

    @property
    def label(self) -> str:
        return PLATFORM_LABELS.get(self.platform, self.platform)

    @property
    def complete(self) -> bool:
        """Every month of the year recorded."""
        return self.months == 12


def year_figures(rows: Iterable[MonthRow], *, year: int) -> dict[str, PlatformYear]:
    """Per platform (in :class:`Platform` order): the year's posts and reads summed, and the followers
    at year end: each account's figure of its last recorded month of the year, summed."""
    by_platform: dict[str, list[MonthRow]] = {}
    for r in rows:
        if r.month.year == year:
            by_platform.setdefault(r.platform, []).append(r)
    out: dict[str, PlatformYear] = {}
    order = {p.value: i for i, p in enumerate(Platform)}
    for platform in sorted(by_platform, key=lambda p: order.get(p, len(order))):
        rs = by_platform[platform]
        last: dict[int, MonthRow] = {}
        for r in sorted(rs, key=lambda r: r.month):
            if r.followers is not None:
                last[r.account] = r
        reads = [r.reads for r in rs if r.reads is not None]
        out[platform] = PlatformYear(
            platform=platform,
            accounts=len({r.account for r in rs}),
            posts=sum(r.posts for r in rs),
            followers=sum(r.followers or 0 for r in last.values()) if last else None,
            followers_month=max(r.month for r in last.values()) if last else None,
            reads=sum(reads) if reads else None,
            months=len({r.month for r in rs}),
        )
    return out
