"""Consistency rules of tables 二/三/四: the expression language, each rule, blanks, cross-year checks."""

import copy
import dataclasses
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.domain.consistency import (
    Finding,
    audit,
    compile_rule,
    evaluate,
    normalise_table3,
    passed_rules,
    row_breaks_error_rule,
)
from gongkai.domain.errors import DomainError
from gongkai.domain.expressions import And, Compare, Num, Ref, RuleExpressionError, Sum, parse_expression
from gongkai.domain.report_format import Rule, load_formats

F19 = load_formats()["2019"]
F21 = load_formats()["2021"]
FORMATS = {"2019": F19, "2021": F21}
APPLICANT = [c.key for c in F21.table_3.applicant_columns()]


# -- builders -------------------------------------------------------------------------------


def table3(fmt, cells=None):
    """A table 三 of zeros with ``cells`` {(row, column): n} set, its 总计 column computed."""
    t = {r.key: {c: 0 for c in APPLICANT} for r in fmt.table_3.data_rows()}
    for (row, col), value in (cells or {}).items():
        t[row][col] = value
    for row in t.values():
        row["total"] = sum(row[c] for c in APPLICANT)
    return t


def table4(**cells):
    t = {c.key: 0 for c in F21.table_4.columns}
    t.update(cells)
    return t


def table2_2021(**overrides):
    t = {
        "art20_1": {
            "regulations": {"made": 2, "repealed": 1, "in_force": 30},
            "normative_documents": {"made": 12, "repealed": 3, "in_force": 85},
        },
        "art20_5": {"administrative_licensing": {"decisions": 1534}},
        "art20_6": {"administrative_penalty": {"decisions": 87}, "administrative_coercion": {"decisions": 4}},
        "art20_8": {"administrative_fees": {"fee_amount": Decimal("12.35")}},
    }
    for sub, rows in overrides.items():
        t[sub] = rows
    return t


def table2_2019():
    return {
        "art20_1": {
            "regulations": {"newly_made": 1, "newly_published": 1, "total_published": 20},
            "normative_documents": {"newly_made": 9, "newly_published": 9, "total_published": 140},
        },
        "art20_5": {
            "administrative_licensing": {"items_last_year": 120, "change_this_year": -8, "decisions": 3021},
            "other_external_services": {"items_last_year": 40, "change_this_year": 2, "decisions": 310},
        },
        "art20_6": {
            "administrative_penalty": {"items_last_year": 60, "change_this_year": 0, "decisions": 52},
            "administrative_coercion": {"items_last_year": 9, "change_this_year": 1, "decisions": 3},
        },
        "art20_8": {"administrative_fees": {"items_last_year": 3, "change_this_year": -1}},
        "art20_9": {"government_centralized_procurement": {"procurement_items": 14, "procurement_amount": 251000}},
    }


# A small balanced table 三: 10 new + 2 carried over = 9 granted + 1 not held + 2 carried forward.
BALANCED = {
    ("new_received", "natural_person"): 8,
    ("new_received", "commercial_enterprise"): 2,
    ("carried_over", "natural_person"): 2,
    ("granted", "natural_person"): 7,
    ("granted", "commercial_enterprise"): 2,
    ("unable_not_held", "natural_person"): 1,
    ("results_total", "natural_person"): 8,
    ("results_total", "commercial_enterprise"): 2,
    ("carry_forward", "natural_person"): 2,
}


def findings_of(rule_id, findings):
    return [f for f in findings if f.rule == rule_id]


def result_of(rule_id, result):
    return next(r for r in result.rules if r.rule.id == rule_id)


# -- hypothesis strategies ------------------------------------------------------------------

counts = st.one_of(st.just(0), st.integers(0, 40))


@st.composite
def consistent_table3(draw, fmt):
    t3 = fmt.table_3
    outcomes = [r.key for r in t3.outcome_rows()]
    table = {r.key: {} for r in t3.data_rows()}
    for col in APPLICANT:
        values = draw(st.lists(counts, min_size=len(outcomes), max_size=len(outcomes)))
        for row, v in zip(outcomes, values):
            table[row][col] = v
        done = sum(values)
        table["results_total"][col] = done
        table["carry_forward"][col] = draw(counts)
        table["carried_over"][col] = draw(st.integers(0, done + table["carry_forward"][col]))
        table["new_received"][col] = done + table["carry_forward"][col] - table["carried_over"][col]
    for row in table.values():
        row["total"] = sum(row[c] for c in APPLICANT)
    return table


@st.composite
def consistent_table4(draw, fmt):
    t4 = fmt.table_4
    columns = {c.key for c in t4.columns}
    table = {}
    for group in t4.column_groups:
        if not set(group.children) <= columns:
            continue  # 行政诉讼 groups groups, not columns
        parts = [c for c in group.children if not c.endswith("_total")]
        values = draw(st.lists(counts, min_size=len(parts), max_size=len(parts)))
        table.update(zip(parts, values))
        table[f"{group.key}_total"] = sum(values)
    return table


@st.composite
def consistent_table2(draw, fmt):
    table = {}
    for sub in fmt.table_2.subtables:
        table[sub.id] = {}
        for row in sub.rows:
            cells = {}
            for col in sub.columns:
                if col.type == "signed_integer":
                    cells[col.key] = draw(st.integers(-50, 50))
                elif col.is_decimal:
                    cells[col.key] = draw(st.decimals(0, 100000, places=2, allow_nan=False, allow_infinity=False))
                else:
                    cells[col.key] = draw(st.integers(0, 5000))
            if "total_published" in cells:
                cells["newly_published"] = draw(st.integers(0, cells["total_published"]))
            table[sub.id][row.key] = cells
    return table


@st.composite
def consistent_report(draw, fmt):
    return {
        "table_2": draw(consistent_table2(fmt)),
        "table_3": draw(consistent_table3(fmt)),
        "table_4": draw(consistent_table4(fmt)),
    }


