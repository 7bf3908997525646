"""Reading any input into a RawDocument (gongkai.domain.audit.sources).

Every fixture is built here from the development samples in ../shared/samples (which are never
modified): the samples re-encoded, sample-03's tables wrapped into a web page, a Word file, a PDF
and Markdown. Where a fixture needs figures that can tell cells apart, the labels are the
sample's and the figures are made up (the sample's tables are all zeros).
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from pathlib import Path
from typing import get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.domain.audit.limits import DEFAULT_LIMITS, ReaderLimits
from gongkai.domain.audit.model import RawDocument, SourceKind
from gongkai.domain.audit.sources import detect_kind, read_source

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"
SAMPLE_NAMES = [f"sample-0{i}.txt" for i in range(1, 6)]


def sample(name: str) -> str:
    return (SAMPLES / name).read_bytes().decode("utf-8")


def render(rows) -> str:
    return "\n".join("\t".join(row) for row in rows)


def assert_well_formed(doc: RawDocument) -> None:
    """The promises every RawDocument keeps, whatever the input."""
    assert isinstance(doc, RawDocument)
    assert isinstance(doc.text, str)
    assert doc.kind in get_args(SourceKind)
    assert isinstance(doc.problems, tuple)
    assert all(isinstance(p, str) and p for p in doc.problems)
    previous_end = -1
    for table in doc.tables:
        assert 0 <= table.start <= table.end <= len(doc.text)
        assert table.start > previous_end
        assert doc.text[table.start : table.end] == render(table.rows)
        assert table.start == 0 or doc.text[table.start - 1] == "\n"
        assert table.end == len(doc.text) or doc.text[table.end] == "\n"
        for row in table.rows:
            assert all(isinstance(c, str) and "\t" not in c and "\n" not in c for c in row)
        previous_end = table.end


def sample03_lines() -> list[str]:
    return sample("sample-03.txt").split("\n")


def line_starting(prefix: str) -> str:
    return next(line for line in sample03_lines() if line.startswith(prefix))


def labels(line: str) -> list[str]:
    """The filled cells of a tab-separated sample line that are not figures."""
    return [c.strip() for c in line.split("\t") if c.strip() and not re.fullmatch(r"[\d.]+", c.strip())]


def table2_rows() -> list[list[str]]:
    """Table 二 of sample-03 as its tab-separated lines give it (first run of tab lines)."""
    lines = sample03_lines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("第二十条第（一）项"))
    end = start
    while end < len(lines) and "\t" in lines[end]:
        end += 1
    return [ln.split("\t") for ln in lines[start:end]]


# --------------------------------------------------------------------------------------------
# table 三's header and first rows, with sample-03's labels and distinct made-up figures


def table3_parts():
    head1 = labels(line_starting("(本列数据"))  # [勾稽 note, 申请人情况, 总计]
    head2 = [
        c.strip()
        for c in sample03_lines()[sample03_lines().index(line_starting("(本列数据")) + 1].split("\t")
        if c.strip()
    ]
    head3 = [
        c.strip()
        for c in sample03_lines()[sample03_lines().index(line_starting("(本列数据")) + 2].split("\t")
        if c.strip()
    ]
    new = labels(line_starting("一、本年新收"))[0]
    carried = labels(line_starting("二、上年结转"))[0]
    results, granted = labels(line_starting("三、本年度办理结果"))
    (partly,) = labels(line_starting("\t(二) 部分公开"))
    refused, secret = labels(line_starting("\t(三) 不予以公开"))
    (other_law,) = labels(line_starting("\t\t2. 其他法律行政法规禁止公开"))
    return dict(
        note=head1[0],
        applicants=head1[1],
        total=head1[2],
        natural=head2[0],
        legal=head2[1],
        kinds=head3,
        new=new,
        carried=carried,
        results=results,
        granted=granted,
        partly=partly,
        refused=refused,
        secret=secret,
        other_law=other_law,
    )


def figures(row: int) -> list[str]:
    return [str(row * 10 + k) for k in range(7)]


def table3_html() -> str:
    p = table3_parts()

    def tds(values):
        return "".join(f"<td>{v}</td>" for v in values)

    return (
        "<table border=1>"
        f'<tr><th colspan="3" rowspan="3">{p["note"]}</th><th colspan="7">{p["applicants"]}</th></tr>'
        f'<tr><th rowspan="2">{p["natural"]}</th><th colspan="5">{p["legal"]}</th><th rowspan="2">{p["total"]}</th></tr>'
        f"<tr>{tds(p['kinds'])}</tr>"
        f'<tr><td colspan="3">{p["new"]}</td>{tds(figures(4))}</tr>'
        f'<tr><td colspan="3">{p["carried"]}</td>{tds(figures(5))}</tr>'
        f'<tr><td rowspan="4">{p["results"]}</td><td colspan="2">{p["granted"]}</td>{tds(figures(6))}</tr>'
        f'<tr><td colspan="2">{p["partly"]}</td>{tds(figures(7))}</tr>'
        f'<tr><td rowspan="2">{p["refused"]}</td><td>{p["secret"]}</td>{tds(figures(8))}</tr>'
        f"<tr><td>{p['other_law']}</td>{tds(figures(9))}</tr>"
        "</table>"
    )


def table3_grid() -> tuple[tuple[str, ...], ...]:
    p = table3_parts()
    rows = [
        [p["note"], "", "", p["applicants"], "", "", "", "", "", ""],
        ["", "", "", p["natural"], p["legal"], "", "", "", "", p["total"]],
        ["", "", "", "", *p["kinds"], ""],
        [p["new"], "", "", *figures(4)],
        [p["carried"], "", "", *figures(5)],
        [p["results"], p["granted"], "", *figures(6)],
        ["", p["partly"], "", *figures(7)],
        ["", p["refused"], p["secret"], *figures(8)],
        ["", "", p["other_law"], *figures(9)],
    ]
    return tuple(tuple(r) for r in rows)


def report_page(table_html: str) -> str:
    """A published web page: navigation chrome, &nbsp; indents, sample-03's prose and a table."""
    lines = sample03_lines()
    title = "尖扎县教育局2021年度政府信息公开工作年度报告"
    intro = next(ln for ln in lines if ln.startswith("2021 年，我局根据要求"))
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}_尖扎县人民政府</title>
<style>body {{ font-family: sans-serif; }} .nav li {{ display: inline; }}</style>
<script>var site = "统计脚本不应出现";</script></head>
<body>
<div class="header"><span>尖扎县人民政府门户网站</span></div>
<nav class="nav"><ul><li><a href="/">网站首页</a></li><li><a href="/bs/">办事服务</a></li></ul></nav>
<div class="position">您现在的位置：<a href="/">首页</a>&nbsp;&gt;&nbsp;<a href="/xxgk/">信息公开</a></div>
<div id="main"><h1>{title}</h1>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{intro}</p>
<p>三、收到和处理政府信息公开申请情况</p>
{table_html}
<p>四、政府信息公开行政复议、行政诉讼情况<br>（无）</p>
</div>
<footer class="footer"><p>主办：尖扎县人民政府办公室&nbsp;|&nbsp;备案号：青ICP备0000号</p></footer>
</body></html>"""


# --------------------------------------------------------------------------------------------
# plain text


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_a_utf8_sample_is_read_as_text_exactly_as_published(name):
    data = (SAMPLES / name).read_bytes()
    doc = read_source(data, name)
    assert_well_formed(doc)
    assert doc.kind == "text"
    assert doc.encoding == "utf-8"
    assert doc.text == data.decode("utf-8")
    assert doc.problems == ()
    assert doc.name == name


def test_windows_line_endings_become_newlines_and_nothing_else_changes():
    text = sample("sample-05.txt")
    doc = read_source(text.replace("\n", "\r\n").encode("utf-8"), "report.txt")
    assert doc.text == text


def test_a_utf8_byte_order_mark_is_dropped():
    text = sample("sample-05.txt")
    doc = read_source(b"\xef\xbb\xbf" + text.encode("utf-8"), "report.txt")
    assert doc.text == text
    assert doc.encoding == "utf-8"


def test_the_tab_separated_tables_of_sample_03_become_tables_pointing_at_their_lines():
    doc = read_source((SAMPLES / "sample-03.txt").read_bytes(), "sample-03.txt")
    assert_well_formed(doc)
    assert doc.text == sample("sample-03.txt")  # the text itself is untouched
    assert len(doc.tables) == 4  # 二, 三 (split by the blank line in its (六)2 label), its tail, 四
    table2 = doc.tables[0]
    assert [list(r) for r in table2.rows] == table2_rows()
    assert table2.rows[0] == ("第二十条第（一）项", "", "", "")
    assert table2.rows[2] == ("规章", "0", "0", "3")
    table3 = doc.tables[1]
    assert table3.rows[0][0].startswith("(本列数据的勾稽关于人")
    assert any(r[0] == "一、本年新收政府信息公开申请数量" for r in table3.rows)
    table4 = doc.tables[3]
    assert table4.rows[0][0] == "行政复议"
    assert doc.text.index("四、政府信息公开行政复议") < table4.start


def test_indented_prose_and_single_tab_lines_are_not_taken_for_tables():
    paragraphs = [ln for ln in sample03_lines() if len(ln) > 100][:3]
    text = "\n".join("\t" + p for p in paragraphs) + "\n\t一、总体情况\n\t二、主动公开"
    doc = read_source(text.encode("utf-8"), "indented.txt")
    assert doc.text == text
    assert doc.tables == ()


def test_whitespace_only_text_is_read_with_a_problem():
    doc = read_source(b" \n\n\t \n", "blank.txt")
    assert_well_formed(doc)
    assert doc.problems


def test_empty_input_says_the_file_is_empty():
    doc = read_source(b"", "empty.pdf")
    assert_well_formed(doc)
    assert doc.text == ""
    assert "文件为空" in doc.problems


# --------------------------------------------------------------------------------------------
# encodings


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_a_sample_encoded_in_gb18030_decodes_back_to_the_same_text(name):
    text = sample(name)
    doc = read_source(text.encode("gb18030"), name)
    assert doc.encoding == "gb18030"
    assert doc.text == text
    assert doc.problems == ()


def test_gbk_bytes_are_decoded_with_the_gb18030_superset():
    text = sample("sample-03.txt")
    doc = read_source(text.encode("gbk"), "report.txt")
    assert doc.encoding == "gb18030"
    assert doc.text == text


def test_the_traditional_character_sample_encoded_in_big5_decodes_back():
    text = sample("sample-01.txt")
    data = text.encode("big5", errors="strict")  # every character of sample-01 has a Big5 code
    doc = read_source(data, "sample-01.txt")
    assert doc.encoding in ("big5", "cp950", "big5hkscs")
    assert doc.text == text
    assert doc.problems == ()
    assert "無錫市梁溪區教育局" in doc.text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("name", ["sample-03.txt", "sample-04.txt"])
def test_a_sample_in_utf16_with_or_without_bom_decodes_back(name, codec):
    text = sample(name)
    doc = read_source(text.encode(codec), name)
    assert doc.text == text
    assert doc.problems == ()
    assert len(doc.tables) == (4 if name == "sample-03.txt" else 0)


def test_a_file_cut_inside_its_last_character_keeps_the_rest_and_says_so():
    text = sample("sample-05.txt").rstrip() + "报告"
    data = text.encode("utf-8")[:-1]
    doc = read_source(data, "cut.txt")
    assert doc.text == text[:-1]
    assert doc.encoding == "utf-8"
    assert any("截断" in p for p in doc.problems)


def test_undecodable_bytes_in_gb18030_text_are_replaced_and_reported():
    text = sample("sample-05.txt")
    data = text.encode("gb18030")
    data = data[:200] + b"\xff\xff\xff" + data[200:]
    doc = read_source(data, "damaged.txt")
    assert_well_formed(doc)
    assert doc.kind == "text"
    assert doc.encoding == "gb18030"
    assert doc.text.startswith("2018年度溪湖区教育局政府信息公开报告")
    assert "\ufffd" in doc.text
    assert doc.problems


def test_an_html_page_declaring_gb2312_is_decoded_as_gb18030():
    page = report_page(table3_html()).replace('charset="utf-8"', 'charset="gb2312"')
    doc = read_source(page.encode("gb18030"), "report.htm")
    assert doc.kind == "html"
    assert doc.encoding == "gb18030"
    assert "尖扎县教育局2021年度政府信息公开工作年度报告" in doc.text
    assert doc.tables[0].rows == table3_grid()


# --------------------------------------------------------------------------------------------
# HTML


def test_an_html_table_with_rowspan_and_colspan_is_expanded_into_a_grid():
    doc = read_source(report_page(table3_html()).encode("utf-8"), "report.html")
    assert_well_formed(doc)
    assert doc.kind == "html"
    assert doc.encoding == "utf-8"
    assert len(doc.tables) == 1
    assert doc.tables[0].rows == table3_grid()


def test_html_chrome_scripts_and_styles_are_left_out_but_the_report_body_is_kept():
    doc = read_source(report_page(table3_html()).encode("utf-8"), "report.html")
    for chrome in ("网站首页", "办事服务", "您现在的位置", "门户网站", "备案号", "统计脚本", "font-family"):
        assert chrome not in doc.text
    assert doc.text.startswith("尖扎县教育局2021年度政府信息公开工作年度报告")
    assert "我局根据要求" in doc.text
    assert "四、政府信息公开行政复议、行政诉讼情况" in doc.text


def test_nbsp_becomes_a_space_and_paragraphs_and_br_break_lines():
    doc = read_source(report_page(table3_html()).encode("utf-8"), "report.html")
    assert "\xa0" not in doc.text
    lines = doc.text.split("\n")
    assert any(line.startswith("2021 年，我局根据要求") for line in lines)
    assert "三、收到和处理政府信息公开申请情况" in lines
    index = lines.index("四、政府信息公开行政复议、行政诉讼情况")
    assert lines[index + 1] == "（无）"


def test_the_html_table_is_rendered_in_its_place_between_the_paragraphs():
    doc = read_source(report_page(table3_html()).encode("utf-8"), "report.html")
    table = doc.tables[0]
    assert doc.text.index("三、收到和处理政府信息公开申请情况") < table.start
    assert table.end < doc.text.index("四、政府信息公开行政复议")
    assert doc.text[table.start : table.end] == render(table3_grid())


def test_a_page_laid_out_with_tables_keeps_its_prose_and_finds_the_nested_data_table():
    p = table3_parts()
    layout = (
        "<html><body><table width=100%><tr><td class=left><a href=/>首页</a></td><td>"
        "<p>三、收到和处理政府信息公开申请情况</p>"
        f"{table3_html()}"
        f"<p>{p['new']}共40件。</p>"
        "</td></tr></table></body></html>"
    )
    doc = read_source(layout.encode("utf-8"), "layout.html")
    assert_well_formed(doc)
    assert [t.rows for t in doc.tables] == [table3_grid()]
    assert f"{p['new']}共40件。" in doc.text.split("\n")


def test_chrome_that_carries_the_report_title_is_kept():
    page = (
        "<html><body><div class=header><h2>乐清市教育局2021年政府信息公开工作年度报告</h2></div>"
        "<p>一、总体情况</p><p>" + sample("sample-02.txt")[:400] + "</p></body></html>"
    )
    doc = read_source(page.encode("utf-8"), "page.html")
    assert "乐清市教育局2021年政府信息公开工作年度报告" in doc.text


@pytest.mark.parametrize(
    "chrome",
    [
        "<p class=MsoNormal id=breadcrumb>网站导航 &gt; 栏目甲 &gt; 栏目乙</p>",
        "<div class=MsoNormal role=navigation>网站导航 &gt; 栏目甲 &gt; 栏目乙</div>",
        "<NAV class=MsoNormal>网站导航 &gt; 栏目甲 &gt; 栏目乙</NAV>",
        "<Header\tclass=top>网站导航 &gt; 栏目甲 &gt; 栏目乙</Header>",
        "<aside/>网站导航 &gt; 栏目甲 &gt; 栏目乙</aside>",
    ],
)
def test_chrome_is_left_out_whatever_word_class_it_carries_and_however_its_tag_is_written(chrome):
    # Word's paragraph classes are not chrome, but an id, a role or a tag still make it so
    body = "".join(f"<p class=MsoNormal>{line}</p>" for line in sample("sample-01.txt")[:600].split("\n"))
    doc = read_source(f"<html><body>{chrome}{body}</body></html>".encode(), "page.html")
    assert "网站导航" not in doc.text and "栏目甲" not in doc.text
    assert sample("sample-01.txt").split("\n")[0].strip() in doc.text


def test_a_data_table_with_ragged_rows_is_padded_to_its_widest_row():
    rows = table2_rows()[:4]
    html = "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r if c) + "</tr>" for r in rows) + "</table>"
    doc = read_source(f"<html><body>{html}</body></html>".encode(), "t.html")
    assert doc.tables[0].rows[0] == ("第二十条第（一）项", "", "", "")
    assert doc.tables[0].rows[2] == ("规章", "0", "0", "3")


def test_html_is_recognised_from_its_content_whatever_the_file_is_called():
    data = report_page(table3_html()).encode("utf-8")
    assert read_source(data, "report.txt").kind == "html"
    assert read_source(data, "download").kind == "html"
    assert detect_kind(data, "x.txt") == "html"


# --------------------------------------------------------------------------------------------
# Markdown


def markdown_report() -> tuple[str, list[list[str]]]:
    rows = [r + [""] * (4 - len(r)) for r in table2_rows()[1:4]]  # 信息内容 / 规章 / 规范性文件
    lines = sample03_lines()
    table = ["| " + " | ".join(rows[0]) + " |", "|---|---:|:---:|---|"] + [
        "| " + " | ".join(r) + " |" for r in rows[1:]
    ]
    text = "\n".join(["## 二、主动公开政府信息情况", "", "**第二十条第（一）项**", "", *table, "", lines[2]])
    return text, rows


def test_a_markdown_pipe_table_becomes_a_table_and_its_lines_tab_separated_cells():
    text, rows = markdown_report()
    doc = read_source(text.encode("utf-8"), "report.md")
    assert_well_formed(doc)
    assert doc.kind == "markdown"
    assert [list(r) for r in doc.tables[0].rows] == rows
    assert "|---" not in doc.text and "| 规章" not in doc.text
    assert "规章\t0\t0\t3" in doc.text.split("\n")
    assert doc.text.startswith("## 二、主动公开政府信息情况\n\n**第二十条第（一）项**\n\n信息内容\t")
    assert doc.text.endswith("尖扎县教育局")


def test_a_markdown_table_is_recognised_in_a_file_called_txt():
    text, _ = markdown_report()
    assert read_source(text.encode("utf-8"), "report.txt").kind == "markdown"


def test_an_escaped_pipe_stays_inside_its_markdown_cell():
    doc = read_source("| 项目 | 说明 |\n|---|---|\n| 公开 | 网站\\|微信 |\n".encode(), "t.md")
    assert doc.tables[0].rows == (("项目", "说明"), ("公开", "网站|微信"))


def test_runs_of_pipes_in_copied_web_text_are_not_a_markdown_table():
    doc = read_source((SAMPLES / "sample-02.txt").read_bytes(), "sample-02.txt")
    assert doc.kind == "text"
    assert doc.tables == ()
    assert doc.text == sample("sample-02.txt")


# --------------------------------------------------------------------------------------------
# Word


def table3_docx(*, with_prose: bool = True) -> bytes:
    import docx

    p = table3_parts()
    grid = table3_grid()
    document = docx.Document()
    if with_prose:
        document.add_paragraph("尖扎县教育局2021年度政府信息公开工作年度报告")
        document.add_paragraph(sample03_lines()[6])
        document.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = document.add_table(rows=len(grid), cols=len(grid[0]))
    merges = [  # (top, left, bottom, right, text) as in table3_html
        (0, 0, 2, 2, p["note"]),
        (0, 3, 0, 9, p["applicants"]),
        (1, 3, 2, 3, p["natural"]),
        (1, 4, 1, 8, p["legal"]),
        (1, 9, 2, 9, p["total"]),
        (3, 0, 3, 2, p["new"]),
        (4, 0, 4, 2, p["carried"]),
        (5, 0, 8, 0, p["results"]),
        (5, 1, 5, 2, p["granted"]),
        (6, 1, 6, 2, p["partly"]),
        (7, 1, 8, 1, p["refused"]),
    ]
    covered = set()
    for top, left, bottom, right, text in merges:
        cell = table.cell(top, left).merge(table.cell(bottom, right))
        cell.text = text
        covered |= {(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)}
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if value and (r, c) not in covered:
                table.cell(r, c).text = value
    if with_prose:
        document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_table_with_merged_cells_is_read_once_per_merged_cell():
    doc = read_source(table3_docx(), "report.docx")
    assert_well_formed(doc)
    assert doc.kind == "docx"
    assert doc.problems == ()
    assert [t.rows for t in doc.tables] == [table3_grid()]
    assert doc.text.count(table3_parts()["applicants"]) == 1


def test_word_paragraphs_and_tables_come_in_body_order():
    doc = read_source(table3_docx(), "report.docx")
    table = doc.tables[0]
    lines = doc.text.split("\n")
    assert lines[0] == "尖扎县教育局2021年度政府信息公开工作年度报告"
    assert doc.text.index("三、收到和处理政府信息公开申请情况") < table.start
    assert table.end < doc.text.index("四、政府信息公开行政复议、行政诉讼情况")


def test_word_runs_in_insertions_and_hyperlinks_are_read_and_tab_stops_are_not_tabs():
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Inches

    document = docx.Document()
    title = document.add_paragraph("尖扎县教育局")
    title.paragraph_format.tab_stops.add_tab_stop(Inches(2))  # a w:tab inside w:pPr/w:tabs
    paragraph = document.add_paragraph("2021 年度")
    paragraph._p.append(
        parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="a"><w:r><w:t>政府信息公开</w:t></w:r></w:ins>')
    )
    paragraph._p.append(parse_xml(f"<w:hyperlink {nsdecls('w')}><w:r><w:t>工作年度报告</w:t></w:r></w:hyperlink>"))
    paragraph._p.append(
        parse_xml(f'<w:del {nsdecls("w")} w:id="2" w:author="a"><w:r><w:delText>草稿</w:delText></w:r></w:del>')
    )
    buffer = io.BytesIO()
    document.save(buffer)
    doc = read_source(buffer.getvalue(), "report.docx")
    assert doc.text.split("\n") == ["尖扎县教育局", "2021 年度政府信息公开工作年度报告"]


def test_a_docx_is_recognised_by_its_content_not_its_name():
    data = table3_docx()
    assert detect_kind(data, "report.bin") == "docx"
    assert read_source(data, "report.bin").kind == "docx"


def test_a_docx_cut_in_half_still_gives_the_paragraphs_it_holds():
    data = table3_docx()
    doc = read_source(data[: len(data) * 2 // 3], "report.docx")
    assert_well_formed(doc)
    assert doc.kind == "docx"
    assert doc.problems
    # document.xml comes first in python-docx's zip: the text survives the cut
    assert "尖扎县教育局2021年度政府信息公开工作年度报告" in doc.text


def test_a_zip_that_is_not_a_word_file_is_reported():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    doc = read_source(buffer.getvalue(), "stats.xlsx")
    assert_well_formed(doc)
    assert doc.kind == "unknown"
    assert any("Excel" in p for p in doc.problems)


def test_an_old_binary_word_file_is_reported_as_unsupported():
    doc = read_source(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "report.doc")
    assert doc.kind == "unknown"
    assert any(".doc" in p for p in doc.problems)


# --------------------------------------------------------------------------------------------
# PDF


PDF_CSS = (
    "<style>body { font-family: 'Noto Sans CJK SC', sans-serif; font-size: 10pt; }"
    " table { border-collapse: collapse; } td, th { border: 0.5pt solid black; padding: 2pt; font-size: 8pt; }</style>"
)


def table2_html() -> str:
    """The first part of sample-03's table 二: its title row as a colspan, then three rows."""
    title, header, rules, norms = table2_rows()[:4]
    cells = "".join
    return (
        f'<table><tr><td colspan="4">{title[0]}</td></tr>'
        + "".join("<tr>" + cells(f"<td>{c}</td>" for c in row[:4]) + "</tr>" for row in (header, rules, norms))
        + "</table>"
    )


