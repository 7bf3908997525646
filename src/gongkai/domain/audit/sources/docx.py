"""Word .docx: paragraphs and tables in body order (python-docx), and the salvage of damaged zips."""

from __future__ import annotations

import io
import re
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
from gongkai.domain.audit.sources.docx_stream import _CONTAINERS, _P, _TBL, _W, elements_note, read_body_streamed
from gongkai.domain.audit.sources.html import _span


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
        return _docx_salvage(data, name, f"无法解析Word文件：{_refusal(exc)}", limits)
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


_NOT_A_DOCUMENT = re.compile(r"is not a Word file, content type is '([^']{0,200})'")


def _refusal(exc: BaseException) -> str:
    """Why python-docx refused the file, in Chinese where the reason is one a user can act on: a
    main part of another content type (a macro-enabled document, a template) saved as .docx."""
    found = _NOT_A_DOCUMENT.search(str(exc))
    if isinstance(exc, ValueError) and found:
        return f"主文档的内容类型为“{found.group(1)}”，不是普通Word文档（可能是启用宏的文档或模板），请另存为普通Word文档（.docx）"
    return _detail(exc)


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


def _docx_body(
    body: Any,
    out: _Builder,
    paragraph_text: Callable[[Any], str],
    table_grid: Callable[[Any], tuple[tuple[str, ...], ...]],
    walked: list[Any] | None = None,
) -> list[str]:
    """Walk the body's children in order: a paragraph is a line, a table a grid; problems back.

    Children are read while the paragraphs and tables in them (in cells and text boxes too) number
    at most ``max_docx_elements`` in all (a body of millions of empty paragraphs never fills the
    text): the one that passes it is not read, as in :mod:`.docx_stream`. ``walked``, if given,
    gets that number and the child at which the limit stopped the walk (``None`` if it did not)."""
    problems: list[str] = []
    limit = out.limits.max_docx_elements
    done = 0
    stopped: Any = None
    # iterators, not lists, of children: a body of a million paragraphs is read only up to the text
    # limit, and no element past it is ever made into a Python object
    stack: list[Any] = [iter(body)]
    while stack and not out.full:  # past the text limit nothing more is kept: stop reading
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _CONTAINERS:
            stack.append(iter(child))
            continue
        if tag:
            n = _items_in(child, tag)
            if done + n > limit:
                problems.append(elements_note(out.limits))
                stopped = child
                break
            done += n
        _docx_item(child, tag, out, paragraph_text, table_grid, problems)
    if walked is not None:
        walked[:] = [done, stopped]
    return list(dict.fromkeys(problems))


