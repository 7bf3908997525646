"""Rows: a line of text cut into cells, and the readings of a row whose values do not line up
(blank cells placed, glued digit runs split, only readings the row's own rules allow)."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gongkai.domain.audit.limits import MAX_NUMBER_DIGITS
from gongkai.domain.audit.normalise import Line

Number = int | float
Reading = tuple[Number | None, ...]

_NUM = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_BLANK = frozenset({"-", "—", "－", "–", "/", "／", "\\", "——", "无", "空"})
# a label and a digit run glued together; a minus sign before the run stays with it (a signed
# figure glued to others cannot be split, the row is then unreadable, never misread)
# (OCR's letters for digits, O/o/〇/l/I/丨, belong to the run, never to the label)
# (a minus inside the run, 0-5209, is a signed figure of a 增/减 column or a blank mark: both
# readings are enumerated, see _signed_readings)
_GLUED = re.compile(
    r"^(.*[^\d\s.．,，、\-−OoIl丨〇])\s*([-−]?[\dOoIl丨〇]*\d[\dOoIl丨〇]*(?:[-−][\dOoIl丨〇]+)*(?:[.．]\d+)?"
    r"|[-−]?[OoIl丨〇]+(?:[-−][\dOoIl丨〇]+)+(?:[.．]\d+)?|[-−]?[OoIl丨〇]+(?:[.．]\d+)?)$"
)
_TOKEN = re.compile(r"\S+")
_NUMBERED = re.compile(r"[（(][一二三四五六七八九十]+[)）]|\d+[.．、](?!\d)|[一二三四五六七八九十]+、")
MAX_READINGS = 2000  # enumeration cap per row; beyond it a row is reported ambiguous


# -- lines into cells --------------------------------------------------------------------------


@dataclass(slots=True)
class Cell:
    text: str
    start: int
    end: int


_VALUE_START = frozenset("0123456789-−—－–/／\\无空OoIl丨〇")
# OCR reads 0 as O/o/〇 and 1 as l/I/丨: a cell made only of digits and these letters is a figure
# (no label of these tables is one), read with the letters as the digits they stand for
_OCR_DIGITS = str.maketrans("OoIl丨〇", "001110")
_OCR_FIGURE = re.compile(r"^(?:[0-9OoIl丨〇]*[0-9][0-9OoIl丨〇]*|[OoIl丨〇]{1,7})$")


def ocr_digits(s: str) -> str:
    """``s`` with OCR's letters read as digits when it is a figure cell (unchanged otherwise)."""
    if s.isdigit():  # the usual cell: nothing to read
        return s
    if s[:1] in "OoIl丨〇" or (s and not s.isdigit() and _OCR_FIGURE.match(s)):
        return s.translate(_OCR_DIGITS) if _OCR_FIGURE.match(s) else s
    return s


def _digits(s: str) -> int:
    return sum(1 for ch in s if ch.isdigit())


def _is_value(s: str) -> bool:
    if not s or s[0] not in _VALUE_START:  # labels start with a letter: the usual case, decided at once
        return False
    if s.isascii() and s.isdigit():  # a plain figure, the other usual case
        return len(s) <= MAX_NUMBER_DIGITS
    s = ocr_digits(s)
    if len(s) > MAX_NUMBER_DIGITS and _digits(s) > MAX_NUMBER_DIGITS:  # no figure has so many digits: text
        return False
    return bool(_NUM.match(s)) or s in _BLANK


def parse_number(s: str) -> Number | None:
    """A cell's number; None for a blank or a blank mark (-, /, 无), or for a digit run longer than
    ``MAX_NUMBER_DIGITS`` (never a figure; as a float it would be infinite)."""
    if s.isascii() and s.isdigit():  # a plain figure: the usual cell
        return int(s) if len(s) <= MAX_NUMBER_DIGITS else None
    s = ocr_digits(s.strip()).replace("−", "-").replace(",", "")
    if not s or s in _BLANK or (len(s) > MAX_NUMBER_DIGITS and _digits(s) > MAX_NUMBER_DIGITS):
        return None
    return float(s) if "." in s else int(s)