@functools.cache
def report_pdf_bytes() -> bytes:
    import weasyprint

    lines = sample03_lines()
    html = (
        f"<html><head>{PDF_CSS}</head><body>"
        "<h1>尖扎县教育局2021年度政府信息公开工作年度报告</h1>"
        f"<p>{lines[6][:60]}</p>"
        "<p>二、主动公开政府信息情况</p>"
        f"{table2_html()}"
        "<p>三、收到和处理政府信息公开申请情况</p>"
        f"{table3_html()}"
        "<p>四、政府信息公开行政复议、行政诉讼情况</p>"
        "</body></html>"
    )
    return weasyprint.HTML(string=html).write_pdf()


@pytest.fixture(scope="module")
def report_pdf() -> bytes:
    pytest.importorskip("weasyprint")
    return report_pdf_bytes()


def test_a_pdf_gives_its_text_and_its_ruled_tables_in_reading_order(report_pdf):
    doc = read_source(report_pdf, "report.pdf")
    assert_well_formed(doc)
    assert doc.kind == "pdf"
    assert doc.problems == ()
    assert "尖扎县教育局2021年度政府信息公开工作年度报告" in doc.text.replace("\n", "")
    assert len(doc.tables) == 2
    table2, table3 = doc.tables
    assert ("规章", "0", "0", "3") in table2.rows
    assert ("规范性文件", "3", "1", "8") in table2.rows
    assert table3.rows == table3_grid()
    text = doc.text
    assert (
        text.index("二、主动公开政府信息情况")
        < table2.start
        < table2.end
        < text.index("三、收到和处理政府信息公开申请情况")
    )
    assert (
        text.index("三、收到和处理政府信息公开申请情况")
        < table3.start
        < table3.end
        < text.index("四、政府信息公开行政复议")
    )


