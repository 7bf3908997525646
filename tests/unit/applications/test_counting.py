"""Table 三 counted from cases: hand-checked figures and, for any random set of cases, every rule
of the format's consistency evaluator, an independent brute-force count and year-to-year carry."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.domain.applications.counting import CaseForCount, table3_for_year
from gongkai.domain.consistency import audit
from gongkai.domain.errors import DomainError
from gongkai.domain.outcomes import APPLICANT_TYPES, OUTCOME_CODES, table3_row
from gongkai.domain.report_format import ReportYearNotCovered, format_for_year

C = CaseForCount
TYPES = list(APPLICANT_TYPES)


def test_a_year_is_counted_by_receipt_for_new_cases_and_by_conclusion_for_results():
    cases = [
        C("natural_person", date(2023, 12, 20), date(2024, 1, 10), "disclosed"),  # carried over, concluded
        C("natural_person", date(2023, 11, 1), None, None),  # carried over, still open
        C("natural_person", date(2023, 6, 1), date(2023, 7, 1), "disclosed"),  # ended before: nowhere
        C("commercial_enterprise", date(2024, 3, 1), date(2024, 3, 20), "withheld_third_party"),
        C("commercial_enterprise", date(2024, 12, 30), date(2025, 1, 8), "does_not_exist"),  # carried forward
        C("research_institution", date(2024, 5, 5), date(2024, 6, 1), "abandoned_no_correction"),
        C("other_org", None, date(2024, 2, 1), "withdrawn"),  # never received: not an application
        C("other_org", date(2025, 1, 2), None, None),  # next year
    ]
    t = table3_for_year(cases, 2024)
    assert t["new_received"] == {**_zero(), "commercial_enterprise": 2, "research_institution": 1, "total": 3}
    assert t["carried_over"] == {**_zero(), "natural_person": 2, "total": 2}
    assert t["granted"]["natural_person"] == 1
    assert t["withheld_third_party_rights"]["commercial_enterprise"] == 1
    assert t["other_no_correction"]["research_institution"] == 1
    assert t["results_total"]["total"] == 3
    assert t["carry_forward"] == {**_zero(), "natural_person": 1, "commercial_enterprise": 1, "total": 2}
    assert audit(format_for_year(2024), {"table_3": t}).findings == ()


def test_the_2019_format_counts_every_other_ending_in_one_row():
    cases = [
        C("natural_person", date(2020, 3, 1), date(2020, 3, 30), code)
        for code in ("abandoned_no_correction", "abandoned_fee_unpaid", "withdrawn")
    ]
    t = table3_for_year(cases, 2020)
    assert t["other_handling"]["natural_person"] == 3 and "other_no_correction" not in t
    assert table3_for_year(cases, 2021) == table3_for_year([], 2021)  # concluded in 2020, all gone by 2021


def test_every_row_and_column_of_the_years_format_is_present_even_when_empty():
    for year in (2019, 2024):
        t3 = format_for_year(year).table_3
        t = table3_for_year([], year)
        assert list(t) == [r.key for r in t3.data_rows()]
        assert all(list(row) == [c.key for c in t3.columns] and set(row.values()) == {0} for row in t.values())


def test_a_year_before_the_standard_tables_is_refused():
    with pytest.raises(ReportYearNotCovered):
        table3_for_year([], 2018)


def test_impossible_cases_are_refused_in_chinese():
    with pytest.raises(DomainError, match="办结日期2024-01-01早于收到申请日期2024-01-02"):
        C("natural_person", date(2024, 1, 2), date(2024, 1, 1), "disclosed")
    with pytest.raises(DomainError, match="同时填写或同时为空"):
        C("natural_person", date(2024, 1, 2), date(2024, 1, 3), None)
    with pytest.raises(DomainError, match="同时填写或同时为空"):
        C("natural_person", date(2024, 1, 2), None, "disclosed")
    with pytest.raises(DomainError, match="未知的申请人类型“person”"):
        C("person", date(2024, 1, 2), None, None)
    with pytest.raises(DomainError, match="未知的办理结果代码“granted”"):
        C("natural_person", date(2024, 1, 2), date(2024, 1, 3), "granted")


def _zero():
    return {c: 0 for c in [*TYPES, "total"]}


# -- property: any cases, every rule ---------------------------------------------------------------

days = st.dates(min_value=date(2017, 6, 1), max_value=date(2027, 6, 30))


@st.composite
def cases(draw):
    received = draw(st.none() | days)
    kind = draw(st.sampled_from(TYPES))
    if not draw(st.booleans()):
        return C(kind, received, None, None)
    start = received or date(2017, 6, 1)
    concluded = start + timedelta(days=draw(st.integers(0, 800)))
    return C(kind, received, concluded, draw(st.sampled_from(OUTCOME_CODES)))


def brute_force(cs, year):
    """The same figures counted cell by cell straight from the definitions, sharing no code."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    fmt = format_for_year(year).table_3
    received = [c for c in cs if c.received_on is not None]

    def open_on(c, day):  # received by ``day`` and not concluded by it
        return c.received_on <= day and (c.concluded_on is None or c.concluded_on > day)

    tests = {
        "new_received": lambda c: start <= c.received_on <= end,
        "carried_over": lambda c: open_on(c, start - timedelta(days=1)),
        "results_total": lambda c: c.concluded_on is not None and start <= c.concluded_on <= end,
        "carry_forward": lambda c: open_on(c, end),
    }
    for row in fmt.outcome_rows():
        tests[row.key] = lambda c, key=row.key: (
            c.concluded_on is not None and c.concluded_on.year == year and table3_row(c.outcome_code, year) == key
        )
    out = {}
    for row in fmt.data_rows():
        out[row.key] = {col: sum(1 for c in received if c.applicant_type == col and tests[row.key](c)) for col in TYPES}
        out[row.key]["total"] = sum(1 for c in received if tests[row.key](c))
    return out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cases(), max_size=60), st.sampled_from([2020, 2024]) | st.integers(2019, 2026))
def test_for_any_cases_the_table_passes_every_rule_and_equals_a_brute_force_count(cs, year):
    table = table3_for_year(cs, year)
    assert table == brute_force(cs, year)
    previous = {"table_3": table3_for_year(cs, year - 1)} if year > 2019 else None
    result = audit(format_for_year(year), {"table_3": table}, previous=previous)
    assert result.errors == () and result.warnings == () and result.unchecked == ()
    t3_rules = {r.rule.id: r.status for r in result.rules if r.rule.table == "table_3"}
    assert set(t3_rules.values()) == ({"passed"} if previous else {"passed", "skipped"})
    assert table3_for_year(cs, year + 1)["carried_over"] == table["carry_forward"]


@pytest.mark.parametrize("year", [2020, 2024])
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cs=st.lists(cases(), max_size=60))
def test_in_both_report_formats_no_rule_of_table_3_ever_fails(cs, year):
    result = audit(
        format_for_year(year),
        {"table_3": table3_for_year(cs, year)},
        previous={"table_3": table3_for_year(cs, year - 1)},
    )
    assert result.findings == ()
    assert [r.status for r in result.rules if r.rule.table == "table_3"] == ["passed"] * 5
