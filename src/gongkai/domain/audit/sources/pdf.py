"""PDF: text outside the tables in reading order with each ruled table in its place.

The tables are found and the text laid out as pdfplumber does with its default settings; the
characters and ruling lines this works on come from PDFium (pypdfium2) wherever a page is simple
enough for PDFium and pdfminer to agree, and from pdfminer otherwise (see
:func:`_inject_pdfium_objects`). PDFium also reads the text of damaged files pdfminer cannot open.

For speed, the steps pdfplumber runs through generic code over dicts copied at every step are done
here on the values they compare, with the same comparisons in the same order: the table edges and
their crossings (:func:`_find_tables`), the cells (:func:`_cells`, :func:`_cells_to_tables`) and
the text layout of upright characters (:func:`_layout_text`); tests/unit/audit/test_pdf_layout.py
and test_pdf_pdfium.py check each against pdfplumber's own on generated reports and random input,
and ``benchmarks/audit_pdf_compare.py`` compares the reader of two commits.
"""

from __future__ import annotations

import bisect
import io
import math
import operator
import re
import zlib
from typing import Any

from gongkai.domain.audit.limits import DEFAULT_LIMITS, ReaderLimits
from gongkai.domain.audit.model import RawDocument
from gongkai.domain.audit.sources.build import _Builder, _clean_cell, _rectangular
from gongkai.domain.audit.sources.common import _detail, _mb
from gongkai.domain.audit.sources.decode import _strip_controls


def _read_pdf(data: bytes, name: str, limits: ReaderLimits = DEFAULT_LIMITS) -> RawDocument:
    """PDF: per page, the text outside the tables in reading order with each table in its place.

    Each page is cut into horizontal bands at the top of every table pdfplumber finds (its
    default, ruling-line strategy); the text of a band (characters whose centre lies outside all
    table boxes) is followed by the table that starts below it. Text beside a table therefore
    comes after that table. Pages are separated by a blank line; a table running over a page
    break is two SourceTables. A "table" of one row or one column (a frame around the page, a boxed
    paragraph) or with a cell over 1000 characters is read as text.

    The page's characters and painted paths come from PDFium where the page allows it (same
    result, 2.5–3.5 times faster: pdfminer interprets content streams in Python), from pdfminer
    otherwise; ``benchmarks/audit_pdf_compare.py`` checks the two agree.
    """
    problems: list[str] = []
    out = _Builder(limits)
    inflated = _pdf_inflated_size(data, limits.max_decompressed_bytes)
    if inflated > limits.max_decompressed_bytes:
        msg = f"PDF文件的压缩内容解压后超过{_mb(limits.max_decompressed_bytes)}的上限，没有读取"
        return RawDocument(name=name, kind="pdf", text="", problems=(msg,))
    try:
        import pdfplumber
    except Exception as exc:  # pragma: no cover - installed with the project
        return _pdf_fallback(data, name, [f"无法解析PDF文件：{_detail(exc)}"], limits)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        return _pdf_fallback(data, name, [f"无法解析PDF文件：{_detail(exc)}"], limits)
    pages_read = 0
    pdoc = _pdfium_document(data) if USE_PDFIUM else None
    try:
        try:
            pages = pdf.pages
        except Exception as exc:
            pdf.close()
            return _pdf_fallback(data, name, [f"无法解析PDF文件：{_detail(exc)}"], limits)
        if len(pages) > limits.max_pages:
            problems.append(f"PDF共{len(pages)}页，超过{limits.max_pages}页的上限，只读取了前{limits.max_pages}页")
        for number, page in enumerate(pages[: limits.max_pages], start=1):
            if out.full:
                break
            try:
                if pdoc is not None:
                    _inject_pdfium_objects(page, pdoc, number - 1)
                _pdf_page(page, out)
                pages_read += 1
            except Exception as exc:
                problems.append(f"PDF第{number}页无法读取：{_detail(exc)}")
            finally:
                try:
                    page.close()
                except Exception:
                    pass
            out.blank()
    finally:
        try:
            pdf.close()
        except Exception:
            pass
        if pdoc is not None:
            try:
                pdoc.close()
            except Exception:
                pass
    text, tables = out.result()
    problems.extend(out.notes)
    if pages_read == 0 and not text.strip():
        return _pdf_fallback(data, name, problems or ["无法解析PDF文件：没有可读的页面"], limits)
    if not text.strip():
        problems.append("PDF中没有可提取的文字（可能是扫描件或图片，需要先做文字识别）")
    return RawDocument(name=name, kind="pdf", text=text, tables=tables, problems=tuple(problems))