@dataclass(slots=True)
class TextRow:
    line: Line
    labels: list[Cell]  # text cells before the values (group labels, then the row's own label)
    values: list[Cell | None]  # the value cells; None for an empty cell inside a tab layout
    tabbed: bool
    padded: list[Cell | None] | None = None  # tab layout: every cell after the label, empty ones too
    glued: bool = False  # the label and the figures ran together: every separator was lost

    @property
    def own(self) -> Cell | None:
        return self.labels[-1] if self.labels else None

    @property
    def numbers(self) -> list[Cell]:
        return [c for c in self.values if c is not None and c.text not in _BLANK]


def split_line(line: Line) -> TextRow:
    """The cells of a line: its labels and its value region (see the module docstring)."""
    labels, values, tabbed, padded, glued = _split_cached(line.text)  # table lines repeat: parse each text once
    b = line.start
    if padded is None:
        cells = None
        vals = [None if c is None else Cell(c[0], c[1] + b, c[2] + b) for c in values]
    else:  # the values are the padded cells without the empty ones at either end: the same cells
        cells = [None if c is None else Cell(c[0], c[1] + b, c[2] + b) for c in padded]
        lead = 0
        while lead < len(padded) and padded[lead] is None:
            lead += 1
        vals = cells[lead : lead + len(values)]
    return TextRow(line, [Cell(t, s + b, e + b) for t, s, e in labels], vals, tabbed, cells, glued)


_Raw = tuple[str, int, int]  # a cell as (text, start, end) relative to its line: what the cache keeps
_RawRow = tuple[tuple[_Raw, ...], tuple[_Raw | None, ...], bool, tuple[_Raw | None, ...] | None, bool]


@functools.lru_cache(maxsize=16384)
def _split_cached(text: str) -> _RawRow:
    """The cells of a line's text, offsets relative to it (labels, values, tabbed, padded, glued);
    plain tuples, so that a cached result is never shared with a caller that changes its row."""
    return _split_tabbed(text) if "\t" in text else _split_spaced(text)


def _split_tabbed(text: str) -> _RawRow:
    parts = text.split("\t")
    last = -1  # the last text cell: the row's own label; the cells after it are the values
    for i in range(len(parts) - 1, -1, -1):
        st = parts[i]
        if st.isdigit() and st.isascii() and len(st) <= MAX_NUMBER_DIGITS:
            continue  # a plain figure, most cells: told without stripping it or calling _is_value
        st = st.strip()
        if st and not _is_value(st):
            last = i
            break
    pos = 0
    labels_: list[_Raw] = []
    region_: list[_Raw | None] = []
    for part in parts[: last + 1]:  # the label cells: empty ones dropped
        st = part.strip()
        if st:
            lead = pos + part.find(st[0])
            labels_.append((st, lead, lead + len(st)))
        pos += len(part) + 1
    for part in parts[last + 1 :]:  # the value region: an empty cell kept as None
        n = len(part)
        if part.isdigit() and part.isascii():  # a plain figure: nothing to strip
            region_.append((part, pos, pos + n))
        else:
            st = part.strip()
            if st:
                lead = pos + part.find(st[0])
                region_.append((st, lead, lead + len(st)))
            else:
                region_.append(None)
        pos += n + 1
    return _finish(labels_, region_, True)


def _split_spaced(text: str) -> _RawRow:
    words = text.split()  # (the same whitespace as _TOKEN's)
    if len(words) == 1:
        # one word (a row whose separators were all lost, a header run together): nothing to join,
        # the word is the value region or the label, what the general way below makes of it
        word = words[0]
        start = text.find(word)
        cell = (word, start, start + len(word))
        if _is_value(word):
            return _finish([], [cell], False)
        glued = _GLUED.match(word)
        return _finish([cell], [], False, (word, glued) if glued is not None else None)
    tokens = [(m.group(), *m.span()) for m in _TOKEN.finditer(text)]
    is_value = [_is_value(t[0]) for t in tokens]
    # (a line whose figures ran into its last word, 不计其他情形)000000, is a row, not a header)
    last_glued = _GLUED.match(tokens[-1][0]) if tokens and not any(is_value) else None
    header = not any(is_value) and not last_glued
    cells: list[_Raw] = []
    cell_is_value: list[bool] = []
    for tok, value in zip(tokens, is_value):
        # words run together into one label, unless a numbered label starts: 三、… (一) 予以公开;
        # a line without numbers is a header: one cell per word (a bare numbering joins the next)
        if not cells:
            join = False
        elif header:
            join = _NUMBERED.fullmatch(cells[-1][0]) is not None
        else:
            join = not value and not cell_is_value[-1] and not _NUMBERED.match(tok[0])
        if join:
            start = cells[-1][1]
            merged = text[start : tok[2]]
            cells[-1] = (merged, start, tok[2])
            cell_is_value[-1] = _is_value(merged)
        else:
            cells.append(tok)
            cell_is_value.append(value)
    last = -1
    for i in range(len(cells) - 1, -1, -1):
        if not cell_is_value[i]:
            last = i
            break
    known = (tokens[-1][0], last_glued) if last_glued is not None else None
    return _finish(cells[: last + 1], list(cells[last + 1 :]), False, known)


