"""Tables 二, 三 and 四 read cell by cell from the lines of the normalised text.

Every marked-up table of the source (HTML, PDF, Word, Markdown) reaches the text as one line per
row with tab-separated cells; plain-text copies keep tabs or spaces, or lose the separators
altogether. So tables are read from lines:

- a line is cut into cells (tabs; else whitespace, with neighbouring words merged into one label);
  the *label* is the last text cell, the *values* are the cells after it; labels are matched to
  the format's rows/columns by :mod:`gongkai.domain.audit.labels`, with the numbering under the
  current group (（六） … ``2.``) as a fallback for labels too damaged to score, and a following
  number-less line joined when it completes a label split over two lines;
- a row whose values line up with the columns is read as written. Otherwise its *readings* are
  enumerated: where the blank cells can be (tab layout: the values shifted as a block; space
  layout: any positions), and how digit runs glued together by a crawler split into cells
  (``640020470`` → 64, 0, 0, 2, 0, 4, 70; runs are never split across a separator that is there).
  Among several readings only those satisfying the row's own total (table 三: 总计 = the six
  applicant columns; table 四: each group's 总计) are kept, then, for table 三, those satisfying
  the column rules with the other rows (t3_balance, t3_results_total). A reading is taken only
  when it is the only one left; otherwise the row's cells are None and the audit says why
  (``ambiguous_cells`` with the candidate readings, or ``unreadable_cells``). Never a guess.
- two reading rules keep the enumeration finite and honest: a run of digits with a leading zero
  or more than ``MAX_CELL_DIGITS`` digits is never one cell (it was glued); a glued run with at
  least as many digits as the row has columns fills every column (were blanks allowed too, any
  split with a blank 总计 would pass its computed total and no reading could ever be unique);
- table 三 follows the spec's blank-cell convention (:func:`consistency.normalise_table3`: a blank
  applicant cell is 0, a blank 总计 is computed); tables 二 and 四 keep blanks as None.

Output, keys exactly as the spec JSON for the detected format (a table not found is omitted; a
cell not found or not readable is None)::

    {"table_2": {subtable_id: {row_key: {column_key: number|None}}},
     "table_3": {row_key: {column_key: int|None}},
     "table_4": {column_key: int|None}}

``old_stats`` (reports under the old regulation, before 2019, which had no national table
format): a flat dict, every key always present, None when the report does not state it::

    proactive_published            主动公开政府信息数（条）, exact figures only
    proactive_published_at_least   the same when stated approximately (1000余条 -> 1000)
    normative_documents_published  其中主动公开规范性文件数（件）
    applications_received          收到申请数（件）
    applications_completed         申请办结数（件）
    review_cases                   政府信息公开行政复议数（件）
    litigation_cases               政府信息公开行政诉讼数（件）
    complaints                     政府信息公开举报投诉数（件）
    fees_collected                 依申请提供政府信息收取的费用（元）

read from an old statistics table when the report has one, else from the figures the prose states.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gongkai.domain.audit import labels as L
from gongkai.domain.audit.limits import DEFAULT_LIMITS, MAX_NUMBER_DIGITS
from gongkai.domain.audit.normalise import Document, Line
from gongkai.domain.audit.recognise import Recognition, SectionHit
from gongkai.domain.consistency import normalise_table3
from gongkai.domain.report_format import ReportFormat, load_formats

Number = int | float
Reading = tuple[Number | None, ...]
TABLE_NAMES = {"table_2": "表二", "table_3": "表三", "table_4": "表四"}
OLD_STATS_KEYS = (
    "proactive_published",
    "proactive_published_at_least",
    "normative_documents_published",
    "applications_received",
    "applications_completed",
    "review_cases",
    "litigation_cases",
    "complaints",
    "fees_collected",
)

_NUM = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_BLANK = frozenset({"-", "—", "－", "–", "/", "／", "\\", "——", "无", "空"})
_GLUED = re.compile(r"^(.*[^\d\s.．,，、])\s*(\d+)$")
_TOKEN = re.compile(r"\S+")
_NUMBERED = re.compile(r"[（(][一二三四五六七八九十]+[)）]|\d+[.．、](?!\d)|[一二三四五六七八九十]+、")
_CAPTION = re.compile(r"第二十条第?\s*[（(]\s*([一二三四五六七八九十]+)\s*[)）]\s*项?")
_UNIT = frozenset({"条", "件", "个", "项", "元", "万元", "次", "人", "篇", "份"})
MAX_READINGS = 2000  # enumeration cap per row; beyond it a row is reported ambiguous
MAX_COMBOS = 4000  # cap on combined readings of several ambiguous rows of table 三


# -- lines into cells --------------------------------------------------------------------------


@dataclass(slots=True)
class Cell:
    text: str
    start: int
    end: int


_VALUE_START = frozenset("0123456789-−—－–/／\\无空")


def _digits(s: str) -> int:
    return sum(1 for ch in s if ch.isdigit())


def _is_value(s: str) -> bool:
    if not s or s[0] not in _VALUE_START:  # labels start with a letter: the usual case, decided at once
        return False
    if len(s) > MAX_NUMBER_DIGITS and _digits(s) > MAX_NUMBER_DIGITS:  # no figure has so many digits: text
        return False
    return bool(_NUM.match(s)) or s in _BLANK


def parse_number(s: str) -> Number | None:
    """A cell's number; None for a blank or a blank mark (-, /, 无), or for a digit run longer than
    ``MAX_NUMBER_DIGITS`` (never a figure; as a float it would be infinite)."""
    s = s.strip().replace("−", "-").replace(",", "")
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

    @property
    def own(self) -> Cell | None:
        return self.labels[-1] if self.labels else None

    @property
    def numbers(self) -> list[Cell]:
        return [c for c in self.values if c is not None and c.text not in _BLANK]


def split_line(line: Line) -> TextRow:
    """The cells of a line: its labels and its value region (see the module docstring)."""
    rel = _split_cached(line.text)  # table lines repeat across reports: parse each text once
    b = line.start
    return TextRow(
        line,
        [Cell(c.text, c.start + b, c.end + b) for c in rel.labels],
        [None if c is None else Cell(c.text, c.start + b, c.end + b) for c in rel.values],
        rel.tabbed,
        None if rel.padded is None else [None if c is None else Cell(c.text, c.start + b, c.end + b) for c in rel.padded],
    )


@functools.lru_cache(maxsize=16384)
def _split_cached(text: str) -> TextRow:
    return _split(Line(0, len(text), text))


def _split(line: Line) -> TextRow:
    text = line.text
    cells: list[Cell] = []
    tabbed = "\t" in text
    if tabbed:
        parts = text.split("\t")
        stripped = [p.strip() for p in parts]
        last = -1
        for i, st in enumerate(stripped):
            if st and not _is_value(st):
                last = i
        pos = line.start
        labels_: list[Cell] = []
        region_: list[Cell | None] = []
        for i, part in enumerate(parts):
            st = stripped[i]
            if st:
                lead = pos + part.find(st[0])
                c = Cell(st, lead, lead + len(st))
                (labels_ if i <= last else region_).append(c)
            elif i > last:
                region_.append(None)
            pos += len(part) + 1
        return _finish(line, labels_, region_, True)
    else:
        tokens = list(_TOKEN.finditer(text))
        header = not any(_is_value(m.group()) for m in tokens)
        for m in tokens:
            tok = m.group()
            # words run together into one label, unless a numbered label starts: 三、… (一) 予以公开;
            # a line without numbers is a header: one cell per word (a bare numbering joins the next)
            prev_text = cells[-1].text if cells else ""
            if header:
                join = bool(cells) and _NUMBERED.fullmatch(prev_text) is not None
            else:
                join = bool(cells) and not _is_value(tok) and not _is_value(prev_text) and not _NUMBERED.match(tok)
            if join:
                prev = cells[-1]
                end = line.start + m.end()
                cells[-1] = Cell(text[prev.start - line.start : m.end()], prev.start, end)
            else:
                cells.append(Cell(tok, line.start + m.start(), line.start + m.end()))
    last = -1
    for i, c in enumerate(cells):
        if not _is_value(c.text):
            last = i
    return _finish(line, cells[: last + 1], list(cells[last + 1 :]), False)


def _finish(line: Line, label_cells: list[Cell], region: list[Cell | None], tabbed: bool) -> TextRow:
    padded = list(region) if tabbed else None
    if label_cells and not any(region):
        m2 = _GLUED.match(label_cells[-1].text)
        if m2:  # 申请数量640020470: the label and a run of digits glued together
            c = label_cells[-1]
            lab = m2.group(1).rstrip()
            label_cells[-1] = Cell(lab, c.start, c.start + len(lab))
            region = [Cell(m2.group(2), c.start + m2.start(2), c.end)]
            padded = None
    while region and region[0] is None:
        region.pop(0)
    while region and region[-1] is None:
        region.pop()
    return TextRow(line, label_cells, region, tabbed, padded)


# -- readings of a row -------------------------------------------------------------------------

Group = tuple[tuple[int, ...], int]  # (indices of the parts, index of their total)


def split_digits(
    digits: str, ncols: int, groups: Sequence[Group] = (), cuts: Sequence[int] = (), maxlen: int = 7, limit: int = MAX_READINGS
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


def _split_with_final_total(digits: str, ncols: int, next_cut: list[int], maxlen: int, limit: int) -> list[tuple[int, ...]]:
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


def read_row(
    values: list[Cell | None],
    ncols: int,
    tabbed: bool,
    groups: Sequence[Group] = (),
    convention: Callable[[list[Reading]], list[Reading]] | None = None,
    padded: list[Cell | None] | None = None,
) -> RowReading:
    """The readings of a row's value cells (see the module docstring).

    ``convention`` maps candidate readings to what they mean (table 三: blank cells by the spec's
    convention) before they are compared; a reading as written is returned as written.
    """
    cands, as_written, why = row_candidates(values, ncols, tabbed, groups, padded)
    if not as_written and convention is not None and cands:
        cands = convention(cands)
    return settle(cands, as_written, groups, why)


def row_candidates(
    values: list[Cell | None], ncols: int, tabbed: bool, groups: Sequence[Group] = (), padded: list[Cell | None] | None = None
) -> tuple[list[Reading], bool, str]:
    """The structural readings of a row: (readings, read as written?, why none).

    ``padded`` (tab layout) is the value region with its leading/trailing empty cells: when it
    has exactly one cell per column, the row is read as laid out.
    """
    if tabbed and padded is not None and len(padded) == ncols and any(c is not None for c in padded):
        values = padded
    cands, as_written, why = _candidates(tuple(None if c is None else c.text for c in values), ncols, tabbed, tuple(groups))
    return list(cands), as_written, why


@functools.lru_cache(maxsize=16384)
def _candidates(
    texts_: tuple[str | None, ...], ncols: int, tabbed: bool, groups: tuple[Group, ...]
) -> tuple[tuple[Reading, ...], bool, str]:
    texts = list(texts_)
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
    if all(not _glued_token(t) for t in nums) and len(texts) <= ncols:
        if tabbed:  # the block of cells (blanks inside it kept) shifted: blanks before and after it
            structural.extend(_placed([None if t is None else parse_number(t) for t in texts], ncols, True))
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
    if not structural:
        return (), False, f"{k}个数字无法对应到{ncols}列"
    return tuple(structural), False, ""


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
    """Distinct readings; among several, those satisfying the row's totals (never none of them)."""
    if as_written:
        return RowReading(cands, cands)
    readings = list(dict.fromkeys(cands))
    if len(readings) > 1:
        kept = [r for r in readings if _satisfies(r, groups)]
        if not kept:
            return RowReading([], readings, "没有一种读法符合本行的合计关系")
        readings = kept
    if not readings:
        return RowReading([], [], why or "无法读取")
    return RowReading(readings, cands)


