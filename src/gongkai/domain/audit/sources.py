"""Read any published report into a :class:`RawDocument`: text, marked-up tables, problems.

``read_source(data, name)`` is the entry point the rest of the audit needs (``detect_kind`` says
what it would read the bytes as). It never raises: whatever cannot be read is said in
``RawDocument.problems`` (in Chinese) and the document holds whatever could be read.

Kind detection looks at the content first and the file name second:

* ``%PDF-`` in the first KiB → PDF (pdfplumber; pypdfium2 for the text of damaged files);
* a zip (``PK\\x03\\x04``) holding ``word/document.xml`` → Word .docx (python-docx); a damaged
  zip is salvaged: what is left of ``word/document.xml`` is inflated and read by lxml's
  recovering parser;
* an OLE2 file (old .doc/.xls), other zips (.xlsx, .pptx), images, RAR/7z/gzip, RTF → unknown,
  no text, a problem naming the format;
* decoded text that looks like HTML (a doctype, ``<html>``/``<body>``/``<head>``, a leading tag,
  or three different common tags) → HTML (selectolax's Lexbor parser);
* decoded text holding a Markdown pipe table (a ``|---|`` line under a header line with a pipe),
  or a ``.md`` name → Markdown;
* anything else → plain text, or ``unknown`` (controls stripped) when it decodes to binary junk.

Text decoding: a BOM wins; then UTF-16 recognised by its zero bytes; strict UTF-8; the charset
an HTML page declares; charset-normalizer restricted to the encodings Chinese reports come in
(UTF-8, GB18030, Big5/CP950/Big5-HKSCS, UTF-16), then unrestricted; last GB18030 with
replacement characters and a problem. GBK/GB2312/CP936 always decode as GB18030 (a superset).
``\\r\\n`` and lone ``\\r`` become ``\\n``; NUL characters are removed (with a problem).

Tables: every table is rendered into ``text`` as one line per row, cells joined by ``"\\t"``;
``SourceTable.start``/``end`` delimit exactly that rendering (the line break after the last row is
not included), always starting at the beginning of a line. Cells of marked-up tables never hold a
tab or anything ``str.splitlines`` breaks at (a wrapped cell's lines are joined with nothing
between two CJK characters and a space otherwise).

Spanning cells (HTML, Word, PDF) are expanded into a rectangular grid: a cell spanning k columns
yields its text followed by k-1 empty strings; a cell spanning k rows yields its text in its first
row and empty strings in the k-1 rows below (the text is *not* repeated, so summing a column never
counts a figure twice). Rows are padded with empty strings to the widest row; rows whose cells are
all empty are dropped. Markdown tables keep their cells as written (padded to the widest row);
tab-separated runs in plain text keep their lines exactly as they are (``rows`` is
``line.split("\\t")``, not padded, so the text is not changed).

Per format:

* plain text: the decoded text unchanged; a run of two or more consecutive lines holding a tab
  (at least one with two filled cells; a line with one filled cell must be short, else it is
  indented prose) is also a SourceTable over those very lines;
* Markdown: the text unchanged except pipe tables, whose lines become tab-separated cells and
  whose ``|---|`` line is dropped;
* HTML: block elements and ``<br>`` break lines, ``&nbsp;`` is a space, runs of spaces collapse,
  paragraphs and headings are set off by a blank line; script/style/head/forms' controls are
  dropped; chrome (nav/header/footer/aside, ARIA roles, class/id words such as nav, menu,
  breadcrumb, footer, position) is dropped only when small (< 30% of the text) and free of tables, ``<h1>``
  and the words 报告/政府信息公开. A table holding tables, or with one column, or with a cell over
  1000 characters, is page layout: its cells are read as blocks. Block nesting deeper than 2000
  (which makes the parser quadratic) is read by stripping the tags instead, with a problem;
* PDF: per page, the text outside the tables in reading order with each table in its place
  (see :func:`_read_pdf`); tables are those pdfplumber finds with ruling lines;
* Word: paragraphs and tables in body order (see :func:`_read_docx`); headers and footers are
  left out.

Limits: every reader stops at :class:`~gongkai.domain.audit.limits.ReaderLimits` (bytes read,
decompressed size and parts of a zip, pages, rows, columns and cells of a table, characters of
text), the same for every input kind; what is left out is said in ``problems``. Span expansion
(``colspan``, ``w:gridSpan``, ``w:gridBefore``/``gridAfter``) is bounded *while* the grid is
built, not after, so a few bytes claiming millions of columns cost nothing.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from html import unescape as _html_unescape
from pathlib import PurePosixPath
from typing import Any

from gongkai.domain.audit.limits import DEFAULT_LIMITS, ReaderLimits
from gongkai.domain.audit.model import RawDocument, SourceKind, SourceTable

__all__ = ["detect_kind", "read_source"]

_MAX_PROBLEM_DETAIL = 160
_MAX_GRID_CELLS = 1_000_000  # a table larger than this is not span-expanded
_MAX_COLSPAN = 1000  # the HTML limit
_MAX_ROWSPAN = 65534  # the HTML limit (and never beyond the table's own rows)

_GB_FAMILY = {
    "gb2312", "gbk", "cp936", "gb18030", "x-gbk", "euc-cn", "ms936", "936", "csgb2312", "gb-2312-80", "chinese"
}
_BIG5_FAMILY = {"big5", "big5-tw", "csbig5", "cp950", "ms950", "x-x-big5"}

_EXTENSION_KIND: dict[str, SourceKind] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".docm": "docx",
    ".dotx": "docx",
    ".htm": "html",
    ".html": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".jsp": "html",
    ".asp": "html",
    ".aspx": "html",
    ".php": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".csv": "text",
    ".tsv": "text",
}


# --------------------------------------------------------------------------------------------
# entry points


def read_source(data: bytes, name: str, *, limits: ReaderLimits = DEFAULT_LIMITS) -> RawDocument:
    """Read ``data`` (the file's bytes) into a RawDocument; ``name`` is its file name or URL.

    Never raises: a failure anywhere falls back to best-effort text decoding, and every failure
    is described in ``problems``. Never exceeds ``limits``: what lies beyond them is left out and
    said in ``problems``.
    """
    try:
        name = str(name)
    except Exception:  # pragma: no cover - str() of anything works in practice
        name = "<未命名>"
    if isinstance(data, str):  # lenient: text handed over already decoded
        data = data.encode("utf-8", errors="surrogatepass")
    elif isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    elif not isinstance(data, bytes):
        return RawDocument(name=name, kind="unknown", text="", problems=(f"无法读取输入：不是字节数据（{type(data).__name__}）",))
    try:
        return _within_limits(_read(data, name, limits), limits)
    except BaseException as exc:  # noqa: BLE001 - the promise is "never raises"
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        problem = f"读取文件时出错：{_detail(exc)}"
        try:
            cut, notes = _cut_input(data, limits)
            text, encoding, problems = _decode_text(cut)
            doc = RawDocument(name=name, kind="unknown", text=text, encoding=encoding, problems=(problem, *notes, *problems))
            return _within_limits(doc, limits)
        except Exception:
            return RawDocument(name=name, kind="unknown", text="", problems=(problem,))


def _cut_input(data: bytes, limits: ReaderLimits) -> tuple[bytes, list[str]]:
    """A text-like input cut to ``max_input_bytes`` at a line break (a character is never split
    in UTF-8, GB18030 or Big5 at a ``\\n``, all ASCII-safe there)."""
    limit = limits.max_input_bytes
    if len(data) <= limit:
        return data, []
    cut = data.rfind(b"\n", 0, limit)
    data = data[: cut + 1] if cut > 0 else data[:limit]
    return data, [f"文件超过读取上限（{_mb(limit)}），只读取了前{_mb(len(data))}"]


def _mb(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n < 10 * 1048576 else f"{n // 1048576} MB"


def _cut_text(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters after a whole line when there is one."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit + 1)
    return text[:cut] if cut > 0 else text[:limit]


def _text_limit_note(limits: ReaderLimits) -> str:
    return f"文字超过{limits.max_text_chars}个字符的上限，其后的内容没有读取"


def _within_limits(doc: RawDocument, limits: ReaderLimits) -> RawDocument:
    """The last guard, whatever the reader: text and tables never beyond the limits."""
    problems = list(doc.problems)
    text, tables = doc.text, doc.tables
    if len(text) > limits.max_text_chars:
        text = _cut_text(text, limits.max_text_chars)
        problems.append(_text_limit_note(limits))
    kept = []
    for t in tables:
        if t.end > len(text):
            continue
        rows, notes = _cap_rows(t.rows, limits)
        problems.extend(notes)
        kept.append(t if rows is t.rows else SourceTable(rows=rows, start=t.start, end=t.start + len(_render(rows))))
    if text is doc.text and len(kept) == len(tables) and len(problems) == len(doc.problems):
        return doc
    return _with(doc, text=text, tables=tuple(kept), problems=tuple(dict.fromkeys(problems)))


def _cap_rows(rows: tuple[tuple[str, ...], ...], limits: ReaderLimits) -> tuple[tuple[tuple[str, ...], ...], list[str]]:
    """A table's rows within the row, column and cell limits (the same object when within)."""
    notes: list[str] = []
    width = max((len(r) for r in rows), default=0)
    if len(rows) <= limits.max_table_rows and width <= limits.max_table_columns and sum(len(r) for r in rows) <= limits.max_table_cells:
        return rows, notes
    if len(rows) > limits.max_table_rows:
        rows = rows[: limits.max_table_rows]
        notes.append(f"表格超过{limits.max_table_rows}行的上限，只读取了前{limits.max_table_rows}行")
    if width > limits.max_table_columns:
        rows = tuple(r[: limits.max_table_columns] for r in rows)
        notes.append(f"表格超过{limits.max_table_columns}列的上限，只读取了前{limits.max_table_columns}列")
    cells = 0
    for i, r in enumerate(rows):
        cells += len(r)
        if cells > limits.max_table_cells:
            rows = rows[:i]
            notes.append(f"表格超过{limits.max_table_cells}个单元格的上限，只读取了前{i}行")
            break
    return rows, notes


def detect_kind(data: bytes, name: str = "") -> SourceKind:
    """The kind ``read_source`` would read ``data`` as, from the content first, the name second."""
    try:
        magic = _magic_kind(data)
        if magic is not None:
            return magic
        text, _, _ = _decode_text(data[:65536])
        return _text_kind(text, _extension(name))
    except Exception:
        return "unknown"


# --------------------------------------------------------------------------------------------
# dispatch


def _read(data: bytes, name: str, limits: ReaderLimits) -> RawDocument:
    ext = _extension(name)
    if not data:
        return RawDocument(name=name, kind=_EXTENSION_KIND.get(ext, "unknown"), text="", problems=("文件为空",))

    magic = _magic_kind(data)
    if magic == "pdf":
        doc = _read_pdf(data, name, limits)
        if doc.text.strip() or data.lstrip()[:5] == b"%PDF-":
            return doc
        # "%PDF-" somewhere in the first KiB of something that is no PDF: try it as text
        cut, cut_notes = _cut_input(data, limits)
        text, encoding, problems = _decode_text(cut)
        if _looks_binary(text):
            return doc
        kind = _text_kind(text, ext)
        read = _read_decoded(text, encoding, name, kind, limits)
        note = "文件开头含有“%PDF-”，但不是可读的PDF文件，已按文字内容读取"
        return _with(read, problems=(note, *cut_notes, *problems, *read.problems))
    if magic == "docx":
        return _read_docx(data, name, limits)
    if _is_ole2(data):
        msg = "不支持旧版Word/Excel（OLE2，.doc/.xls/.wps）格式，请另存为.docx后再读取"
        return RawDocument(name=name, kind="unknown", text="", problems=(msg,))
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return _read_zip_other(data, name, ext, limits)
    signature = _binary_signature(data)
    if signature is not None:
        return RawDocument(name=name, kind="unknown", text="", problems=(f"无法识别的文件格式（{signature}），没有可读的文字",))

    # the content is not a known binary format: decode it as text
    data, notes = _cut_input(data, limits)
    expected = _EXTENSION_KIND.get(ext)
    text, encoding, problems = _decode_text(data, html=expected == "html")
    binary = _looks_binary(text)
    kind: SourceKind = "unknown" if binary else _text_kind(text, ext)
    if expected in ("pdf", "docx"):
        label = "PDF" if expected == "pdf" else "Word（.docx）"
        notes.append(f"文件扩展名为{ext}，但内容不是{label}文件，已按{_KIND_LABEL[kind]}读取")
    if binary:
        doc = RawDocument(name=name, kind="unknown", text=_strip_controls(text), encoding=encoding)
        if not any(n.startswith("文件扩展名") for n in notes):
            notes.append("无法识别的文件格式，已按纯文本读取")
        return _with(doc, problems=(*notes, *problems))
    doc = _read_decoded(text, encoding, name, kind, limits)
    return _with(doc, problems=(*notes, *problems, *doc.problems))


_KIND_LABEL = {"html": "HTML", "markdown": "Markdown", "text": "纯文本", "pdf": "PDF", "docx": "Word", "unknown": "纯文本"}


def _read_decoded(text: str, encoding: str | None, name: str, kind: SourceKind, limits: ReaderLimits) -> RawDocument:
    if kind == "html":
        try:
            return _read_html(text, encoding, name, limits)
        except Exception as exc:
            doc = _read_text(text, encoding, name, "text", limits)
            return _with(doc, problems=(f"无法解析HTML：{_detail(exc)}，已按纯文本读取", *doc.problems))
    return _read_text(text, encoding, name, "markdown" if kind == "markdown" else "text", limits)


def _with(doc: RawDocument, **changes: Any) -> RawDocument:
    from dataclasses import replace

    return replace(doc, **changes)


def _extension(name: str) -> str:
    base = name.split("?", 1)[0].split("#", 1)[0].replace("\\", "/")
    return PurePosixPath(base).suffix.lower()


def _detail(exc: BaseException) -> str:
    msg = str(exc).strip()
    text = f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__
    return text if len(text) <= _MAX_PROBLEM_DETAIL else text[: _MAX_PROBLEM_DETAIL - 1] + "…"


# --------------------------------------------------------------------------------------------
# content sniffing


def _magic_kind(data: bytes) -> SourceKind | None:
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        if _zip_has_document_xml(data):
            return "docx"
    return None


def _zip_has_document_xml(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except Exception:
        # a damaged zip: look for the local header of word/document.xml
        return b"word/document.xml" in data[:4_000_000]


def _is_ole2(data: bytes) -> bool:
    return data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG图片"),
    (b"\xff\xd8\xff", "JPEG图片"),
    (b"GIF87a", "GIF图片"),
    (b"GIF89a", "GIF图片"),
    (b"II*\x00", "TIFF图片"),
    (b"MM\x00*", "TIFF图片"),
    (b"Rar!\x1a\x07", "RAR压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z压缩包"),
    (b"\x1f\x8b", "gzip压缩包"),
    (b"{\\rtf", "RTF文档，请另存为.docx"),
    (b"%!PS", "PostScript文件"),
)


def _binary_signature(data: bytes) -> str | None:
    for magic, label in _BINARY_SIGNATURES:
        if data.startswith(magic):
            return label
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP图片"
    return None


_HTML_STRONG = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"<(p|div|br|table|tr|td|th|span|meta|title|h[1-6]|ul|ol|li|a|img|font|strong|b|center|section|article|style|script)[\s/>]",
    re.IGNORECASE,
)


