"""Normalise a RawDocument into a Document: one clean, simplified text with an exact map back.

Every later step (recognise, tables, prose, findings) reads ``Document.text``; every finding
points into it *and* into the original through ``Document.span``. The passes, in order:

1. raw clean-up (one regex pass): CR/LF, HTML entity residue (``&nbsp;`` …), non-breaking and
   zero-width spaces, the pinyin residue of bad converters (``關(guān)`` → ``關``), Markdown
   emphasis (``**``/``__``) and runs of ``|`` left by crawlers;
2. line clean-up: Markdown table rows become tab-separated cells, stray single ``|`` and ``#``
   headings go, page headers/footers (``第3页 共5页``, ``- 3 -``) standing on their own line go;
3. full-width digits, letters and number punctuation (``０-９``, ``．``, ``％``) become half-width.
   The full-width ``（）：，、`` stay: the official labels are written with them;
4. traditional → simplified with OpenCC ``t2s``. Not ``tw2sp``: on the samples tw2sp rewrites
   mainland wording (规范性文件 → 规范性文档, 工作列入 → 任务栏入, 程序 → 进程), which breaks the
   very labels the tables are matched by; mainland reports in traditional characters need the
   character conversion only;
5. only for text produced by a bad machine conversion (pinyin residue seen): the word
   substitutions such converters make, from the small table ``MACHINE_WORDS`` (each entry is
   justified by sample-04).

The offset map: passes 1, 2 and 5 rewrite the text as blocks of kept text and replaced text;
passes 3 and 4 replace one character by one character (OpenCC lines whose length changes are
aligned with difflib). Blocks are composed pass by pass, so the final map from the
normalised text to the original is exact: kept characters map one to one, a replaced stretch maps
to the whole stretch it replaced, deleted text (pinyin residue, ``|`` runs) maps to nothing.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import opencc

from gongkai.domain.audit.model import RawDocument, SourceKind, SourceTable, Span

# OpenCC converters are expensive to build: one per process.
_T2S = opencc.OpenCC("t2s")

# Word substitutions of bad machine conversion ("同义词替换"), applied to simplified text only when
# the document carries pinyin residue. Each entry as seen in sample-04:
MACHINE_WORDS: dict[str, str] = {
    "当局": "政府",  # 《中華人民共和國當局信息公開條例》 = 政府信息公开条例
    "教导": "教育",  # XX教導局 = XX教育局; 義務教導 = 义务教育
    "环境": "情况",  # 二、主動公開信息環境 = 二、主动公开信息情况 (section titles)
    "申报": "报告",  # 本年度申報是依據… / 申報全文包括… = 本年度报告
    "法子": "办法",  # 實施<當局信息公開條例>法子 = 实施《政府信息公开条例》办法
    '"大众': "公众",  # 微信"大眾平臺 = 微信公众平台 (the converter leaves a stray quote)
    "眷注": "关注",  # 回應眷注 = 回应关注; 社會"大眾眷注 = 社会公众关注
}
_MACHINE_RE = re.compile("|".join(re.escape(k) for k in sorted(MACHINE_WORDS, key=len, reverse=True)))

_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN = rf"[(（][a-zü]*[{_TONE}][a-zü{_TONE}]*[)）]"

# Pass 1: one alternation, dispatched on the group that matched. Only the branches whose trigger
# is present in the text are compiled in (an alternation of seven branches tried at every position
# is the slowest part of normalising otherwise); the patterns are cached per combination.
_TONE_RE = re.compile(f"[{_TONE}]")
_RAW_BRANCHES: tuple[tuple[str, str, Callable[[str], bool]], ...] = (
    ("crlf", r"\r\n?", lambda t: "\r" in t),
    ("entity", r"&(?:amp;)?(?:nbsp|ensp|emsp|#160|#xa0|#12288);?", lambda t: "&" in t),
    ("space", r"[\u00a0\u3000]", lambda t: "\u00a0" in t or "\u3000" in t),
    ("zw", r"[\u200b\u200c\u200d\ufeff]", lambda t: any(z in t for z in "\u200b\u200c\u200d\ufeff")),
    ("pinyin", _PINYIN, lambda t: _TONE_RE.search(t) is not None),
    ("emph", r"\*\*|__", lambda t: "**" in t or "__" in t),
    ("pipes", r"\|{3,}", lambda t: "|||" in t),
)


@functools.lru_cache(maxsize=128)
def _raw_pattern(kinds: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<{k}>{p})" for k, p, _ in _RAW_BRANCHES if k in kinds), re.IGNORECASE)


# Pass 2: lines that need attention (checked cheaply before the line loop runs).
_MD_ROW = re.compile(r"^[ \t]*\|(.*\|)[ \t]*$")
_MD_SEP = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{2,}:?[ \t]*\|)+(?:[ \t]*:?-{2,}:?[ \t]*)?$")
_PAGE = re.compile(
    r"^[ \t]*(?:第\s*\d+\s*页(?:\s*[,，/、]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*第\s*\d+\s*页"
    r"|[-—–]\s*\d+\s*[-—–]|\d+\s*/\s*\d+|page\s+\d+(?:\s+of\s+\d+)?)[ \t]*$",
    re.IGNORECASE,
)
_PAGE_ANY = re.compile(_PAGE.pattern, re.IGNORECASE | re.MULTILINE)
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+")
_STRAY_PIPE = re.compile(r"[ \t]*\|[ \t]*")

# Pass 3: one character for one character.
_HALF = {**{0xFF10 + i: 0x30 + i for i in range(10)}, **{0xFF21 + i: 0x41 + i for i in range(26)}}
_HALF.update({0xFF41 + i: 0x61 + i for i in range(26)})
_HALF.update({ord("．"): ord("."), ord("％"): ord("%"), ord("＋"): ord("+"), ord("－"): ord("-"), ord("／"): ord("/")})
_HALF.update({ord("\u00a0"): ord(" "), ord("\u3000"): ord(" ")})

_FULL_WIDTH = re.compile("[" + "".join(map(chr, _HALF)) + "]")

# Pass 4 runs only when the text has traditional characters: the traditional forms of common
# characters, derived from OpenCC itself so the set cannot drift from the converter.
_COMMON_SIMPLIFIED = (
    "这个们会国来时说对发开关学问体与为见区资条门报务当实机据统计报告处理结转办年级应项数经费经济"
    "领导导认识规范监督织续进网络编辑讯论传阅读书页线电话视频广总历见观权负责设备单选择级务变动"
)
_TRAD_CHARS = "".join(
    sorted({c for c in opencc.OpenCC("s2t").convert(_COMMON_SIMPLIFIED) if c not in _COMMON_SIMPLIFIED})
)
_TRAD = re.compile(f"[{_TRAD_CHARS}]")
TRADITIONAL_MIN = 20  # this many traditional characters make the document "traditional"


# -- the offset map ---------------------------------------------------------------------------

# A block: (new_start, new_end, old_start, old_end, kept). Kept blocks map one to one; a replaced
# block maps every new character to the whole old stretch. Blocks cover the new text in order.
Block = tuple[int, int, int, int, bool]


class _Builder:
    """The output of one pass and its blocks, relative to the pass's input."""

    __slots__ = ("parts", "blocks", "n", "changed")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.blocks: list[Block] = []
        self.n = 0
        self.changed = False

    def keep(self, text: str, old_start: int) -> None:
        if not text:
            return
        k = len(text)
        self.parts.append(text)
        if self.blocks and self.blocks[-1][4] and self.blocks[-1][1] == self.n and self.blocks[-1][3] == old_start:
            a, _, c, _, _ = self.blocks[-1]
            self.blocks[-1] = (a, self.n + k, c, old_start + k, True)
        else:
            self.blocks.append((self.n, self.n + k, old_start, old_start + k, True))
        self.n += k

    def replace(self, new: str, old_start: int, old_end: int) -> None:
        self.changed = True
        if not new:
            return  # a deletion: no new character maps there
        self.parts.append(new)
        self.blocks.append((self.n, self.n + len(new), old_start, old_end, False))
        self.n += len(new)

    def text(self) -> str:
        return "".join(self.parts)


