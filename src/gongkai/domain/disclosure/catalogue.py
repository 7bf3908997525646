"""What a disclosed document is filed under: the agency's column tree, the 15 items of 条例第二十条,
the document kinds, the 主题分类 and the publication channels.

The column tree is configurable data (:class:`ColumnSpec`); :data:`EDUCATION_BUREAU_COLUMNS` is the
default tree of an education bureau (the demo agency 示范区教育局), modelled on the 法定主动公开内容
columns of district education bureaus' 政府信息公开 pages. The app copies a tree into its ``Column``
table once per agency; afterwards the agency edits its own rows.

The 第二十条 labels are the statutory list labels of procedure.md §6.2, character for character.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from gongkai.domain.errors import DomainError

# -- 条例第二十条 ---------------------------------------------------------------------------------

ARTICLE_20_ITEMS: tuple[str, ...] = (
    "行政法规、规章和规范性文件",
    "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    "国民经济和社会发展规划、专项规划、区域规划及相关政策",
    "国民经济和社会发展统计信息",
    "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    "财政预算、决算信息",
    "行政事业性收费项目及其依据、标准",
    "政府集中采购项目的目录、标准及实施情况",
    "重大建设项目的批准和实施情况",
    "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    "突发公共事件的应急预案、预警信息及应对情况",
    "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    "公务员招考的职位、名额、报考条件等事项以及录用结果",
    "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
)
_NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五")


def _check_item(number: int) -> None:
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= len(ARTICLE_20_ITEMS):
        raise DomainError(f"第二十条只有第（一）至第（十五）项，收到的是“{number}”")


def article20_label(number: int) -> str:
    """The statutory label of item ``number`` (1–15)."""
    _check_item(number)
    return ARTICLE_20_ITEMS[number - 1]


def article20_caption(number: int) -> str:
    """``第二十条第（七）项``: how table 二 and the regulation number an item."""
    _check_item(number)
    return f"第二十条第（{_NUMERALS[number - 1]}）项"


ARTICLE_20_CHOICES: tuple[tuple[int, str], ...] = tuple(
    (i, f"（{_NUMERALS[i - 1]}）{label}") for i, label in enumerate(ARTICLE_20_ITEMS, 1)
)


# -- kinds, topics, channels ----------------------------------------------------------------------


class DocumentKind(StrEnum):
    """规章 and 行政规范性文件 are counted in table 二 第二十条第（一）项 and carry a validity state."""

    REGULATION = "regulation"
    NORMATIVE = "normative"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def has_validity(self) -> bool:
        return self is not DocumentKind.OTHER


_KIND_LABELS = {
    DocumentKind.REGULATION: "规章",
    DocumentKind.NORMATIVE: "行政规范性文件",
    DocumentKind.OTHER: "其他文件",
}


class Channel(StrEnum):
    """Where proactive information is published (条例第二十三条至第二十五条)."""

    WEBSITE = "website"
    NEW_MEDIA = "new_media"
    GAZETTE = "gazette"
    PRESS_CONFERENCE = "press_conference"
    NEWSPAPER = "newspaper"
    BROADCAST = "broadcast"
    READING_ROOM = "reading_room"

    @property
    def label(self) -> str:
        return _CHANNEL_LABELS[self]


_CHANNEL_LABELS = {
    Channel.WEBSITE: "政府网站",
    Channel.NEW_MEDIA: "政务新媒体",
    Channel.GAZETTE: "政府公报",
    Channel.PRESS_CONFERENCE: "新闻发布会",
    Channel.NEWSPAPER: "报刊",
    Channel.BROADCAST: "广播电视",
    Channel.READING_ROOM: "政府信息查阅场所",
}

# 主题分类: the themes of the national government-information catalogue an education bureau uses.
TOPICS: Mapping[str, str] = MappingProxyType(
    {
        "education": "教育",
        "general_affairs": "综合政务",
        "finance": "财政、金融、审计",
        "personnel": "机构、人事",
        "planning": "国民经济管理、国有资产监管",
        "safety": "安全生产监管",
        "social_security": "劳动、人事、社会保障",
        "health_sport": "卫生、体育",
        "science_culture": "科技、文化",
        "urban_construction": "城乡建设、环境保护",
        "statistics": "统计",
        "procurement": "政府采购",
    }
)


def topic_label(key: str) -> str:
    try:
        return TOPICS[key]
    except KeyError:
        raise DomainError(f"未知的主题分类“{key}”") from None


def check_channels(channels: Iterable[str]) -> tuple[Channel, ...]:
    """At least one known channel, each once, in the order given."""
    out: list[Channel] = []
    for c in channels:
        try:
            ch = Channel(c)
        except ValueError:
            allowed = "、".join(x.label for x in Channel)
            raise DomainError(f"未知的公开渠道“{c}”，应为{allowed}之一") from None
        if ch in out:
            raise DomainError(f"公开渠道“{ch.label}”重复")
        out.append(ch)
    if not out:
        raise DomainError("请至少选择一个公开渠道")
    return tuple(out)


# -- the column tree ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnSpec:
    """One column of the 法定主动公开内容 tree. ``article20_item`` is the default item of its documents."""

    slug: str
    name: str
    children: tuple[ColumnSpec, ...] = ()
    article20_item: int | None = None
    topic: str = ""
    description: str = ""
    kind: DocumentKind | None = None  # the usual kind of its documents, if any
    interpretations: bool = False  # the column of 政策解读

    def walk(self, parent: str | None = None) -> Iterator[tuple[str | None, ColumnSpec]]:
        yield parent, self
        for child in self.children:
            yield from child.walk(self.slug)


def _c(slug: str, name: str, *children: ColumnSpec, **kw) -> ColumnSpec:
    return ColumnSpec(slug, name, tuple(children), **kw)


EDUCATION_BUREAU_COLUMNS: tuple[ColumnSpec, ...] = (
    _c(
        "jgzn",
        "机构职能",
        _c("zyzz", "主要职责", article20_item=2, topic="personnel"),
        _c("nsjg", "内设机构", article20_item=2, topic="personnel"),
        _c("ldxx", "领导信息", article20_item=2, topic="personnel"),
        _c("zsdw", "直属单位", article20_item=2, topic="personnel"),
        article20_item=2,
        topic="personnel",
        description="机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    ),
    _c(
        "zcwj",
        "政策文件",
        _c("gfxwj", "行政规范性文件", article20_item=1, topic="education", kind=DocumentKind.NORMATIVE),
        _c("qtwj", "其他文件", article20_item=11, topic="education"),
        article20_item=1,
        topic="education",
    ),
    _c(
        "zcjd",
        "政策解读",
        article20_item=11,
        topic="education",
        interpretations=True,
        description="谁起草、谁解读：政策文件与解读材料同步起草、同步审签、同步发布",
    ),
    _c("ghjh", "规划计划", article20_item=3, topic="planning", description="教育事业发展规划、年度工作要点及总结"),
    _c(
        "czyjs",
        "财政预决算",
        _c("bmys", "部门预算", article20_item=7, topic="finance"),
        _c("bmjs", "部门决算", article20_item=7, topic="finance"),
        _c("sgjf", "三公经费", article20_item=7, topic="finance"),
        article20_item=7,
        topic="finance",
    ),
    _c(
        "zsrx",
        "招生入学",
        article20_item=11,
        topic="education",
        description="义务教育招生入学政策、学区划分、招生计划及结果",
    ),
    _c(
        "xzql",
        "行政权力",
        _c("xzxk", "行政许可", article20_item=5, topic="education"),
        _c("xzcf", "行政处罚", article20_item=6, topic="education"),
        _c("sfxm", "收费项目", article20_item=8, topic="finance"),
        article20_item=5,
        topic="education",
    ),
    _c("zfcg", "政府采购", article20_item=9, topic="procurement"),
    _c("tjxx", "统计信息", article20_item=4, topic="statistics"),
    _c("yjgl", "应急管理", article20_item=12, topic="safety"),
    _c("jdjc", "监督检查", article20_item=13, topic="safety", description="校园安全、食品安全等监督检查情况"),
    _c("gggs", "公告公示", article20_item=15, topic="general_affairs"),
    _c("gzdt", "工作动态", article20_item=15, topic="general_affairs"),
    _c("rsxx", "人事信息", article20_item=14, topic="personnel", description="教师招聘、干部任前公示等"),
)


def flatten(tree: Iterable[ColumnSpec]) -> list[tuple[str | None, ColumnSpec]]:
    """Every column with its parent's slug, parents before children, in tree order."""
    return [pair for top in tree for pair in top.walk()]


