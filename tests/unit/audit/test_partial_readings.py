"""A row the reader cannot settle whole: what it may still read, and how it says the rest.

Issue 15: never a wrong value, and where a cell stays open the finding names its candidate
values. The cases are written from the format's rules (table 四: each group's 总计 is the sum of
its four results; table 三: 一+二 = 三（七）总计 + 四, 三（七） = the sum of the outcomes)."""

from __future__ import annotations

from gongkai.domain.audit.model import CERTAINTY_LABELS, certainty_of
from gongkai.domain.audit.tables.rows import RowReading, _candidates, _signed_readings
from tests.unit.audit.test_tables import audited, report

T4 = [((0, 1, 2, 3), 4), ((5, 6, 7, 8), 9), ((10, 11, 12, 13), 14)]


def test_a_row_whose_readings_agree_on_some_cells_reads_those_only():
    rr = RowReading([(0, 1, 2), (0, 1, 3), (0, 4, 2)], [])
    assert rr.agreed() == (0, None, None)
    assert RowReading([(1, 2), (2, 1)], []).agreed() is None  # nothing agreed: nothing read
    assert RowReading([(1, 2)], []).agreed() is None  # one reading is not "agreement": it is the reading


def test_table4_tab_row_that_lost_a_cell_keeps_the_groups_it_cannot_have_shifted():
    # 行政复议 1 0 0 0 1 | 直接起诉 2 0 1 0 3 | 复议后起诉 1 0 0 0 1 with one 0 of the last group lost:
    # a gap in the first two groups breaks their 总计 (or makes a count negative); a gap in the
    # last group is what its 总计 makes it: (0,1,0,0,1), (1,0,0,0,1) or (1,0,0,1,2)
    cells = ["1", "0", "0", "0", "1", "2", "0", "1", "0", "3", "1", "0", "0", "1"]
    _, rep = audited(report(t4="\t".join(cells)))
    t4 = rep.tables["table_4"]
    assert list(t4.values()) == [1, 0, 0, 0, 1, 2, 0, 1, 0, 3, None, None, 0, None, None]
    f = [f for f in rep.findings if f.rule == "ambiguous_cells" and f.cells and f.cells[0].startswith("table_4")]
    assert len(f) == 1 and f[0].certainty == "unsure"
    assert f[0].actual == {
        "table_4.litigation_after_review_maintained": [0, 1],
        "table_4.litigation_after_review_corrected": [0, 1],
        "table_4.litigation_after_review_pending": [0, 1],
        "table_4.litigation_after_review_total": [1, 2],
    }
    assert "复议后起诉·总计：1或2" in f[0].message


def test_a_signed_figure_glued_in_table2_is_enumerated_not_dropped():
    # 行政许可 上一年项目数量 0, 本年增/减 -5, 处理决定数量 209 written without separators
    assert _signed_readings(["0-5209"], 3) == [(0, -5, 209), (0, -520, 9), (0, None, 5209)]
    assert _signed_readings(["038.06"], 2) == [(0, 38.06)]  # the decimals end the last figure
    readings, as_written, _ = _candidates(("0-55",), 3, False, (), True)
    assert not as_written and set(readings) == {(0, -5, 5), (0, None, 55)}


def test_the_lost_cell_in_a_glued_table3_is_never_read_as_a_wrong_row():
    # one figure of the 总计 row lost in a one-line copy (the degradation benchmark's seed 181):
    # its digits still split into a row keeping its own total, but table 三's columns cannot hold
    # with the other rows, whichever of their readings. Taking exactly one figure as lost in one
    # row (cut one figure short, the lost one what the row's total makes it), only the 总计 row
    # can have lost it and the column rules then pin the whole table: read, and said so, with the
    # row the figure was lost from named for a look at the original
    import json

    from tests.unit.audit import degrade as D

    content, name, data = D.case("lost_cell_one_line", 181)
    from gongkai.domain.audit import audit_bytes

    rep = audit_bytes(data, name)
    got = dict(D._leaves(json.loads(json.dumps(rep.tables))))
    for path, value in D._leaves(dict(content.tables)):
        assert got.get(path) is None or D._same(got[path], value), path
    assert all(got[f"table_3.{p}"] is not None for p, _ in D._leaves(dict(content.tables["table_3"])))
    (lost,) = [f for f in rep.findings if f.rule == "ambiguous_cells" and "转换中丢失" in f.message]
    assert "“（七）总计”" in lost.message and all(c.startswith("table_3.results_total.") for c in lost.cells)
    assert not [f for f in rep.findings if f.rule == "unreadable_cells"]