def _rewrite(
    text: str, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str | None]
) -> tuple[str, list[Block]] | None:
    """Apply ``repl`` to every match (None keeps the match); None when nothing changed."""
    return _splice(text, ((m.start(), m.end(), repl(m)) for m in pattern.finditer(text)))


def _splice(text: str, edits: Iterable[tuple[int, int, str | None]]) -> tuple[str, list[Block]] | None:
    """Replace each (start, end) stretch by its text (None or the same text keeps it), keeping the
    offset blocks; None when nothing changed. Edits come in text order and do not overlap."""
    parts: list[str] = []
    blocks: list[Block] = []
    n = pos = 0
    for s, e, new in edits:
        if new is None or new == text[s:e]:
            continue
        if s > pos:
            parts.append(text[pos:s])
            blocks.append((n, n + s - pos, pos, s, True))
            n += s - pos
        if new:
            parts.append(new)
            blocks.append((n, n + len(new), s, e, False))
            n += len(new)
        pos = e
    if not blocks and pos == 0:
        return None
    if pos < len(text):
        parts.append(text[pos:])
        blocks.append((n, n + len(text) - pos, pos, len(text), True))
    return "".join(parts), blocks


class _Map:
    """Positions of a text mapped to positions of the original (a list of blocks)."""

    __slots__ = ("blocks", "starts", "original_len")

    def __init__(self, blocks: list[Block], original_len: int):
        self.blocks = blocks
        self.starts = [b[0] for b in blocks]
        self.original_len = original_len

    @classmethod
    def identity(cls, n: int) -> _Map:
        return cls([(0, n, 0, n, True)] if n else [], n)

    def _block(self, i: int) -> Block | None:
        k = bisect.bisect_right(self.starts, i) - 1
        if k < 0:
            return None
        b = self.blocks[k]
        return b if i < b[1] else None

    def start_of(self, i: int) -> int:
        """Original offset where character ``i`` starts (the original length past the end)."""
        b = self._block(i)
        if b is None:
            k = bisect.bisect_right(self.starts, i) - 1
            return self.blocks[k][3] if k >= 0 else 0
        return b[2] + (i - b[0]) if b[4] else b[2]

    def end_of(self, i: int) -> int:
        """Original offset just after character ``i``."""
        b = self._block(i)
        if b is None:
            return self.start_of(i)
        return b[2] + (i - b[0]) + 1 if b[4] else b[3]

    def compose(self, outer: list[Block]) -> _Map:
        """The map of a pass's output: ``outer`` maps it to this map's text, this maps to the original.

        Both block lists are in text order, so one forward walk over the inner blocks suffices.
        """
        inner = self.blocks
        if len(inner) == 1 and inner[0][0] == inner[0][2] == 0 and inner[0][1] == inner[0][3] and inner[0][4]:
            return _Map(outer, self.original_len)  # this map is the identity
        out: list[Block] = []
        k = 0
        n_inner = len(inner)

        def locate(i: int) -> int:  # index of the inner block holding position i (k only moves forward)
            nonlocal k
            while k + 1 < n_inner and inner[k][1] <= i:
                k += 1
            return k

        for a, _b, c, d, kept in outer:
            if not kept:
                if d > c:
                    ia, ib, ic, id_, ik = inner[locate(c)]
                    o_start = ic + (c - ia) if ik else ic
                    ja, jb, jc, jd, jk = inner[locate(d - 1)]
                    o_end = jc + (d - 1 - ja) + 1 if jk else jd
                    out.append((a, _b, o_start, o_end, False))
                else:
                    p = self.start_of(c)
                    out.append((a, _b, p, p, False))
                continue
            j = locate(c)
            while j < n_inner and inner[j][0] < d:
                ia, ib, ic, id_, ikept = inner[j]
                lo, hi = max(c, ia), min(d, ib)
                if lo < hi:
                    na, nb = a + (lo - c), a + (hi - c)
                    if ikept:
                        out.append((na, nb, ic + (lo - ia), ic + (hi - ia), True))
                    else:
                        out.append((na, nb, ic, id_, False))
                j += 1
        return _Map(out, self.original_len)

    def offsets(self, n: int) -> list[int]:
        """Per normalised character the original offset it starts at, plus the original length."""
        res: list[int] = []
        for a, b, c, _d, kept in self.blocks:
            if kept:
                res.extend(range(c, c + (b - a)))
            else:
                res.extend([c] * (b - a))
        assert len(res) == n
        res.append(self.original_len)
        return res