MAX_CELL_DIGITS = 7  # no count in these tables reaches ten million: a longer run is several cells


def _glued_token(t: str | None) -> bool:
    """A run of digits that cannot be one cell: a leading zero, or too many digits."""
    return t is not None and t.isdigit() and len(t) > 1 and (t[0] == "0" or len(t) > MAX_CELL_DIGITS)


# -- results ---------------------------------------------------------------------------------


@dataclass
class TableIssue:
    """Something the extraction has to say; findings.py turns it into an AuditFinding."""

    rule: str
    severity: str
    message: str
    cells: tuple[str, ...] = ()
    spans: list[tuple[int, int]] = field(default_factory=list)
    expected: Any = None
    actual: Any = None


@dataclass
class LabelUse:
    table: str
    key: str
    written: str
    official: str
    spans: list[tuple[int, int]]


@dataclass
class Extraction:
    tables: dict[str, Any] = field(default_factory=dict)
    cell_spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # "table_3.granted.total" -> span
    status: dict[str, str] = field(default_factory=dict)  # table -> read | partial | unreadable | absent
    issues: list[TableIssue] = field(default_factory=list)
    label_uses: list[LabelUse] = field(default_factory=list)
    old_stats: dict[str, Any] | None = None


_DIGIT = re.compile(r"\d")