def _looks_like_html(text: str) -> bool:
    head = text[:65536]
    if _HTML_STRONG.search(head):
        return True
    tags = {m.group(1).lower() for m in _HTML_TAG.finditer(head)}
    if head.lstrip("\ufeff \t\r\n").startswith("<") and tags:
        return True
    return len(tags) >= 3


def _text_kind(text: str, ext: str) -> SourceKind:
    if _looks_like_html(text):
        return "html"
    if "|" in text and _MD_SEPARATOR.search(text) and _has_markdown_table(text):
        return "markdown"
    by_ext = _EXTENSION_KIND.get(ext)
    if by_ext == "html" and _TAG_START.search(text[:65536]):
        return "html"
    if by_ext == "markdown":
        return "markdown"
    return "text"


# --------------------------------------------------------------------------------------------
# text decoding


_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
    (b"\x84\x31\x95\x33", "gb18030"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def _codec_name(label: str) -> str | None:
    """A Python codec for an encoding label; the GB family always decodes as GB18030."""
    import codecs

    low = label.strip().lower().replace("_", "-")
    if low in _GB_FAMILY:
        return "gb18030"
    if low in _BIG5_FAMILY:
        return "big5"  # cp950 and big5hkscs are tried as fallbacks when big5 fails
    try:
        return codecs.lookup(low).name
    except LookupError:
        return None


def _decode_text(data: bytes, *, html: bool = False) -> tuple[str, str | None, list[str]]:
    """Decode bytes to text: (text, codec used, problems). Line endings become ``\\n``."""
    text, encoding, problems = _decode_raw(data, html=html)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "")
        problems.append("文件中含有空字符（NUL），已删除")
    return text, encoding, problems


