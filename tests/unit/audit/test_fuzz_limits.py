"""Fuzz the reader over all six input kinds with small limits (issue 12).

For generated inputs of every kind the reader knows — plain text, Markdown, HTML, PDF, Word
.docx, and unknown binary — built from random tables (spans of any size, huge ``gridSpan`` and
``colspan`` values, digit runs of hundreds of digits) and then possibly cut short or corrupted:

* ``read_source`` and ``audit_bytes`` never raise;
* nothing exceeds the limits (text, rows, columns, cells, findings + one ``findings_limit``);
* every result serialises as strict JSON (``allow_nan=False``; ``parse_constant`` refuses
  NaN/Infinity).

Bounded for CI: ``max_examples`` per kind and a per-example deadline; the whole file runs in
well under a minute (``FUZZ_EXAMPLES`` raises the count for a longer local run).
"""

from __future__ import annotations

import json
import os
import zlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.domain.audit import audit_bytes
from gongkai.domain.audit.limits import ReaderLimits
from gongkai.domain.audit.sources import read_source
from tests.unit.audit import hostile as H

LIMITS = ReaderLimits(
    max_input_bytes=40_000,
    max_decompressed_bytes=400_000,
    max_parts=12,
    max_pages=2,
    max_table_rows=15,
    max_table_columns=8,
    max_table_cells=60,
    max_text_chars=4_000,
    max_findings=12,
)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=os.environ.get("FUZZ_RANDOM") is None,  # the same examples in CI every run
)

WORDS = [
    "收到申请",
    "本年新收政府信息公开申请数量",
    "总计",
    "其他",
    "行政复议",
    "2023年",
    "件",
    "XX局",
    "予以公开",
    "第二十条",
]
numbers = st.one_of(
    st.integers(0, 99999).map(str),
    st.integers(31, 600).map(lambda n: "9" * n),  # beyond MAX_NUMBER_DIGITS and float range
    st.integers(1, 60).map(lambda n: "1" * n + ".5"),
    st.sampled_from(["-", "/", "无", "0", "1,234", "一百零五", "二" * 40]),
)
cells = st.one_of(numbers, st.sampled_from(WORDS), st.text(alphabet="年报表三一二|<>&\t \n", max_size=6))
spans = st.one_of(st.just(1), st.integers(0, 5), st.sampled_from([55_555_555, 999_999, 1001, 70000]))
tables = st.lists(st.lists(st.tuples(cells, spans, spans), min_size=1, max_size=12), min_size=1, max_size=25)
prose = st.lists(
    st.tuples(st.sampled_from(WORDS), numbers, st.sampled_from(["件", "条", "万元", ""])), max_size=12
).map(lambda items: "，".join(f"{w}{n}{u}" for w, n, u in items))
# what happens to the bytes after they are made: nothing, cut short, or a few bytes overwritten
damage = st.one_of(
    st.just(None),
    st.tuples(st.just("cut"), st.floats(0.05, 0.99)),
    st.tuples(st.just("flip"), st.lists(st.tuples(st.floats(0, 0.999), st.integers(0, 255)), min_size=1, max_size=8)),
)


def _damaged(data: bytes, how) -> bytes:
    if how is None or not data:
        return data
    if how[0] == "cut":
        return data[: max(1, int(len(data) * how[1]))]
    out = bytearray(data)
    for where, value in how[1]:
        out[int(where * len(out))] = value
    return bytes(out)


def _text(title: str, table, body: str) -> bytes:
    rows = "\n".join("\t".join(c for c, _, _ in row) for row in table)
    return f"{title}\n{body}\n三、收到和处理政府信息公开申请情况\n{rows}\n".encode()


def _markdown(title: str, table, body: str) -> bytes:
    width = max(len(r) for r in table)
    lines = ["| " + " | ".join(c for c, _, _ in row) + " |" for row in table]
    lines.insert(1, "|" + "---|" * max(1, width))
    return ("# " + title + "\n\n" + body + "\n\n" + "\n".join(lines) + "\n").encode()


def _html(title: str, table, body: str) -> bytes:
    trs = "".join(
        "<tr>" + "".join(f'<td colspan="{cs}" rowspan="{rs}">{c}</td>' for c, cs, rs in row) + "</tr>" for row in table
    )
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{body}</p><table>{trs}</table></body></html>".encode()


