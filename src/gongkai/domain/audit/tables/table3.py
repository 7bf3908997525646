"""Table 三 (收到和处理政府信息公开申请情况): rows, the blank-cell convention, columns settled
with the column rules."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from gongkai.domain.audit import labels as L
from gongkai.domain.audit.limits import DEFAULT_LIMITS
from gongkai.domain.audit.normalise import Document
from gongkai.domain.audit.recognise import SectionHit
from gongkai.domain.audit.tables.results import (
    Extraction,
    TableIssue,
    _is_prose,
    _record_spans,
    _region,
    _t3_row_issue,
    _unmatched_issue,
    _use,
    is_page_number,
    partial_row_issue,
)
from gongkai.domain.audit.tables.rows import (
    Group,
    Number,
    Reading,
    RowReading,
    TextRow,
    lost_figure_readings,
    row_candidates,
    settle,
    split_line,
)
from gongkai.domain.audit.tables.stream import reline
from gongkai.domain.consistency import normalise_table3
from gongkai.domain.report_format import ReportFormat, load_formats

MAX_COMBOS = 4000  # cap on combined readings of several ambiguous rows of table 三


# -- table 三 ---------------------------------------------------------------------------------

_T = TypeVar("_T")


def _per_format(fn: Callable[[ReportFormat], _T]) -> Callable[[ReportFormat], _T]:
    """``fn`` worked out once per format (set-up, like the vocabularies), not once per report.
    Keyed on the format object itself (a frozen dataclass hashes all its tables on every call)."""
    memo: dict[int, tuple[ReportFormat, _T]] = {}

    @functools.wraps(fn)
    def once(fmt: ReportFormat) -> _T:
        hit = memo.get(id(fmt))
        if hit is None or hit[0] is not fmt:
            if len(memo) > 16:  # formats built on the fly (tests): never a growing store
                memo.clear()
            hit = memo[id(fmt)] = (fmt, fn(fmt))
        return hit[1]

    return once


@_per_format
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


def _conventional(fmt: ReportFormat, rows: dict[str, Reading]) -> dict[str, Reading]:
    """:func:`normalise_table3` (without a format: each row on its own) on rows kept as tuples in
    the column order of ``fmt``: what ``normalise_table3`` of their dicts gives, without the dicts."""
    keys = list(rows)
    return dict(zip(keys, _t3_convention(fmt)([rows[k] for k in keys])))


@_per_format
def _t3_children(fmt: ReportFormat) -> dict[tuple[str, int], str]:
    out = {}
    for r in fmt.table_3.rows:
        n = L.numbering(r.label)
        if r.parent and n and n[0] == "arabic":
            out[(r.parent, n[1])] = r.key
    return out


def extract_table3(
    doc: Document,
    fmt: ReportFormat,
    section: SectionHit | None,
    ex: Extraction,
    max_rows: int = DEFAULT_LIMITS.max_table_rows,
) -> None:
    vocab = L.table3_vocabulary(fmt.version)
    t3 = fmt.table_3
    cols = [c.key for c in t3.columns]
    row_of = {r.key: r for r in t3.rows}
    children = _t3_children(fmt)
    conv = _t3_convention(fmt)
    groups: list[Group] = [(tuple(range(len(cols) - 1)), len(cols) - 1)]
    lines = reline(_region(doc, section, ex, "table_3", max_rows), [r.label for r in t3.rows])
    found: dict[str, tuple[TextRow, RowReading]] = {}
    pending: dict[str, tuple[TextRow, list[Reading], bool, str]] = {}
    unmatched: list[TextRow] = []
    strong = 0
    header_seen = False
    parent: str | None = None
    uses_before = len(ex.label_uses)
    subtotal = False
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.text.strip() or _is_prose(line) or is_page_number(line):
            continue
        tr = split_line(line)
        if not tr.numbers:
            if not pending and _SUBTOTAL in line.text:
                subtotal = True  # an extra 法人或其他组织 小计 column before 总计: eight figures a row
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
        if subtotal:
            # read against both its totals (小计 = the five organisations, 总计 = 自然人 + 小计), then
            # the 小计 left out: the format has no such column
            sub_groups: list[Group] = [((1, 2, 3, 4, 5), 6), ((0, 6), 7)]
            cands, as_written, why = row_candidates(
                tr.values, len(cols) + 1, tr.tabbed, sub_groups, tr.padded, tr.glued
            )
            if not as_written:
                cands = [r for r in cands if _subtotal_holds(r)]
            pending[m.key] = (tr, [(*r[:6], r[7]) for r in cands], as_written, why)
            continue
        cands, as_written, why = row_candidates(tr.values, len(cols), tr.tabbed, groups, tr.padded, tr.glued)
        pending[m.key] = (tr, _or_lost_figure(tr, cands, as_written, len(cols), groups), as_written, why)
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
    inferred = {k for k, (_, _, as_written, _) in pending.items() if not as_written}
    fits: dict[Any, bool] = {}  # the column rules on the same rows, asked by both below
    every_way, lost_in = _t3_one_lost_figure(fmt, found, inferred, groups, fits)
    if lost_in:
        _lost_figure_issue(ex, t3, cols, found, lost_in)
    distrusted = _t3_distrust_inferred(fmt, found, inferred, fits)
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
        agreed = rr.agreed() if reading is None and r.key in every_way else None
        if agreed is not None:  # every reading the one lost figure allows agrees on these cells
            table[r.key] = dict(zip(cols, agreed))
            partial_row_issue(ex, "table_3", r.key, r.label, cols, [c.label for c in t3.columns], tr, rr, agreed)
            continue
        if reading is None:
            table[r.key] = dict.fromkeys(cols)
            if r.key not in distrusted:
                _t3_row_issue(ex, "table_3", r.key, r.label, cols, tr, rr, groups)
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
    if distrusted:
        _distrust_issue(ex, cols, [(r, found[r.key]) for r in t3.data_rows() if r.key in distrusted])
    for tr in unmatched:
        _unmatched_issue(ex, "表三", tr)


def _or_lost_figure(
    tr: TextRow, cands: list[Reading], as_written: bool, ncols: int, groups: list[Group]
) -> list[Reading]:
    """A row written with spaces or run together, one figure short: besides the readings with a
    blank, every reading with the figure lost anywhere (computed from the row's 总计), for the
    column rules to choose among (a lost figure and a blank look alike without separators)."""
    if as_written:
        return cands
    lost = lost_figure_readings(tr, ncols, groups, cands)
    return [*cands, *(r for r in lost if r not in cands)] if lost else cands


def _distrust_issue(ex: Extraction, cols: list[str], rows: list[tuple[Any, tuple[TextRow, RowReading]]]) -> None:
    """One finding for every row of table 三 left open because the readings inferred without
    separators break the table's column rules (a figure lost somewhere): which rows, and for each
    the reading(s) its own total allowed, as candidates, not as values."""
    names = "、".join(f"“{r.label}”" for r, _ in rows[:6]) + (f"等{len(rows)}行" if len(rows) > 6 else "")
    spans = [(tr.line.start, tr.line.end) for _, (tr, _) in rows]
    ex.issues.append(
        TableIssue(
            "unreadable_cells",
            "warning",
            f"表三的数字没有分隔符，按各行合计推断出的读法与表三各列的勾稽关系不符（可能有数字在转换中丢失），"
            f"{names}无法确定，记为空白；各行按本行合计可能的读法列在“实际”中",
            tuple(f"table_3.{r.key}.{c}" for r, _ in rows for c in cols),
            spans,
            actual={r.key: [list(x) for x in dict.fromkeys(rr.readings or rr.structural)][:6] for r, (_, rr) in rows},
        )
    )


_SUBTOTAL = "小计"


def _subtotal_holds(r: Reading) -> bool:
    """A reading of an eight-column row whose 小计 and 总计 hold where both sides are written."""
    orgs, sub, total = r[1:6], r[6], r[7]
    if sub is not None and all(v is not None for v in orgs) and abs(sum(orgs) - sub) > 0.005:  # type: ignore[arg-type]
        return False
    if total is not None and sub is not None and r[0] is not None and abs(r[0] + sub - total) > 0.005:  # type: ignore[operator]
        return False
    return True


def _t3_row(
    vocab: L.Vocabulary, text: str, parent: str | None, children: dict[tuple[str, int], str], row_of: dict[str, Any]
) -> L.LabelMatch | None:
    best = vocab.match(text, ("row",))  # the best row scoring at least WEAK
    if best and best.score >= L.ACCEPT:
        return best
    n = L.numbering(text)
    if parent and n and n[0] == "arabic" and (parent, n[1]) in children:
        key = children[(parent, n[1])]
        official = row_of[key].label
        return L.LabelMatch(key, official, "row", L.similarity(L.clean(text), L.clean(official)))
    return best


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
    fixed = _conventional(fmt, {k: rr.unique for k, (_, rr) in found.items() if rr.unique is not None})
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


MAX_LOST_COMBOS = 5000  # combined readings tried over all rows when one figure is taken as lost


def _t3_one_lost_figure(
    fmt: ReportFormat,
    found: dict[str, tuple[TextRow, RowReading]],
    inferred: set[str],
    groups: list[Group],
    fits: dict[Any, bool] | None = None,
) -> tuple[set[str], list[str]]:
    """When the rows read by inference break the column rules (a figure lost without separators,
    and the row that lost it still splits into a row keeping its own total): every reading of the
    table in which exactly one row lost one figure (that row cut into one figure fewer, the lost
    one computed from the row's total; every other row as its own total allows) and every column
    rule holds. Each row keeps the readings these give; those rows are returned, their readings
    being every way the text can be read under that damage (cells they all agree on are read),
    with the rows the figure may have been lost from. Nothing changes (nothing returned) when no
    such reading exists or there are too many to try."""
    guessed = [k for k in inferred if k in found and found[k][1].unique is not None]
    if not guessed:
        return set(), []
    ncols = len(fmt.table_3.columns)
    outcomes = [r.key for r in fmt.table_3.outcome_rows()]
    rows_now = {k: rr.unique for k, (_, rr) in found.items() if rr.unique is not None}
    options_now = {k: rr.readings for k, (_, rr) in found.items() if rr.unique is None and rr.readings}
    if _t3_columns_fit(rows_now, options_now, outcomes, ncols, fits):
        return set(), []
    lost = {k: lost_figure_readings(found[k][0], ncols, groups, ()) for k in inferred if k in found}
    whole = {
        k: [r for r in rr.readings if r not in lost.get(k, ())] if k in inferred else rr.readings
        for k, (_, rr) in found.items()
    }
    keys = list(found)
    solutions: list[tuple[Reading, ...]] = []
    lost_in: list[str] = []
    tried = 0
    for k in keys:
        if not lost.get(k):
            continue
        options = [lost[k] if j == k else whole[j] for j in keys]
        combos = 1
        for o in options:
            combos *= len(o)
        tried += combos
        if tried > MAX_LOST_COMBOS:
            return set(), []
        for combo in itertools.product(*options):
            if _t3_columns_hold(_conventional(fmt, dict(zip(keys, combo))), outcomes, ncols):
                solutions.append(combo)
                if k not in lost_in:
                    lost_in.append(k)
    if not solutions:
        return set(), []
    for i, k in enumerate(keys):
        tr, rr = found[k]
        found[k] = (tr, RowReading(list(dict.fromkeys(s[i] for s in solutions)), rr.structural))
    return set(keys), lost_in


def _lost_figure_issue(
    ex: Extraction, t3: Any, cols: list[str], found: dict[str, tuple[TextRow, RowReading]], lost_in: list[str]
) -> None:
    """Says that table 三 was read taking one figure as lost, and from which rows it may have
    been: were the table itself wrong as written, these readings would hide it, so the rows are
    named for a look at the original (their cells, with the values the readings give them)."""
    label = {r.key: r.label for r in t3.rows}
    names = "、".join(f"“{label[k]}”" for k in lost_in[:6]) + (f"等{len(lost_in)}行" if len(lost_in) > 6 else "")
    actual = {
        f"table_3.{k}.{c}": sorted({r[i] for r in found[k][1].readings if r[i] is not None})
        for k in lost_in
        for i, c in enumerate(cols)
    }
    ex.issues.append(
        TableIssue(
            "ambiguous_cells",
            "warning",
            f"表三的数字没有分隔符，按各行合计读出的表与各列的勾稽关系不符；按“有一个数字在转换中丢失”读取，"
            f"丢失的数字可能在{names}；若原表本身有误，这些行的读法不可靠，请与原文核对",
            tuple(actual),
            [(found[k][0].line.start, found[k][0].line.end) for k in lost_in],
            actual=actual,
        )
    )


def _t3_distrust_inferred(
    fmt: ReportFormat,
    found: dict[str, tuple[TextRow, RowReading]],
    inferred: set[str],
    fits: dict[Any, bool] | None = None,
) -> set[str]:
    """Rows read by inference (separators lost: blanks placed, digit runs split) are kept only if
    the table's column rules hold with them. A cell lost as well makes a wrong reading that still
    satisfies its own row's total: the column rules catch it, and then no inferred row is
    trusted (each said ambiguous), rather than a wrong figure kept and an inconsistency claimed
    that the report does not have. Rows read as written are never touched: their figures are
    the report's."""
    guessed = [k for k in inferred if k in found and found[k][1].unique is not None]
    if not guessed:
        return set()
    cols = [c.key for c in fmt.table_3.columns]
    rows = _conventional(fmt, {k: rr.unique for k, (_, rr) in found.items() if rr.unique is not None})
    outcomes = [r.key for r in fmt.table_3.outcome_rows()]
    options = {k: rr.readings for k, (_, rr) in found.items() if rr.unique is None and rr.readings}
    if _t3_columns_fit(rows, options, outcomes, len(cols), fits):
        return set()
    for k in guessed:
        tr, rr = found[k]
        found[k] = (
            tr,
            # the reading its own total allowed stays as the candidate the finding names
            RowReading([], rr.readings, "按本行合计推断出的读法与表三各列的勾稽关系不符（可能有数字丢失），无法确定"),
        )
    # the rows still ambiguous are as unsure: one finding names them all
    return set(guessed) | {k for k in inferred if k in found and len(found[k][1].readings) > 1}


def _t3_columns_fit(
    rows: dict[str, Reading],
    options: dict[str, list[Reading]],
    outcomes: list[str],
    ncols: int,
    fits: dict[Any, bool] | None,
) -> bool:
    """:func:`_t3_columns_hold` and :func:`_t3_columns_possible` on these rows and readings, each
    answer kept in ``fits``: the lost-figure and the distrust checks ask it of the same table
    (the rows read by inference already follow the blank-cell convention, so mostly equal)."""
    key = None
    if fits is not None:
        key = (tuple(rows.items()), tuple((k, tuple(v)) for k, v in options.items()), tuple(outcomes), ncols)
        hit = fits.get(key)
        if hit is not None:
            return hit
    # (without a row still open, every value set of _t3_columns_possible holds one figure: it asks
    # what _t3_columns_hold has just answered, the same sums compared)
    ok = _t3_columns_hold(rows, outcomes, ncols) and (
        not options or _t3_columns_possible(rows, options, outcomes, ncols)
    )
    if key is not None:
        fits[key] = ok
    return ok


def _t3_columns_hold(rows: dict[str, Reading], outcomes: list[str], ncols: int) -> bool:
    # the rows looked up once, then read column by column (run on every combination of readings)
    total_row = rows.get("results_total")
    part_rows = [rows.get(k) for k in outcomes]
    a_row, b_row, d_row = rows.get("new_received"), rows.get("carried_over"), rows.get("carry_forward")
    for c in range(ncols):
        total = None if total_row is None else total_row[c]
        parts = [None if r is None else r[c] for r in part_rows]
        if total is not None and all(p is not None for p in parts) and sum(parts) != total:  # type: ignore[arg-type]
            return False
        a = None if a_row is None else a_row[c]
        b = None if b_row is None else b_row[c]
        d = None if d_row is None else d_row[c]
        if None not in (a, b, d, total) and a + b != total + d:  # type: ignore[operator]
            return False
    return True


MAX_SUMS = 5000  # possible column sums tracked per column; beyond it a column is taken as possible


def _t3_columns_possible(
    rows: dict[str, Reading], options: dict[str, list[Reading]], outcomes: list[str], ncols: int
) -> bool:
    """Whether the column rules can hold at all with the rows read and the readings still open of
    the ambiguous rows, each column on its own (a relaxation: when even that fails, some row read
    by inference is wrong). A row that lost a cell and whose digits still split into a row keeping
    its own total is caught here when the rows beside it are ambiguous (seeds 181 and 489 of the
    degradation benchmark: a wrong 总计 row kept because the ambiguous rows hid the columns)."""

    def values(key: str, c: int) -> set[Number] | None:
        if key in rows:
            v = rows[key][c]
            return None if v is None else {v}
        if key in options:
            vs = {r[c] for r in options[key]}
            return None if None in vs else vs  # type: ignore[return-value]
        return None  # a row not found: any value

    def sums(keys: list[str], c: int) -> set[Number] | None:
        acc: set[Number] = {0}
        for k in keys:
            vs = values(k, c)
            if vs is None:
                return None
            acc = {a + v for a in acc for v in vs}
            if len(acc) > MAX_SUMS:
                return None
        return acc

    for c in range(ncols):
        total = values("results_total", c)
        parts = sums(outcomes, c)
        if total is not None and parts is not None and not total & parts:
            return False
        left = sums(["new_received", "carried_over"], c)
        right = sums(["results_total", "carry_forward"], c)
        if left is not None and right is not None and not left & right:
            return False
    return True
