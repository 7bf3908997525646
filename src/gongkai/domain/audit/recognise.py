"""What report is this: agency, report year, format version and the six sections.

Everything here reads the normalised text (:class:`~gongkai.domain.audit.normalise.Document`) and
returns offsets into it, so findings can point at the title, a heading or a placeholder.

- **Year**: the title (a line near the top naming a 报告), else the 统计期限, else a phrase such as
  ``2021年度政府信息公开``. ``20××`` / ``20XX`` in their place make the report a *template*.
- **Agency**: from the title (what precedes the year), the line above the title, ``由…编制``,
  ``现发布…``, or the signature. A name that starts with a district or county (溪湖区教育局) is
  completed with the city when the text names exactly one city (本溪市教育网 → 本溪市).
- **Format**: by year (2021+ → "2021", 2019–2020 → "2019", before → "pre2019") and by evidence:
  labels only one table format has (本年制发件数 vs 本年新制作数量, （六）其他处理 with or without
  sub-rows) and the old regulation's structure (概述, 收费及减免, 依申请公开信息和不予公开信息…).
  Evidence wins; a disagreement with the year is reported by the audit (``format_mismatch``).
- **Sections**: headings ``一、`` … ``六、`` at a line start or after a sentence (web copies run the
  whole report into one line), classified by keywords, so ``五、存在主要问题及改进情况`` and
  ``五、政府信息公开工作存在的主要问题及改进情况`` are both the ``problems`` section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from gongkai.domain.audit.normalise import Document

FormatVersion = Literal["2021", "2019", "pre2019"]
SECTION_KEYS = ("overview", "proactive", "applications", "review_litigation", "problems", "other")
SECTION_NAMES = {
    "overview": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
    "fees": "收费及减免情况（修订前条例）",
}

_CN = "一二三四五六七八九十"
# A heading: a Chinese numeral and 、 at a line start or after a sentence end / blank.
_HEADING = re.compile(rf"(?P<num>[{_CN}]{{1,2}})[ \t]*[、．.][ \t]*(?P<title>[^\n\t 。；;:：]{{2,40}})")
_HEADING_AFTER = frozenset(" \t\n。；;")  # a heading starts a line or follows a sentence
_SECTION_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("other", re.compile(r"其他.{0,4}报告|其他事项|其他需要")),
    ("problems", re.compile(r"问题|改进|不足")),
    ("review_litigation", re.compile(r"复议|诉讼")),
    ("fees", re.compile(r"收费|减免")),
    ("applications", re.compile(r"依申请|收到和处理|申请情况|申请公开")),
    ("proactive", re.compile(r"主动公开")),
    ("overview", re.compile(r"总体情况|概述|概况|基本情况|总体")),
)
# Table row labels that look like headings (三、本年度办理结果) never classify: no keyword above.

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_TEMPLATE_YEAR = re.compile(r"20[×xX*＊]{2}")
_PLACEHOLDER = re.compile(r"(?<![A-Za-z0-9])(?:XX|xx|××|ＸＸ)(?![A-Za-z])")
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_YEAR_PHRASE = re.compile(r"((?:19|20)\d{2})\s*年度?(?:的)?(?:政府信息公开|政务公开|信息公开)")

_ORGAN = (
    r"(?:人民政府办公室|人民政府办公厅|人民政府|办公厅|办公室|管理委员会|委员会|办事处|"
    r"局|厅|委|署|院|中心|馆|政府)"
)
_AGENCY_END = re.compile(rf"{_ORGAN}$")
_AGENCY_IN = re.compile(rf"[\u4e00-\u9fffXx×]{{2,30}}?{_ORGAN}")
_PLACE = re.compile(r"[省市县区州旗盟镇乡]|XX|××|xx")
_TITLE_TAIL = re.compile(r"(?:关于)?(?:\d{4}\s*年度?)?(?:政府信息公开|政务公开|信息公开|年度报告|工作报告)")
_BY = re.compile(rf"由([\u4e00-\u9fffXx×]{{2,30}}?{_ORGAN})(?:办公室)?(?:负责)?(?:编制|制作|编写|起草)")
_PUBLISH = re.compile(rf"(?:现发布|现将|特发布|发布)([\u4e00-\u9fffXx×]{{2,30}}?{_ORGAN})\s*(?:\d{{4}}|20××)")
_CITY_MENTION = re.compile(r"([\u4e00-\u9fff]{2})市(?:教育|人民政府|政府|委|财政|公安|卫生|民政|人力)")
_COUNTY_START = re.compile(r"^[\u4e00-\u9fff]{1,4}[区县]")
_PROVINCE_START = re.compile(r"^[\u4e00-\u9fff]{1,4}[省市州盟]")
_NAME_TAIL = re.compile(r"[\u4e00-\u9fffXx×]+$")
_CHROME = re.compile(r"您现在的位置|当前位置|首页|发布时间|来源[:：]|字号|打印|关闭窗口|相关推荐|相关文章|浏览次数")

# Format evidence: phrases only one format uses.
_EVIDENCE: dict[str, tuple[str, ...]] = {
    "2021": (
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年处理决定数量",
        "本年收费金额",
        "按收费通知要求缴纳费用",
        "无正当理由逾期不补正",
    ),
    "2019": (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "采购项目数量",
        "采购总金额",
        "政府集中采购",
        "其他对外管理服务事项",
    ),
    "pre2019": (
        "收费及减免",
        "依申请公开政府信息和不予公开政府信息",
        "依申请公开信息和不予公开信息",
        "主动公开政府信息数",
        "申请办结数",
        "政府信息公开工作概述",
    ),
}
_OTHER_HANDLING_DATA = re.compile(r"[（(]\s*六\s*[)）]\s*其他处理(?:[\t ]+\d+){3,}[\t ]*$", re.M)
_OVERVIEW_OLD = re.compile(rf"(?:^|(?<=\s))[{_CN}]、[^\n]{{0,12}}概述")


@dataclass(frozen=True)
class SectionHit:
    key: str
    number: str  # the numeral written, e.g. "三"
    title: str  # heading text after the numeral
    start: int  # heading start
    title_end: int
    end: int  # start of the next recognised heading, or end of text

    @property
    def body(self) -> tuple[int, int]:
        return self.title_end, self.end


@dataclass
class Recognition:
    agency: str | None = None
    agency_span: tuple[int, int] | None = None
    agency_is_template: bool = False
    agency_completed_from: str | None = None  # the city the name was completed with
    year: int | None = None
    year_span: tuple[int, int] | None = None
    year_is_template: bool = False
    format: FormatVersion | None = None
    format_by_year: FormatVersion | None = None
    evidence: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # version -> [(phrase, offset)]
    sections: dict[str, SectionHit] = field(default_factory=dict)
    # table sections with more than one heading of their kind (an author's prose section
    # 二、主动公开工作情况 before the table section 四、主动公开政府信息情况): every place the table
    # may be, the first heading's section (as in ``sections``) first; the table reader scores them
    alternatives: dict[str, list[SectionHit]] = field(default_factory=dict)
    template_marks: list[tuple[int, int]] = field(default_factory=list)  # 20×× and XX placeholders

    @property
    def format_evidence(self) -> FormatVersion | None:
        """The format the text's own labels and structure point to (None: no evidence)."""
        e21, e19 = len(self.evidence.get("2021", ())), len(self.evidence.get("2019", ()))
        if e21 or e19:
            if e21 == e19:
                return self.format_by_year if self.format_by_year in ("2019", "2021") else "2021"
            return "2021" if e21 > e19 else "2019"
        if len(self.evidence.get("pre2019", ())) >= 2:
            return "pre2019"
        return None