def matching_neighbours(tables):
    """A previous and a next report that agree with ``tables`` on every cross-year rule."""
    t3 = tables["table_3"]
    previous = {"table_3": {"carry_forward": dict(t3["carried_over"])}, "table_2": {"art20_1": {}}}
    for row, cells in tables["table_2"]["art20_1"].items():
        if "in_force" in cells:
            previous["table_2"]["art20_1"][row] = {"in_force": cells["in_force"] - cells["made"] + cells["repealed"]}
    nxt = {"table_2": {}}
    for sub, rows in tables["table_2"].items():
        for row, cells in rows.items():
            if "items_last_year" in cells:
                nxt["table_2"].setdefault(sub, {})[row] = {
                    "items_last_year": cells["items_last_year"] + cells["change_this_year"]
                }
    return previous, nxt


def covered_cells(fmt):
    """Cells covered by an error rule that relates cells to each other (not only by a sign check)."""
    t3 = [f"table_3.{r.key}.{c.key}" for r in fmt.table_3.data_rows() for c in fmt.table_3.columns]
    t4 = [f"table_4.{c.key}" for c in fmt.table_4.columns]
    return t3 + t4


def _set(tables, ref, delta):
    parts = ref.split(".")
    node = tables
    for key in parts[:-1]:
        node = node[key]
    old = node[parts[-1]]
    node[parts[-1]] = old + delta
    return old


# -- properties -----------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2019", "2021"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_random_consistent_report_passes_with_zero_findings(version, data):
    fmt = FORMATS[version]
    tables = data.draw(consistent_report(fmt))
    assert evaluate(fmt, tables) == []
    result = audit(fmt, tables)
    assert {r.status for r in result.rules} <= {"passed", "skipped"}
    assert all(r.skipped_reason and "跨年度" in r.skipped_reason for r in result.rules if r.status == "skipped")