def _decode_raw(data: bytes, *, html: bool) -> tuple[str, str | None, list[str]]:
    if not data:
        return "", None, []
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
                if codec == "gb18030":
                    text = text[1:] if text.startswith("\ufeff") else text
                return text, "utf-8" if codec == "utf-8-sig" else codec, []
            except UnicodeDecodeError:
                text = data.decode(codec, errors="replace")
                return text, codec, ["部分字符无法按文件声明的编码解码，已替换为�"]

    utf16 = _sniff_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16, []
        except UnicodeDecodeError:
            pass

    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        # a file cut in the middle of its last character is still UTF-8
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return data[: exc.start].decode("utf-8"), "utf-8", ["文件末尾有不完整的字符（文件可能被截断），已忽略"]

    if html or b"<meta" in data[:4096].lower():
        m = _META_CHARSET.search(data[:8192])
        if m:
            codec = _codec_name(m.group(1).decode("ascii", "ignore"))
            if codec and codec not in ("utf-8",):
                try:
                    return data.decode(codec), codec, []
                except (UnicodeDecodeError, LookupError):
                    pass

    detected = _detect_with_charset_normalizer(data, chinese=True)
    for codec in dict.fromkeys(c for c in (detected, "gb18030", "big5", "cp950", "big5hkscs") if c):
        try:
            return data.decode(codec), codec, []
        except (UnicodeDecodeError, LookupError):
            continue
    other = _detect_with_charset_normalizer(data, chinese=False)
    if other:
        try:
            return data.decode(other), other, []
        except (UnicodeDecodeError, LookupError):
            pass
    codec = detected or "gb18030"
    try:
        text = data.decode(codec, errors="replace")
    except LookupError:
        codec = "gb18030"
        text = data.decode(codec, errors="replace")
    return text, codec, [f"文本编码无法确定，已按{codec.upper()}读取，部分字符已替换为�"]


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM, recognised by its zero bytes (ASCII text: every other byte)."""
    sample = data[:4096]
    if len(sample) < 4 or sample.count(0) < len(sample) // 8:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd > 3 * max(even, 1) and odd >= len(sample) // 8:
        return "utf-16-le"
    if even > 3 * max(odd, 1) and even >= len(sample) // 8:
        return "utf-16-be"
    return None


_CHINESE_CODECS = ["utf_8", "gb18030", "big5", "cp950", "big5hkscs"]
_UTF16_CODECS = ["utf_16_le", "utf_16_be"]


def _detect_with_charset_normalizer(data: bytes, *, chinese: bool) -> str | None:
    """charset-normalizer's guess, first among the encodings Chinese reports come in.

    Unrestricted, short Chinese texts come out as Korean or Japanese code pages: the caller asks
    with ``chinese=True`` first and tries the rest only when no Chinese encoding decodes the bytes.
    """
    try:
        from charset_normalizer import from_bytes
    except Exception:  # pragma: no cover - installed with the project
        return None
    sample = data
    if len(data) > 1_000_000:
        # detection on a prefix cut at a line break (ASCII-safe in GB18030, Big5 and UTF-8)
        cut = data.rfind(b"\n", 0, 1_000_000)
        sample = data[: cut + 1] if cut > 0 else data[:1_000_000]
    if chinese:
        utf16 = len(sample) >= 20 and len(sample) % 2 == 0  # shorter: UTF-16 guesses are mostly wrong
        isolation: list[str] | None = _CHINESE_CODECS + (_UTF16_CODECS if utf16 else [])
    else:
        isolation = None
    try:
        best = from_bytes(sample, cp_isolation=isolation).best()
    except Exception:
        return None
    return _codec_name(best.encoding) if best is not None else None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    bad = len(_CONTROL.findall(sample)) + sample.count("\ufffd")
    return bad > max(8, len(sample) // 50)


def _strip_controls(text: str) -> str:
    return _CONTROL.sub("", text)


# --------------------------------------------------------------------------------------------
# output builder (offsets of tables into the text)


_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _clean_cell(text: str | None) -> str:
    """One line of text for a table cell: no tab and nothing ``str.splitlines`` breaks at."""
    if not text:
        return ""
    if "\xa0" in text:
        text = text.replace("\xa0", " ")
    if _LINE_BREAKS.search(text):
        text = _join_lines(_LINE_BREAKS.split(text))
    if "\t" in text:
        text = text.replace("\t", " ")
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_SPACES = re.compile(r" {2,}")
_BLANKS = re.compile(r"[ \t\f\r]+")
_TAG_START = re.compile(r"<[a-zA-Z!/]")
_PIPE = re.compile(r"(?<!\\)\|")
_SCRIPT_ELEMENT = re.compile(r"(?is)<(script|style|noscript|template)\b.*?</\1\s*>")
_W_PARAGRAPH_END = re.compile(r"</w:p>")
_W_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|<w:(tab)/>")
_ATTR_WORDS = re.compile(r"[\s_\-]+")
_LEADING_NUMBER = re.compile(r"\s*(\d+)")


def _join_lines(lines: Sequence[str]) -> str:
    """Join the lines of a wrapped cell: nothing between two CJK characters, a space otherwise."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out and not (_CJK.match(out[-1]) and _CJK.match(line[0])):
            out += " "
        out += line
    return out