def format_for(year: int | None) -> FormatVersion | None:
    if year is None:
        return None
    if year >= 2021:
        return "2021"
    if year >= 2019:
        return "2019"
    return "pre2019"


def recognise(doc: Document) -> Recognition:
    rec = Recognition()
    text = doc.text
    title_idx = _title_line(doc)
    _find_year(doc, rec, title_idx)
    _find_agency(doc, rec, title_idx)
    if "×" in text or "XX" in text or "xx" in text or "ＸＸ" in text or "*" in text or "＊" in text:
        rec.template_marks = sorted(
            {(m.start(), m.end()) for p in (_TEMPLATE_YEAR, _PLACEHOLDER) for m in p.finditer(text)}
        )
    rec.format_by_year = format_for(rec.year)
    _find_evidence(text, rec)
    ev = rec.format_evidence
    rec.format = ev if ev is not None else rec.format_by_year
    rec.sections = find_sections(doc, rec.alternatives)
    return rec


# -- title, year, agency ----------------------------------------------------------------------


def _title_line(doc: Document) -> int | None:
    """Index in ``doc.lines`` of the title: an early line naming a 报告 (not web chrome)."""
    seen = 0
    for i, line in enumerate(doc.lines):
        s = line.text.strip()
        if not s:
            continue
        seen += 1
        if seen > 8:
            break
        if "报告" in s and len(s) <= 120 and not _CHROME.search(s[:12]):
            return i
        if seen == 1 and len(s) > 120 and "报告" in s[:120] and not _CHROME.search(s[:12]):
            return i  # one-line text (a crawler's copy): the title runs into the report
    return None