def test_a_pdf_table_is_not_repeated_as_loose_text(report_pdf):
    doc = read_source(report_pdf, "report.pdf")
    assert doc.text.count("本年制发件数") == 1
    assert doc.text.count(table3_parts()["applicants"]) == 1


def test_a_boxed_one_column_block_in_a_pdf_is_read_as_text_not_as_a_table():
    weasyprint = pytest.importorskip("weasyprint")
    lines = sample03_lines()
    html = (
        f"<html><head>{PDF_CSS}</head><body>"
        f"<table style='width: 100%'><tr><td>{lines[2]}</td></tr><tr><td>{lines[8]}</td></tr></table>"
        f"<p>{lines[10][:40]}</p>{table2_html()}<p>{lines[-1]}</p></body></html>"
    )
    doc = read_source(weasyprint.HTML(string=html).write_pdf(), "boxed.pdf")
    assert_well_formed(doc)
    assert [len(t.rows) for t in doc.tables] == [4]  # the boxed title block is no table
    assert doc.text.split("\n")[:2] == [lines[2], lines[8]]
    assert doc.text.index(lines[10][:40]) < doc.tables[0].start
    assert doc.text.endswith(lines[-1])


def test_a_pdf_is_recognised_by_its_content_not_its_name(report_pdf):
    assert read_source(report_pdf, "report.txt").kind == "pdf"
    assert detect_kind(report_pdf) == "pdf"


