"""The annual-report format model: packaged data, exact labels, which format applies to which year."""

import dataclasses
import json
import subprocess
import sys
from importlib import resources

import pytest

from gongkai.domain.errors import DomainError
from gongkai.domain.report_format import (
    ReportYearNotCovered,
    format_for_year,
    load_formats,
    table2_cells,
    table3_data_rows,
    table3_outcome_rows,
    table4_columns,
)

LABEL_KEYS = {"label", "title", "caption", "row_header_label", "row_header_note", "name", "document_number"}


def _spec(shared_dir):
    return json.loads((shared_dir / "spec" / "annual-report-format.json").read_text(encoding="utf-8"))


def _packaged():
    text = resources.files("gongkai.domain").joinpath("data/annual_report_format.json").read_text(encoding="utf-8")
    return json.loads(text)


def _labels(node, path=""):
    """Every (path, string) under a label-like key, walking the whole JSON document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in LABEL_KEYS and isinstance(value, str):
                yield f"{path}/{key}", value
            yield from _labels(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _labels(value, f"{path}[{i}]")


def _model_labels(fmt):
    """The labels the model exposes, keyed the same way as the spec (by key, not by position)."""
    out = {("name",): fmt.name, ("document_number",): fmt.document_number}
    for s in fmt.sections:
        out[("section", s.key)] = s.title
    for sub in fmt.table_2.subtables:
        out[("t2", sub.id, "caption")] = sub.caption
        out[("t2", sub.id, "row_header_label")] = sub.row_header_label
        out.update({("t2", sub.id, "col", c.key): c.label for c in sub.columns})
        out.update({("t2", sub.id, "row", r.key): r.label for r in sub.rows})
    for t in (fmt.table_3, fmt.table_4):
        out[(t.id, "title")] = t.title
        out.update({(t.id, "col", c.key): c.label for c in t.columns})
        out.update({(t.id, "row", r.key): r.label for r in t.rows})
        out.update({(t.id, "group", g.key): g.label for g in t.column_groups})
    out[("table_3", "row_header_note")] = fmt.table_3.row_header_note
    out[("table_2", "title")] = fmt.table_2.title
    return out


def _spec_labels(raw):
    tables = {t["id"]: t for t in raw["tables"]}
    out = {("name",): raw["name"], ("document_number",): raw["document_number"]}
    for s in raw["sections"]:
        out[("section", s["key"])] = s["title"]
    for sub in tables["table_2"]["subtables"]:
        out[("t2", sub["id"], "caption")] = sub["caption"]
        out[("t2", sub["id"], "row_header_label")] = sub["row_header_label"]
        out.update({("t2", sub["id"], "col", c["key"]): c["label"] for c in sub["columns"]})
        out.update({("t2", sub["id"], "row", r["key"]): r["label"] for r in sub["rows"]})
    for tid in ("table_3", "table_4"):
        t = tables[tid]
        out[(tid, "title")] = t["title"]
        out.update({(tid, "col", c["key"]): c["label"] for c in t["columns"]})
        out.update({(tid, "row", r["key"]): r["label"] for r in t["rows"]})
        out.update({(tid, "group", g["key"]): g["label"] for g in t["column_groups"]})
    out[("table_3", "row_header_note")] = tables["table_3"]["row_header_note"]
    out[("table_2", "title")] = tables["table_2"]["title"]
    return out


# -- the packaged data ----------------------------------------------------------------------


def test_the_packaged_format_data_is_the_spec_json_with_nothing_dropped(shared_dir):
    assert _packaged() == _spec(shared_dir)


def test_every_label_in_the_packaged_data_equals_the_spec_label_character_for_character(shared_dir):
    spec = dict(_labels(_spec(shared_dir)))
    packaged = dict(_labels(_packaged()))
    assert len(spec) > 150
    assert packaged.keys() == spec.keys()
    for path, label in spec.items():
        assert packaged[path] == label, path
        assert packaged[path].encode("utf-8") == label.encode("utf-8"), path


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_the_model_reproduces_every_spec_label_exactly(shared_dir, version):
    expected = _spec_labels(_spec(shared_dir)["formats"][version])
    assert _model_labels(load_formats()[version]) == expected


def test_labels_keep_their_full_width_punctuation_and_curly_quotes():
    t3 = load_formats()["2021"].table_3
    assert t3.row("withheld_security_stability").label == "3.危及\u201c三安全一稳定\u201d"
    assert t3.row("partially_granted").label == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert t3.row_header_note == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert load_formats()["2021"].table_2.subtable("art20_8").column("fee_amount").label == "本年收费金额（单位：万元）"
    assert load_formats()["2019"].table_2.subtable("art20_5").column("change_this_year").label == "本年增/减"


def test_the_code_reads_only_the_packaged_copy_never_the_shared_spec():
    domain = resources.files("gongkai.domain")
    # consistency is a package: every one of its modules
    sources = [domain / "report_format.py", *(p for p in (domain / "consistency").iterdir() if p.name.endswith(".py"))]
    assert len(sources) > 2
    for path in sources:
        source = path.read_text("utf-8")
        for forbidden in ("../shared", "/shared/", "annual-report-format", "open("):
            assert forbidden not in source, path.name


def test_the_format_modules_import_without_django():
    code = (
        "import sys; import gongkai.domain.report_format, gongkai.domain.consistency; "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- which format applies -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "version"), [(2019, "2019"), (2020, "2019"), (2021, "2021"), (2022, "2021"), (2035, "2021")]
)
def test_the_format_follows_the_report_year(year, version):
    assert format_for_year(year).version == version


def test_format_for_2020_is_the_2019_trial_format_issued_with_60hao():
    fmt = format_for_year(2020)
    assert fmt.version == "2019"
    assert fmt.name == "中华人民共和国政府信息公开工作年度报告格式（试行）"
    assert fmt.document_number.startswith("国办公开办函〔2019〕60号")


def test_format_for_2021_is_the_format_issued_with_30hao():
    fmt = format_for_year(2021)
    assert fmt.version == "2021"
    assert fmt.document_number == "国办公开办函〔2021〕30号"


@pytest.mark.parametrize("year", [2018, 2008, 1999])
def test_a_report_year_before_2019_is_refused_in_chinese(year):
    with pytest.raises(DomainError) as exc:
        format_for_year(year)
    assert isinstance(exc.value, ReportYearNotCovered)
    assert "条例修订前的年度报告无统一表格格式" in exc.value.message
    assert str(year) in exc.value.message


# -- shape of the formats -------------------------------------------------------------------


def test_both_formats_have_the_six_sections_in_order():
    for fmt in load_formats().values():
        assert [s.key for s in fmt.sections] == [
            "overview",
            "proactive",
            "applications",
            "review_litigation",
            "problems",
            "other",
        ]
        assert [s.title for s in fmt.sections][2] == "三、收到和处理政府信息公开申请情况"
        assert [s.table for s in fmt.sections if s.kind == "table"] == ["table_2", "table_3", "table_4"]


def test_2021_has_21_outcome_data_rows_and_2019_has_19():
    assert len(table3_outcome_rows(load_formats()["2021"])) == 21
    assert len(table3_outcome_rows(load_formats()["2019"])) == 19


def test_2019_counts_other_handling_as_one_data_row_while_2021_splits_it_in_three():
    rows19 = [r.key for r in table3_outcome_rows(load_formats()["2019"])]
    rows21 = [r.key for r in table3_outcome_rows(load_formats()["2021"])]
    assert rows19[-1] == "other_handling"
    assert rows21[-3:] == ["other_no_correction", "other_fee_unpaid", "other_other"]
    assert set(rows21) - set(rows19) == {"other_no_correction", "other_fee_unpaid", "other_other"}


def test_data_rows_leave_out_the_label_only_group_rows():
    keys = [r.key for r in table3_data_rows(load_formats()["2021"])]
    assert len(keys) == 25
    assert keys[:2] == ["new_received", "carried_over"] and keys[-2:] == ["results_total", "carry_forward"]
    assert not {"results", "withheld", "unable", "not_processed", "other_handling"} & set(keys)
    assert len(table3_data_rows(load_formats()["2019"])) == 23


def test_table_3_has_seven_columns_and_no_subtotal_for_organisations():
    t3 = load_formats()["2021"].table_3
    assert [c.label for c in t3.columns] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    assert [c.key for c in t3.applicant_columns()] == [c.key for c in t3.columns[:6]]


def test_table_2_cells_are_subtable_row_column_triples():
    cells21 = table2_cells(load_formats()["2021"])
    assert len(cells21) == 10
    assert cells21[0] == ("art20_1", "regulations", "made")
    assert ("art20_8", "administrative_fees", "fee_amount") in cells21
    cells19 = table2_cells(load_formats()["2019"])
    assert len(cells19) == 22
    assert ("art20_9", "government_centralized_procurement", "procurement_amount") in cells19


def test_decimal_columns_are_marked_as_decimal():
    sub = load_formats()["2021"].table_2.subtable("art20_8")
    assert sub.column("fee_amount").is_decimal and sub.column("fee_amount").unit == "万元"
    assert not load_formats()["2021"].table_2.subtable("art20_1").column("made").is_decimal


def test_table_4_has_fifteen_columns_in_three_groups_with_qualified_headings():
    t4 = load_formats()["2019"].table_4
    cols = table4_columns(load_formats()["2019"])
    assert len(cols) == 15
    assert [c.label for c in cols[:5]] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert t4.column_heading("review_total") == "行政复议“总计”"
    assert t4.column_heading("litigation_after_review_pending") == "行政诉讼（复议后起诉）“尚未审结”"
    assert [r.key for r in t4.rows] == ["cases"]


def test_every_table_carries_its_rules_from_the_data():
    fmt = load_formats()["2019"]
    assert [r.id for r in fmt.table_3.rules] == [
        "t3_balance",
        "t3_results_total",
        "t3_total_column",
        "t3_non_negative",
        "t3_carry_continuity",
    ]
    assert {r.table for r in fmt.table_2.rules} == {"table_2"}
    assert fmt.table_2.rules[0].scope == "each_cell_except_change_this_year"


def test_the_model_is_immutable_and_loaded_once():
    fmt = load_formats()["2021"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        fmt.version = "2019"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        fmt.table_3.rows[0].label = "x"  # type: ignore[misc]
    assert load_formats()["2021"] is fmt
    load_formats().clear()  # the caller's dict is a copy
    assert load_formats()["2021"] is fmt
