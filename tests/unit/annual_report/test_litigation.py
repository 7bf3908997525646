"""Table 四 from the review and litigation register: a case counts in the year it was filed, with
the result known on 31 December of that year."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.annual_report.litigation import (
    KIND_LABELS,
    RESULT_LABELS,
    STAGE_LABELS,
    ReviewCaseForCount,
    table4_for_year,
)
from gongkai.domain.consistency import audit
from gongkai.domain.errors import DomainError
from gongkai.domain.report_format import ReportYearNotCovered, format_for_year

from ._cases import count_table4, review_cases

R = ReviewCaseForCount
d = date


def test_the_labels_are_the_registers_chinese_words():
    assert dict(RESULT_LABELS) == {"maintained": "维持", "corrected": "纠正", "other": "其他", "pending": "尚未审结"}
    assert dict(KIND_LABELS) == {"review": "行政复议", "litigation": "行政诉讼"}
    assert dict(STAGE_LABELS) == {"direct": "未经复议直接起诉", "after_review": "复议后起诉"}
    assert R("litigation", d(2024, 1, 1), "after_review", "pending", None).label == "行政诉讼（复议后起诉）"


def test_each_case_lands_in_its_group_and_result_column_and_in_the_group_total():
    cases = [
        R("review", d(2024, 2, 1), None, "maintained", d(2024, 4, 1)),
        R("review", d(2024, 3, 1), None, "corrected", d(2024, 5, 1)),
        R("litigation", d(2024, 3, 1), "direct", "other", d(2024, 9, 1)),
        R("litigation", d(2024, 6, 1), "after_review", "pending", None),
    ]
    t = table4_for_year(cases, 2024)
    assert t["review_maintained"] == t["review_corrected"] == 1 and t["review_total"] == 2
    assert t["litigation_direct_other"] == 1 and t["litigation_direct_total"] == 1
    assert t["litigation_after_review_pending"] == 1 and t["litigation_after_review_total"] == 1
    assert sum(t.values()) == 2 * 4  # every case once in a result column and once in its total


def test_a_case_filed_in_december_and_decided_in_january_is_pending_in_its_year_and_absent_the_next():
    case = R("litigation", d(2024, 12, 30), "direct", "corrected", d(2025, 1, 6))
    this, following = table4_for_year([case], 2024), table4_for_year([case], 2025)
    assert this["litigation_direct_pending"] == 1 and this["litigation_direct_corrected"] == 0
    assert following["litigation_direct_total"] == 0


def test_a_case_decided_on_the_last_day_of_the_year_counts_with_its_result():
    case = R("review", d(2024, 6, 1), None, "maintained", d(2024, 12, 31))
    assert table4_for_year([case], 2024)["review_maintained"] == 1


def test_a_case_filed_on_the_first_of_january_belongs_to_that_year_only():
    case = R("review", d(2025, 1, 1), None, "pending", None)
    assert table4_for_year([case], 2024)["review_total"] == 0
    assert table4_for_year([case], 2025)["review_pending"] == 1


def test_every_column_of_the_years_format_is_present_even_when_empty():
    for year in (2019, 2020, 2021, 2026):
        t = table4_for_year([], year)
        assert list(t) == [c.key for c in format_for_year(year).table_4.columns] and set(t.values()) == {0}
    with pytest.raises(ReportYearNotCovered):
        table4_for_year([], 2018)


@pytest.mark.parametrize(
    "args, message",
    [
        (("appeal", d(2024, 1, 1), None, "pending", None), "未知的案件类别“appeal”"),
        (("litigation", d(2024, 1, 1), None, "pending", None), "应注明是未经复议直接起诉还是复议后起诉"),
        (("litigation", d(2024, 1, 1), "later", "pending", None), "未知的起诉阶段“later”"),
        (("review", d(2024, 1, 1), "direct", "pending", None), "行政复议案件没有起诉阶段"),
        (("review", d(2024, 1, 1), None, "won", d(2024, 2, 1)), "未知的案件结果“won”"),
        (("review", d(2024, 1, 1), None, "pending", d(2024, 2, 1)), "结果不能是尚未审结"),
        (("review", d(2024, 1, 1), None, "maintained", None), "应填写审结日期"),
        (("review", d(2024, 2, 1), None, "maintained", d(2024, 1, 1)), "审结日期2024-01-01早于立案日期2024-02-01"),
        (("review", None, None, "pending", None), "缺少立案"),
    ],
)
def test_impossible_cases_are_refused_in_chinese(args, message):
    with pytest.raises(DomainError, match=message):
        R(*args)


@settings(max_examples=200, deadline=None)
@given(st.lists(review_cases(), max_size=50), st.integers(2019, 2027))
def test_for_any_cases_the_table_equals_an_independent_count_and_passes_every_rule(cases, year):
    t = table4_for_year(cases, year)
    assert t == count_table4(cases, year)
    result = audit(format_for_year(year), {"table_4": t})
    assert [r.status for r in result.rules if r.rule.table == "table_4"] == ["passed"] * 4


@settings(max_examples=100, deadline=None)
@given(st.lists(review_cases(), max_size=50))
def test_no_case_is_ever_counted_in_two_years(cases):
    totals = [table4_for_year(cases, y) for y in range(2019, 2028)]
    counted = sum(t["review_total"] + t["litigation_direct_total"] + t["litigation_after_review_total"] for t in totals)
    assert counted == len([c for c in cases if 2019 <= c.filed_on.year <= 2027])
