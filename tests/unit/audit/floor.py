"""The floor of the degradation harness: the cells no reader can determine from a damaged report.

A cell of a damaged report is *undecidable* when another complete set of tables, satisfying every
rule of the format (the consistency module's rules, the ones :func:`gongkai.demo.report_figures.consistent_tables`
generates to), renders with the same damage to the very same text, and gives that cell another
value. No reader can get such a cell right except by luck: the right answer is to leave it open
and name its candidates. Every other cell is *decidable*, and a reader should read it.

The harness knows the truth and the damage, so the floor is computed without the reader:

* glued digit runs (``one_line``, ``table_glued``, ``one_line_ocr``, ``one_line_traditional``):
  every row's figures ran together; each row's alternatives are the other ways to cut its run
  into one figure per column (a figure printed as the printer prints it: no leading zero);
* one lost cell written apart (``lost_cell``: tabs, ``lost_cell_spaces``): the damaged row's
  alternatives are the lost figure at any column of the row, its value anything from 0 up,
  the other figures in order around it, every other row as written;
* one lost cell in glued runs (``lost_cell_one_line``): both at once, and any row of table 三
  or 四 may be the one that lost a figure (exactly one did).

Rows are combined under the rules: a rule within a row (a 总计 and its parts, ``value >= 0``)
filters each row's alternatives; the rules across rows (table 三's column rules) are solved
jointly over all rows' alternatives (a walk over the rows keeping the partial sums of every
column rule). For every value a cell takes in some joint solution, one whole alternative report
is built, checked with :func:`gongkai.domain.consistency.audit` (no finding, nothing unchecked)
and rendered with the same damage: its text must equal the damaged text byte for byte (for OCR,
after reading OCR's letters back as the digits they stand for, the confusion being any letter
pattern). A cell is undecidable when two such verified reports give it two values. The prose
figure 全年共收到…申请N件 is part of the text: an alternative changing 本年新收·总计 changes it.
A cell that no rule of the year reads (本年增/减 of the 2019 format: its only rule compares with
the next year's report) satisfies every rule whatever it holds, so an alternative may write the
blank mark "-" there: ``1-50`` under 上一年项目数量/本年增减/处理决定数量 is 1, -5, 0 or 1, "-", 50.

Kinds with no such damage (tab, spaces, OCR, footers …) have an empty floor: their cells are
written apart and each figure reads one way.
"""

from __future__ import annotations

import copy
import functools
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from gongkai.domain.annual_report.content import ReportContent
from gongkai.domain.annual_report.layout import format_value, table_layouts
from gongkai.domain.consistency import audit as consistency_audit
from gongkai.domain.consistency.plan import format_plan
from gongkai.domain.report_format import ReportFormat
from tests.unit.audit import degrade as D

GLUED_KINDS = frozenset({"one_line", "table_glued", "one_line_ocr", "one_line_traditional"})
LOST_KINDS = frozenset({"lost_cell", "lost_cell_spaces", "lost_cell_one_line"})
FLOOR_KINDS = GLUED_KINDS | LOST_KINDS
MAX_STATES = 200_000  # per row of the joint walk; beyond it the case's floor is not computed

RowId = tuple[str, ...]  # ("table_3", "granted"), ("table_2", "art20_1", "regulations"), ("table_4",)
Path = tuple[str, ...]  # RowId + (column,)


class FloorTooLarge(Exception):
    """The joint walk over a table's rows grew beyond MAX_STATES: no floor for this case."""


@dataclass
class Floor:
    """What the harness proves about one damaged case."""

    values: dict[str, set[Any]] = field(default_factory=dict)  # cell -> every value a verified reading gives
    alternatives: int = 0  # verified alternative reports built (the truth excluded)
    computed: bool = True

    @property
    def undecidable(self) -> set[str]:
        return {p for p, vs in self.values.items() if len(vs) > 1}


# -- the format's rules as linear forms over cell paths ------------------------------------------


@dataclass(frozen=True)
class Form:
    """One comparison of one rule at one position: ``const + sum(coef * cell) (op) 0``."""

    rule: str
    op: int  # 0 ==, -1 <=, 1 >=
    coefs: tuple[tuple[Path, int], ...]
    const: int

    def holds(self, value: Any) -> bool:
        return value == 0 if self.op == 0 else (value <= 0 if self.op < 0 else value >= 0)


