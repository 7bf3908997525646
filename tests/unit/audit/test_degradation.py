"""The degradation harness in the test suite: generated consistent reports, damaged the way the
world damages them, read back (see ``degrade.py``; the benchmark runs thousands).

Whatever the damage: no WRONG value (a cell is right or left open), no false finding (nothing
untrue of the report: no missing part that is there, no inconsistency that is not), and on an
undamaged report (text, Markdown, HTML) no finding at all and every cell right. The share of
cells read is held at what the reader reaches today, per damage kind, so it cannot slip back.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.domain.audit import audit_bytes, clear_caches
from tests.unit.audit import degrade as D

CASES = 30  # per kind: ~700 reports

# cells right (%) per damage kind, a little under what the reader reaches on 40+ seeds
FLOOR = {
    "none": 100.0,
    "markdown": 100.0,
    "html": 100.0,
    "docx": 100.0,
    "table_spaces": 100.0,
    "traditional": 100.0,
    "renumbered": 100.0,
    "prose_sections": 100.0,
    "one_line": 97.0,
    "table_glued": 97.0,
    "footers": 99.5,
    "lost_cell": 99.0,
    "t4_split": 99.5,
    "ocr": 99.5,
    "t3_subtotal": 99.5,
    "t4_transposed": 100.0,
    "t4_transposed_spaces": 100.0,
    "one_line_ocr": 97.0,
    "one_line_traditional": 97.0,
    "spaces_ocr": 99.5,
    "lost_cell_one_line": 96.0,
    "lost_cell_spaces": 98.5,
}


@pytest.mark.parametrize("kind", [*D.DAMAGES, *D.RENDERINGS])
def test_degraded_reports_are_read_right_or_left_open(kind):
    clear_caches()
    total = D.Score()
    for seed in range(3 if kind == "docx" else CASES):  # writing a Word file takes seconds
        total.add(D.run_case(kind, seed))
    assert total.wrong == [], total.wrong[:5]
    assert total.false_findings == [], total.false_findings[:5]
    assert total.findings_undamaged == [], total.findings_undamaged[:5]
    assert 100.0 * total.right / total.cells >= FLOOR[kind], (kind, total.right, total.cells)
    # a cell left open names its written value among its candidates (a figure lost from a glued
    # run too: the readings with one figure lost are named beside the whole ones)
    honest = 100.0 * (total.right + total.named) / total.cells
    assert honest >= HONEST_FLOOR.get(kind, 99.5), (kind, total.right, total.named, total.cells)


HONEST_FLOOR: dict[str, float] = {}


def test_generated_reports_are_consistent_and_complete():
    """The harness itself: the generator's tables pass every rule of their format."""
    from gongkai.domain.consistency import audit as run_rules

    for seed in range(20):
        content = D.random_content(seed)
        result = run_rules(content.fmt, dict(content.tables))
        assert not [r for r in result.rules if r.status == "failed"], seed


SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "samples"


@pytest.mark.skipif(not (SAMPLES / "derived" / "sample-03-one-line.txt").exists(), reason="samples not present")
def test_one_line_sample_03_reads_the_tables_of_sample_03():
    """sample-03 with every line break and tab removed: every section is found (no false
    missing_section), and every cell is read as sample-03 itself gives it."""
    lines = audit_bytes((SAMPLES / "sample-03.txt").read_bytes(), "sample-03.txt")
    flat = audit_bytes((SAMPLES / "derived" / "sample-03-one-line.txt").read_bytes(), "sample-03-one-line.txt")
    rules = {f.rule for f in flat.findings}
    assert not rules & {"missing_section", "missing_table", "year_unknown"}
    want = dict(D._leaves(json.loads(json.dumps(lines.tables))))
    got = dict(D._leaves(json.loads(json.dumps(flat.tables))))
    wrong = [k for k, v in got.items() if v is not None and want.get(k) != v]
    assert wrong == []
    assert sum(1 for k, v in want.items() if v is not None and got.get(k) == v) == 200  # every cell
    # the agency from the title run into the text; the same findings as the report with its lines
    assert flat.agency == lines.agency == "尖扎县教育局"
    assert [f.rule for f in flat.findings] == [f.rule for f in lines.findings]


def _with_regulations(agency: str) -> bytes:
    content = D.random_content(11, year=2021)
    tables = {**content.tables, "table_2": {**content.tables["table_2"]}}
    tables["table_2"]["art20_1"] = {
        **tables["table_2"]["art20_1"],
        "regulations": {"made": 0, "repealed": 0, "in_force": 2},
    }
    content = D.ReportContent(agency, 2021, tables, sections=dict(content.sections))
    return D.as_text(D.blocks(content)).encode()