def _finish(
    label_cells: list[_Raw],
    region: list[_Raw | None],
    tabbed: bool,
    known: tuple[str, re.Match[str]] | None = None,  # a text already matched against _GLUED
) -> _RawRow:
    padded = tuple(region) if tabbed else None
    glued = False
    if label_cells and not any(region):
        text, start, end = label_cells[-1]
        m2 = known[1] if known is not None and known[0] == text else _GLUED.match(text)
        if m2:  # 申请数量640020470: the label and a run of digits glued together
            lab = m2.group(1).rstrip()
            label_cells[-1] = (lab, start, start + len(lab))
            region = [(m2.group(2), start + m2.start(2), end)]
            padded = None
            glued = not tabbed and m2.group(1) == m2.group(1).rstrip()
    a, b = 0, len(region)
    while a < b and region[a] is None:
        a += 1
    while b > a and region[b - 1] is None:
        b -= 1
    return tuple(label_cells), tuple(region[a:b]), tabbed, padded, glued


# -- readings of a row -------------------------------------------------------------------------

Group = tuple[tuple[int, ...], int]  # (indices of the parts, index of their total)


def split_digits(
    digits: str,
    ncols: int,
    groups: Sequence[Group] = (),
    cuts: Sequence[int] = (),
    maxlen: int = 7,
    limit: int = MAX_READINGS,
) -> list[tuple[int, ...]]:
    """Every way to cut ``digits`` into ``ncols`` numbers satisfying each group's total.

    Numbers have no leading zero (``0`` itself excepted) and at most ``maxlen`` digits; ``cuts``
    are positions that must fall between two cells (separators that were there). A group total
    that comes after its parts is not enumerated but read: it must be the sum, written out.
    Returns at most ``limit`` readings (a full list means there may be more).
    """
    n = len(digits)
    if n < ncols or not digits.isdigit():
        return []
    totals = {t: parts for parts, t in groups if all(p < t for p in parts)}
    late = [(parts, t) for parts, t in groups if not all(p < t for p in parts)]
    next_cut = [n] * (n + 1)
    cut_set = set(cuts)
    nxt = n
    for p in range(n, -1, -1):
        next_cut[p] = nxt
        if p in cut_set:
            nxt = p
    out: list[tuple[int, ...]] = []
    parts: list[int] = []

    def rec(pos: int, i: int) -> None:
        if len(out) >= limit:
            return
        remaining = ncols - i
        if remaining == 0:
            if pos == n and all(sum(parts[j] for j in ps) == parts[t] for ps, t in late):
                out.append(tuple(parts))
            return
        left = n - pos
        if left < remaining or left > remaining * maxlen:
            return
        bound = next_cut[pos] - pos  # a cell never spans a separator
        if i in totals:
            expect = str(sum(parts[j] for j in totals[i]))
            k = len(expect)
            if k <= bound and digits.startswith(expect, pos):
                parts.append(int(expect))
                rec(pos + k, i + 1)
                parts.pop()
            return
        for k in range(1, min(maxlen, left - (remaining - 1), bound) + 1):
            if k > 1 and digits[pos] == "0":
                break
            parts.append(int(digits[pos : pos + k]))
            rec(pos + k, i + 1)
            parts.pop()

    if len(groups) == 1 and groups[0] == (tuple(range(ncols - 1)), ncols - 1):
        return _split_with_final_total(digits, ncols, next_cut, maxlen, limit)  # table 三: much faster
    rec(0, 0)
    return out


