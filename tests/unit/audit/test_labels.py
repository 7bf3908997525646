"""Tolerant label matching: garbled labels land on the right row, deviations are noticed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.audit import labels as L


@pytest.mark.parametrize(
    ("written", "cleaned"),
    [
        ("(二) 部分公开(区公处理的, 不计这一情形, 不计其他情形)", "部分公开区公处理的不计这一情形不计其他情形"),
        ("三、本年度办理结果", "本年度办理结果"),
        ("1. 属于国家秘密", "属于国家秘密"),
        ("3.危及“三安全一稳定”", "危及三安全一稳定"),
        ('3. 危及"三安全一稳定"', "危及三安全一稳定"),
        ("本年收费金额（单位：万元）", "本年收费金额单位万元"),
    ],
)
def test_clean(written, cleaned):
    assert L.clean(written) == cleaned


def test_numbering():
    assert L.numbering("(六) 其他处理") == ("paren", 6)
    assert L.numbering("（七）总计") == ("paren", 7)
    assert L.numbering("2. 申请人") == ("arabic", 2)
    assert L.numbering("四、结转下年度继续办理") == ("cn", 4)
    assert L.numbering("规章") is None


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("(本列数据的勾稽关于人：第一项加第二项之和，等于第三项加第四项之和)", "row_header_note"),
        ("(二) 部分公开(区公处理的, 不计这一情形, 不计其他情形)", "partially_granted"),
        ("4. 无正当理由大理反复申请", "not_processed_excessive"),
        ("(三) 不予以公开", "withheld"),  # （一）予以公开 scores the same: the numbering decides
        ("2. 申请人逾期未按要求缴纳费用，行政机关不再处理其政府信息公开申请", "other_fee_unpaid"),
        ("1. 本机关不掌握相关政府信息", "unable_not_held"),
        ("四、结转下年度继续办理", "carry_forward"),
        ("自然人", "natural_person"),
        ("法人或其他组织", "legal_person_or_other_org"),
    ],
)
def test_garbled_table3_labels_land_on_the_right_key(written, key):
    m = L.table3_vocabulary("2021").match(written)
    assert m is not None and m.key == key


def test_table2_labels_of_sample03():
    cols = L.table2_columns("2021", "art20_1")
    assert cols.match("本年度止件数", ("column",)).key == "repealed"
    assert cols.match("本年制发件数", ("column",)).key == "made"
    rows = L.table2_vocabulary("2021")
    assert rows.match("规范性文件", ("row",)).key == "art20_1.normative_documents"
    assert rows.match("行政事业性收费", ("row",)).key == "art20_8.administrative_fees"


def test_other_handling_is_a_data_row_in_2019_only():
    v19, v21 = L.table3_vocabulary("2019"), L.table3_vocabulary("2021")
    assert v19.match("（六）其他处理").key == v21.match("（六）其他处理").key == "other_handling"
    assert v21.match("3.其他", ("row",)).key == "other_other"
    m = v19.match("3.其他", ("row",))
    assert m is None or m.key != "other_other"
    assert "other_other" not in v19.by_key


def test_nothing_matches_unrelated_text():
    assert L.table3_vocabulary("2021").match("今天天气很好，适合出游") is None


def test_deviation_ignores_numbering_punctuation_and_quotes_only():
    assert not L.deviates("(一) 予以公开", "（一）予以公开")
    assert not L.deviates('3. 危及"三安全一稳定"', "3.危及“三安全一稳定”")
    assert L.deviates("本年度止件数", "本年废止件数")
    assert L.deviates("规范性文件", "行政规范性文件")
    assert L.deviates("(三) 不予以公开", "（三）不予公开")


def test_similarity_and_levenshtein():
    assert L.levenshtein("大理反复申请", "大量反复申请") == 1
    assert L.similarity("abc", "abc") == 1.0
    assert L.similarity("", "") == 1.0
    assert 0.8 < L.similarity("本年度止件数", "本年废止件数") < 0.9


def _edit_distance(a: str, b: str) -> int:
    """The textbook dynamic programme, to hold the bit-vector levenshtein to."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet="ab本年度废止件数", max_size=24) | st.text(max_size=80),
    st.text(alphabet="ab本年度废止件数", max_size=24) | st.text(max_size=80),
)
def test_levenshtein_is_the_edit_distance(a, b):
    assert L.levenshtein(a, b) == _edit_distance(a, b) == L.levenshtein(b, a)


def test_levenshtein_of_long_labels():
    a = "不予处理（无正当理由大量反复申请，不计本年度已办结申请）" * 3
    b = "不予处理（无正当理由大理反复申请，不计入本年度已办结的申请）" * 2
    assert L.levenshtein(a, b) == _edit_distance(a, b)


def test_old_statistics_labels():
    v = L.old_stats_vocabulary()
    assert v.match("主动公开政府信息数").key == "proactive_published"
    assert v.match("政府信息公开行政复议数").key == "review_cases"