def test_a_pdf_without_text_says_it_may_be_a_scan():
    weasyprint = pytest.importorskip("weasyprint")
    data = weasyprint.HTML(string="<html><body><div style='height:100px'></div></body></html>").write_pdf()
    doc = read_source(data, "scan.pdf")
    assert_well_formed(doc)
    assert doc.kind == "pdf"
    assert any("扫描件" in p for p in doc.problems)


@pytest.mark.parametrize("fraction", [0.002, 0.01, 0.3, 0.5, 0.9])
def test_a_truncated_pdf_is_read_with_a_problem(report_pdf, fraction):
    data = report_pdf[: max(1, int(len(report_pdf) * fraction))]
    doc = read_source(data, "report.pdf")
    assert_well_formed(doc)
    assert doc.kind == "pdf"
    assert doc.problems


def test_a_file_called_pdf_that_holds_text_is_read_as_text_with_a_problem():
    text = sample("sample-05.txt")
    doc = read_source(text.encode("utf-8"), "report.pdf")
    assert doc.text == text
    assert any(".pdf" in p for p in doc.problems)


# --------------------------------------------------------------------------------------------
# binary junk and robustness


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(100),
        b"\xff\xd8\xff\xe0" + bytes(100),
        b"Rar!\x1a\x07\x00" + bytes(50),
        bytes(range(256)) * 20,
    ],
    ids=["png", "jpeg", "rar", "all-bytes"],
)
def test_binary_junk_is_reported_as_an_unknown_format(data):
    doc = read_source(data, "upload")
    assert_well_formed(doc)
    assert doc.kind == "unknown"
    assert doc.problems