def _rectangular(rows: Iterable[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    cleaned = [[_clean_cell(c) for c in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    if not cleaned:
        return ()
    width = max(len(r) for r in cleaned)
    return tuple(tuple(r) + ("",) * (width - len(r)) for r in cleaned)


def _render(rows: Sequence[Sequence[str]]) -> str:
    return "\n".join("\t".join(row) for row in rows)


class _Builder:
    """Collects lines and tables; tables always start on a fresh line.

    Stops at the limits: nothing more is kept once the text would pass ``max_text_chars``, and a
    table is cut to the row, column and cell limits; ``notes`` says what was left out.
    """

    def __init__(self, limits: ReaderLimits = DEFAULT_LIMITS) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._tables: list[SourceTable] = []
        self._blank = True  # at the start nothing needs separating
        self.limits = limits
        self.full = False
        self.notes: list[str] = []

    def line(self, text: str) -> None:
        if not text:
            self.blank()
            return
        self._put(text + "\n")
        self._blank = False

    def blank(self) -> None:
        if not self._blank:
            self._put("\n")
            self._blank = True

    def table(self, rows: tuple[tuple[str, ...], ...]) -> None:
        if not rows or self.full:
            return
        rows, notes = _cap_rows(rows, self.limits)
        self.notes.extend(n for n in notes if n not in self.notes)
        if not rows:
            return
        rendered = _render(rows)
        start = self._length
        if self._put(rendered + "\n"):
            self._tables.append(SourceTable(rows=rows, start=start, end=start + len(rendered)))
        self._blank = False

    def _put(self, s: str) -> bool:
        if self.full:
            return False
        if self._length + len(s) > self.limits.max_text_chars:
            self.full = True
            self.notes.append(_text_limit_note(self.limits))
            return False
        self._parts.append(s)
        self._length += len(s)
        return True

    def result(self) -> tuple[str, tuple[SourceTable, ...]]:
        text = "".join(self._parts)
        return text.rstrip("\n"), tuple(self._tables)


# --------------------------------------------------------------------------------------------
# plain text and Markdown


_MD_SEPARATOR = re.compile(r"(?m)^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_MD_SEPARATOR_LINE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def _is_md_separator(line: str) -> bool:
    return "-" in line and "|" in line and _MD_SEPARATOR_LINE.match(line) is not None


def _split_md_row(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    if "\\|" in s:
        cells = [c.replace("\\|", "|") for c in _PIPE.split(s)]
    else:
        cells = s.split("|")
    return [_clean_cell(c) for c in cells]


def _md_table_at(lines: Sequence[str], i: int) -> int:
    """How many lines from ``i`` form a Markdown table (header, separator, body); 0 if none."""
    if i + 1 >= len(lines) or "|" not in lines[i] or not _is_md_separator(lines[i + 1]):
        return 0
    header = _split_md_row(lines[i])
    sep = _split_md_row(lines[i + 1])
    if len(header) < 2 and len(sep) < 2:
        return 0
    j = i + 2
    while j < len(lines) and "|" in lines[j] and lines[j].strip():
        j += 1
    return j - i


def _has_markdown_table(text: str) -> bool:
    lines = text.split("\n")
    for i in range(1, len(lines)):
        line = lines[i]
        if "|" in line and "-" in line and _is_md_separator(line) and _md_table_at(lines, i - 1):
            return True
    return False


def _tab_row_like(line: str) -> bool:
    if "\t" not in line:
        return False
    cells = line.split("\t")
    filled = [c for c in cells if c.strip()]
    if len(filled) >= 2:
        return True
    # one filled cell (a label carried over, a title row): short, else it is indented prose
    return len(filled) == 1 and len(filled[0].strip()) <= 80


def _tab_multi(line: str) -> bool:
    return sum(1 for c in line.split("\t") if c.strip()) >= 2


def read_markdown(text: str, name: str = "report.md", *, limits: ReaderLimits = DEFAULT_LIMITS) -> RawDocument:
    """A Markdown text already in memory (e.g. a report gongkai wrote), with no decoding or sniffing."""
    return _within_limits(_read_text(text, "utf-8", name, "markdown", limits), limits)


def _read_text(text: str, encoding: str | None, name: str, kind: SourceKind, limits: ReaderLimits = DEFAULT_LIMITS) -> RawDocument:
    """Plain text and Markdown: the text is kept; tab runs and pipe tables become tables.

    Plain text: lines are kept exactly; a run of two or more consecutive tab-separated lines (at
    least one with two filled cells) is also a SourceTable pointing at those lines. Markdown: a
    pipe table's lines are rewritten as tab-separated cells and its ``|---|`` line is dropped.
    """
    notes: list[str] = []
    if len(text) > limits.max_text_chars:
        text = _cut_text(text, limits.max_text_chars)
        notes.append(_text_limit_note(limits))
    max_rows, max_cols, max_cells = limits.max_table_rows, limits.max_table_columns, limits.max_table_cells
    lines = text.split("\n")
    out: list[str] = []
    tables: list[SourceTable] = []
    pos = 0  # length of "\n".join(out) + "\n" when out is non-empty

    def note(msg: str) -> None:
        if msg not in notes:
            notes.append(msg)

    def tab_row(line: str) -> bool:
        if line.count("\t") >= max_cols:
            note(f"表格一行超过{max_cols}列的上限，该行未作为表格读取")
            return False
        return _tab_row_like(line)

    def emit(line: str) -> None:
        nonlocal pos
        out.append(line)
        pos += len(line) + 1

    check_md = kind == "markdown" or "|" in text
    i = 0
    n = len(lines)
    while i < n:
        if check_md and "|" in lines[i]:
            count = _md_table_at(lines, i)
            if count:
                if count - 1 > max_rows:  # header + separator + body: rows beyond the limit stay text
                    count = max_rows + 1
                    note(f"表格超过{max_rows}行的上限，其后的行未作为表格读取")
                raw_rows = [_split_md_row(lines[i])] + [_split_md_row(ln) for ln in lines[i + 2 : i + count]]
                width = max(len(r) for r in raw_rows)
                if width > max_cols:
                    width = max_cols
                    raw_rows = [r[:max_cols] for r in raw_rows]
                    note(f"表格超过{max_cols}列的上限，只读取了前{max_cols}列")
                if width * len(raw_rows) > max_cells:
                    keep = max(1, max_cells // width)
                    count = 1 + keep  # header, separator, keep - 1 body lines
                    raw_rows = raw_rows[:keep]
                    note(f"表格超过{max_cells}个单元格的上限，其后的行未作为表格读取")
                rows = tuple(tuple(r) + ("",) * (width - len(r)) for r in raw_rows)
                start = pos
                for row in rows:
                    emit("\t".join(row))
                tables.append(SourceTable(rows=rows, start=start, end=pos - 1))
                kind = "markdown"
                i += count
                continue
        if "\t" in lines[i] and tab_row(lines[i]):
            j = i
            cells = 0
            capped = False
            while j < n and tab_row(lines[j]):
                cells += lines[j].count("\t") + 1
                if j - i >= max_rows or cells > max_cells:
                    capped = True
                    note(f"表格超过{max_rows}行或{max_cells}个单元格的上限，其后的行未作为表格读取")
                    break
                j += 1
            if j - i >= 2 and any(_tab_multi(ln) for ln in lines[i:j]):
                start = pos
                rows = tuple(tuple(ln.split("\t")) for ln in lines[i:j])
                for ln in lines[i:j]:
                    emit(ln)
                tables.append(SourceTable(rows=rows, start=start, end=pos - 1))
            else:
                for ln in lines[i:j]:
                    emit(ln)
            while capped and j < n and "\t" in lines[j]:  # the rest of the run stays text
                emit(lines[j])
                j += 1
            i = j
            continue
        emit(lines[i])
        i += 1

    result = "\n".join(out)
    problems: list[str] = notes
    if not result.strip():
        problems.append("文件中没有可读的文字")
    return RawDocument(
        name=name, kind=kind, text=result, tables=tuple(tables), encoding=encoding, problems=tuple(problems)
    )


# --------------------------------------------------------------------------------------------
# HTML


_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe", "frame", "object", "embed",
     "svg", "math", "canvas", "select", "option", "button", "input", "textarea", "audio", "video", "map", "-comment", "-doctype"}
)
_BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "dir", "div",
     "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
     "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table",
     "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "listing", "xmp", "plaintext", "frameset", "noframes"}
)
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside"})
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "menubar"})
_CHROME_TOKENS = frozenset(
    {"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "footer", "header",
     "topbar", "sidebar", "copyright", "share", "toolbar",
     # breadcrumbs on Chinese government sites: 您现在的位置 / 当前位置 (dqwz)
     "position", "location", "weizhi", "dqwz", "curpos"}
)
_KEEP_WORDS = ("报告", "報告", "政府信息公开", "政府信息公開")
_WS = re.compile(r"[ \t\n\r\f]+")


_NESTING_TAG = re.compile(
    r"<(/?)(div|ul|ol|dl|section|article|aside|nav|header|footer|main|blockquote|center|fieldset|figure|form|"
    r"details|dialog|menu|dir|address|hgroup|pre|listing)[\s/>]",
    re.IGNORECASE,
)
_MAX_BLOCK_DEPTH = 2000
_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(p|div|br|hr|li|tr|h[1-6]|table|section|article|ul|ol|dl|dt|dd|blockquote|pre|center|form)\b[^>]*>",
    re.IGNORECASE,
)


def _block_depth(text: str) -> int:
    """How deep block elements nest (Lexbor's parse time grows with depth × elements)."""
    depth = deepest = 0
    for m in _NESTING_TAG.finditer(text):
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > _MAX_BLOCK_DEPTH:
                    break
    return deepest


def _html_as_text(text: str, encoding: str | None, name: str, problem: str, limits: ReaderLimits) -> RawDocument:
    """Crude reading of markup the parser cannot take: block tags → line breaks, tags dropped."""
    text = _SCRIPT_ELEMENT.sub("", text)
    text = _BLOCK_TAG.sub("\n", text)
    text = _html_unescape(_TAG.sub("", text)).replace("\xa0", " ")
    lines = [_BLANKS.sub(" ", ln).strip() for ln in text.split("\n")]
    out = _Builder(limits)
    for line in lines:
        out.line(line) if line else out.blank()
    result, _ = out.result()
    return RawDocument(name=name, kind="html", text=result, encoding=encoding, problems=(problem, *out.notes))


def _read_html(text: str, encoding: str | None, name: str, limits: ReaderLimits = DEFAULT_LIMITS) -> RawDocument:
    from selectolax.lexbor import LexborHTMLParser

    if _block_depth(text) > _MAX_BLOCK_DEPTH:
        return _html_as_text(text, encoding, name, "HTML标签嵌套过深，已去掉标签按纯文本读取（表格结构已丢失）", limits)
    tree = LexborHTMLParser(text)
    root = tree.body or tree.root
    problems: list[str] = []
    out = _Builder(limits)
    if root is None:
        return RawDocument(name=name, kind="html", text="", encoding=encoding, problems=("HTML中没有可读的文字",))
    skip, layout = _prepass(root)
    walker = _HtmlWalker(out, skip, problems, layout)
    walker.walk(root)
    result, tables = out.result()
    problems.extend(out.notes)
    if not result.strip():
        title = tree.css_first("title")
        title_text = _clean_cell(title.text(deep=True)) if title is not None else ""
        if title_text:
            result = title_text
        problems.append("HTML中没有可读的正文")
    return RawDocument(
        name=name, kind="html", text=result, tables=tables, encoding=encoding, problems=tuple(dict.fromkeys(problems))
    )


_MAX_CHROME_CANDIDATES = 200


def _prepass(root: Any) -> tuple[set[int], set[int]]:
    """One walk of the DOM: the chrome to leave out and the tables that hold tables (layout).

    Chrome: nav/header/footer/aside and role/class/id look-alikes. Only small pieces are removed
    (under 30% of the page text), and never one that holds a table, an ``<h1>`` or the words
    报告/政府信息公开 (it may carry the report's title). The look-up is bounded (candidates and
    text examined), so pathological markup stops the chrome removal, not the reading.

    Layout tables: a table is marked when a table is found below it (the nearest enclosing table
    is marked; the ones further out were marked by it).
    """
    total = len(_WS.sub("", root.text(deep=True, separator="")))
    budget = 4 * total + 200_000
    candidates = 0
    chrome: set[int] = set()
    layout: set[int] = set()
    # (node, enclosing table's mem_id or 0)
    stack: list[tuple[Any, int]] = [(root, 0)]
    while stack:
        node, table_id = stack.pop()
        tag = node.tag
        if not isinstance(tag, str) or tag.startswith("-") or tag in _SKIP_TAGS:
            continue
        if tag == "table":
            if table_id:
                layout.add(table_id)
            table_id = node.mem_id
        elif total and candidates < _MAX_CHROME_CANDIDATES and budget > 0 and _is_chrome_candidate(node, tag):
            candidates += 1
            content = node.text(deep=True, separator="")
            budget -= len(content)
            content = _WS.sub("", content)
            if (
                budget >= 0
                and len(content) <= 0.3 * total
                and not any(w in content for w in _KEEP_WORDS)
                and node.css_first("table, h1") is None
            ):
                chrome.add(node.mem_id)
                continue
        stack.extend((child, table_id) for child in reversed(list(node.iter())))
    return chrome, layout


def _is_chrome_candidate(node: Any, tag: str) -> bool:
    if tag in ("body", "html", "table", "tr", "td", "th", "tbody", "thead", "tfoot", "main", "article"):
        return False
    if tag in _CHROME_TAGS:
        return True
    attrs = node.attributes or {}
    role = (attrs.get("role") or "").strip().lower()
    if role in _CHROME_ROLES:
        return True
    tokens = set(_ATTR_WORDS.split(f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()))
    return bool(tokens & _CHROME_TOKENS)


class _HtmlWalker:
    """Depth-first walk of the DOM (iterative: deep junk nesting must not overflow the stack)."""

    def __init__(self, out: _Builder, skip: set[int], problems: list[str], layout: set[int] | None = None) -> None:
        self.out = out
        self.skip = skip
        self.layout = layout or set()
        self.problems = problems
        self.buf: list[str] = []
        self.pre = 0

    def flush(self) -> None:
        if not self.buf:
            return
        joined = "".join(self.buf)
        self.buf = []
        for raw in joined.split("\n"):
            line = raw.replace("\xa0", " ").replace("\t", " ")
            if "  " in line:
                line = _SPACES.sub(" ", line)
            line = line.strip()
            if line:
                self.out.line(line)

    def walk(self, root: Any) -> None:
        stack: list[tuple[Any, bool]] = [(root, False)]
        while stack and not self.out.full:
            node, leaving = stack.pop()
            tag = node.tag
            if leaving:
                if tag == "pre":
                    self.flush()
                    self.pre -= 1
                elif tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "table"):
                    self.flush()
                    self.out.blank()
                else:
                    self.flush()
                continue
            if tag == "-text":
                value = node.text_content or ""
                self.buf.append(value.replace("\r\n", "\n") if self.pre else _WS.sub(" ", value))
                continue
            if tag in _SKIP_TAGS or not isinstance(tag, str) or tag.startswith("-"):
                continue
            if node.mem_id in self.skip:
                continue
            if tag == "br":
                self.buf.append("\n")
                continue
            if tag == "hr":
                self.flush()
                continue
            if tag == "table":
                grid = self._data_table(node)
                if grid is not None:
                    self.flush()
                    caption = node.css_first("caption")
                    if caption is not None:
                        cap = _clean_cell(caption.text(deep=True, separator=" "))
                        if cap:
                            self.out.line(cap)
                    self.out.table(grid)
                    continue
            if tag in _BLOCK_TAGS:
                self.flush()
                if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6"):
                    self.out.blank()
                if tag == "pre":
                    self.pre += 1
                stack.append((node, True))
            children = list(node.iter(include_text=True))
            stack.extend((c, False) for c in reversed(children))

    def _data_table(self, table: Any) -> tuple[tuple[str, ...], ...] | None:
        """The expanded grid of a data table, or None for a layout table (walked as blocks)."""
        if table.mem_id in self.layout:  # nested tables: a page laid out with tables
            return None
        rows = _html_rows(table, self.out.limits)
        grid = _html_grid(rows, self.problems, self.out.limits)
        if grid is None:
            return None
        width = max((len(r) for r in grid), default=0)
        if width <= 1 or any(len(c) > 1000 for r in grid for c in r):
            return None
        return grid