def _split_with_final_total(
    digits: str, ncols: int, next_cut: list[int], maxlen: int, limit: int
) -> list[tuple[int, ...]]:
    """split_digits for a row whose last cell is the sum of the others (table 三).

    The total is read first (its length tried from short to long); then the other cells, none
    longer than the total and summing to it, are enumerated with the sum as a bound.
    """
    n = len(digits)
    out: list[tuple[int, ...]] = []
    nparts = ncols - 1
    for lt in range(1, min(maxlen, n - nparts) + 1):
        ts = n - lt
        if lt > 1 and digits[ts] == "0":
            continue
        if next_cut[ts] < n:
            continue  # the total would span a separator
        target = int(digits[ts:])
        parts: list[int] = []

        def rec(pos: int, i: int, total: int) -> None:
            if len(out) >= limit:
                return
            remaining = nparts - i
            if remaining == 0:
                if pos == ts and total == target:
                    out.append((*parts, target))
                return
            left = ts - pos
            if left < remaining or left > remaining * lt:
                return
            if target - total > remaining * (10**lt - 1):
                return
            bound = next_cut[pos] - pos
            if remaining == 1:  # the last cell is what the total leaves: read it, do not search it
                last = str(target - total)
                if len(last) == left <= bound and digits.startswith(last, pos):
                    out.append((*parts, target - total, target))
                return
            for k in range(1, min(lt, left - (remaining - 1), bound) + 1):
                if k > 1 and digits[pos] == "0":
                    break
                v = int(digits[pos : pos + k])
                if total + v > target:
                    break  # longer cells are larger still
                parts.append(v)
                rec(pos + k, i + 1, total + v)
                parts.pop()

        rec(0, 0, 0)
    return out


def _satisfies(reading: Reading, groups: Sequence[Group]) -> bool:
    for parts, total in groups:
        vals = [reading[p] for p in parts]
        t = reading[total]
        if t is None or any(v is None for v in vals):
            continue
        if abs(sum(vals) - t) > 0.005:  # type: ignore[arg-type]
            return False
    return True


@dataclass
class RowReading:
    """How a row could be read: one reading, several (ambiguous) or none (unreadable)."""

    readings: list[Reading]
    structural: list[Reading]  # before the row's own totals were applied
    why: str = ""  # for unreadable rows

    @property
    def unique(self) -> Reading | None:
        return self.readings[0] if len(self.readings) == 1 else None

    def agreed(self) -> Reading | None:
        """For an ambiguous row: each cell on which every reading agrees (None where they differ),
        or None when no cell is agreed or the enumeration was cut short (then a cell the same in
        the readings listed may differ in one left out). The readings enumerate every way the
        damage could have happened, so a figure they all give is the figure written."""
        if len(self.readings) < 2 or len(self.readings) >= MAX_READINGS:
            return None
        first = self.readings[0]
        if any(len(r) != len(first) for r in self.readings):
            return None
        out = tuple(v if v is not None and all(r[i] == v for r in self.readings) else None for i, v in enumerate(first))
        return out if any(v is not None for v in out) else None


def read_row(
    values: list[Cell | None],
    ncols: int,
    tabbed: bool,
    groups: Sequence[Group] = (),
    convention: Callable[[list[Reading]], list[Reading]] | None = None,
    padded: list[Cell | None] | None = None,
    glued: bool = False,
) -> RowReading:
    """The readings of a row's value cells (see the module docstring).

    ``convention`` maps candidate readings to what they mean (table 三: blank cells by the spec's
    convention) before they are compared; a reading as written is returned as written.
    """
    cands, as_written, why = row_candidates(values, ncols, tabbed, groups, padded, glued)
    if not as_written and convention is not None and cands:
        cands = convention(cands)
    return settle(cands, as_written, groups, why)