def test_a_ten_megabyte_text_is_read_up_to_the_text_limit():
    text = sample("sample-03.txt")
    big = (text + "\n\n") * (10_000_000 // len((text + "\n\n").encode("utf-8")) + 1)
    data = big.encode("utf-8")
    assert len(data) >= 10_000_000
    doc = read_source(data, "big.txt")
    limit = DEFAULT_LIMITS.max_text_chars
    assert len(doc.text) <= limit < len(big)
    assert big.startswith(doc.text + "\n")  # whole lines, unchanged
    assert len(doc.tables) == 4 * doc.text.count("第二十条第（一）项")
    assert any(str(limit) in p and "上限" in p for p in doc.problems)
    everything = read_source(data, "big.txt", limits=ReaderLimits(max_text_chars=len(big)))
    assert everything.text == big


def test_a_ten_megabyte_gb18030_web_page_is_read():
    page = report_page(table3_html() * 2000).replace('charset="utf-8"', 'charset="gbk"')
    data = page.encode("gb18030")
    doc = read_source(data, "big.html")
    assert doc.kind == "html"
    assert len(doc.tables) == 2000
    assert all(t.rows == table3_grid() for t in doc.tables[:3])


def test_absurd_spans_are_clamped_instead_of_exhausting_memory():
    html = (
        "<table>" + "<tr>" + '<td colspan="100000" rowspan="100000">x</td>' * 3000 + "</tr><tr><td>y</td></tr></table>"
    )
    doc = read_source(html.encode(), "bomb.html")
    assert_well_formed(doc)


def test_block_elements_nested_absurdly_deep_are_read_as_stripped_text():
    html = "<div>" * 20000 + "正文" + "</div>" * 20000
    doc = read_source(html.encode(), "deep.html")
    assert_well_formed(doc)
    assert doc.text == "正文"
    assert doc.problems


def test_the_nesting_scan_over_bytes_knows_every_white_space_a_str_pattern_does():
    from gongkai.domain.audit.sources.html_nesting import _STR_SPACES

    assert set(_STR_SPACES) == {chr(c) for c in range(0x110000) if re.match(r"\s", chr(c))}


@pytest.mark.parametrize(
    "page",
    [
        "<div\u3000" * 2001,  # an ideographic space ends a tag name for \s
        "<DIV\u2028" * 2001,
        "<div\u200b" * 2001,  # a zero-width space does not
        "<Div>\u0130" * 2001,  # İ: the page is scanned as it stands, case-insensitively
        "<div>\ud800" * 2001,  # a lone surrogate: no UTF-8 bytes
        "<div></div>" * 3000,
    ],
)
def test_the_nesting_depth_is_the_same_whichever_way_the_page_is_scanned(page):
    from gongkai.domain.audit.sources.html_nesting import (
        _NESTING_TAG,
        _block_depth,
        _depth_of,
        _lowered,
    )

    assert _block_depth(page, _lowered(page)) == _depth_of([m.group(1) for m in _NESTING_TAG.finditer(page)])


@pytest.mark.parametrize("page", ["<div>" * 2001, "<div><DIV></div>" * 1500, "<section\n>" * 1000 + "<nav>"])
def test_the_nesting_scan_that_names_the_tags_met_finds_the_same_depth(page):
    from gongkai.domain.audit.sources.html_nesting import _block_depth, _lowered, _nesting

    depth, opened = _nesting(page, _lowered(page), page.count("<"))
    assert depth == _block_depth(page, _lowered(page))
    assert opened == {b"div", b"section", b"nav"} & {n.lower().encode() for n in re.findall(r"<(\w+)", page)}


@pytest.mark.parametrize("bad", [None, 12, "text"])
def test_input_that_is_not_bytes_still_gives_a_document(bad):
    doc = read_source(bad, "odd")  # type: ignore[arg-type]
    assert_well_formed(doc)


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@FAST
@given(st.binary(max_size=4000), st.sampled_from(["x.txt", "x.pdf", "x.docx", "x.html", "x.md", "x", ""]))
def test_arbitrary_bytes_never_raise(data, name):
    assert_well_formed(read_source(data, name))


@FAST
@given(
    st.text(max_size=800),
    st.sampled_from(
        ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "cp950", "utf-16", "utf-16-le", "utf-16-be", "utf-32"]
    ),
)
def test_arbitrary_text_in_any_encoding_never_raises(text, codec):
    data = text.encode(codec, errors="replace")
    assert_well_formed(read_source(data, "x.txt"))