_PDF_STREAM = re.compile(rb">>\s*stream\r?\n")
_PDF_DICT_START = re.compile(rb"\bobj\b|\bendstream\b")


def _pdf_inflated_size(data: bytes, limit: int) -> int:
    """How many bytes the PDF's Flate streams inflate to, counted up to just past ``limit``.

    pdfminer inflates a stream whole when it reads it, so a 1 MB PDF holding a stream that inflates
    to gigabytes would exhaust memory before anything is read; this is checked first, inflating
    in bounded steps. Image streams are not counted (their data is never decoded for the text) and
    a damaged stream counts what inflated before the damage.
    """
    total = 0
    for m in _PDF_STREAM.finditer(data):
        head = data[max(0, m.start() - 2000) : m.start()]
        cut = None
        for cut in _PDF_DICT_START.finditer(head):  # noqa: B007 - only the last match is wanted
            pass
        if cut is not None:
            head = head[cut.end() :]
        if b"/FlateDecode" not in head and b"/Fl " not in head and b"/Fl]" not in head:
            continue
        if re.search(rb"/Subtype\s*/Image", head):
            continue
        inflater = zlib.decompressobj()
        pos = m.end()
        while not inflater.eof and pos < len(data) and total <= limit:
            chunk = inflater.unconsumed_tail or data[pos : pos + 65536]
            if not inflater.unconsumed_tail:
                pos += 65536
            try:
                total += len(inflater.decompress(chunk, limit - total + 1))
            except zlib.error:
                break
        if total > limit:
            break
    return total


def _pdf_page(page: Any, out: _Builder) -> None:
    found_tables = _find_tables(page)
    chars = page.chars
    # each character's centre, computed once: a character belongs to the table box, the row and
    # the cell its centre lies in
    centred = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2, c) for c in chars]
    tables = []
    for found in found_tables:
        # Table.extract tests every character of the page against every row; a character in a
        # row lies in the table's box (the rows' union), so the others are left out first
        x0, top, x1, bottom = found.bbox
        inside = [t for t in centred if x0 <= t[0] < x1 and top <= t[1] < bottom]
        rows = [[_clean_cell(c) for c in row] for row in _extract_centred(found, inside)]
        # a frame around the page or a boxed paragraph is no table: its text stays text
        if len(rows) < 2 or max((len(r) for r in rows), default=0) < 2:
            continue
        if any(len(c) > 1000 for r in rows for c in r):
            continue
        tables.append((found.bbox, rows))
    tables.sort(key=lambda bt: (bt[0][1], bt[0][0]))
    boxes = [bbox for bbox, _ in tables]

    # the characters outside every table (centre not within a table's box), with their centre's y
    free: list[tuple[float, dict[str, Any]]] = []
    for cx, cy, c in centred:
        for x0, top, x1, bottom in boxes:
            if x0 <= cx <= x1 and top <= cy <= bottom:
                break
        else:
            free.append((cy, c))

    def band_text(y0: float, y1: float) -> str:
        return _page_text(page, [c for cy, c in free if y0 <= cy < y1])

    if not tables:
        _pdf_lines(_page_text(page, [c for _, c in free]), out)
        return
    y = float("-inf")
    for bbox, rows in tables:
        _pdf_lines(band_text(y, bbox[1]), out)
        out.table(_rectangular(rows))
        y = bbox[1]
    _pdf_lines(band_text(y, float("inf")), out)


def _extract(table: Any, chars: list[dict[str, Any]]) -> list[list[str | None]]:
    """pdfplumber's ``Table.extract()`` on a page holding only ``chars``: per row, the text of each
    cell (None where the row has no cell), from the characters whose centre lies in the cell."""
    return _extract_centred(table, [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2, c) for c in chars])


