"""Tables read from the character stream: rows found by their labels, not by line breaks.

Crawlers and some copy-paste paths deliver a report as one line: headings inline, every tab and
line break gone, a row's figures glued into one digit run (``（一）予以公开5000005（二）部分公开…``).
The official row labels of a table come in a known order, so they can be found in the text
whatever the line breaks: :func:`reline` cuts such a line into *virtual lines*, one per label with
the figures that follow it, each a :class:`~gongkai.domain.audit.normalise.Line` whose offsets are
those of the text itself (spans stay exact). The row readers then read them like any line: a
label glued to a digit run is split by the row's rules (:mod:`.rows`), and only a unique reading
is taken.

Labels are searched on the line's *skeleton* (numbering, punctuation and spaces removed, as
:func:`labels.clean` does), in order, each within a window after the previous one; a label
written differently (``规范性文件`` for 行政规范性文件) is found by its longest suffix or prefix
that is preceded by a figure (the end of the previous row). A row's numbering (``2.``, ``（三）``)
is cut off the end of the previous row's figures only when it is the numbering the label has.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from gongkai.domain.audit import labels as L
from gongkai.domain.audit.normalise import Line

_FIGURES = re.compile(r"[\d.．,，/／—－\-\sOoIl丨〇]*[\dOoIl丨〇](?:[.．]\d+)?")  # OCR letters too
_LEADING = re.compile(r"[^\w]*")
_NUMBERING_AFTER = re.compile(r"\s*[.．、]\s*[^\W\d_]")
WINDOW = 600  # characters of skeleton searched for the next label
MIN_FUZZY = 3  # the shortest label part searched for when the whole label is not found
_CN_NUMBERING = re.compile(r"(?:[（(]\s*[一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．])\s*$")


_MORE_AFTER_FIGURES = re.compile(r"\d\s*[^\d\s.．,，、%％\-—－/／]")


@functools.lru_cache(maxsize=64)
def _cores(labels: tuple[str, ...]) -> tuple[str, ...]:
    """The labels' comparable cores (set-up per format, not per report)."""
    return tuple(L.clean(label) for label in labels)


@functools.lru_cache(maxsize=64)
def _digit_free(labels: tuple[str, ...]) -> tuple[bool, ...]:
    """Per label: whether its core has no digit (set-up per format, like the cores)."""
    return tuple(not any(c.isdigit() for c in core) for core in _cores(labels))


_WORDS = re.compile(r"[^\W_]+")


def _skeleton(text: str) -> tuple[str, list[int]]:
    """``text`` without anything but letters and digits, and where each kept character was."""
    runs = _WORDS.findall(text)
    skel = "".join(runs)
    if len(skel) == len(text):
        return skel, list(range(len(text)))
    where: list[int] = []
    for m in _WORDS.finditer(text):
        where.extend(range(m.start(), m.end()))
    return skel, where


def _numbering_start(text: str, at: int, label: str) -> int:
    """Where the label's own numbering starts before offset ``at`` of ``text`` (``at`` if absent)."""
    number = _official_numbering(label)
    if number is None:
        return at
    head = text[max(0, at - 8) : at]
    base = at - len(head)
    if number[0] == "arabic":
        m = _arabic_numbering(number[1]).search(head)
        return base + m.start() if m else at
    m = _CN_NUMBERING.search(head)
    return base + m.start() if m else at


@functools.lru_cache(maxsize=1024)
def _official_numbering(label: str) -> tuple[str, int] | None:
    """The numbering of an official label (set-up per format, like the cores)."""
    return L.numbering(label)


@functools.lru_cache(maxsize=256)
def _arabic_numbering(n: int) -> re.Pattern[str]:
    """``n.`` / ``n、`` at the end of a text (compiled once per number: a row label's numbering)."""
    return re.compile(rf"(?<!\d){n}\s*[.．、]\s*$|{n}\s*[.．、]\s*$")