def test_every_finding_says_how_sure_it_is():
    _, rep = audited(report(t4="\t".join(["1"] + ["0"] * 14)))  # 行政复议 总计 0 with 1 维持: broken
    assert rep.findings and all(f.certainty in CERTAINTY_LABELS for f in rep.findings)
    assert all("certainty" in f.to_json() for f in rep.findings)
    assert certainty_of("t4_review_total") == "certain"
    assert certainty_of("ambiguous_cells") == "unsure" and certainty_of("doubled_word") == "likely"
    assert certainty_of("parts_sum_mismatch", "error") == "certain"
    assert certainty_of("parts_sum_mismatch", "info") == "likely"


def test_a_spaced_table4_row_short_of_a_figure_reads_what_every_lost_figure_leaves_alike():
    # 行政复议 1 0 0 0 1 | 直接起诉 0 0 0 0 0 | 复议后起诉 0 2 0 0 2 written with spaces, the 2 of
    # 复议后起诉·结果纠正 lost: the figure may have been lost anywhere, each place giving it what its
    # group's 总计 makes it; only places in 复议后起诉 keep every 总计, so the first two groups are
    # read and the third named with its candidates (never a value the text cannot prove)
    cells = ["1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "0", "2"]
    _, rep = audited(report(t4=" ".join(cells)))
    t4 = list(rep.tables["table_4"].values())
    assert t4[:10] == [1, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert t4[10:14] == [None] * 4 and t4[14] == 2  # every reading keeps the total 2
    (f,) = [f for f in rep.findings if f.rule == "ambiguous_cells" and f.cells[0].startswith("table_4")]
    assert f.actual["table_4.litigation_after_review_corrected"] == [0, 2]
    assert set(f.cells) == {
        f"table_4.litigation_after_review_{k}" for k in ("maintained", "corrected", "other", "pending")
    }


def test_a_glued_table3_wrong_as_written_is_not_read_into_another_table():
    # the author's own table 三 breaks its column rules (a row's 自然人 and 总计 one too high: the
    # row's total holds, the columns do not) and the copy lost every separator: taking one figure
    # as lost could make some reading consistent, but no cell is read otherwise than written, and
    # the finding says the readings rest on a lost figure and asks for a look at the original
    import copy
    import random

    from gongkai.domain.audit import audit_bytes
    from tests.unit.audit import degrade as D

    for seed in range(30):
        content = D.random_content(seed)
        tables = copy.deepcopy(dict(content.tables))
        key = random.Random(seed).choice([k for k in tables["table_3"] if k != "results_total"])
        tables["table_3"][key]["natural_person"] += 1
        tables["table_3"][key]["total"] += 1
        wrong = D.ReportContent(content.agency_name, content.year, tables, sections=content.sections)
        rep = audit_bytes(D._one_line(D.blocks(wrong), None).encode(), "wrong.txt")
        got = dict(D._leaves(rep.tables))
        for path, value in D._leaves(tables):
            assert got.get(path) is None or D._same(got[path], value), (seed, path)
        assert any("原表本身有误" in f.message or "勾稽关系不符" in f.message for f in rep.findings), seed


def test_a_glued_table_2_row_is_not_chosen_by_a_rule_an_author_may_break():
    """``9900`` under 本年新制发 / 本年新公开 / 对外公开总数量 (2019 format) reads 9, 90, 0 or 99, 0, 0 or
    9, 9, 00… Only t2_non_negative (an error: a count is never negative) may narrow such readings;
    t2_published_le_total is an inferred warning, and a report can break it, so it leaves both
    9, 90, 0 and 99, 0, 0 standing rather than pick one that may be wrong."""
    from gongkai.domain.audit.tables.rows import RowReading
    from gongkai.domain.audit.tables.table2 import _within_rules
    from gongkai.domain.report_format import format_for_year

    fmt = format_for_year(2019)
    both = RowReading([(9, 90, 0), (99, 0, 0)], [])
    assert _within_rules(both, fmt, "art20_1", "normative_documents").readings == [(9, 90, 0), (99, 0, 0)]
    negative = RowReading([(1, 98, -20), (19, 8, 20)], [])
    assert _within_rules(negative, fmt, "art20_1", "normative_documents").readings == [(19, 8, 20)]
