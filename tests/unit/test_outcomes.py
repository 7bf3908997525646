"""Outcome codes (procedure.md §4) and their table 三 rows in both annual report formats."""

import json
import re

import pytest

from gongkai.domain.errors import DomainError
from gongkai.domain.outcomes import (
    APPLICANT_TYPES,
    OUTCOMES,
    OutcomeFamily,
    applicant_type_label,
    outcome,
    table3_row,
)

# Rows that count receipts or totals, not the outcome of a concluded application.
NOT_OUTCOME_ROWS = {"new_received", "carried_over", "results_total", "carry_forward"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _table3(shared_dir, fmt):
    doc = json.loads((shared_dir / "spec" / "annual-report-format.json").read_text(encoding="utf-8"))
    return next(t for t in doc["formats"][fmt]["tables"] if t["id"] == "table_3")


def _data_rows(shared_dir, fmt):
    return {r["key"] for r in _table3(shared_dir, fmt)["rows"] if r["data"]}


@pytest.mark.parametrize(("fmt", "year"), [("2019", 2019), ("2019", 2020), ("2021", 2021), ("2021", 2026)])
def test_every_outcome_maps_to_a_data_row_of_the_format_used_that_year(shared_dir, fmt, year):
    rows = _data_rows(shared_dir, fmt) - NOT_OUTCOME_ROWS
    unknown = {o.code: table3_row(o.code, year) for o in OUTCOMES if table3_row(o.code, year) not in rows}
    assert unknown == {}


@pytest.mark.parametrize(("fmt", "year"), [("2021", 2021), ("2019", 2020)])
def test_every_result_row_of_table_three_is_reachable_from_some_outcome(shared_dir, fmt, year):
    rows = _data_rows(shared_dir, fmt) - NOT_OUTCOME_ROWS
    assert rows - {table3_row(o.code, year) for o in OUTCOMES} == set()


def test_the_2019_format_counts_every_other_handling_in_one_row():
    for code in ("abandoned_no_correction", "abandoned_fee_unpaid", "withdrawn", "other"):
        assert table3_row(code, 2020) == "other_handling"
    assert table3_row("abandoned_no_correction", 2021) == "other_no_correction"
    assert table3_row("abandoned_fee_unpaid", 2021) == "other_fee_unpaid"
    assert table3_row("withdrawn", 2021) == "other_other"


def test_the_rows_follow_the_outcome_table_of_the_spec():
    assert table3_row("already_public", 2022) == "granted"
    assert table3_row("withheld_third_party", 2022) == "withheld_third_party_rights"
    assert table3_row("special_query_procedure", 2022) == "withheld_admin_inquiry"
    assert table3_row("not_this_agency", 2022) == table3_row("does_not_exist", 2022) == "unable_not_held"


def test_the_row_of_an_outcome_lies_under_the_result_group_of_its_family(shared_dir):
    rows = {r["key"]: r for r in _table3(shared_dir, "2021")["rows"]}
    for o in OUTCOMES:
        row = rows[o.row_2021]
        group = row["key"] if row["parent"] == "results" else row["parent"]
        assert group == o.family.value, o.code


def test_outcome_codes_are_unique_and_carry_chinese_labels_and_a_family():
    codes = [o.code for o in OUTCOMES]
    assert len(codes) == len(set(codes))
    for o in OUTCOMES:
        assert CHINESE.search(o.label), o.code
        assert isinstance(o.family, OutcomeFamily)
        assert CHINESE.search(o.family.label)


def test_the_legal_basis_cites_the_articles_of_the_spec():
    assert outcome("already_public").basis == "第三十六条（一）"
    assert outcome("partially_disclosed").basis == "第三十七条"
    assert "第十四条" in outcome("withheld_state_secret").basis
    assert "第十六条第二款" in outcome("withheld_enforcement_file").basis


def test_an_unknown_outcome_code_is_refused_in_chinese():
    with pytest.raises(DomainError, match="未知的办理结果"):
        table3_row("granted_maybe", 2022)
    with pytest.raises(DomainError, match="未知的办理结果"):
        outcome("nope")


def test_a_report_year_before_2019_is_refused_in_chinese():
    with pytest.raises(DomainError, match="2018年度报告"):
        table3_row("disclosed", 2018)


def test_applicant_types_are_the_six_columns_of_table_three(shared_dir):
    columns = {c["key"]: c["label"] for c in _table3(shared_dir, "2021")["columns"] if c["key"] != "total"}
    assert dict(APPLICANT_TYPES) == columns
    assert list(APPLICANT_TYPES)[0] == "natural_person"
    assert applicant_type_label("public_interest_org") == "社会公益组织"
    with pytest.raises(DomainError, match="未知的申请人类型"):
        applicant_type_label("government")
