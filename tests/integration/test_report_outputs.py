"""The report's three outputs (Word, PDF, HTML) read back through the audit reader to the very tables
they were made from, carry the format's exact labels, and print on A4 pages with nothing cut off.

The PDF pages are also rendered to PNG (pypdfium2) into /tmp/report-pages/ for a person to look at.
"""

from __future__ import annotations

import io
import json
import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from docx import Document
from docx.oxml.ns import qn
from selectolax.lexbor import LexborHTMLParser

from gongkai.annualreports.render import _pdf, docx_bytes, html_fragment, html_page, pdf_bytes
from gongkai.domain.annual_report.content import ReportContent
from gongkai.domain.audit import audit_bytes
from gongkai.domain.audit.sources import read_source
from gongkai.domain.report_format import ReportFormat, format_for_year

AGENCY = "示范区教育局"
PAGES_DIR = Path("/tmp/report-pages")
A4 = (595.3, 841.9)  # points
KINDS = ("docx", "pdf", "html")


# -- valid tables and prose -------------------------------------------------------------------


def valid_tables(fmt: ReportFormat, rnd: random.Random) -> dict:
    """Random tables that satisfy every rule of the format (the generator's promise to the reader)."""
    t2: dict = {}
    for sub in fmt.table_2.subtables:
        t2[sub.id] = {}
        for row in sub.rows:
            cells: dict = {}
            for col in sub.columns:
                if col.is_decimal:
                    cells[col.key] = Decimal(rnd.randint(0, 2_000_000)) / 100  # 12.30 keeps its 0
                elif col.type == "signed_integer":
                    cells[col.key] = rnd.randint(-60, 60)
                else:
                    cells[col.key] = rnd.choice([0, rnd.randint(0, 50), rnd.randint(0, 5000)])
            if "newly_published" in cells:  # 2019: published this year <= published in all
                cells["newly_published"] = rnd.randint(0, cells["total_published"])
            t2[sub.id][row.key] = cells
    t3fmt = fmt.table_3
    applicant = [c.key for c in t3fmt.applicant_columns()]
    t3: dict = {r.key: {} for r in t3fmt.data_rows()}
    for col in applicant:
        done = 0
        for row in t3fmt.outcome_rows():
            t3[row.key][col] = v = rnd.choice([0, 0, rnd.randint(0, 9), rnd.randint(0, 400)])
            done += v
        t3["results_total"][col] = done
        t3["carry_forward"][col] = rnd.randint(0, 30)
        t3["carried_over"][col] = rnd.randint(0, done + t3["carry_forward"][col])
        t3["new_received"][col] = done + t3["carry_forward"][col] - t3["carried_over"][col]
    for cells in t3.values():
        cells["total"] = sum(cells[c] for c in applicant)
    keys = [c.key for c in fmt.table_4.columns]
    t4: dict = {}
    for i in range(0, len(keys), 5):
        parts = [rnd.randint(0, 12) for _ in range(4)]
        t4.update(zip(keys[i : i + 4], parts))
        t4[keys[i + 4]] = sum(parts)
    return {"table_2": t2, "table_3": t3, "table_4": t4}


_SENTENCES = (
    "本机关坚持以公开为常态、不公开为例外，围绕群众关切持续深化政府信息公开工作。",
    "严格落实公开属性源头认定，公文办理时同步明确主动公开、依申请公开或不予公开。",
    "依托政府网站政府信息公开专栏，及时发布机构职能、规范性文件和重点领域信息。",
    "规范依申请公开办理流程，做到登记、审核、答复全程留痕，按期答复每一件申请。",
    "加强保密审查，对拟公开信息逐件审核，防止泄露国家秘密、商业秘密和个人隐私。",
    "完善政府信息管理制度，定期清理规范性文件并及时公布清理结果。",
    "组织政府信息公开业务培训，提高工作人员依法公开的意识和能力。",
)


def prose(rnd: random.Random, chars: int) -> str:
    paragraphs, current = [], ""
    while sum(map(len, paragraphs)) + len(current) < chars:
        current += rnd.choice(_SENTENCES)
        if len(current) > 180:
            paragraphs.append(current)
            current = ""
    return "\n".join(paragraphs + ([current] if current else []))


