"""Hostile inputs for the report reader, built in memory (no files kept in the repository).

Each builder returns ``(name, bytes)``. They reproduce the attacks of issue 12 (a 41 KB Word file
whose ``w:gridSpan`` claims 55 million columns, a zip whose parts inflate to gigabytes, a table of
a million rows, numbers of hundreds or thousands of digits) at a size the tests can afford; the
benchmark ``benchmarks/audit_hostile.py`` builds them at full size.
"""

from __future__ import annotations

import io
import zipfile

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="bin" ContentType="application/octet-stream"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    "</Relationships>"
)
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_from_body(body_xml: str | bytes, *, extra: dict[str, bytes] | None = None, chunks: int = 1) -> bytes:
    """A minimal .docx whose ``word/document.xml`` body is ``body_xml`` (repeated ``chunks`` times,
    streamed into the zip so a huge part never sits in memory), plus ``extra`` parts."""
    body = body_xml.encode("utf-8") if isinstance(body_xml, str) else body_xml
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as out:
            out.write(
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W_NS}"><w:body>'.encode()
            )
            for _ in range(chunks):
                out.write(body)
            out.write(b"</w:body></w:document>")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _cell(text: str, span: int | None = None) -> str:
    pr = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span else ""
    return f"<w:tc>{pr}{_para(text)}</w:tc>"


def gridspan_docx(span: int = 55_555_555, rows: int = 3) -> tuple[str, bytes]:
    """A small Word file whose table cell claims ``span`` grid columns (issue 12, defect 1)."""
    table = "<w:tbl>" + "".join(f"<w:tr>{_cell('项目')}{_cell(str(r), span)}</w:tr>" for r in range(rows)) + "</w:tbl>"
    return "gridspan.docx", docx_from_body(_para("2023年政府信息公开工作年度报告") + table)


def grid_before_docx(before: int = 55_555_555) -> tuple[str, bytes]:
    """The same through ``w:gridBefore`` (empty grid columns before the row's first cell)."""
    row = f'<w:tr><w:trPr><w:gridBefore w:val="{before}"/></w:trPr>{_cell("项目")}{_cell("1")}</w:tr>'
    return "gridbefore.docx", docx_from_body(_para("报告") + f"<w:tbl>{row}{row}</w:tbl>")