def _extract_centred(table: Any, centred: list[tuple[float, float, dict[str, Any]]]) -> list[list[str | None]]:
    """:func:`_extract` on the characters with their centres (x, y, char), each centre computed
    once instead of at every row and cell it is tested against; the cell text is pdfplumber's
    own ``extract_text`` (a single character's taken directly, as it makes it)."""
    from pdfplumber.utils.text import LIGATURES as ligatures
    from pdfplumber.utils.text import extract_text

    # the characters by their centre's y (NaN, which lies in no row, left out), so that a row's
    # are looked for among those of its height only, then taken in their order
    order = sorted((k for k, t in enumerate(centred) if t[1] == t[1]), key=lambda k: centred[k][1])
    ys = [centred[k][1] for k in order]
    out: list[list[str | None]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        near = order[bisect.bisect_left(ys, top) : bisect.bisect_left(ys, bottom)]
        near.sort()
        in_row = [t for t in (centred[k] for k in near) if x0 <= t[0] < x1 and top <= t[1] < bottom]
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            x0, top, x1, bottom = cell
            in_cell = [c for h, v, c in in_row if x0 <= h < x1 and top <= v < bottom]
            one = _one_char_text(in_cell[0]["text"], ligatures) if len(in_cell) == 1 else None
            if one is not None:  # most cells: one digit
                texts.append(one)
            elif not in_cell:
                texts.append("")
            else:
                text = _layout_text(in_cell, gather=True)
                texts.append(extract_text(in_cell) if text is None else text)
        out.append(texts)
    return out


def _one_char_text(text: str, ligatures: dict[str, str]) -> str | None:
    """What pdfplumber's ``extract_text`` makes of a single character whose text is ``text``
    (the word it forms, a ligature expanded: pdfplumber's ``LIGATURES``), without clustering
    lines and words; None where that is not plain (no text, or white space, which forms no word)."""
    if not text or text.isspace():
        return None
    return ligatures.get(text, text)


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


def _chars_only(page: Any, chars: list[dict[str, Any]]) -> Any:
    """The page holding only ``chars`` (pdfplumber's FilteredPage with its objects given, as its
    own dedupe_chars does): text layout and cell text as on the page, without filtering every
    object of the page again."""
    sub = page.filter(_keep_all)
    sub._objects = {"char": chars}
    return sub


def _page_text(page: Any, chars: list[dict[str, Any]]) -> str:
    """The text of the page holding only ``chars``, laid out as pdfplumber's ``extract_text()``."""
    text = _layout_text(chars, gather=False)
    if text is None:
        text = _chars_only(page, chars).extract_text()
    return text or ""


def _keep_all(obj: dict[str, Any]) -> bool:
    return True


def _pdf_lines(text: str, out: _Builder) -> None:
    for line in text.split("\n"):
        line = line.replace("\t", " ").rstrip()
        if line.strip():
            out.line(line)


def _pdf_fallback(data: bytes, name: str, problems: list[str], limits: ReaderLimits = DEFAULT_LIMITS) -> RawDocument:
    """A damaged PDF: pypdfium2 (PDFium repairs broken cross-references) for the plain text."""
    try:
        import pypdfium2 as pdfium
    except Exception:
        return RawDocument(name=name, kind="pdf", text="", problems=tuple(problems))
    pieces: list[str] = []
    try:
        doc = pdfium.PdfDocument(data)
        try:
            if len(doc) > limits.max_pages:
                problems = [
                    *problems,
                    f"PDF共{len(doc)}页，超过{limits.max_pages}页的上限，只读取了前{limits.max_pages}页",
                ]
            size = 0
            for i in range(min(len(doc), limits.max_pages)):
                if size > limits.max_text_chars:
                    break
                try:
                    page = doc[i]
                    textpage = page.get_textpage()
                    pieces.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
                    size += len(pieces[-1])
                    textpage.close()
                    page.close()
                except Exception:
                    continue
        finally:
            doc.close()
    except Exception:
        return RawDocument(name=name, kind="pdf", text="", problems=(*problems, "PDF文件已损坏，没有读出文字"))
    text = "\n\n".join(p.strip("\n") for p in pieces if p.strip()).replace("\x00", "")
    text = _strip_controls(text)
    if text.strip():
        note = "PDF文件已损坏，已用备用方法读出文字（表格结构已丢失）"
        return RawDocument(name=name, kind="pdf", text=text, problems=(*problems, note))
    return RawDocument(name=name, kind="pdf", text="", problems=(*problems, "PDF文件已损坏，没有读出文字"))


# -- the page's objects from PDFium ------------------------------------------------------------
#
# pdfminer (under pdfplumber) interprets every content stream in Python: about 30 ms a page, 90 %
# of a PDF's audit. PDFium does the same in C. Where a page is simple enough for the two to agree
# (no rotation, the MediaBox at the origin and equal to the CropBox, no Form XObjects, every
# character upright and unrotated), its characters and painted paths are taken from PDFium in the
# shape pdfplumber gives them (the same keys and coordinates, paths classified into line, rect and
# curve by pdfminer's own rules) and set as the pdfplumber page's objects, so the table finding and
# text layout run on them as on pdfminer's; any other page is parsed by pdfminer as before.

USE_PDFIUM = True  # False: every page through pdfminer (the comparison in benchmarks/audit_pdf_compare.py)
_SEG_LINE, _SEG_BEZIER, _SEG_MOVE = 0, 1, 2
_MAY_BE_GENERATED = frozenset({0x20, 0x0D, 0x0A})
_UNMAPPED = frozenset({0, 0xFFFE, 0xFFFF})  # and the surrogates: no character PDFium could map


class _NotSimple(Exception):
    """The page holds something the PDFium objects may not render as pdfminer does."""


def _pdfium_document(data: bytes) -> Any:
    try:
        import pypdfium2 as pdfium

        return pdfium.PdfDocument(data)
    except Exception:
        return None


def _inject_pdfium_objects(page: Any, pdoc: Any, index: int) -> bool:
    """Give pdfplumber's ``page`` its objects from PDFium's page ``index``; False (nothing set) if
    the page is not simple enough for the two to agree."""
    try:
        mediabox = tuple(float(v) for v in page.mediabox)
        if page.rotation or mediabox[:2] != (0.0, 0.0) or tuple(float(v) for v in page.cropbox) != mediabox:
            return False
        objects = _pdfium_objects(pdoc, index, mediabox[3], float(page.height), page.initial_doctop, page.page_number)
    except Exception:
        return False
    page._objects = objects  # pdfplumber's cache of the parsed objects: it parses nothing more
    return True


def _pdfium_objects(pdoc: Any, index: int, mb_height: float, height: float, doctop0: float, number: int) -> dict:
    import ctypes

    import pypdfium2.raw as R

    ppage = pdoc[index]
    textpage = None
    try:
        if abs(ppage.get_height() - mb_height) > 1e-3:
            raise _NotSimple
        raw = ppage.raw
        lines: list[dict[str, Any]] = []
        rects: list[dict[str, Any]] = []
        curves: list[dict[str, Any]] = []
        matrix = R.FS_MATRIX()
        fill = ctypes.c_int()
        stroke = ctypes.c_int()
        px = ctypes.c_float()
        py = ctypes.c_float()
        get_object, get_type, draw_mode, get_matrix = (
            R.FPDFPage_GetObject,
            R.FPDFPageObj_GetType,
            R.FPDFPath_GetDrawMode,
            R.FPDFPageObj_GetMatrix,
        )
        count_segments, get_segment, get_point, segment_type, segment_close = (
            R.FPDFPath_CountSegments,
            R.FPDFPath_GetPathSegment,
            R.FPDFPathSegment_GetPoint,
            R.FPDFPathSegment_GetType,
            R.FPDFPathSegment_GetClose,
        )
        out = (lines, rects, curves)
        for i in range(R.FPDFPage_CountObjects(raw)):
            obj = get_object(raw, i)
            kind = get_type(obj)
            if kind == R.FPDF_PAGEOBJ_FORM:
                raise _NotSimple  # objects inside a form need the form's matrix: pdfminer reads those pages
            if kind != R.FPDF_PAGEOBJ_PATH:
                continue
            if not draw_mode(obj, fill, stroke) or not get_matrix(obj, matrix):
                raise _NotSimple
            if fill.value == 0 and not stroke.value:
                continue  # not painted (a path ended with n): pdfminer makes no object of it
            a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
            path: list[tuple[str, tuple[float, float]]] = []
            start = (0.0, 0.0)
            bezier = 0
            for k in range(count_segments(obj)):
                seg = get_segment(obj, k)
                if not get_point(seg, px, py):
                    raise _NotSimple
                x, y = px.value, py.value
                pt = (a * x + c * y + e, b * x + d * y + f)
                kind = segment_type(seg)
                if kind == _SEG_MOVE:
                    path.append(("m", pt))
                    start = pt
                elif kind == _SEG_LINE:
                    path.append(("l", pt))
                elif kind == _SEG_BEZIER:
                    bezier += 1
                    if bezier % 3 == 0:  # PDFium gives a curve's two control points and its end as three segments
                        path.append(("c", pt))
                else:
                    raise _NotSimple
                if segment_close(seg):
                    path.append(("h", start))
            if len(path) == 2 and path[0][0] == "m" and path[1][0] == "l":  # a rule: most paths
                lines.append(
                    _line_object(path[0][1], path[1][1], bool(stroke.value), fill.value != 0, height, doctop0, number)
                )
            else:
                _paint_path(path, bool(stroke.value), fill.value != 0, out, height, doctop0, number)
        textpage = ppage.get_textpage()
        chars = _pdfium_chars(textpage.raw, height, doctop0, number)
    finally:
        if textpage is not None:
            textpage.close()
        ppage.close()
    return {"char": chars, "line": lines, "rect": rects, "curve": curves}


def _paint_path(
    path: list[tuple[str, tuple[float, float]]],
    stroke: bool,
    fill: bool,
    out: tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]],
    height: float,
    doctop0: float,
    number: int,
) -> None:
    """pdfminer's PDFLayoutAnalyzer.paint_path (one subpath per m; a line, an axis-aligned closed
    rectangle, or a curve through the points), then pdfplumber's object dict of each."""
    shape = "".join(op for op, _ in path)
    if shape[:1] != "m":
        return
    if shape.count("m") > 1:
        for m in re.finditer(r"m[^m]+", shape):
            _paint_path(path[m.start() : m.end()], stroke, fill, out, height, doctop0, number)
        return
    pts = [pt for _, pt in path]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    lines, rects, curves = out
    if shape in ("mlh", "ml"):
        lines.append(_path_object("line", [pts[0], pts[1]], stroke, fill, height, doctop0, number))
    elif shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        if pts[0] == pts[4] and (
            (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        ):
            corners = [(x0, y0), (x2, y0), (x2, y2), (x0, y2)]  # LTRect's points from its bbox (*pts[0], *pts[2])
            rects.append(_path_object("rect", corners, stroke, fill, height, doctop0, number))
        else:
            curves.append(_path_object("curve", pts, stroke, fill, height, doctop0, number))
    else:
        curves.append(_path_object("curve", pts, stroke, fill, height, doctop0, number))


def _path_object(
    kind: str, pts: list[tuple[float, float]], stroke: bool, fill: bool, height: float, doctop0: float, number: int
) -> dict[str, Any]:
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    top = height - y1
    return {
        "x0": x0,
        "y0": y0,
        "x1": x1,
        "y1": y1,
        "width": x1 - x0,
        "height": y1 - y0,
        "pts": [(x, height - y) for x, y in pts],
        "stroke": stroke,
        "fill": fill,
        "object_type": kind,
        "page_number": number,
        "top": top,
        "bottom": height - y0,
        "doctop": doctop0 + top,
    }


def _line_object(
    a: tuple[float, float], b: tuple[float, float], stroke: bool, fill: bool, height: float, doctop0: float, number: int
) -> dict[str, Any]:
    """:func:`_path_object` of a line from ``a`` to ``b``, without its lists (min and max as the
    builtins take them: the first unless the second is strictly beyond it)."""
    (ax, ay), (bx, by) = a, b
    x0 = bx if bx < ax else ax
    x1 = bx if bx > ax else ax
    y0 = by if by < ay else ay
    y1 = by if by > ay else ay
    top = height - y1
    return {
        "x0": x0,
        "y0": y0,
        "x1": x1,
        "y1": y1,
        "width": x1 - x0,
        "height": y1 - y0,
        "pts": [(ax, height - ay), (bx, height - by)],
        "stroke": stroke,
        "fill": fill,
        "object_type": "line",
        "page_number": number,
        "top": top,
        "bottom": height - y0,
        "doctop": doctop0 + top,
    }


def _has_surrogate(utf16: bytes) -> bool:
    """Whether UTF-16LE code units hold a surrogate (0xD800-0xDFFF), decided by the codec in C: a
    lone surrogate fails to decode, a pair decodes to fewer characters than code units."""
    try:
        return len(utf16.decode("utf-16-le")) != len(utf16) // 2
    except UnicodeDecodeError:
        return True


def _pdfium_chars(textpage: Any, height: float, doctop0: float, number: int) -> list[dict[str, Any]]:
    """The characters pdfminer would make, from PDFium's text page: the loose box (the glyph's
    advance across, the font's descent up) with pdfminer's height (the font size in page units).
    Characters PDFium generates (spaces and line breaks it infers) are left out.

    The text comes in one call for the page; the matrix and font size PDFium gives a character are
    its text object's (CPDF_TextPage sets them from the object), so they are asked once per text
    object, found by the object's address: two calls a character instead of four."""
    import ctypes

    import pypdfium2.raw as R

    box = R.FS_RECTF()
    matrix = R.FS_MATRIX()
    chars: list[dict[str, Any]] = []
    count = R.FPDFText_CountChars(textpage)
    if count <= 0:
        return chars
    # the page's characters in one call (one per index while none lies outside the BMP)
    buffer = (ctypes.c_ushort * (count + 1))()
    codes: list[int] | None = (
        list(buffer[:count]) if R.FPDFText_GetText(textpage, 0, count, buffer) == count + 1 else None
    )
    if codes is not None and _has_surrogate(ctypes.string_at(buffer, 2 * count)):
        codes = None
    if codes is None:
        codes = [R.FPDFText_GetUnicode(textpage, i) for i in range(count)]
    present = set(codes)
    if not present.isdisjoint(_UNMAPPED) or any(0xD800 <= c <= 0xDFFF for c in present):
        # an unmapped glyph (pdfminer names it (cid:N)); PDFium generates only spaces and line
        # breaks, so this holds for the characters it reads
        raise _NotSimple
    keep: Any = range(count)
    if not present.isdisjoint(_MAY_BE_GENERATED):  # PDFium generates only spaces and line breaks
        generated = set()
        for i, code in enumerate(codes):
            if code in _MAY_BE_GENERATED:
                flag = R.FPDFText_IsGenerated(textpage, i)
                if flag == 1:
                    generated.add(i)
                elif flag != 0:
                    raise _NotSimple
        if generated:
            keep = [i for i in keep if i not in generated]
    loose_box = R.FPDFText_GetLooseCharBox
    text_object = _text_object_address()
    page_address = ctypes.cast(textpage, ctypes.c_void_p).value
    sizes: dict[int, float] = {}  # text object's address -> the font size in page units
    for i in keep:
        if not loose_box(textpage, i, box):
            raise _NotSimple
        obj = text_object(page_address, i)
        size = sizes.get(obj)
        if size is None:
            if not R.FPDFText_GetMatrix(textpage, i, matrix):
                raise _NotSimple
            if matrix.b != 0 or matrix.c != 0 or matrix.a <= 0 or matrix.d <= 0:
                raise _NotSimple  # rotated, mirrored or skewed text
            size = R.FPDFText_GetFontSize(textpage, i) * matrix.d
            if obj is not None:
                sizes[obj] = size
        x0, x1, y0 = box.left, box.right, box.bottom
        y1 = y0 + size
        top = height - y1
        chars.append(
            {
                "text": chr(codes[i]),
                "x0": x0,
                "y0": y0,
                "x1": x1,
                "y1": y1,
                "width": x1 - x0,
                "height": size,
                "size": size,
                "upright": True,
                "object_type": "char",
                "page_number": number,
                "top": top,
                "bottom": height - y0,
                "doctop": doctop0 + top,
            }
        )
    return chars


_TEXT_OBJECT: list[Any] = []


def _text_object_address() -> Any:
    """``FPDFText_GetTextObject`` giving the object's address as an int (None for none), to key a
    dict: pypdfium2's binding returns a new ctypes pointer object each call."""
    if not _TEXT_OBJECT:
        import ctypes

        import pypdfium2.raw as R

        proto = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
        fn = proto(ctypes.cast(R.FPDFText_GetTextObject, ctypes.c_void_p).value)
        _TEXT_OBJECT.append(fn)
    return _TEXT_OBJECT[0]


# -- pdfplumber's text layout, for upright characters ------------------------------------------
#
# pdfplumber lays text out in three passes over dicts (lines of characters clustered by their
# top, words split at spaces and gaps, lines of words clustered again), through generic code for
# every direction and option; this is the same computation for its defaults on upright text, the
# same comparisons in the same order, on the values it compares. tests/unit/audit/test_pdf_layout.py
# checks it against pdfplumber on a generated report's pages and on random characters.

_TOLERANCE = 3  # pdfplumber's DEFAULT_X_TOLERANCE and DEFAULT_Y_TOLERANCE
_X0 = operator.itemgetter("x0")


def _clusters(values: list[float]) -> dict[float, int]:
    """pdfplumber's ``make_cluster_dict``: each distinct value to the index of its cluster, the
    sorted values cut where one lies more than the tolerance above the one before."""
    index: dict[float, int] = {}
    n = -1
    last = 0.0
    for v in sorted(set(values)):
        if n < 0 or not v <= last + _TOLERANCE:
            n += 1
        index[v] = n
        last = v
    return index


def _layout_text(chars: list[dict[str, Any]], *, gather: bool) -> str | None:
    """The text pdfplumber lays out of ``chars`` with its default settings: ``gather`` False is a
    page's ``extract_text()`` (lines of words in the order met), True is
    ``pdfplumber.utils.extract_text`` (a cell's text: the words of a line gathered wherever they
    come). None where the characters are not all upright with a text (pdfplumber's own code is then
    used)."""
    from pdfplumber.utils.text import LIGATURES

    if not chars:
        return ""
    tops = [c["top"] for c in chars]
    line_of = _clusters(tops)
    lines: list[list[dict[str, Any]]] = [[] for _ in range(len(set(line_of.values())))]
    for c, top in zip(chars, tops):
        if c["upright"] is not True or not c["text"] or top != top:  # NaN: pdfplumber's own way
            return None
        lines[line_of[top]].append(c)
    words: list[tuple[float, str]] = []  # (top, text), in pdfplumber's order
    for line in lines:
        line.sort(key=_X0)
        word: list[dict[str, Any]] = []
        for c in line:
            text = c["text"]
            if text.isspace():
                if word:
                    words.append(_word(word, LIGATURES))
                    word = []
                continue
            if word:
                prev = word[-1]
                x0 = c["x0"]
                if x0 < prev["x0"] or x0 > prev["x1"] + _TOLERANCE or abs(c["top"] - prev["top"]) > _TOLERANCE:
                    words.append(_word(word, LIGATURES))
                    word = []
            word.append(c)
        if word:
            words.append(_word(word, LIGATURES))
    if not words:
        return ""
    row_of = _clusters([top for top, _ in words])
    if gather:
        rows: list[list[str]] = [[] for _ in range(len(set(row_of.values())))]
        for top, text in words:
            rows[row_of[top]].append(text)
        return "\n".join(" ".join(r) for r in rows)
    out: list[list[str]] = []
    last = -1
    for top, text in words:
        row = row_of[top]
        if row != last:
            out.append([])
            last = row
        out[-1].append(text)
    return "\n".join(" ".join(r) for r in out)


def _word(chars: list[dict[str, Any]], ligatures: dict[str, str]) -> tuple[float, str]:
    return min(c["top"] for c in chars), "".join(ligatures.get(c["text"], c["text"]) for c in chars)