def _region(
    doc: Document, section: SectionHit | None, ex: Extraction | None = None, table: str = "", max_rows: int = DEFAULT_LIMITS.max_table_rows
) -> list[Line]:
    """The lines of a section; without the section, every line that could be a table row.

    At most ``max_rows`` lines that could be table rows (a tab or a digit) are examined: a table
    of a million rows costs what one of ``max_rows`` does, and the extraction says so."""
    if section is None:
        lines = [ln for ln in doc.lines if "\t" in ln.text or _DIGIT.search(ln.text)]
    else:
        a, b = section.body
        lines = [ln for ln in doc.lines if ln.end > a and ln.start < b]
    rows = 0
    for i, ln in enumerate(lines):
        if "\t" in ln.text or _DIGIT.search(ln.text):
            rows += 1
            if rows > max_rows:
                if ex is not None:
                    ex.issues.insert(0, TableIssue(  # first: kept however many findings follow
                        "source_problem", "warning",
                        f"{TABLE_NAMES.get(table, '表格')}所在部分超过{max_rows}行的上限，其后的行没有检查",
                        spans=[(ln.start, ln.end)],
                    ))
                return lines[:i]
    return lines


def _is_prose(line: Line) -> bool:
    s = line.text
    return ("。" in s and len(s) > 40) or len(s) > 400


