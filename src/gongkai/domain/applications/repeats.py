"""Is a new request a repeat of one already answered (重复申请, 条例第三十六条（六）)?

The article (:data:`.register.ARTICLE_36_6`): "行政机关已就申请人提出的政府信息公开申请作出答复、
申请人重复申请公开相同政府信息的，告知申请人不予重复处理". Whether two requests ask for *the same*
information is the office's judgement; this module only says that two texts look alike enough for
the office to look, and why. It never decides (the case page offers the outcome to the clerk).

The measure (no text-similarity library is in the lock; this one is small enough to read):

1. Normalise both texts: full-width to half-width (NFKC), lower case, Chinese numerals written in
   dates and ordinals (二〇二五年, 第二中学) as digits, punctuation and spaces dropped.
2. **Identifiers must agree.** The numbers (years, months, document numbers such as 〔2024〕12号,
   ordinals such as 第二) of the two requests must be the same set: the 2024 and the 2025 budget
   are different information however alike the sentences are.
3. The words of asking (申请公开, 请提供, 贵局, 相关, 的 …) are removed: they say nothing about which
   information is wanted, and rewording a request mostly changes them.
4. **Score**: the Dice coefficient of the two texts' character bigrams (2·|A∩B| / (|A|+|B|)), which
   does not care about word order. At least :data:`THRESHOLD` counts as alike.
5. **A swapped word is a different request.** Where the aligned texts differ by a short run of
   characters replaced on both sides (预算 → 决算, 小学 → 初中), the requests name different things,
   so they are not flagged whatever the score; runs only added on one side (阶段, 文件) are rewording.

Limits: synonyms (方案 / 办法) are read as different words, and a request that adds a new item to
an old one is not a repeat of it (it asks for more). Both err towards not flagging: a flag the
clerk must dismiss costs less than a request refused as a repeat when it was not one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

THRESHOLD = 0.8
# a replaced run this short on both sides is a different word, not a rewording
SWAP_MAX_CHARS = 4

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
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
_CN_NUM = "〇零一二两三四五六七八九十"
# Chinese numerals that are numbers: after 第, or before a unit of dates, documents and schools
_CN_NUMBER = re.compile(rf"(?<=第)[{_CN_NUM}]+|[{_CN_NUM}]+(?=年|月|日|号|期|批|届|季度|中学|小学)")
_DIGITS = re.compile(r"\d+")
# a number with the unit that belongs to it: dropped together from the content
_NUMBER_WITH_UNIT = re.compile(r"第?\d+(?:年度|年|月份|月|日|号文件|号文|号|期|批|届|季度)?")
# the words of asking, longest first (removed before scoring; they name no information)
STOP_PHRASES = tuple(
    sorted(
        (
            "政府信息公开",
            "政府信息",
            "申请公开",
            "请求公开",
            "依申请公开",
            "予以公开",
            "请公开",
            "公开",
            "申请",
            "请求",
            "请予",
            "提供",
            "获取",
            "查阅",
            "复制",
            "本人",
            "我们",
            "我",
            "贵局",
            "贵单位",
            "贵机关",
            "你局",
            "你单位",
            "相关",
            "有关",
            "关于",
            "具体",
            "全部",
            "完整",
            "内容",
            "信息",
            "文件",
            "资料",
            "情况",
            "一份",
            "全文",
            "原文",
            "文本",
            "以及",
            "及其",
            "和",
            "及",
            "与",
            "等",
            "的",
            "了",
            "请",
            "份",
            "度",
        ),
        key=len,
        reverse=True,
    )
)
_STOP = re.compile("|".join(re.escape(p) for p in STOP_PHRASES))
_KEEP = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")


def _cn_to_int(text: str) -> int:
    """二〇二五 → 2025 (digit by digit); 十二 → 12, 二十 → 20, 十 → 10."""
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _CN_NUMBER.sub(lambda m: str(_cn_to_int(m.group())), text)
    return _KEEP.sub("", text)


def identifiers(text: str) -> frozenset[int]:
    """The numbers of a normalised request (years, document numbers, ordinals), as integers so that
    第02号 and 第2号 agree."""
    return frozenset(int(n) for n in _DIGITS.findall(text))


def content(text: str, ignore: tuple[str, ...] = ()) -> str:
    """A normalised request without its numbers (with their units), the phrases ``ignore`` (the
    agency's own name: "贵局" and "示范区教育局" name the same office) and its words of asking."""
    text = _NUMBER_WITH_UNIT.sub("", text)
    for phrase in sorted((normalise(p) for p in ignore), key=len, reverse=True):
        if phrase:
            text = text.replace(phrase, "")
    return _STOP.sub("", text)


def _bigrams(text: str) -> list[str]:
    if len(text) < 2:
        return [text] if text else []
    return [text[i : i + 2] for i in range(len(text) - 1)]


def dice(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams (as multisets) of two texts; 1.0 for equal texts."""
    if a == b:
        return 1.0
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    pool: dict[str, int] = {}
    for g in x:
        pool[g] = pool.get(g, 0) + 1
    common = 0
    for g in y:
        if pool.get(g):
            pool[g] -= 1
            common += 1
    return 2 * common / (len(x) + len(y))


def swapped_words(a: str, b: str) -> list[tuple[str, str]]:
    """The short runs replaced on both sides when ``a`` is aligned with ``b`` (预算 ↔ 决算)."""
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return [
        (a[i1:i2], b[j1:j2])
        for tag, i1, i2, j1, j2 in ops
        if tag == "replace" and i2 - i1 <= SWAP_MAX_CHARS and j2 - j1 <= SWAP_MAX_CHARS
    ]


@dataclass(frozen=True)
class Resemblance:
    score: float  # 0..1, the Dice coefficient of the requests' content
    alike: bool  # at least THRESHOLD, identifiers equal, no word swapped
    reason: str  # Chinese: why it is (or is not) flagged


def resemblance(new: str, earlier: str, *, ignore: tuple[str, ...] = ()) -> Resemblance:
    """How far ``new`` looks like ``earlier`` (both as the applicant wrote them); ``ignore``: phrases
    that name no information (the agency's own name)."""
    a, b = normalise(new), normalise(earlier)
    ids_a, ids_b = identifiers(a), identifiers(b)
    ca, cb = content(a, ignore), content(b, ignore)
    score = dice(ca, cb)
    if ids_a != ids_b:
        return Resemblance(score, False, "两次申请中的年份、文号或序号不同")
    if score < THRESHOLD:
        return Resemblance(score, False, f"内容相似度{score:.0%}，低于{THRESHOLD:.0%}")
    swaps = swapped_words(ca, cb)
    if swaps:
        words = "、".join(f"“{x}”与“{y}”" for x, y in swaps)
        return Resemblance(score, False, f"所需信息的名称不同（{words}）")
    return Resemblance(score, True, f"内容相似度{score:.0%}，年份、文号等一致")
