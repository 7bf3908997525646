"""The Word body read while it is parsed (issue 15): the same reading as python-docx's whole tree, and
no parsing past the text limit.

Each document below is read twice: as the reader does (``word/document.xml`` fed to lxml in
pieces, every paragraph and table read at its end tag and dropped) and the previous way
(python-docx's whole tree, forced by making the streamed reading decline); the two must be equal.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from gongkai.domain.audit.limits import DEFAULT_LIMITS, ReaderLimits
from gongkai.domain.audit.sources import docx as docx_reader
from gongkai.domain.audit.sources import docx_stream, read_source
from tests.unit.audit import hostile as H

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _docx(xml: str | bytes, content_type: str = _MAIN) -> bytes:
    """A .docx whose ``word/document.xml`` is ``xml`` exactly (any root, any encoding)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", H._CONTENT_TYPES.replace(_MAIN, content_type))
        zf.writestr("_rels/.rels", H._RELS)
        zf.writestr("word/document.xml", xml)
    return buf.getvalue()


def _document(body: str, encoding: str = "UTF-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}" standalone="yes"?>'
        f'<w:document xmlns:w="{_W_NS}" xmlns:mc="{_MC_NS}"><w:body>{body}</w:body></w:document>'
    )


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _tc(text: str, pr: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{pr}</w:tcPr>' if pr else ''}{_p(text)}</w:tc>"


# a table with every kind of merge and offset python-docx's grid knows, and one nested table
_SPAN2, _RESTART, _OFFSETS = (
    '<w:gridSpan w:val="2"/>',
    '<w:vMerge w:val="restart"/>',
    ('<w:trPr><w:gridBefore w:val="1"/><w:gridAfter w:val="1"/></w:trPr>'),
)
_TABLE = (
    "<w:tbl>"
    f"<w:tr>{_tc('合并', _SPAN2)}{_tc('三')}</w:tr>"
    f"<w:tr>{_OFFSETS}{_tc('上', _RESTART)}</w:tr>"
    f"<w:tr>{_OFFSETS}{_tc('', '<w:vMerge/>')}</w:tr>"
    f"<w:tr><w:tc><w:tbl><w:tr>{_tc('内')}</w:tr></w:tbl>{_p('外')}</w:tc>{_tc('x')}{_tc('y')}</w:tr>"
    "</w:tbl>"
)
_NOT_A_NUMBER = '<w:gridSpan w:val="x"/>'
# python-docx refuses these grids (a continued merge with nothing above, a span that is no number)
_ODD_TABLES = (
    f"<w:tbl><w:tr>{_tc('a', '<w:vMerge/>')}</w:tr><w:tr>{_tc('b')}</w:tr></w:tbl>"
    f"<w:tbl><w:tr>{_tc('a', _NOT_A_NUMBER)}{_tc('b')}</w:tr></w:tbl>"
)
_CONTROLS = (
    f"<w:sdt><w:sdtContent>{_p('控件')}{_TABLE}<w:customXml>{_p('自定义')}</w:customXml></w:sdtContent></w:sdt>"
    f"<w:ins>{_p('插入')}</w:ins><w:moveTo>{_p('移动')}</w:moveTo>"
)
_TEXT_BOX = (
    "<w:p><w:r><w:t>前</w:t></w:r><w:r><mc:AlternateContent><mc:Choice><w:txbxContent>"
    f"{_p('框内')}</w:txbxContent></mc:Choice><mc:Fallback><w:t>旧</w:t></mc:Fallback></mc:AlternateContent></w:r>"
    "<w:r><w:tab/><w:t>后</w:t><w:br/><w:t>行</w:t></w:r></w:p>"
)
# runs of spaces only: python-docx's parser keeps or drops them by what follows, which the pieces must not change
_SPACES = "".join(
    f"<w:p><w:r><w:t>收到{i}</w:t></w:r><w:r><w:t>{' ' * (i % 3)}</w:t></w:r>"
    f'<w:r><w:t xml:space="preserve">{" " * (i % 2)}</w:t></w:r><w:r><w:t>件</w:t></w:r></w:p>\n  '
    for i in range(40)
)
_BODY = (
    _p("标题")
    + _TABLE
    + _CONTROLS
    + _TEXT_BOX
    + _ODD_TABLES
    + "<!-- c --><?pi x?>"
    + _SPACES
    + _p("尾")
    + "<w:sectPr/>"
)

DOCUMENTS = {
    "mixed": _docx(_document(_BODY)),
    "mixed, many times": _docx(_document(_BODY * 40)),
    "utf-16": _docx(_document(_BODY, "UTF-16").encode("utf-16")),
    "gb18030": _docx(_document(_BODY, "GB18030").encode("gb18030")),
    "empty body": _docx(_document("")),
    "no paragraphs": _docx(_document("<w:bookmarkStart/>" * 50)),
    "no body": _docx(f'<w:document xmlns:w="{_W_NS}"><w:x>{_p("a")}</w:x></w:document>'),
    "another root": _docx(f'<w:foo xmlns:w="{_W_NS}"><w:body>{_p("a")}</w:body></w:foo>'),
    "two bodies": _docx(
        f'<w:document xmlns:w="{_W_NS}"><w:body>{_p("一")}</w:body><w:body>{_p("二")}</w:body></w:document>'
    ),
    "macro content type": _docx(_document(_p("宏")), "application/vnd.ms-word.document.macroEnabled.main+xml"),
    "broken early": _docx(_document(_p("a") + "<w:p><w:r></w:p>" + _p("b") * 10)),
    "too deep": _docx(_document("<w:sdt>" * 300 + _p("深") + "</w:sdt>" * 300)),
    "entity": _docx(
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY e "实体">]><w:document xmlns:w="{_W_NS}">'
        f"<w:body><w:p><w:r><w:t>a&e;b</w:t></w:r></w:p>{_p('c')}</w:body></w:document>"
    ),
}
LIMITS = [
    DEFAULT_LIMITS,
    ReaderLimits(max_text_chars=10),
    ReaderLimits(max_text_chars=60),
    ReaderLimits(max_text_chars=500),
    ReaderLimits(max_table_rows=2),
    ReaderLimits(max_table_columns=2),
]


