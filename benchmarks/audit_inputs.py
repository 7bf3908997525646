"""Inputs for the report-reader benchmark: the five development samples in many shapes.

Every function is deterministic (same samples → same bytes): the DOCX zip carries fixed
timestamps and core properties, the HTML and Markdown are generated from the text alone, and
WeasyPrint writes no date into the PDF.

    from benchmarks.audit_inputs import build_inputs
    for name, data in build_inputs():
        read_source(data, name)

Shapes built from each sample ``sample-0N.txt``:

* ``sample-0N.txt``               the sample as published (UTF-8)
* ``sample-0N.gb18030.txt``       the same text in GB18030
* ``sample-0N.utf16.txt``         the same text in UTF-16 (with a BOM)
* ``sample-0N.s2t.txt``           converted to traditional characters (OpenCC ``s2t``), UTF-8
* ``sample-0N.big5.txt``          the sample in Big5, when every character fits (sample-01,
                                  published in traditional characters)
* ``sample-0N.s2tw.big5.txt``     converted with OpenCC ``s2tw`` (Taiwan forms, which Big5 has:
                                  ``s2t`` gives 爲/羣/着 that Big5 lacks) in Big5, when it fits
* ``sample-0N.html``              an HTML page with navigation chrome, ``&nbsp;`` indents and every
                                  run of tab-separated lines as a ``<table>`` (trailing empty cells
                                  merged into a colspan, empty first-column cells under a label
                                  into a rowspan); declared and encoded as UTF-8
* ``sample-0N.gbk.html``          the same page declared ``charset=gbk`` and encoded in GB18030
* ``sample-0N.md``                Markdown with pipe tables (only samples that have a table)
* ``sample-0N.docx``              Word: one paragraph per line, tables with merged cells
* ``sample-0N.pdf``               the page without the site chrome printed by WeasyPrint
                                  (bordered tables, A4, Noto CJK)

plus, when asked for, ``large.txt``: the samples repeated up to a given size.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "samples"

_FIXED_TIME = datetime(2022, 1, 21, 9, 45, 0)
_ZIP_TIME = (2022, 1, 21, 9, 45, 0)

Row = tuple[str, ...]


@dataclass(frozen=True)
class Segment:
    """A stretch of a sample: either one text line or a run of tab-separated lines (a table)."""

    line: str | None = None
    rows: tuple[Row, ...] = ()

    @property
    def is_table(self) -> bool:
        return self.line is None


# --------------------------------------------------------------------------------------------
# samples


def load_samples(samples_dir: Path | str | None = None) -> list[tuple[str, str]]:
    """The samples as (stem, text), sorted by name; ``\\r\\n`` read as ``\\n``."""
    folder = Path(samples_dir) if samples_dir is not None else SAMPLES_DIR
    out = []
    for path in sorted(folder.glob("sample-*.txt")):
        out.append((path.stem, path.read_bytes().decode("utf-8").replace("\r\n", "\n")))
    return out


def segments(text: str) -> list[Segment]:
    """Split a text into lines and tables: two or more consecutive lines holding a tab."""
    lines = text.split("\n")
    out: list[Segment] = []
    i = 0
    while i < len(lines):
        if "\t" in lines[i]:
            j = i
            while j < len(lines) and "\t" in lines[j]:
                j += 1
            if j - i >= 2:
                out.append(Segment(rows=tuple(tuple(ln.split("\t")) for ln in lines[i:j])))
                i = j
                continue
        out.append(Segment(line=lines[i]))
        i += 1
    return out


def has_table(text: str) -> bool:
    return any(seg.is_table for seg in segments(text))


def padded(rows: Sequence[Sequence[str]]) -> tuple[Row, ...]:
    """Rows padded with empty strings to the widest row (the grid a reader returns)."""
    width = max((len(r) for r in rows), default=0)
    return tuple(tuple(r) + ("",) * (width - len(r)) for r in rows)


# --------------------------------------------------------------------------------------------
# spans: which cells of a tab grid to merge


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    text: str
    colspan: int = 1
    rowspan: int = 1


def spanned_cells(rows: Sequence[Sequence[str]]) -> list[list[Cell]]:
    """Per row, the cells that start there, with spans chosen so that expansion gives the grid back.

    A filled cell absorbs the empty cells to its right (colspan); an empty first-column cell below
    a filled single-column first-column cell is absorbed by it (rowspan). Expanding the spans
    (text in the first position, empty strings elsewhere) reproduces ``padded(rows)`` exactly.
    """
    grid = padded(rows)
    width = len(grid[0]) if grid else 0
    covered: set[tuple[int, int]] = set()
    starts: list[list[Cell]] = [[] for _ in grid]
    owner_col0: Cell | None = None
    owner_index: tuple[int, int] | None = None
    for r, row in enumerate(grid):
        # rowspan in column 0
        if row[0] == "" and owner_col0 is not None and owner_col0.colspan == 1 and owner_index is not None:
            orow, oi = owner_index
            owner_col0 = Cell(owner_col0.row, 0, owner_col0.text, 1, owner_col0.rowspan + 1)
            starts[orow][oi] = owner_col0
            covered.add((r, 0))
        c = 0
        while c < width:
            if (r, c) in covered:
                c += 1
                continue
            text = row[c]
            span = 1
            if text:
                while c + span < width and grid[r][c + span] == "" and (r, c + span) not in covered:
                    span += 1
            cell = Cell(r, c, text, span, 1)
            starts[r].append(cell)
            if c == 0:
                owner_col0 = cell if text else None
                owner_index = (r, len(starts[r]) - 1) if text else None
            c += span
    return starts


# --------------------------------------------------------------------------------------------
# HTML, Markdown, PDF, DOCX


_CHROME_HEAD = """<div class="header"><a href="/">网站首页</a> <span class="site">某市人民政府门户网站</span></div>
<nav class="nav"><ul><li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li>
<li><a href="/hdjl/">互动交流</a></li></ul></nav>
<div class="position">您现在的位置：<a href="/">首页</a>&nbsp;&gt;&nbsp;<a href="/zwgk/">政务公开</a></div>"""
_CHROME_FOOT = """<footer class="footer"><p>主办单位：某市人民政府办公室&nbsp;&nbsp;网站标识码：1234567890</p>
<p>ICP备案号：某ICP备00000000号</p></footer>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>"""
_CSS = """body { font-family: 'Noto Sans CJK SC', 'Noto Serif CJK SC', sans-serif; font-size: 10pt; }
table { border-collapse: collapse; margin: 4pt 0; }
td, th { border: 0.5pt solid #000; padding: 1pt 3pt; font-size: 8pt; }
@page { size: A4; margin: 12mm; }"""


def table_html(rows: Sequence[Sequence[str]]) -> str:
    """A ``<table>`` for a tab grid, spans as in :func:`spanned_cells`."""
    out = ["<table>"]
    for cells in spanned_cells(rows):
        out.append("<tr>")
        for cell in cells:
            attrs = ""
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            out.append(f"<td{attrs}>{html.escape(cell.text)}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def to_html(text: str, *, title: str = "", charset: str = "utf-8", chrome: bool = True) -> str:
    """A web page for the text: chrome around it, ``&nbsp;`` indents, tables as ``<table>``."""
    body: list[str] = []
    for seg in segments(text):
        if seg.is_table:
            body.append(table_html(seg.rows))
        elif seg.line is not None and seg.line.strip():
            body.append(f"<p>&nbsp;&nbsp;&nbsp;&nbsp;{html.escape(seg.line.strip())}</p>")
    head_title = html.escape(title or next((ln.strip() for ln in text.split("\n") if ln.strip()), ""))
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="zh-CN"><head><meta charset="{charset}"><title>{head_title}</title>',
        f"<style>{_CSS}</style></head><body>",
        _CHROME_HEAD if chrome else "",
        '<div class="article"><div class="content">',
        "\n".join(body),
        "</div></div>",
        _CHROME_FOOT if chrome else "",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").strip()


def to_markdown(text: str) -> str | None:
    """Markdown with every tab run as a pipe table (the first row as header); None without tables."""
    if not has_table(text):
        return None
    out: list[str] = []
    for seg in segments(text):
        if seg.is_table:
            rows = padded(seg.rows)
            out.append("")
            out.append("| " + " | ".join(_md_cell(c) for c in rows[0]) + " |")
            out.append("|" + "|".join("---" for _ in rows[0]) + "|")
            for row in rows[1:]:
                out.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
            out.append("")
        else:
            out.append(seg.line or "")
    return "\n".join(out)


def to_pdf(page_html: str) -> bytes:
    """The page printed by WeasyPrint (the CJK fonts are the system's Noto CJK)."""
    import weasyprint

    return weasyprint.HTML(string=page_html).write_pdf()


def to_docx(text: str) -> bytes:
    """Word: one paragraph per non-empty line, each tab run as a table with merged cells."""
    import docx

    document = docx.Document()
    props = document.core_properties
    props.author = "gongkai benchmark"
    props.created = _FIXED_TIME
    props.modified = _FIXED_TIME
    props.last_printed = _FIXED_TIME
    props.last_modified_by = "gongkai benchmark"
    props.revision = 1
    for seg in segments(text):
        if not seg.is_table:
            if seg.line is not None and seg.line.strip():
                document.add_paragraph(seg.line.strip())
            continue
        grid = padded(seg.rows)
        table = document.add_table(rows=len(grid), cols=len(grid[0]))
        table.style = "Table Grid"
        for cells in spanned_cells(seg.rows):
            for cell in cells:
                top_left = table.cell(cell.row, cell.col)
                if cell.colspan > 1 or cell.rowspan > 1:
                    bottom_right = table.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1)
                    top_left = top_left.merge(bottom_right)
                top_left.text = cell.text
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed member timestamps (python-docx stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def to_traditional(text: str, config: str = "s2t") -> str:
    """Traditional characters (OpenCC ``s2t``; ``s2tw`` for the Taiwan forms Big5 encodes)."""
    import opencc

    return opencc.OpenCC(config).convert(text)


_NUM_TAB = re.compile(r"(?<=\d)\t(?=\d)")


def flatten_tables(text: str) -> str:
    """The tables re-flattened as crawlers leave them: the tab between two digits removed, so a
    row's ``0<TAB>0<TAB>3`` becomes ``003`` (the reader has to find the cells again)."""
    return "\n".join(_NUM_TAB.sub("", line) for line in text.split("\n"))


def tabs_to_spaces(text: str) -> str:
    """Every tab turned into a single space (tables copied out of a web page as plain text)."""
    return text.replace("\t", " ")


def to_gb18030(text: str) -> bytes:
    return text.encode("gb18030")


def to_big5(text: str) -> bytes | None:
    """The text in Big5, or None when a character has no Big5 code."""
    try:
        return text.encode("big5")
    except UnicodeEncodeError:
        return None


def large_text(texts: Sequence[str], size: int) -> str:
    """The texts repeated (in order) until the UTF-8 encoding reaches ``size`` bytes."""
    if not texts:
        return ""
    pieces: list[str] = []
    total = 0
    i = 0
    while total < size:
        piece = texts[i % len(texts)] + "\n\n"
        pieces.append(piece)
        total += len(piece.encode("utf-8"))
        i += 1
    return "".join(pieces)


# --------------------------------------------------------------------------------------------
# the input set


def iter_inputs(
    samples_dir: Path | str | None = None,
    *,
    pdf: bool = True,
    docx: bool = True,
    traditional: bool = True,
    large_bytes: int = 0,
) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) pairs, in a fixed order; see the module docstring for the shapes."""
    samples = load_samples(samples_dir)
    for stem, text in samples:
        yield f"{stem}.txt", text.encode("utf-8")
        yield f"{stem}.gb18030.txt", to_gb18030(text)
        yield f"{stem}.utf16.txt", text.encode("utf-16")
        yield f"{stem}.html", to_html(text).encode("utf-8")
        yield f"{stem}.gbk.html", to_html(text, charset="gbk").encode("gb18030")
        markdown = to_markdown(text)
        if markdown is not None:
            yield f"{stem}.md", markdown.encode("utf-8")
        if docx:
            yield f"{stem}.docx", to_docx(text)
        if pdf:
            yield f"{stem}.pdf", to_pdf(to_html(text, chrome=False))
        if traditional:
            yield f"{stem}.s2t.txt", to_traditional(text).encode("utf-8")
            big5 = to_big5(text)
            if big5 is not None:
                yield f"{stem}.big5.txt", big5
            big5 = to_big5(to_traditional(text, "s2tw"))
            if big5 is not None:
                yield f"{stem}.s2tw.big5.txt", big5
    if large_bytes > 0:
        yield "large.txt", large_text([t for _, t in samples], large_bytes).encode("utf-8")


def build_inputs(
    samples_dir: Path | str | None = None,
    *,
    pdf: bool = True,
    docx: bool = True,
    traditional: bool = True,
    large_bytes: int = 0,
) -> list[tuple[str, bytes]]:
    """All the inputs as a list of (name, bytes)."""
    return list(iter_inputs(samples_dir, pdf=pdf, docx=docx, traditional=traditional, large_bytes=large_bytes))


if __name__ == "__main__":  # a listing, for a quick look
    for name, data in build_inputs():
        print(f"{len(data):>9}  {name}")