def row_candidates(
    values: list[Cell | None],
    ncols: int,
    tabbed: bool,
    groups: Sequence[Group] = (),
    padded: list[Cell | None] | None = None,
    glued: bool = False,
) -> tuple[list[Reading], bool, str]:
    """The structural readings of a row: (readings, read as written?, why none).

    ``padded`` (tab layout) is the value region with its leading/trailing empty cells: when it
    has exactly one cell per column, the row is read as laid out.
    """
    if tabbed and padded is not None and len(padded) == ncols and any(c is not None for c in padded):
        if padded[0] is None and len(values) < ncols and groups:
            laid_out = tuple(None if c is None else parse_number(c.text) for c in padded)
            # the empty cell after the label may be a label spanning two columns, and a cell lost
            # further on: both readings stay (the column rules may choose), neither is taken alone.
            # Even when the row's total holds as laid out: a lost 0 shifts the row and keeps it.
            cands, _, why = _candidates(
                tuple(None if c is None else c.text for c in values), ncols, tabbed, tuple(groups)
            )
            return [laid_out, *cands], False, why
        # one cell per column, read as laid out: what _candidates gives such a row, without the
        # cache of rows (most rows of a table copied with its tabs)
        # (a plain figure, most cells, is its int: what parse_number(ocr_digits(...)) makes of it)
        return (
            [
                tuple(
                    None
                    if c is None
                    else int(c.text)
                    if c.text.isdigit() and c.text.isascii() and len(c.text) <= MAX_NUMBER_DIGITS
                    else parse_number(ocr_digits(c.text))
                    for c in padded
                )
            ],
            True,
            "",
        )
    cands, as_written, why = _candidates(
        tuple(None if c is None else c.text for c in values), ncols, tabbed, tuple(groups), glued
    )
    return list(cands), as_written, why


@functools.lru_cache(maxsize=16384)
def _candidates(
    texts_: tuple[str | None, ...], ncols: int, tabbed: bool, groups: tuple[Group, ...], glued: bool = False
) -> tuple[tuple[Reading, ...], bool, str]:
    texts = [None if t is None else ocr_digits(t) for t in texts_]
    nums = [t for t in texts if t is not None]
    k = len(nums)
    if k == 0:
        return (), False, "本行没有数字"
    if tabbed and len(texts) == ncols:  # the cells line up with the columns
        return (tuple(None if t is None else parse_number(t) for t in texts),), True, ""
    if k == ncols:  # as many numbers as columns: in order, whatever the layout
        return (tuple(parse_number(t) for t in nums),), True, ""  # type: ignore[arg-type]
    if k > ncols and not any(_glued_token(t) for t in nums):
        return (), False, f"本行有{k}个数字，多于{ncols}列"
    structural: list[Reading] = []
    # a label and its figures run together lost every separator: a run with a digit per column
    # fills every column (the rule below), it is not one figure among blanks
    run_fills = glued and k == 1 and len(nums[0]) >= ncols  # type: ignore[arg-type]
    if all(not _glued_token(t) for t in nums) and len(texts) <= ncols and not run_fills:
        if tabbed:
            # a tab layout with fewer cells than columns lost cells (a cell and its tab): they may
            # have been anywhere, and each is what the row's totals make it (never a blank 0)
            gapped = _gapped([None if t is None else parse_number(t) for t in texts], ncols, groups)
            if gapped is None:
                return (), False, f"本行少了{ncols - len(texts)}个数字，无法确定缺少的是哪几格"
            structural.extend(gapped)
        else:  # separators lost: the numbers may sit in any columns, in order
            structural.extend(_placed([parse_number(t) for t in nums], ncols, False))  # type: ignore[arg-type]
    if None not in texts and all(t.isdigit() for t in nums):  # type: ignore[union-attr]
        digits = "".join(nums)  # type: ignore[arg-type]
        cuts = list(itertools.accumulate(len(t) for t in nums[:-1]))  # type: ignore[arg-type]
        if len(digits) >= ncols and len(digits) > k:
            # at least a digit per column: every column is taken as filled (were blanks allowed,
            # any split with a blank 总计 would pass its computed total, and nothing would be unique)
            structural.extend(split_digits(digits, ncols, groups, cuts))
        elif k < len(digits) < ncols:
            # fewer digits than columns: some cells are blank; split into as many cells as the
            # digits allow and place them as the layout allows
            for m in range(k, len(digits) + 1):
                for parts in split_digits(digits, m, (), cuts):
                    structural.extend(_placed(list(parts), ncols, tabbed))
                    if len(structural) >= MAX_READINGS:
                        break
    elif not groups and len(nums) <= MAX_SIGNED_TOKENS:
        # table 二 without separators: a signed figure (本年增/减) or a decimal amount glued to others
        # (OCR's letters for digits read as digits there too: 〇-52)
        signed = [t.translate(_OCR_DIGITS) if _OCR_SIGNED.match(t) else t for t in nums]  # type: ignore[union-attr]
        if any(_SIGNED_RUN.match(t) for t in signed):
            structural.extend(_signed_readings(signed, ncols))
    if not tabbed and groups and groups[-1][1] == ncols - 1 and any(r[-1] is None for r in structural):
        # separators lost and fewer figures than columns: the last figure written is the row's
        # 总计 (a blank total "computed" from the others would make any lost figure look right)
        structural = [r for r in structural if r[-1] is not None]
    if not structural:
        return (), False, f"{k}个数字无法对应到{ncols}列"
    return tuple(structural), False, ""