@functools.cache
def _forms(fmt: ReportFormat) -> tuple[Form, ...]:
    """Every current-year error rule of ``fmt`` at every position, from the consistency module's
    plan (cross-year rules compare with another report: they bind nothing here)."""
    fp = format_plan(fmt)
    where: list[tuple[str, Path]] = [(report, (*parent, key)) for report, parent, keys in fp.groups for key in keys]
    out = []
    for plan in fp.plans:
        # a warning binds nothing either: the reader may not choose by a rule an author may break
        # (t2_published_le_total is inferred), so a reading breaking one is still a reading
        if plan.compiled.cross_year or plan.compiled.rule.severity != "error":
            continue
        for pos in plan.positions:
            for op, added, subtracted, const in pos.linear:
                coefs: dict[Path, int] = {}
                for i in added:
                    coefs[where[i][1]] = coefs.get(where[i][1], 0) + 1
                for i in subtracted:
                    coefs[where[i][1]] = coefs.get(where[i][1], 0) - 1
                out.append(Form(plan.compiled.rule.id, op, tuple((p, c) for p, c in coefs.items() if c), const))
    return tuple(out)


def _row_layout(fmt: ReportFormat) -> dict[str, list[tuple[RowId, list[str]]]]:
    """Per table, its rows in printed order with their columns in order."""
    t2 = [((("table_2", s.id, r.key)), [c.key for c in s.columns]) for s in fmt.table_2.subtables for r in s.rows]
    t3 = [(("table_3", r.key), [c.key for c in fmt.table_3.columns]) for r in fmt.table_3.data_rows()]
    t4 = [(("table_4",), [c.key for c in fmt.table_4.columns])]
    return {"table_2": t2, "table_3": t3, "table_4": t4}


def _column_kind(fmt: ReportFormat) -> dict[Path, str]:
    """How each cell of table 二 prints (int, signed, decimal), ``+mark`` where it may also hold
    the blank mark "-": a cell no rule of the year reads (本年增/减 of the 2019 format) is
    consistent with every rule whatever it holds, and "-" is the mark reports write for none
    (the reader keeps marks apart from blanks and 0). Tables 三/四: every cell is read by a rule."""
    read = {p for f in _forms(fmt) for p, _ in f.coefs}
    kinds: dict[Path, str] = {}
    for s in fmt.table_2.subtables:
        for r in s.rows:
            for c in s.columns:
                path = ("table_2", s.id, r.key, c.key)
                kind = "decimal" if c.is_decimal else ("signed" if c.type == "signed_integer" else "int")
                kinds[path] = kind if path in read else kind + "+mark"
    return kinds


# -- reading a printed figure back -----------------------------------------------------------

MARK = "-"  # the blank mark a cell no rule reads may hold instead of a figure
_INT = re.compile(r"^(?:0|[1-9]\d*)$")
_SIGNED = re.compile(r"^(?:0|-?[1-9]\d*)$")
_DEC = re.compile(r"^(?:0|[1-9]\d*)(?:\.\d+)?$")


def _figure(piece: str, kind: str) -> Any:
    """The value a printed figure stands for in a column of ``kind``, or None when the printer
    never prints that value so (a leading zero, a sign where no sign goes)."""
    if kind.endswith("+mark"):
        if piece == MARK:
            return MARK
        kind = kind.removesuffix("+mark")
    if kind == "decimal":
        if not _DEC.match(piece):
            return None
        try:
            v = Decimal(piece)
        except InvalidOperation:
            return None
        return v if format_value(v) == piece else None
    if not (_SIGNED if kind == "signed" else _INT).match(piece):
        return None
    return int(piece)


