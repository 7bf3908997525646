"""The reader's resource limits (issue 12): every hostile input ends as a finding, quickly.

Each test builds the attack in memory (``hostile.py``) and asserts what the reader returned stays
within ``ReaderLimits`` and says, in Chinese, that a limit was reached.
"""

from __future__ import annotations

import json
import time

import pytest

from gongkai.domain.audit import audit_bytes
from gongkai.domain.audit.limits import DEFAULT_LIMITS, ReaderLimits
from gongkai.domain.audit.sources import read_source
from tests.unit.audit import hostile as H


def _strict_json(report) -> dict:
    def refuse(value: str) -> float:
        raise ValueError(f"not JSON: {value}")

    body = json.dumps(report.to_json(), ensure_ascii=False, allow_nan=False)
    return json.loads(body, parse_constant=refuse)


def _within(doc, limits: ReaderLimits) -> None:
    assert len(doc.text) <= limits.max_text_chars
    for t in doc.tables:
        assert len(t.rows) <= limits.max_table_rows
        assert all(len(r) <= limits.max_table_columns for r in t.rows)
        assert sum(len(r) for r in t.rows) <= limits.max_table_cells


def test_a_41_kb_word_file_claiming_55_million_columns_is_read_with_the_column_limit():
    name, data = H.gridspan_docx(55_555_555)
    assert len(data) < 50_000
    started = time.perf_counter()
    doc = read_source(data, name)
    assert time.perf_counter() - started < 10
    _within(doc, DEFAULT_LIMITS)
    assert doc.tables and max(len(r) for t in doc.tables for r in t.rows) == DEFAULT_LIMITS.max_table_columns
    assert any("列" in p and "上限" in p for p in doc.problems), doc.problems


def test_grid_before_is_capped_too():
    name, data = H.grid_before_docx(55_555_555)
    doc = read_source(data, name)
    _within(doc, DEFAULT_LIMITS)
    assert any("上限" in p for p in doc.problems)


def test_a_word_file_whose_parts_inflate_beyond_the_limit_is_refused_before_reading():
    name, data = H.extra_part_docx(80)  # 80 MB of zeros: about 80 KB in the zip
    assert len(data) < 1_000_000
    doc = read_source(data, name)
    assert doc.kind == "docx" and doc.text == ""
    assert any("解压后" in p and "上限" in p for p in doc.problems), doc.problems
    report = audit_bytes(data, name)
    assert any(f.rule == "source_problem" and "解压后" in f.message for f in report.findings)


def test_a_word_file_of_too_many_parts_is_refused():
    name, data = H.many_parts_docx(1200)
    doc = read_source(data, name)
    assert doc.text == "" and any("部分" in p and "上限" in p for p in doc.problems), doc.problems


def test_the_salvage_of_a_damaged_word_file_inflates_no_more_than_the_limit():
    name, data = H.many_paragraphs_docx(8)
    damaged = data[: len(data) - 200]  # central directory gone: the salvage path
    limits = ReaderLimits(max_decompressed_bytes=1_000_000)
    doc = read_source(damaged, name, limits=limits)
    _within(doc, limits)
    assert len(doc.text) < 1_000_000


def test_text_beyond_the_limit_is_left_out_at_a_line_break_with_a_problem():
    name, data = H.long_text(300_000)
    limits = ReaderLimits(max_text_chars=50_000)
    doc = read_source(data, name, limits=limits)
    _within(doc, limits)
    assert doc.text.endswith("。")  # cut after a whole line
    assert any("50000" in p or "50,000" in p for p in doc.problems), doc.problems


@pytest.mark.parametrize("kind", ["text", "html", "markdown", "docx"])
def test_table_rows_beyond_the_limit_are_left_out(kind):
    limits = ReaderLimits(max_table_rows=50)
    if kind == "text":
        name, data = H.many_rows_text(500)
    elif kind == "html":
        name, data = H.many_rows_html(500)
    elif kind == "markdown":
        name, data = H.wide_markdown(cols=4, rows=500)
    else:
        rows = "".join(
            f"<w:tr><w:tc><w:p><w:r><w:t>项{i}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>{i}</w:t></w:r></w:p></w:tc></w:tr>"
            for i in range(500)
        )
        name, data = "rows.docx", H.docx_from_body(f"<w:tbl>{rows}</w:tbl>")
    doc = read_source(data, name, limits=limits)
    _within(doc, limits)
    assert doc.tables
    assert any("行" in p and "上限" in p for p in doc.problems), doc.problems