def _html_rows(table: Any, limits: ReaderLimits = DEFAULT_LIMITS) -> list[list[tuple[str, int, int]]]:
    """The table's own rows: [(cell text, colspan, rowspan), ...] per <tr>, one row and one column
    beyond the limits at most (so the builder sees that a limit was passed and says so)."""
    rows: list[list[tuple[str, int, int]]] = []
    trs: list[Any] = []
    for child in table.iter():
        if child.tag == "tr":
            trs.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            trs.extend(c for c in child.iter() if c.tag == "tr")
    max_cols = min(_MAX_COLSPAN, limits.max_table_columns + 1)
    for tr in trs[: limits.max_table_rows + 1]:
        cells = []
        width = 0
        for td in tr.iter():
            if td.tag not in ("td", "th"):
                continue
            if width > limits.max_table_columns:
                break
            attrs = td.attributes or {}
            colspan = _span(attrs.get("colspan"), max_cols)
            rowspan = _span(attrs.get("rowspan"), min(_MAX_ROWSPAN, limits.max_table_rows + 1))
            cells.append((_cell_text(td), colspan, rowspan))
            width += colspan
        rows.append(cells)
    return rows


def _span(value: str | None, limit: int) -> int:
    if not value:
        return 1
    m = _LEADING_NUMBER.match(value)
    if not m:
        return 1
    n = int(m.group(1)[:6])
    return 1 if n < 1 else min(n, limit)  # rowspan=0 ("to the end") is read as 1


