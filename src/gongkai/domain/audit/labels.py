"""Tolerant matching of written table labels to the official labels (and keys) of a format.

Published tables carry labels retyped by hand, OCR'd or copied from a web page: ``(二) 部分公开
(区公处理的, 不计这一情形…)``, ``4. 无正当理由大理反复申请``, ``本年度止件数``. A label is
compared with the official ones after ``clean`` (numbering such as ``三、``/``（一）``/``1.``
and every punctuation mark and space removed, so half-width brackets or straight quotes are not
a difference). Exact cleaned matches are looked up in a dict; the rest are scored by edit
distance (``1 - levenshtein / longer length``) on the few entries that share the most characters.
Fuzzy results are cached: the same garbling recurs across reports and across a batch.

A written label *deviates* when its cleaned form differs from the official cleaned form; the
audit reports every deviation (``label_deviation``) naming both.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from gongkai.domain.report_format import load_formats

_CN = "一二三四五六七八九十"
_NUMBERING = re.compile(
    rf"^\s*(?:[{_CN}]+\s*[、.．]|[（(]\s*[{_CN}\d]+\s*[)）]|\d+\s*[.．、)）](?!\d)|第[{_CN}]+[、.．])\s*"
)
_NON_WORD = re.compile(r"[\W_]+")
_NUMBER_OF = re.compile(  # no ^: ``match`` anchors it, at any offset
    rf"\s*(?:(?P<cn>[{_CN}]+)\s*[、.．]|[（(]\s*(?P<paren>[{_CN}]+)\s*[)）]|(?P<ar>\d+)\s*[.．、)）](?!\d))"
)
CN_DIGITS = {c: i + 1 for i, c in enumerate(_CN)}

ACCEPT = 0.75  # a fuzzy score at or above this is a match on its own
WEAK = 0.55  # below this nothing matches, whatever the structure says


@functools.lru_cache(maxsize=16384)
def clean(label: str) -> str:
    """The comparable core of a label: numbering and punctuation/space removed (cached: a label
    is matched, then checked for deviation, and the official labels are cleaned again and again)."""
    s = label
    for _ in range(2):
        m = _NUMBERING.match(s)
        if not m or m.end() == 0:
            break
        s = s[m.end() :]
    return _NON_WORD.sub("", s)


def numbering(label: str, pos: int = 0) -> tuple[str, int] | None:
    """The numbering a label starts with: ("cn", 3) for 三、, ("paren", 2) for （二）, ("arabic", 1) for 1.
    ``pos``: the numbering at that offset of ``label`` (the text is not copied)."""
    m = _NUMBER_OF.match(label, pos)
    if not m:
        return None
    if m.group("cn"):
        return ("cn", _cn_value(m.group("cn")))
    if m.group("paren"):
        return ("paren", _cn_value(m.group("paren")))
    return ("arabic", int(m.group("ar")))


def _cn_value(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + CN_DIGITS.get(s[1:], 0)
    if s.endswith("十"):
        return CN_DIGITS.get(s[0], 0) * 10
    if "十" in s:
        a, b = s.split("十")
        return CN_DIGITS.get(a, 0) * 10 + CN_DIGITS.get(b, 0)
    return CN_DIGITS.get(s, 0)


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions, each 1).

    Hyyrö's bit-vector form of Myers' algorithm: one column of the edit-distance table is a
    pair of bit vectors (Python integers), so the work is a few integer operations per character
    of the longer string instead of one ``min`` per cell of the table. Labels are matched by it
    on every report, so it is on the hot path whenever a label is not written exactly.
    """
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if not m:
        return len(a)
    peq: dict[str, int] = {}  # per character of b, the positions it is at
    bit = 1
    for c in b:
        peq[c] = peq.get(c, 0) | bit
        bit <<= 1
    mask = bit - 1
    last = 1 << (m - 1)
    vp, vn, dist = mask, 0, m
    for c in a:
        eq = peq.get(c, 0)
        d0 = ((((eq & vp) + vp) & mask) ^ vp) | eq | vn
        hp = vn | (~(d0 | vp) & mask)
        hn = vp & d0
        if hp & last:
            dist += 1
        elif hn & last:
            dist -= 1
        hp = ((hp << 1) | 1) & mask
        hn = (hn << 1) & mask
        vp = hn | (~(d0 | hp) & mask)
        vn = hp & d0
    return dist


@functools.lru_cache(maxsize=8192)
def similarity(a: str, b: str) -> float:
    """1 for equal cleaned strings, 0 for nothing in common (edit distance over the longer length)."""
    if a == b:
        return 1.0
    n = max(len(a), len(b))
    return 1.0 - levenshtein(a, b) / n if n else 1.0


@functools.lru_cache(maxsize=8192)
def deviates(written: str, official: str) -> bool:
    if written == official:  # the usual case: nothing to clean
        return False
    return clean(written) != clean(official)


@dataclass(frozen=True)
class Entry:
    key: str
    label: str  # official label
    kind: str  # row | column | group | caption | header | note | stat
    cleaned: str
    chars: frozenset[str]
    number: tuple[str, int] | None  # the official numbering (（三） -> ("paren", 3))


