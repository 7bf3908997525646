"""The floor of the degradation harness (tests/unit/audit/floor.py): which cells of a damaged report
no reader can determine, computed from the truth and the damage, never from the reader."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from tests.unit.audit import degrade as D
from tests.unit.audit import floor as F


def test_a_glued_run_cuts_into_printed_figures_only():
    # a figure is printed without a leading zero: 04 is never a cell
    assert sorted(F._splits("1204", ("int", "int", "int"))) == [(1, 20, 4), (12, 0, 4)]
    # a minus sign only where a signed column is (本年增/减), never inside a count
    assert list(F._splits("0-29", ("int", "signed", "int"))) == [(0, -2, 9)]
    # a cell no rule reads (本年增/减, 2019) may hold the blank mark "-" instead
    assert sorted(F._splits("1-50", ("int", "signed+mark", "int")), key=str) == [(1, "-", 50), (1, -5, 0)]
    # a decimal amount keeps its decimals; the count before it takes any length
    assert list(F._splits("3426.1", ("int", "decimal"))) == [
        (3, Decimal("426.1")),
        (34, Decimal("26.1")),
        (342, Decimal("6.1")),
    ]


def test_undamaged_kinds_have_no_floor():
    for kind in ("none", "table_spaces", "ocr", "t4_split", "html"):
        assert F.floor(kind, 3).undecidable == set()


def test_lost_cell_spaces_seed_2_only_the_third_group_is_undecidable():
    # table 四 printed 1 0 0 0 1 | 0 1 0 0 1 | 0 3 2 0 5 and one 0 of the third group lost: every
    # reading consistent with the group totals differs only in the third group
    fl = F.floor("lost_cell_spaces", 2)
    assert fl.computed and fl.alternatives >= 2
    assert fl.undecidable == {
        "table_4.litigation_after_review_corrected",
        "table_4.litigation_after_review_other",
        "table_4.litigation_after_review_pending",
        "table_4.litigation_after_review_total",
    }
    assert fl.values["table_4.litigation_after_review_total"] == {5, 10}  # 0 3 2 5 | 10: the total lost
    assert fl.values["table_4.review_maintained"] == {1}


def test_one_line_seed_0_table_2_row_glued_has_no_rule_to_cut_it():
    # 规范性文件 165 193 4 printed 1651934: 本年制发/废止/现行有效 share no rule of the year
    fl = F.floor("one_line", 0)
    row = "table_2.art20_1.normative_documents."
    assert fl.undecidable == {row + "made", row + "repealed", row + "in_force"}
    assert {165, 16, 1651} <= fl.values[row + "made"]
    assert not any(p.startswith(("table_3", "table_4")) for p in fl.undecidable)


def test_every_alternative_is_verified_and_the_truth_is_among_the_values():
    for kind, seed in (("lost_cell_one_line", 2), ("table_glued", 1), ("lost_cell", 2), ("one_line_ocr", 5)):
        content = D.random_content(seed)
        fl = F.floor(kind, seed)  # raises when an alternative breaks a rule or prints another text
        for path, value in D._leaves(dict(content.tables)):
            assert any(D._same(v, value) for v in fl.values[path] if v != F.MARK), (kind, seed, path)


def test_judge_counts_missed_and_guessed_cells():
    content = D.random_content(2)
    fl = F.floor("lost_cell_spaces", 2)
    read_all = SimpleNamespace(tables=content.tables)
    j = F.judge(content, read_all, fl)
    assert j.undecidable == 4 and len(j.guessed) == 4 and not j.missed  # a value on an undecidable cell: a guess
    tables = {**content.tables, "table_4": {k: None for k in content.tables["table_4"]}}
    j = F.judge(content, SimpleNamespace(tables=tables), fl)
    assert not j.guessed and len(j.missed) == 11  # the two groups every reading agrees on were left open
    assert j.right_decidable == j.decidable - 11


# -- the reader against the floor ------------------------------------------------------------------

HARD_CASES = [
    # table 四 with spaces, one 0 of 复议后起诉 lost: the first two groups read, the third named
    ("lost_cell_spaces", 2),
    # table 三 with spaces, （一）予以公开 "9 0 0 0 0 13" one figure short: the column rules pin the 4
    ("lost_cell_spaces", 31),
    # table 四 one run of digits, a figure lost: 10001010010325 cut one figure short every way
    ("lost_cell_one_line", 2),
    # table 三 one line, a row that lost a figure still splits keeping its total: the column rules
    # break, and exactly one lost figure in one row is what reads the table back
    ("lost_cell_one_line", 7),
    # table 二 glued: 9900 under 本年新制作/本年新公开/对外公开总数 is 99, 0, 0 (新公开 <= 总数)
    ("one_line", 100),
    # table 二 glued: 198-20 is 198, -2, 0 or 198, "-", 20 (a blank mark), never 1, 98, -20
    ("one_line", 15),
]


@pytest.mark.parametrize(("kind", "seed"), HARD_CASES)
def test_hard_cases_every_decidable_cell_read_and_no_undecidable_one(kind, seed):
    score, judged, _ = F.run_case(kind, seed)
    assert score.wrong == [] and score.false_findings == []
    assert judged.missed == [] and judged.guessed == []
    assert score.open == score.named == judged.undecidable  # every open cell named with its candidates


@pytest.mark.parametrize("kind", sorted(F.FLOOR_KINDS))
def test_the_reader_reaches_the_floor(kind):
    total = F.Judged()
    for seed in range(20):
        total.add(F.run_case(kind, seed)[1])
    assert total.guessed == [], total.guessed[:3]
    assert total.missed == [], total.missed[:3]