def _title_text(text: str) -> str:
    """The title of a title line: the line, or in one-line text its start up to the first 报告."""
    if len(text) <= 120:
        return text
    at = text.find("报告", 0, 120)
    return text[: at + 2] if at >= 0 else text


def _find_year(doc: Document, rec: Recognition, title_idx: int | None) -> None:
    text = doc.text
    if title_idx is not None:
        line = doc.lines[title_idx]
        title = _title_text(line.text)
        m = _YEAR.search(title)
        if m:
            rec.year, rec.year_span = int(m.group(1)), (line.start + m.start(1), line.start + m.end(1))
            return
        t = _TEMPLATE_YEAR.search(title)
        if t:
            rec.year_is_template = True
            return
    for pattern in (_PERIOD, _YEAR_PHRASE):
        m = pattern.search(text, 0, 3000)
        if m:
            rec.year, rec.year_span = int(m.group(1)), m.span(1)
            return
    if _TEMPLATE_YEAR.search(text, 0, 3000):
        rec.year_is_template = True


def _agency_in(segment: str) -> str | None:
    segment = segment.strip(" \t:：,，。|-—【】[]")
    if not segment:
        return None
    if _AGENCY_END.search(segment):
        m = _NAME_TAIL.search(segment)
        name = m.group() if m else segment
        return name if len(name) >= 2 else None
    return None


def _specific(name: str) -> bool:
    return bool(_PLACE.search(name[:-1])) and len(name) > 3


def _find_agency(doc: Document, rec: Recognition, title_idx: int | None) -> None:
    text = doc.text
    candidates: list[tuple[str, int]] = []  # (name, offset)
    lines = doc.lines
    if title_idx is not None:
        line = lines[title_idx]
        head = _title_text(line.text)
        cut = _TITLE_TAIL.search(head)
        y = _YEAR.search(head) or _TEMPLATE_YEAR.search(head)
        end = min(x.start() for x in (cut, y) if x is not None) if (cut or y) else len(head)
        name = _agency_in(head[:end])
        if name is None and y is not None:  # 2018年度溪湖区教育局政府信息公开报告
            after = head[y.end() :]
            after = after[1:] if after.startswith("度") else after
            tail = _TITLE_TAIL.search(after)
            name = _agency_in(after[: tail.start()] if tail else after)
        if name:
            candidates.append((name, line.start + head.find(name)))
        for j in range(title_idx - 1, max(title_idx - 4, -1), -1):  # the line above the title
            s = lines[j].text.strip()
            if s and len(s) <= 30:
                name = _agency_in(s)
                if name:
                    candidates.append((name, lines[j].start + lines[j].text.find(name)))
                break
    if not any(_specific(c[0]) for c in candidates):  # the title did not say: 由…编制, 现发布…, the signature
        _agency_elsewhere(doc, candidates)
    if not candidates:
        return
    best = next((c for c in candidates if _specific(c[0])), candidates[0])
    name, start = best
    rec.agency, rec.agency_span = name, (start, start + len(name))
    rec.agency_is_template = bool(_PLACEHOLDER.search(name))
    if _COUNTY_START.match(name) and not _PROVINCE_START.match(name):
        cities = _city_mentions(text)
        cities.discard(name[:3])
        if len(cities) == 1:
            city = cities.pop()
            rec.agency = city + name
            rec.agency_completed_from = city


def _city_mentions(text: str) -> set[str]:
    """``{m.group(1) + "市" for m in _CITY_MENTION.finditer(text)}``, found from the 市 characters
    (a regex trying two characters before a 市 at every position of the text is much slower)."""
    out: set[str] = set()
    last = 0  # finditer's matches do not overlap: the next one starts at or after this
    p = text.find("市", 2)
    while p >= 0:
        if p - 2 >= last:
            m = _CITY_MENTION.match(text, p - 2)
            if m is not None:
                out.add(m.group(1) + "市")
                last = m.end()
        p = text.find("市", p + 1)
    return out


def _agency_elsewhere(doc: Document, candidates: list[tuple[str, int]]) -> None:
    text, lines = doc.text, doc.lines
    for pattern in (_BY, _PUBLISH):
        m = pattern.search(text, 0, 4000)
        if m:
            candidates.append((m.group(1), m.start(1)))
    nonempty = [ln for ln in lines if ln.text.strip()]
    for ln in reversed(nonempty[-6:]):  # signature
        s = ln.text.strip()
        if len(s) <= 30:
            name = _agency_in(s)
            if name and name == s:
                candidates.append((name, ln.start + ln.text.find(name)))
                break


