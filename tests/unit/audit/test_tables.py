"""Tables 二/三/四 cell by cell: layouts, glued digits, blanks, never a silent guess."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.audit.findings import audit_document
from gongkai.domain.audit.model import RawDocument
from gongkai.domain.audit.normalise import Line, normalise
from gongkai.domain.audit.recognise import recognise
from gongkai.domain.audit.tables import extract_old_stats, extract_tables, read_row, split_digits, split_line
from gongkai.domain.audit.tables.table3 import _t3_columns_hold, _t3_columns_possible, _t3_convention
from gongkai.domain.consistency import normalise_table3
from gongkai.domain.report_format import load_formats

T3_GROUPS = [((0, 1, 2, 3, 4, 5), 6)]
T4_GROUPS = [((0, 1, 2, 3), 4), ((5, 6, 7, 8), 9), ((10, 11, 12, 13), 14)]
ZERO7 = "\t".join(["0"] * 7)


def table2(rows: dict[str, str] | None = None) -> str:
    rows = rows or {}
    return "\n".join(
        [
            "第二十条第（一）项",
            "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
            f"规章\t{rows.get('regulations', '0	0	3')}",
            f"行政规范性文件\t{rows.get('normative_documents', '3	1	8')}",
            "第二十条第（五）项",
            "信息内容\t本年处理决定数量",
            "行政许可\t0",
            "第二十条第（六）项",
            "信息内容\t本年处理决定数量",
            "行政处罚\t0",
            "行政强制\t0",
            "第二十条第（八）项",
            "信息内容\t本年收费金额（单位：万元）",
            f"行政事业性收费\t{rows.get('fee', '0.35')}",
        ]
    )


def table3(values: dict[str, str] | None = None, omit: tuple[str, ...] = ()) -> str:
    values = values or {}
    lines = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\t\t\t\t\t\t总计"]
    for r in load_formats()["2021"].table_3.rows:
        if r.key in omit:
            continue
        lines.append(r.label if not r.data else f"{r.label}\t{values.get(r.key, ZERO7)}")
    return "\n".join(lines)


def report(t2: str | None = None, t3: str | None = None, t4: str | None = None, year: int = 2021) -> str:
    return "\n".join(
        [
            f"某某市教育局{year}年政府信息公开工作年度报告",
            "一、总体情况",
            "本年度政府信息公开工作正常开展。",
            "二、主动公开政府信息情况",
            table2() if t2 is None else t2,
            "三、收到和处理政府信息公开申请情况",
            table3() if t3 is None else t3,
            "四、政府信息公开行政复议、行政诉讼情况",
            "行政复议\t\t\t\t\t行政诉讼",
            "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉",
            "\t".join(["0"] * 15) if t4 is None else t4,
            "五、存在的主要问题及改进情况",
            "无。",
            "六、其他需要报告的事项",
            "无。",
        ]
    )


def audited(text: str, previous=None):
    d = normalise(RawDocument(name="t.txt", kind="text", text=text))
    return d, audit_document(d, previous=previous)


def extracted(text: str):
    d = normalise(RawDocument(name="t.txt", kind="text", text=text))
    return d, extract_tables(d, recognise(d))


def rules(report_) -> list[str]:
    return [f.rule for f in report_.findings]


# -- the digit splitter ---------------------------------------------------------------------------


def test_the_issue_example_has_one_reading():
    assert split_digits("640020470", 7, T3_GROUPS) == [(64, 0, 0, 2, 0, 4, 70)]


def test_an_ambiguous_run_lists_every_reading():
    assert sorted(split_digits("0010126477", 7, T3_GROUPS)) == [(0, 0, 1, 0, 12, 64, 77), (0, 0, 10, 1, 2, 64, 77)]


def test_no_number_with_a_leading_zero_and_separators_are_respected():
    assert split_digits("0000000", 7, T3_GROUPS) == [(0,) * 7]
    assert split_digits("1203", 2) == [(1, 203), (120, 3)]  # 12 / 03 is not a reading
    assert split_digits("1203", 2, cuts=[2]) == []  # "12" and "03" were separate cells: 03 is no number
    assert split_digits("12", 3) == []


def test_table4_groups_constrain_the_split():
    assert split_digits("100011000100000", 15, T4_GROUPS) == [(1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0)]
    assert split_digits("100010000000000", 15, T4_GROUPS) == [(1, 0, 0, 0, 1) + (0,) * 10]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 20_000), min_size=6, max_size=6))
def test_flattening_then_splitting_recovers_the_row_whenever_unique(parts):
    row = (*parts, sum(parts))
    readings = split_digits("".join(map(str, row)), 7, T3_GROUPS)
    assert row in readings
    if len(readings) == 1:
        assert readings[0] == row


# -- rows ----------------------------------------------------------------------------------------


def row_of(text: str):
    return split_line(Line(0, len(text), text))


def test_split_line_tab_layout_keeps_labels_and_value_cells_with_offsets():
    tr = row_of("三、本年度办理结果\t(一) 予以公开\t\t1\t2\t\t0")
    assert [c.text for c in tr.labels] == ["三、本年度办理结果", "(一) 予以公开"]
    assert [None if c is None else c.text for c in tr.values] == ["1", "2", None, "0"]
    c = tr.values[0]
    assert "三、本年度办理结果\t(一) 予以公开\t\t1\t2\t\t0"[c.start : c.end] == "1"


def test_split_line_space_layout_splits_numbered_labels():
    tr = row_of("(三) 不予以公开 1. 属于国家秘密 0 0 0 0 0 0")
    assert [c.text for c in tr.labels] == ["(三) 不予以公开", "1. 属于国家秘密"]
    assert len(tr.values) == 6


def test_split_line_label_glued_to_its_digits():
    tr = row_of("一、本年新收政府信息公开申请数量640020470")
    assert tr.own.text == "一、本年新收政府信息公开申请数量" and [c.text for c in tr.values] == ["640020470"]


def test_read_row_as_written_and_blank_shift_that_the_convention_makes_equal():
    assert read_row(row_of("x\t1\t2\t3").values, 3, True).unique == (1, 2, 3)
    zeros = row_of("x\t\t0\t0\t0\t0\t0\t0")  # six zeros for seven columns: where is the blank?

    conv = _t3_convention(load_formats()["2021"])
    assert read_row(zeros.values, 7, True, T3_GROUPS, conv).unique == (0,) * 7


def test_read_row_keeps_several_readings_when_the_blank_could_be_anywhere():
    conv = _t3_convention(load_formats()["2021"])
    tr = row_of("x 1 0 0 0 0 1")  # separators lost, one applicant cell blank (which one?)
    rr = read_row(tr.values, 7, False, T3_GROUPS, conv)
    assert rr.unique is None and len(rr.readings) > 1
    assert (0, 1, 0, 0, 0, 0, 1) in rr.readings and (1, 0, 0, 0, 0, 0, 1) in rr.readings
    # the last figure written is the 总计: a blank 总计 "computed" from the others is no reading
    # (it would make a row that lost a figure look consistent)
    assert (1, 0, 0, 0, 0, 1, 2) not in rr.readings


def test_read_row_too_many_numbers_is_unreadable():
    rr = read_row(row_of("x 1 2 3 4").values, 3, False)
    assert rr.readings == [] and "多于" in rr.why


# -- whole tables ----------------------------------------------------------------------------------


def test_a_clean_report_reads_every_cell_and_passes_every_rule():
    d, rep = audited(report())
    assert rep.tables["table_2"]["art20_1"]["normative_documents"] == {"made": 3, "repealed": 1, "in_force": 8}
    assert rep.tables["table_2"]["art20_8"]["administrative_fees"] == {"fee_amount": 0.35}
    assert all(v == 0 for row in rep.tables["table_3"].values() for v in row.values())
    assert set(rep.tables["table_4"]) == {c.key for c in load_formats()["2021"].table_4.columns}
    assert rules(rep) == []


def test_table2_columns_follow_the_header_order():
    t2 = table2().replace(
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "信息内容\t现行有效件数\t本年制发件数\t本年废止件数"
    )
    t2 = t2.replace("行政规范性文件\t3\t1\t8", "行政规范性文件\t8\t3\t1")
    _, ex = extracted(report(t2=t2))
    assert ex.tables["table_2"]["art20_1"]["normative_documents"] == {"made": 3, "repealed": 1, "in_force": 8}


def test_the_issue_example_row_flattened_is_read_when_unique():
    t3 = table3(
        {
            "new_received": "640020470",
            "granted": "64\t0\t0\t2\t0\t4\t70",
            "results_total": "64\t0\t0\t2\t0\t4\t70",
        }
    )
    d, rep = audited(report(t3=t3))
    assert list(rep.tables["table_3"]["new_received"].values()) == [64, 0, 0, 2, 0, 4, 70]
    assert "ambiguous_cells" not in rules(rep)
    f_cells = [f for f in rep.findings if f.rule.startswith("t3_")]
    assert f_cells == []


def test_an_ambiguous_flattened_row_is_settled_by_the_column_rules():
    t3 = table3(
        {
            "new_received": "0010126477",  # (0,0,1,0,12,64,77) or (0,0,10,1,2,64,77)
            "granted": "0\t0\t10\t1\t2\t64\t77",
            "results_total": "0\t0\t10\t1\t2\t64\t77",
        }
    )
    d, rep = audited(report(t3=t3))
    assert list(rep.tables["table_3"]["new_received"].values()) == [0, 0, 10, 1, 2, 64, 77]
    assert "ambiguous_cells" not in rules(rep)


def test_an_ambiguous_row_that_nothing_settles_is_null_with_a_finding_listing_the_readings():
    t3 = table3({"new_received": "0010126477"}, omit=("results_total", "carry_forward"))
    d, rep = audited(report(t3=t3))
    assert set(rep.tables["table_3"]["new_received"].values()) == {None}
    amb = [f for f in rep.findings if f.rule == "ambiguous_cells"]
    assert len(amb) == 1
    assert sorted(map(tuple, amb[0].actual)) == [(0, 0, 1, 0, 12, 64, 77), (0, 0, 10, 1, 2, 64, 77)]
    assert "0010126477" in amb[0].message and "table_3.new_received.total" in amb[0].cells
    assert d.text[amb[0].spans[0].start : amb[0].spans[0].end] == "0010126477"
    assert "partial_table" in rules(rep)  # the two rows left out


def test_a_flattened_row_with_no_consistent_reading_is_unreadable():
    t3 = table3({"new_received": "1111111"})  # 1+1+1+1+1+1 != 1
    d, rep = audited(report(t3=t3))
    assert set(rep.tables["table_3"]["new_received"].values()) == {None}
    assert "unreadable_cells" in rules(rep) or "ambiguous_cells" in rules(rep)


def test_blank_cells_of_table3_follow_the_convention():
    t3 = table3({"granted": "2\t\t\t\t\t\t", "new_received": "2\t\t\t\t\t\t", "results_total": "2\t\t\t\t\t\t2"})
    _, ex = extracted(report(t3=t3))
    assert list(ex.tables["table_3"]["granted"].values()) == [2, 0, 0, 0, 0, 0, 2]  # 总计 computed
    assert list(ex.tables["table_3"]["results_total"].values()) == [2, 0, 0, 0, 0, 0, 2]


def test_a_written_inconsistency_is_reported_by_the_format_rules_with_the_cells_place():
    t3 = table3(
        {
            "new_received": "1\t0\t0\t0\t0\t0\t1",
            "granted": "1\t0\t0\t0\t0\t0\t1",
            "results_total": "1\t0\t0\t0\t0\t0\t2",
        }
    )
    d, rep = audited(report(t3=t3))
    f = next(f for f in rep.findings if f.rule == "t3_total_column")
    assert f.cells[0] == "table_3.results_total.total" and f.severity == "error"
    assert any(d.text[s.start : s.end] == "2" for s in f.spans)
    assert "t3_balance" in rules(rep)


def test_a_label_split_over_two_lines_is_joined():
    t3 = table3().replace(
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t" + ZERO7,
        "2.申请人逾期未按收费通知要求缴纳\t" + ZERO7 + "\n\t费用、行政机关不再处理其政府信息公开申请",
    )
    d, rep = audited(report(t3=t3))
    assert rep.tables["table_3"]["other_fee_unpaid"]["total"] == 0
    assert "label_deviation" not in rules(rep) and "partial_table" not in rules(rep)


def test_space_separated_tables_are_read():
    text = report().replace("\t", " ")
    _, ex = extracted(text)
    assert ex.status == {"table_2": "read", "table_3": "read", "table_4": "read"}
    assert ex.tables["table_2"]["art20_1"]["regulations"] == {"made": 0, "repealed": 0, "in_force": 3}


def test_table4_only_a_header_is_unreadable():
    d, rep = audited(report(t4=""))
    assert set(rep.tables["table_4"].values()) == {None}
    assert "unreadable_cells" in rules(rep)


def test_table4_flattened_is_split_with_its_group_totals():
    _, ex = extracted(report(t4="100010000000000"))
    assert list(ex.tables["table_4"].values()) == [1, 0, 0, 0, 1] + [0] * 10


def test_tables_missing_are_omitted_and_reported():
    d, rep = audited(report(t2="", t3="", t4="无"))
    assert set(rep.tables) == {"table_4"}  # its header is there: unreadable, every cell null
    assert set(rep.tables["table_4"].values()) == {None}
    assert rules(rep).count("missing_table") == 2 and "unreadable_cells" in rules(rep)
    text = (
        report(t2="", t3="", t4="")
        .replace("行政复议\t\t\t\t\t行政诉讼\n", "")
        .replace("结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\n", "")
    )
    d, rep = audited(text)
    assert rep.tables == {} and rules(rep).count("missing_table") == 3


def test_a_row_matching_no_label_is_reported():
    t3 = table3() + "\n（八）其他莫名的行\t1\t0\t0\t0\t0\t0\t1"
    d, rep = audited(report(t3=t3))
    assert "unmatched_row" in rules(rep)


def test_cross_year_carry_continuity_uses_the_previous_report():
    prev_t3 = table3({"new_received": "1\t0\t0\t0\t0\t0\t1", "carry_forward": "1\t0\t0\t0\t0\t0\t1"})
    _, previous = audited(report(t3=prev_t3, year=2020))
    d, rep = audited(report(), previous=previous)
    f = [f for f in rep.findings if f.rule == "t3_carry_continuity"]
    assert f and f[0].severity == "warning" and "previous_report.table_3.carry_forward.natural_person" in f[0].cells


def test_old_statistics_table_lines():
    text = "某局2015年政府信息公开工作年度报告\n主动公开政府信息数\t条\t243\n收到申请数\t件\t5\n政府信息公开行政复议数\t件\t0\n"
    d = normalise(RawDocument(name="t", kind="text", text=text))
    stats, spans = extract_old_stats(d)
    assert stats == {"proactive_published": 243, "applications_received": 5, "review_cases": 0}
    assert d.text[spans["proactive_published"][0] : spans["proactive_published"][1]] == "243"


def test_old_statistics_with_this_year_and_cumulative_figures():
    # the old 统计表 giving 本年 and 累计 side by side: this year's figure is the year's statistic;
    # two figures run together are split only where one split keeps this year's ≤ the cumulative
    text = (
        "某局2015年政府信息公开工作年度报告\n统计指标\t单位\t本年度\t累计\n"
        "主动公开政府信息数\t条\t243\t5120\n"
        "收到申请数件7070\n"  # 7|070 has a leading zero, 70|70 holds, 707|0 does not: 70
        "申请办结数件12345\n"  # 1|2345, 12|345, 123|45 all hold: left unstated
        "政府信息公开行政复议数\t件\t0\t3\n"
    )
    d = normalise(RawDocument(name="t", kind="text", text=text))
    stats, spans = extract_old_stats(d)
    assert stats == {"proactive_published": 243, "applications_received": 70, "review_cases": 0}
    assert d.text[spans["proactive_published"][0] : spans["proactive_published"][1]] == "243"


def test_a_2021_report_written_on_the_2019_tables_is_read_with_2019_keys_and_flagged():
    t2 = "\n".join(
        [
            "第二十条第（一）项",
            "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
            "规章\t0\t0\t2",
            "规范性文件\t1\t1\t5",
            "第二十条第（九）项",
            "信息内容\t采购项目数量\t采购总金额",
            "政府集中采购\t2\t35.5",
        ]
    )
    t3 = table3().replace("（六）其他处理\n", "（六）其他处理\t" + ZERO7 + "\n")
    for r in (
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "3.其他",
    ):
        t3 = t3.replace(f"{r}\t{ZERO7}\n", "")
    d, rep = audited(report(t2=t2, t3=t3))
    assert rep.format == "2019" and rep.year == 2021
    f = next(f for f in rep.findings if f.rule == "format_mismatch")
    assert f.severity == "error" and (f.expected, f.actual) == ("2021", "2019")
    assert rep.tables["table_2"]["art20_9"]["government_centralized_procurement"] == {
        "procurement_items": 2,
        "procurement_amount": 35.5,
    }
    assert rep.tables["table_2"]["art20_1"]["normative_documents"] == {
        "newly_made": 1,
        "newly_published": 1,
        "total_published": 5,
    }
    assert rep.tables["table_3"]["other_handling"]["total"] == 0
    assert set(rep.tables["table_3"]) == {r.key for r in load_formats()["2019"].table_3.data_rows()}


def test_table2_with_captions_but_no_numbers_is_unreadable():
    t2 = "第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n第二十条第（五）项"
    d, rep = audited(report(t2=t2))
    assert all(v is None for sub in rep.tables["table_2"].values() for row in sub.values() for v in row.values())
    f = [f for f in rep.findings if f.rule == "unreadable_cells" and f.cells[0].startswith("table_2")]
    assert len(f) == 1 and f[0].severity == "error"


@settings(max_examples=200, deadline=None)
@given(
    version=st.sampled_from(["2019", "2021"]),
    readings=st.lists(
        st.lists(
            st.one_of(st.none(), st.integers(0, 99), st.floats(0, 99, allow_nan=False)), min_size=7, max_size=7
        ).map(tuple),
        max_size=12,
    ),
)
def test_the_blank_cell_convention_on_readings_is_normalise_table3s(version, readings):
    fmt = load_formats()[version]
    cols = [c.key for c in fmt.table_3.columns]
    rows = normalise_table3({str(i): dict(zip(cols, r)) for i, r in enumerate(readings)})
    assert _t3_convention(fmt)(readings) == [tuple(rows[str(i)][c] for c in cols) for i in range(len(readings))]


_CELL = st.one_of(st.none(), st.integers(0, 3), st.sampled_from([1.0, 2.5, 0.5]))


@settings(max_examples=300, deadline=None)
@given(version=st.sampled_from(["2019", "2021"]), data=st.data())
def test_with_no_row_left_open_the_possible_column_rules_are_the_column_rules(version, data):
    # table 三's column rules are asked twice in a row (the lost-figure check, then the distrust
    # check); without an ambiguous row the relaxation (sets of sums) is skipped as asking the same
    t3 = load_formats()[version].table_3
    ncols = len(t3.columns)
    outcomes = [r.key for r in t3.outcome_rows()]
    keys = [r.key for r in t3.data_rows()]
    rows = {
        k: data.draw(st.lists(_CELL, min_size=ncols, max_size=ncols).map(tuple))
        for k in keys
        if data.draw(st.booleans()) or k == "results_total"
    }
    if data.draw(st.booleans()) and all(k in rows for k in outcomes):  # often a total that holds
        rows["results_total"] = tuple(
            sum(rows[k][c] for k in outcomes) if all(rows[k][c] is not None for k in outcomes) else None  # type: ignore[misc]
            for c in range(ncols)
        )
    assert _t3_columns_possible(rows, {}, outcomes, ncols) == _t3_columns_hold(rows, outcomes, ncols)
