"""PDF: text outside the tables in reading order with each ruled table in its place (pdfplumber; pypdfium2 as fallback)."""

from __future__ import annotations

import io
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
    tables = []
    for found in page.find_tables():
        rows = [[_clean_cell(c) for c in row] for row in found.extract()]
        # a frame around the page or a boxed paragraph is no table: its text stays text
        if len(rows) < 2 or max((len(r) for r in rows), default=0) < 2:
            continue
        if any(len(c) > 1000 for r in rows for c in r):
            continue
        tables.append((found.bbox, rows))
    tables.sort(key=lambda bt: (bt[0][1], bt[0][0]))
    boxes = [bbox for bbox, _ in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if "x0" not in obj or "top" not in obj:
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    def band_text(y0: float, y1: float) -> str:
        def keep(obj: dict[str, Any]) -> bool:
            if not outside(obj):
                return False
            if "top" not in obj:
                return True
            cy = (obj["top"] + obj["bottom"]) / 2
            return y0 <= cy < y1

        return page.filter(keep).extract_text() or ""

    if not tables:
        _pdf_lines(page.filter(outside).extract_text() or "", out)
        return
    y = float("-inf")
    for bbox, rows in tables:
        _pdf_lines(band_text(y, bbox[1]), out)
        out.table(_rectangular(rows))
        y = bbox[1]
    _pdf_lines(band_text(y, float("inf")), out)


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