@pytest.mark.parametrize("version", ["2019", "2021"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_with_both_neighbouring_reports_every_rule_runs_and_is_shown_as_passed(version, data):
    fmt = FORMATS[version]
    tables = data.draw(consistent_report(fmt))
    previous, nxt = matching_neighbours(tables)
    result = audit(fmt, tables, previous=previous, next_report=nxt)
    assert [(r.rule.id, r.status) for r in result.rules] == [(r.id, "passed") for r in fmt.rules]
    assert all(r.checks_run > 0 and r.summary.startswith("通过") for r in result.rules)
    assert passed_rules(fmt, tables, previous=previous, next_report=nxt) == [r.id for r in fmt.rules]


@pytest.mark.parametrize("version", ["2019", "2021"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_changing_any_single_covered_cell_produces_an_error_that_names_that_cell(version, data):
    fmt = FORMATS[version]
    tables = data.draw(consistent_report(fmt))
    ref = data.draw(st.sampled_from(covered_cells(fmt)))
    node = tables
    for key in ref.split(".")[:-1]:
        node = node[key]
    old = node[ref.split(".")[-1]]
    delta = data.draw(st.integers(-old, 60).filter(lambda d: d != 0))
    _set(tables, ref, delta)
    errors = [f for f in evaluate(fmt, tables) if f.severity == "error"]
    assert any(ref in f.cells for f in errors), (ref, delta, errors)


def test_table_2_has_no_error_rule_relating_cells_so_only_its_signs_are_checked():
    # This is why the single-cell-change property covers tables 三 and 四 only.
    for fmt in FORMATS.values():
        error_rules = [r for r in fmt.table_2.rules if r.severity == "error"]
        assert error_rules and all(r.scope.startswith("each_cell") for r in error_rules)


# -- table 三 -------------------------------------------------------------------------------


def test_a_balanced_table_3_passes_every_table_3_rule():
    result = audit(F21, {"table_3": table3(F21, BALANCED)})
    assert result.findings == ()
    statuses = {r.rule.id: r.status for r in result.rules}
    assert statuses["t3_balance"] == statuses["t3_results_total"] == statuses["t3_total_column"] == "passed"
    assert statuses["t3_non_negative"] == "passed"
    assert statuses["t3_carry_continuity"] == "skipped"


def test_the_balance_rule_is_checked_once_per_column_rows_once_per_row_and_signs_once_per_cell():
    result = audit(F21, {"table_3": table3(F21, BALANCED)})
    assert result_of("t3_balance", result).checks_run == 7
    assert result_of("t3_results_total", result).checks_run == 7
    assert result_of("t3_total_column", result).checks_run == 25
    assert result_of("t3_non_negative", result).checks_run == 25 * 7
    assert result_of("t3_balance", result).summary == "通过：检查7处，全部相符"


def test_a_broken_balance_is_reported_per_column_in_the_words_of_the_printed_note():
    cells = dict(BALANCED)
    cells[("new_received", "natural_person")] = 8
    cells[("carried_over", "natural_person")] = 4  # 8 + 2 + 4 = 14 on the left, 12 on the right
    cells[("new_received", "commercial_enterprise")] = 0
    cells[("results_total", "commercial_enterprise")] = 0
    cells[("granted", "commercial_enterprise")] = 0
    findings = findings_of("t3_balance", evaluate(F21, {"table_3": table3(F21, cells)}))
    by_column = {f.cells[0].split(".")[-1]: f for f in findings}
    assert set(by_column) == {"natural_person", "total"}
    total = by_column["total"]
    assert total.message.startswith("“总计”列：第一项加第二项之和（12）不等于第三项加第四项之和（10）")
    assert total.severity == "error" and total.basis == "official"
    assert (total.actual, total.expected) == (12, 10)
    assert total.cells == (
        "table_3.new_received.total",
        "table_3.carried_over.total",
        "table_3.results_total.total",
        "table_3.carry_forward.total",
    )
    assert by_column["natural_person"].message.startswith("“自然人”列：")


def test_results_total_must_be_the_sum_of_the_outcome_rows():
    cells = dict(BALANCED)
    cells[("results_total", "natural_person")] = 9  # outcomes sum to 8
    cells[("carry_forward", "natural_person")] = 1  # keeps the balance
    findings = evaluate(F21, {"table_3": table3(F21, cells)})
    assert findings_of("t3_balance", findings) == []
    [np_col, total_col] = findings_of("t3_results_total", findings)
    assert np_col.message == "“自然人”列：“（七）总计”（9）不等于（一）至（六）各项办理结果之和（8），相差1"
    assert (np_col.actual, np_col.expected) == (9, 8)
    assert np_col.cells[0] == "table_3.results_total.natural_person"
    assert "table_3.other_other.natural_person" in np_col.cells
    assert total_col.cells[0] == "table_3.results_total.total"


def test_the_total_column_must_be_the_sum_of_the_applicant_columns():
    t = table3(F21, BALANCED)
    t["unable_not_held"]["total"] = 3
    t["results_total"]["total"] = 12  # keep the outcome column sum consistent with the bad cell
    t["carry_forward"]["total"] = 0
    findings = findings_of("t3_total_column", evaluate(F21, {"table_3": t}))
    rows = {f.cells[0] for f in findings}
    assert rows == {"table_3.unable_not_held.total", "table_3.results_total.total", "table_3.carry_forward.total"}
    f = next(f for f in findings if f.cells[0] == "table_3.unable_not_held.total")
    assert f.message == "“1.本机关不掌握相关政府信息”行：“总计”（3）不等于自然人与法人或其他组织各列之和（1），相差2"


def test_the_2019_format_counts_other_handling_as_a_single_outcome_row():
    cells = dict(BALANCED)
    cells[("unable_not_held", "natural_person")] = 0
    cells[("other_handling", "natural_person")] = 1
    assert evaluate(F19, {"table_3": table3(F19, cells)}) == []
    # The same figures in a 2021 table: other_handling is a label row there, so （七）总计 is off by one.
    t = table3(F19, cells)
    findings = findings_of(
        "t3_results_total",
        evaluate(
            F21,
            {
                "table_3": t
                | {
                    "other_other": {c: 0 for c in APPLICANT + ["total"]},
                    "other_no_correction": {c: 0 for c in APPLICANT + ["total"]},
                    "other_fee_unpaid": {c: 0 for c in APPLICANT + ["total"]},
                }
            },
        ),
    )
    assert {f.cells[0] for f in findings} == {"table_3.results_total.natural_person", "table_3.results_total.total"}


def test_a_negative_cell_is_an_error_naming_the_cell_by_its_row_and_column():
    cells = dict(BALANCED)
    cells[("withheld_state_secret", "commercial_enterprise")] = -1
    cells[("granted", "commercial_enterprise")] = 3  # keep the column sum at 2
    findings = findings_of("t3_non_negative", evaluate(F21, {"table_3": table3(F21, cells)}))
    # the row's 总计 (-1, computed by the builder) is negative as well
    assert [f.cells for f in findings] == [
        ("table_3.withheld_state_secret.commercial_enterprise",),
        ("table_3.withheld_state_secret.total",),
    ]
    f = findings[0]
    assert f.message == "“1.属于国家秘密”行“商业企业”列为-1，不能为负数"
    assert (f.actual, f.expected, f.severity) == (-1, None, "error")


@pytest.mark.parametrize("value", [2.5, Decimal("2.5")])
def test_a_non_integer_cell_in_table_3_is_an_error(value):
    t = table3(F21, BALANCED)
    t["withheld_law_prohibited"]["natural_person"] = value
    [f] = findings_of("t3_non_negative", evaluate(F21, {"table_3": t}))
    assert f.cells == ("table_3.withheld_law_prohibited.natural_person",)
    assert f.message == "“2.其他法律行政法规禁止公开”行“自然人”列为2.5，应为整数"
    assert f.actual == Decimal("2.5")


def test_a_negative_fraction_breaks_both_halves_of_the_sign_rule_in_one_finding():
    t = table3(F21, BALANCED)
    t["granted"]["other_org"] = -2.5
    [f] = findings_of("t3_non_negative", evaluate(F21, {"table_3": t}))
    assert f.message == "“（一）予以公开”行“其他”列为-2.5，不能为负数，应为整数"


def test_a_whole_number_written_as_a_float_counts_as_an_integer():
    t = table3(F21, BALANCED)
    t["granted"]["natural_person"] = 7.0
    assert evaluate(F21, {"table_3": t}) == []


# -- blanks ---------------------------------------------------------------------------------


def test_a_blank_cell_makes_only_the_checks_that_need_it_not_checkable():
    t = table3(F21, BALANCED)
    t["granted"]["research_institution"] = None
    result = audit(F21, {"table_3": t})
    assert result.findings == ()
    rt = result_of("t3_results_total", result)
    assert rt.status == "passed" and rt.checks_run == 6
    [u] = rt.unchecked
    assert u.missing == ("table_3.granted.research_institution",)
    assert u.message == "“科研机构”列：“（一）予以公开”为空白，无法检查"
    assert "另有1处" in rt.summary
    [u_cell] = result_of("t3_non_negative", result).unchecked
    assert u_cell.message == "“（一）予以公开”行“科研机构”列为空白，无法检查"


def test_a_cell_that_is_not_a_number_is_not_checkable_and_does_not_crash():
    t = table3(F21, BALANCED)
    t["granted"]["natural_person"] = "七"
    t["granted"]["legal_service_org"] = True
    result = audit(F21, {"table_3": t})
    assert result.findings == ()
    messages = [u.message for u in result.unchecked]
    assert "“自然人”列：“（一）予以公开”不是数字，无法检查" in messages
    assert any("法律服务机构" in m and "不是数字" in m for m in messages)


def test_an_absent_row_is_not_checkable_rather_than_zero():
    t = table3(F21, BALANCED)
    del t["carry_forward"]
    rb = result_of("t3_balance", audit(F21, {"table_3": t}))
    assert rb.status == "not_checkable" and rb.checks_run == 0 and len(rb.unchecked) == 7
    assert rb.unchecked[0].message == "“自然人”列：“四、结转下年度继续办理”未提供，无法检查"
    assert rb.summary.startswith("无法检查")


SHANGHAI_LIKE_2019 = {
    # A zero-padded published table in the style of the Shanghai municipal office's 2019 report:
    # zero cells left blank, the 总计 column filled only on rows 一, 二, （七） and 四.
    "new_received": {
        "natural_person": 1217,
        "commercial_enterprise": 37,
        "research_institution": 2,
        "public_interest_org": 2,
        "legal_service_org": 12,
        "other_org": 7,
        "total": 1277,
    },
    "carried_over": {
        "natural_person": 61,
        "commercial_enterprise": 2,
        "research_institution": None,
        "public_interest_org": None,
        "legal_service_org": None,
        "other_org": 1,
        "total": 64,
    },
    "granted": {
        "natural_person": 512,
        "commercial_enterprise": 15,
        "research_institution": 1,
        "public_interest_org": 1,
        "legal_service_org": 5,
        "other_org": 4,
        "total": None,
    },
    "partially_granted": {"natural_person": 83, "commercial_enterprise": 3, "legal_service_org": 2},
    "withheld_state_secret": {},
    "withheld_law_prohibited": {"natural_person": 5},
    "withheld_third_party_rights": {"natural_person": 11, "commercial_enterprise": 1},
    "withheld_process_info": {"natural_person": 21},
    "unable_not_held": {
        "natural_person": 301,
        "commercial_enterprise": 10,
        "research_institution": 1,
        "legal_service_org": 3,
        "other_org": 2,
    },
    "unable_needs_creation": {"natural_person": 48},
    "unable_unclear_after_correction": {"natural_person": 37, "commercial_enterprise": 2},
    "not_processed_petition": {"natural_person": 102, "commercial_enterprise": 3},
    "not_processed_duplicate": {"natural_person": 64},
    "not_processed_publication": {"natural_person": 4},
    "not_processed_excessive": {"natural_person": 9},
    "not_processed_confirm_or_reissue": {"natural_person": 6},
    "other_handling": {
        "natural_person": 17,
        "commercial_enterprise": 2,
        "public_interest_org": 1,
        "legal_service_org": 1,
        "other_org": 2,
    },
    "results_total": {
        "natural_person": 1220,
        "commercial_enterprise": 36,
        "research_institution": 2,
        "public_interest_org": 2,
        "legal_service_org": 11,
        "other_org": 8,
        "total": 1279,
    },
    "carry_forward": {"natural_person": 58, "commercial_enterprise": 3, "legal_service_org": 1, "total": 62},
}


def test_a_zero_padded_published_table_is_not_checkable_as_read_but_never_reported_wrong():
    result = audit(F19, {"table_3": SHANGHAI_LIKE_2019})
    assert result.findings == ()
    assert result_of("t3_results_total", result).status == "not_checkable"
    assert len(result.unchecked) > 50


def test_a_zero_padded_published_table_passes_every_rule_after_the_blank_cell_convention():
    table = normalise_table3(SHANGHAI_LIKE_2019, F19)
    result = audit(F19, {"table_3": table})
    assert result.findings == () and result.unchecked == ()
    for rule_id in ("t3_balance", "t3_results_total", "t3_total_column", "t3_non_negative"):
        assert result_of(rule_id, result).status == "passed"


def test_the_convention_counts_blank_applicant_cells_as_zero_and_computes_blank_totals():
    table = normalise_table3(SHANGHAI_LIKE_2019, F19)
    assert table["carried_over"]["research_institution"] == 0
    assert table["withheld_state_secret"] == {c: 0 for c in APPLICANT} | {"total": 0}
    assert table["granted"]["total"] == 538  # computed, not read as 0
    assert table["unable_not_held"]["total"] == 317
    assert table["new_received"]["total"] == 1277  # written, so kept
    assert table["withheld_admin_inquiry"]["total"] == 0  # an absent row becomes a zero row
    assert SHANGHAI_LIKE_2019["granted"]["total"] is None  # the input is not changed


def test_the_convention_keeps_a_written_total_so_a_wrong_one_is_still_caught():
    source = copy.deepcopy(SHANGHAI_LIKE_2019)
    source["carry_forward"]["total"] = 70
    findings = evaluate(F19, {"table_3": normalise_table3(source, F19)})
    assert any(f.rule == "t3_total_column" and f.cells[0] == "table_3.carry_forward.total" for f in findings)


def test_the_convention_without_a_format_only_touches_the_rows_given():
    table = normalise_table3({"granted": {"natural_person": 3, "total": None}})
    assert table == {"granted": {"natural_person": 3, "total": 3} | {c: 0 for c in APPLICANT[1:]}}


# -- table 四 -------------------------------------------------------------------------------


def test_each_group_total_of_table_4_must_be_the_sum_of_its_four_results():
    t = table4(review_maintained=2, review_total=3, litigation_after_review_other=1, litigation_after_review_total=1)
    findings = evaluate(F21, {"table_4": t})
    [f] = findings
    assert f.rule == "t4_review_total"
    assert f.message == "行政复议“总计”（3）不等于结果维持、结果纠正、其他结果、尚未审结四项之和（2），相差1"
    assert f.cells == (
        "table_4.review_total",
        "table_4.review_maintained",
        "table_4.review_corrected",
        "table_4.review_other",
        "table_4.review_pending",
    )
    assert (f.actual, f.expected) == (3, 2)


def test_the_litigation_groups_are_named_with_their_parent_heading():
    t = table4(litigation_after_review_pending=2, litigation_after_review_total=1)
    [f] = evaluate(F19, {"table_4": t})
    assert f.rule == "t4_litigation_after_review_total"
    assert f.message.startswith("行政诉讼（复议后起诉）“总计”（1）不等于")


def test_table_4_cells_must_be_non_negative_integers():
    t = table4(litigation_direct_other=-1, litigation_direct_total=-1, review_pending=1.5, review_total=1.5)
    findings = findings_of("t4_non_negative", evaluate(F21, {"table_4": t}))
    messages = {f.cells[0]: f.message for f in findings}
    assert messages["table_4.litigation_direct_other"] == "行政诉讼（未经复议直接起诉）“其他结果”为-1，不能为负数"
    assert messages["table_4.review_pending"] == "行政复议“尚未审结”为1.5，应为整数"
    assert len(findings) == 4


# -- table 二 -------------------------------------------------------------------------------


def test_a_consistent_table_2_passes_in_both_formats():
    assert evaluate(F21, {"table_2": table2_2021()}) == []
    assert evaluate(F19, {"table_2": table2_2019()}) == []


def test_a_negative_count_in_table_2_is_named_by_subtable_row_and_column():
    t = table2_2021()
    t["art20_1"]["regulations"]["made"] = -1
    [f] = evaluate(F21, {"table_2": t})
    assert f.rule == "t2_non_negative"
    assert f.cells == ("table_2.art20_1.regulations.made",)
    assert f.message == "第二十条第（一）项“规章”行“本年制发件数”列为-1，不能为负数"


def test_a_negative_fee_amount_is_an_error_but_a_fractional_one_is_fine():
    t = table2_2021()
    t["art20_8"]["administrative_fees"]["fee_amount"] = 0.37
    assert evaluate(F21, {"table_2": t}) == []
    t["art20_8"]["administrative_fees"]["fee_amount"] = Decimal("-0.5")
    [f] = evaluate(F21, {"table_2": t})
    assert f.message == "第二十条第（八）项“行政事业性收费”行“本年收费金额（单位：万元）”列为-0.5，不能为负数"


def test_the_signed_change_column_of_2019_may_be_negative():
    result = audit(F19, {"table_2": table2_2019()})
    assert result.findings == ()
    assert result_of("t2_non_negative", result).checks_run == 22 - 5


def test_newly_published_above_total_published_is_a_warning_in_the_2019_format():
    t = table2_2019()
    t["art20_1"]["regulations"] = {"newly_made": 5, "newly_published": 5, "total_published": 3}
    [f] = evaluate(F19, {"table_2": t})
    assert (f.rule, f.severity) == ("t2_published_le_total", "warning")
    assert f.message.startswith("第二十条第（一）项“规章”行：“本年新公开数量”（5）大于“对外公开总数量”（3）")
    assert "仅作提示" in f.message


def test_a_missing_subtable_makes_its_checks_not_checkable():
    t = table2_2021()
    del t["art20_6"]
    result = audit(F21, {"table_2": t})
    assert result.findings == ()
    assert [u.message for u in result_of("t2_non_negative", result).unchecked] == [
        "第二十条第（六）项“行政处罚”行“本年处理决定数量”列未提供，无法检查",
        "第二十条第（六）项“行政强制”行“本年处理决定数量”列未提供，无法检查",
    ]


# -- decimals -------------------------------------------------------------------------------


def _with_table2_rule(fmt, expr, scope):
    rule = Rule("t2_test", "table_2", scope, "error", "derived", expr)
    return dataclasses.replace(fmt, table_2=dataclasses.replace(fmt.table_2, rules=(rule,)))


@pytest.mark.parametrize(("amount", "ok"), [("10.004", True), ("10.005", True), ("10.006", False), ("9.995", True)])
def test_decimal_amounts_compare_with_a_tolerance_of_half_a_cent(amount, ok):
    fmt = _with_table2_rule(F21, "fee_amount == 10", "art20_8.each_row")
    t = table2_2021(art20_8={"administrative_fees": {"fee_amount": Decimal(amount)}})
    assert (evaluate(fmt, {"table_2": t}) == []) is ok


def test_integer_counts_compare_exactly():
    fmt = _with_table2_rule(F21, "decisions <= 10", "art20_6.each_row")
    t = table2_2021(art20_6={"administrative_penalty": {"decisions": 10}, "administrative_coercion": {"decisions": 11}})
    [f] = evaluate(fmt, {"table_2": t})
    assert f.cells == ("table_2.art20_6.administrative_coercion.decisions",)
    assert f.message == "第二十条第（六）项“行政强制”行：“本年处理决定数量”（11）大于10（10）"


# -- missing tables -------------------------------------------------------------------------


def test_a_missing_table_is_skipped_without_findings():
    result = audit(F21, {"table_3": table3(F21, BALANCED)})
    assert result.findings == ()
    skipped = {r.rule.id: r.skipped_reason for r in result.rules if r.status == "skipped"}
    assert skipped["t2_non_negative"] == "未提供表二"
    assert skipped["t4_review_total"] == "未提供表四"
    assert evaluate(F21, {}) == []
    assert evaluate(F21, {"table_3": None}) == []


# -- cross-year -----------------------------------------------------------------------------


def test_carry_continuity_is_a_warning_when_last_years_carry_forward_differs():
    previous = {"table_3": table3(F21, {("carry_forward", "natural_person"): 3})}
    findings = evaluate(F21, {"table_3": table3(F21, BALANCED)}, previous=previous)
    warnings = findings_of("t3_carry_continuity", findings)
    assert {f.severity for f in findings} == {"warning"}
    by_col = {f.cells[0]: f for f in warnings}
    assert set(by_col) == {"table_3.carried_over.natural_person", "table_3.carried_over.total"}
    f = by_col["table_3.carried_over.natural_person"]
    assert f.cells == ("table_3.carried_over.natural_person", "previous_report.table_3.carry_forward.natural_person")
    assert (f.actual, f.expected, f.basis) == (2, 3, "inferred_cross_year")
    assert f.message.startswith(
        "“自然人”列：“二、上年结转政府信息公开申请数量”（2）不等于上一年度报告的“四、结转下年度继续办理”（3），相差1"
    )


def test_carry_continuity_passes_when_the_years_chain_and_is_not_run_without_last_year():
    previous = {"table_3": table3(F21, {("carry_forward", "natural_person"): 2})}
    with_prev = audit(F21, {"table_3": table3(F21, BALANCED)}, previous=previous)
    assert result_of("t3_carry_continuity", with_prev).status == "passed"
    without = result_of("t3_carry_continuity", audit(F21, {"table_3": table3(F21, BALANCED)}))
    assert without.status == "skipped" and "上一年度报告" in without.skipped_reason


def test_carry_continuity_runs_across_the_change_of_format():
    previous_2020 = {"table_3": table3(F19, {("carry_forward", "natural_person"): 2})}
    result = audit(F21, {"table_3": table3(F21, BALANCED)}, previous=previous_2020)
    assert result_of("t3_carry_continuity", result).status == "passed"


def test_documents_in_force_chain_from_last_year_as_a_warning():
    previous = {"table_2": {"art20_1": {"regulations": {"in_force": 29}, "normative_documents": {"in_force": 80}}}}
    findings = evaluate(F21, {"table_2": table2_2021()}, previous=previous)
    [f] = findings  # regulations: 29 + 2 - 1 = 30 holds; normative documents: 80 + 12 - 3 = 89, not 85
    assert (f.rule, f.severity) == ("t2_in_force_continuity", "warning")
    assert f.cells[0] == "table_2.art20_1.normative_documents.in_force"
    assert "previous_report.table_2.art20_1.normative_documents.in_force" in f.cells
    assert f.message.startswith(
        "第二十条第（一）项“行政规范性文件”行：“现行有效件数”（85）不等于上一年度报告的“现行有效件数”（80）加“本年制发件数”（12）减“本年废止件数”（3）所得（89），相差4"
    )


def test_a_2019_format_previous_report_is_never_chained_into_documents_in_force():
    previous_2020 = {"table_2": table2_2019()}
    rule = result_of("t2_in_force_continuity", audit(F21, {"table_2": table2_2021()}, previous=previous_2020))
    assert rule.status == "not_checkable" and rule.findings == ()
    assert "上一年度报告的“现行有效件数”未提供" in rule.unchecked[0].message


def test_item_counts_chain_into_next_years_report_as_a_warning():
    nxt = {"table_2": {"art20_5": {"administrative_licensing": {"items_last_year": 115}}}}
    result = audit(F19, {"table_2": table2_2019()}, next_report=nxt)
    [f] = result.findings  # 120 - 8 = 112, next year says 115
    assert (f.rule, f.severity) == ("t2_item_continuity", "warning")
    assert f.cells[0] == "next_report.table_2.art20_5.administrative_licensing.items_last_year"
    assert f.message.startswith("第二十条第（五）项“行政许可”行：下一年度报告的“上一年项目数量”（115）不等于")
    assert len(result_of("t2_item_continuity", result).unchecked) == 4  # the rows next year did not give


# -- the expression language ----------------------------------------------------------------


def test_expressions_parse_with_sums_binding_tighter_than_comparisons_and_and():
    node = parse_expression("a + b - 1 == c and value >= 0")
    assert node == And(
        (
            Compare("==", Sum(((1, Ref(("a",))), (1, Ref(("b",))), (-1, Num(1)))), Ref(("c",))),
            Compare(">=", Ref(("value",)), Num(0)),
        )
    )
    assert parse_expression("x == previous_report.table_2.art20_1.in_force").right == Ref(
        ("previous_report", "table_2", "art20_1", "in_force")
    )


@pytest.mark.parametrize(
    ("expr", "problem"),
    [
        ("new_received +", "表达式不完整"),
        ("a == == b", "此处应为数或名称"),
        ("a = b", "无法识别的字符“=”"),
        ("__import__('os')", "无法识别的字符“'”"),
        ("__import__(os) == 0", "未知的函数“__import__”"),
        ("is_integer(a == b)", "is_integer 的参数应是数"),
        ("value >= 0 and", "表达式不完整"),
        ("a + b", "应是一个判断"),
        ("", "表达式为空"),
        ("a == b c", "多余的内容“c”"),
        ("a == b and 3", "“and”两边都应是判断"),
        ("(a == b", "此处应为“)”"),
        ("a < b", "无法识别的字符“<”"),
    ],
)
def test_an_unparsable_expression_raises_a_clear_chinese_error(expr, problem):
    with pytest.raises(RuleExpressionError) as exc:
        parse_expression(expr, "t9_bad")
    assert isinstance(exc.value, DomainError)
    assert exc.value.message.startswith("一致性规则“t9_bad”有误：")
    assert problem in exc.value.message


def test_a_rule_naming_a_row_the_format_does_not_have_is_refused():
    bad = Rule("t3_typo", "table_3", "each_column", "error", "derived", "results_total == granted + grantd")
    fmt = dataclasses.replace(F21, table_3=dataclasses.replace(F21.table_3, rules=(bad,)))
    with pytest.raises(RuleExpressionError) as exc:
        audit(fmt, {"table_3": table3(F21, BALANCED)})
    assert "“grantd”不是表三中的行" in exc.value.message


@pytest.mark.parametrize(
    ("scope", "expr", "problem"),
    [
        ("each_diagonal", "value >= 0", "无法识别的适用范围"),
        ("art20_99.each_row", "made >= 0", "不是表二的组成部分"),
        ("each_row", "value >= 0", "value 只能用于逐格"),
        ("each_cell", "made >= 0", "逐格规则中只能使用 value"),
    ],
)
def test_a_rule_with_an_unknown_scope_or_misplaced_name_is_refused(scope, expr, problem):
    with pytest.raises(RuleExpressionError) as exc:
        compile_rule(Rule("t2_bad", "table_2", scope, "error", "derived", expr), F21)
    assert problem in exc.value.message


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_every_shipped_rule_compiles_against_its_format(version):
    fmt = FORMATS[version]
    for rule in fmt.rules:
        compile_rule(rule, fmt)


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_the_results_total_rule_names_exactly_the_outcome_rows_of_its_format(version):
    fmt = FORMATS[version]
    rule = next(r for r in fmt.table_3.rules if r.id == "t3_results_total")
    lhs, rhs = rule.expr.split("==")
    assert lhs.strip() == "results_total"
    assert [t.strip() for t in rhs.split("+")] == [r.key for r in fmt.table_3.outcome_rows()]


def test_findings_are_immutable_values():
    f = Finding("t3_balance", "error", ("table_3.new_received.total",), 1, 2, "x", "official")
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.actual = 3  # type: ignore[misc]
    assert hash(f) == hash(dataclasses.replace(f))


# -- the evaluation plan: fast paths, caching, nothing carried between audits -----------------


def _reference_audit(fmt, tables, previous=None, next_report=None):
    """Every rule at every position the straightforward way (bind, read, evaluate, describe), to
    hold the planned evaluation of :func:`audit` to."""
    from gongkai.domain.consistency.binding import ABSENT, NOT_A_NUMBER, number
    from gongkai.domain.consistency.full_check import TOLERANCE, Check, unchecked_message
    from gongkai.domain.consistency.labels import Labels
    from gongkai.domain.expressions import refs as expr_refs

    reports = {"current": tables, "previous_report": previous, "next_report": next_report}
    labels = Labels(fmt)
    out = []
    for rule in fmt.rules:
        compiled = compile_rule(rule, fmt)
        if not isinstance(tables.get(rule.table), dict) or any(reports[o] is None for o in compiled.cross_year):
            out.append((rule.id, "skipped", 0, (), ()))
            continue
        refs = list(dict.fromkeys(expr_refs(compiled.expr)))
        run, found, unchecked = 0, [], []
        for grid, row, col in compiled.positions():
            cells = {ref: compiled.bind(ref, grid, row, col) for ref in refs}
            ordered = tuple(dict.fromkeys(c.ref for c in cells.values()))
            values, bad = {}, {"为空白": [], "未提供": [], "不是数字": []}
            for ref, cell in cells.items():
                node = reports[cell.report]
                path = [
                    cell.table,
                    *([cell.sub] if cell.sub else []),
                    *([] if cell.table == "table_4" else [cell.row]),
                    cell.col,
                ]
                for key in path:
                    node = node[key] if isinstance(node, dict) and key in node else ABSENT
                v = number(node)
                if v is None:
                    bad["为空白"].append(cell)
                elif v is ABSENT:
                    bad["未提供"].append(cell)
                elif v is NOT_A_NUMBER:
                    bad["不是数字"].append(cell)
                else:
                    values[ref] = v
            if any(bad.values()):
                message = unchecked_message(labels, compiled.scope.kind, grid, row, col, bad)
                unchecked.append((ordered, tuple(dict.fromkeys(c.ref for cs in bad.values() for c in cs)), message))
                continue
            decimal = any((c.table, c.sub, c.col) in compiled.decimal_cells for c in cells.values())
            check = Check(compiled, labels, grid, row, col, cells, values, TOLERANCE if decimal else 0)
            run += 1
            fails = check.failures(compiled.expr)
            if fails:
                expected = fails[0][2] if isinstance(fails[0][0], Compare) and fails[0][0].op == "==" else None
                found.append((ordered, expected, fails[0][1], check.message(fails)))
        out.append((rule.id, "ran", run, tuple(found), tuple(unchecked)))
    return out


def _as_reference(result):
    return [
        (
            r.rule.id,
            "skipped" if r.skipped_reason else "ran",
            r.checks_run,
            tuple((f.cells, f.expected, f.actual, f.message) for f in r.findings),
            tuple((u.cells, u.missing, u.message) for u in r.unchecked),
        )
        for r in result.rules
    ]


cell_values = st.one_of(
    st.integers(-3, 12),
    st.integers(-3, 12),
    st.none(),
    st.sampled_from([1.5, 2.0, float("nan"), Decimal("0.004"), Decimal("3"), True, "七"]),
)


@st.composite
def random_tables(draw, fmt):
    """Tables 二/三/四 of ``fmt`` with any cell anything (mostly small integers), rows or tables missing."""
    out = {}
    if draw(st.booleans()):
        out["table_3"] = {
            r.key: {c.key: draw(cell_values) for c in fmt.table_3.columns if draw(st.integers(0, 9))}
            for r in fmt.table_3.data_rows()
            if draw(st.integers(0, 19))
        }
    if draw(st.booleans()):
        out["table_4"] = {c.key: draw(cell_values) for c in fmt.table_4.columns if draw(st.integers(0, 9))}
    if draw(st.booleans()):
        out["table_2"] = {
            s.id: {r.key: {c.key: draw(cell_values) for c in s.columns} for r in s.rows} for s in fmt.table_2.subtables
        }
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), version=st.sampled_from(["2019", "2021"]))
def test_the_planned_evaluation_says_exactly_what_checking_every_position_one_by_one_says(data, version):
    fmt = FORMATS[version]
    tables = data.draw(random_tables(fmt))
    previous = data.draw(st.one_of(st.none(), random_tables(FORMATS[data.draw(st.sampled_from(["2019", "2021"]))])))
    nxt = data.draw(st.one_of(st.none(), random_tables(fmt)))
    result = audit(fmt, tables, previous=previous, next_report=nxt)
    assert _as_reference(result) == _reference_audit(fmt, tables, previous, nxt)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.dictionaries(
        st.tuples(st.sampled_from([r.key for r in F21.table_3.data_rows()]), st.sampled_from(APPLICANT)),
        st.integers(-2, 9),
        max_size=6,
    )
)
def test_integer_tables_are_judged_exactly_as_one_by_one(cells):
    t = {"table_3": table3(F21, cells), "table_4": table4(review_total=sum(v for v in cells.values()) % 3)}
    assert _as_reference(audit(F21, t)) == _reference_audit(F21, t)


def _holds(op, d):
    # the meaning of a linear form's op (plan._Linear): == 0, <= 0 or >= 0
    return d == 0 if op == 0 else (d <= 0 if op < 0 else d >= 0)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), version=st.sampled_from(["2019", "2021"]))
