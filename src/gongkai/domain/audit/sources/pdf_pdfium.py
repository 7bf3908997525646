"""The characters and painted paths of a PDF page from PDFium, in the shape pdfplumber gives them.

See the comments below for when a page is read this way and why; :mod:`.pdf` calls
:func:`_pdfium_pages` for a document PDFium reads alone (the page boxes from :class:`BoxScan`),
and otherwise :func:`_inject_pdfium_objects` for each page pdfminer (through pdfplumber) opened.
"""

from __future__ import annotations

import re
import struct
from typing import Any

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
PDFIUM_ALONE = True  # False: pdfminer opens every document, for its page boxes (the tests compare the two)
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


# -- the page boxes without pdfminer -----------------------------------------------------------
#
# pdfminer (through pdfplumber) opens the document only for the page boxes where PDFium reads
# every page, and that costs ~5.5 ms a report: it parses the whole object stream holding the
# catalog, font widths and all. PDFium gives a page's box only in single precision, which does not
# keep what producers write (WeasyPrint: 595.275591 841.889764, nine digits), and every coordinate
# is measured from the box. So the boxes are read from the file's own text: the /MediaBox and
# /CropBox arrays of the file and of its object streams (inflated anyway, by the check of the
# inflated size), each page given the one array whose single-precision value is PDFium's box for
# it. Whatever could hide or change a box from this scan (an object stream not inflated, a box
# given by reference, an escaped key name, a rotation, a crop box unlike the media box, two arrays
# fitting one page) sends the document through pdfminer as before.

_BOX_KEY = re.compile(rb"/(MediaBox|CropBox)\s*(\[[^\]]{0,200}\])?")
_ROTATE_KEY = re.compile(rb"/Rotate(?![A-Za-z0-9#])\s*([^\s/>\]]{0,12})")
_ESCAPED_NAME = re.compile(rb"/[A-Za-z0-9#]{0,40}#[0-9A-Fa-f]{2}[A-Za-z0-9#]{0,40}")
_NUMBER = re.compile(rb"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
_KEYS = frozenset({b"MediaBox", b"CropBox", b"Rotate"})


class BoxScan:
    """The page boxes written in a PDF's text (see the comment above): fed the file's bytes and
    each inflated object stream; ``unsure`` once anything could hide a box from it."""

    def __init__(self) -> None:
        self.media: set[tuple[float, ...]] = set()
        self.crop: set[tuple[float, ...]] = set()
        self.unsure = False

    def feed(self, text: bytes) -> None:
        if self.unsure:
            return
        for m in _BOX_KEY.finditer(text):
            array = m.group(2)
            numbers = array[1:-1].split() if array is not None else []
            if len(numbers) != 4 or not all(_NUMBER.fullmatch(n) for n in numbers):
                self.unsure = True  # a box by reference, or not four plain numbers
                return
            # the values pdfminer parses: an int without a point, a float with one
            box = tuple(float(n) if b"." in n else int(n) for n in numbers)
            (self.media if m.group(1) == b"MediaBox" else self.crop).add(box)
        for m in _ROTATE_KEY.finditer(text):
            if m.group(1) != b"0":
                self.unsure = True
                return
        if b"#" in text:
            for m in _ESCAPED_NAME.finditer(text):
                name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda e: bytes([int(e.group(1), 16)]), m.group()[1:])
                if name in _KEYS:
                    self.unsure = True
                    return


def _single(v: float) -> float:
    return struct.unpack("f", struct.pack("f", v))[0]


def _page_box(scan: BoxScan, left: float, bottom: float, right: float, top: float) -> tuple[Any, ...] | None:
    """pdfplumber's (mediabox, height) of a page whose box PDFium gives as ``left`` ... ``top``:
    the one media box of the scan rounding to it, None if none or several do or a crop box is
    unlike it."""
    from pdfplumber.page import _invert_box, _normalize_box

    found = []
    for box in scan.media:
        x0, y0, x1, y1 = _normalize_box(box)
        if (_single(x0), _single(y0), _single(x1), _single(y1)) == (left, bottom, right, top):
            found.append(box)
    if len(found) != 1 or (scan.crop and len(scan.media) != 1):
        return None
    raw = _normalize_box(found[0])
    mb_height = raw[3] - raw[1]
    mediabox = _invert_box(raw, mb_height)
    for crop in scan.crop:
        if _invert_box(_normalize_box(crop), mb_height) != mediabox:
            return None
    return mediabox, mediabox[3] - mediabox[1]