MAX_LOST_CELLS = 3  # a tab row missing more cells than this is not enumerated: unreadable
MAX_SIGNED_TOKENS = 4
_SIGNED_RUN = re.compile(r"^[-−]?\d+(?:[-−]\d+)*(?:\.\d+)?$")
_OCR_SIGNED = re.compile(r"^[-−]?[\dOoIl丨〇]+(?:[-−][\dOoIl丨〇]+)*(?:\.\d+)?$")
_SEGMENT = re.compile(r"[-−]?\d+")


def _signed_readings(nums: list[str], ncols: int) -> list[Reading]:
    """Readings of runs with a minus inside or a decimal at the end (table 二, no totals to check):
    ``0-5209`` is 0, -5, 209 or 0, -520, 9 (the minus signs the figure after it) or 0, 空, 5209 (the
    minus a blank mark); ``038.06`` is 0, 38.06 (the decimals end the last figure). Every reading
    is enumerated; one is taken only when it is the only one."""
    if any("." in t for t in nums[:-1]) or not all(_SIGNED_RUN.match(t) for t in nums):
        return []
    last = nums[-1]
    frac = "." + last.split(".", 1)[1] if "." in last else ""
    segs: list[str] = []
    for t in nums:
        body = t.split(".", 1)[0]
        segs.extend(_SEGMENT.findall(body))
    minus = [i for i, g in enumerate(segs) if g[0] in "-−"]
    if len(minus) > 3:
        return []
    out: list[Reading] = []
    for blank in itertools.product((False, True), repeat=len(minus)):
        as_blank = {m for m, b in zip(minus, blank) if b}
        digits = ""
        starts: dict[int, str] = {}  # digit offset where a segment starts -> "-" (signed) / "" / "blank"
        for i, g in enumerate(segs):
            body = g.lstrip("-−")
            starts[len(digits)] = "blank" if i in as_blank else ("-" if g != body else "")
            digits += body
        cuts = [p for p in starts if p]
        n = ncols - len(as_blank)
        if n < 1:
            continue
        for parts in split_digits(digits, n, (), cuts):
            row: list[Number | None] = []
            pos = 0
            for v in parts:
                kind = starts.get(pos)
                if kind == "blank":
                    row.append(None)
                row.append(-v if kind == "-" else v)
                pos += len(str(v))
            if frac:
                if row[-1] is None or row[-1] < 0:  # type: ignore[operator]
                    continue
                row[-1] = float(f"{row[-1]}{frac}")
            if len(row) == ncols:
                out.append(tuple(row))
    return out