def _cell_text(td: Any) -> str:
    sub = _Builder()
    walker = _HtmlWalker(sub, set(), [])
    walker.walk(td)
    walker.flush()
    text, _ = sub.result()
    return _join_lines([ln for ln in text.split("\n") if ln.strip()])


def _html_grid(
    rows: list[list[tuple[str, int, int]]], problems: list[str], limits: ReaderLimits = DEFAULT_LIMITS
) -> tuple[tuple[str, ...], ...] | None:
    """Expand spans: text in the top-left position, empty strings in the rest of the span.

    A span never reaches beyond one column past the column limit (the builder cuts the rest)."""
    if not rows:
        return None
    n_rows = len(rows)
    max_col = limits.max_table_columns + 1
    estimate = sum(sum(cs for _, cs, _ in r) for r in rows)
    expand = estimate <= _MAX_GRID_CELLS
    if not expand:
        problems.append("表格过大，合并单元格未展开")
    grid: list[dict[int, str]] = [{} for _ in range(n_rows)]
    cells_placed = 0
    for r, cells in enumerate(rows):
        c = 0
        for text, colspan, rowspan in cells:
            while c in grid[r]:
                c += 1
            if not expand:
                colspan = rowspan = 1
            if c >= max_col:
                break
            colspan = min(colspan, max_col - c)
            rowspan = min(rowspan, n_rows - r)
            for dr in range(rowspan):
                row = grid[r + dr]
                for dc in range(colspan):
                    row[c + dc] = text if (dr == 0 and dc == 0) else ""
            cells_placed += colspan * rowspan
            if cells_placed > 4 * _MAX_GRID_CELLS:
                problems.append("表格过大，已截断")
                return _rectangular([_dense(g) for g in grid[: r + 1]])
            c += colspan
    return _rectangular([_dense(g) for g in grid])