sample_chars = sorted(set("".join(sample(n) for n in SAMPLE_NAMES)) - set("<>|\r\x00"))


@FAST
@given(
    st.text(alphabet=st.sampled_from(sample_chars), min_size=1, max_size=600),
    st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]),
)
def test_report_like_text_in_a_unicode_encoding_round_trips(text, codec):
    doc = read_source(text.encode(codec), "x.txt")
    assert doc.text == text
    assert doc.kind == "text"


html_pieces = st.sampled_from(
    [
        "<table>",
        "</table>",
        "<tr>",
        "</tr>",
        "<td>",
        "</td>",
        "<th colspan=3>",
        "<td rowspan=2>",
        "<td colspan=0>",
        "<td rowspan=99999>",
        "<td colspan=abc>",
        "<p>",
        "</p>",
        "<br>",
        "<div class=nav>",
        "<nav>",
        "</nav>",
        "</div>",
        "<footer>",
        "<h1>",
        "</h1>",
        "<pre>",
        "</pre>",
        "<script>",
        "</script>",
        "<style>",
        "<!--",
        "-->",
        "&nbsp;",
        "&amp;",
        "&#0;",
        "<caption>",
        "规章",
        "0",
        "3",
        "报告",
        "行政许可",
        "\t",
        "\n",
        " ",
        "<",
        ">",
        "<tbody>",
        "<thead>",
        "<ul><li>",
        "<html>",
        "<body>",
        "<meta charset=gbk>",
        "\x00",
        "|",
        "|---|",
    ]
)