# -- the document ---------------------------------------------------------------------------


class Line(NamedTuple):
    """One line of the normalised text: ``text`` is ``doc.text[start:end]`` (no newline).

    A named tuple, not a frozen dataclass: a report's lines are made by the thousand (every line
    of a CMS page's chrome) and a frozen dataclass takes twice as long to make."""

    start: int
    end: int
    text: str


@dataclass(eq=False)
class Document:
    """A report after normalisation; ``span`` turns offsets of ``text`` into a ``Span``."""

    name: str
    kind: SourceKind
    original: str
    text: str
    offsets: Sequence[int]  # offsets[i]: original offset of text[i]; offsets[len(text)] == len(original)
    tables: tuple[SourceTable, ...] = ()  # start/end are offsets into ``text``
    problems: tuple[str, ...] = ()
    repairs: dict[str, int] = field(default_factory=dict)  # what normalisation repaired, and how often
    traditional: bool = False  # written in traditional characters (converted)
    machine_converted: bool = False  # bad machine conversion (pinyin residue, word substitutions)
    _map: _Map | None = field(default=None, repr=False)
    _lines: list[Line] | None = field(default=None, repr=False)

    def span(self, start: int, end: int) -> Span:
        n = len(self.text)
        start = min(max(start, 0), n)
        end = min(max(end, start), n)
        if self._map is None:
            o_start = self.offsets[start]
            o_end = self.offsets[end]
        elif end > start:
            o_start, o_end = self._map.start_of(start), self._map.end_of(end - 1)
        else:
            o_start = o_end = self.offsets[start]
        return Span(start, end, o_start, o_end, self.text[start:end])

    def to_normalised(self, original_offset: int) -> int:
        """The first normalised offset whose character comes from at or after ``original_offset``."""
        return bisect.bisect_left(self.offsets, original_offset, 0, len(self.text))

    @property
    def lines(self) -> list[Line]:
        if self._lines is None:
            out: list[Line] = []
            make = Line._make  # tuple.__new__: no Python-level __new__ per line
            pos = 0
            for part in self.text.split("\n"):
                end = pos + len(part)
                out.append(make((pos, end, part)))
                pos = end + 1
            self._lines = out
        return self._lines


