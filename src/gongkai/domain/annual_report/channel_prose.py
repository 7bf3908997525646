"""Figures of the other channels quoted in the prose, checked against the registers.

The prose of 总体情况 quotes figures the tables do not hold: 办理人大代表建议12件, 收到12345…工单13件，
回复13件，回复率100%, 微信公众号发布400余条, 召开新闻发布会3场. :func:`quoted_figures` reads them
and :func:`register_mismatches` compares them with :class:`~.channels.ChannelFigures`, naming both
figures, as table figures are compared with the tables (:mod:`prose_check`). These are warnings:
a register may hold less than the agency counts (orders a unit answered outside gongkai), so the
clerk checks, and submitting is not refused.

How a figure is read, clause by clause (a clause ends at ，,；;。！？ or a line; items listed with 、
are clauses too when each carries a number, otherwise they are read together):

- a clause *names* a channel when it holds one of its words (人大代表建议, 政协委员提案, 12345,
  民心网, 局长信箱, 微信公众号, 微博, 新闻发布会, 政策吹风会, 回应…关切 …). A clause naming both kinds
  of items (人大代表建议和政协委员提案共17件) speaks of them together; naming anything else
  together (12345热线和民心网工单, 热线等平台, 主办/会办, 重点提案, 咨询类, 1月, 同比, 上年 …) it
  is not read;
- a clause that names a channel states one figure of it: the measure is told by its words
  (回复/答复 → replied, 公开 → published, 发布 → posts, 关注/粉丝 → followers, …率 → a rate) and
  the clause must hold exactly one number (the report year and dates aside);
- after 其中 the sentence lists parts: nothing more of it is read;
- a clause that names nothing is read only when it is nothing but a measure (已答复15件, 回复率100%,
  年末关注人数131456人), of the channel the sentence named — and only while the sentence has named
  one channel (or both kinds of items together) so far.

Numbers: Arabic digits, full-width digits (１３), thousands separators (131,456), 万 (13.2万), and
Chinese numerals before a unit (三场). Approximate figures: 余/多/以上/逾/超过 N state "at least N" (a
finding only when the register has fewer); 约/近/左右/将近/大约 are never compared; a figure in 万 is
compared to its precision (13.2万 holds 131,500 … 132,999). A rate is compared to the precision it is
written with, rounded or cut (98.5% holds 98.45 … 98.6); 100% only when all. What cannot be read
this way yields nothing: never a finding that is not one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from gongkai.domain.annual_report.channels import (
    DOUYIN,
    HOTLINE,
    MAILBOX,
    PROVINCIAL,
    TOUTIAO,
    VIDEO,
    WEBSITE,
    WECHAT,
    WEIBO,
    ChannelFigures,
    ProposalCounts,
)
from gongkai.domain.annual_report.content import ReportContent
from gongkai.domain.annual_report.prose_check import ProseProblem
from gongkai.domain.audit.prose import cn_to_int
from gongkai.domain.rates import rate_text

RULE = "prose_register_mismatch"

# -- what a clause may name ------------------------------------------------------------------------

SUGGESTIONS, PROPOSALS, BOTH = "suggestions", "proposals", "proposals_all"
PRESS, BRIEFINGS, CONCERNS = "press", "briefings", "concerns"

# (subject, words); a subject is "wo:<platform>", "media:<kind>", or one of the names above.
# Longer words first where one holds another (微信视频号 before 微信).
_SUBJECT_WORDS: tuple[tuple[str, str], ...] = (
    (SUGGESTIONS, "人大代表建议|人大代表的建议|代表建议|人大建议"),
    (PROPOSALS, "政协委员提案|政协委员的提案|政协提案|委员提案"),
    (BOTH, "建议提案|建议和提案|建议、提案"),
    (f"wo:{HOTLINE}", r"(?<![0-9０-９])(?:12345|１２３４５)(?![0-9０-９])"),
    (f"wo:{PROVINCIAL}", "民心网|省级网上平台"),
    (f"wo:{MAILBOX}", "局长信箱"),
    (f"media:{VIDEO}", "微信视频号|视频号"),
    (f"media:{WECHAT}", "微信公众号|微信公众平台|公众号|微信"),
    (f"media:{WEIBO}", "政务微博|微博"),
    (f"media:{DOUYIN}", "抖音号|抖音"),
    (f"media:{TOUTIAO}", "头条号|今日头条"),
    (f"media:{WEBSITE}", "门户网站"),
    (PRESS, "新闻发布会|发布会"),
    (BRIEFINGS, "政策吹风会|吹风会"),
    (CONCERNS, "回应(?:社会|公众|群众|热点|舆论)?关切"),
)
_SUBJECTS = re.compile("|".join(f"(?P<s{i}>{w})" for i, (_s, w) in enumerate(_SUBJECT_WORDS)))
_MASK = "\x00"

# words that make a clause speak of a part, another period, a comparison or someone else's work
_NEVER = re.compile(
    r"其中|主办|会办|协办|分办|参办|重点|类|月|季度|半年|同比|环比|较|增长|减少|下降|上升|增加|新增|"
    r"上年|去年|上一年|往年|前年|历年|平均|日均|人均|占比|比例|超期|逾期未|退回|重办|不满意|二次|第二|"
    r"转为|转办为|申请|参加|参与|出席|配合|协助|联合|单篇|最高|最多|至少|分别|不予|未公开|不公开|"
    r"或|等"
)
_CONNECTOR = re.compile(r"和|与|以及|及(?!时)|、|加上|同")
_UNITS = "件|封|条|篇|个|场次|场|次|期|人次|人|名|户"
_NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千]+"
_QUANTITY = re.compile(
    rf"(?P<before>约|近|大约|将近|接近|逾|超过|达到|达|共计|共|累计|合计|为)?\s*"
    rf"(?P<n>{_NUM})\s*(?P<wan>万)?\s*(?P<after>余|多)?\s*"
    rf"(?:(?P<pct>%)|(?P<unit>{_UNITS}))?(?P<tail>以上|左右|上下)?"
)
_YEAR = re.compile(r"(?P<y>(?:19|20)[0-9]{2})\s*年度?")
_DATE = re.compile(r"[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日|年末|年底|年终")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９％．", "0123456789%.")
_CLAUSE_END = re.compile(r"[，；;。！？!?\n：:]|,(?![0-9]{3}(?![0-9]))")  # 131,456 is one number
_SENTENCE_END = "；;。！？!?\n"

_AT_LEAST = frozenset({"余", "多", "以上", "逾", "超过"})
_ABOUT = frozenset({"约", "近", "大约", "将近", "接近", "左右", "上下"})


@dataclass(frozen=True)
class Quoted:
    """A figure of a channel the prose states."""

    subject: str  # suggestions | proposals | proposals_all | wo:12345 | media:wechat | press | …
    measure: str  # handled | replied | published | fed_back | received | rated | reply_rate | satisfaction_rate | received | on_time_rate | posts | followers | count
    value: Decimal  # the number as written (a rate in per cent; 万 multiplied out)
    bound: str  # exact | at_least | about
    precision: Decimal  # what the last written digit is worth (1 for 13, 1000 for 13.2万, 0.1 for 98.5%)
    start: int
    end: int
    text: str  # the clause it was read from


# -- reading ---------------------------------------------------------------------------------------


def _subject_of(match: re.Match[str]) -> str:
    for i, (subject, _w) in enumerate(_SUBJECT_WORDS):
        if match.group(f"s{i}") is not None:
            return subject
    raise AssertionError("unreachable")  # pragma: no cover


def _value(n: str, wan: bool) -> tuple[Decimal, Decimal] | None:
    """(value, precision) of a written number."""
    if n[0].isdigit():
        digits = n.replace(",", "")
        value = Decimal(digits)
        exponent = value.as_tuple().exponent
        precision = Decimal(1).scaleb(exponent if isinstance(exponent, int) and exponent < 0 else 0)
    else:
        as_int = cn_to_int(n)
        if as_int is None:
            return None
        value, precision = Decimal(as_int), Decimal(1)
    if wan:
        value, precision = value * 10000, precision * 10000
    return value, precision


_HAS_NUMBER = re.compile(r"[0-9零〇一二两三四五六七八九十百千]")


@dataclass(frozen=True)
class _Item:
    start: int
    end: int


def _items(text: str, a: int, b: int) -> list[_Item]:
    """text[a:b] cut at 、 into items; an item without a number is read with the next one
    (人大代表建议、政协委员提案共17件 is one item)."""
    out: list[_Item] = []
    start, pending = a, None
    for cut in [i for i in range(a, b) if text[i] == "、"] + [b]:
        if _HAS_NUMBER.search(text, start, cut) or cut == b:
            item = _Item(pending if pending is not None else start, cut)
            if text[item.start : item.end].strip():
                out.append(item)
            pending = None
        elif pending is None:
            pending = start
        start = cut + 1
    return out


def _clauses(text: str) -> list[list[list[_Item]]]:
    """The text as sentences, of clauses (cut at ，,：: …), of items (cut at 、)."""
    sentences: list[list[list[_Item]]] = []
    current: list[list[_Item]] = []
    pos = 0
    for m in [*_CLAUSE_END.finditer(text), None]:
        end = m.start() if m is not None else len(text)
        items = _items(text, pos, end)
        if items:
            current.append(items)
        if m is None or m.group() in _SENTENCE_END:
            if current:
                sentences.append(current)
            current = []
        pos = end + 1 if m is not None else end
    return sentences


def _named(clause: str) -> tuple[set[str], str]:
    """The subjects a clause names and its text with them masked (same length)."""
    subjects: set[str] = set()

    def mask(m: re.Match[str]) -> str:
        subjects.add(_subject_of(m))
        return _MASK * len(m.group())

    return subjects, _SUBJECTS.sub(mask, clause)


def _merge_kinds(subjects: set[str]) -> str | None:
    """The one subject a set of named subjects speaks of (None when they are several things)."""
    if len(subjects) == 1:
        return next(iter(subjects))
    if subjects and subjects <= {SUGGESTIONS, PROPOSALS, BOTH}:
        return BOTH
    return None


def _joined_subjects_only(masked: str) -> bool:
    """No connector joins the masked subject to something that is not a subject (热线和政务服务网)."""
    collapsed = re.sub(rf"{_MASK}+(?:\s*(?:和|与|以及|及|、)\s*{_MASK}+)+", _MASK, masked)
    return not _CONNECTOR.search(collapsed)


# the measures, by the words of the clause (checked in this order)
def _measure(subject: str, words: str, q: re.Match[str]) -> str | None:
    pct, unit = q.group("pct") is not None, q.group("unit") or ""
    if subject.startswith("wo:"):
        if pct:
            if re.search(r"(?:按时|按期|及时)(?:回复|答复|办复|办结|办理|处置)?率", words):
                return "on_time_rate"
            if re.search(r"(?:回复|答复|办复)率", words):
                return "reply_rate"
            if re.search(r"满意率", words):
                return "satisfaction_rate"
            return None
        if unit not in ("件", "封", "条", "个"):
            return None
        if re.search(r"按时|按期|及时|满意|办结|未|反馈", words):
            return None
        if "评价" in words:
            return "rated"
        if re.search(r"回复|答复|办复", words):
            return "replied"
        if re.search(r"来电|电话|话务|咨询|求助|投诉|建议|举报", words):
            return None
        return "received"
    if subject in (SUGGESTIONS, PROPOSALS, BOTH):
        if pct:
            if re.search(r"满意率", words):
                return "satisfaction_rate"
            if re.search(r"(?:按时|按期|及时)", words):
                return None
            if re.search(r"(?:答复|回复|办复)率", words):
                return "reply_rate"
            return None
        if unit != "件" and not (unit in ("篇", "份") and "公开" in words):
            return None
        if re.search(r"按时|按期|及时|满意|评价|办结|未", words):
            return None
        if "反馈" in words:
            return "fed_back"
        if "公开" in words:
            return "published"
        if re.search(r"答复|回复|办复", words):
            return "replied"
        return "handled"
    if subject.startswith("media:"):
        if pct or re.search(r"原创|阅读|浏览|点击|转发|点赞|评论|互动|留言|回复|视频", words):
            return None
        if re.search(r"关注|粉丝|订阅", words):
            return "followers" if unit in ("", "人", "名", "户") and (unit or q.group("wan")) else None
        if re.search(r"发布|推送|发文|刊发|编发", words) and unit in ("条", "篇", "期", "次"):
            return None if "累计" in words else "posts"
        return None
    if subject in (PRESS, BRIEFINGS, CONCERNS):
        if pct:
            return None
        ok = ("场", "次", "期", "场次", "个") if subject != CONCERNS else ("次", "条", "件", "个")
        return "count" if unit in ok else None
    return None


# a clause naming nothing, read as a measure of the sentence's channel: nothing but the measure
_LEAD = r"^\s*(?:并|且|已|均已|全部|共|共计|累计|全年|本年度|本年)*\s*"
_BARE: dict[str, re.Pattern[str]] = {
    "wo": re.compile(
        _LEAD + r"(?:(?:收到|受理|接收|接到|办理|承办)(?:工单|来信|件)?|(?:回复|答复|办复)(?:群众)?|(?:群众)?评价|"
        r"(?:按时|按期|及时)?(?:回复|答复|办复|办结)率|满意率)\s*(?:为|达到|达|是)?\s*[^，,；;。]*$"
    ),
    "proposals": re.compile(
        _LEAD + r"(?:办理|承办|(?:答复|回复|办复)(?:代表委员)?|公开(?:答复)?(?:复文)?|收到(?:代表委员)?反馈(?:意见)?|"
        r"在[^，,；;。]{0,12}公开(?:答复)?(?:复文)?|(?:满意和基本满意|满意)率|答复率)"
        r"\s*(?:为|达到|达|是)?\s*[^，,；;。]*$"
    ),
    "media": re.compile(
        _LEAD
        + r"(?:截至|到)?\s*(?:年末|年底)?\s*(?:发布|推送|发文|刊发|编发)(?:推文|文章|内容)?|"
        + _LEAD
        + r"(?:截至|到)?\s*(?:年末|年底)?\s*(?:关注(?:人数|用户数|用户|者)?|粉丝(?:数|人数|量)?|订阅(?:人数|用户|数)?)"
        r"\s*(?:为|达到|达|是|共)?\s*[^，,；;。]*$"
    ),
}


def _family(subject: str) -> str:
    if subject.startswith("wo:"):
        return "wo"
    if subject.startswith("media:"):
        return "media"
    if subject in (SUGGESTIONS, PROPOSALS, BOTH):
        return "proposals"
    return "press"


def _bound(q: re.Match[str]) -> str:
    words = {q.group("before") or "", q.group("after") or "", q.group("tail") or ""} - {""}
    if words & _ABOUT:
        return "about"
    if words & _AT_LEAST:
        return "at_least"
    return "exact"


def _blank(masked: str, year: int) -> str | None:
    """The clause with the report year and dates blanked (None when it names another year)."""
    for y in _YEAR.finditer(masked):
        if int(y.group("y")) != year:
            return None
    cleaned = _YEAR.sub(lambda m: " " * len(m.group()), masked)
    return _DATE.sub(lambda m: " " * len(m.group()), cleaned)


def _quantities(cleaned: str) -> list[re.Match[str]]:
    out = []
    for q in _QUANTITY.finditer(cleaned):
        if not q.group("n")[0].isdigit() and q.group("unit") is None:
            continue  # a Chinese numeral is a number only before a unit (进一步, 统一)
        out.append(q)
    return out


def quoted_figures(text: str, year: int) -> list[Quoted]:
    """Every figure of a channel ``text`` states for ``year``, in text order."""
    source = text or ""
    plain = source.translate(_FULL_WIDTH)
    out: list[Quoted] = []
    for sentence in _clauses(plain):
        # the subject of each clause of the sentence that named one so far; None: a clause that
        # spoke of something else (a part, another period, a thing not registered) — the clauses
        # after it are no longer read as the sentence's channel
        named: list[str | None] = []
        for clause in sentence:
            if any("其中" in plain[i.start : i.end] for i in clause):
                break  # the parts of a whole follow, to the end of the sentence (其中民心网20件，电话9件…)
            parts = [(item, *_named(plain[item.start : item.end])) for item in clause]
            union: set[str] = set().union(*(subjects for _i, subjects, _m in parts))
            whole = _blank(_MASK.join(m for _i, _s, m in parts), year)
            if union:
                subject = _merge_kinds(union)
                clean = (
                    subject is not None
                    and whole is not None
                    and not _NEVER.search(whole)
                    and all(_joined_subjects_only(m) for _i, s, m in parts if s)
                )
                named.append(subject if clean else None)
                if not clean:
                    continue
            elif whole is None or _NEVER.search(whole):
                if whole is None or _quantities(whole):
                    named.append(None)
                continue
            for item, subjects, masked in parts:
                found = _read_item(plain, item, subjects, masked, named, year)
                if found is None:
                    continue
                if found is _POISON:
                    named.append(None)
                    continue
                assert isinstance(found, tuple)
                subject, measure, q = found
                parsed = _value(q.group("n"), q.group("wan") is not None)
                if parsed is None:
                    continue
                value, precision = parsed
                out.append(
                    Quoted(
                        subject,
                        measure,
                        value,
                        _bound(q),
                        precision,
                        item.start,
                        item.end,
                        source[item.start : item.end].strip(),
                    )
                )
    return out


_POISON = object()


def _read_item(plain: str, item: _Item, subjects: set[str], masked: str, named: list[str | None], year: int):
    """(subject, measure, quantity) of one item; None when it states nothing; _POISON when it
    states something this reading does not know, so what follows is not the sentence's channel."""
    cleaned = _blank(masked, year)
    if cleaned is None:
        return _POISON
    quantities = _quantities(cleaned)
    if subjects:
        subject = _merge_kinds(subjects)
        if subject is None:
            return _POISON
        bare = False
    else:
        distinct = set(named)
        if len(distinct) != 1 or None in distinct:
            return _POISON if quantities else None
        subject = next(iter(distinct))
        assert subject is not None
        pattern = _BARE.get(_family(subject))
        if pattern is None or not pattern.search(plain[item.start : item.end]):
            return _POISON if quantities else None
        bare = True
    if len(quantities) != 1:
        return _POISON if quantities else None
    q = quantities[0]
    words = cleaned[: q.start()] + cleaned[q.end() :]
    measure = _measure(subject, words, q)
    if measure is None:
        return _POISON
    if bare and measure == "received" and not re.search(r"收到|受理|接收|接到", words):
        return _POISON
    return subject, measure, q