@dataclass(frozen=True)
class LabelMatch:
    key: str
    label: str  # official label
    kind: str
    score: float

    @property
    def exact(self) -> bool:
        return self.score >= 1.0


class Vocabulary:
    """The official labels one table offers, matched tolerantly."""

    def __init__(self, name: str, entries: list[tuple[str, str, str]]):
        self.name = name
        self.entries = tuple(
            Entry(k, lab, kind, clean(lab), frozenset(clean(lab)), numbering(lab)) for k, lab, kind in entries
        )
        self.exact: dict[str, list[Entry]] = {}
        for e in self.entries:
            self.exact.setdefault(e.cleaned, []).append(e)
        self.by_key = {e.key: e for e in self.entries}
        # the match of an exact label, made once (a frozen dataclass is slow to make)
        self.exact_matches = {
            k: tuple((e, LabelMatch(e.key, e.label, e.kind, 1.0)) for e in es) for k, es in self.exact.items()
        }
        # the same, by the official label as printed: most labels of a report are written
        # exactly so, and are then matched without cleaning them (set-up from the format, not a
        # cache of reports' text)
        self.official_matches = {e.label: self.exact_matches[e.cleaned] for e in self.entries}
        self._pools: dict[tuple[str, ...] | None, tuple[Entry, ...]] = {}
        self._lengths: dict[tuple[str, ...] | None, frozenset[int]] = {}
        self._official_elsewhere: dict[tuple[str, tuple[str, ...] | None], LabelMatch | None] = {}

    def match(self, label: str, kinds: tuple[str, ...] | None = None) -> LabelMatch | None:
        """The best official label for ``label`` scoring at least ``WEAK`` (None otherwise): the
        first of :meth:`ranked`, found without scoring the candidates that cannot beat it."""
        official = self.official_matches.get(label)
        if official is None:
            return _best_label(self, label, kinds)
        for e, exact in official:  # written as printed: what _best_label finds
            if kinds is None or e.kind in kinds:
                return exact
        # an official label asked for among entries of other kinds (a row label tried as a column
        # first): what it matches there depends on the format only, and is kept with it
        key = (label, kinds)
        if key not in self._official_elsewhere:
            self._official_elsewhere[key] = _best_label(self, label, kinds)
        return self._official_elsewhere[key]

    def ranked(self, label: str, kinds: tuple[str, ...] | None = None) -> tuple[LabelMatch, ...]:
        """Every exact match, or the few closest official labels, best first, with their scores."""
        return _ranked(self, clean(label), numbering(label), kinds)

    def pool(self, kinds: tuple[str, ...] | None) -> tuple[Entry, ...]:
        """The entries of the kinds asked for (all for None), in the vocabulary's order."""
        pool = self._pools.get(kinds)
        if pool is None:
            pool = self._pools[kinds] = tuple(e for e in self.entries if kinds is None or e.kind in kinds)
        return pool

    def lengths(self, kinds: tuple[str, ...] | None) -> frozenset[int]:
        """The cleaned lengths of the entries of the kinds asked for (set-up, once per kinds)."""
        got = self._lengths.get(kinds)
        if got is None:
            got = self._lengths[kinds] = frozenset(len(e.cleaned) for e in self.pool(kinds))
        return got

    # (hashed and compared by identity, object's own: a vocabulary is a key of the caches below)


@functools.lru_cache(maxsize=16384)
def _best_label(vocab: Vocabulary, label: str, kinds: tuple[str, ...] | None) -> LabelMatch | None:
    cleaned = clean(label)
    if not cleaned:
        return None
    for e, exact in vocab.exact_matches.get(cleaned, ()):
        if kinds is None or e.kind in kinds:
            return exact
    return _best_fuzzy(vocab, cleaned, numbering(label), kinds)


def _candidates(vocab: Vocabulary, cleaned: str, kinds: tuple[str, ...] | None) -> list[Entry]:
    """The five entries sharing the most characters with ``cleaned`` (a cheap prefilter; the edit
    distance is computed on these only), ties in the vocabulary's order."""
    chars = set(cleaned)
    n = len(cleaned)
    pool = vocab.pool(kinds)
    keys = [-len(chars & e.chars) / max(n, len(e.cleaned)) for e in pool]
    order = sorted(range(len(pool)), key=keys.__getitem__)  # stable: as sorting the entries themselves
    return [pool[i] for i in order[:5]]


def _length_bound(n: int, m: int, bonus: float) -> float:
    """The highest score two labels of ``n`` and ``m`` cleaned characters can have: their edit
    distance is at least the difference of their lengths."""
    return min(1.0 - abs(n - m) / max(n, m) + bonus, 0.99)


def _score(cleaned: str, e: Entry, number: tuple[str, int] | None) -> float:
    # the same numbering as the official label breaks ties: (三) 不予以公开 is （三）不予公开, not （一）予以公开
    return min(similarity(cleaned, e.cleaned) + (0.05 if number and number == e.number else 0), 0.99)