def _dense(row: dict[int, str]) -> list[str]:
    if not row:
        return []
    width = max(row) + 1
    return [row.get(i, "") for i in range(width)]


# --------------------------------------------------------------------------------------------
# PDF


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
        for cut in _PDF_DICT_START.finditer(head):
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
                problems = [*problems, f"PDF共{len(doc)}页，超过{limits.max_pages}页的上限，只读取了前{limits.max_pages}页"]
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


# --------------------------------------------------------------------------------------------
# Word .docx


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
    """
    too_large = _docx_too_large(data, limits)
    if too_large:
        return RawDocument(name=name, kind="docx", text="", problems=(too_large,))
    try:
        import docx
        from docx.table import Table

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception as exc:
        return _docx_salvage(data, name, f"无法解析Word文件：{_detail(exc)}", limits)
    if body is None:
        return RawDocument(name=name, kind="docx", text="", problems=("Word文件中没有正文（w:body）",))

    def table_grid(tbl: Any) -> tuple[tuple[str, ...], ...]:
        if not _docx_grid_fits(tbl, limits):
            note = (
                f"Word表格超过{limits.max_table_rows}行、{limits.max_table_columns}列或{limits.max_table_cells}个单元格的上限"
                "（含合并单元格所跨的列），超出的部分没有读取"
            )
            if note not in out.notes:
                out.notes.append(note)
            return _docx_grid_xml(tbl, limits)
        try:
            return _docx_grid(Table(tbl, document))
        except Exception:
            return _docx_grid_xml(tbl, limits)

    out = _Builder(limits)
    problems = _docx_body(body, out, _xml_text, table_grid)
    text, tables = out.result()
    problems.extend(out.notes)
    if not text.strip():
        problems.append("Word文件中没有可读的文字")
    return RawDocument(name=name, kind="docx", text=text, tables=tables, problems=tuple(problems))


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


_DOCX_CONTAINERS = (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag")


def _docx_body(
    body: Any,
    out: _Builder,
    paragraph_text: Callable[[Any], str],
    table_grid: Callable[[Any], tuple[tuple[str, ...], ...]],
) -> list[str]:
    """Walk the body's children in order: a paragraph is a line, a table a grid; problems back."""
    problems: list[str] = []
    stack: list[Any] = list(reversed(list(body)))
    while stack:
        child = stack.pop()
        try:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == f"{_W}p":
                for line in paragraph_text(child).replace("\r", "\n").split("\n"):
                    line = line.rstrip()
                    if line.strip():
                        out.line(line)
                    else:
                        out.blank()
            elif tag == f"{_W}tbl":
                grid = table_grid(child)
                out.blank()
                out.table(grid)
                out.blank()
            elif tag in _DOCX_CONTAINERS:
                stack.extend(reversed(list(child)))
        except Exception as exc:
            problems.append(f"Word文件部分内容无法读取：{_detail(exc)}")
    return list(dict.fromkeys(problems))


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


def _xml_text(p: Any) -> str:
    """The text of a ``w:p``: every ``w:t`` below it, tabs and breaks as ``\t``/``\n``."""
    pieces: list[str] = []
    stack = [p]
    while stack:
        el = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _NOT_TEXT:
            continue
        if tag == f"{_W}t":
            if el.text:
                pieces.append(el.text)
        elif tag == f"{_W}tab":
            pieces.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            pieces.append("\n")
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
        problems = _docx_body(body if body is not None else root, out, _xml_text, lambda tbl: _docx_grid_xml(tbl, limits))
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

