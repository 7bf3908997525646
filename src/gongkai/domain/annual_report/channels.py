"""The other channels 一、总体情况 counts beside applications, and the sentences made from them.

Real reports of education bureaus state, in 总体情况, the deputies' suggestions and members' proposals
handled and their replies published (办理人大代表建议…件、政协委员提案…件), the work orders of the
12345 hotline, provincial platforms and the leader's mailbox with their reply rates
(收到…工单13件，回复13件，回复率100%), their new-media accounts (发布…条，关注…人) and press
conferences. These figures come from gongkai's own registers (the app gathers them into
:class:`ChannelFigures`); every figure may be absent — a channel the agency does not keep in gongkai
— and an absent channel gets no sentence.

The sentences are worded so that the audit reader (:mod:`gongkai.domain.audit.prose`), which checks
the prose against tables 三 and 四, reads none of them as a figure of an application or a case: no
办结, 申请, 行政复议 or 信息 beside a number, no 其中 (the reader would add up the parts), and so
that :mod:`channel_prose` reads each of them back as the figure it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

from gongkai.domain.annual_report.suggestions import Suggestion
from gongkai.domain.errors import DomainError
from gongkai.domain.rates import rate_text

# the work-order platforms, by the codes of gongkai.domain.workorders.workflow.Platform
HOTLINE, PROVINCIAL, MAILBOX = "12345", "provincial", "mailbox"
# the kinds of new-media accounts (the publicity register's platforms map onto them)
WECHAT, WEIBO, DOUYIN, TOUTIAO, VIDEO, WEBSITE = "wechat", "weibo", "douyin", "toutiao", "video", "website"
MEDIA_LABELS = {
    WECHAT: "微信公众号",
    WEIBO: "政务微博",
    DOUYIN: "抖音号",
    TOUTIAO: "头条号",
    VIDEO: "微信视频号",
    WEBSITE: "门户网站",
}

# where each channel's figures come from, as the page names the register
SOURCE_PROPOSALS = "建议提案办理登记"
SOURCE_WORKORDERS = "工单登记"
SOURCE_PUBLICITY = "新媒体和新闻发布登记"


def _check_counts(owner: object, names: Iterable[str]) -> None:
    for name in names:
        v = getattr(owner, name)
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise DomainError(f"“{name}”应为非负整数或空缺，收到的是“{v!r}”")


def _not_more(owner: object, part: str, whole: str, message: str) -> None:
    p, w = getattr(owner, part), getattr(owner, whole)
    if p is not None and w is not None and p > w:
        raise DomainError(message)


@dataclass(frozen=True)
class ProposalCounts:
    """One kind (人大代表建议 or 政协委员提案) of the items assigned in the year."""

    handled: int | None = None  # registered (交办) in the year
    replied: int | None = None  # a reply letter signed
    published: int | None = None  # the reply published in the column
    fed_back: int | None = None  # the deputy's or member's feedback recorded
    satisfied: int | None = None  # … and it was 满意 or 基本满意

    def __post_init__(self) -> None:
        _check_counts(self, (f.name for f in fields(self)))
        _not_more(self, "replied", "handled", "答复件数不能多于办理件数")
        _not_more(self, "published", "replied", "公开复文件数不能多于答复件数")
        _not_more(self, "fed_back", "replied", "反馈件数不能多于答复件数")
        _not_more(self, "satisfied", "fed_back", "满意件数不能多于反馈件数")


@dataclass(frozen=True)
class WorkOrderCounts:
    """One platform's orders received in the year (回复率 = replied / received; 按时回复率 = on time /
    received; 满意率 = satisfied / rated, as :class:`gongkai.domain.workorders.workflow.Figures`)."""

    platform: str  # HOTLINE, PROVINCIAL, MAILBOX or another platform's code
    label: str  # as printed: 12345政务服务便民热线
    noun: str = "工单"  # what the platform's items are called in prose: 工单, 来信
    received: int | None = None
    replied: int | None = None
    on_time: int | None = None
    rated: int | None = None
    satisfied: int | None = None

    def __post_init__(self) -> None:
        _check_counts(self, ("received", "replied", "on_time", "rated", "satisfied"))
        _not_more(self, "replied", "received", "回复件数不能多于收到件数")
        _not_more(self, "on_time", "received", "按时回复件数不能多于收到件数")
        _not_more(self, "rated", "received", "评价件数不能多于收到件数")
        _not_more(self, "satisfied", "rated", "满意件数不能多于评价件数")


@dataclass(frozen=True)
class MediaCounts:
    """One new-media account: posts in the year and followers at the year's end."""

    kind: str  # WECHAT, WEIBO, …
    label: str  # as printed: 微信公众号“示范区教育”
    posts: int | None = None
    followers: int | None = None

    def __post_init__(self) -> None:
        _check_counts(self, ("posts", "followers"))


@dataclass(frozen=True)
class PublicityFigures:
    """What the new-media and press-conference register gives for the year."""

    media: tuple[MediaCounts, ...] = ()
    press_conferences: int | None = None  # 新闻发布会
    policy_briefings: int | None = None  # 政策吹风会
    concerns_answered: int | None = None  # 回应社会关切

    def __post_init__(self) -> None:
        _check_counts(self, ("press_conferences", "policy_briefings", "concerns_answered"))


