"""pdfplumber's table finding with its default settings (the ruling-line strategy), on tuples.

The same steps as ``page.find_tables()``: the edges of the page's lines, rects and curves, where
they cross, the cells those crossings close and the cells grouped into tables, with the same
comparisons in the same order; done here because pdfplumber copies dicts at every step (a third of
a PDF's reading). tests/unit/audit/test_pdf_layout.py checks it against pdfplumber on random rulings.
"""

from __future__ import annotations

import bisect
import math
from typing import Any

from gongkai.domain.audit.sources.pdf_layout import _clusters


def _find_tables(page: Any) -> list[Any]:
    """``page.find_tables()`` (pdfplumber's TableFinder with its default settings): the edges of
    the page's lines, rects and curves (:func:`_table_edges`), where they cross
    (:func:`_crossings`), the cells those crossings close (:func:`_cells`) and the cells grouped
    into tables, each step pdfplumber's on tuples instead of dicts copied at every step."""
    from pdfplumber.table import Table

    objects = page.objects
    edges = _table_edges(objects.get("line", []), objects.get("rect", []), objects.get("curve", []))
    return [Table(page, group) for group in _cells_to_tables(_cells(*_crossings(edges)))]


_SNAP = 3  # pdfplumber's default snap, join and intersection tolerances
_EDGE_MIN_LENGTH = 3
_EDGE_MIN_LENGTH_PREFILTER = 1

# an edge: (x0, top, x1, bottom, length), length the width pdfplumber carries for a horizontal
# edge and the height for a vertical one (not always x1 - x0 or bottom - top to the last bit: it
# keeps the value of the object the edge came from)
_Edge = tuple[float, float, float, float, float]


def _table_edges(
    lines: list[dict[str, Any]], rects: list[dict[str, Any]], curves: list[dict[str, Any]]
) -> tuple[list[_Edge], list[_Edge]]:
    """pdfplumber's ``TableFinder.get_edges`` with its default settings, (vertical, horizontal):
    the page's edges (a line's, a rect's four sides, a curve's axis-aligned segments) at least 1
    long, snapped to the mean of their cluster (within 3 of each other), joined where they meet
    or overlap (within 3), and kept where at least 3 long; the same values in the same order."""
    v: list[_Edge] = []
    h: list[_Edge] = []
    # pdfplumber's page.edges: the lines', then the rects', then the curves' (the order counts: a
    # cluster's mean is summed in it and ties keep it)
    for e in lines:
        if e["top"] == e["bottom"]:
            if e["width"] >= _EDGE_MIN_LENGTH_PREFILTER:
                h.append((e["x0"], e["top"], e["x1"], e["bottom"], e["width"]))
        elif e["height"] >= _EDGE_MIN_LENGTH_PREFILTER:
            v.append((e["x0"], e["top"], e["x1"], e["bottom"], e["height"]))
    for r in rects:
        x0, top, x1, bottom, width, height = r["x0"], r["top"], r["x1"], r["bottom"], r["width"], r["height"]
        if width >= _EDGE_MIN_LENGTH_PREFILTER:  # its top and bottom sides (the bottom's top is top + height)
            h.append((x0, top, x1, top, width))
            h.append((x0, top + height, x1, bottom, width))
        if height >= _EDGE_MIN_LENGTH_PREFILTER:  # its left and right sides
            v.append((x0, top, x0, bottom, height))
            v.append((x1, top, x1, bottom, height))
    for c in curves:
        pts = c["pts"]
        for (ax, ay), (bx, by) in zip(pts, pts[1:]):
            if ax == bx:
                height = abs(ay - by)
                if height >= _EDGE_MIN_LENGTH_PREFILTER:
                    v.append((min(ax, bx), min(ay, by), max(ax, bx), max(ay, by), height))
            elif ay == by:
                width = abs(ax - bx)
                if width >= _EDGE_MIN_LENGTH_PREFILTER:
                    h.append((min(ax, bx), min(ay, by), max(ax, bx), max(ay, by), width))
    # snap_edges: each orientation clustered on its position, moved by (mean - position)
    snapped_v = [
        (x0 + (mean - x0), top, x1 + (mean - x0), bottom, n)
        for cluster, mean in _snap_clusters(v, 0)
        for x0, top, x1, bottom, n in cluster
    ]
    snapped_h = [
        (x0, top + (mean - top), x1, bottom + (mean - top), n)
        for cluster, mean in _snap_clusters(h, 1)
        for x0, top, x1, bottom, n in cluster
    ]
    # merge_edges: the edges grouped by ("h", top) then ("v", x0), each group joined
    out_v: list[_Edge] = []
    out_h: list[_Edge] = []
    for group in _groups(snapped_h, 1):
        group.sort(key=_x0_of)
        joined = [group[0]]
        for e in group[1:]:
            last = joined[-1]
            if e[0] <= last[2] + _SNAP:
                if e[2] > last[2]:
                    joined[-1] = (last[0], last[1], e[2], last[3], e[2] - last[0])
            else:
                joined.append(e)
        out_h.extend(e for e in joined if e[4] >= _EDGE_MIN_LENGTH)
    for group in _groups(snapped_v, 0):
        group.sort(key=_top_of)
        joined = [group[0]]
        for e in group[1:]:
            last = joined[-1]
            if e[1] <= last[3] + _SNAP:
                if e[3] > last[3]:
                    joined[-1] = (last[0], last[1], last[2], e[3], last[4] + (e[3] - last[3]))
            else:
                joined.append(e)
        out_v.extend(e for e in joined if e[4] >= _EDGE_MIN_LENGTH)
    return out_v, out_h


