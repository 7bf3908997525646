"""Read any published report into a :class:`RawDocument`: text, marked-up tables, problems.

``read_source(data, name)`` is the entry point the rest of the audit needs (``detect_kind`` says
what it would read the bytes as). It never raises: whatever cannot be read is said in
``RawDocument.problems`` (in Chinese) and the document holds whatever could be read.

Kind detection looks at the content first and the file name second:

* ``%PDF-`` in the first KiB → PDF (pdfplumber; pypdfium2 for the text of damaged files);
* a zip (``PK\x03\x04``) holding ``word/document.xml`` → Word .docx (python-docx); a damaged
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
``\r\n`` and lone ``\r`` become ``\n``; NUL characters are removed (with a problem).

Tables: every table is rendered into ``text`` as one line per row, cells joined by ``"\t"``;
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
``line.split("\t")``, not padded, so the text is not changed).

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

from gongkai.domain.audit.limits import DEFAULT_LIMITS, ReaderLimits
from gongkai.domain.audit.model import RawDocument, SourceKind
from gongkai.domain.audit.sources.common import _EXTENSION_KIND, _cut_input, _detail, _extension, _with, _within_limits
from gongkai.domain.audit.sources.decode import _decode_text, _looks_binary, _strip_controls
from gongkai.domain.audit.sources.docx import _read_docx, _read_zip_other
from gongkai.domain.audit.sources.html import _read_html
from gongkai.domain.audit.sources.pdf import _read_pdf
from gongkai.domain.audit.sources.sniff import _binary_signature, _is_ole2, _magic_kind, _text_kind
from gongkai.domain.audit.sources.text import _read_text, read_markdown

__all__ = ["detect_kind", "read_markdown", "read_source"]


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
        return RawDocument(
            name=name, kind="unknown", text="", problems=(f"无法读取输入：不是字节数据（{type(data).__name__}）",)
        )
    try:
        return _within_limits(_read(data, name, limits), limits)
    except BaseException as exc:  # noqa: BLE001 - the promise is "never raises"
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        problem = f"读取文件时出错：{_detail(exc)}"
        try:
            cut, notes = _cut_input(data, limits)
            text, encoding, problems = _decode_text(cut)
            doc = RawDocument(
                name=name, kind="unknown", text=text, encoding=encoding, problems=(problem, *notes, *problems)
            )
            return _within_limits(doc, limits)
        except Exception:
            return RawDocument(name=name, kind="unknown", text="", problems=(problem,))


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
        return RawDocument(
            name=name, kind="unknown", text="", problems=(f"无法识别的文件格式（{signature}），没有可读的文字",)
        )

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


_KIND_LABEL = {
    "html": "HTML",
    "markdown": "Markdown",
    "text": "纯文本",
    "pdf": "PDF",
    "docx": "Word",
    "unknown": "纯文本",
}


def _read_decoded(text: str, encoding: str | None, name: str, kind: SourceKind, limits: ReaderLimits) -> RawDocument:
    if kind == "html":
        try:
            return _read_html(text, encoding, name, limits)
        except Exception as exc:
            doc = _read_text(text, encoding, name, "text", limits)
            return _with(doc, problems=(f"无法解析HTML：{_detail(exc)}，已按纯文本读取", *doc.problems))
    return _read_text(text, encoding, name, "markdown" if kind == "markdown" else "text", limits)