def test_each_shortcut_of_the_fast_path_agrees_with_the_full_check_position_by_position(data, version):
    """On integer cells (the only ones the fast path decides), a position's linear sums pass exactly
    when the full check finds nothing, and a one-cell rule's verdict from the smallest and largest
    value is exactly "every position passes"."""
    from gongkai.domain.consistency.full_check import Check
    from gongkai.domain.consistency.plan import format_plan
    from gongkai.domain.consistency.runner import _bounds_hold

    fp = format_plan(FORMATS[version])
    size = sum(len(keys) for _, _, keys in fp.groups)
    # mostly zeros, so that sums and equalities pass as well as fail
    values = data.draw(st.lists(st.sampled_from([0, 0, 0, 0, 1, 2, 7, -1]), min_size=size, max_size=size))
    for plan in fp.plans:
        compiled = plan.compiled
        full_verdicts = []
        for pos in plan.positions:
            numbers = {ref: values[i] for ref, i in zip(pos.cells, pos.index)}
            check = Check(compiled, fp.labels, pos.grid, pos.row, pos.col, pos.cells, numbers, 0)
            full_ok = not check.failures(compiled.expr)
            fast_ok = all(
                _holds(op, const + sum(values[i] for i in added) - sum(values[i] for i in subtracted))
                for op, added, subtracted, const in pos.linear
            )
            assert fast_ok == full_ok, (compiled.rule.id, pos.row, pos.col)
            full_verdicts.append(full_ok)
        if plan.bounds is not None and plan.positions:
            cells = [values[i] for i in plan.cells]
            assert _bounds_hold(plan.bounds, min(cells), max(cells)) == all(full_verdicts), compiled.rule.id