def _alone_possible(pdoc: Any, scan: BoxScan, max_pages: int) -> bool:
    """Whether :func:`_pdfium_pages` may read the document without pdfminer: the scan found the
    boxes and nothing to hide one, PDFium did not repair the cross-references (pdfminer might not
    open the file: the damaged-file reading follows then), the file is not encrypted and has
    pages, no more than ``max_pages``."""
    import pypdfium2.raw as R

    raw = pdoc.raw
    return (
        not scan.unsure
        and bool(scan.media)
        and 0 < len(pdoc) <= max_pages
        and bool(R.FPDF_DocumentHasValidCrossReferenceTable(raw))
        and R.FPDF_GetSecurityHandlerRevision(raw) == -1
    )


def _pdfium_pages(pdoc: Any, scan: BoxScan) -> Any:
    """Each page's objects (as :func:`_pdfium_objects` gives them) from PDFium alone, with the boxes
    of ``scan``, page by page; raises _NotSimple at a page pdfminer must read (rotated, not at the
    origin, a box the scan does not know exactly, or holding what PDFium may not render as
    pdfminer does)."""
    import pypdfium2.raw as R

    rect = R.FS_RECTF()
    doctop: Any = 0  # pdfplumber's sum of the heights of the pages before, in its types
    for index in range(len(pdoc)):
        ppage = R.FPDF_LoadPage(pdoc.raw, index)
        if not ppage:
            raise _NotSimple
        try:
            if R.FPDFPage_GetRotation(ppage) != 0 or not R.FPDF_GetPageBoundingBox(ppage, rect):
                raise _NotSimple
            found = _page_box(scan, rect.left, rect.bottom, rect.right, rect.top)
            if found is None:
                raise _NotSimple
            mediabox, height = found
            if tuple(float(v) for v in mediabox)[:2] != (0.0, 0.0):
                raise _NotSimple
            objects = _page_objects(ppage, float(mediabox[3]), float(height), doctop, index + 1)
        finally:
            R.FPDF_ClosePage(ppage)
        yield objects
        doctop += height


def _pdfium_objects(pdoc: Any, index: int, mb_height: float, height: float, doctop0: float, number: int) -> dict:
    import pypdfium2.raw as R

    ppage = R.FPDF_LoadPage(pdoc.raw, index)
    if not ppage:
        raise _NotSimple
    try:
        return _page_objects(ppage, mb_height, height, doctop0, number)
    finally:
        R.FPDF_ClosePage(ppage)


def _page_objects(ppage: Any, mb_height: float, height: float, doctop0: float, number: int) -> dict:
    """The objects of PDFium's page ``ppage`` (its raw handle: pypdfium2's page and text page
    objects cost more than the calls they wrap) as pdfplumber's: chars, lines, rects and curves."""
    import ctypes

    import pypdfium2.raw as R

    textpage = None
    try:
        if abs(R.FPDF_GetPageHeightF(ppage) - mb_height) > 1e-3:
            raise _NotSimple
        raw = ctypes.cast(ppage, ctypes.c_void_p)
        lines: list[dict[str, Any]] = []
        rects: list[dict[str, Any]] = []
        curves: list[dict[str, Any]] = []
        matrix = R.FS_MATRIX()
        fill = ctypes.c_int()
        stroke = ctypes.c_int()
        px = ctypes.c_float()
        py = ctypes.c_float()
        matrix_at, fill_at, stroke_at, px_at, py_at = (ctypes.byref(v) for v in (matrix, fill, stroke, px, py))
        fast = _fast()
        get_object, get_type, draw_mode, get_matrix = (
            fast.FPDFPage_GetObject,
            fast.FPDFPageObj_GetType,
            fast.FPDFPath_GetDrawMode,
            fast.FPDFPageObj_GetMatrix,
        )
        count_segments, get_segment, get_point, segment_type, segment_close = (
            fast.FPDFPath_CountSegments,
            fast.FPDFPath_GetPathSegment,
            fast.FPDFPathSegment_GetPoint,
            fast.FPDFPathSegment_GetType,
            fast.FPDFPathSegment_GetClose,
        )
        form, path_kind = R.FPDF_PAGEOBJ_FORM, R.FPDF_PAGEOBJ_PATH
        out = (lines, rects, curves)
        for i in range(fast.FPDFPage_CountObjects(raw)):
            obj = get_object(raw, i)
            kind = get_type(obj)
            if kind == form:
                raise _NotSimple  # objects inside a form need the form's matrix: pdfminer reads those pages
            if kind != path_kind:
                continue
            if not draw_mode(obj, fill_at, stroke_at) or not get_matrix(obj, matrix_at):
                raise _NotSimple
            if fill.value == 0 and not stroke.value:
                continue  # not painted (a path ended with n): pdfminer makes no object of it
            a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
            path: list[tuple[str, tuple[float, float]]] = []
            start = (0.0, 0.0)
            bezier = 0
            for k in range(count_segments(obj)):
                seg = get_segment(obj, k)
                if not get_point(seg, px_at, py_at):
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
        loaded = R.FPDFText_LoadPage(ppage)
        if not loaded:
            raise _NotSimple
        textpage = loaded
        chars = _pdfium_chars(textpage, height, doctop0, number)
    finally:
        if textpage is not None:
            R.FPDFText_ClosePage(textpage)
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
    flipped = [(x, height - y) for x, y in pts]
    return _shape(kind, min(xs), min(ys), max(xs), max(ys), flipped, stroke, fill, height, doctop0, number)


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
    flipped = [(ax, height - ay), (bx, height - by)]
    return _shape("line", x0, y0, x1, y1, flipped, stroke, fill, height, doctop0, number)


