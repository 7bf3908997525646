"""PDF: text outside the tables in reading order with each ruled table in its place.

The tables are found and the text laid out as pdfplumber does with its default settings; the
characters and ruling lines this works on come from PDFium (pypdfium2) wherever a page is simple
enough for PDFium and pdfminer to agree, and from pdfminer otherwise (:mod:`.pdf_pdfium`). Where
PDFium reads every page and the page boxes are found exactly in the file's own text, pdfminer does
not open the document at all (:func:`_read_pdf_pdfium`). PDFium also reads the text of damaged
files pdfminer cannot open.

For speed, the steps pdfplumber runs through generic code over dicts copied at every step are done
on the values they compare, with the same comparisons in the same order: the table edges, their
crossings, the cells and the tables (:mod:`.pdf_tables`), and the text layout of upright characters
(:mod:`.pdf_layout`); tests/unit/audit/test_pdf_layout.py and test_pdf_pdfium.py check each against
pdfplumber's own on generated reports and random input, and ``benchmarks/audit_pdf_compare.py``
compares the reader of two commits.
"""

from __future__ import annotations

import bisect
import io
import re
import zlib
from typing import Any

from gongkai.domain.audit.limits import DEFAULT_LIMITS, ReaderLimits
from gongkai.domain.audit.model import RawDocument
from gongkai.domain.audit.sources import pdf_pdfium
from gongkai.domain.audit.sources.build import _Builder, _clean_cell, _rectangular
from gongkai.domain.audit.sources.common import _detail, _mb
from gongkai.domain.audit.sources.decode import _strip_controls
from gongkai.domain.audit.sources.pdf_layout import _layout_text
from gongkai.domain.audit.sources.pdf_tables import _find_tables


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
    otherwise; ``benchmarks/audit_pdf_compare.py`` checks the two agree. A document PDFium reads
    every page of is read without pdfminer where :func:`_read_pdf_pdfium` can, with the same result.
    """
    problems: list[str] = []
    out = _Builder(limits)
    scan = pdf_pdfium.BoxScan()
    inflated = _pdf_inflated_size(data, limits.max_decompressed_bytes, scan)
    if inflated > limits.max_decompressed_bytes:
        msg = f"PDF文件的压缩内容解压后超过{_mb(limits.max_decompressed_bytes)}的上限，没有读取"
        return RawDocument(name=name, kind="pdf", text="", problems=(msg,))
    if pdf_pdfium.USE_PDFIUM and pdf_pdfium.PDFIUM_ALONE:
        alone = _read_pdf_pdfium(data, name, limits, scan)
        if alone is not None:
            return alone
    try:
        import pdfplumber
    except Exception as exc:  # pragma: no cover - installed with the project
        return _pdf_fallback(data, name, [f"无法解析PDF文件：{_detail(exc)}"], limits)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        return _pdf_fallback(data, name, [f"无法解析PDF文件：{_detail(exc)}"], limits)
    pages_read = 0
    pdoc = pdf_pdfium._pdfium_document(data) if pdf_pdfium.USE_PDFIUM else None
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
                    pdf_pdfium._inject_pdfium_objects(page, pdoc, number - 1)
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


def _read_pdf_pdfium(data: bytes, name: str, limits: ReaderLimits, scan: pdf_pdfium.BoxScan) -> RawDocument | None:
    """:func:`_read_pdf` of a document PDFium reads every page of, without pdfminer (the page boxes
    from ``scan``: see :mod:`.pdf_pdfium`); None where it cannot be read so, or anything turns out
    otherwise than on the way through pdfminer (a page's error, the text limit reached before the
    last page, a page needing pdfplumber's own layout): the caller then reads it that way."""
    pdoc = pdf_pdfium._pdfium_document(data)
    if pdoc is None:
        return None
    out = _Builder(limits)
    try:
        if not pdf_pdfium._alone_possible(pdoc, scan, limits.max_pages):
            return None
        for objects in pdf_pdfium._pdfium_pages(pdoc, scan):
            if out.full:
                return None
            _pdf_page(_PdfiumPage(objects), out)
            out.blank()
    except Exception:
        return None
    finally:
        try:
            pdoc.close()
        except Exception:
            pass
    text, tables = out.result()
    problems = list(out.notes)
    if not text.strip():
        problems.append("PDF中没有可提取的文字（可能是扫描件或图片，需要先做文字识别）")
    return RawDocument(name=name, kind="pdf", text=text, tables=tables, problems=tuple(problems))


class _PdfiumPage:
    """What :func:`_pdf_page` takes of a pdfplumber page, for a page read from PDFium alone: its
    objects. pdfplumber's own text layout (for characters :mod:`.pdf_layout` leaves to it) needs
    the pdfplumber page: the document is then read through pdfminer."""

    def __init__(self, objects: dict[str, list[dict[str, Any]]]) -> None:
        self.objects = objects
        self.chars = objects["char"]

    def filter(self, test: Any) -> Any:
        raise pdf_pdfium._NotSimple


_PDF_STREAM = re.compile(rb">>\s*stream\r?\n")
_PDF_DICT_START = re.compile(rb"\bobj\b|\bendstream\b")


def _pdf_inflated_size(data: bytes, limit: int, scan: pdf_pdfium.BoxScan | None = None) -> int:
    """How many bytes the PDF's Flate streams inflate to, counted up to just past ``limit``.

    pdfminer inflates a stream whole when it reads it, so a 1 MB PDF holding a stream that inflates
    to gigabytes would exhaust memory before anything is read; this is checked first, inflating
    in bounded steps. Image streams are not counted (their data is never decoded for the text) and
    a damaged stream counts what inflated before the damage.

    ``scan`` (if given) is fed the file's bytes and each object stream inflated: the page boxes
    written in them (:class:`.pdf_pdfium.BoxScan`); an object stream it cannot see into (another
    filter, a predictor, damage, one the stream pattern missed) makes it unsure.
    """
    total = 0
    object_streams = 0
    for m in _PDF_STREAM.finditer(data):
        head = data[max(0, m.start() - 2000) : m.start()]
        cut = None
        for cut in _PDF_DICT_START.finditer(head):  # noqa: B007 - only the last match is wanted
            pass
        if cut is not None:
            head = head[cut.end() :]
        pieces: list[bytes] | None = None
        if scan is not None and b"/ObjStm" in head:
            object_streams += 1
            if b"/DecodeParms" in head or b"/DP" in head:
                scan.unsure = True
            else:
                pieces = []
        if b"/FlateDecode" not in head and b"/Fl " not in head and b"/Fl]" not in head:
            if pieces is not None and scan is not None:
                scan.unsure = True
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
                piece = inflater.decompress(chunk, limit - total + 1)
            except zlib.error:
                break
            total += len(piece)
            if pieces is not None:
                pieces.append(piece)
        if pieces is not None and scan is not None:
            if inflater.eof:
                scan.feed(b"".join(pieces))
            else:
                scan.unsure = True
        if total > limit:
            break
    if scan is not None:
        if data.count(b"/ObjStm") != object_streams:
            scan.unsure = True
        scan.feed(data)
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