def check_tree(tree: Iterable[ColumnSpec]) -> list[str]:
    """Problems of a column tree, in Chinese (empty when it holds together)."""
    problems: list[str] = []
    seen: set[str] = set()
    for _parent, col in flatten(tree):
        if not col.slug or not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in col.slug):
            problems.append(f"栏目“{col.name}”的标识“{col.slug}”只能使用英文字母、数字、连字符和下划线")
        if col.slug in seen:
            problems.append(f"栏目标识“{col.slug}”重复")
        seen.add(col.slug)
        if not col.name.strip():
            problems.append(f"栏目“{col.slug}”缺少名称")
        if col.article20_item is not None and not 1 <= col.article20_item <= 15:
            problems.append(f"栏目“{col.name}”的第二十条事项应为1至15")
        if col.topic and col.topic not in TOPICS:
            problems.append(f"栏目“{col.name}”的主题分类“{col.topic}”未知")
    return problems


# -- registration checks --------------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    """The metadata of a document as entered, for :func:`check_registration`."""

    title: str
    kind: str
    formed_on: date | None
    signed_on: date | None = None
    article20_item: int | None = None
    topic: str = ""
    doc_number: str = ""
    needs_interpretation: bool = False
    interprets: bool = False  # this document is the interpretation of another
    channels: tuple[str, ...] = field(default=(Channel.WEBSITE.value,))