def _shape(
    kind: str,
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    pts: list[tuple[float, float]],
    stroke: bool,
    fill: bool,
    height: float,
    doctop0: float,
    number: int,
) -> dict[str, Any]:
    """A painted path as pdfplumber's object dict: its box in PDF and in page coordinates."""
    top = height - y1
    return {
        "x0": x0,
        "y0": y0,
        "x1": x1,
        "y1": y1,
        "width": x1 - x0,
        "height": y1 - y0,
        "pts": pts,
        "stroke": stroke,
        "fill": fill,
        "object_type": kind,
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
    fast = _fast()
    loose_box, text_object = fast.FPDFText_GetLooseCharBox, fast.FPDFText_GetTextObject
    page_address = ctypes.cast(textpage, ctypes.c_void_p)
    box_at = ctypes.byref(box)
    sizes: dict[int, float] = {}  # text object's address -> the font size in page units
    for i in keep:
        if not loose_box(page_address, i, box_at):
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


_FAST: list[Any] = []


def _fast() -> Any:
    """The PDFium functions called for every character, path and path segment, bound without
    argument types: each pointer is passed as a ctypes object made once (the page, the out-values)
    or as PDFium returned it (objects and segments, as ``_Pointer``: a subclass of c_void_p is
    returned as it is), an index as a C int. pypdfium2's bindings check and convert every argument
    at each call, a third of a call's cost. ``FPDFText_GetTextObject`` gives the object's address
    as an int (None for none), which keys a dict."""
    if not _FAST:
        import ctypes
        import types

        import pypdfium2.raw as R

        class _Pointer(ctypes.c_void_p):
            pass

        returns = {
            "FPDFPage_CountObjects": ctypes.c_int,
            "FPDFPage_GetObject": _Pointer,
            "FPDFPageObj_GetType": ctypes.c_int,
            "FPDFPath_GetDrawMode": ctypes.c_int,
            "FPDFPageObj_GetMatrix": ctypes.c_int,
            "FPDFPath_CountSegments": ctypes.c_int,
            "FPDFPath_GetPathSegment": _Pointer,
            "FPDFPathSegment_GetPoint": ctypes.c_int,
            "FPDFPathSegment_GetType": ctypes.c_int,
            "FPDFPathSegment_GetClose": ctypes.c_int,
            "FPDFText_GetLooseCharBox": ctypes.c_int,
            "FPDFText_GetTextObject": ctypes.c_void_p,
        }
        fns = {}
        for name, restype in returns.items():
            fn = ctypes.CFUNCTYPE(restype)(ctypes.cast(getattr(R, name), ctypes.c_void_p).value)
            fn.argtypes = None  # any arguments, passed as they are (see above)
            fns[name] = fn
        _FAST.append(types.SimpleNamespace(**fns))
    return _FAST[0]
