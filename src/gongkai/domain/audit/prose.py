"""Figures the prose states, with their place in the text: 主动公开政府信息243条, 收到申请5件 …

A *figure* is a number (Arabic, or Chinese such as 五, 十三) followed by a counting unit (条, 件,
次, 元 …). What it counts is read from its clause (the text since the last ，。；): 收到…申请 →
``applications_received``, 结转下年度 → ``carry_forward`` … (``KEYS`` below). Statements of
nothing (无行政复议、行政诉讼, 未收取信息处理费, 未收到…申请) are figures of 0.

``1000余条`` (and 近/约/逾/超过/多/左右) is *approximate*: kept with ``approximate=True``, never
compared as exact.

*Whole and parts*: ``共计200条，其中公告公示43条、政务类信息56条、工作动态101条`` is a whole
with a list of parts; ``5件，其中1件结转下年度…，其余4件…`` is a whole with a subset and the
rest. :func:`parts_statements` finds them; the audit checks the sums. A list of parts whose sum
falls short may continue in the next sentence (sample-02: ``…56条。政务微信公开政府信息数60条``);
a list whose sum exceeds the whole is accepted when its first parts make the whole exactly and
the rest describe something else (sample-05: ``诉求29件，其中民心网20件，电话接访9件，民心网反馈20件``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from typing import Literal

from gongkai.domain.audit.limits import DEFAULT_LIMITS, MAX_NUMBER_DIGITS
from gongkai.domain.audit.model import ProseFigure
from gongkai.domain.audit.normalise import Document

KEYS = {
    "proactive_total": "主动公开信息总数",
    "proactive_items": "主动公开信息数（某一类或某一栏目）",
    "applications_received": "收到政府信息公开申请数",
    "applications_carried_over": "上年结转申请数",
    "carry_forward": "结转下年度继续办理数",
    "applications_completed": "办结申请数",
    "applications_answered": "已答复申请数",
    "unable_not_held": "本机关不掌握相关政府信息",
    "review_cases": "行政复议案件数",
    "litigation_cases": "行政诉讼案件数",
    "info_fee": "信息处理费（元）",
    "complaints_received": "投诉、举报、热线件数",
    "appeals_received": "群众诉求件数",
    "part": "某一总数中的分项",
    "figure": "其他数字",
}

_CN_NUM = "零〇一二两三四五六七八九十百千万"
_UNITS = "人次|万元|元|条|件|次|个|项|起|封|篇|场|人"
_BEFORE2 = frozenset({"超过", "共计", "合计", "总计", "累计"})
_BEFORE1 = frozenset({"近", "约", "逾", "共"})
_APPROX_BEFORE = ("近", "约", "逾", "超过")
_CLAUSE_END = re.compile(r"[，,。；;！？!?：:\n]")
_SENTENCE_END = re.compile(r"[。；;！？!?\n]")
_NEGATION = re.compile(r"(?:无|未|没有|并无|均无|零)")
_ZERO_STATEMENTS: tuple[tuple[str, str, re.Pattern[str]], ...] = (  # key, a word the clause must hold, pattern
    ("review_cases", "行政复议", re.compile(r"(?:无|未发生|没有发生|没有|未出现|未有)[^，,。；;\d]{0,24}?行政复议")),
    (
        "litigation_cases",
        "行政诉讼",
        re.compile(r"(?:无|未发生|没有发生|没有|未出现|未有)[^，,。；;\d]{0,30}?行政诉讼"),
    ),
    (
        "info_fee",
        "费",
        re.compile(r"(?:未|没有|无|不)(?:收取|收)?[^，,。；;\d]{0,8}?信息处理费|未发生[^，,。；;\d]{0,14}?收费"),
    ),
    (
        "applications_received",
        "申请",
        re.compile(r"(?:未收到|没有收到|未接到|未受理)[^，,。；;\d]{0,12}?申请|无(?:政府信息公开|依申请公开)申请"),
    ),
)


@dataclass
class PartsStatement:
    """A whole and its parts (kind "list") or a whole, a subset and the rest (kind "subset")."""

    whole: ProseFigure
    parts: list[ProseFigure]
    kind: Literal["list", "subset"]
    rest: ProseFigure | None = None
    extended: bool = False  # the list continued into the next sentence
    dropped: list[ProseFigure] = field(default_factory=list)  # listed after the parts that make the whole

    @property
    def approximate(self) -> bool:
        return self.whole.approximate or any(p.approximate for p in self.parts)


def cn_to_int(s: str) -> int | None:
    """五 → 5, 十三 → 13, 二十 → 20, 一百零五 → 105, 两千 → 2000; None if not a numeral (nor for
    a run longer than ``MAX_NUMBER_DIGITS``: no report states such a figure)."""
    if len(s) > MAX_NUMBER_DIGITS:
        return None
    digits = {
        "零": 0,
        "〇": 0,
        "一": 1,
        "二": 2,
        "两": 2,
        "三": 3,
        "四": 4,
        "五": 5,
        "六": 6,
        "七": 7,
        "八": 8,
        "九": 9,
    }
    units = {"十": 10, "百": 100, "千": 1000}
    if s and all(c in digits for c in s) and len(s) > 1:  # 二〇二一
        return int("".join(str(digits[c]) for c in s))
    total, section, num = 0, 0, None
    for c in s:
        if c in digits:
            num = digits[c]
        elif c in units:
            section += (1 if num is None else num) * units[c]
            num = None
        elif c == "万":
            total += (section + (num or 0)) * 10000
            section, num = 0, None
        else:
            return None
    return total + section + (num or 0)


def _value(num: str) -> int | float | None:
    """The figure ``num`` states; None when it is none (a digit run beyond ``MAX_NUMBER_DIGITS``
    would be an infinite float, or beyond 4,300 digits an error, and is no figure anyway)."""
    if num[0].isdigit():
        s = num.replace(",", "").replace("，", "")
        if len(s) > MAX_NUMBER_DIGITS and sum(1 for ch in s if ch.isdigit()) > MAX_NUMBER_DIGITS:
            return None
        return float(s) if "." in s else int(s)
    return cn_to_int(num)


@dataclass
class _Raw:
    start: int  # figure (number) start, approximation words included
    end: int
    num_start: int
    value: int | float
    unit: str
    approximate: bool
    clause_start: int
    item_start: int  # where the item of a list (、-separated) starts


_UNIT_CHAR = re.compile(r"[元条件次个项起封篇场人]")
_DIGITS = frozenset("0123456789")
_NUM_CHARS = frozenset("0123456789,，.")
_CN_CHARS = frozenset(_CN_NUM)
_ARABIC = re.compile(r"\d+(?:[,，]\d{3})*(?:\.\d+)?$")
# what a figure's clause says (compiled once: the module cache of ``re`` is shared and can evict)
_RECEIVED = re.compile(r"收到|受理|新收|接到|接收|收悉|共收")
_REST = re.compile(r"其余|其他|剩余")
_COMPLAINT = re.compile(r"投诉|举报|热线|信访")
_HANDLED = re.compile(r"收到|受理|接到|办理|回复")
_PUBLISHED = re.compile(r"公开|发布")
_WHOLE = re.compile(r"共|总计|合计|累计|全年")
_THEN_AMONG = re.compile(r"\s*[,，]\s*其中")
_AMONG = re.compile("其中")
_REST_BEFORE = re.compile(r"(?:其余|其他|剩余|另)\s*$")


def _figures(text: str, limit: int | None = None) -> list[_Raw]:
    """Every number followed by a counting unit, found from the units backwards (the first
    ``limit`` of them, when given).

    (Scanning for the few unit characters and stepping back over the number is several times
    faster than a regex trying a number at every position of the text.)
    """
    out = []
    rev: str | None = None  # the text reversed: the last clause end before a number is the first one in it
    n = len(text)
    for m in _UNIT_CHAR.finditer(text):
        u = m.start()
        unit = text[u]
        if u and unit == "次" and text[u - 1] == "人":
            unit, u = "人次", u - 1
        elif u and unit == "元" and text[u - 1] == "万":
            unit, u = "万元", u - 1
        i = u
        while i and text[i - 1] in " \t":
            i -= 1
        approx = False
        if i and text[i - 1] in "余多":
            approx, i = True, i - 1
        mult = 1
        if i > 1 and text[i - 1] in "万亿" and (text[i - 2] in _DIGITS or text[i - 2] in _CN_CHARS):
            mult, i = (10000 if text[i - 1] == "万" else 100000000), i - 1
        end = i
        if not i:
            continue
        if text[i - 1] in _DIGITS:
            while i and text[i - 1] in _NUM_CHARS:
                i -= 1
            a = _ARABIC.search(text, i, end)
            if a is None:
                continue
            start, num = a.start(), a.group()
        elif text[i - 1] in _CN_CHARS:
            while i and text[i - 1] in _CN_CHARS:
                i -= 1
            start, num = i, text[i:end]
            if (i and text[i - 1] == "第") or num in ("万", "千", "百"):
                continue
        else:
            continue
        value = _value(num)
        if value is None:
            continue
        value = value * mult if mult != 1 else value
        fig_end = m.end()
        if text.startswith("左右", fig_end):
            approx, fig_end = True, fig_end + 2
        lo = max(start - 80, 0)
        if rev is None:
            rev = text[::-1]
        end_mark = _CLAUSE_END.search(rev, n - start, n - lo)  # the last clause end in text[lo:start]
        cs = n - end_mark.start() if end_mark is not None else lo
        q = text.rfind("其中", cs, start)
        item = max(text.rfind("、", cs, start) + 1, q + 2 if q >= 0 else cs, cs)
        before = text[start - 2 : start] if start >= 2 else ""
        if before not in _BEFORE2:
            before = text[start - 1 : start] if start >= 1 else ""
            if before not in _BEFORE1:
                before = ""
        approx = approx or before in _APPROX_BEFORE
        out.append(_Raw(start - len(before), fig_end, start, value, unit, approx, cs, item))
        if limit is not None and len(out) >= limit:
            break
    return out


def _key(text: str, f: _Raw) -> str:
    ctx = text[f.clause_start : f.num_start]
    follow = text[f.end : f.end + 12]
    if "结转下" in ctx or (not ctx.strip("其中另有共 ") and follow.startswith("结转下")):
        return "carry_forward"
    if "上年结转" in ctx or "上年度结转" in ctx or "结转上年" in ctx:
        return "applications_carried_over"
    if "不掌握" in ctx:
        return "unable_not_held"
    if "行政复议" in ctx and f.unit in ("件", "起", "次", "个"):
        return "review_cases"
    if "行政诉讼" in ctx and f.unit in ("件", "起", "次", "个"):
        return "litigation_cases"
    if ("信息处理费" in ctx or "收取费用" in ctx) and f.unit in ("元", "万元"):
        return "info_fee"
    if "申请" in ctx and _RECEIVED.search(ctx) and f.unit in ("件", "个", "条"):
        return "applications_received"
    if "办结" in ctx and "未办结" not in ctx and f.unit == "件":
        return "applications_completed"
    if f.unit == "件" and "答复" in follow and _REST.search(ctx):
        return "applications_answered"
    if _COMPLAINT.search(ctx) and _HANDLED.search(ctx) and f.unit in ("件", "封", "条"):
        return "complaints_received"
    if "诉求" in ctx and f.unit == "件":
        return "appeals_received"
    if f.unit == "条" and _PUBLISHED.search(ctx) and "信息" in ctx:
        whole = _WHOLE.search(ctx) or _THEN_AMONG.match(text[f.end : f.end + 4])
        return "proactive_total" if whole else "proactive_items"
    return "figure"


def _stated(doc: Document, f: _Raw, key: str) -> ProseFigure:
    start = f.clause_start if key != "figure" else f.item_start
    label = doc.text[start : f.end].strip()
    return ProseFigure(
        key=key,
        value=f.value,
        span=doc.span(start, f.end),
        label=label,
        approximate=f.approximate,
        unit=f.unit,
        start=f.start,
        end=f.end,
    )


@dataclass
class Prose:
    figures: list[ProseFigure]  # keyed figures and zero statements, in text order
    statements: list[PartsStatement]
    cut: int | None = None  # the limit of figures read, when the text had more

    def of(self, key: str) -> list[ProseFigure]:
        return [f for f in self.figures if f.key == key]


class _Lazy(dict):  # type: ignore[type-arg]
    """Figure start -> ProseFigure, built on first use (most figures are never needed)."""

    def __init__(self, doc: Document, raws: list[_Raw], keys: dict[int, str]):
        super().__init__()
        self.doc = doc
        self.raws = {f.start: f for f in raws}
        self.keys = keys

    def __missing__(self, start: int) -> ProseFigure:
        f = self.raws[start]
        st = _stated(self.doc, f, self.keys[start])
        self[start] = st
        return st


def read_prose(doc: Document, *, max_figures: int = DEFAULT_LIMITS.max_prose_figures) -> Prose:
    text = doc.text
    # a report states a few hundred figures; a hostile text of a million characters of them would
    # take seconds to key and compare, for nothing a reader could use
    raws = _figures(text, max_figures + 1)
    cut = max_figures if len(raws) > max_figures else None
    raws = raws[:max_figures]
    keys = {f.start: _key(text, f) for f in raws}
    by_pos = _Lazy(doc, raws, keys)
    chosen: dict[int, ProseFigure] = {}
    for f in raws:
        if keys[f.start] != "figure":
            chosen[f.start] = by_pos[f.start]
    statements = _parts(doc, raws, by_pos)
    # parts replace the plain figures they were read from; wholes and parts are always listed
    for st in statements:
        for x in [st.whole, *st.parts, *st.dropped, *([st.rest] if st.rest else [])]:
            if x.start not in chosen or chosen[x.start].key in ("figure", "proactive_items"):
                chosen[x.start] = x
    figures = list(chosen.values()) + _zeros(doc, raws)
    figures.sort(key=lambda x: x.start)
    return Prose(figures, statements, cut)


def _zeros(doc: Document, raws: list[_Raw]) -> list[ProseFigure]:
    text = doc.text
    starts = sorted(f.num_start for f in raws)
    out = []
    for key, word, pattern in _ZERO_STATEMENTS:
        # the statements end with ``word``: look for them only just before each occurrence of it
        matches = []
        i = text.find(word)
        last = -1
        while i >= 0:
            m = pattern.search(text, max(i - 40, last + 1), i + len(word))
            if m is not None and m.start() > last:
                matches.append(m)
                last = m.end() - 1
            i = text.find(word, i + 1)
        for m in matches:
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            if "\t" in text[line_start : line_end if line_end >= 0 else len(text)]:
                continue  # a table line, not prose
            # a clause that states the number itself is not a statement of nothing
            end = _CLAUSE_END.search(text, m.end())
            stop = end.start() if end else len(text)
            k = bisect.bisect_left(starts, m.start())
            if k < len(starts) and starts[k] < stop:
                continue
            out.append(
                ProseFigure(
                    key=key, value=0, span=doc.span(m.start(), m.end()), label=m.group(), start=m.start(), end=m.end()
                )
            )
    return out


_SENTENCE_CHARS = "。；;！？!?\n"


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    lo = max(pos - 400, 0)
    start = max(max(text.rfind(c, lo, pos) for c in _SENTENCE_CHARS) + 1, 0)
    m = _SENTENCE_END.search(text, pos)
    return start, (m.start() if m else len(text))


def _between(raws: list[_Raw], starts: list[int], lo: int, hi: int) -> list[_Raw]:
    """The figures that start at or after ``lo`` and end by ``hi`` (raws are in text order)."""
    i = bisect.bisect_left(starts, lo)
    out = []
    while i < len(raws) and raws[i].start < hi:
        if raws[i].end <= hi:
            out.append(raws[i])
        i += 1
    return out


def _parts(doc: Document, raws: list[_Raw], by_pos: _Lazy) -> list[PartsStatement]:
    text = doc.text
    out: list[PartsStatement] = []
    raws = sorted(raws, key=lambda f: f.start)
    starts = [f.start for f in raws]
    for m in _AMONG.finditer(text):
        p = m.start()
        s_start, s_end = _sentence_bounds(text, p)
        before = _between(raws, starts, s_start, p)
        if not before:
            continue
        whole_raw = before[-1]
        if text[whole_raw.end : p].strip(" ,，、") != "":
            continue  # 其中 must follow the whole
        nxt = text.find("其中", m.end())
        stop = min(s_end, nxt) if nxt >= 0 else s_end
        after = _between(raws, starts, m.end(), stop)
        if not after:
            continue
        whole = by_pos[whole_raw.start]
        first = after[0]
        if text[m.end() : first.start].strip(" ,，、") == "":  # 其中1件结转…: a subset
            part = by_pos[first.start]
            rest = None
            for f in after[1:]:
                if _REST_BEFORE.search(text[max(f.num_start - 3, 0) : f.num_start]) and f.unit == whole_raw.unit:
                    rest = by_pos[f.start]
                    break
            out.append(PartsStatement(whole, [part], "subset", rest))
            continue
        parts: list[ProseFigure] = []
        for f in after:
            if f.unit != whole_raw.unit:
                break
            parts.append(_as_part(by_pos[f.start], doc))
        if not parts:
            continue
        st = PartsStatement(whole, parts, "list")
        _settle(st, doc, raws, starts, by_pos, s_end, whole_raw.unit)
        out.append(st)
    return out


def _as_part(f: ProseFigure, doc: Document) -> ProseFigure:
    """The figure as an item of a list: labelled by its own item (公告公示43条), keyed "part"."""
    if f.key not in ("figure", "proactive_items"):
        return f
    text = doc.text
    k = max(text.rfind(c, 0, f.start) for c in "、，,：:。；\n")
    q = text.rfind("其中", 0, f.start)
    start = max(k + 1, q + 2 if q >= 0 else 0, f.span.start)
    return replace(f, key="part", span=doc.span(start, f.end), label=text[start : f.end].strip())


def _settle(
    st: PartsStatement, doc: Document, raws: list[_Raw], starts: list[int], by_pos: _Lazy, s_end: int, unit: str
) -> None:
    """Fit the list to the whole where the text allows it (see the module docstring)."""
    text = doc.text
    if st.approximate:
        return
    whole = st.whole.value
    total = sum(p.value for p in st.parts)
    if total > whole:
        run = 0
        for i, p in enumerate(st.parts):
            run += p.value
            if run == whole:
                st.dropped = st.parts[i + 1 :]
                st.parts = st.parts[: i + 1]
                return
        return
    if total < whole and s_end < len(text):
        n_start, n_end = s_end + 1, _sentence_bounds(text, s_end + 1)[1]
        extra = []
        run = total
        for f in _between(raws, starts, n_start, n_end):
            if f.unit != unit or f.approximate:
                break
            extra.append(_as_part(by_pos[f.start], doc))
            run += f.value
            if run == whole:
                st.parts = st.parts + extra
                st.extended = True
                return
            if run > whole:
                return
