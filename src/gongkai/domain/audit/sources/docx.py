"""Word .docx: paragraphs and tables in body order (python-docx), and the salvage of damaged zips."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from html import unescape as _html_unescape
from typing import Any

from gongkai.domain.audit.limits import DEFAULT_LIMITS, ReaderLimits
from gongkai.domain.audit.model import RawDocument
from gongkai.domain.audit.sources.build import _W_PARAGRAPH_END, _W_TEXT, _Builder, _rectangular
from gongkai.domain.audit.sources.common import _MAX_COLSPAN, _detail, _mb
from gongkai.domain.audit.sources.docx_stream import read_body_streamed
from gongkai.domain.audit.sources.html import _span

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _read_docx(data: bytes, name: str, limits: ReaderLimits = DEFAULT_LIMITS) -> RawDocument:
    """Word: paragraphs and tables in body order (the body's XML children, content controls opened).

    Paragraph text is read from every ``w:t`` below the paragraph (runs inside hyperlinks, tracked
    insertions, smart tags, fields and text boxes too; python-docx's ``Paragraph.text`` only sees
    direct runs and hyperlinks), skipping ``mc:Fallback`` copies. Tables come from python-docx's
    grid (``row.cells``), a merged cell's repeated ``_tc`` kept once.

    The zip's directory is checked before any part is inflated (python-docx loads every part):
    too many parts or too many bytes once inflated and nothing is read. A table whose grid (its
    spans, ``w:gridBefore``/``w:gridAfter`` included) is wider or longer than the limits is read
    straight from the XML with the spans capped, never through python-docx's ``row.cells``,
    which makes one object per grid column a span claims.

    The body is read as it is parsed (:mod:`.docx_stream`): python-docx opens the package as
    always, but ``word/document.xml`` is parsed in pieces, each paragraph and table read and
    dropped once complete, and parsing stops at the text limit, so a document of millions of
    paragraphs is never held or parsed whole. Whatever that reading does not recognise as a
    normal document (an XML error before the limit, a root that is not ``w:document``, a
    macro or template content type) is read the previous way, by python-docx whole, so that it
    fails, or is salvaged, exactly as before.
    """
    too_large = _docx_too_large(data, limits)
    if too_large:
        return RawDocument(name=name, kind="docx", text="", problems=(too_large,))
    streamed = read_body_streamed(data, limits, _docx_reader)
    if streamed is not None:
        out, problems = streamed
        return _docx_result(out, problems, name)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception as exc:
        return _docx_salvage(data, name, f"无法解析Word文件：{_detail(exc)}", limits)
    if body is None:
        return RawDocument(name=name, kind="docx", text="", problems=("Word文件中没有正文（w:body）",))
    out = _Builder(limits)
    problems = _docx_body(body, out, _xml_text, lambda tbl: _docx_table_grid(tbl, out))
    return _docx_result(out, problems, name)


def _docx_reader(out: _Builder, problems: list[str]) -> Callable[[Any, str], None]:
    """What reads one body-level element into ``out`` (for :func:`read_body_streamed`)."""

    def table_grid(tbl: Any) -> tuple[tuple[str, ...], ...]:
        return _docx_table_grid(tbl, out)

    return lambda el, tag: _docx_item(el, tag, out, _xml_text, table_grid, problems)


def _docx_result(out: _Builder, problems: list[str], name: str) -> RawDocument:
    text, tables = out.result()
    problems.extend(out.notes)
    if not text.strip():
        problems.append("Word文件中没有可读的文字")
    return RawDocument(name=name, kind="docx", text=text, tables=tables, problems=tuple(problems))


def _docx_table_grid(tbl: Any, out: _Builder) -> tuple[tuple[str, ...], ...]:
    """A table's grid: python-docx's when within the limits, else straight from the XML, capped
    (and a note in ``out`` once)."""
    limits = out.limits
    if not _docx_grid_fits(tbl, limits):
        note = (
            f"Word表格超过{limits.max_table_rows}行、{limits.max_table_columns}列或{limits.max_table_cells}个单元格的上限"
            "（含合并单元格所跨的列），超出的部分没有读取"
        )
        if note not in out.notes:
            out.notes.append(note)
        return _docx_grid_xml(tbl, limits)
    try:
        from docx.table import Table

        # the parent (python-docx's Document) is only asked for the part, which the grid never needs
        return _docx_grid(Table(tbl, None))  # type: ignore[arg-type]
    except Exception:
        return _docx_grid_xml(tbl, limits)


def _docx_too_large(data: bytes, limits: ReaderLimits) -> str | None:
    """Why a zip-based file is not read at all, from its directory alone (no part inflated).

    The sizes are those the directory declares; ``zipfile`` never inflates a part beyond its
    declared size (it stops there and the CRC check fails), so a lying directory gains nothing.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except Exception:
        return None
    if len(infos) > limits.max_parts:
        return f"Word文件由{len(infos)}个部分组成，超过{limits.max_parts}个的上限，没有读取"
    total = sum(i.file_size for i in infos)
    if total > limits.max_decompressed_bytes:
        return f"Word文件解压后共{_mb(total)}，超过{_mb(limits.max_decompressed_bytes)}的上限，没有读取"
    return None


_DOCX_CONTAINERS = frozenset((f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"))
_P, _TBL = f"{_W}p", f"{_W}tbl"


def _docx_body(
    body: Any,
    out: _Builder,
    paragraph_text: Callable[[Any], str],
    table_grid: Callable[[Any], tuple[tuple[str, ...], ...]],
) -> list[str]:
    """Walk the body's children in order: a paragraph is a line, a table a grid; problems back."""
    problems: list[str] = []
    # iterators, not lists, of children: a body of a million paragraphs is read only up to the text
    # limit, and no element past it is ever made into a Python object
    stack: list[Any] = [iter(body)]
    while stack and not out.full:  # past the text limit nothing more is kept: stop reading
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _DOCX_CONTAINERS:
            stack.append(iter(child))
        else:
            _docx_item(child, tag, out, paragraph_text, table_grid, problems)
    return list(dict.fromkeys(problems))


def _docx_item(
    child: Any,
    tag: str,
    out: _Builder,
    paragraph_text: Callable[[Any], str],
    table_grid: Callable[[Any], tuple[tuple[str, ...], ...]],
    problems: list[str],
) -> None:
    """One child of the body (or of a content control in it): a paragraph's lines or a table's
    grid into ``out``; anything else is not read. What fails is a problem, the rest still read."""
    try:
        if tag == _P:
            for line in paragraph_text(child).replace("\r", "\n").split("\n"):
                line = line.rstrip()
                if line.strip():
                    out.line(line)
                else:
                    out.blank()
        elif tag == _TBL:
            grid = table_grid(child)
            out.blank()
            out.table(grid)
            out.blank()
    except Exception as exc:
        problems.append(f"Word文件部分内容无法读取：{_detail(exc)}")


def _docx_grid(table: Any) -> tuple[tuple[str, ...], ...]:
    """python-docx repeats a merged cell's object: keep its text at its first grid position only.

    Only for tables :func:`_docx_grid_fits` found within the limits."""
    seen: set[Any] = set()
    rows: list[list[str]] = []
    for row in table.rows:
        values: list[str] = [""] * (row.grid_cols_before or 0)
        for cell in row.cells:
            tc = cell._tc
            if tc in seen:
                values.append("")
            else:
                seen.add(tc)
                values.append(_tc_text(tc))
        values.extend([""] * (row.grid_cols_after or 0))
        rows.append(values)
    return _rectangular(rows)


def _docx_grid_fits(tbl: Any, limits: ReaderLimits) -> bool:
    """Whether a table's grid, as its XML claims it, is within the limits (read before
    python-docx expands anything): rows, and per row the grid columns of its spans plus
    ``w:gridBefore``/``w:gridAfter``."""
    rows = cells = 0
    for tr in tbl.iterchildren(f"{_W}tr"):
        rows += 1
        if rows > limits.max_table_rows:
            return False
        width = sum(_grid_before_after(tr, limits.max_table_columns + 1))
        for tc in tr.iterchildren(f"{_W}tc"):
            gs = tc.find(f"{_W}tcPr/{_W}gridSpan")
            width += 1 if gs is None else _span(gs.get(f"{_W}val"), limits.max_table_columns + 1)
            if width > limits.max_table_columns:
                return False
        cells += width
        if cells > limits.max_table_cells:
            return False
    return True


def _docx_grid_xml(tbl: Any, limits: ReaderLimits = DEFAULT_LIMITS) -> tuple[tuple[str, ...], ...]:
    """The same grid read straight from the XML (gridSpan, vMerge), for tables python-docx rejects
    and tables beyond the limits: at most one row and one column past them (the builder cuts)."""
    rows: list[list[str]] = []
    max_cols = limits.max_table_columns + 1
    for tr in tbl.iter(f"{_W}tr"):
        if tr.getparent() is not tbl:
            continue
        if len(rows) > limits.max_table_rows:
            break
        values: list[str] = []
        before, after = _grid_before_after(tr, max_cols)
        values.extend([""] * before)
        for tc in tr.iter(f"{_W}tc"):
            if tc.getparent() is not tr:
                continue
            if len(values) >= max_cols:
                break
            span = 1
            merge_continue = False
            pr = tc.find(f"{_W}tcPr")
            if pr is not None:
                gs = pr.find(f"{_W}gridSpan")
                if gs is not None:
                    span = max(1, min(_MAX_COLSPAN, max_cols - len(values), _span(gs.get(f"{_W}val"), _MAX_COLSPAN)))
                vm = pr.find(f"{_W}vMerge")
                merge_continue = vm is not None and vm.get(f"{_W}val", "continue") == "continue"
            values.append("" if merge_continue else _tc_text(tc))
            values.extend([""] * (span - 1))
        values.extend([""] * max(0, min(after, max_cols - len(values))))
        rows.append(values)
    return _rectangular(rows)


def _grid_before_after(tr: Any, limit: int) -> tuple[int, int]:
    """A row's ``w:gridBefore``/``w:gridAfter`` (empty grid columns), each at most ``limit``."""
    pr = tr.find(f"{_W}trPr")
    if pr is None:
        return 0, 0
    found = []
    for tag in ("gridBefore", "gridAfter"):
        el = pr.find(f"{_W}{tag}")
        found.append(0 if el is None else _span(el.get(f"{_W}val"), limit))
    return found[0], found[1]


def _tc_text(tc: Any) -> str:
    """A cell's paragraphs (nested tables' too), joined by spaces."""
    parts = []
    for p in tc.iter(f"{_W}p"):
        if next(p.iterancestors(f"{_W}p"), None) is not None:
            continue  # a text box's paragraph: already in its enclosing paragraph's text
        text = _xml_text(p)
        if text.strip():
            parts.append(text.strip())
    return " ".join(parts)


# properties (a pPr's w:tabs holds w:tab stops, not tab characters) and fallback copies of drawings
_NOT_TEXT = frozenset(
    {f"{_W}pPr", f"{_W}rPr", f"{_W}delText", "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
)


_T, _TAB = f"{_W}t", f"{_W}tab"
_BREAKS = frozenset({f"{_W}br", f"{_W}cr"})


def _xml_text(p: Any) -> str:
    """The text of a ``w:p``: every ``w:t`` below it, tabs and breaks as ``\t``/``\n``.

    (Tag names compared with constants made once: a body of many paragraphs calls this for each.)"""
    pieces: list[str] = []
    stack = [p]
    while stack:
        el = stack.pop()
        tag = el.tag
        if tag == _T:
            if el.text:
                pieces.append(el.text)
        elif tag == _TAB:
            pieces.append("\t")
        elif tag in _BREAKS:
            pieces.append("\n")
        elif tag in _NOT_TEXT or not isinstance(tag, str):
            continue
        elif len(el):
            stack.extend(reversed(list(el)))
    return "".join(pieces)


def _read_zip_other(data: bytes, name: str, ext: str, limits: ReaderLimits = DEFAULT_LIMITS) -> RawDocument:
    if ext in (".docx", ".docm", ".dotx") or b"word/" in data[:4_000_000]:
        return _docx_salvage(data, name, "Word文件已损坏（压缩包不完整）", limits)
    label = {".xlsx": "Excel（.xlsx）", ".pptx": "PowerPoint（.pptx）", ".ofd": "OFD"}.get(ext, "压缩包")
    if b"xl/workbook" in data[:4_000_000]:
        label = "Excel（.xlsx）"
    elif b"ppt/presentation" in data[:4_000_000]:
        label = "PowerPoint（.pptx）"
    return RawDocument(name=name, kind="unknown", text="", problems=(f"不支持的文件格式：{label}，没有可读的文字",))


def _docx_salvage(data: bytes, name: str, problem: str, limits: ReaderLimits = DEFAULT_LIMITS) -> RawDocument:
    """A damaged .docx: inflate whatever is left of word/document.xml and read it leniently.

    lxml's recovering parser closes the elements the cut left open, so the paragraphs and tables
    that survived are read as usual (straight from the XML).
    """
    xml, cut = _zip_member_salvage(data, b"word/document.xml", limits.max_decompressed_bytes)
    if not xml.strip():
        return RawDocument(name=name, kind="docx", text="", problems=(problem, "没有读出文字"))
    out = _Builder(limits)
    problems: list[str] = []
    if cut:
        problem = f"{problem}；正文解压后超过{_mb(limits.max_decompressed_bytes)}的上限，其后的内容没有读取"
    try:
        from lxml import etree

        root = etree.fromstring(xml.encode("utf-8"), parser=etree.XMLParser(recover=True, huge_tree=True))
        if root is None:
            raise ValueError("empty document")
        body = root.find(f"{_W}body")
        problems = _docx_body(
            body if body is not None else root, out, _xml_text, lambda tbl: _docx_grid_xml(tbl, limits)
        )
        text, tables = out.result()
        problems.extend(out.notes)
    except Exception:
        text, tables = _docx_xml_salvage_text(xml), ()
    if not text.strip():
        return RawDocument(name=name, kind="docx", text="", problems=(problem, *problems, "没有读出文字"))
    note = "只恢复了部分文字" if tables else "只恢复了部分文字（表格结构已丢失）"
    return RawDocument(name=name, kind="docx", text=text, tables=tables, problems=(problem, *problems, note))


def _zip_member_salvage(data: bytes, member: bytes, max_bytes: int) -> tuple[str, bool]:
    """What is left of ``member`` in a damaged zip, inflated to at most ``max_bytes``; and whether
    it was cut there."""
    idx = 0
    while True:
        idx = data.find(b"PK\x03\x04", idx)
        if idx < 0 or idx + 30 > len(data):
            return "", False
        try:
            (_, _, flags, method, _, _, _, csize, _, nlen, xlen) = struct.unpack("<IHHHHHIIIHH", data[idx : idx + 30])
        except struct.error:
            return "", False
        fname = data[idx + 30 : idx + 30 + nlen]
        start = idx + 30 + nlen + xlen
        if fname == member:
            raw = data[start : start + csize] if csize and not (flags & 0x08) else data[start:]
            if method == 0:
                return raw[:max_bytes].decode("utf-8", errors="replace"), len(raw) > max_bytes
            if method == 8:
                inflater = zlib.decompressobj(-15)
                try:
                    chunk = inflater.decompress(raw, max_bytes)
                    cut = bool(inflater.unconsumed_tail)
                except zlib.error:
                    chunk, cut = _inflate_partial(raw, max_bytes)
                return chunk.decode("utf-8", errors="replace"), cut
            return "", False
        idx += 4


def _inflate_partial(raw: bytes, max_bytes: int) -> tuple[bytes, bool]:
    """Inflate as much of a damaged deflate stream as possible, in steps, to at most ``max_bytes``."""
    out = bytearray()
    inflater = zlib.decompressobj(-15)
    step = 4096
    for i in range(0, len(raw), step):
        try:
            out += inflater.decompress(raw[i : i + step], max_bytes - len(out) + 1)
        except zlib.error:
            break
        if len(out) > max_bytes:
            return bytes(out[:max_bytes]), True
    return bytes(out), False


def _docx_xml_salvage_text(xml: str) -> str:
    lines = []
    for para in _W_PARAGRAPH_END.split(xml):
        pieces = _W_TEXT.findall(para)
        text = "".join(t if t else "\t" for t, tab in pieces)
        text = _html_unescape(text)
        if text.strip():
            lines.append(text.rstrip())
    return "\n".join(lines)