def _fmt_reading(r: Reading) -> str:
    return ", ".join("空" if v is None else (str(int(v)) if float(v).is_integer() else str(v)) for v in r)


# -- table 三 ---------------------------------------------------------------------------------


def _t3_convention(fmt: ReportFormat) -> Callable[[list[Reading]], list[Reading]]:
    """:func:`normalise_table3` (without a format) on readings in the column order of ``fmt``:
    a blank applicant cell becomes 0, a blank 总计 the sum of the applicant cells. Done on the
    tuples directly: a flattened row can have hundreds of readings."""
    cols = [c.key for c in fmt.table_3.columns]
    t3 = load_formats()["2021"].table_3  # what normalise_table3 reads without a format
    position = {c: i for i, c in enumerate(cols)}
    applicant = [position[c.key] for c in t3.applicant_columns() if c.key in position]
    total = position.get(t3.TOTAL_COLUMN)

    def general(r: Reading) -> Reading:
        row = normalise_table3({"0": dict(zip(cols, r))})["0"]
        return tuple(row[c] for c in cols)

    if len(applicant) != len(t3.applicant_columns()) or total is None:  # other columns: the general way
        return lambda readings: [general(r) for r in readings]

    def fill(r: Reading) -> Reading:
        if len(r) != len(cols):
            return general(r)
        if None not in r:
            return r
        out = list(r)
        for i in applicant:
            if out[i] is None:
                out[i] = 0
        if out[total] is None:
            parts = [out[i] for i in applicant]
            if all(isinstance(p, (int, float, Decimal)) and not isinstance(p, bool) for p in parts):
                out[total] = sum(parts)  # type: ignore[arg-type]
        return tuple(out)

    return lambda readings: [fill(r) for r in readings]


def _t3_children(fmt: ReportFormat) -> dict[tuple[str, int], str]:
    out = {}
    for r in fmt.table_3.rows:
        n = L.numbering(r.label)
        if r.parent and n and n[0] == "arabic":
            out[(r.parent, n[1])] = r.key
    return out


def _use(ex: Extraction, table: str, m: L.LabelMatch, cells: Sequence[Cell], written: str | None = None) -> None:
    text = written if written is not None else "".join(c.text for c in cells)
    ex.label_uses.append(LabelUse(table, m.key, text, m.label, [(c.start, c.end) for c in cells]))