def test_one_negative_cell_among_hundreds_is_the_one_finding_of_the_cell_rule():
    t = table3(F21, BALANCED)
    t["withheld_process_info"]["other_org"] = -1
    t["withheld_process_info"]["total"] = 0  # its row still adds up: only the sign is wrong
    rule = result_of("t3_non_negative", audit(F21, {"table_3": t}))
    assert rule.checks_run == len(F21.table_3.data_rows()) * len(F21.table_3.columns)
    [f] = rule.findings
    assert f.cells == ("table_3.withheld_process_info.other_org",)
    assert (f.actual, f.expected) == (-1, None)
    assert f.message.endswith("为-1，不能为负数")


def test_findings_are_never_carried_from_one_audit_to_the_next():
    wrong = table3(F21, BALANCED)
    wrong["results_total"]["natural_person"] += 1
    assert findings_of("t3_results_total", evaluate(F21, {"table_3": wrong}))
    assert evaluate(F21, {"table_3": table3(F21, BALANCED)}) == []
    again = evaluate(F21, {"table_3": wrong})
    assert [f.cells for f in findings_of("t3_results_total", again)] == [
        ("table_3.results_total.natural_person",)
        + tuple(f"table_3.{r.key}.natural_person" for r in F21.table_3.outcome_rows())
    ]