def _fuzzy(skel: str, core: str, lo: int, hi: int) -> tuple[int, int] | None:
    """A label written differently, found by the longest prefix or suffix of ``core`` (at least
    half of it) in ``skel[lo:hi]`` where a label can start: right after a figure (the previous
    row's end); a suffix may have a few other characters between that figure and itself (the
    label's differing start, which is taken into the label)."""
    shortest = max(MIN_FUZZY, -(-len(core) // 2))
    hi = min(hi, len(skel))
    # (a part longer than the window is not in it: those lengths are not searched)
    for n in range(min(len(core) - 1, hi - lo), shortest - 1, -1):
        prefix, suffix = core[:n], core[-n:]
        j = skel.find(prefix, lo, hi)
        while j >= 0:
            if j > 0 and skel[j - 1].isdigit():
                return j, j + n
            j = skel.find(prefix, j + 1, hi)
        j = skel.find(suffix, lo, hi)
        while j >= 0:
            k = j
            slack = len(core) - n + 3
            while k > lo and not skel[k - 1].isdigit() and j - k < slack:
                k -= 1
            if k > 0 and skel[k - 1].isdigit():
                return k, j + n
            j = skel.find(suffix, j + 1, hi)
    return None


def reline(lines: Sequence[Line], labels: Sequence[str], *, min_labels: int = 2) -> list[Line]:
    """``lines`` with every line holding at least ``min_labels`` of ``labels`` (in order) cut into
    one virtual line per label and its figures; other lines as they are."""
    out: list[Line] = []
    for ln in lines:
        if "\t" in ln.text or len(ln.text) < 8 or _one_row(ln.text):
            out.append(ln)
            continue
        cut = _cut(ln, labels)
        if cut is None or len(cut) < min_labels:
            out.append(ln)
            continue
        out.extend(_pieces(ln, cut))
    return out


_SINGLE_ROW = re.compile(r"^\s*(?:\d+\s*[.．、])?(?P<label>[^\d]*)[\d\s.．,，/／—－\-]*$")
_NUMBERINGS = re.compile(r"[（(]\s*[一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+\s*、|\d+\s*[.．、](?!\d)")


def _one_row(text: str) -> bool:
    """A line that is one row (a label with at most one numbering, then only figures): nothing
    to cut, decided without looking for labels (most lines of a table copied with line breaks)."""
    m = _SINGLE_ROW.match(text)
    return m is not None and len(_NUMBERINGS.findall(m.group("label"))) <= 1


def _cut(ln: Line, labels: Sequence[str]) -> list[tuple[int, int]] | None:
    """(label start, label end) offsets into ``ln.text`` of the labels found, in order: first
    every label written exactly (each within ``WINDOW`` after the previous one), then the others
    by a part of them, only between the labels found around them."""
    skel, where = _skeleton(ln.text)
    if not skel:
        return None
    key = tuple(labels)
    cores = _cores(key)
    hits: list[tuple[int, int] | None] = [None] * len(labels)
    pos = 0
    exact = 0
    for k, core in enumerate(cores):
        if not core:
            continue
        i = skel.find(core, pos, min(len(skel), pos + WINDOW + len(core)))
        if i >= 0:
            hits[k] = (i, i + len(core))
            pos = i + len(core)
            exact += 1
    # labels written differently are looked for only in a line that holds several rows: two
    # labels found, or figures followed by more text (an ordinary row is one label, then figures)
    if exact == 0 or (exact < 2 and not _MORE_AFTER_FIGURES.search(ln.text)):
        return [(where[h[0]], where[h[1] - 1] + 1) for h in hits if h is not None]
    # each label is looked for between the hits around it: the hits are in order and do not
    # overlap (a label part is found inside its window), so the one before is the last one found
    # and the one after is the next exact hit
    after = [len(skel)] * len(cores)
    nxt = len(skel)
    for k in range(len(cores) - 1, -1, -1):
        after[k] = nxt
        h = hits[k]
        if h is not None:
            nxt = h[0]
    lo = 0
    digit_free = _digit_free(key)
    for k, core in enumerate(cores):
        h = hits[k]
        if h is None and len(core) >= MIN_FUZZY:
            hi = min(after[k], lo + WINDOW + len(core))
            window = skel[lo:hi]
            # a window shorter than the shortest part searched, or only figures where the label
            # has none (the row's figures after the last label), holds no part of it: no search
            if len(window) >= MIN_FUZZY and not (window.isdigit() and digit_free[k]):
                h = hits[k] = _fuzzy(skel, core, lo, hi)
        if h is not None:
            lo = h[1]
    found: list[tuple[int, int]] = []
    for label, hit in zip(labels, hits):
        if hit is None:
            continue
        s, e = hit
        start = where[s]
        if start > 0 and ln.text[start - 1] in "（(" and L.numbering(ln.text, start - 1) is not None:
            start -= 1  # the hit took in the numeral of the label's （二）
        elif L.numbering(ln.text, start) is None:
            start = _numbering_start(ln.text, start, label)
        if found and start < found[-1][1]:
            start = where[s]
        found.append((start, where[e - 1] + 1))
    return found


def _pieces(ln: Line, cut: list[tuple[int, int]]) -> list[Line]:
    text = ln.text
    out: list[Line] = []

    def add(a: int, b: int) -> None:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append(Line(ln.start + a, ln.start + b, text[a:b]))

    add(0, cut[0][0])
    for k, (start, end) in enumerate(cut):
        nxt = cut[k + 1][0] if k + 1 < len(cut) else len(text)
        lead = _LEADING.match(text, end, nxt)
        j = lead.end() if lead else end
        m = _FIGURES.match(text, j, nxt)
        if m and m.end() > j:
            stop = m.end()
            if _NUMBERING_AFTER.match(text, stop) and stop - j > 1:
                stop -= 1  # "0000002. 申请人…": the last digit numbers the next row (found or not)
            add(start, stop)
            add(stop, nxt)
        else:
            # no figures right after the label: the written label runs on (longer than the
            # official one) up to figures, or it is a label without figures (三、本年度办理结果)
            tail = text[end:nxt]
            d = re.search(r"\d", tail)
            figs = _FIGURES.match(text, end + d.start(), nxt) if d else None
            if figs and d and d.start() <= 40 and "。" not in tail[: d.start()]:
                add(start, figs.end())
                add(figs.end(), nxt)
            else:
                add(start, nxt)
    return out


def clip(lines: Sequence[Line], a: int, b: int) -> list[Line]:
    """``lines`` cut to the stretch [a, b) of the text (a one-line report holds every section in
    one line: a table's section is only part of it)."""
    out: list[Line] = []
    for ln in lines:
        if ln.start >= a and ln.end <= b:
            out.append(ln)
            continue
        s, e = max(ln.start, a), min(ln.end, b)
        if e > s:
            out.append(Line(s, e, ln.text[s - ln.start : e - ln.start]))
    return out


_RUN = re.compile(r"[\dOoIl丨〇][\dOoIl丨〇\s]{4,}[\dOoIl丨〇]")


def split_figure_run(lines: Sequence[Line], min_digits: int = 5) -> list[Line]:
    """Lines without a tab whose text ends in a long run of figures after labels (table 四's
    header and its one row of figures run together) cut before the run."""
    out: list[Line] = []
    for ln in lines:
        if "\t" in ln.text or len(ln.text) < 20:
            out.append(ln)
            continue
        m = None
        for m in _RUN.finditer(ln.text):
            if sum(not ch.isspace() for ch in m.group()) >= min_digits and any(ch.isdigit() for ch in m.group()):
                break
        else:
            m = None
        if m is None or m.start() == 0:
            out.append(ln)
            continue
        head = ln.text[: m.start()]
        if not re.search(r"[^\W\d_]", head):
            out.append(ln)
            continue
        out.append(Line(ln.start, ln.start + m.start(), head))
        out.append(Line(ln.start + m.start(), ln.start + m.end(), m.group()))
        if m.end() < len(ln.text):
            out.append(Line(ln.start + m.end(), ln.end, ln.text[m.end() :]))
    return out