def _x0_of(e: _Edge) -> float:
    return e[0]


def _top_of(e: _Edge) -> float:
    return e[1]


def _snap_clusters(edges: list[_Edge], axis: int) -> list[tuple[list[_Edge], float]]:
    """pdfplumber's ``snap_objects``' clusters (``cluster_objects`` on the position ``axis``,
    within the snap tolerance, in cluster order, the edges of one in their order) with the mean
    position of each, summed in that order."""
    index = _clusters([e[axis] for e in edges])
    clusters: list[list[_Edge]] = [[] for _ in range(len(set(index.values())))]
    for e in edges:
        clusters[index[e[axis]]].append(e)
    return [(c, sum(e[axis] for e in c) / len(c)) for c in clusters]


def _groups(edges: list[_Edge], axis: int) -> list[list[_Edge]]:
    """The edges sorted (stably) on the position ``axis`` and grouped by equal position."""
    groups: list[list[_Edge]] = []
    last: float | None = None
    for e in sorted(edges, key=lambda e: e[axis]):
        if not groups or e[axis] != last:
            groups.append([])
            last = e[axis]
        groups[-1].append(e)
    return groups


_Box = tuple[float, float, float, float]
_Point = tuple[float, float]


def _crossings(edges: tuple[list[_Edge], list[_Edge]]) -> tuple[dict[_Point, set[_Box]], dict[_Point, set[_Box]]]:
    """pdfplumber's ``edges_to_intersections`` with its default tolerance (3): each point where a
    vertical and a horizontal edge cross or come within 3 of crossing, with the boxes of the
    vertical edges and of the horizontal edges through it."""
    vs, hs = edges
    vertical: dict[_Point, set[_Box]] = {}
    horizontal: dict[_Point, set[_Box]] = {}
    hboxes = sorted(((e[1], e[0] - _SNAP, e[2] + _SNAP, e[:4]) for e in hs), key=_first)
    ys = [h[0] for h in hboxes]
    # a vertical edge meets the horizontal ones whose y lies within 3 of its span (the test is
    # pdfplumber's, as written); they are looked for by bisection on y, a little wider than the
    # test (the rounding of y + 3 and y - 3 is far below the margin), where every value is finite
    finite = all(map(math.isfinite, ys)) and all(math.isfinite(v[1]) and math.isfinite(v[3]) for v in vs)
    for v in vs:
        x, vtop, vbottom = v[0], v[1], v[3]
        vbox = v[:4]
        if finite:
            low, high = vtop - _SNAP, vbottom + _SNAP
            low -= 1e-9 * (1 + abs(low))
            high += 1e-9 * (1 + abs(high))
            near = hboxes[bisect.bisect_left(ys, low) : bisect.bisect_right(ys, high)]
        else:
            near = hboxes
        for y, lo, hi, hbox in near:
            if vtop <= y + _SNAP and vbottom >= y - _SNAP and x >= lo and x <= hi:
                p = (x, y)
                if p in vertical:
                    vertical[p].add(vbox)
                    horizontal[p].add(hbox)
                else:
                    vertical[p] = {vbox}
                    horizontal[p] = {hbox}
    return vertical, horizontal


