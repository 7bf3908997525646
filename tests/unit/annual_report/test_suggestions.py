"""Suggested sentences: every figure in them equals the tables, and the audit reader agrees."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.domain.annual_report.assemble import assemble_tables
from gongkai.domain.annual_report.content import ReportContent
from gongkai.domain.annual_report.litigation import ReviewCaseForCount, table4_for_year
from gongkai.domain.annual_report.prose_check import check_prose, read_back
from gongkai.domain.annual_report.suggestions import ReportFacts, suggested_sentences
from gongkai.domain.applications.counting import CaseForCount, table3_for_year
from gongkai.domain.disclosure.counting import art20_1_for_year
from gongkai.domain.errors import DomainError
from gongkai.domain.report_format import format_for_year

from ._cases import applications, documents, other_table2_cells, review_cases, zero_table2

FIGURE = re.compile(r"(\d+(?:\.\d+)?)(万元|件|条|元)")


def tables_for(year, apps=(), docs=(), reviews=(), others=None):
    table2 = zero_table2(year)
    table2["art20_1"] = art20_1_for_year(docs, year)
    for (sub, row, col), v in (others or {}).items():
        table2[sub][row][col] = v
    return assemble_tables(
        year, table2=table2, table3=table3_for_year(apps, year), table4=table4_for_year(reviews, year)
    )


def by_key(facts):
    return {s.key: s for s in suggested_sentences(facts)}


# -- the expected figure of every label, written from the tables directly ----------------------------

APPLICANT = {
    "自然人": "natural_person",
    "商业企业": "commercial_enterprise",
    "科研机构": "research_institution",
    "社会公益组织": "public_interest_org",
    "法律服务机构": "legal_service_org",
    "其他法人或其他组织": "other_org",
}
FAMILY_ROWS = {  # result group -> the rows it adds up, by the row keys' own prefixes
    "予以公开": ("granted",),
    "部分公开": ("partially_granted",),
    "不予公开": ("withheld_",),
    "无法提供": ("unable_",),
    "不予处理": ("not_processed_",),
    "其他处理": ("other_",),
}
RESULTS = {"结果维持": "maintained", "结果纠正": "corrected", "其他结果": "other", "尚未审结": "pending"}


def family_total(t3, family):
    prefixes = FAMILY_ROWS[family]
    return sum(cells["total"] for row, cells in t3.items() if row.startswith(prefixes) or row in prefixes)


def expected_application_figure(t3, clause, label):
    if clause.startswith("本年度共收到"):
        return t3["new_received"]["total"] if label.startswith("本年度共收到") else t3["new_received"][APPLICANT[label]]
    if clause.startswith("上年结转"):
        return t3["carried_over"]["total"]
    if clause.startswith("本年度办结"):
        return t3["results_total"]["total"] if label.startswith("本年度办结") else family_total(t3, label)
    if clause.startswith("结转下年度"):
        return t3["carry_forward"]["total"]
    raise AssertionError(f"unexpected clause {clause}")


def expected_review_figure(t4, clause, label):
    if "行政复议" in clause and "行政诉讼" not in clause:
        return t4["review_total"] if "行政复议" in label else t4[f"review_{RESULTS[label]}"]
    if "行政诉讼" in clause:
        if "行政诉讼" in label:
            return t4["litigation_direct_total"] + t4["litigation_after_review_total"]
        return t4["litigation_direct_total"] if label == "未经复议直接起诉" else t4["litigation_after_review_total"]
    if clause.startswith("上述诉讼案件"):
        name = label.removeprefix("上述诉讼案件")
        return t4[f"litigation_direct_{RESULTS[name]}"] + t4[f"litigation_after_review_{RESULTS[name]}"]
    raise AssertionError(f"unexpected clause {clause}")


def figures(clause):
    """(label, value) of each figure: the label is the words since the last 、，其中 or the clause start."""
    out = []
    last = 0
    for m in FIGURE.finditer(clause):
        words = clause[last : m.start()]
        words = re.split(r"[、，]|其中", words)[-1]
        out.append((words, Decimal(m.group(1)), m.group(2)))
        last = m.end()
    return out


def clauses(text):
    return [c for c in re.split(r"[；。]", text) if c]


def check_applications(text, t3):
    seen = 0
    for clause in clauses(text):
        for label, value, unit in figures(clause):
            assert unit == "件"
            assert value == expected_application_figure(t3, clause, label), (clause, label)
            seen += 1
    nonzero = [c for c in APPLICANT.values() if t3["new_received"][c]]
    if t3["new_received"]["total"]:
        assert [APPLICANT[lbl] for cl in clauses(text)[:1] for lbl, _, _ in figures(cl)[1:]] == nonzero
    return seen


def check_review(text, t4):
    for clause in clauses(text):
        for label, value, unit in figures(clause):
            assert unit == "件" and value == expected_review_figure(t4, clause, label), (clause, label)
    if not (t4["review_total"] or t4["litigation_direct_total"] or t4["litigation_after_review_total"]):
        assert text == "本年度未发生政府信息公开行政复议、行政诉讼案件。"


def check_documents(text, t2, year):
    columns = {
        "制发": "made",
        "废止": "repealed",
        "现行有效": "in_force",
        "新制作": "newly_made",
        "新公开": "newly_published",
        "对外公开": "total_published",
    }
    rows = {"规章": "regulations", "行政规范性文件": "normative_documents", "规范性文件": "normative_documents"}
    seen = 0
    for clause in re.split(r"[，；。]", text):
        verb = next((v for v in columns if v in clause), None)
        for label, value, _unit in figures(clause):
            row = label.removeprefix("本年度").removeprefix(verb or "")
            assert value == t2["art20_1"][rows[row]][columns[verb]], (clause, label)
            seen += 1
    assert seen == 6


def check_decisions(text, t2):
    cells = {
        "行政许可决定": ("art20_5", "administrative_licensing", "decisions"),
        "行政处罚决定": ("art20_6", "administrative_penalty", "decisions"),
        "行政强制决定": ("art20_6", "administrative_coercion", "decisions"),
        "其他对外管理服务事项决定": ("art20_5", "other_external_services", "decisions"),
        "收取行政事业性收费": ("art20_8", "administrative_fees", "fee_amount"),
    }
    for label, value, unit in figures(text):
        sub, row, col = cells[label.removeprefix("本年度作出").removeprefix("本年度")]
        assert unit == ("万元" if col == "fee_amount" else "件")
        assert value == Decimal(t2[sub][row][col])


fee_facts = st.one_of(
    st.just((Decimal(0), 0)),
    st.tuples(st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100_000), places=2), st.integers(1, 500)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    year=st.integers(2019, 2027),
    apps=st.lists(applications(), max_size=40),
    docs=st.lists(documents(), max_size=15),
    reviews=st.lists(review_cases(), max_size=25),
    fee=fee_facts,
    data=st.data(),
)
def test_every_figure_in_a_suggestion_equals_the_tables(year, apps, docs, reviews, fee, data):
    t = tables_for(year, apps, docs, reviews, data.draw(other_table2_cells(format_for_year(year))))
    s = by_key(ReportFacts(year, t, "", fee[0], fee[1]))
    assert check_applications(s["applications"].text, t["table_3"]) >= 2  # 上年结转 and 结转下年度 always stated
    check_review(s["review_litigation"].text, t["table_4"])
    check_documents(s["table2_documents"].text, t["table_2"], year)
    if "table2_decisions" in s:
        check_decisions(s["table2_decisions"].text, t["table_2"])
    if fee[1]:
        assert figures(s["fees"].text) == [("本年度共对", Decimal(fee[1]), "件"), ("申请收取信息处理费", fee[0], "元")]
    else:
        assert s["fees"].text == "本年度未收取信息处理费。"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    year=st.sampled_from([2020, 2021, 2025]),
    apps=st.lists(applications(), max_size=40),
    reviews=st.lists(review_cases(), max_size=25),
    fee=fee_facts,
)
def test_the_audit_reader_finds_no_contradiction_in_the_suggestions_inserted_as_they_are(year, apps, reviews, fee):
    t = tables_for(year, apps, (), reviews)
    facts = ReportFacts(year, t, "本年度主动公开政府信息20条，其中工作动态12条、公告公示8条。", fee[0], fee[1])
    sections = {}
    for s in suggested_sentences(facts):
        sections.setdefault(s.section_key, []).append(s.text)
    content = ReportContent("示范区教育局", year, t, {k: "\n".join(v) for k, v in sections.items()})
    assert check_prose(content) == []
    report = read_back(content)
    assert not [f for f in report.findings if f.severity in ("error", "warning")]
    read = {f.key: f.value for f in report.prose_figures}
    assert read["applications_carried_over"] == t["table_3"]["carried_over"]["total"]
    assert read["carry_forward"] == t["table_3"]["carry_forward"]["total"]


def test_the_suggestions_go_to_their_sections_and_points():
    facts = ReportFacts(2024, tables_for(2024), "本年度主动公开政府信息20条。")
    assert [(s.section_key, s.point, s.key) for s in suggested_sentences(facts)] == [
        ("overview", "主动公开", "publications"),
        ("overview", "主动公开", "table2_documents"),
        ("overview", "依申请公开", "applications"),
        ("overview", "依申请公开", "review_litigation"),
        ("other", "信息处理费", "fees"),
    ]


def test_a_year_without_applications_or_cases_says_so_in_words():
    s = by_key(ReportFacts(2024, tables_for(2024)))
    assert s["applications"].text == (
        "本年度未收到新的政府信息公开申请；上年结转政府信息公开申请0件；本年度没有办结的申请；结转下年度继续办理0件。"
    )
    assert s["review_litigation"].text == "本年度未发生政府信息公开行政复议、行政诉讼案件。"
    assert (
        s["table2_documents"].text
        == "本年度制发规章0件、行政规范性文件0件，废止规章0件、行政规范性文件0件；截至2024年12月31日，现行有效规章0件、行政规范性文件0件。"
    )
    assert "table2_decisions" not in s and "publications" not in s


def test_the_sentences_read_like_the_issue_says():
    apps = [
        CaseForCount("natural_person", date(2024, 3, 1), date(2024, 3, 20), "disclosed"),
        CaseForCount("natural_person", date(2024, 4, 1), date(2024, 4, 20), "partially_disclosed"),
        CaseForCount("legal_service_org", date(2024, 12, 28), None, None),
        CaseForCount("commercial_enterprise", date(2023, 12, 20), date(2024, 1, 9), "does_not_exist"),
    ]
    reviews = [ReviewCaseForCount("review", date(2024, 5, 1), None, "corrected", date(2024, 7, 1))]
    s = by_key(ReportFacts(2024, tables_for(2024, apps, (), reviews), fees_collected_yuan=Decimal("300"), fee_cases=2))
    assert s["applications"].text == (
        "本年度共收到政府信息公开申请3件，其中自然人2件、法律服务机构1件；上年结转政府信息公开申请1件；"
        "本年度办结3件，其中予以公开1件、部分公开1件、无法提供1件；结转下年度继续办理1件。"
    )
    assert (
        s["review_litigation"].text
        == "本年度发生政府信息公开行政复议1件，其中结果纠正1件；未发生政府信息公开行政诉讼案件。"
    )
    assert s["fees"].text == "本年度共对2件申请收取信息处理费300元。"


def test_a_litigation_only_year_starts_the_sentence_with_the_review_statement():
    reviews = [ReviewCaseForCount("litigation", date(2024, 5, 1), "direct", "maintained", date(2024, 8, 1))]
    text = by_key(ReportFacts(2024, tables_for(2024, (), (), reviews)))["review_litigation"].text
    assert (
        text
        == "本年度未发生政府信息公开行政复议案件；本年度发生政府信息公开行政诉讼1件，其中未经复议直接起诉1件；上述诉讼案件结果维持1件。"
    )


def test_fee_facts_that_do_not_hold_together_are_refused():
    t = tables_for(2024)
    with pytest.raises(DomainError, match="应同时填写收费的申请件数"):
        ReportFacts(2024, t, fees_collected_yuan=Decimal(100))
    with pytest.raises(DomainError, match="收费金额却为0"):
        ReportFacts(2024, t, fee_cases=2)
    with pytest.raises(DomainError, match="不能为负数"):
        ReportFacts(2024, t, fees_collected_yuan=Decimal(-1), fee_cases=1)
    assert ReportFacts(2024, t, fees_collected_yuan=200, fee_cases=1).fees_collected_yuan == Decimal(200)


def test_a_blank_cell_is_never_turned_into_a_figure():
    t = tables_for(2024)
    t["table_3"]["carried_over"]["total"] = None
    with pytest.raises(DomainError, match="table_3.carried_over.total"):
        suggested_sentences(ReportFacts(2024, t))