# -- comparing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Register:
    value: Fraction  # the register's figure (a rate in per cent, exact)
    shown: str  # how the message names it


def _proposal_counts(f: ChannelFigures, subject: str) -> tuple[ProposalCounts | None, str]:
    if subject == SUGGESTIONS:
        return f.suggestions, "人大代表建议"
    if subject == PROPOSALS:
        return f.proposals, "政协委员提案"
    kinds = f.proposal_kinds()
    if len(kinds) != 2:
        return None, ""
    merged = ProposalCounts(
        *(f.combined(name) for name in ("handled", "replied", "published", "fed_back", "satisfied"))
    )
    return merged, "人大代表建议和政协委员提案"


def _register(f: ChannelFigures, q: Quoted) -> _Register | None:
    """The register's figure for what ``q`` states (None when the register does not hold it)."""
    if q.subject in (SUGGESTIONS, PROPOSALS, BOTH):
        counts, name = _proposal_counts(f, q.subject)
        if counts is None:
            return None
        where = f"建议提案办理登记中本年度{name}"
        if q.measure in ("handled", "replied", "published", "fed_back"):
            v = getattr(counts, q.measure)
            word = {"handled": "办理", "replied": "已答复", "published": "公开复文", "fed_back": "收到反馈意见"}[
                q.measure
            ]
            return None if v is None else _Register(Fraction(v), f"{where}{word}{v}件")
        if q.measure == "satisfaction_rate" and counts.fed_back and counts.satisfied is not None:
            return _Register(
                Fraction(counts.satisfied * 100, counts.fed_back),
                f"{where}反馈{counts.fed_back}件、满意和基本满意{counts.satisfied}件，满意率{rate_text(counts.satisfied, counts.fed_back)}",
            )
        if q.measure == "reply_rate" and counts.handled and counts.replied is not None:
            return _Register(
                Fraction(counts.replied * 100, counts.handled),
                f"{where}办理{counts.handled}件、已答复{counts.replied}件，答复率{rate_text(counts.replied, counts.handled)}",
            )
        return None
    if q.subject.startswith("wo:"):
        found = [w for w in f.work_orders if w.platform == q.subject[3:]]
        if len(found) != 1:
            return None
        w = found[0]
        where = f"工单登记中本年度{w.label}"
        if q.measure in ("received", "replied", "rated"):
            v = getattr(w, q.measure)
            word = {"received": f"收到{w.noun}", "replied": "回复", "rated": "群众评价"}[q.measure]
            return None if v is None else _Register(Fraction(v), f"{where}{word}{v}件")
        part_name = {
            "reply_rate": ("replied", "received", "收到", "回复", "回复率"),
            "on_time_rate": ("on_time", "received", "收到", "按时回复", "按时回复率"),
            "satisfaction_rate": ("satisfied", "rated", "评价", "满意和基本满意", "满意率"),
        }.get(q.measure)
        if part_name is None:
            return None
        part_attr, whole_attr, whole_word, part_word, rate_word = part_name
        part, whole = getattr(w, part_attr), getattr(w, whole_attr)
        if part is None or not whole:
            return None
        return _Register(
            Fraction(part * 100, whole),
            f"{where}{whole_word}{whole}件、{part_word}{part}件，{rate_word}{rate_text(part, whole)}",
        )
    if q.subject.startswith("media:"):
        found = [m for m in f.media if m.kind == q.subject[6:]]
        if len(found) != 1:
            return None
        m = found[0]
        v = getattr(m, q.measure)
        if v is None:
            return None
        shown = (
            f"新媒体登记中{m.label}本年度发布{v}条"
            if q.measure == "posts"
            else f"新媒体登记中{m.label}年末关注人数{v}人"
        )
        return _Register(Fraction(v), shown)
    p = f.publicity
    if p is None:
        return None
    attr, word, unit = {
        PRESS: ("press_conferences", "新闻发布会", "场"),
        BRIEFINGS: ("policy_briefings", "政策吹风会", "场"),
        CONCERNS: ("concerns_answered", "回应社会关切", "次"),
    }[q.subject]
    v = getattr(p, attr)
    return None if v is None else _Register(Fraction(v), f"新闻发布登记中本年度{word}{v}{unit}")