def test_a_county_bureau_reporting_regulations_is_implausible():
    rep = audit_bytes(_with_regulations("某某县教育局"), "county.txt")
    f = [f for f in rep.findings if f.rule == "implausible_regulations"]
    assert len(f) == 1 and f[0].actual == {"in_force": 2} and f[0].cells == ("table_2.art20_1.regulations.in_force",)
    assert "不能制定规章" in f[0].message and f[0].spans  # points at the figure


def test_governments_that_make_regulations_are_not_flagged():
    for agency in ("某某市人民政府", "某某自治区人民政府"):
        rep = audit_bytes(_with_regulations(agency), "city.txt")
        assert "implausible_regulations" not in {f.rule for f in rep.findings}, agency


def _report_text(problems: str, other: str = "本年度未收取信息处理费。") -> bytes:
    content = D.random_content(12, year=2021)
    sections = {**content.sections, "problems": problems, "other": other}
    content = D.ReportContent(content.agency_name, 2021, content.tables, sections=sections)
    return D.as_text(D.blocks(content)).encode()


def test_an_empty_section_and_a_doubled_word_are_noticed():
    rep = audit_bytes(_report_text("", other="本年度专项资金资金使用情况已另行公开。"), "typo.txt")
    doubled = [f for f in rep.findings if f.rule == "doubled_word"]
    assert [(f.actual, f.severity) for f in doubled] == [("资金资金", "info")]
    assert rep.text[doubled[0].spans[0].start : doubled[0].spans[0].end] == "资金资金"
    empty = [f for f in rep.findings if f.rule == "empty_section"]
    assert [f.expected for f in empty] == ["五、存在的主要问题及改进情况"]


def test_numerals_and_one_line_headings_are_not_taken_for_mistakes():
    # 二〇二〇 is a year, not a doubled word; a one-line copy runs the heading into its text
    rep = audit_bytes(_report_text("二〇二〇年以来公开工作有待加强。"), "fine.txt")
    assert not {f.rule for f in rep.findings} & {"doubled_word", "empty_section"}
    flat = D.DAMAGES["one_line"](D.blocks(D.random_content(12, year=2021)), D.random.Random(0))
    rep = audit_bytes(flat.encode(), "flat.txt")
    assert not {f.rule for f in rep.findings} & {"doubled_word", "empty_section"}


def test_a_table_is_placed_under_the_heading_that_reads_it_not_the_first_of_its_kind():
    # the author's prose sections 二、主动公开工作情况 and 三、依申请公开工作情况 come before the
    # table sections 四、主动公开政府信息情况 and 五、收到和处理…: the first headings of their kind
    content = D.random_content(5, year=2021)
    data = D.DAMAGES["prose_sections"](D.blocks(content), D.random.Random(0)).encode()
    rep = audit_bytes(data, "prose.txt")
    assert not {f.rule for f in rep.findings} & {"missing_table", "missing_section", "unmatched_row"}
    assert rep.sections["proactive"].text.startswith("四、主动公开政府信息情况")
    assert rep.sections["applications"].text.startswith("五、收到和处理政府信息公开申请情况")
    assert D.score(content, rep, undamaged=False).right == D.score(content, rep, undamaged=False).cells


def test_parts_renumbered_or_out_of_order_are_said_once():
    # the format's outline: 一 总体情况 … 六 其他需要报告的事项, in this order (国办公开办函〔2021〕30号)
    content = D.random_content(6, year=2021)
    rep = audit_bytes(D.DAMAGES["renumbered"](D.blocks(content), D.random.Random(0)).encode(), "r.txt")
    (f,) = [f for f in rep.findings if f.rule == "section_numbering"]
    assert f.severity == "info" and f.expected == ["二", "三", "四", "五", "六"] and f.actual == list("三四五六七")
    bs = D.blocks(content)
    at = {b.text[:2]: i for i, b in enumerate(bs) if b.kind == "heading"}
    four, five, six = at["四、"], at["五、"], at["六、"]
    swapped = [*bs[:four], *bs[five:six], *bs[four:five], *bs[six:]]  # 五 written before 四
    rep = audit_bytes(D.as_text(swapped).encode(), "o.txt")
    order = [f for f in rep.findings if f.rule == "section_order"]
    assert len(order) == 1 and order[0].severity == "warning"
    assert order[0].actual[3:5] == ["五、存在的主要问题及改进情况", "四、政府信息公开行政复议、行政诉讼情况"]
    assert "section_numbering" not in {f.rule for f in rep.findings}