def many_paragraphs_docx(megabytes: int = 8, text: str = "收到申请5件") -> tuple[str, bytes]:
    """A ``word/document.xml`` of ``megabytes`` MB of tiny paragraphs (compresses ~1000:1)."""
    chunk = (_para(text) * 1000).encode()
    return "paragraphs.docx", docx_from_body(chunk, chunks=max(1, megabytes * 1_000_000 // len(chunk)))


def damaged_paragraphs_docx(megabytes: int = 60, text: str = "收到申请5件") -> tuple[str, bytes]:
    """:func:`many_paragraphs_docx` with its zip directory cut off: the salvage, which inflates
    what is left of ``word/document.xml`` and parses it with the recovering parser.

    A recovering parse fed in pieces reads broken XML differently, so the salvage parses a prefix
    whole, only as long as the text limit needs: with the default text, a probe and ~12 MB. With
    ``text=""`` (empty paragraphs, no text to reach the limit) only ``max_docx_elements`` stops
    it (a probe and ~8 MB); with that limit raised (``GONGKAI_AUDIT_READER_LIMITS``) the whole
    part is parsed at once, as far as ``max_decompressed_bytes``: seconds and hundreds of MB, the
    slow and large input the isolation tests need."""
    return "damaged.docx", many_paragraphs_docx(megabytes, text)[1][:-200]


def empty_paragraphs_docx(megabytes: int = 60) -> tuple[str, bytes]:
    """An intact ``word/document.xml`` of ``megabytes`` MB of empty paragraphs (``<w:p/>``): no
    text for ``max_text_chars`` to stop at, only ``max_docx_elements`` stops the reading."""
    chunk = b"<w:p/>" * 10_000
    return "empty.docx", docx_from_body(chunk, chunks=max(1, megabytes * 1_000_000 // len(chunk)))


def extra_part_docx(megabytes: int = 200) -> tuple[str, bytes]:
    """A normal Word body plus one extra part of ``megabytes`` MB of zeros (python-docx loads every part)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W_NS}"><w:body>{_para("报告")}</w:body></w:document>',
        )
        block = b"\0" * 1_000_000
        with zf.open("word/media/blob.bin", "w", force_zip64=True) as out:
            for _ in range(megabytes):
                out.write(block)
    return "extrapart.docx", buf.getvalue()


def many_parts_docx(parts: int = 5000) -> tuple[str, bytes]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W_NS}"><w:body>{_para("报告")}</w:body></w:document>',
        )
        for i in range(parts):
            zf.writestr(f"word/media/p{i}.bin", b"x")
    return "manyparts.docx", buf.getvalue()


def many_rows_text(rows: int = 1_000_000) -> tuple[str, bytes]:
    """A tab-separated table of ``rows`` rows no label of the format matches (one finding each)."""
    head = "2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
    body = "".join(f"其他事项{i}\t{i % 7}\t{i % 5}\t{i % 3}\n" for i in range(rows))
    return "rows.txt", (head + body).encode("utf-8")


def many_rows_html(rows: int = 100_000, cols: int = 3) -> tuple[str, bytes]:
    cells = "".join(f"<td>{c}</td>" for c in range(cols))
    body = "".join(f"<tr><td>其他事项{i}</td>{cells}</tr>" for i in range(rows))
    return "rows.html", f"<html><body><h1>报告</h1><table>{body}</table></body></html>".encode()


def empty_elements_html(megabytes: int = 32, element: str = "<p><br></p>") -> tuple[str, bytes]:
    """Megabytes of empty elements: no text for the text limit to stop at (it took 10 s to walk
    32 MB, and Lexbor seconds to parse millions of tags)."""
    count = megabytes * 1024 * 1024 // len(element)
    return "empty.html", f"<html><body><h1>报告</h1>{element * count}</body></html>".encode()


def wide_html(colspan: int = 1000, rows: int = 5000) -> tuple[str, bytes]:
    body = "".join(f'<tr><td>项目{i}</td><td colspan="{colspan}">1</td></tr>' for i in range(rows))
    return "wide.html", f"<html><body><table>{body}</table></body></html>".encode()


def wide_markdown(cols: int = 5000, rows: int = 50) -> tuple[str, bytes]:
    header = "|" + "|".join(f"c{i}" for i in range(cols)) + "|\n"
    sep = "|" + "|".join("---" for _ in range(cols)) + "|\n"
    body = "".join("|" + "|".join(str(i) for i in range(cols)) + "|\n" for _ in range(rows))
    return "wide.md", (header + sep + body).encode()


def long_number_text(digits: int = 400, *, decimal: bool = True) -> tuple[str, bytes]:
    """A report whose prose states a figure of ``digits`` digits (``…9.5`` when ``decimal``)."""
    number = "9" * digits + (".5" if decimal else "")
    text = (
        "某县教育局2023年政府信息公开工作年度报告\n"
        f"本年度共收到政府信息公开申请{number}件，其中网上申请1件。\n"
        "三、收到和处理政府信息公开申请情况\n"
        f"一、本年新收政府信息公开申请数量\t{number}\t0\t0\t0\t0\t0\t{number}\n"
    )
    return "long-number.txt", text.encode("utf-8")


def long_text(chars: int = 5_000_000) -> tuple[str, bytes]:
    line = "本机关认真贯彻落实政府信息公开条例，收到申请5件。\n"
    return "long.txt", (line * (chars // len(line) + 1)).encode("utf-8")


def pdf_bomb(megabytes: int = 1000) -> tuple[str, bytes]:
    """A small PDF whose page content is a Flate stream of ``megabytes`` MB of spaces (~1 KB per MB)."""
    import zlib

    comp = zlib.compressobj(9)
    block = b" " * 1_000_000
    stream = b"".join(comp.compress(block) for _ in range(megabytes)) + comp.flush()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return "bomb.pdf", bytes(out)