@FAST
@given(st.lists(html_pieces, max_size=80).map("".join))
def test_random_html_ish_markup_never_raises(markup):
    doc = read_source(markup.encode("utf-8"), "x.html")
    assert_well_formed(doc)


@FAST
@given(
    st.lists(
        st.sampled_from(["| a | b |", "|---|---|", "| 1 |", "a\tb", "\tc", "文字", "", "|", "- | -"]), max_size=30
    ).map("\n".join)
)
def test_random_markdown_and_tab_lines_never_raise(text):
    doc = read_source(text.encode("utf-8"), "x.md")
    assert_well_formed(doc)


docx_bytes = functools.cache(table3_docx)


@SLOW
@given(st.data())
def test_a_docx_cut_anywhere_never_raises(data):
    whole = docx_bytes()
    cut = data.draw(st.integers(min_value=0, max_value=len(whole)))
    doc = read_source(whole[:cut], "report.docx")
    assert_well_formed(doc)
    if cut < len(whole):
        assert doc.problems


@SLOW
@given(st.data())
def test_a_pdf_cut_anywhere_never_raises(data):
    whole = report_pdf_bytes()
    cut = data.draw(st.integers(min_value=0, max_value=len(whole) - 1))
    assert_well_formed(read_source(whole[:cut], "report.pdf"))


