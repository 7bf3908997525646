"""The report as Markdown: the format's exact labels, and the audit reader reads the same tables back."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.domain.annual_report.assemble import assemble_tables
from gongkai.domain.annual_report.content import ReportContent
from gongkai.domain.annual_report.litigation import table4_for_year
from gongkai.domain.annual_report.markdown import as_markdown, number_text
from gongkai.domain.annual_report.prose_check import read_back
from gongkai.domain.applications.counting import table3_for_year
from gongkai.domain.disclosure.counting import art20_1_for_year
from gongkai.domain.report_format import format_for_year

from ._cases import applications, as_numbers, documents, other_table2_cells, review_cases, zero_table2

AGENCY = "示范区教育局"


def content_for(year, tables, sections=None, dated=None):
    return ReportContent(AGENCY, year, tables, sections or {}, dated=dated)


def random_tables(year, apps, docs, reviews, others):
    table2 = zero_table2(year)
    table2["art20_1"] = art20_1_for_year(docs, year)
    for (sub, row, col), v in others.items():
        table2[sub][row][col] = v
    return assemble_tables(
        year, table2=table2, table3=table3_for_year(apps, year), table4=table4_for_year(reviews, year)
    )


def _spec_labels(shared_dir, version):
    spec = json.loads((shared_dir / "spec" / "annual-report-format.json").read_text(encoding="utf-8"))["formats"][
        version
    ]
    titles = [s["title"] for s in spec["sections"]]
    cells = []
    for t in spec["tables"]:
        for sub in t.get("subtables", []):
            cells += (
                [sub["caption"], sub["row_header_label"]]
                + [c["label"] for c in sub["columns"]]
                + [r["label"] for r in sub["rows"]]
            )
        if "row_header_note" in t:
            cells.append(t["row_header_note"])
        cells += [g["label"] for g in t.get("column_groups", [])]
        cells += [c["label"] for c in t.get("columns", [])] + [r["label"] for r in t.get("rows", []) if r["label"]]
    return titles, cells


@pytest.mark.parametrize("year, version", [(2019, "2019"), (2020, "2019"), (2021, "2021"), (2026, "2021")])
def test_every_label_of_the_spec_appears_character_for_character(shared_dir, year, version):
    md = as_markdown(content_for(year, random_tables(year, [], [], [], {})))
    titles, cells = _spec_labels(shared_dir, version)
    for title in titles:
        assert f"\n## {title}\n" in md
    for label in cells:
        if label.startswith("第二十条"):
            assert f"**{label}**" in md
        else:
            assert f"| {label} |" in md, label


def test_the_title_opening_sections_and_signature_come_in_order():
    c = content_for(
        2024,
        random_tables(2024, [], [], [], {}),
        {"overview": "第一段。\n\n第二段。", "other": "本年度未收取信息处理费。"},
        dated=date(2025, 1, 20),
    )
    md = as_markdown(c)
    assert md.startswith(f"# {AGENCY}2024年政府信息公开工作年度报告\n\n本报告依据")
    positions = [md.index(s.title) for s in c.fmt.sections]
    assert positions == sorted(positions)
    assert "## 一、总体情况\n\n第一段。\n\n第二段。\n\n## 二、" in md
    assert md.endswith(f"{AGENCY}\n\n2025年1月20日\n")


def test_a_blank_cell_is_written_empty_never_as_zero():
    t = random_tables(2024, [], [], [], {})
    t["table_4"]["review_total"] = None
    md = as_markdown(content_for(2024, t))
    assert "| 0 | 0 | 0 | 0 |  | 0 |" in md


def test_decimals_are_printed_exactly_without_trailing_zeros():
    assert [number_text(v) for v in (Decimal("0.3500"), Decimal("12"), Decimal("100"), 7, -8, None)] == [
        "0.35",
        "12",
        "100",
        "7",
        "-8",
        "",
    ]


@pytest.mark.parametrize("year", [2019, 2020, 2021, 2025])
def test_the_audit_reader_reads_the_same_tables_back_with_no_finding(year):
    others = {k: (Decimal("12.5") if isinstance(v, Decimal) else 3) for k, v in _any_others(year).items()}
    t = random_tables(year, [], [], [], others)
    t["table_3"]["new_received"].update(natural_person=4, total=4)
    t["table_3"]["granted"].update(natural_person=4, total=4)
    t["table_3"]["results_total"].update(natural_person=4, total=4)
    t["table_4"].update(litigation_after_review_corrected=1, litigation_after_review_total=1)
    report = read_back(
        content_for(year, t, {"overview": "本年度共收到政府信息公开申请4件。", "problems": "无。", "other": "无。"})
    )
    assert (report.format, report.year, report.agency) == (format_for_year(year).version, year, AGENCY)
    assert as_numbers(report.tables) == as_numbers(t)
    assert report.findings == []


def _any_others(year):
    fmt = format_for_year(year)
    return {
        (s.id, r.key, c.key): (Decimal(0) if c.is_decimal else 0)
        for s in fmt.table_2.subtables
        if s.id != "art20_1"
        for r in s.rows
        for c in s.columns
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    year=st.sampled_from([2019, 2020, 2021, 2024]),
    apps=st.lists(applications(), max_size=30),
    docs=st.lists(documents(), max_size=15),
    reviews=st.lists(review_cases(), max_size=15),
    data=st.data(),
)
def test_for_any_tables_the_round_trip_through_the_audit_reader_gives_the_same_tables(year, apps, docs, reviews, data):
    t = random_tables(year, apps, docs, reviews, data.draw(other_table2_cells(format_for_year(year))))
    report = read_back(content_for(year, t))
    assert as_numbers(report.tables) == as_numbers(t)
    assert not [
        f for f in report.findings if f.rule.startswith(("missing", "partial", "ambiguous", "unreadable", "label"))
    ]