def _first(t: tuple[Any, ...]) -> Any:
    return t[0]


def _intersections_to_cells(intersections: dict[tuple[float, float], dict[str, list[dict[str, Any]]]]) -> list[Any]:
    """pdfplumber's ``intersections_to_cells``: :func:`_cells` of its intersections."""
    vertical = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in d["v"]} for p, d in intersections.items()}
    horizontal = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in d["h"]} for p, d in intersections.items()}
    return _cells(vertical, horizontal)


def _cells(vertical: dict[_Point, set[_Box]], horizontal: dict[_Point, set[_Box]]) -> list[Any]:
    """pdfplumber's ``intersections_to_cells``, the same cells in the same order: for each point
    (sorted), the first point below it joined by a vertical edge and the first point to its right
    joined by a horizontal edge whose fourth corner closes the cell. pdfplumber scans every later
    point for those below and to the right and compares edge sets built anew at every test; here
    each point's edge boxes (``vertical``, ``horizontal``) are built once and its row and column
    are looked up."""
    points = sorted(vertical)
    row_of: dict[float, list[tuple[float, float]]] = {}
    for p in points:  # each row's points in ascending x
        row_of.setdefault(p[1], []).append(p)
    cells = []
    n = len(points)
    for i in range(n - 1):
        pt = points[i]
        x, y = pt
        # the later points of the same x are the next ones (sorted by x, then y): those below
        below = []
        j = i + 1
        while j < n and points[j][0] == x:
            below.append(points[j])
            j += 1
        right = [q for q in row_of[y] if q[0] > x]
        v0, h0 = vertical[pt], horizontal[pt]
        cell = None
        for b in below:
            if v0.isdisjoint(vertical[b]):
                continue
            for r in right:
                if h0.isdisjoint(horizontal[r]):
                    continue
                corner = (r[0], b[1])
                if (
                    corner in vertical
                    and not vertical[corner].isdisjoint(vertical[r])
                    and not horizontal[corner].isdisjoint(horizontal[b])
                ):
                    cell = (x, y, corner[0], corner[1])
                    break
            if cell is not None:
                break
        if cell is not None:
            cells.append(cell)
    return cells


def _cells_to_tables(cells: list[Any]) -> list[list[Any]]:
    """pdfplumber's ``cells_to_tables``, the same groups in the same order: passes over the cells
    not yet placed, each adding to the current group every cell sharing a corner with it (the
    first cell starts a group), a group closed when a pass adds nothing; groups sorted by their
    top-left cell, single cells dropped. pdfplumber removes each placed cell from a list and counts
    all four corners; here each pass keeps the cells left and stops at the first shared corner.
    Cells repeated (never from :func:`_intersections_to_cells`, one cell per top-left corner) go to
    pdfplumber's: its removal of the first equal cell reorders them."""
    if len(set(cells)) != len(cells):
        from pdfplumber.table import cells_to_tables

        return cells_to_tables(cells)
    remaining = list(cells)
    corners: set[tuple[Any, Any]] = set()
    current: list[Any] = []
    tables: list[list[Any]] = []
    while remaining:
        before = len(current)
        left = []
        for cell in remaining:
            x0, top, x1, bottom = cell
            a, b, c, d = (x0, top), (x0, bottom), (x1, top), (x1, bottom)
            if not current or a in corners or b in corners or c in corners or d in corners:
                corners.update((a, b, c, d))
                current.append(cell)
            else:
                left.append(cell)
        remaining = left
        if len(current) == before:
            tables.append(list(current))
            corners.clear()
            current.clear()
    if current:
        tables.append(list(current))
    ordered = sorted(tables, key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in ordered if len(t) > 1]