def _items_in(child: Any, tag: str) -> int:
    """The paragraphs and tables ``child`` is or holds (a paragraph seldom holds any: a text box)."""
    if tag == _P:
        found = child.iter(_P, _TBL)
        next(found)  # the paragraph itself
        return 1 if next(found, None) is None else 2 + sum(1 for _ in found)
    return sum(1 for _ in child.iter(_P, _TBL))


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

    Only as much of the part is inflated and parsed as the text limit, or ``max_docx_elements``,
    needs (:func:`_salvage_prefix`): a recovering parse is always of one prefix, whole (fed in
    pieces it reads broken XML differently), and a longer prefix is tried only while the reading
    is short of both limits.
    """
    member = _zip_member_salvage(data, b"word/document.xml", limits.max_decompressed_bytes)
    if member is None:
        return RawDocument(name=name, kind="docx", text="", problems=(problem, "没有读出文字"))
    prefix = _salvage_prefix(member, limits)
    if prefix is not None:
        text, tables, problems = prefix
        return _salvage_result(name, problem, text, tables, problems)
    # the whole part (as far as max_decompressed_bytes): read as it always was
    xml, cut = member.whole()
    del member
    if not xml.strip():
        return RawDocument(name=name, kind="docx", text="", problems=(problem, "没有读出文字"))
    if cut:
        problem = f"{problem}；正文解压后超过{_mb(limits.max_decompressed_bytes)}的上限，其后的内容没有读取"
    try:
        text, tables, problems = _salvage_parse(xml, limits)
    except Exception:
        text, tables, problems = _docx_xml_salvage_text(xml), (), []
    return _salvage_result(name, problem, text, tables, problems)


def _salvage_result(name: str, problem: str, text: str, tables: tuple[Any, ...], problems: list[str]) -> RawDocument:
    if not text.strip():
        return RawDocument(name=name, kind="docx", text="", problems=(problem, *problems, "没有读出文字"))
    note = "只恢复了部分文字" if tables else "只恢复了部分文字（表格结构已丢失）"
    return RawDocument(name=name, kind="docx", text=text, tables=tables, problems=(problem, *problems, note))


def _salvage_parse(
    xml: str, limits: ReaderLimits, last: list[Any] | None = None
) -> tuple[str, tuple[Any, ...], list[str]]:
    """The body of (a prefix of) the part, parsed whole by the recovering parser, read into a
    builder: text, tables, problems (the builder's notes last). ``last``, if given, gets the
    builder, the last body-level item read, the number of paragraphs and tables read and the one
    at which ``max_docx_elements`` stopped the walk (for :func:`_salvage_prefix`)."""
    from lxml import etree

    root = etree.fromstring(xml.encode("utf-8"), parser=etree.XMLParser(recover=True, huge_tree=True))
    if root is None:
        raise ValueError("empty document")
    body = root.find(f"{_W}body")
    out = _Builder(limits)
    item: list[Any] = [None]

    def paragraph_text(p: Any) -> str:
        item[0] = p
        return _xml_text(p)

    def table_grid(tbl: Any) -> tuple[tuple[str, ...], ...]:
        item[0] = tbl
        return _docx_grid_xml(tbl, limits)

    walked: list[Any] = []
    problems = _docx_body(body if body is not None else root, out, paragraph_text, table_grid, walked)
    text, tables = out.result()
    problems.extend(out.notes)
    if last is not None:
        last[:] = [out, item[0], *walked]
    return text, tables, problems


# the first prefix of a damaged body parsed: a probe of its text's density (a paragraph of a few
# characters takes 40-60 bytes of XML, a real document's markup more); the next prefix is as long
# as the probe's text says the limit needs, so a body whose text stays under the limit (parsed
# whole in the end) pays little for the probe, and a body past it parses about what the limit needs
_SALVAGE_FIRST = 256 * 1024


def _salvage_prefix(member: _MemberInflater, limits: ReaderLimits) -> tuple[str, tuple[Any, ...], list[str]] | None:
    """The reading of the part when a prefix of it reaches the text limit, else ``None``: read the
    part whole, as before.

    A recovering parse reads its input in order, so the items a prefix holds whole, up to one
    followed by more of the prefix, are read exactly as the whole part's parse reads them; the
    reading stops at the item that passes the text limit, so when that item is followed by more
    of the prefix, the whole part's reading would be this one. Two prefixes at most are parsed:
    a probe, then one as long as the probe's text says the limit needs (and half as long again);
    when neither will do (the text is sparse or ends short of the limit, or the item that passes
    the limit runs past the prefix) the part is read whole, so the salvage never costs much more
    than it did before, and a body past the limit costs what its first characters do."""
    size = _SALVAGE_FIRST
    for _ in range(2):
        if not member.inflate_to(size):
            return None  # the prefix would be the whole part
        xml = member.prefix(size)
        last: list[Any] = []
        try:
            text, tables, problems = _salvage_parse(xml, limits, last)
        except Exception:
            return None  # nothing a prefix can vouch for: the whole part, as before
        del xml
        out, item, count, stopped = last
        if out.full:
            # the item that passed the limit ends inside the prefix, or it may be read otherwise
            return (text, tables, problems) if item is not None and _followed(item) else None
        if stopped is not None:
            # the paragraphs and tables before the one past max_docx_elements all end before it:
            # the whole part's walk stops there too, unless that one is the prefix's last
            return (text, tables, problems) if _followed(stopped) else None
        chars = len(text)
        del text, tables, problems, out, item, last, stopped
        # as long as the text limit or the element limit needs, whichever comes first
        need = min(limits.max_text_chars / max(chars, 1), limits.max_docx_elements / max(count, 1))
        size = int(size * max(1.5, 1.5 * need))
    return None


def _followed(el: Any) -> bool:
    """Whether anything of the document comes after ``el`` (the parser read past its end)."""
    while el is not None:
        if el.getnext() is not None:
            return True
        el = el.getparent()
    return False


class _MemberInflater:
    """A zip member's data inflated on demand, never past ``max_bytes``.

    The bytes are those the whole inflation gives: the input is inflated 4 KiB at a time and
    a damaged stream ends with the last step that inflated without error."""

    _STEP = 4096

    def __init__(self, raw: bytes, method: int, max_bytes: int) -> None:
        self._raw = raw
        self._max = max_bytes
        self._out = bytearray()
        self._pos = 0
        self._inflater = zlib.decompressobj(-15) if method == 8 else None
        self._done = False
        self.cut = False  # there was more than max_bytes
        if method == 0:
            self._out += raw[: max_bytes + 1]
            self._end()

    def _end(self) -> None:
        if len(self._out) > self._max:
            del self._out[self._max :]
            self.cut = True
        self._done = True
        self._raw = b""

    def inflate_to(self, size: int) -> bool:
        """Inflate until at least ``size`` bytes are out; whether there is more than ``size``
        (else the prefix of that size is the whole)."""
        while not self._done and len(self._out) <= size:
            inflater = self._inflater
            assert inflater is not None
            if self._pos >= len(self._raw) or inflater.eof:
                self._end()
                break
            step = self._raw[self._pos : self._pos + self._STEP]
            self._pos += self._STEP
            try:
                self._out += inflater.decompress(step, self._max - len(self._out) + 1)
            except zlib.error:
                self._end()
                break
            if len(self._out) > self._max:
                self._end()
        return len(self._out) > size

    def prefix(self, size: int) -> str:
        return self._out[:size].decode("utf-8", errors="replace")

    def whole(self) -> tuple[str, bool]:
        self.inflate_to(self._max)
        text = self._out.decode("utf-8", errors="replace")
        self._out = bytearray()
        return text, self.cut


def _zip_member_salvage(data: bytes, member: bytes, max_bytes: int) -> _MemberInflater | None:
    """What is left of ``member`` in a damaged zip, to be inflated to at most ``max_bytes``."""
    idx = 0
    while True:
        idx = data.find(b"PK\x03\x04", idx)
        if idx < 0 or idx + 30 > len(data):
            return None
        try:
            (_, _, flags, method, _, _, _, csize, _, nlen, xlen) = struct.unpack("<IHHHHHIIIHH", data[idx : idx + 30])
        except struct.error:
            return None
        fname = data[idx + 30 : idx + 30 + nlen]
        start = idx + 30 + nlen + xlen
        if fname == member:
            if method not in (0, 8):
                return None
            raw = data[start : start + csize] if csize and not (flags & 0x08) else data[start:]
            return _MemberInflater(raw, method, max_bytes)
        idx += 4


def _docx_xml_salvage_text(xml: str) -> str:
    lines = []
    for para in _W_PARAGRAPH_END.split(xml):
        pieces = _W_TEXT.findall(para)
        text = "".join(t if t else "\t" for t, tab in pieces)
        text = _html_unescape(text)
        if text.strip():
            lines.append(text.rstrip())
    return "\n".join(lines)