# -- the passes -----------------------------------------------------------------------------


_RAW_REPLACEMENT = {"crlf": "\n", "entity": " ", "space": " "}  # zero-width, pinyin residue, emphasis, pipes: ""


def _raw_pass(text: str, repairs: dict[str, int]) -> tuple[str, list[Block]] | None:
    kinds = tuple(k for k, _, present in _RAW_BRANCHES if present(text))
    if not kinds:
        return None
    replacement = _RAW_REPLACEMENT.get

    def edits() -> Iterator[tuple[int, int, str]]:
        for m in _raw_pattern(kinds).finditer(text):
            kind = m.lastgroup or ""
            repairs[kind] = repairs.get(kind, 0) + 1
            yield m.start(), m.end(), replacement(kind, "")

    return _splice(text, edits())


def _line_pass(text: str, repairs: dict[str, int]) -> tuple[str, list[Block]] | None:
    if "|" not in text and "#" not in text and _PAGE_ANY.search(text) is None:
        return None
    b = _Builder()
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if not line.strip():
            b.keep(line, pos)
        elif _PAGE.match(line):
            repairs["page_furniture"] = repairs.get("page_furniture", 0) + 1
            b.replace("", pos, end)
        elif "|" in line and _MD_SEP.match(line):
            repairs["markdown_table"] = repairs.get("markdown_table", 0) + 1
            b.replace("", pos, end)
        elif "|" in line and (m := _MD_ROW.match(line)) and line.count("|") >= 3:
            # | a | b | c |  ->  a<TAB>b<TAB>c
            repairs["markdown_table"] = repairs.get("markdown_table", 0) + 1
            inner_start = pos + m.start(1)
            inner = m.group(1)[:-1]
            b.replace("", pos, inner_start)
            cell_pos = 0
            for pm in _STRAY_PIPE.finditer(inner):
                cell = inner[cell_pos : pm.start()]
                b.keep(cell.strip(), inner_start + cell_pos + (len(cell) - len(cell.lstrip())))
                b.replace("\t", inner_start + pm.start(), inner_start + pm.end())
                cell_pos = pm.end()
            cell = inner[cell_pos:]
            b.keep(cell.strip(), inner_start + cell_pos + (len(cell) - len(cell.lstrip())))
            b.replace("", inner_start + len(inner), end)
        else:
            lpos = 0
            if "|" in line:
                repairs["pipes"] = repairs.get("pipes", 0) + 1
                for pm in _STRAY_PIPE.finditer(line):
                    b.keep(line[lpos : pm.start()], pos + lpos)
                    inside = pm.start() > 0 and pm.end() < len(line)
                    b.replace(" " if inside else "", pos + pm.start(), pos + pm.end())
                    lpos = pm.end()
            elif (h := _HEADING.match(line)) is not None:
                repairs["markdown_heading"] = repairs.get("markdown_heading", 0) + 1
                b.replace("", pos, pos + h.end())
                lpos = h.end()
            b.keep(line[lpos:], pos + lpos)
        if end < len(text):
            b.keep("\n", end)
        pos = end + 1
    if not b.changed:
        return None
    return b.text(), b.blocks