def extract_table3(
    doc: Document, fmt: ReportFormat, section: SectionHit | None, ex: Extraction, max_rows: int = DEFAULT_LIMITS.max_table_rows
) -> None:
    vocab = L.table3_vocabulary(fmt.version)
    t3 = fmt.table_3
    cols = [c.key for c in t3.columns]
    row_of = {r.key: r for r in t3.rows}
    children = _t3_children(fmt)
    conv = _t3_convention(fmt)
    groups: list[Group] = [(tuple(range(len(cols) - 1)), len(cols) - 1)]
    lines = _region(doc, section, ex, "table_3", max_rows)
    found: dict[str, tuple[TextRow, RowReading]] = {}
    pending: dict[str, tuple[TextRow, list[Reading], bool, str]] = {}
    unmatched: list[TextRow] = []
    strong = 0
    header_seen = False
    parent: str | None = None
    uses_before = len(ex.label_uses)
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.text.strip() or _is_prose(line):
            continue
        tr = split_line(line)
        if not tr.numbers:
            for c in tr.labels:
                m = vocab.match(c.text, ("note", "column", "group"))
                if m and m.score >= L.ACCEPT:
                    header_seen = True
                    _use(ex, "table_3", m, [c], c.text)
                    continue
                m = vocab.match(c.text, ("row",))
                if m and m.score >= L.ACCEPT and not row_of[m.key].data:
                    parent = m.key
                    _use(ex, "table_3", m, [c], c.text)
            continue
        for c in tr.labels[:-1]:  # group labels in front of the row's own label
            m = vocab.match(c.text, ("row",))
            if m and m.score >= L.ACCEPT and not row_of[m.key].data:
                parent = m.key
                _use(ex, "table_3", m, [c], c.text)
        own = tr.own
        if own is None:
            unmatched.append(tr)
            continue
        m = _t3_row(vocab, own.text, parent, children, row_of)
        if m is None:
            unmatched.append(tr)
            continue
        label_cells = [own]
        written = own.text
        # a label split over two lines: join the next number-less line when it completes it
        if m.score < 0.9:
            j = i
            while j < len(lines) and not lines[j].text.strip():
                j += 1
            if j < len(lines) and not _is_prose(lines[j]):
                nxt = split_line(lines[j])
                if not nxt.numbers and len(nxt.labels) == 1 and len(nxt.labels[0].text) <= 60:
                    joined = written + nxt.labels[0].text
                    score = L.similarity(L.clean(joined), L.clean(m.label))
                    if score > m.score + 0.1:
                        m = L.LabelMatch(m.key, m.label, m.kind, score)
                        label_cells.append(nxt.labels[0])
                        written = joined
                        i = j + 1
        row = row_of[m.key]
        parent = row.parent if row.parent else (m.key if not row.data else None)
        if not row.data:
            _use(ex, "table_3", m, label_cells, written)
            continue
        if m.key in pending:
            unmatched.append(tr)
            continue
        _use(ex, "table_3", m, label_cells, written)
        if m.score >= L.ACCEPT:
            strong += 1
        pending[m.key] = (tr, *row_candidates(tr.values, len(cols), tr.tabbed, groups, tr.padded))
    if strong < 3 and not (header_seen and pending):
        del ex.label_uses[uses_before:]  # no table 三 here: the words that looked like labels are prose
        return
    # the blank-cell convention on every enumerated reading at once (one normalise_table3 call)
    flat = [c for _, cands, as_written, _ in pending.values() if not as_written for c in cands]
    converted = iter(conv(flat) if flat else [])
    for key, (tr, cands, as_written, why) in pending.items():
        if not as_written:
            cands = [next(converted) for _ in cands]
        found[key] = (tr, settle(cands, as_written, groups, why))
    _t3_resolve_columns(fmt, found)
    table: dict[str, dict[str, Any]] = {}
    missing = []
    read: dict[str, dict[str, Any]] = {}
    for r in t3.data_rows():
        if r.key not in found:
            table[r.key] = dict.fromkeys(cols)
            missing.append(r)
            continue
        tr, rr = found[r.key]
        reading = rr.unique
        if reading is None:
            table[r.key] = dict.fromkeys(cols)
            _t3_row_issue(ex, "table_3", r.key, r.label, cols, tr, rr)
            continue
        table[r.key] = read[r.key] = dict(zip(cols, reading))
        _record_spans(ex, f"table_3.{r.key}", cols, tr, reading)
    # the spec's blank-cell convention, on the rows that were read (never on missing/ambiguous ones)
    table.update(normalise_table3(read))
    ex.tables["table_3"] = table
    ex.status["table_3"] = "partial" if missing else "read"
    if missing:
        ex.issues.append(
            TableIssue(
                "partial_table",
                "warning",
                f"表三中未找到{len(missing)}行：{'、'.join(r.label for r in missing[:8])}{'等' if len(missing) > 8 else ''}，这些行记为空白",
                cells=tuple(f"table_3.{r.key}" for r in missing),
            )
        )
    for tr in unmatched:
        _unmatched_issue(ex, "表三", tr)


def _t3_row(
    vocab: L.Vocabulary, text: str, parent: str | None, children: dict[tuple[str, int], str], row_of: dict[str, Any]
) -> L.LabelMatch | None:
    ranked = vocab.ranked(text, ("row",))
    best = ranked[0] if ranked else None
    if best and best.score >= L.ACCEPT:
        return best
    n = L.numbering(text)
    if parent and n and n[0] == "arabic" and (parent, n[1]) in children:
        key = children[(parent, n[1])]
        official = row_of[key].label
        return L.LabelMatch(key, official, "row", L.similarity(L.clean(text), L.clean(official)))
    if best and best.score >= L.WEAK:
        return best
    return None