def _gapped(vals: list[Number | None], ncols: int, groups: Sequence[Group]) -> list[Reading] | None:
    """``vals`` with the lost cells put back anywhere: every placement of ``ncols - len(vals)``
    gaps, each gap computed from a total it takes part in (a part: total minus the other parts; a
    total: the sum of its parts). A gap in no total stays None (unknown). None when a gap inside a
    total cannot be computed (two lost cells of one group, or a written blank beside it): no
    reading can be trusted then, because a guessed blank would make a wrong row look right."""
    lost = ncols - len(vals)
    if lost > MAX_LOST_CELLS:
        return None
    out: list[Reading] = []
    for pos in itertools.combinations(range(ncols), lost):
        gaps = set(pos)
        it = iter(vals)
        row: list[Number | None] = [None if i in gaps else next(it) for i in range(ncols)]
        changed = True
        while gaps and changed:
            changed = False
            for parts, total in groups:
                members = (*parts, total)
                open_ = [m for m in members if m in gaps]
                if len(open_) != 1 or any(row[m] is None for m in members if m != open_[0]):
                    continue
                g = open_[0]
                if g == total:
                    row[g] = sum(row[p] for p in parts)  # type: ignore[misc]
                else:
                    row[g] = row[total] - sum(row[p] for p in parts if p != g)  # type: ignore[operator]
                gaps.discard(g)
                changed = True
        if any(g in (*parts, total) for g in gaps for parts, total in groups):
            return None
        if any(v is not None and v < 0 for v in row):
            continue  # a count is never negative: the gap is not there
        out.append(tuple(row))
    return out


def _placed(vals: list[Number | None], ncols: int, tabbed: bool) -> list[Reading]:
    """``vals`` in order within ``ncols`` columns, the rest blank: shifted as a block (tab layout)
    or in any positions (separators lost)."""
    k = len(vals)
    if tabbed:
        return [tuple([None] * off + vals + [None] * (ncols - off - k)) for off in range(ncols - k + 1)]
    out = []
    for pos in itertools.combinations(range(ncols), k):
        row: list[Number | None] = [None] * ncols
        for p, v in zip(pos, vals):
            row[p] = v
        out.append(tuple(row))
        if len(out) >= MAX_READINGS:
            break
    return out


def settle(cands: list[Reading], as_written: bool, groups: Sequence[Group], why: str = "") -> RowReading:
    """Distinct readings, those satisfying the row's totals; a reading as written is kept as written."""
    if as_written:
        return RowReading(cands, cands)
    readings = list(dict.fromkeys(cands))
    if readings:  # inferred, even when only one: a reading that breaks its row's total is no reading
        kept = [r for r in readings if _satisfies(r, groups)]
        if not kept:
            return RowReading([], readings, "没有一种读法符合本行的合计关系")
        readings = kept
    if not readings:
        return RowReading([], [], why or "无法读取")
    return RowReading(readings, cands)


def lost_figure_readings(
    tr: TextRow, ncols: int, groups: Sequence[Group], readings: Sequence[Reading]
) -> list[Reading]:
    """A row written with spaces, or as one run of digits, that has one figure fewer than columns
    and no complete reading: every way one figure can have been lost (anywhere in the row, each
    computed from its group's 总计, the figures written in order around it) that keeps every
    group's 总计. In a table where every cell holds a figure (0 for none) these are all the
    readings the text allows, so a figure they all give is the figure written; anything else
    (a blank mark, a run with a complete reading, too many ways to cut it) gives none."""
    if tr.tabbed:
        return []
    texts = [ocr_digits(c.text) for c in tr.values if c is not None]
    if not texts or not all(t.isdigit() for t in texts):
        return []
    if len(texts) == ncols - 1 and not any(len(t) > 1 and t[0] == "0" for t in texts):
        written: list[tuple[int, ...]] = [tuple(int(t) for t in texts)]
    elif len(texts) == 1 and len(texts[0]) >= ncols - 1:
        if any(None not in r for r in readings):
            return []  # the run reads whole: no figure was lost from it
        written = split_digits(texts[0], ncols - 1, ())
        if len(written) >= MAX_READINGS:
            return []
    else:
        return []
    out: dict[Reading, None] = {}
    for vals in written:
        for r in _gapped(list(vals), ncols, groups) or ():
            if _satisfies(r, groups):
                out[r] = None
    return list(out)


MAX_CELL_DIGITS = 7  # no count in these tables reaches ten million: a longer run is several cells


def _glued_token(t: str | None) -> bool:
    """A run of digits that cannot be one cell: a leading zero, or too many digits."""
    return t is not None and t.isdigit() and len(t) > 1 and (t[0] == "0" or len(t) > MAX_CELL_DIGITS)


def clear_caches() -> None:
    """Forget the lines and rows of earlier reports (see findings.clear_caches)."""
    _split_cached.cache_clear()
    _candidates.cache_clear()
