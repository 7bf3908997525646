"""Recognising agency, year, format version and sections."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.audit.model import RawDocument
from gongkai.domain.audit.normalise import normalise
from gongkai.domain.audit.recognise import (
    _CITY_MENTION,
    _city_mentions,
    classify_heading,
    format_for,
    other_agencies,
    recognise,
)

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"
SIX = ["overview", "proactive", "applications", "review_litigation", "problems", "other"]


def doc_of(text: str):
    return normalise(RawDocument(name="t.txt", kind="text", text=text))


def sample_doc(n: int):
    return doc_of((SAMPLES / f"sample-0{n}.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("n", "agency", "year", "template", "fmt"),
    [
        (1, "无锡市梁溪区教育局", 2021, False, "2021"),
        (2, "乐清市教育局", 2021, False, "2021"),
        (3, "尖扎县教育局", 2021, False, "2021"),
        (4, "XX教育局", None, True, "pre2019"),
        (5, "本溪市溪湖区教育局", 2018, False, "pre2019"),
    ],
)
def test_samples_agency_year_format(n, agency, year, template, fmt):
    d = sample_doc(n)
    rec = recognise(d)
    assert (rec.agency, rec.year, rec.year_is_template, rec.format) == (agency, year, template, fmt)


def test_sample01_spans_of_agency_and_year_point_into_the_title():
    d = sample_doc(1)
    rec = recognise(d)
    a, b = rec.agency_span
    assert d.text[a:b] == "无锡市梁溪区教育局"
    assert d.original[d.span(a, b).original_start : d.span(a, b).original_end] == "無錫市梁溪區教育局"
    assert d.text[rec.year_span[0] : rec.year_span[1]] == "2021"


def test_sample03_agency_is_the_line_above_a_title_without_one():
    rec = recognise(sample_doc(3))
    assert rec.agency == "尖扎县教育局"
    assert set(rec.evidence["2021"]) >= {("本年制发件数", rec.evidence["2021"][0][1])}


def test_sample04_template_placeholders_are_marked():
    d = sample_doc(4)
    rec = recognise(d)
    assert rec.agency_is_template
    marks = {d.text[a:b] for a, b in rec.template_marks}
    assert marks == {"20××", "XX"}


def test_sample05_district_name_completed_with_the_only_city_named():
    rec = recognise(sample_doc(5))
    assert rec.agency_completed_from == "本溪市"


def test_sections_of_the_samples():
    assert list(recognise(sample_doc(1)).sections) == SIX
    assert set(recognise(sample_doc(2)).sections) == {"overview", "problems", "other"}
    assert list(recognise(sample_doc(3)).sections) == SIX
    assert set(recognise(sample_doc(4)).sections) == {"overview", "proactive", "applications", "fees"}


def test_sample02_inline_headings_in_a_run_on_line_are_found():
    d = sample_doc(2)
    hit = recognise(d).sections["overview"]
    assert d.text[hit.start : hit.title_end] == "一、总体情况"
    assert d.text[hit.start - 1] == " "  # mid-line, after the preamble


def test_sample01_empty_sections_have_empty_bodies():
    d = sample_doc(1)
    hit = recognise(d).sections["applications"]
    a, b = hit.body
    assert d.text[a:b].strip() == ""


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("总体情况", "overview"),
        ("信息公开工作概述", "overview"),
        ("主动公开政府信息情况", "proactive"),
        ("收到和处理政府信息公开申请情况（无）", "applications"),
        ("依申请公开信息和不予公开信息的情况", "applications"),
        ("政府信息公开行政复议、行政诉讼情况", "review_litigation"),
        ("存在主要问题及改进情况", "problems"),
        ("政府信息公开工作存在的主要问题及改进情况", "problems"),
        ("存在的主要问题及下一步工作情况", "problems"),
        ("其他需要报告的事项", "other"),
        ("其他需报告的事项", "other"),
        ("政府信息公开的收费及减免情况", "fees"),
        # rows of table 三 look like headings but are not sections
        ("本年度办理结果", None),
        ("上年结转政府信息公开申请数量", None),
        ("结转下年度继续办理", None),
    ],
)
def test_heading_variants(title, key):
    assert classify_heading(title) == key


def test_format_by_year():
    assert [format_for(y) for y in (2018, 2019, 2020, 2021, 2025, None)] == [
        "pre2019",
        "2019",
        "2019",
        "2021",
        "2021",
        None,
    ]


def test_labels_of_the_2019_format_in_a_2021_report_are_evidence_against_the_year():
    text = (
        "某某县教育局2021年政府信息公开工作年度报告\n一、总体情况\n略\n二、主动公开政府信息情况\n"
        "第二十条第（一）项\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t0\t0\t0\n"
    )
    rec = recognise(doc_of(text))
    assert rec.year == 2021 and rec.format_by_year == "2021"
    assert rec.format == "2019" and rec.format_evidence == "2019"


def test_2019_single_other_handling_row_is_2019_evidence():
    rec = recognise(doc_of("某局2020年政府信息公开工作年度报告\n\t（六）其他处理\t0\t0\t0\t0\t0\t0\t0\n"))
    assert "2019" in rec.evidence and rec.format == "2019"


def test_a_template_year_in_the_title():
    rec = recognise(doc_of("XX县教育局20XX年政府信息公开工作年度报告\n正文"))
    assert rec.year is None and rec.year_is_template


def test_year_from_the_reporting_period_when_the_title_has_none():
    rec = recognise(doc_of("某某局政府信息公开工作年度报告\n本报告统计期限自2020年1月1日起至2020年12月31日止。"))
    assert rec.year == 2020


def test_other_agency_named_in_sample02():
    d = sample_doc(2)
    found = other_agencies(d, recognise(d))
    assert [name for name, _, _ in found] == ["永嘉县发展和改革局"]
    _, a, b = found[0]
    assert d.text[a:b] == "永嘉县发展和改革局"


@pytest.mark.parametrize("n", [1, 3, 4, 5])
def test_no_other_agency_in_the_other_samples(n):
    # sample-01 names 无锡市教育局 inside a document title 《转发无锡市教育局…》: not a copy-paste
    d = sample_doc(n)
    assert other_agencies(d, recognise(d)) == []


def test_another_county_bureau_of_the_same_kind_is_found():
    d = doc_of("乐清市教育局2021年政府信息公开工作年度报告\n我局会同永嘉县教育局开展检查。")
    assert [n for n, _, _ in other_agencies(d, recognise(d))] == ["永嘉县教育局"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="北京市教育人民政府委财政公安卫生民政人力区县a 市\n", max_size=40))
def test_city_mentions_are_the_regex_matches(text):
    assert _city_mentions(text) == {m.group(1) + "市" for m in _CITY_MENTION.finditer(text)}