def test_a_format_with_other_rules_under_the_same_id_is_planned_on_its_own():
    t = table2_2021(art20_6={"administrative_penalty": {"decisions": 10}, "administrative_coercion": {"decisions": 11}})
    strict = _with_table2_rule(F21, "decisions <= 10", "art20_6.each_row")
    lenient = _with_table2_rule(F21, "decisions <= 100", "art20_6.each_row")
    assert len(evaluate(strict, {"table_2": t})) == 1
    assert evaluate(lenient, {"table_2": t}) == []
    assert len(evaluate(strict, {"table_2": t})) == 1


# -- one row alone ----------------------------------------------------------------------------

# A reader choosing among the readings of one table 二 row asks whether the row alone breaks an
# error rule; row_breaks_error_rule must answer what running every rule on that row would say.
_ROW_RULES = {  # an error rule added to table 二, per format: (expression, scope)
    "packaged": {},
    "relating cells": {
        "2021": ("made - repealed <= in_force", "art20_1.each_row"),
        "2019": ("newly_published <= total_published", "art20_1.each_row"),
    },
    "decimal": {
        "2021": ("fee_amount <= 10", "art20_8.each_row"),
        "2019": ("procurement_amount <= procurement_items + 10", "art20_9.each_row"),
    },
    "whole numbers": {"2021": ("is_integer(value) and value <= 20", "each_cell")},
    "reads another row": {
        "2021": ("regulations <= normative_documents", "art20_1.each_column"),
        "2019": ("administrative_penalty + 1 >= administrative_coercion", "art20_6.each_column"),
    },
}
_RAW = st.one_of(
    st.integers(-30, 30),
    st.none(),
    st.decimals(-20, 20, places=3, allow_nan=False, allow_infinity=False),
    st.sampled_from([2.0, -1.5, 12.004, float("nan"), True, "12", "—"]),
)