class RegistrationError(DomainError):
    """A registered field is wrong; ``field`` names it so the form can show the message there."""

    code = "registration_error"

    def __init__(self, field_name: str, message: str):
        self.field = field_name
        super().__init__(message)


def check_registration(r: Registration, *, today: date) -> None:
    """Raise :class:`RegistrationError` (Chinese) for the first problem of a document's metadata."""
    if not r.title.strip():
        raise RegistrationError("title", "请填写标题")
    try:
        kind = DocumentKind(r.kind)
    except ValueError:
        raise RegistrationError("kind", f"未知的文件类别“{r.kind}”") from None
    if r.formed_on is None:
        raise RegistrationError("formed_on", "请填写成文日期（信息形成日期）")
    if r.formed_on > today:
        raise RegistrationError("formed_on", f"成文日期{r.formed_on}晚于今天（{today}）")
    if r.signed_on is not None and r.signed_on > today:
        raise RegistrationError("signed_on", f"签发日期{r.signed_on}晚于今天（{today}）")
    if kind.has_validity:
        if r.signed_on is None:
            raise RegistrationError("signed_on", f"{kind.label}须填写签发日期（用于统计本年制发件数）")
        if not r.doc_number.strip():
            raise RegistrationError("doc_number", f"{kind.label}须填写文号")
    if r.article20_item is not None:
        try:
            _check_item(r.article20_item)
        except DomainError as err:
            raise RegistrationError("article20_item", err.message) from None
    if kind.has_validity and r.article20_item not in (None, 1):
        raise RegistrationError("article20_item", f"{kind.label}属于第二十条第（一）项")
    if r.topic and r.topic not in TOPICS:
        raise RegistrationError("topic", f"未知的主题分类“{r.topic}”")
    if r.interprets and r.needs_interpretation:
        raise RegistrationError("needs_interpretation", "政策解读本身不需要另配解读")
    if r.interprets and kind.has_validity:
        raise RegistrationError("kind", "政策解读不是规章或行政规范性文件")
    try:
        check_channels(r.channels)
    except DomainError as err:
        raise RegistrationError("channels", err.message) from None
