"""Word bodies of more paragraphs and tables than ``max_docx_elements``: a body of empty paragraphs
has no text for ``max_text_chars`` to stop at, so the reader stops counting paragraphs and tables
(issue 15: no input slower than 2 s). Every path says the same: the streamed body, python-docx's
whole tree, and the salvage of a damaged file (through a prefix or whole)."""

from __future__ import annotations

import pytest

from gongkai.domain.audit.limits import DEFAULT_LIMITS, ReaderLimits
from gongkai.domain.audit.sources import docx as D
from gongkai.domain.audit.sources import read_source
from tests.unit.audit import hostile as H

NOTE = "Word文件的段落和表格超过{}个的上限，其后的内容没有读取"


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _table() -> str:
    return f"<w:tbl><w:tr><w:tc>{_p('项目')}</w:tc><w:tc>{_p('5')}</w:tc></w:tr></w:tbl>"


def _whole_tree(monkeypatch: pytest.MonkeyPatch, data: bytes, limits: ReaderLimits):
    """The reading through python-docx's whole tree (the path for what the stream does not vouch for)."""
    with monkeypatch.context() as m:
        m.setattr(D, "read_body_streamed", lambda data, limits, make_reader: None)
        return read_source(data, "a.docx", limits=limits)


def _salvaged_whole(monkeypatch: pytest.MonkeyPatch, data: bytes, limits: ReaderLimits):
    with monkeypatch.context() as m:
        m.setattr(D, "_salvage_prefix", lambda member, limits: None)
        return read_source(data, "a.docx", limits=limits)


def test_the_default_is_far_above_a_long_report():
    # a 500-page report of some 40 paragraphs a page has 20,000; its tables count one each
    assert DEFAULT_LIMITS.max_docx_elements == 200_000


def test_a_body_of_empty_paragraphs_past_the_limit_is_cut_and_the_cut_reported(monkeypatch):
    body = _p("2023年政府信息公开工作年度报告") + _table() + "<w:p/>" * 5_000 + _p("之后")
    data = H.docx_from_body(body)
    limits = ReaderLimits(max_docx_elements=1_000)
    doc = read_source(data, "a.docx", limits=limits)
    # the heading and the table (two of the 1,000) read, the paragraph after the empty ones not
    assert doc.text.startswith("2023年政府信息公开工作年度报告") and "之后" not in doc.text
    assert len(doc.tables) == 1 and doc.tables[0].rows == (("项目", "5"),)
    assert doc.problems == (NOTE.format(1_000),)
    assert doc == _whole_tree(monkeypatch, data, limits)


@pytest.mark.parametrize("count", [999, 1_000])
def test_a_body_within_the_limit_is_read_to_its_end(monkeypatch, count):
    data = H.docx_from_body("<w:p/>" * (count - 1) + _p("最后一段"))
    limits = ReaderLimits(max_docx_elements=1_000)
    doc = read_source(data, "a.docx", limits=limits)
    assert doc.text.endswith("最后一段") and doc.problems == ()
    assert doc == read_source(data, "a.docx") == _whole_tree(monkeypatch, data, limits)


def test_paragraphs_in_content_controls_count_and_the_cut_is_said_once():
    body = _p("前文") + "<w:sdt><w:sdtContent>" + "<w:p/>" * 50 + "</w:sdtContent></w:sdt>" + _p("之后") * 50
    doc = read_source(H.docx_from_body(body), "a.docx", limits=ReaderLimits(max_docx_elements=40))
    assert doc.text == "前文" and doc.problems == (NOTE.format(40),)


def test_a_damaged_body_of_empty_paragraphs_is_parsed_only_as_far_as_the_limit_needs(monkeypatch):
    _, data = H.damaged_paragraphs_docx(4, text="")  # 4 MB of empty paragraphs, the zip directory cut off
    limits = ReaderLimits(max_docx_elements=20_000)
    parsed: list[int] = []
    prefix = D._MemberInflater.prefix
    monkeypatch.setattr(D._MemberInflater, "prefix", lambda self, size: parsed.append(size) or prefix(self, size))
    doc = read_source(data, "a.docx", limits=limits)
    # a probe, then a prefix about as long as 20,000 paragraphs (~0.9 MB of XML) and half again
    assert len(parsed) == 2 and sum(parsed) < 2_000_000, parsed
    assert doc.problems == ("无法解析Word文件：BadZipFile: File is not a zip file", NOTE.format(20_000), "没有读出文字")
    monkeypatch.undo()
    assert doc == _salvaged_whole(monkeypatch, data, limits)


@pytest.mark.parametrize("first", [64, 700, 5_000, 256 * 1024])
@pytest.mark.parametrize("elements", [1, 10, 99, 100, 101, 150, 100_000])
def test_a_salvage_prefix_reads_what_the_whole_part_reads(monkeypatch, first, elements):
    """Whatever the limit and the first prefix, the reading is the whole part's, byte for byte."""
    body = "".join(
        _p(f"第{i}段，收到申请{i * 7919 % 1000}件") + ("<w:p/>" * 3 if i % 5 else _table()) for i in range(200)
    )
    data = H.docx_from_body(body)
    limits = ReaderLimits(max_docx_elements=elements)
    for damaged in (data[:-200], data[: len(data) * 2 // 3]):
        monkeypatch.setattr(D, "_SALVAGE_FIRST", first)
        doc = read_source(damaged, "a.docx", limits=limits)
        assert doc == _salvaged_whole(monkeypatch, damaged, limits)
        # what is left of the part holds more than 200 paragraphs and tables
        assert (NOTE.format(elements) in doc.problems) == (elements < 200)


@pytest.mark.parametrize("first", ["", _p("前文")])
def test_paragraphs_in_a_table_cell_count_and_the_table_that_passes_the_limit_is_left_out(monkeypatch, first):
    cell = "<w:tc>" + "<w:p/>" * 3_000 + _p("5") + "</w:tc>"
    body = first + _table() + f"<w:tbl><w:tr><w:tc>{_p('项目')}</w:tc>{cell}</w:tr></w:tbl>" + _p("之后")
    data = H.docx_from_body(body)
    limits = ReaderLimits(max_docx_elements=1_000)
    doc = read_source(data, "a.docx", limits=limits)
    assert [t.rows for t in doc.tables] == [(("项目", "5"),)]  # the first table only
    assert "之后" not in doc.text and NOTE.format(1_000) in doc.problems
    assert doc == _whole_tree(monkeypatch, data, limits)
    assert read_source(data, "a.docx").tables[1].rows == (("项目", "5"),)  # within the default


def test_the_hostile_body_of_empty_paragraphs_stops_at_the_default_limit():
    _, data = H.empty_paragraphs_docx(2)  # 2 MB of <w:p/>: 333,333 paragraphs
    doc = read_source(data, "empty.docx")
    assert doc.problems == (NOTE.format(200_000), "Word文件中没有可读的文字")