def _t3_resolve_columns(fmt: ReportFormat, found: dict[str, tuple[TextRow, RowReading]]) -> None:
    """Keep, for rows with several readings, those consistent with the column rules of table 三."""
    ambiguous = [k for k, (_, rr) in found.items() if len(rr.readings) > 1]
    if not ambiguous:
        return
    options = [found[k][1].readings for k in ambiguous]
    combos = 1
    for o in options:
        combos *= len(o)
    if combos > MAX_COMBOS:
        return
    t3 = fmt.table_3
    outcomes = [r.key for r in t3.outcome_rows()]
    ncols = len(t3.columns)
    cols = [c.key for c in t3.columns]
    fixed_raw = {k: dict(zip(cols, rr.unique)) for k, (_, rr) in found.items() if rr.unique is not None}
    fixed = {k: tuple(row[c] for c in cols) for k, row in normalise_table3(fixed_raw).items()}
    surviving: list[tuple[Reading, ...]] = []
    for combo in itertools.product(*options):
        rows = dict(fixed)
        rows.update(zip(ambiguous, combo))
        if _t3_columns_hold(rows, outcomes, ncols):
            surviving.append(combo)
    if not surviving:
        return
    for idx, key in enumerate(ambiguous):
        choices = list(dict.fromkeys(c[idx] for c in surviving))
        tr, rr = found[key]
        found[key] = (tr, RowReading(choices, rr.structural))


def _t3_columns_hold(rows: dict[str, Reading], outcomes: list[str], ncols: int) -> bool:
    for c in range(ncols):
        def v(key: str) -> Number | None:
            r = rows.get(key)
            return None if r is None else r[c]

        total = v("results_total")
        parts = [v(k) for k in outcomes]
        if total is not None and all(p is not None for p in parts) and sum(parts) != total:  # type: ignore[arg-type]
            return False
        a, b, d = v("new_received"), v("carried_over"), v("carry_forward")
        if None not in (a, b, d, total) and a + b != total + d:  # type: ignore[operator]
            return False
    return True


def _laid_out(tr: TextRow, ncols: int) -> list[Cell | None]:
    return tr.padded if tr.padded is not None and len(tr.padded) == ncols else tr.values


def _record_spans(ex: Extraction, prefix: str, cols: Sequence[str], tr: TextRow, reading: Reading) -> None:
    values = _laid_out(tr, len(cols))
    cells = [c for c in values if c is not None]
    if len(values) == len(cols):
        for key, c in zip(cols, values):
            if c is not None:
                ex.cell_spans[f"{prefix}.{key}"] = (c.start, c.end)
    elif cells:  # glued or shifted: every cell points at the stretch of digits it came from
        span = (cells[0].start, cells[-1].end)
        for key in cols:
            ex.cell_spans[f"{prefix}.{key}"] = span


def _t3_row_issue(ex: Extraction, table: str, row_key: str, label: str, cols: Sequence[str], tr: TextRow, rr: RowReading) -> None:
    cells = [c for c in tr.values if c is not None]
    written = " ".join(c.text for c in cells)
    spans = [(cells[0].start, cells[-1].end)] if cells else [(tr.line.start, tr.line.end)]
    refs = tuple(f"{table}.{row_key}.{c}" for c in cols)
    name = TABLE_NAMES[table]
    if rr.readings:
        shown = "；".join(f"（{_fmt_reading(r)}）" for r in rr.readings[:6])
        more = f"等{len(rr.readings)}种" if len(rr.readings) > 6 else f"{len(rr.readings)}种"
        ex.issues.append(
            TableIssue(
                "ambiguous_cells",
                "warning",
                f"{name}“{label}”行的数字“{written}”有{more}读法{_AGREE[table]}：{shown}，无法确定，本行记为空白",
                refs,
                spans,
                actual=[list(r) for r in rr.readings],
            )
        )
    else:
        why = rr.why or "无法读取"
        extra = ""
        if rr.structural:
            extra = "，可能的读法：" + "；".join(f"（{_fmt_reading(r)}）" for r in rr.structural[:6])
        ex.issues.append(
            TableIssue(
                "unreadable_cells",
                "warning",
                f"{name}“{label}”行的数字“{written}”无法读取：{why}{extra}，本行记为空白",
                refs,
                spans,
                actual=[list(r) for r in rr.structural[:20]],
            )
        )


_AGREE = {
    "table_2": "（表二没有可供核对的合计）",
    "table_3": "都符合本行总计与各列勾稽关系",
    "table_4": "都符合各组“总计”",
}