def _agrees(q: Quoted, register: Fraction) -> bool:
    stated = Fraction(q.value)
    if q.bound == "about":
        return True
    if q.bound == "at_least":
        return register >= stated
    if q.measure.endswith("_rate"):
        if stated == 100 or stated == 0:
            return register == stated  # 100% is "all", 0% "none"
        step = Fraction(q.precision)
        return stated - step / 2 <= register < stated + step  # rounded or cut to the written precision
    if q.precision > 1:  # 13.2万: rounded or cut to the written precision
        step = Fraction(q.precision)
        return stated - step / 2 <= register < stated + step
    return register == stated


def _stated_text(q: Quoted) -> str:
    if q.bound == "at_least":
        return "（“余”“多”“以上”表示不少于所写数字）"
    return ""


def _plain(v: Fraction) -> int | Decimal:
    """A register's figure as the problem carries it: a whole number, or a rate to two decimals."""
    if v.denominator == 1:
        return int(v)
    return (Decimal(v.numerator) / Decimal(v.denominator)).quantize(Decimal("0.01"))


def register_mismatches(text: str, figures: ChannelFigures, *, section_key: str = "") -> list[ProseProblem]:
    """Every figure of a channel in ``text`` that the registers contradict, in text order."""
    out: list[ProseProblem] = []
    for q in quoted_figures(text, figures.year):
        reg = _register(figures, q)
        if reg is None or _agrees(q, reg.value):
            continue
        out.append(
            ProseProblem(
                section_key=section_key,
                quoted=q.text,
                stated=q.value,
                expected=_plain(reg.value),
                message=f"正文称“{q.text}”{_stated_text(q)}，而{reg.shown}",
                rule=RULE,
                severity="warning",
                cells=(f"register.{q.subject}.{q.measure}",),
            )
        )
    return out


def channel_problems(content: ReportContent, figures: ChannelFigures | None) -> list[ProseProblem]:
    """The figures of the channels quoted anywhere in the report's prose that the registers contradict."""
    if figures is None:
        return []
    out: list[ProseProblem] = []
    texts = [("preamble", content.preamble or "")] + [(k, v or "") for k, v in content.sections.items()]
    for key, text in texts:
        out += register_mismatches(text, figures, section_key=key)
    return out
