"""The points each prose section of the report must (or should) cover, and whether the text does.

Points per section (annual-report-format.md §2):

- 一、总体情况: 主动公开, 依申请公开, 政府信息管理, 政府信息公开平台建设, 监督保障 — required by the
  2021 format. For 各级人民政府 (an agency whose name ends in 人民政府) 监督保障 must also give the
  results of 工作考核、社会评议和责任追究 (条例第五十条第（四）项), a required point of its own.
  The 2019 trial format's instruction text was not read (the spec says so), so for reports on 2019
  and 2020 the same points are shown as recommended, not required.
- 五、存在的主要问题及改进情况: 存在的主要问题 and 改进情况, required in both formats.
- 六、其他需要报告的事项: 信息处理费 must be stated (collected, or a statement that none was) from
  the 2021 format on; before it (reports on 2019 and 2020, when the 信息处理费 办法 国办函〔2020〕109号,
  in force from 2021-01-01, did not yet apply) it is recommended. The items real reports commonly
  add (工作要点, 建议提案, 创新) are recommended.

*Covered* is evidence in the section's text: one of the point's phrases below occurs (a regular
expression each; tolerant of wording, e.g. 依申请公开 / 收到…申请 / 公开申请, but never a word any
text has, such as 工作 or 加强 alone). It is a reminder, not a judgement of quality:

| point | phrases (any of) |
|---|---|
| 主动公开 | 主动公开 · 公开(政府)信息…条 · 发布…信息 |
| 依申请公开 | 依申请 · 公开申请 · 收到/受理/办结/答复…申请 · 未收到…申请 |
| 政府信息管理 | 信息管理 · 公开属性 · 保密审查 · 源头认定 · 动态更新/调整 · 公开目录/指南 · 规范性文件(的)清理/管理/备案 · 发布审核/审查 · 三审 · 档案 |
| 政府信息公开平台建设 | 平台 · 网站 · 政务新媒体/微信/微博/公众号 · 公开专栏/专区 · 政府公报 · 查阅点/查阅室/阅览室 · 新闻发布 |
| 监督保障 | 监督 · 考核 · 培训 · 督查/督导 · 责任追究/问责 · 社会评议 · 组织领导/保障 |
| 工作考核、社会评议和责任追究结果 | each of 考核, 评议, 责任追究/问责 |
| 存在的主要问题 | 问题 · 不足 · 短板 · 差距 · 薄弱 · 有待 · 不够 · 不到位 |
| 改进情况 | 改进 · 整改 · 下一步 · 今后 · 措施 · 将进一步/将继续/将持续 |
| 信息处理费 | 信息处理费 · 处理费 · 收取…费用 · 收费 |
| 落实上级年度政务公开工作要点情况 | 工作要点 · 要点 |
| 人大代表建议和政协提案办理结果公开情况 | 建议…提案 · 人大代表 · 政协委员 · 政协提案 |
| 年度政务公开工作创新情况 | 创新 · 特色 · 亮点 |

The other channels (:mod:`channels`), asked for only when gongkai's registers hold figures of the
year, recommended (the format requires 主动公开 and 政府信息公开平台建设 in 总体情况 — spec
annual-report-format.md §2 — not these figures); each shows the register's figures beside it, and is
covered when the channel is named with a number in the same clause:

| section | point | phrases (any of, with a number) |
|---|---|---|
| 一 (主动公开) | 建议提案办理和复文公开情况 | 代表建议 · 人大建议 · 委员提案 · 政协提案 · 建议提案 |
| 一 (平台建设) | 政务热线和网上平台工单办理情况 | 12345 · 热线 · 工单 · 民心网 · 信箱 · 网上平台 |
| 一 (平台建设) | 政务新媒体和新闻发布情况 | 新媒体 · 微信 · 公众号 · 微博 · 抖音 · 头条号 · 视频号 · 发布会 · 吹风会 · 关切 |
| 六 | 人大代表建议和政协提案办理结果公开情况 (the point above) | gets the proposals' figures beside it |
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.domain.annual_report.channels import (
    ChannelFigures,
    media_sentence,
    press_sentence,
    proposals_sentence,
    work_orders_sentence,
)
from gongkai.domain.annual_report.content import ReportContent

NARRATIVE_KEYS = ("overview", "problems", "other")


@dataclass(frozen=True)
class ChecklistItem:
    point: str  # the point as the format (or the practice) names it
    covered: bool
    required: bool
    hint: str  # Chinese: what to write
    figures: str = ""  # Chinese: what gongkai's registers hold for the point this year


@dataclass(frozen=True)
class _Point:
    point: str
    hint: str
    any_of: tuple[str, ...] = ()  # covered if one of these matches
    all_of: tuple[str, ...] = ()  # covered if every one of these matches (used alone)

    def covered(self, text: str) -> bool:
        if not text:
            return False
        if self.all_of:
            return all(re.search(p, text) for p in self.all_of)
        return any(re.search(p, text) for p in self.any_of)


_S = r"[^。；;\n]{0,20}"  # within one clause or sentence

_OVERVIEW = (
    _Point(
        "主动公开",
        "写明本年度主动公开政府信息的总数、主要栏目和发布渠道，以及规章、规范性文件的制发和清理情况。",
        (r"主动公开", rf"公开(?:政府)?信息{_S}\d+条", rf"发布{_S}信息"),
    ),
    _Point(
        "依申请公开",
        "写明本年度收到、办结和结转政府信息公开申请的件数和办理结果，以及行政复议、行政诉讼情况。",
        (r"依申请", r"公开申请", rf"(?:收到|受理|办结|答复|办理){_S}申请", rf"未收到{_S}申请"),
    ),
    _Point(
        "政府信息管理",
        "写明公开属性源头认定、保密审查、发布审核、公开目录和指南的更新、规范性文件清理等管理制度和做法。",
        (
            r"信息管理",
            r"公开属性",
            r"保密审查",
            r"源头认定",
            r"动态(?:更新|调整)",
            r"公开(?:目录|指南)",
            r"规范性文件的?(?:清理|管理|备案)",
            r"发布(?:审核|审查)",
            r"三审",
            r"档案",
        ),
    ),
    _Point(
        "政府信息公开平台建设",
        "写明政府网站政府信息公开专栏、政务新媒体、政府公报、查阅点等公开平台的建设和维护情况。",
        (
            r"平台",
            r"网站",
            r"政务新媒体",
            r"微信",
            r"微博",
            r"公众号",
            r"公开专[栏区]",
            r"政府公报",
            r"查阅[点室]",
            r"阅览室",
            r"新闻发布",
        ),
    ),
    _Point(
        "监督保障",
        "写明组织领导、工作考核、培训、监督检查和责任追究等保障措施。",
        (r"监督", r"考核", r"培训", r"督[查导]", r"责任追究", r"问责", r"社会评议", r"组织领导", r"保障"),
    ),
)
_GOVERNMENT_POINT = _Point(
    "工作考核、社会评议和责任追究结果",
    "各级人民政府应在监督保障中写明工作考核、社会评议和责任追究的结果情况（条例第五十条第（四）项）。",
    all_of=(r"考核", r"评议", r"责任追究|问责"),
)
_PROBLEMS = (
    _Point(
        "存在的主要问题",
        "如实写明本年度政府信息公开工作存在的主要问题和不足。",
        (r"问题", r"不足", r"短板", r"差距", r"薄弱", r"有待", r"不够", r"不到位"),
    ),
    _Point(
        "改进情况",
        "写明针对问题已采取和将要采取的改进措施（上一年度报告所列问题的整改情况也可在此说明）。",
        (r"改进", r"整改", r"下一步", r"今后", r"措施", r"将(?:进一步|继续|持续)"),
    ),
)
_FEE = _Point(
    "信息处理费",
    "写明本年度依据《政府信息公开信息处理费管理办法》收取信息处理费的情况；未收取的，写明“本年度未收取信息处理费”。",
    (r"信息处理费", r"处理费", rf"收取{_S}费用", r"收费"),
)
_OTHER_COMMON = (
    _Point("落实上级年度政务公开工作要点情况", "可写明落实上级年度政务公开工作要点的情况。", (r"工作要点", r"要点")),
    _Point(
        "人大代表建议和政协提案办理结果公开情况",
        "可写明人大代表建议和政协提案办理结果的公开情况。",
        (rf"建议{_S}提案", r"人大代表", r"政协委员", r"政协提案"),
    ),
    _Point("年度政务公开工作创新情况", "可写明本年度政务公开工作的创新做法。", (r"创新", r"特色", r"亮点")),
)


_N = r"[0-9０-９零〇一二两三四五六七八九十百千]"
_PROPOSALS_POINT = _Point(
    "建议提案办理和复文公开情况",
    "可写明本年度办理人大代表建议、政协委员提案的件数、答复和复文公开情况。",
    (rf"(?:代表建议|人大建议|委员提案|政协提案|建议提案){_S}{_N}",),
)
_WORK_ORDERS_POINT = _Point(
    "政务热线和网上平台工单办理情况",
    "可写明本年度12345热线、网上平台、局长信箱等收到和回复的件数、回复率和按时回复率。",
    (rf"(?:12345|１２３４５|热线|工单|民心网|信箱|网上平台){_S}{_N}",),
)
_MEDIA_POINT = _Point(
    "政务新媒体和新闻发布情况",
    "可写明政务新媒体发布条数、关注人数，以及新闻发布会、政策吹风会和回应社会关切的情况。",
    (rf"(?:新媒体|微信|公众号|微博|抖音|头条号|视频号|发布会|吹风会|关切){_S}{_N}",),
)
_OTHER_PROPOSALS_POINT = "人大代表建议和政协提案办理结果公开情况"


def _channel_points(channels: ChannelFigures | None) -> list[tuple[_Point, str]]:
    """(point, the register's figures) for the channels the registers hold this year."""
    if channels is None:
        return []
    out = []
    proposals = proposals_sentence(channels)
    if proposals:
        out.append((_PROPOSALS_POINT, proposals))
    orders = work_orders_sentence(channels)
    if orders:
        out.append((_WORK_ORDERS_POINT, orders))
    media = "".join(s for s in (media_sentence(channels), press_sentence(channels)) if s)
    if media:
        out.append((_MEDIA_POINT, media))
    return out


def _is_government(agency_name: str) -> bool:
    return agency_name.strip().endswith("人民政府")


def _points(content: ReportContent) -> dict[str, list[tuple[_Point, bool]]]:
    """(point, required) per narrative section of the year's format."""
    v2021 = content.fmt.version == "2021"
    out: dict[str, list[tuple[_Point, bool]]] = {}
    for section in content.fmt.sections:
        if section.kind != "narrative":
            continue
        if section.key == "overview":
            points = [(p, v2021) for p in _OVERVIEW]
            if _is_government(content.agency_name):
                points.append((_GOVERNMENT_POINT, True))
        elif section.key == "problems":
            points = [(p, True) for p in _PROBLEMS]
        elif section.key == "other":
            points = [(_FEE, v2021)] + [(p, False) for p in _OTHER_COMMON]
        else:  # a narrative section a later format may add: nothing known to check
            points = []
        out[section.key] = points
    return out


def checklist(content: ReportContent, channels: ChannelFigures | None = None) -> dict[str, list[ChecklistItem]]:
    """Per narrative section of the year's format (in format order), its points and whether the
    section's text covers them. ``channels`` (the registers' figures of the other channels) adds
    the points that ask for them, each with the figures."""
    out: dict[str, list[ChecklistItem]] = {}
    extra = _channel_points(channels)
    proposals = proposals_sentence(channels) if channels is not None else None
    for key, points in _points(content).items():
        text = content.section_text(key)
        items = []
        for p, required in points:
            figures = (proposals or "") if key == "other" and p.point == _OTHER_PROPOSALS_POINT else ""
            items.append(ChecklistItem(p.point, p.covered(text), required, p.hint, figures))
        if key == "overview":
            items += [ChecklistItem(p.point, p.covered(text), False, p.hint, figures) for p, figures in extra]
        out[key] = items
    return out


def _titles(content: ReportContent) -> dict[str, str]:
    return {s.key: s.title for s in content.fmt.sections}


def missing_required(content: ReportContent) -> list[tuple[str, str, str]]:
    """(section key, section title, point) for every required point the text does not cover."""
    titles = _titles(content)
    return [
        (key, titles[key], item.point)
        for key, items in checklist(content).items()
        for item in items
        if item.required and not item.covered
    ]


def empty_sections(content: ReportContent) -> list[tuple[str, str]]:
    """(key, title) of every narrative section of the year's format with no text at all."""
    return [(s.key, s.title) for s in content.fmt.sections if s.kind == "narrative" and not content.section_text(s.key)]
