"""Normalisation: simplified characters, half-width digits, residue removed, offsets exact."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.audit.model import RawDocument, SourceTable
from gongkai.domain.audit.normalise import MACHINE_WORDS, normalise

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"
TONED_PINYIN = re.compile(r"[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")


def sample(n: int) -> str:
    return (SAMPLES / f"sample-0{n}.txt").read_text(encoding="utf-8")


def doc_of(text: str):
    return normalise(RawDocument(name="t.txt", kind="text", text=text))


def assert_offsets_sound(d) -> None:
    assert len(d.offsets) == len(d.text) + 1
    assert d.offsets[-1] == len(d.original)
    assert all(a <= b for a, b in zip(d.offsets, d.offsets[1:]))


# -- the samples --------------------------------------------------------------------------------


def test_sample01_traditional_becomes_simplified_and_points_back_to_the_traditional_original():
    d = doc_of(sample(1))
    assert d.traditional
    assert d.text.startswith("无锡市梁溪区教育局2021年政府信息公开工作年度报告")
    i = d.text.index("共计200条")
    span = d.span(i, i + len("共计200条"))
    assert span.text == "共计200条"
    assert d.original[span.original_start : span.original_end] == "共計200條"
    assert_offsets_sound(d)


def test_sample01_t2s_keeps_mainland_wording_that_tw2sp_would_rewrite():
    # the reason for t2s: tw2sp rewrites 文件 -> 文档 and 程序 -> 进程, breaking labels
    text = sample(1)
    assert "文档" in opencc.OpenCC("tw2sp").convert(text)
    d = doc_of(text)
    assert "文档" not in d.text and "一系列文件" in d.text and "工作程序" in d.text


def test_sample02_pipe_runs_and_stray_pipes_go():
    d = doc_of(sample(2))
    assert "|" not in d.text
    assert d.text.startswith("您现在的位置: 首页\n")
    assert "乐清市教育局2021年政府信息公开工作年度报告" in d.text
    assert_offsets_sound(d)


def test_sample03_markdown_bold_goes_and_tables_stay_tab_separated():
    d = doc_of(sample(3))
    assert "**" not in d.text
    assert "二是强化政策解读。按照" in d.text
    assert "规章\t0\t0\t3" in d.text
    assert d.repairs["markdown_emphasis"] == 16


def test_sample04_pinyin_residue_and_machine_words_are_repaired():
    d = doc_of(sample(4))
    assert d.machine_converted and d.traditional
    assert "(guān)" not in d.text and TONED_PINYIN.search(d.text) is None
    assert d.repairs["pinyin_residue"] >= 340
    assert "依据《中华人民共和国政府信息公开条例》" in d.text  # 當(dāng)局 -> 政府
    assert "由XX教育局办公室编制" in d.text  # 教導(dǎo) -> 教育
    assert "二、主动公开信息情况" in d.text  # 環(huán)境 -> 情况
    assert "本年度报告是依据" in d.text  # 申報 -> 报告
    i = d.text.index("政府信息公开条例")
    span = d.span(i, i + 2)
    assert d.original[span.original_start : span.original_end] == "當(dāng)局"
    assert_offsets_sound(d)


def test_machine_words_apply_only_to_machine_converted_text():
    # 环境 is a word of its own in an ordinary report; only a bad conversion gets the table
    d = doc_of("我局改善了办公环境，当局一词也不改。")
    assert not d.machine_converted
    assert "环境" in d.text and "当局" in d.text
    assert set(MACHINE_WORDS) >= {"当局", "教导", "环境"}


def test_sample05_ideographic_space_becomes_a_space():
    d = doc_of(sample(5))
    assert "\u3000" not in d.text
    assert d.text.startswith("2018年度溪湖区教育局政府信息公开报告")


# -- single repairs -------------------------------------------------------------------------------


def test_full_width_digits_and_letters_become_half_width_but_label_punctuation_stays():
    d = doc_of("２０２１年（一）予以公开：３件，ＡＢＣ％")
    assert d.text == "2021年（一）予以公开：3件，ABC%"


def test_html_entities_zero_width_and_crlf():
    d = doc_of("规章&nbsp;0\u200b\r\n行政许可&amp;nbsp;1\r\n")
    assert d.text == "规章 0\n行政许可 1\n"
    i = d.text.index(" ")
    assert d.original[d.span(i, i + 1).original_start : d.span(i, i + 1).original_end] == "&nbsp;"


def test_markdown_table_rows_become_tab_separated_cells():
    d = doc_of("| 信息内容 | 本年制发件数 |  |\n|---|---|---|\n| 规章 | 0 | 3 |\n正文")
    assert d.text == "信息内容\t本年制发件数\t\n\n规章\t0\t3\n正文"
    i = d.text.index("规章")
    assert d.original[d.span(i, i + 2).original_start : d.span(i, i + 2).original_end] == "规章"


def test_page_headers_and_footers_inside_a_table_go():
    d = doc_of("规章\t0\t0\t3\n第 2 页 共 5 页\n- 3 -\n行政规范性文件\t3\t1\t8")
    assert d.text == "规章\t0\t0\t3\n\n\n行政规范性文件\t3\t1\t8"


def test_markdown_heading_marks_go():
    assert doc_of("## 一、总体情况\n正文").text == "一、总体情况\n正文"


def test_source_tables_are_remapped_and_converted():
    text = "標題\n規章\t0\t3\n"
    raw = RawDocument(
        name="t", kind="html", text=text, tables=(SourceTable(rows=(("規章", "0", "3"),), start=3, end=9),)
    )
    d = normalise(raw)
    assert d.tables[0].rows == (("规章", "0", "3"),)
    assert d.text[d.tables[0].start : d.tables[0].end] == "规章\t0\t3"


def test_lines_carry_their_offsets():
    d = doc_of("甲\n\n乙丙\n")
    assert [(ln.start, ln.end, ln.text) for ln in d.lines] == [(0, 1, "甲"), (2, 2, ""), (3, 5, "乙丙"), (6, 6, "")]


# -- the offset map is exact ------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "國",
        "開",
        "學",
        "報",
        "條",
        "區",
        "數",
        "申",
        "请",
        "件",
        "条",
        "年",
        "的",
        "０",
        "７",
        "3",
        "a",
        " ",
        "，",
        "。",
        "\n",
        "\t",
        "(guān)",
        "（dǎo）",
        "|||",
        "||||||",
        "**",
        "&nbsp;",
        "\u3000",
        "\u200b",
        "\r\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60), st.data())
def test_every_span_points_at_the_original_it_came_from(pieces, data):
    original = "".join(pieces)
    d = doc_of(original)
    assert_offsets_sound(d)
    if not d.text:
        return
    a = data.draw(st.integers(0, len(d.text) - 1))
    b = data.draw(st.integers(a + 1, len(d.text)))
    span = d.span(a, b)
    assert span.text == d.text[a:b]
    # the original stretch, normalised on its own, gives back the normalised stretch
    again = doc_of(d.original[span.original_start : span.original_end]).text
    if not d.machine_converted:
        assert again == d.text[a:b]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_normalise_never_raises_and_keeps_the_map_sound(text):
    d = doc_of(text)
    assert_offsets_sound(d)
    for i in range(0, len(d.text), 7):
        s = d.span(i, min(i + 5, len(d.text)))
        assert 0 <= s.original_start <= s.original_end <= len(d.original)