def _unmatched_issue(ex: Extraction, name: str, tr: TextRow) -> None:
    label = tr.own.text if tr.own else ""
    if not label and not tr.numbers:
        return
    ex.issues.append(
        TableIssue(
            "unmatched_row",
            "warning",
            f"{name}中有一行“{tr.line.text.strip()[:60]}”无法对应到规范格式的任何一行，其数字未计入",
            spans=[(tr.line.start, tr.line.end)],
        )
    )


# -- table 二 ---------------------------------------------------------------------------------

_CN_NUM = {c: i + 1 for i, c in enumerate("一二三四五六七八九十")}


def extract_table2(
    doc: Document, fmt: ReportFormat, section: SectionHit | None, ex: Extraction, max_rows: int = DEFAULT_LIMITS.max_table_rows
) -> None:
    vocab = L.table2_vocabulary(fmt.version)
    t2 = fmt.table_2
    sub_ids = {s.id for s in t2.subtables}
    lines = _region(doc, section, ex, "table_2", max_rows)
    sub: str | None = None
    order: dict[str, list[str | None]] = {}
    values: dict[str, dict[str, dict[str, Any]]] = {}
    rows_read = rows_unread = 0
    caption_seen = False
    rows_seen: set[tuple[str, str]] = set()
    for line in lines:
        if not line.text.strip() or _is_prose(line):
            continue
        tr = split_line(line)
        cap = next((c for c in tr.labels if _CAPTION.search(c.text)), None)
        if cap is not None:
            n = _CN_NUM.get(_CAPTION.search(cap.text).group(1), 0)  # type: ignore[union-attr]
            sub = f"art20_{n}" if f"art20_{n}" in sub_ids else None
            caption_seen = True
            if sub is not None:
                _use(ex, "table_2", L.LabelMatch(sub, t2.subtable(sub).caption, "caption", 1.0), [cap], cap.text)
            else:
                ex.issues.append(
                    TableIssue(
                        "unmatched_row",
                        "warning",
                        f"表二中的“{cap.text}”不属于{fmt.version}年格式的表二，其下数字未计入",
                        spans=[(cap.start, cap.end)],
                    )
                )
            continue
        if not tr.numbers:
            if sub is None or not tr.labels:
                continue
            cvocab = L.table2_columns(fmt.version, sub)
            first = vocab.match(tr.labels[0].text, ("header",))
            cells = tr.labels[1:] if first and first.score >= L.ACCEPT else tr.labels
            if first and first.score >= L.ACCEPT:
                _use(ex, "table_2", first, [tr.labels[0]], tr.labels[0].text)
            matched: list[str | None] = []
            for c in cells:
                m = cvocab.match(c.text, ("column",))
                if m and m.score >= L.WEAK:
                    matched.append(m.key)
                    _use(ex, "table_2", L.LabelMatch(f"{sub}.{m.key}", m.label, "column", m.score), [c], c.text)
                else:
                    matched.append(None)
            if any(matched):
                order[sub] = matched
            continue
        own = tr.own
        if own is None:
            continue
        m = vocab.match(own.text, ("row",))
        if m is None:
            _unmatched_issue(ex, "表二", tr)
            continue
        row_sub, row_key = m.key.split(".", 1)
        if sub != row_sub:
            sub = row_sub  # the label says which sub-table, whatever caption came before
        _use(ex, "table_2", m, [own], own.text)
        rows_seen.add((row_sub, row_key))
        st = t2.subtable(row_sub)
        keys: list[str | None] = list(order.get(row_sub) or [c.key for c in st.columns])
        rr = read_row(tr.values, len(keys), tr.tabbed, padded=tr.padded)
        reading = rr.unique
        prefix = f"table_2.{row_sub}.{row_key}"
        if reading is None:
            rows_unread += 1
            _t3_row_issue(ex, "table_2", f"{row_sub}.{row_key}", st.row(row_key).label, [c.key for c in st.columns], tr, rr)
            continue
        rows_read += 1
        cell = values.setdefault(row_sub, {}).setdefault(row_key, {})
        for key, v in zip(keys, reading):
            if key is not None:
                cell[key] = v
        _record_spans(ex, prefix, [k or "" for k in keys], tr, reading)
    if not rows_read and not rows_unread and not caption_seen:
        return
    table = {
        s.id: {r.key: {c.key: values.get(s.id, {}).get(r.key, {}).get(c.key) for c in s.columns} for r in s.rows}
        for s in t2.subtables
    }
    ex.tables["table_2"] = table
    missing = [f"{s.caption}“{r.label}”" for s in t2.subtables for r in s.rows if (s.id, r.key) not in rows_seen]
    ex.status["table_2"] = "unreadable" if not rows_read else ("partial" if missing else "read")
    if not rows_read and not rows_unread:  # a heading, maybe a header, and not one number
        ex.issues.append(
            TableIssue("unreadable_cells", "error", "表二只有标题或表头，没有可以读取的数字", tuple(f"table_2.{s.id}" for s in t2.subtables))
        )
    if missing and rows_read:
        ex.issues.append(
            TableIssue(
                "partial_table",
                "warning",
                f"表二中未找到{len(missing)}行：{'、'.join(missing[:6])}{'等' if len(missing) > 6 else ''}，记为空白",
                cells=tuple(f"table_2.{s.id}.{r.key}" for s in t2.subtables for r in s.rows if (s.id, r.key) not in rows_seen),
            )
        )


