"""Figures quoted in the prose against the tables, read by the audit reader from the Markdown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.domain.annual_report.assemble import assemble_tables
from gongkai.domain.annual_report.content import ReportContent
from gongkai.domain.annual_report.litigation import ReviewCaseForCount, table4_for_year
from gongkai.domain.annual_report.prose_check import check_prose, read_back
from gongkai.domain.applications.counting import CaseForCount, table3_for_year

from ._cases import as_numbers, zero_table2

APPS = [CaseForCount("natural_person", date(2024, m, 1), date(2024, m, 20), "disclosed") for m in (2, 3, 4)] + [
    CaseForCount("commercial_enterprise", date(2024, 5, 1), date(2024, 5, 20), "does_not_exist"),
    CaseForCount("natural_person", date(2023, 12, 20), None, None),  # carried over, still open
]
REVIEWS = [ReviewCaseForCount("review", date(2024, 6, 1), None, "maintained", date(2024, 8, 1))]
TABLES = assemble_tables(
    2024, table2=zero_table2(2024), table3=table3_for_year(APPS, 2024), table4=table4_for_year(REVIEWS, 2024)
)


def report(preamble="", **sections):
    return ReportContent("示范区教育局", 2024, TABLES, sections, preamble=preamble)


def test_a_right_figure_gives_no_problem():
    assert check_prose(report(overview="本年度共收到政府信息公开申请4件，上年结转1件，结转下年度继续办理1件。")) == []


def test_a_wrong_figure_is_flagged_with_its_words_its_section_and_both_figures():
    (p,) = check_prose(report(overview="本年度主动公开政府信息10条。\n本年度共收到政府信息公开申请7件。"))
    assert (p.section_key, p.quoted, p.stated, p.expected) == ("overview", "本年度共收到政府信息公开申请7件", 7, 4)
    assert p.severity == "error" and p.cells == ("table_3.new_received.total",)
    assert "表三“一、本年新收政府信息公开申请数量”总计为4" in p.message


def test_figures_are_checked_in_every_section_and_mapped_back_to_it():
    problems = check_prose(
        report(
            overview="本年度办结申请3件。",
            problems="结转下年度继续办理2件。",
            other="本年度发生政府信息公开行政复议2件。",
        )
    )
    assert [(p.section_key, p.stated, p.expected) for p in problems] == [
        ("overview", 3, 4),
        ("problems", 2, 1),
        ("other", 2, 1),
    ]


def test_a_figure_in_the_opening_paragraph_is_mapped_to_the_preamble():
    (p,) = check_prose(report(preamble="本年度共收到政府信息公开申请6件。"))
    assert p.section_key == "preamble" and p.stated == 6


def test_a_statement_of_nothing_contradicting_the_table_is_flagged():
    (p,) = check_prose(report(overview="本年度未收到政府信息公开申请。"))
    assert (p.stated, p.expected) == (0, 4)
    assert check_prose(report(overview="本年度未发生政府信息公开行政诉讼。")) == []


def test_a_count_that_includes_the_carried_over_applications_is_a_warning_that_says_so():
    (p,) = check_prose(report(overview="本年度共收到政府信息公开申请5件。"))
    assert p.severity == "warning" and "可能包含上年结转的申请" in p.message


def test_parts_adding_up_to_more_than_their_whole_are_flagged():
    problems = check_prose(report(overview="本年度共收到政府信息公开申请4件，其中自然人3件、商业企业2件。"))
    assert [(p.rule, p.stated, p.expected) for p in problems] == [("parts_sum_mismatch", 5, 4)]


def test_an_approximate_figure_is_never_compared():
    assert check_prose(report(overview="本年度收到政府信息公开申请近10件。")) == []


def test_prose_quoting_html_tags_is_still_read_as_the_report_and_checked():
    (p,) = check_prose(report(overview="<p>本年度共收到政府信息公开申请7件。</p><div>详见附件</div><span>。</span>"))
    assert (p.stated, p.expected) == (7, 4)


def test_prose_sub_headings_written_like_section_titles_do_not_take_the_sections_over():
    text = "一、主动公开情况\n本年度主动公开政府信息10条。\n二、依申请公开情况\n本年度共收到政府信息公开申请7件。"
    (p,) = check_prose(report(overview=text))
    assert (p.section_key, p.stated, p.expected) == ("overview", 7, 4)


RISKY = st.sampled_from(
    [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
        "二、依申请公开",
        "三．存在问题",
        "（一）主动公开",
        "\n",
        "\t",
        "|",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "#",
        "<p>",
        "规章\t1\t2\t3",
        "规章 1 2 3",
        "1.属于国家秘密 3 0 0 0 0 0 3",
        "（七）总计 9 0 0 0 0 0 9",
        "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
        "第二十条第（一）项",
        "信息内容",
        "总计",
        "本年度共收到政府信息公开申请4件。",
        "。",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(RISKY, max_size=12).map("".join), st.sampled_from(["overview", "problems", "other"]))
def test_whatever_the_prose_holds_the_reader_gets_the_same_tables_back(text, key):
    assert as_numbers(read_back(report(**{key: text})).tables) == as_numbers(TABLES)


# -- table 二: decisions and fees (issue 14) ---------------------------------------------------------

T2 = zero_table2(2024)
T2["art20_6"]["administrative_penalty"]["decisions"] = 1
T2["art20_5"]["administrative_licensing"]["decisions"] = 12
T2["art20_8"]["administrative_fees"]["fee_amount"] = Decimal("1.25")
TABLES_2 = assemble_tables(2024, table2=T2, table3=table3_for_year(APPS, 2024), table4=table4_for_year(REVIEWS, 2024))


def report2(**sections):
    return ReportContent("示范区教育局", 2024, TABLES_2, sections)


def test_a_decision_figure_of_table_2_that_differs_is_flagged():
    (p,) = check_prose(report2(overview="本年度作出行政许可决定12件、行政处罚决定3件、行政强制决定0件。"))
    assert (p.section_key, p.quoted, p.stated, p.expected) == ("overview", "行政处罚决定3件", 3, 1)
    assert p.cells == ("table_2.art20_6.administrative_penalty.decisions",) and "表二" in p.message


def test_right_table_2_figures_and_approximate_ones_pass():
    assert (
        check_prose(
            report2(
                overview="本年度作出行政许可决定12件、行政处罚决定1件、行政强制决定0件，收取行政事业性收费1.25万元。"
            )
        )
        == []
    )
    assert check_prose(report2(overview="本年度作出行政许可决定约20件。")) == []


def test_a_fee_of_table_2_that_differs_is_flagged():
    (p,) = check_prose(report2(other="本年度收取行政事业性收费2万元。"))
    assert (p.section_key, p.stated, p.expected) == ("other", Decimal("2"), Decimal("1.25"))