@dataclass(frozen=True)
class ChannelFigures:
    """The year's figures of the channels; None (or empty) where the register holds nothing."""

    year: int
    suggestions: ProposalCounts | None = None  # 人大代表建议
    proposals: ProposalCounts | None = None  # 政协委员提案
    work_orders: tuple[WorkOrderCounts, ...] = ()
    publicity: PublicityFigures | None = None

    @property
    def media(self) -> tuple[MediaCounts, ...]:
        return self.publicity.media if self.publicity is not None else ()

    def proposal_kinds(self) -> list[tuple[str, ProposalCounts]]:
        return [(name, c) for name, c in (("人大代表建议", self.suggestions), ("政协委员提案", self.proposals)) if c]

    def combined(self, measure: str) -> int | None:
        """A measure of suggestions and proposals together (None unless every kind present has it)."""
        kinds = self.proposal_kinds()
        values = [getattr(c, measure) for _n, c in kinds]
        if not values or any(v is None for v in values):
            return None
        return sum(values)


# -- numbers as the reports print them ----------------------------------------------------------------


# -- the sentences --------------------------------------------------------------------------------------


def proposals_sentence(f: ChannelFigures) -> str | None:
    kinds = [(name, c) for name, c in f.proposal_kinds() if c.handled is not None]
    if not kinds:
        return None
    total = sum(c.handled for _n, c in kinds)
    if total == 0:
        return "本年度未承办" + "、".join(name for name, _c in kinds) + "。"
    clauses = ["本年度共办理" + "、".join(f"{name}{c.handled}件" for name, c in kinds if c.handled)]
    replied = f.combined("replied")
    if replied is not None:
        clauses.append(f"已答复{replied}件" if replied else "尚未答复")
    published = f.combined("published")
    if published:
        clauses.append(f"在政府信息公开专栏公开答复复文{published}件")
    fed_back, satisfied = f.combined("fed_back"), f.combined("satisfied")
    if fed_back and satisfied is not None:
        clauses.append(f"收到代表委员反馈意见{fed_back}件")
        clauses.append(f"满意和基本满意率{rate_text(satisfied, fed_back)}")
    return "，".join(clauses) + "。"


def _work_order_clauses(w: WorkOrderCounts) -> list[str]:
    if w.received is None:
        return []
    if w.received == 0:
        return [f"{w.label}未收到{w.noun}"]
    out = [f"收到{w.label}{w.noun}{w.received}件"]
    if w.replied is not None:
        out += [f"回复{w.replied}件", f"回复率{rate_text(w.replied, w.received)}"]
    if w.on_time is not None:
        out.append(f"按时回复率{rate_text(w.on_time, w.received)}")
    if w.rated and w.satisfied is not None:
        out += [f"群众评价{w.rated}件", f"满意率{rate_text(w.satisfied, w.rated)}"]
    return out


def work_orders_sentence(f: ChannelFigures) -> str | None:
    parts = ["，".join(c) for c in (_work_order_clauses(w) for w in f.work_orders) if c]
    if not parts:
        return None
    return "本年度" + "；".join(parts) + "。"


def media_sentence(f: ChannelFigures) -> str | None:
    parts = []
    for m in f.media:
        clauses = []
        if m.posts:
            clauses.append(f"全年发布{m.posts}条")
        if m.followers:
            clauses.append(f"年末关注人数{m.followers}人")
        if clauses:
            parts.append(m.label + "，".join(clauses))
    return "；".join(parts) + "。" if parts else None


def press_sentence(f: ChannelFigures) -> str | None:
    p = f.publicity
    if p is None:
        return None
    clauses = []
    if p.press_conferences is not None:
        clauses.append(f"召开新闻发布会{p.press_conferences}场" if p.press_conferences else "未召开新闻发布会")
    if p.policy_briefings:
        clauses.append(f"举办政策吹风会{p.policy_briefings}场")
    if p.concerns_answered:
        clauses.append(f"回应社会关切{p.concerns_answered}次")
    return "本年度" + "，".join(clauses) + "。" if clauses else None


def channel_suggestions(f: ChannelFigures | None) -> list[Suggestion]:
    """The sentences for the year's channels, in the order they would appear in 总体情况.

    Suggestions and proposals go to 一 under 主动公开 (their replies are published in the column) and
    are offered again in 六 under the point the practice names (人大代表建议和政协提案办理结果公开情况,
    annual-report-format.md §2); work orders, new media and press conferences to 一 under
    政府信息公开平台建设.
    """
    if f is None:
        return []
    out: list[Suggestion] = []
    proposals = proposals_sentence(f)
    if proposals:
        out.append(Suggestion("overview", "主动公开", proposals, "proposals", SOURCE_PROPOSALS))
    orders = work_orders_sentence(f)
    if orders:
        out.append(Suggestion("overview", "政府信息公开平台建设", orders, "work_orders", SOURCE_WORKORDERS))
    media = media_sentence(f)
    if media:
        out.append(Suggestion("overview", "政府信息公开平台建设", media, "media", SOURCE_PUBLICITY))
    press = press_sentence(f)
    if press:
        out.append(Suggestion("overview", "政府信息公开平台建设", press, "press", SOURCE_PUBLICITY))
    if proposals:
        out.append(
            Suggestion(
                "other", "人大代表建议和政协提案办理结果公开情况", proposals, "proposals_other", SOURCE_PROPOSALS
            )
        )
    return out