# -- table 四 ---------------------------------------------------------------------------------


def extract_table4(
    doc: Document, fmt: ReportFormat, section: SectionHit | None, ex: Extraction, max_rows: int = DEFAULT_LIMITS.max_table_rows
) -> None:
    vocab = L.table4_vocabulary(fmt.version)
    cols = [c.key for c in fmt.table_4.columns]
    groups: list[Group] = [((i, i + 1, i + 2, i + 3), i + 4) for i in range(0, len(cols), 5)]
    lines = _region(doc, section, ex, "table_4", max_rows)
    header = 0
    data: TextRow | None = None
    for line in lines:
        if not line.text.strip() or _is_prose(line):
            continue
        tr = split_line(line)
        if not tr.numbers:
            hits = [(c, vocab.match(c.text)) for c in tr.labels]
            good = [(c, m) for c, m in hits if m is not None and m.score >= L.ACCEPT]
            if len(good) >= 2:
                header += 1
                for c, m in good:
                    _use(ex, "table_4", m, [c], c.text)
            continue
        if section is None and not header:
            continue
        own = tr.own
        if own is not None and len(own.text) > 8:
            continue  # a labelled line is not the single data row of table 四
        if data is None:
            data = tr
    if data is None:
        if header:
            ex.status["table_4"] = "unreadable"
            ex.tables["table_4"] = dict.fromkeys(cols)
            ex.issues.append(
                TableIssue("unreadable_cells", "error", "表四只有表头，没有数字", tuple(f"table_4.{c}" for c in cols))
            )
        return
    rr = read_row(data.values, len(cols), data.tabbed, groups, padded=data.padded)
    reading = rr.unique
    if reading is None:
        ex.tables["table_4"] = dict.fromkeys(cols)
        ex.status["table_4"] = "unreadable"
        _t3_row_issue(ex, "table_4", "cases", "行政复议、行政诉讼", cols, data, rr)
        return
    ex.tables["table_4"] = dict(zip(cols, reading))
    ex.status["table_4"] = "read"
    _record_spans(ex, "table_4", cols, data, reading)


# -- old statistics (before 2019) -------------------------------------------------------------


def extract_old_stats(doc: Document) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    """Figures of an old statistics table, if the report has one (keys: OLD_STATS_KEYS)."""
    vocab = L.old_stats_vocabulary()
    out: dict[str, Any] = {}
    spans: dict[str, tuple[int, int]] = {}
    for line in doc.lines:
        if not line.text.strip() or _is_prose(line) or not any(ch.isdigit() for ch in line.text):
            continue
        tr = split_line(line)
        nums = tr.numbers
        if len(nums) != 1:
            continue
        labels_ = [c for c in tr.labels if c.text not in _UNIT]
        if not labels_:
            continue
        m = vocab.match(labels_[-1].text)
        if m is None or m.score < 0.8 or m.key in out:
            continue
        out[m.key] = parse_number(nums[0].text)
        spans[m.key] = (nums[0].start, nums[0].end)
    return out, spans


# -- all of it --------------------------------------------------------------------------------


def extract_tables(doc: Document, rec: Recognition, *, max_rows: int = DEFAULT_LIMITS.max_table_rows) -> Extraction:
    ex = Extraction()
    if rec.format in ("2019", "2021"):
        fmt = load_formats()[rec.format]
        extract_table2(doc, fmt, rec.sections.get("proactive"), ex, max_rows)
        extract_table3(doc, fmt, rec.sections.get("applications"), ex, max_rows)
        extract_table4(doc, fmt, rec.sections.get("review_litigation"), ex, max_rows)
        for t in ("table_2", "table_3", "table_4"):
            ex.status.setdefault(t, "absent")
    return ex