def _docx(title: str, table, body: str) -> bytes:
    def esc(s: str) -> str:
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def tc(c: str, cs: int, rs: int) -> str:
        pr = f'<w:tcPr><w:gridSpan w:val="{cs}"/>{"<w:vMerge/>" if rs == 0 else ""}</w:tcPr>'
        return f"<w:tc>{pr}<w:p><w:r><w:t>{esc(c)}</w:t></w:r></w:p></w:tc>"

    trs = "".join(
        f'<w:tr><w:trPr><w:gridBefore w:val="{row[0][2]}"/></w:trPr>' + "".join(tc(*cell) for cell in row) + "</w:tr>"
        for row in table
    )
    para = "".join(f"<w:p><w:r><w:t>{esc(x)}</w:t></w:r></w:p>" for x in (title, body))
    return H.docx_from_body(para + f"<w:tbl>{trs}</w:tbl>")


def _pdf(title: str, table, body: str) -> bytes:
    """A small hand-made PDF (Helvetica, ASCII: the text is what pdfplumber must survive, not read)."""
    text = [title, body, *("  ".join(c for c, _, _ in row) for row in table)]
    lines = [s.encode("ascii", "replace").replace(b"\\", b"").replace(b"(", b"").replace(b")", b"")[:200] for s in text]
    pages = [lines[i : i + 20] for i in range(0, len(lines), 20)] or [[b""]]
    objs: list[bytes] = []
    kids = []
    for page in pages:
        stream = b"BT /F1 10 Tf 40 800 Td 12 TL " + b" ".join(b"(" + ln + b") '" for ln in page) + b" ET"
        objs.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        content = len(objs)
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"
            % (content + 2)
        )
        kids.append(len(objs) + 2)
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    tree = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    allobjs = [catalog, tree, *objs]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(allobjs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(allobjs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(allobjs) + 1, xref)
    return bytes(out)


def _unknown(title: str, table, body: str) -> bytes:
    # binary junk around compressed report text: controls, a stray zip header, NULs
    return b"\x00\x01\x02PK\x03\x04" + zlib.compress(_text(title, table, body)) + bytes(range(256))


KINDS = {
    "text": ("report.txt", _text),
    "markdown": ("report.md", _markdown),
    "html": ("report.html", _html),
    "docx": ("report.docx", _docx),
    "pdf": ("report.pdf", _pdf),
    "unknown": ("report.bin", _unknown),
}


def _refuse(value: str) -> float:
    raise ValueError(f"not JSON: {value}")


def _check(name: str, data: bytes) -> None:
    doc = read_source(data, name, limits=LIMITS)
    assert len(doc.text) <= LIMITS.max_text_chars
    for t in doc.tables:
        assert len(t.rows) <= LIMITS.max_table_rows
        assert all(len(r) <= LIMITS.max_table_columns for r in t.rows)
        assert sum(len(r) for r in t.rows) <= LIMITS.max_table_cells
        assert 0 <= t.start <= t.end <= len(doc.text)
    report = audit_bytes(data, name, limits=LIMITS)
    assert len(report.original) <= LIMITS.max_text_chars
    assert len(report.findings) <= LIMITS.max_findings + 1
    assert sum(1 for f in report.findings if f.rule == "findings_limit") <= 1
    assert not any(f.rule == "reader_error" for f in report.findings), [f.message for f in report.findings]
    body = json.dumps(report.to_json(), ensure_ascii=False, allow_nan=False)
    json.loads(body, parse_constant=_refuse)


def _fuzz(kind: str):
    name, build = KINDS[kind]

    @FUZZ
    @given(
        title=st.sampled_from(["某县教育局2023年政府信息公开工作年度报告", "20XX年报告", "报告"]),
        table=tables,
        body=prose,
        how=damage,
    )
    def run(title, table, body, how):
        _check(name, _damaged(build(title, table, body), how))

    return run


test_fuzz_text = _fuzz("text")
test_fuzz_markdown = _fuzz("markdown")
test_fuzz_html = _fuzz("html")
test_fuzz_docx = _fuzz("docx")
test_fuzz_pdf = _fuzz("pdf")
test_fuzz_unknown = _fuzz("unknown")


def test_the_generated_inputs_are_read_as_their_kinds():
    """The fuzz really covers six kinds (a generator that silently made text would cover one)."""
    table = [[("总计", 1, 1), ("5", 2, 1)], [("其他", 1, 1), ("3", 1, 1)]]
    seen = {kind: read_source(build("报告", table, "收到申请5件"), name).kind for kind, (name, build) in KINDS.items()}
    assert seen == {kind: kind for kind in KINDS}
    assert "report" in read_source(_pdf("report", table, "5"), "r.pdf").text