@functools.lru_cache(maxsize=8192)
def _best_fuzzy(
    vocab: Vocabulary, cleaned: str, number: tuple[str, int] | None, kinds: tuple[str, ...] | None
) -> LabelMatch | None:
    """What ``_ranked(...)[0]`` is when it scores at least ``WEAK`` (None otherwise), without the
    edit distance of a candidate that cannot score WEAK or beat the best so far: the distance is
    at least the difference of the lengths, and at least the characters either label has that the
    other lacks, which bounds the score from above."""
    best: Entry | None = None
    top = -1.0
    n = len(cleaned)
    if not any(_length_bound(n, m, 0.05) >= WEAK for m in vocab.lengths(kinds)):
        return None  # (a header row run together) longer than any entry can match: nothing to rank
    chars = frozenset(cleaned)
    for e in _candidates(vocab, cleaned, kinds):
        m = len(e.cleaned)
        bonus = 0.05 if number and number == e.number else 0
        bound = _length_bound(n, m, bonus)
        if bound < WEAK or bound <= top:
            continue  # (a tie keeps the earlier candidate, as the stable sort of _ranked does)
        # a character the other label lacks is an edit of its own: the distance is at least the
        # number of such characters of either label
        least = max(sum(1 for c in cleaned if c not in e.chars), sum(1 for c in e.cleaned if c not in chars))
        bound = min(1.0 - least / max(n, m) + bonus, 0.99)
        if bound < WEAK or bound <= top:
            continue
        score = _score(cleaned, e, number)
        if score > top:
            best, top = e, score
    if best is None or top < WEAK:
        return None
    return LabelMatch(best.key, best.label, best.kind, top)


@functools.lru_cache(maxsize=8192)
def _ranked(
    vocab: Vocabulary, cleaned: str, number: tuple[str, int] | None, kinds: tuple[str, ...] | None
) -> tuple[LabelMatch, ...]:
    if not cleaned:
        return ()
    hits = [e for e in vocab.exact.get(cleaned, ()) if kinds is None or e.kind in kinds]
    if hits:
        return tuple(LabelMatch(e.key, e.label, e.kind, 1.0) for e in hits)
    scored = [
        LabelMatch(e.key, e.label, e.kind, _score(cleaned, e, number)) for e in _candidates(vocab, cleaned, kinds)
    ]
    scored.sort(key=lambda m: -m.score)
    return tuple(scored)


def clear_caches() -> None:
    """Forget the label matches of earlier reports (see findings.clear_caches)."""
    for cached in (clean, similarity, deviates, _best_label, _best_fuzzy, _ranked):
        cached.cache_clear()


# -- the vocabularies of each format ---------------------------------------------------------------


@functools.cache
def table3_vocabulary(version: str) -> Vocabulary:
    t3 = load_formats()[version].table_3
    entries = [(r.key, r.label, "row") for r in t3.rows]
    entries += [(c.key, c.label, "column") for c in t3.columns]
    entries += [(g.key, g.label, "group") for g in t3.column_groups]
    entries.append(("row_header_note", t3.row_header_note, "note"))
    return Vocabulary(f"table_3/{version}", entries)


@functools.cache
def table2_vocabulary(version: str) -> Vocabulary:
    t2 = load_formats()[version].table_2
    entries = [(s.id, s.caption, "caption") for s in t2.subtables]
    entries += [(f"{s.id}.{r.key}", r.label, "row") for s in t2.subtables for r in s.rows]
    entries.append(("row_header", t2.subtables[0].row_header_label, "header"))
    return Vocabulary(f"table_2/{version}", entries)


@functools.cache
def table2_columns(version: str, sub_id: str) -> Vocabulary:
    s = load_formats()[version].table_2.subtable(sub_id)
    entries = [(c.key, c.label, "column") for c in s.columns]
    entries.append(("row_header", s.row_header_label, "header"))
    return Vocabulary(f"table_2/{version}/{sub_id}", entries)


@functools.cache
def table4_vocabulary(version: str) -> Vocabulary:
    t4 = load_formats()[version].table_4
    entries = [(g.key, g.label, "group") for g in t4.column_groups]
    entries += [(c.key, c.label, "column") for c in t4.columns]
    return Vocabulary(f"table_4/{version}", entries)


# The statistics table of reports under the old regulation (before 2019): no national format, but
# most followed the same items. Keys are those of ``old_stats`` (see tables.py).
OLD_STATS_LABELS: tuple[tuple[str, str], ...] = (
    ("proactive_published", "主动公开政府信息数"),
    ("normative_documents_published", "主动公开规范性文件数"),
    ("applications_received", "收到申请数"),
    ("applications_completed", "申请办结数"),
    ("review_cases", "政府信息公开行政复议数"),
    ("litigation_cases", "政府信息公开行政诉讼数"),
    ("complaints", "政府信息公开举报投诉数"),
    ("fees_collected", "依申请提供政府信息收取的费用"),
)


@functools.cache
def old_stats_vocabulary() -> Vocabulary:
    return Vocabulary("old_stats", [(k, lab, "stat") for k, lab in OLD_STATS_LABELS])