@SLOW
@given(st.data())
def test_a_pdf_with_random_bytes_overwritten_never_raises(data):
    whole = report_pdf_bytes()
    position = data.draw(st.integers(min_value=0, max_value=len(whole) - 64))
    junk = data.draw(st.binary(min_size=1, max_size=64))
    damaged = whole[:position] + junk + whole[position + len(junk) :]
    assert_well_formed(read_source(damaged, "report.pdf"))


# --------------------------------------------------------------------------------------------
# the benchmark inputs


def test_the_benchmark_inputs_are_deterministic_and_all_readable():
    audit_inputs = pytest.importorskip("benchmarks.audit_inputs")
    first = audit_inputs.build_inputs(SAMPLES, pdf=False)
    second = audit_inputs.build_inputs(SAMPLES, pdf=False)
    assert first == second
    names = [n for n, _ in first]
    assert {"sample-03.html", "sample-03.md", "sample-03.docx", "sample-01.big5.txt", "sample-02.gb18030.txt"} <= set(
        names
    )
    for name, data in first:
        doc = read_source(data, name)
        assert_well_formed(doc)
        assert doc.problems == (), name


def test_the_benchmark_web_page_word_and_pdf_give_back_sample_03s_tables():
    audit_inputs = pytest.importorskip("benchmarks.audit_inputs")
    text = sample("sample-03.txt")
    expected = [audit_inputs.padded(seg.rows) for seg in audit_inputs.segments(text) if seg.is_table]
    page = audit_inputs.to_html(text)
    for name, data in [
        ("sample-03.html", page.encode("utf-8")),
        ("sample-03.docx", audit_inputs.to_docx(text)),
        ("sample-03.md", audit_inputs.to_markdown(text).encode("utf-8")),
        ("sample-03.pdf", audit_inputs.to_pdf(page)),
    ]:
        doc = read_source(data, name)
        assert [t.rows for t in doc.tables] == expected, name


def test_a_macro_enabled_document_is_refused_in_chinese_and_the_same_way_every_time():
    # python-docx names the refused stream by its repr ("<_io.BytesIO object at 0x7f…>"), an
    # address that differs per run: one file must give one problem text, which says what to do
    data = table3_docx()
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            part = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                part = part.replace(
                    b"wordprocessingml.document.main+xml", b"vnd.ms-word.document.macroEnabled.main+xml"
                )
                assert b"macroEnabled" in part
            zout.writestr(info, part)
    first, second = read_source(out.getvalue(), "宏.docm"), read_source(out.getvalue(), "宏.docm")
    assert first.problems == second.problems
    assert not any("0x" in p for p in first.problems)
    assert any("不是普通Word文档" in p and "macroEnabled" in p for p in first.problems), first.problems
    assert "收到和处理政府信息公开申请情况" in first.text  # what could be salvaged is still read


def test_a_libraries_object_address_is_left_out_of_a_problems_detail():
    from gongkai.domain.audit.sources.common import _detail

    err = ValueError("file '<_io.BytesIO object at 0x7f1ff275fc40>' is not a zip file")
    assert _detail(err) == "ValueError: file '<_io.BytesIO>' is not a zip file"