def _t2s_pass(text: str) -> tuple[str, list[Block] | None]:
    """OpenCC t2s; blocks only when a line changed length (then aligned with difflib)."""
    conv = _T2S.convert(text)
    if len(conv) == len(text):
        old_lines, new_lines = text.split("\n"), conv.split("\n")
        if len(old_lines) == len(new_lines) and all(len(a) == len(b) for a, b in zip(old_lines, new_lines)):
            return conv, None
    # Rare: a phrase changed length. Convert line by line and align each changed line.
    b = _Builder()
    pos = 0
    out_lines = []
    for line in text.split("\n"):
        new = _T2S.convert(line)
        out_lines.append(new)
        if len(new) == len(line):
            _keep_aligned(b, new, pos)
        else:
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, line, new, autojunk=False).get_opcodes():
                if tag == "equal":
                    b.keep(new[j1:j2], pos + i1)
                else:
                    b.replace(new[j1:j2], pos + i1, pos + i2)
        pos += len(line)
        if pos < len(text):
            b.keep("\n", pos)
        pos += 1
    return b.text(), b.blocks


def _keep_aligned(b: _Builder, new: str, pos: int) -> None:
    # same length: character i of ``new`` comes from character i of ``old``
    b.parts.append(new)
    if b.blocks and b.blocks[-1][4] and b.blocks[-1][1] == b.n and b.blocks[-1][3] == pos:
        a, _, c, _, _ = b.blocks[-1]
        b.blocks[-1] = (a, b.n + len(new), c, pos + len(new), True)
    else:
        b.blocks.append((b.n, b.n + len(new), pos, pos + len(new), True))
    b.n += len(new)


_REPAIR_NAMES = {
    "entity": "html_entities",
    "space": "odd_spaces",
    "zw": "zero_width",
    "pinyin": "pinyin_residue",
    "emph": "markdown_emphasis",
    "pipes": "pipes",
}


def normalise(raw: RawDocument) -> Document:
    """Normalise ``raw``; never raises on any text."""
    original = raw.text or ""
    repairs: dict[str, int] = {}
    mp = _Map.identity(len(original))
    text = original
    mapped = False

    for step in (_raw_pass, _line_pass):
        res = step(text, repairs)
        if res is not None:
            text, blocks = res
            mp = mp.compose(blocks)
            mapped = True

    if _FULL_WIDTH.search(text):
        text = text.translate(_HALF)

    trad_count = len(_TRAD.findall(text)) if _TRAD.search(text) else 0
    if trad_count:
        text, blocks2 = _t2s_pass(text)
        if blocks2 is not None:
            mp = mp.compose(blocks2)
            mapped = True

    machine = repairs.get("pinyin", 0) >= 3 or "当局信息公开" in text
    if machine:
        res = _rewrite(text, _MACHINE_RE, lambda m: MACHINE_WORDS[m.group()])
        if res is not None:
            repairs["machine_words"] = len(_MACHINE_RE.findall(text))
            text, blocks = res
            mp = mp.compose(blocks)
            mapped = True

    # nothing moved: each character is where it was (a range, not a list of thousands of ints)
    offsets = mp.offsets(len(text)) if mapped else range(len(original) + 1)
    doc = Document(
        name=raw.name,
        kind=raw.kind,
        original=original,
        text=text,
        offsets=offsets,
        problems=tuple(raw.problems),
        repairs={_REPAIR_NAMES.get(k, k): v for k, v in repairs.items() if k != "crlf"},
        traditional=trad_count >= TRADITIONAL_MIN,
        machine_converted=machine,
        _map=mp if mapped else None,
    )
    doc.tables = tuple(_remap_table(doc, t) for t in raw.tables)
    return doc


def _remap_table(doc: Document, t: SourceTable) -> SourceTable:
    """The table with offsets into the normalised text and cells converted the same way."""
    flat = "\n".join("\t".join(row) for row in t.rows)  # cells hold neither tabs nor line breaks
    if _FULL_WIDTH.search(flat):
        flat = flat.translate(_HALF)
    if _TRAD.search(flat):
        flat = _T2S.convert(flat)
    rows = tuple(tuple(line.split("\t")) for line in flat.split("\n"))
    if len(rows) != len(t.rows) or any(len(a) != len(b) for a, b in zip(rows, t.rows)):
        rows = t.rows  # a conversion that changed the layout: keep the cells as read
    return SourceTable(rows=rows, start=doc.to_normalised(t.start), end=doc.to_normalised(t.end))
