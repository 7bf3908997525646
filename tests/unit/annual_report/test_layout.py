"""The printed layout of tables 二/三/四: exact labels, the official merged cells, figures in their places."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.annual_report.content import ReportContent
from gongkai.domain.annual_report.layout import (
    Cell,
    LayoutError,
    TableLayout,
    format_value,
    report_layout,
    table_layouts,
)
from gongkai.domain.report_format import format_for_year

YEARS = {"2019": 2020, "2021": 2021}  # a report year of each format


def _spec(shared_dir):
    return json.loads((shared_dir / "spec" / "annual-report-format.json").read_text(encoding="utf-8"))["formats"]


def _spec_table(spec, version, table_id):
    return next(t for t in spec[version]["tables"] if t["id"] == table_id)


def _layouts(year, tables=None):
    return {t.table_id: t for t in table_layouts(ReportContent("示范区教育局", year, tables or {}))}


def _texts(layout: TableLayout) -> Counter:
    return Counter(c.text for row in layout.rows for c in row)


def _at(layout: TableLayout) -> dict[tuple[int, int], Cell]:
    return {(r, c): cell for r, c, cell in layout.placed()}


def _find(layout: TableLayout, text: str) -> tuple[int, int, Cell]:
    hits = [(r, c, cell) for r, c, cell in layout.placed() if cell.text == text]
    assert len(hits) == 1, f"{text!r} appears {len(hits)} times"
    return hits[0]


# -- labels -----------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_every_label_of_table_2_in_the_spec_appears_character_for_character(shared_dir, version):
    spec = _spec_table(_spec(shared_dir), version, "table_2")
    layout = _layouts(YEARS[version])["table_2"]
    texts = _texts(layout)
    assert layout.title == spec["title"]
    for sub in spec["subtables"]:
        assert texts[sub["caption"]] == 1
        for col in sub["columns"]:
            assert col["label"] in texts
        for row in sub["rows"]:
            assert row["label"] in texts
    # one 信息内容 header per sub-table
    assert texts["信息内容"] == len(spec["subtables"])


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_every_label_of_table_3_in_the_spec_appears_exactly_once(shared_dir, version):
    spec = _spec_table(_spec(shared_dir), version, "table_3")
    layout = _layouts(YEARS[version])["table_3"]
    texts = _texts(layout)
    assert layout.title == spec["title"]
    assert texts[spec["row_header_note"]] == 1
    for label in [g["label"] for g in spec["column_groups"]] + [c["label"] for c in spec["columns"]]:
        assert texts[label] == 1, label
    for row in spec["rows"]:
        assert texts[row["label"]] == 1, row["label"]


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_every_label_of_table_4_in_the_spec_appears_once_per_group(shared_dir, version):
    spec = _spec_table(_spec(shared_dir), version, "table_4")
    layout = _layouts(YEARS[version])["table_4"]
    texts = _texts(layout)
    assert layout.title == spec["title"]
    for group in spec["column_groups"]:
        assert texts[group["label"]] == 1
    for label, n in Counter(c["label"] for c in spec["columns"]).items():
        assert texts[label] == n == 3  # 结果维持 … 总计 under 行政复议, 未经复议直接起诉, 复议后起诉


def test_a_2020_report_uses_the_2019_trial_labels_and_a_2021_report_the_2021_ones():
    old = _texts(_layouts(2020)["table_2"])
    new = _texts(_layouts(2021)["table_2"])
    assert "本年新制作数量" in old and "本年制发件数" not in old and "第二十条第（九）项" in old
    assert "本年制发件数" in new and "本年新制作数量" not in new and "第二十条第（九）项" not in new


# -- the grid ---------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2020, 2021])
@pytest.mark.parametrize("table_id", ["table_2", "table_3", "table_4"])
def test_merged_cells_cover_every_row_exactly_to_the_width_of_the_table(year, table_id):
    layout = _layouts(year)[table_id]
    assert layout.occupancy() == [layout.width] * len(layout.rows)  # placed() also rejects overlaps
    last = len(layout.rows)
    assert all(r + cell.rowspan <= last for r, _c, cell in layout.placed())


def test_a_ragged_row_shows_in_the_occupancy_and_overlapping_cells_are_rejected():
    ragged = TableLayout("t", "t", "t", [], [[Cell("a", rowspan=2), Cell("b")], [Cell("c", colspan=2)]])
    assert ragged.occupancy() == [2, 3]
    overlap = TableLayout("t", "t", "t", [], [[Cell("a"), Cell("b", rowspan=2)], [Cell("c", colspan=3)]])
    with pytest.raises(LayoutError):
        overlap.occupancy()


@pytest.mark.parametrize("year, results_span, other_span", [(2021, 22, 3), (2020, 20, None)])
def test_table_3_has_the_official_nested_header_and_row_labels_spanning_their_rows(year, results_span, other_span):
    t3 = _layouts(year)["table_3"]
    assert t3.width == 10 and t3.label_columns == 3 and len(t3.header) == 3
    note = _find(t3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    assert note[:2] == (0, 0) and (note[2].rowspan, note[2].colspan) == (3, 3)
    assert _find(t3, "申请人情况")[:2] == (0, 3) and _find(t3, "申请人情况")[2].colspan == 7
    r, c, natural = _find(t3, "自然人")
    assert (r, c, natural.rowspan) == (1, 3, 2)
    r, c, legal = _find(t3, "法人或其他组织")
    assert (r, c, legal.colspan) == (1, 4, 5)
    r, c, total = _find(t3, "总计")
    assert (r, c, total.rowspan) == (1, 9, 2)
    assert [_find(t3, x)[:2] for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")] == [
        (2, i) for i in range(4, 9)
    ]

    assert _find(t3, "一、本年新收政府信息公开申请数量")[2].colspan == 3
    assert _find(t3, "四、结转下年度继续办理")[2].colspan == 3
    r, c, results = _find(t3, "三、本年度办理结果")
    assert (c, results.rowspan, results.colspan) == (0, results_span, 1)
    _r, c, granted = _find(t3, "（一）予以公开")
    assert (c, granted.colspan) == (1, 2)
    assert _find(t3, "（三）不予公开")[2].rowspan == 8
    assert _find(t3, "（四）无法提供")[2].rowspan == 3
    assert _find(t3, "（五）不予处理")[2].rowspan == 5
    assert _find(t3, "1.属于国家秘密")[1] == 2 and _find(t3, "1.属于国家秘密")[2].colspan == 1
    other = _find(t3, "（六）其他处理")[2]
    if other_span:
        assert other.rowspan == other_span and other.colspan == 1
    else:  # 2019: a data row of its own
        assert other.rowspan == 1 and other.colspan == 2
    assert _find(t3, "（七）总计")[2].colspan == 2
    # every body row ends in seven figures
    for row in t3.body:
        assert [c.numeric for c in row[-7:]] == [True] * 7 and not any(c.numeric for c in row[:-7])


def test_table_4_has_review_and_litigation_over_their_result_columns_and_one_unlabelled_row():
    t4 = _layouts(2021)["table_4"]
    assert t4.width == 15 and len(t4.header) == 3 and len(t4.body) == 1
    assert _find(t4, "行政复议")[:2] == (0, 0) and _find(t4, "行政复议")[2].colspan == 5
    assert _find(t4, "行政诉讼")[:2] == (0, 5) and _find(t4, "行政诉讼")[2].colspan == 10
    assert _find(t4, "未经复议直接起诉")[:2] == (1, 5) and _find(t4, "未经复议直接起诉")[2].colspan == 5
    assert _find(t4, "复议后起诉")[:2] == (1, 10) and _find(t4, "复议后起诉")[2].colspan == 5
    grid = _at(t4)
    assert [grid[(1, c)].text for c in range(5)] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert all(grid[(1, c)].rowspan == 2 for c in range(5))
    assert [grid[(2, c)].text for c in range(5, 15)] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    assert all(c.numeric and c.colspan == 1 for c in t4.body[0])


def test_table_2_stacks_its_sub_tables_each_under_a_caption_row_and_a_header_row():
    t2 = _layouts(2021)["table_2"]
    assert t2.width == 4 and t2.header == []
    captions = [i for i, row in enumerate(t2.body) if len(row) == 1]
    assert [t2.body[i][0].text for i in captions] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    assert all(t2.body[i][0].colspan == 4 and t2.body[i + 1][0].text == "信息内容" for i in captions)
    r, c, fee = _find(t2, "本年收费金额（单位：万元）")
    assert (c, fee.colspan) == (1, 3)  # one value per row, spanning the three value columns
    decisions = [(c, cell.colspan) for _r, c, cell in t2.placed() if cell.text == "本年处理决定数量"]
    assert decisions == [(1, 3), (1, 3)]  # 第二十条第（五）项 and （六）项
    old = _layouts(2020)["table_2"]
    change = [cell.colspan for _r, _c, cell in old.placed() if cell.text == "本年增/减"]
    assert change == [1, 1, 2]  # 第二十条第（八）项 has two columns: the last spans the rest
    assert _find(old, "采购总金额")[2].colspan == 2


# -- figures in their places ------------------------------------------------------------------

counts = st.integers(0, 99999)


@st.composite
def report_tables(draw, year):
    fmt = format_for_year(year)
    t2 = {}
    for s in fmt.table_2.subtables:
        t2[s.id] = {}
        for r in s.rows:
            cells = {}
            for c in s.columns:
                if c.is_decimal:
                    cells[c.key] = draw(st.decimals(0, 100000, places=2, allow_nan=False, allow_infinity=False))
                elif c.type == "signed_integer":
                    cells[c.key] = draw(st.integers(-500, 500))
                else:
                    cells[c.key] = draw(counts)
            t2[s.id][r.key] = cells
    t3 = {r.key: {c.key: draw(counts) for c in fmt.table_3.columns} for r in fmt.table_3.data_rows()}
    t4 = {c.key: draw(counts) for c in fmt.table_4.columns}
    return {"table_2": t2, "table_3": t3, "table_4": t4}


def _read_back(year, layouts):
    """The tables as a reader of the printed grid sees them: labels, then figures in column order."""
    fmt = format_for_year(year)
    t2, t3 = {}, {}
    sub = None
    for row in layouts["table_2"].body:
        if len(row) == 1:
            sub = next(s for s in fmt.table_2.subtables if s.caption == row[0].text)
        elif row[0].text != sub.row_header_label:
            key = next(r.key for r in sub.rows if r.label == row[0].text)
            t2.setdefault(sub.id, {})[key] = {c.key: cell.text for c, cell in zip(sub.columns, row[1:])}
    by_label = {r.label: r.key for r in fmt.table_3.rows}
    for row in layouts["table_3"].body:
        labels = [c for c in row if not c.numeric]
        figures = [c for c in row if c.numeric]
        t3[by_label[labels[-1].text]] = {c.key: cell.text for c, cell in zip(fmt.table_3.columns, figures)}
    t4 = {c.key: cell.text for c, cell in zip(fmt.table_4.columns, layouts["table_4"].body[0])}
    return {"table_2": t2, "table_3": t3, "table_4": t4}


def _as_text(tables):
    if isinstance(tables, dict):
        return {k: _as_text(v) for k, v in tables.items()}
    return format_value(tables)


@pytest.mark.parametrize("year", [2020, 2021])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_figure_is_printed_in_the_cell_of_its_row_and_column(year, data):
    tables = data.draw(report_tables(year))
    layouts = _layouts(year, tables)
    assert _read_back(year, layouts) == _as_text(tables)


def test_a_missing_table_or_blank_cell_prints_as_an_empty_cell():
    layouts = _layouts(2021, {"table_3": {"granted": {"natural_person": 3, "total": None}}})
    granted = next(row for row in layouts["table_3"].body if any(c.text == "（一）予以公开" for c in row))
    assert [c.text for c in granted[-7:]] == ["3", "", "", "", "", "", ""]
    assert all(c.text == "" for c in layouts["table_4"].body[0])


@pytest.mark.parametrize(
    "value, printed",
    [
        (Decimal("12.50"), "12.50"),
        (Decimal("0.10"), "0.10"),
        (Decimal("1E+2"), "100"),
        (Decimal("0"), "0"),
        (0.1, "0.1"),
        (2.675, "2.675"),
        (1e-7, "0.0000001"),
        (-8, "-8"),
        (0, "0"),
        (123456, "123456"),
        (None, ""),
        ("  7 ", "7"),
    ],
)
def test_figures_are_printed_as_given_without_float_noise_or_exponents(value, printed):
    assert format_value(value) == printed


# -- the whole report -------------------------------------------------------------------------


def test_the_report_layout_has_the_six_sections_in_order_with_the_tables_in_二_三_四():
    content = ReportContent(
        "示范区教育局",
        2021,
        {},
        sections={"overview": "第一段。\n\n  第二段。  ", "problems": "", "other": "未收取信息处理费。"},
        dated=date(2022, 1, 20),
    )
    report = report_layout(content)
    assert report.title == "示范区教育局2021年政府信息公开工作年度报告"
    assert report.preamble == [content.opening]
    assert [s.title for s in report.sections] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert [s.table.table_id if s.table else None for s in report.sections] == [
        None,
        "table_2",
        "table_3",
        "table_4",
        None,
        None,
    ]
    assert report.sections[0].paragraphs == ["第一段。", "第二段。"]
    assert report.sections[4].paragraphs == []
    assert report.signature == ["示范区教育局", "2022年1月20日"]
    assert report_layout(ReportContent("示范区教育局", 2021, {})).signature == ["示范区教育局"]