def _row_positions(fmt):
    return [
        (table, sub, row, cols)
        for table, sub, rows, cols in (
            *(("table_2", s.id, [r.key for r in s.rows], [c.key for c in s.columns]) for s in fmt.table_2.subtables),
            ("table_3", None, [r.key for r in fmt.table_3.data_rows()], [c.key for c in fmt.table_3.columns]),
        )
        for row in rows
    ]


@pytest.mark.parametrize("version", ["2019", "2021"])
@pytest.mark.parametrize("rules", list(_ROW_RULES))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_one_row_alone_breaks_an_error_rule_exactly_when_the_full_audit_of_it_says_so(version, rules, data):
    fmt = FORMATS[version]
    if rules != "packaged":
        if version not in _ROW_RULES[rules]:
            return
        fmt = _with_table2_rule(fmt, *_ROW_RULES[rules][version])
    table, sub, row, cols = data.draw(st.sampled_from(_row_positions(fmt)))
    kept = data.draw(st.lists(st.sampled_from(cols), unique=True, min_size=len(cols) - 1, max_size=len(cols)))
    cells = {c: data.draw(_RAW) for c in kept}
    tables = {table: {sub: {row: cells}} if sub else {row: cells}}
    expected = any(f.severity == "error" for f in evaluate(fmt, tables))
    assert row_breaks_error_rule(fmt, table, sub, row, cells) is expected