def _whole(data: bytes, limits: ReaderLimits, monkeypatch: pytest.MonkeyPatch):
    """The reading the previous way: python-docx's whole tree."""
    with monkeypatch.context() as m:
        m.setattr(docx_reader, "read_body_streamed", lambda *args: None)
        return read_source(data, "a.docx", limits=limits)


@pytest.mark.parametrize("limits", LIMITS, ids=lambda lim: repr(lim)[13:60])
@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_the_streamed_body_reads_as_python_docxs_whole_tree(name, limits, monkeypatch):
    data = DOCUMENTS[name]
    monkeypatch.setattr(docx_stream, "_PIECE", 7)  # a piece boundary after nearly every tag
    streamed, whole = read_source(data, "a.docx", limits=limits), _whole(data, limits, monkeypatch)
    assert streamed == whole


def test_the_mixed_document_is_read_by_the_stream_and_keeps_every_detail(monkeypatch):
    data = DOCUMENTS["mixed"]
    assert docx_stream.read_body_streamed(data, DEFAULT_LIMITS, docx_reader._docx_reader) is not None
    doc = read_source(data, "a.docx")
    assert doc.problems == ()
    assert [t.rows for t in doc.tables][:1] == [
        (("合并", "", "三"), ("", "上", ""), ("内 外", "x", "y")),  # the continued merge is an empty row: dropped
    ]
    assert "前\t后\n行" not in doc.text and "前框内\t后" in doc.text and "旧" not in doc.text
    assert "收到1  件" in doc.text and "收到2  件" in doc.text and "收到3 件" in doc.text
    assert "控件" in doc.text and "自定义" in doc.text and "插入" in doc.text and "移动" not in doc.text


def test_a_table_cut_by_the_text_limit_is_left_out_and_the_cut_reported():
    rows = "".join(f"<w:tr>{_tc(f'项目{i}')}{_tc(str(i))}</w:tr>" for i in range(200))
    data = H.docx_from_body(_p("2023年政府信息公开工作年度报告") + f"<w:tbl>{rows}</w:tbl>" + _p("之后"))
    limits = ReaderLimits(max_text_chars=300)
    doc = read_source(data, "a.docx", limits=limits)
    assert doc.text == "2023年政府信息公开工作年度报告"
    assert doc.tables == ()
    assert doc.problems == ("文字超过300个字符的上限，其后的内容没有读取",)


def test_a_huge_body_is_not_parsed_past_the_text_limit():
    """What lies past the text limit is never parsed: broken XML there changes nothing."""
    paragraphs = _p("收到申请5件") * 200_000  # 8 MB of XML
    whole = H.docx_from_body(paragraphs)
    broken = H.docx_from_body(paragraphs + "<w:p></w:r>")
    limits = ReaderLimits(max_text_chars=10_000)
    doc = read_source(broken, "a.docx", limits=limits)
    assert doc == read_source(whole, "a.docx", limits=limits)
    assert doc.problems == ("文字超过10000个字符的上限，其后的内容没有读取",)
    assert doc.text.count("收到申请5件") == 10_000 // len("收到申请5件\n")


def test_broken_xml_before_the_text_limit_is_salvaged_as_before():
    data = H.docx_from_body(_p("前文") * 10 + "<w:p></w:r>")
    doc = read_source(data, "a.docx")
    assert doc.problems[0].startswith("无法解析Word文件：XMLSyntaxError")
    assert doc.text.splitlines() == ["前文"] * 10


def test_a_body_within_the_limit_is_read_to_its_end():
    data = H.docx_from_body(_p("收到申请5件") * 20_000 + _p("最后一段"))
    doc = read_source(data, "a.docx")
    assert doc.problems == () and doc.text.endswith("收到申请5件\n最后一段")