# -- format ---------------------------------------------------------------------------------


def _find_evidence(text: str, rec: Recognition) -> None:
    for version, phrases in _EVIDENCE.items():
        hits = []
        for p in phrases:
            i = text.find(p)
            if i >= 0:
                hits.append((p, i))
        if hits:
            rec.evidence[version] = hits
    m = _OTHER_HANDLING_DATA.search(text) if "其他处理" in text else None
    if m:  # （六）其他处理 followed by numbers: the 2019 single data row
        rec.evidence.setdefault("2019", []).append(("（六）其他处理", m.start()))
    m = _OVERVIEW_OLD.search(text) if "概述" in text else None
    if m:
        rec.evidence.setdefault("pre2019", []).append(("概述", m.start()))


# -- sections -------------------------------------------------------------------------------


def classify_heading(title: str) -> str | None:
    head = title[:24]
    for key, pattern in _SECTION_WORDS:
        if pattern.search(head):
            return key
    return None


# Headings run on inline (a report delivered as one line: ``…报告如下：一、总体情况（一）…``) are
# recognised by the official titles themselves, not by what precedes them: the numeral and 、
# followed, within a few characters, by the title's words.
_INLINE_TITLES: dict[str, str] = {
    "overview": r"总体情况|概述",
    "proactive": r"主动公开政府信息情况",
    "applications": r"收到和处理政府信息公开申请情况|收到和处理政府信息公开申请",
    "review_litigation": r"政府信息公开行政复议、?行政诉讼情况|行政复议、?行政诉讼情况",
    "problems": r"存在的?主要问题及改进情况|存在的?主要问题",
    "other": r"其他需要?报告的?事项",
}
_INLINE = re.compile(
    rf"(?P<num>[{_CN}]{{1,2}})[ \t]*、[ \t]*(?P<title>(?:政府信息公开|工作)?(?:"
    + "|".join(f"(?P<{k}>{v})" for k, v in _INLINE_TITLES.items())
    + "))"
)

_TITLE_AT = re.compile(r"(?:政府信息公开|工作)?(?:" + "|".join(_INLINE_TITLES.values()) + ")")


def _inline_headings(text: str, hits: list[tuple[int, int, str, str, str]], seen: set[str]) -> None:
    """Add the sections whose headings run on inline (see ``_INLINE``), in text order, each only
    where it keeps the sections in the format's order with those already found."""
    order = {k: i for i, k in enumerate(SECTION_KEYS)}
    for m in _INLINE.finditer(text):
        key = next(k for k in _INLINE_TITLES if m.group(k))
        if key in seen:
            continue
        before = [h for h in hits if h[0] < m.start()]
        after = [h for h in hits if h[0] > m.start()]
        if any(order.get(h[2], -1) > order[key] for h in before) or any(
            order.get(h[2], 99) < order[key] for h in after
        ):
            continue
        seen.add(key)
        hits.append((m.start("num"), m.end("title"), key, m.group("num"), m.group("title")))
        hits.sort()


_TABLE_KEYS = ("proactive", "applications", "review_litigation")


def find_sections(doc: Document, alternatives: dict[str, list[SectionHit]] | None = None) -> dict[str, SectionHit]:
    """The first heading of each kind, in text order; a section ends where the next one starts.

    ``alternatives`` (when given) receives, for a table section whose kind has several headings,
    every candidate: the first heading's section, then each heading of the kind up to the next
    heading of any kind (see :attr:`Recognition.alternatives`)."""
    text = doc.text
    hits: list[tuple[int, int, str, str, str]] = []  # (start, title_end, key, numeral, title)
    again: list[tuple[int, int, str, str, str]] = []  # later headings of a kind already seen
    seen: set[str] = set()
    for m in _HEADING.finditer(text):
        if m.start() > 0 and text[m.start() - 1] not in _HEADING_AFTER:
            continue
        title = m.group("title")
        key = classify_heading(title)
        if key is None and m.group("num") == "二" and "公开情况" in title[:12]:
            key = "proactive"  # old reports: 二、信息公开情况
        if key is None:
            continue
        # a heading is short: a long "title" with sentence punctuation is a sentence
        if len(title) > 36 and ("，" in title or "," in title):
            continue
        if key in seen:
            if key in _TABLE_KEYS and alternatives is not None:
                official = _TITLE_AT.match(title)
                tend = m.start("title") + official.end() if official is not None else m.end("title")
                again.append((m.start("num"), tend, key, m.group("num"), title[: tend - m.start("title")]))
            continue
        seen.add(key)
        tend = m.end("title")
        official = _TITLE_AT.match(title)
        if official is not None:  # the title runs on into the text (a one-line report): cut it
            title = title[: official.end()]
            tend = m.start("title") + official.end()
        hits.append((m.start("num"), tend, key, m.group("num"), title))
    if len(seen & set(_INLINE_TITLES)) < len(_INLINE_TITLES):
        _inline_headings(text, hits, seen)
    out: dict[str, SectionHit] = {}
    for i, (start, tend, key, num, title) in enumerate(hits):
        end = hits[i + 1][0] if i + 1 < len(hits) else len(text)
        out[key] = SectionHit(key, num, title, start, tend, end)
    if again and alternatives is not None:
        every = sorted(hits + again)
        for i, (start, tend, key, num, title) in enumerate(every):
            if key not in _TABLE_KEYS or not any(h[2] == key for h in again):
                continue
            end = every[i + 1][0] if i + 1 < len(every) else len(text)
            options = alternatives.setdefault(key, [out[key]])
            tight = SectionHit(key, num, title, start, tend, end)
            if tight != options[0]:
                options.append(tight)
    return out