@pytest.mark.parametrize("kind", ["html", "markdown"])
def test_table_columns_and_cells_beyond_the_limits_are_left_out(kind):
    limits = ReaderLimits(max_table_columns=20, max_table_cells=500)
    name, data = H.wide_html(colspan=1000, rows=200) if kind == "html" else H.wide_markdown(cols=300, rows=100)
    doc = read_source(data, name, limits=limits)
    _within(doc, limits)
    assert any("上限" in p for p in doc.problems), doc.problems


@pytest.mark.parametrize("element", ["<p><br></p>", "<b>x</b>", "<div></div>"])
def test_an_html_page_of_millions_of_elements_is_read_up_to_the_node_limit(element):
    """Whatever the page holds, the reader visits at most ``max_html_nodes`` nodes and parses at most
    twice as many tags; what is cut is said. Measured: 32 MB of any of these took 2-10 s to read
    before the limits, under 0.6 s with them."""
    name, data = H.empty_elements_html(2, element)
    limits = ReaderLimits(max_html_nodes=10_000)
    doc = read_source(data, name, limits=limits)
    _within(doc, limits)
    assert doc.text.startswith("报告")
    assert any("20,000" in p and "标签" in p for p in doc.problems), doc.problems
    # fewer tags than the cut, more nodes than the walk visits (an element and its text each)
    fewer = f"<html><body><h1>报告</h1>{'<b>x</b>' * 9000}</body></html>".encode()
    problems = read_source(fewer, name, limits=limits).problems
    assert any("10,000" in p and "元素" in p for p in problems) and not any("标签" in p for p in problems)


def test_the_html_limits_change_nothing_on_an_ordinary_page():
    name, data = H.many_rows_html(500)
    assert read_source(data, name) == read_source(data, name, limits=ReaderLimits(max_html_nodes=10**9))


def test_prose_figures_beyond_the_limit_are_not_read_and_the_report_says_so():
    """A report states a few hundred figures; a text of a million characters of them is read up to
    ``max_prose_figures`` (keying and comparing them all took seconds)."""
    data = ("2023年政府信息公开工作年度报告\n" + "收到申请5件。" * 3000).encode()
    report = audit_bytes(data, "figures.txt", limits=ReaderLimits(max_prose_figures=1000))
    said = [f.message for f in report.findings if f.rule == "source_problem"]
    assert any("1,000" in m and "未核对" in m for m in said), said
    assert not any("未核对" in f.message for f in audit_bytes(data, "figures.txt").findings)


def test_a_text_input_beyond_the_byte_limit_is_cut():
    name, data = H.long_text(200_000)
    limits = ReaderLimits(max_input_bytes=100_000)
    doc = read_source(data, name, limits=limits)
    assert len(doc.text.encode()) <= 100_000
    assert any("上限" in p for p in doc.problems)


def test_pdf_pages_beyond_the_limit_are_not_read():
    pdfium = pytest.importorskip("pypdfium2")
    pdf = pdfium.PdfDocument.new()
    for _ in range(5):
        pdf.new_page(200, 200)
    import io

    buf = io.BytesIO()
    pdf.save(buf)
    doc = read_source(buf.getvalue(), "pages.pdf", limits=ReaderLimits(max_pages=2))
    assert any("共5页" in p and "2页" in p for p in doc.problems), doc.problems