def _splits(run: str, kinds: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
    """Every way to cut ``run`` into one printed figure per column of ``kinds``."""
    n, k = len(run), len(kinds)

    @functools.cache
    def rec(pos: int, i: int) -> tuple[tuple[Any, ...], ...]:
        if i == k:
            return ((),) if pos == n else ()
        out = []
        for end in range(pos + 1, n - (k - i - 1) + 1):
            v = _figure(run[pos:end], kinds[i])
            if v is None:
                continue
            out.extend((v, *rest) for rest in rec(end, i + 1))
        return tuple(out)

    yield from rec(0, 0)


# -- per row alternatives ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cand:
    values: tuple[Any, ...]  # one per column of the row
    lost: int | None  # the column whose figure was lost (None: the row is complete)


class _Table:
    """One table's rows, its rules within a row and across rows."""

    def __init__(self, fmt: ReportFormat, table: str):
        self.rows = _row_layout(fmt)[table]
        self.row_of = {rid: i for i, (rid, _) in enumerate(self.rows)}
        local: dict[int, list[Form]] = {}
        coupling: list[Form] = []
        for f in _forms(fmt):
            if not f.coefs or f.coefs[0][0][0] != table:
                continue
            rows = {p[:-1] for p, _ in f.coefs}
            if len(rows) == 1:
                local.setdefault(self.row_of[next(iter(rows))], []).append(f)
            else:
                if f.op != 0:
                    raise NotImplementedError(f"an inequality across rows ({f.rule}) is not walked")
                coupling.append(f)
        self.local = local
        self.coupling = coupling

    def ok(self, r: int, values: tuple[Any, ...]) -> bool:
        rid, cols = self.rows[r]
        cell = dict(zip(cols, values))
        for f in self.local.get(r, ()):
            if not f.holds(f.const + sum(c * cell[p[-1]] for p, c in f.coefs)):
                return False
        return True

    def solve(self, r: int, values: list[Any], j: int) -> list[Any]:
        """The values the lost figure at column ``j`` can take given the rest of the row: what an
        equation of the row makes it; 0 and 1 (any value: two stand for all) when none binds it."""
        rid, cols = self.rows[r]
        key = cols[j]
        for f in self.local.get(r, ()):
            coef = dict((p[-1], c) for p, c in f.coefs).get(key)
            if f.op != 0 or not coef:
                continue
            rest = f.const + sum(c * values[cols.index(p[-1])] for p, c in f.coefs if p[-1] != key)
            if rest % coef:
                return []
            return [-rest // coef]
        return [0, 1]

    def contrib(self, r: int, values: tuple[Any, ...]) -> tuple[Any, ...]:
        rid, cols = self.rows[r]
        cell = dict(zip(cols, values))
        return tuple(sum(c * cell[p[-1]] for p, c in f.coefs if p[:-1] == rid) for f in self.coupling)


def _complete(t: _Table, r: int, run: str, kinds: tuple[str, ...]) -> list[Cand]:
    return [Cand(v, None) for v in _splits(run, kinds) if t.ok(r, v)]


def _with_lost(t: _Table, r: int, pieces: Iterator[tuple[Any, ...]], width: int) -> list[Cand]:
    out: dict[Cand, None] = {}
    for rest in pieces:
        for j in range(width):
            vals = [*rest[:j], 0, *rest[j:]]
            for v in t.solve(r, vals, j):
                vals[j] = v
                if t.ok(r, tuple(vals)):
                    out[Cand(tuple(vals), j)] = None
    return list(out)


# -- the joint walk over a table's rows ------------------------------------------------------------


def _walk(t: _Table, cands: list[list[Cand]], lost: int) -> dict[tuple[int, int], list[Cand]] | None:
    """For every row and candidate that is part of a solution of the whole table with exactly
    ``lost`` rows having lost a figure: one whole solution (a candidate per row). None: no solution."""
    n = len(cands)
    zero = tuple(0 for _ in t.coupling)
    start = (tuple(f.const for f in t.coupling), 0)
    fwd: list[dict[tuple[Any, int], tuple[Any, int] | None]] = [{start: None}]
    for r in range(n):
        layer: dict[tuple[Any, int], tuple[Any, int] | None] = {}
        for s in fwd[r]:
            vec, k = s
            for ci, c in enumerate(cands[r]):
                k2 = k + (c.lost is not None)
                if k2 > lost:
                    continue
                d = t.contrib(r, c.values)
                key = (tuple(a + b for a, b in zip(vec, d)), k2)
                layer.setdefault(key, (s, ci))
        if len(layer) > MAX_STATES:
            raise FloorTooLarge
        fwd.append(layer)
    if (zero, lost) not in fwd[n]:
        return None
    suf: list[dict[tuple[Any, int], tuple[int, tuple[Any, int]] | None]] = [{} for _ in range(n + 1)]
    suf[n] = {(zero, 0): None}
    for r in range(n - 1, -1, -1):
        layer2: dict[tuple[Any, int], tuple[int, tuple[Any, int]] | None] = {}
        for s in suf[r + 1]:
            vec, k = s
            for ci, c in enumerate(cands[r]):
                k2 = k + (c.lost is not None)
                if k2 > lost:
                    continue
                d = t.contrib(r, c.values)
                layer2.setdefault((tuple(a + b for a, b in zip(vec, d)), k2), (ci, s))
        if len(layer2) > MAX_STATES:
            raise FloorTooLarge
        suf[r] = layer2

    def prefix(r: int, s: tuple[Any, int]) -> list[int]:
        out: list[int] = []
        while r > 0:
            prev, ci = fwd[r][s]  # type: ignore[misc]
            out.append(ci)
            s = prev
            r -= 1
        return out[::-1]

    def suffix(r: int, s: tuple[Any, int]) -> list[int]:
        out: list[int] = []
        while r < n:
            ci, s = suf[r][s]  # type: ignore[misc]
            out.append(ci)
            r += 1
        return out

    solutions: dict[tuple[int, int], list[Cand]] = {}
    for r in range(n):
        for s in fwd[r]:
            vec, k = s
            for ci, c in enumerate(cands[r]):
                if (r, ci) in solutions:
                    continue
                k2 = k + (c.lost is not None)
                d = t.contrib(r, c.values)
                need = (tuple(-(a + b) for a, b in zip(vec, d)), lost - k2)
                if need in suf[r + 1]:
                    chosen = [*prefix(r, s), ci, *suffix(r + 1, need)]
                    solutions[(r, ci)] = [cands[i][x] for i, x in enumerate(chosen)]
    return solutions


# -- rendering an alternative with the same damage -------------------------------------------------


def _value_cells(content: ReportContent) -> dict[Path, tuple[str, int, int]]:
    """Where each figure is printed: path -> (table, grid row, grid column)."""
    fmt = content.fmt
    order = {t: [(*rid, c) for rid, cols in rows for c in cols] for t, rows in _row_layout(fmt).items()}
    out: dict[Path, tuple[str, int, int]] = {}
    for layout in table_layouts(content):
        numeric = [(r, c) for r, c, cell in layout.placed() if cell.numeric]
        paths = order[layout.table_id]
        assert len(numeric) == len(paths), layout.table_id
        for p, (r, c) in zip(paths, numeric):
            out[p] = (layout.table_id, r, c)
    return out


def _with_tables(content: ReportContent, tables: dict[str, Any]) -> ReportContent:
    received = tables["table_3"]["new_received"]["total"]
    overview = "\n".join(
        p.format(year=content.year, agency=content.agency_name, received=received) for p in D._OVERVIEW
    )
    return ReportContent(content.agency_name, content.year, tables, sections={**content.sections, "overview": overview})


_OCR_BACK = str.maketrans("OoIl丨〇", "001110")


def _render(kind: str, seed: int, content: ReportContent, lost_at: tuple[str, int, int] | None) -> str:
    bs = D.blocks(content)
    rng = random.Random(seed * 7919 + 1)
    if kind in GLUED_KINDS:
        if kind == "one_line_ocr":  # compared with OCR's letters read back: any letter pattern is possible
            return D._one_line(bs, rng).translate(_OCR_BACK)
        return D.DAMAGES[kind](bs, rng)
    assert lost_at is not None
    table, r, c = lost_at
    block = next(b for b in bs if b.kind == "table" and b.table == table)
    del block.rows[r][c]
    if kind == "lost_cell":
        return D.as_text(bs)
    if kind == "lost_cell_spaces":
        return D._table_spaces(bs, rng)
    return D._one_line(bs, rng)


def _truth_lost(kind: str, seed: int, content: ReportContent) -> tuple[str, int, int]:
    """Where the damage took the figure out: the harness's own choice, found by comparing rows."""
    bs = D.blocks(content)
    before = copy.deepcopy(bs)
    D._lost_cell(bs, random.Random(seed * 7919 + 1))
    for b0, b1 in zip(before, bs):
        if b0.kind == "table":
            for r, (row0, row1) in enumerate(zip(b0.rows, b1.rows)):
                if row0 != row1:
                    c = next((i for i, (x, y) in enumerate(zip(row0, row1)) if x != y), len(row1))
                    return b0.table, r, c
    raise AssertionError("no cell was lost")


# -- the floor of one case -------------------------------------------------------------------------


def _set(tables: dict[str, Any], path: Path, value: Any) -> None:
    node = tables
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _get(tables: Any, path: Path) -> Any:
    for key in path:
        tables = tables[key]
    return tables


def floor(kind: str, seed: int) -> Floor:
    """The cells of case (``kind``, ``seed``) that no reader can determine, with their values."""
    if kind not in FLOOR_KINDS:
        return Floor()
    content, _name, data = D.case(kind, seed)
    text = data.decode()
    fmt = content.fmt
    where = _value_cells(content)
    truth = content.tables
    lost_at = _truth_lost(kind, seed, content) if kind in LOST_KINDS else None
    lost_path = next((p for p, w in where.items() if w == lost_at), None) if lost_at else None
    if kind == "one_line_ocr":
        text = text.translate(_OCR_BACK)
    if _render(kind, seed, content, lost_at) != text:
        raise AssertionError(f"the truth does not render as the damaged text ({kind} seed={seed})")
    kinds = _column_kind(fmt)
    glued = kind in GLUED_KINDS or kind == "lost_cell_one_line"
    per_table: dict[str, dict[int, list[Cand]]] = {}
    solutions: dict[str, dict[int, dict[tuple[int, int], list[Cand]]]] = {}
    try:
        for table in ("table_2", "table_3", "table_4"):
            t = _Table(fmt, table)
            cands: list[list[Cand]] = []
            for r, (rid, cols) in enumerate(t.rows):
                printed = [format_value(_get(truth, (*rid, c))) for c in cols]
                ks = tuple(kinds.get((*rid, c), "int") for c in cols)
                damaged = lost_path is not None and lost_path[:-1] == rid
                written = [x for c, x in zip(cols, printed) if not (damaged and (*rid, c) == lost_path)]
                if glued:
                    run = "".join(written)
                    row = _complete(t, r, run, ks)
                    if kind == "lost_cell_one_line" and table != "table_2":  # (tables 三/四: integers only)
                        row += _with_lost(t, r, _splits(run, ks[1:]), len(cols))
                elif damaged:  # written apart: the figures as written, the lost one anywhere
                    rest = tuple(_figure(x, k) for x, k in zip(written, ks[1:]))
                    row = _with_lost(t, r, iter([rest]), len(cols))
                else:
                    row = [Cand(tuple(_get(truth, (*rid, c)) for c in cols), None)]
                cands.append(row)
            per_table[table] = dict(enumerate(cands))
            solutions[table] = {}
            for lost in (0, 1):
                if lost and (lost_path is None or (not glued and lost_path[0] != table) or table == "table_2"):
                    continue
                sol = _walk(t, cands, lost)
                if sol is not None:
                    solutions[table][lost] = sol
    except FloorTooLarge:
        return Floor(computed=False)
    # which combinations of the tables' solutions make one report: exactly one lost figure overall
    need = 1 if lost_path is not None else 0
    out = Floor()
    for p in where:
        out.values[".".join(p)] = {_get(truth, p)}
    for table, by_lost in solutions.items():
        rows = _Table(fmt, table).rows
        for lost, sols in by_lost.items():
            others_lost = need - lost
            partner = _partner(solutions, table, others_lost)
            if partner is None:
                continue
            for (r, _ci), sol in sols.items():
                rid, cols = rows[r]
                new = [
                    (".".join((*rid, c)), v)
                    for c, v in zip(cols, sol[r].values)
                    if v not in out.values[".".join((*rid, c))]
                ]
                if not new:
                    continue
                alt = copy.deepcopy(dict(truth))
                alt_lost = None
                chosen = {table: sol, **partner}
                for t_id, rows_sol in chosen.items():
                    for (rid2, cols2), cand in zip(_Table(fmt, t_id).rows, rows_sol):
                        for c2, v2 in zip(cols2, cand.values):
                            _set(alt, (*rid2, c2), v2)
                        if cand.lost is not None:
                            alt_lost = where[(*rid2, cols2[cand.lost])]
                _verify(kind, seed, content, alt, alt_lost, text)
                out.alternatives += 1
                for path, v in new:
                    out.values[path].add(v)
    return out


def _any_solution(by_lost: dict[int, dict[tuple[int, int], list[Cand]]], lost: int) -> list[Cand] | None:
    sols = by_lost.get(lost)
    return next(iter(sols.values())) if sols else None


def _partner(
    solutions: dict[str, dict[int, dict[tuple[int, int], list[Cand]]]], table: str, lost: int
) -> dict[str, list[Cand]] | None:
    """One solution of each other table such that ``lost`` figures are lost among them in all
    (0 or 1: the one figure lost in table 三 or 四), or None when there is none."""
    others = [t for t in solutions if t != table]
    for k in range(len(others)) if lost else [None]:
        chosen: dict[str, list[Cand]] = {}
        for i, t in enumerate(others):
            sol = _any_solution(solutions[t], 1 if k == i else 0)
            if sol is None:
                break
            chosen[t] = sol
        else:
            return chosen
    return None


def _verify(kind: str, seed: int, content: ReportContent, alt: dict[str, Any], lost_at: Any, text: str) -> None:
    """An alternative report must satisfy every error rule and render with the same damage to the text."""
    result = consistency_audit(content.fmt, alt)
    if any(f.severity == "error" for f in result.findings) or result.unchecked:
        raise AssertionError(f"an alternative breaks a rule ({kind} seed={seed}): {result.findings[:1]}")
    if _render(kind, seed, _with_tables(content, alt), lost_at) != text:
        raise AssertionError(f"an alternative does not render as the damaged text ({kind} seed={seed})")


# -- judging a reader against the floor ------------------------------------------------------------


@dataclass
class Judged:
    undecidable: int = 0  # cells provably ambiguous
    decidable: int = 0
    right_decidable: int = 0
    missed: list[str] = field(default_factory=list)  # decidable, left open by the reader
    guessed: list[str] = field(default_factory=list)  # undecidable, given a value by the reader
    not_computed: int = 0  # cases whose floor was too large to compute

    def add(self, other: Judged) -> None:
        self.undecidable += other.undecidable
        self.decidable += other.decidable
        self.right_decidable += other.right_decidable
        self.missed += other.missed
        self.guessed += other.guessed
        self.not_computed += other.not_computed


def judge(content: ReportContent, report: Any, fl: Floor, label: str = "") -> Judged:
    j = Judged()
    if not fl.computed:
        j.not_computed = 1
    undecidable = fl.undecidable
    read = dict(D._leaves(report.tables))
    for path, value in D._leaves(dict(content.tables)):
        got = read.get(path)
        if path in undecidable:
            j.undecidable += 1
            if got is not None:
                j.guessed.append(f"{label} {path}: read {got} of {sorted(map(str, fl.values[path]))}")
            continue
        j.decidable += 1
        if got is None:
            j.missed.append(f"{label} {path} (written {value})")
        elif D._same(got, value):
            j.right_decidable += 1
    return j


def run_case(kind: str, seed: int) -> tuple[D.Score, Judged, float]:
    """The harness's score of one case, the reader judged against the floor, and the seconds the
    case took without the floor (making the damaged input, reading it, scoring)."""
    import time

    from gongkai.domain.audit import audit_bytes

    t0 = time.perf_counter()
    content, name, data = D.case(kind, seed)
    report = audit_bytes(data, name)
    sc = D.score(content, report, undamaged=kind in ("none", *D.RENDERINGS))
    tag = f"[{kind} seed={seed}]"
    sc.wrong = [f"{tag} {w}" for w in sc.wrong]
    sc.false_findings = [f"{tag} {w}" for w in sc.false_findings]
    sc.findings_undamaged = [f"{tag} {w}" for w in sc.findings_undamaged]
    seconds = time.perf_counter() - t0
    return sc, judge(content, report, floor(kind, seed), tag), seconds