# -- another agency named in the report ---------------------------------------------------------

_PLACE_SUFFIX = re.compile(r"[县市区旗]")
_ORGAN_AFTER = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:局|委员会|委|厅|办公室)")
_CJK2 = re.compile(r"[\u4e00-\u9fff]{2}")
_GENERIC_PLACE = re.compile(
    r"^(?:[本我全该各此某上下县市区省州]|市县|县区|城区|市区|地市|州市|辖区|社区|园区|校区|景区|街区)"
)
# two characters in front of 区/县/市 that are words, not place names (通过区教育局 = 通过 + 区教育局)
_NOT_PLACE = frozenset(
    "通过 落实 虽然 根据 按照 配合 协调 联合 会同 由于 以及 关于 对于 经过 报送 转发 印发 组织 要求 通知 我们 全体 各级 "
    "加强 推进 推动 积极 认真 及时 主动 全面 深入 向上 报请 经由 并由 均由 已由 协助 参加 参与 召开 举办 开展".split()
)
_OWN_ORGAN = re.compile(
    r"(?:教育|财政|公安|民政|卫生健康|卫生|文化|交通运输|自然资源|生态环境|住房和城乡建设|发展和改革)[\u4e00-\u9fff]{0,2}(?:局|委员会|委)$"
)
_AGENCY_CONTEXT = re.compile(r"(?:的)?(?:政府信息公开|信息公开|政务公开|年度报告)")


def other_agencies(doc: Document, rec: Recognition) -> list[tuple[str, int, int]]:
    """Names of other agencies the report speaks of as if they were its own (copy-paste).

    A name counts when its place is not part of the report's own agency name, it stands outside
    a document title 《…》, and either it is followed by 政府信息公开/信息公开/政务公开 (…局政府信息
    公开工作机制) or it is the same kind of organ as the report's own (another county's 教育局).
    """
    own = rec.agency or ""
    if not own:
        return []
    own_organ = _OWN_ORGAN.search(own)
    text = doc.text
    out: list[tuple[str, int, int]] = []
    seen: set[str] = set()
    for sm in _PLACE_SUFFIX.finditer(text):
        p = sm.start()
        om = _ORGAN_AFTER.match(text, p + 1)
        if om is None or p < 2 or not _CJK2.fullmatch(text, p - 2, p):
            continue
        start = p - 4 if text[p - 2 : p] == "自治" and p >= 4 and _CJK2.fullmatch(text, p - 4, p - 2) else p - 2
        place, organ = text[start : p + 1], om.group()
        name = place + organ
        end = om.end()
        if name in seen or _GENERIC_PLACE.match(place) or place in own or name in own or place[:2] in _NOT_PLACE:
            continue
        if own.endswith(name[2:]):
            continue  # 区教育局 after some word: the report's own district bureau
        if _PLACE.search(organ[:-1]) and organ in own:
            continue  # 无锡市 + 梁溪区教育局: the report's own name with its city
        opened, closed = text.rfind("《", 0, start), text.rfind("》", 0, start)
        if opened > closed:
            continue  # inside a document title
        same_kind = own_organ is not None and organ.endswith(own_organ.group())
        if not (_AGENCY_CONTEXT.match(text, end) or same_kind):
            continue
        seen.add(name)
        out.append((name, start, end))
    return out