def test_a_pdf_whose_streams_inflate_beyond_the_limit_is_not_read():
    name, data = H.pdf_bomb(200)  # 200 MB of page content in a file of ~200 KB
    assert len(data) < 1_000_000
    started = time.perf_counter()
    doc = read_source(data, name)
    assert time.perf_counter() - started < 10
    assert doc.kind == "pdf" and doc.text == ""
    assert any("解压后" in p and "上限" in p for p in doc.problems), doc.problems
    small = read_source(H.pdf_bomb(2)[1], name)  # 2 MB inflated: read as usual
    assert not any("上限" in p for p in small.problems)


def test_findings_beyond_the_limit_become_one_finding_that_says_so():
    name, data = H.many_rows_text(3000)
    report = audit_bytes(data, name, limits=ReaderLimits(max_findings=100))
    assert len(report.findings) == 101
    capped = [f for f in report.findings if f.rule == "findings_limit"]
    assert len(capped) == 1 and "100" in capped[0].message and "未列出" in capped[0].message
    _strict_json(report)


def test_findings_limit_keeps_errors_before_warnings():
    name, data = H.many_rows_text(3000)
    full = audit_bytes(data, name)
    errors = sum(1 for f in full.findings if f.severity == "error")
    capped = audit_bytes(data, name, limits=ReaderLimits(max_findings=errors + 5))
    assert sum(1 for f in capped.findings if f.severity == "error") == errors


def test_a_million_row_table_is_audited_within_the_limits():
    name, data = H.many_rows_text(1_000_000)
    started = time.perf_counter()
    report = audit_bytes(data, name)
    elapsed = time.perf_counter() - started
    assert len(report.findings) <= DEFAULT_LIMITS.max_findings + 1
    assert len(report.text) <= DEFAULT_LIMITS.max_text_chars
    assert elapsed < 60, elapsed  # a generous guard against a hang, not a performance target
    assert any(f.rule == "source_problem" and "所在部分超过2000行的上限" in f.message for f in report.findings)


def test_table_rows_examined_by_the_extraction_are_capped():
    name, data = H.many_rows_text(300)
    report = audit_bytes(data, name, limits=ReaderLimits(max_table_rows=40))
    capped = [f for f in report.findings if "所在部分超过40行的上限" in f.message]
    assert capped and sum(1 for f in report.findings if f.rule == "unmatched_row") <= 40


def test_limits_refuse_nonsense_values():
    with pytest.raises(ValueError):
        ReaderLimits(max_pages=0)
    with pytest.raises(ValueError):
        DEFAULT_LIMITS.with_overrides({"max_nothing": 3})
    assert DEFAULT_LIMITS.with_overrides({"max_pages": "7"}).max_pages == 7


# -- numbers of absurd length (issue 12, defect 3) ---------------------------------------------


def test_a_400_digit_decimal_in_prose_is_not_a_figure_and_the_json_is_strict():
    name, data = H.long_number_text(400)
    report = audit_bytes(data, name)
    out = _strict_json(report)
    assert not any(f.rule == "reader_error" for f in report.findings)
    assert all(abs(fig.value) < 1e31 for fig in report.prose_figures)
    assert "Infinity" not in json.dumps(report.to_json())
    assert out["file"] == name


def test_a_number_of_5000_digits_makes_no_reader_error():
    name, data = H.long_number_text(5000, decimal=False)
    report = audit_bytes(data, name)
    assert not any(f.rule == "reader_error" for f in report.findings), [f.message for f in report.findings]
    _strict_json(report)


def test_chinese_numerals_of_absurd_length_are_not_figures():
    from gongkai.domain.audit.prose import cn_to_int

    assert cn_to_int("一" * 5000) is None
    assert cn_to_int("二〇二一") == 2021


def test_to_json_never_holds_a_non_finite_number():
    from gongkai.domain.audit.model import AuditFinding, AuditReport

    report = AuditReport(
        file="x",
        format="2021",
        year=2023,
        agency=None,
        tables={"table_3": {"new_received": {"total": float("inf")}}},
        findings=[AuditFinding("r", "error", "m", expected=float("nan"), actual=float("-inf"))],
    )
    out = _strict_json(report)
    assert out["tables"]["table_3"]["new_received"]["total"] is None
    assert out["findings"][0]["where"]["expected"] is None