def make_content(year: int, seed: int, prose_chars: int = 300) -> ReportContent:
    rnd = random.Random(seed)
    fmt = format_for_year(year)
    tables = valid_tables(fmt, rnd)
    t3 = tables["table_3"]
    stated = f"本年度新收政府信息公开申请{t3['new_received']['total']}件，上年结转{t3['carried_over']['total']}件。"
    return ReportContent(
        AGENCY,
        year,
        tables,
        sections={
            "overview": stated + "\n" + prose(rnd, prose_chars),
            "problems": prose(rnd, prose_chars),
            "other": "本年度未收取信息处理费。\n" + prose(rnd, prose_chars // 2),
        },
        dated=date(year + 1, 1, 20),
    )


# (year, seed, prose characters per section): both formats, short and long reports
CASES = [(2021, 11, 300), (2021, 12, 2000), (2020, 21, 300), (2020, 22, 2000)]


@pytest.fixture(scope="module")
def outputs():
    cache: dict = {}

    def get(year: int, seed: int, chars: int):
        key = (year, seed, chars)
        if key not in cache:
            content = make_content(year, seed, chars)
            cache[key] = (
                content,
                {
                    "docx": docx_bytes(content),
                    "pdf": pdf_bytes(content),
                    "html": html_fragment(content).encode("utf-8"),
                },
            )
        return cache[key]

    return get


def _exact(tables: dict) -> dict:
    """Every figure as a Decimal of its printed digits: 12.3 read back equals Decimal('12.30')."""
    if isinstance(tables, dict):
        return {k: _exact(v) for k, v in tables.items()}
    return None if tables is None else Decimal(str(tables))


def _spec_labels(shared_dir: Path, version: str) -> list[str]:
    spec = json.loads((shared_dir / "spec" / "annual-report-format.json").read_text(encoding="utf-8"))["formats"][
        version
    ]
    labels = [s["title"] for s in spec["sections"]]
    for table in spec["tables"]:
        labels.append(table["title"])
        if table["id"] == "table_2":
            for sub in table["subtables"]:
                labels += [sub["caption"], sub["row_header_label"]]
                labels += [c["label"] for c in sub["columns"]] + [r["label"] for r in sub["rows"]]
        else:
            labels += [g["label"] for g in table["column_groups"]] + [c["label"] for c in table["columns"]]
            labels += [r["label"] for r in table["rows"] if r["label"]]
            if "row_header_note" in table:
                labels.append(table["row_header_note"])
    return labels


# -- read back --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("year, seed, chars", CASES)
def test_the_audit_reader_reads_back_every_cell_of_every_table_from_each_output(outputs, year, seed, chars, kind):
    content, files = outputs(year, seed, chars)
    report = audit_bytes(files[kind], f"report.{kind}")
    assert report.source_kind == kind
    assert (report.format, report.year, report.agency) == (content.fmt.version, year, AGENCY)
    for table in ("table_2", "table_3", "table_4"):
        assert _exact(report.tables[table]) == _exact(content.tables[table]), table
    # read as printed: no label off the official one, no row unmatched or ambiguous, every rule
    # passed, and the figures the prose states agree with the tables
    assert [(f.rule, f.message) for f in report.findings] == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("year", [2020, 2021])
def test_every_exact_label_of_the_spec_appears_character_for_character_in_each_output(shared_dir, outputs, year, kind):
    content, files = outputs(year, *next((s, c) for y, s, c in CASES if y == year))
    text = read_source(files[kind], f"report.{kind}").text
    missing = [label for label in _spec_labels(shared_dir, content.fmt.version) if label not in text]
    assert missing == []
    assert content.title in text
    other = "本年制发件数" if year == 2020 else "本年新制作数量"  # the other format's label
    assert other not in text


def test_figures_in_decimal_columns_are_printed_exactly_as_given(outputs):
    content, files = outputs(*CASES[0])
    fee = content.tables["table_2"]["art20_8"]["administrative_fees"]["fee_amount"]
    printed = format(fee, "f")
    assert printed.count(".") == 1 and len(printed.split(".")[1]) == 2
    for kind in KINDS:
        assert printed in read_source(files[kind], f"report.{kind}").text


# -- PDF pages --------------------------------------------------------------------------------


def _pages_png(data: bytes, stem: str, *dirs: Path) -> list[Path]:
    pdf = pdfium.PdfDocument(data)
    paths = []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            image = page.render(scale=1.5).to_pil()
            for d in dirs:
                d.mkdir(parents=True, exist_ok=True)
                image.save(d / f"{stem}-page{i + 1}.png")
            paths.append(dirs[0] / f"{stem}-page{i + 1}.png")
            # not blank: some dark pixels (text, rules)
            gray = image.convert("L")
            assert gray.getextrema()[0] < 80
            w, h = image.size
            assert (w > h) == (page.get_size()[0] > page.get_size()[1])
            page.close()
    finally:
        pdf.close()
    return paths


@pytest.mark.parametrize("year, seed, chars", CASES)
def test_the_pdf_prints_on_a4_with_table_3_whole_on_one_landscape_page_and_nothing_cut(
    outputs, tmp_path, year, seed, chars
):
    content, files = outputs(year, seed, chars)
    data = files["pdf"]
    stem = f"{year}-seed{seed}-{chars}chars"
    pngs = _pages_png(data, stem, tmp_path, PAGES_DIR)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = pdf.pages
        sizes = [(round(p.width, 1), round(p.height, 1)) for p in pages]
        assert len(pngs) == len(pages)
        landscape = [i for i, (w, h) in enumerate(sizes) if w > h]
        assert len(landscape) == 1, sizes  # table 三 only
        assert all(size in (A4, A4[::-1]) for size in sizes)
        wide = pages[landscape[0]].extract_text()
        assert "三、收到和处理政府信息公开申请情况" in wide and "四、政府信息公开行政复议" not in wide
        # 三 on a page of its own between portrait pages: the text and 二 before it, 四 and the rest after
        assert 0 < landscape[0] < len(pages) - 1
        assert "四、政府信息公开行政复议、行政诉讼情况" in pages[landscape[0] + 1].extract_text()
        if chars >= 2000:
            assert len(pages) >= 5
        for number, page in enumerate(pages, start=1):
            # every character and every table inside the page, clear of its edges (printers' unprintable
            # rim is about 5 mm = 14 pt); the page number sits lowest, in the bottom margin
            margin = 20
            for ch in page.chars:
                assert margin <= ch["x0"] and ch["x1"] <= page.width - margin, (number, ch["text"], ch["x1"])
                assert 15 <= ch["top"] and ch["bottom"] <= page.height - 15, (number, ch["text"], ch["bottom"])
            for table in page.find_tables():
                x0, top, x1, bottom = table.bbox
                assert margin <= x0 and x1 <= page.width - margin and bottom <= page.height - margin, (
                    number,
                    table.bbox,
                )
            words = page.extract_words()
            assert words and max(w["x1"] for w in words) <= page.width - margin
    # each table whole: table 三 is one source table of 3 header and every data row
    raw = read_source(data, "report.pdf")
    fmt = content.fmt
    t3 = [t for t in raw.tables if t.rows[0][0] == fmt.table_3.row_header_note]
    assert len(t3) == 1 and len(t3[0].rows) == 3 + len(fmt.table_3.data_rows())
    t4 = [t for t in raw.tables if t.rows[0][0] == "行政复议"]
    assert len(t4) == 1 and len(t4[0].rows) == 4
    t2 = [t for t in raw.tables if t.rows[0][0] == "第二十条第（一）项"]
    assert len(t2) == 1 and len(t2[0].rows) == sum(2 + len(s.rows) for s in fmt.table_2.subtables)


def test_the_pdf_fetches_nothing_and_the_fetcher_refuses_every_url(monkeypatch):
    asked: list[str] = []
    refuse = _pdf.refuse_fetch

    def recording(url, *args, **kwargs):
        asked.append(url)
        return refuse(url, *args, **kwargs)

    monkeypatch.setattr(_pdf, "refuse_fetch", recording)
    content = ReportContent(
        AGENCY,
        2021,
        {},
        sections={"other": '<img src="http://example.invalid/a.png"> <link href="https://example.invalid/x.css">'},
    )
    data = pdf_bytes(content)
    assert asked == []
    assert '<img src="http://example.invalid/a.png">' in read_source(data, "r.pdf").text.replace("\n", "")
    for url in ("http://example.invalid/a.png", "https://example.invalid/", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            refuse(url)
    page = html_page(content)
    assert "http" not in page.replace("http://example.invalid/a.png", "").replace("https://example.invalid/x.css", "")


# -- HTML -------------------------------------------------------------------------------------


def test_the_html_fragment_escapes_what_the_clerk_wrote():
    content = ReportContent(
        AGENCY, 2021, {}, sections={"overview": '<script>alert("x")</script> A&B', "problems": "<b>粗</b>"}
    )
    html = html_fragment(content)
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; A&amp;B" in html
    tree = LexborHTMLParser(html)
    assert tree.css_first("h1").text() == content.title
    assert [h.text() for h in tree.css("h2")] == [s.title for s in content.fmt.sections]


@pytest.mark.parametrize("year, results_span", [(2021, "22"), (2020, "20")])
def test_the_html_tables_carry_the_official_merged_cells(year, results_span):
    html = html_fragment(ReportContent(AGENCY, year, {}))
    tree = LexborHTMLParser(html)
    cells = {th.text(): th.attributes for th in tree.css("th")}
    assert cells["三、本年度办理结果"]["rowspan"] == results_span
    assert cells["（三）不予公开"]["rowspan"] == "8"
    assert cells["申请人情况"]["colspan"] == "7"
    assert cells["法人或其他组织"]["colspan"] == "5"
    assert cells["自然人"]["rowspan"] == "2"
    assert cells["行政诉讼"]["colspan"] == "10"
    assert cells["未经复议直接起诉"]["colspan"] == "5"
    note = cells["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"]
    assert (note["rowspan"], note["colspan"]) == ("3", "3")
    assert len(tree.css("table.annual-report__table--table_3 thead tr")) == 3
    assert len(tree.css("table.annual-report__table--table_4 tbody tr")) == 1


# -- Word -------------------------------------------------------------------------------------


def test_the_word_file_is_a4_with_table_3_on_a_landscape_section_merged_cells_repeating_headers_and_cjk_fonts(outputs):
    content, files = outputs(*CASES[0])
    doc = Document(io.BytesIO(files["docx"]))
    sizes = [(round(s.page_width.mm), round(s.page_height.mm)) for s in doc.sections]
    assert sizes == [(210, 297), (297, 210), (210, 297)]
    assert len(doc.tables) == 3
    t2, t3, t4 = doc.tables
    body = doc.element.body
    assert body.find(qn("w:tbl") + "/" + qn("w:tblPr") + "/" + qn("w:tblBorders")) is not None
    # real merges: gridSpan across, vMerge down
    t3_xml = t3._tbl
    assert t3_xml.xpath(".//w:tcPr/w:gridSpan[@w:val='7']")  # 申请人情况
    assert len(t3_xml.xpath(".//w:tcPr/w:vMerge")) > 30
    first = t3.rows[3].cells
    assert (
        first[0].text == first[1].text == first[2].text == "一、本年新收政府信息公开申请数量"
    )  # one cell over three columns
    assert t3.rows[5].cells[0]._tc is t3.rows[26].cells[0]._tc  # 三、本年度办理结果 down 22 rows
    for table, header_rows in ((t3, 3), (t4, 3), (t2, 0)):
        marked = [bool(tr.xpath("./w:trPr/w:tblHeader")) for tr in table._tbl.tr_lst]
        assert marked == [True] * header_rows + [False] * (len(marked) - header_rows)
    runs = body.xpath(".//w:r[w:t]")
    assert runs and all(r.xpath("./w:rPr/w:rFonts/@w:eastAsia") for r in runs)
    fonts = {r.xpath("./w:rPr/w:rFonts/@w:eastAsia")[0] for r in runs}
    assert fonts == {"宋体", "黑体", "仿宋"}
    title = doc.paragraphs[0]
    assert title.text == content.title and title.alignment == 1  # centred
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == [s.title for s in content.fmt.sections]
