"""Figures stated in the prose, wholes and their parts, and what the audit makes of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.domain.audit.findings import audit_document
from gongkai.domain.audit.model import ProseFigure, RawDocument
from gongkai.domain.audit.normalise import normalise
from gongkai.domain.audit.prose import cn_to_int, read_prose

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"


def doc_of(text: str):
    return normalise(RawDocument(name="t.txt", kind="text", text=text))


def sample_doc(n: int):
    return doc_of((SAMPLES / f"sample-0{n}.txt").read_text(encoding="utf-8"))


def figures(text: str) -> list[tuple[str, float, bool]]:
    return [(f.key, f.value, f.approximate) for f in read_prose(doc_of(text)).figures]


@pytest.mark.parametrize(
    ("s", "v"),
    [("五", 5), ("十三", 13), ("二十", 20), ("一百零五", 105), ("两千", 2000), ("三万", 30000), ("二〇二一", 2021)],
)
def test_chinese_numerals(s, v):
    assert cn_to_int(s) == v


def test_application_figures_with_their_keys():
    got = figures(
        "2021年度，新收到政府信息公开申请数量4件，上年结转政府信息公开申请0件；本机关不掌握相关政府信息3件，结转下年度继续办理0件。"
    )
    assert got == [
        ("applications_received", 4, False),
        ("applications_carried_over", 0, False),
        ("unable_not_held", 3, False),
        ("carry_forward", 0, False),
    ]


def test_chinese_numeral_figures():
    assert figures("全年共收到政府信息公开申请五件。") == [("applications_received", 5, False)]
    assert figures("全年共收到政府信息公开申请十三件。") == [("applications_received", 13, False)]


def test_approximate_figures_are_flagged():
    assert figures("全年公开信息1000余条。") == [("proactive_total", 1000, True)]
    assert figures("全年公开信息近300条。")[0][2] is True


def test_statements_of_nothing_are_zero_figures():
    got = figures("本年度无行政复议、行政诉讼情况发生，未收取信息处理费。")
    assert ("review_cases", 0, False) in got and ("litigation_cases", 0, False) in got and ("info_fee", 0, False) in got


def test_complaints_are_not_applications():
    # sample-03: 13 hotline complaints, no application
    got = figures("2021年12345民生服务热线共收到13封投诉信件，回复13件。")
    assert ("complaints_received", 13, False) in got
    assert not any(k == "applications_received" for k, _, _ in got)


def test_figure_positions_point_at_the_original():
    d = sample_doc(1)
    f = next(f for f in read_prose(d).figures if f.key == "unable_not_held")
    assert f.label == "本机关不掌握相关政府信息3件"
    assert d.original[f.span.original_start : f.span.original_end] == "本機關不掌握相關政府信息3件"


def test_sample01_whole_and_parts():
    st = read_prose(sample_doc(1)).statements
    assert [(s.kind, s.whole.value, [p.value for p in s.parts]) for s in st] == [("list", 200, [43, 56, 101])]
    assert [p.label for p in st[0].parts] == ["公告公示43条", "政务类信息56条", "工作动态101条"]


def test_sample02_parts_continue_into_the_next_sentence_and_the_subset_with_the_rest():
    st = read_prose(sample_doc(2)).statements
    lst, sub = st
    assert (lst.whole.value, [p.value for p in lst.parts], lst.extended) == (243, [127, 56, 60], True)
    assert (sub.kind, sub.whole.value, sub.parts[0].value, sub.rest.value) == ("subset", 5, 1, 4)
    assert sub.parts[0].key == "carry_forward"


def test_sample05_parts_that_make_the_whole_first():
    st = read_prose(sample_doc(5)).statements
    assert (st[0].whole.value, [p.value for p in st[0].parts], [p.value for p in st[0].dropped]) == (29, [20, 9], [20])
    assert st[1].kind == "subset" and st[1].whole.value == 20


def audit_of(text: str):
    return audit_document(doc_of(text))


def test_parts_exceeding_the_whole_are_an_error():
    rep = audit_of("全年主动公开政府信息共计200条，其中公告公示43条、政务类信息56条、工作动态102条。")
    f = [f for f in rep.findings if f.rule == "parts_sum_mismatch"]
    assert len(f) == 1 and f[0].severity == "error" and f[0].expected == 200 and f[0].actual == 201
    assert [s.text for s in f[0].spans][1:] == ["公告公示43条", "政务类信息56条", "工作动态102条"]


def test_parts_short_of_the_whole_are_only_a_hint():
    rep = audit_of("全年主动公开政府信息共计200条，其中公告公示43条、政务类信息56条。")
    f = [f for f in rep.findings if f.rule == "parts_sum_mismatch"]
    assert len(f) == 1 and f[0].severity == "info"


def test_subset_and_rest_that_do_not_make_the_whole():
    rep = audit_of("共收到各类政府信息公开申请5件，其中1件结转下年度继续办理，其余3件均予以答复。")
    f = [f for f in rep.findings if f.rule == "parts_sum_mismatch"]
    assert len(f) == 1 and f[0].expected == 5 and f[0].actual == 4


def test_approximate_wholes_are_never_checked():
    rep = audit_of("全年公开信息1000余条，其中政策文件10条、工作动态20条。")
    assert not [f for f in rep.findings if f.rule == "parts_sum_mismatch"]


def test_prose_against_table3():
    header = "某某县教育局2021年政府信息公开工作年度报告\n一、总体情况\n2021年共收到政府信息公开申请5件。\n三、收到和处理政府信息公开申请情况\n"
    rows = "\n".join(
        [
            "一、本年新收政府信息公开申请数量\t4\t0\t0\t0\t0\t0\t4",
            "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0",
            "（一）予以公开\t4\t0\t0\t0\t0\t0\t4",
            "（七）总计\t4\t0\t0\t0\t0\t0\t4",
            "四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0",
        ]
    )
    rep = audit_of(header + rows)
    f = [f for f in rep.findings if f.rule == "prose_table_mismatch"]
    assert len(f) == 1 and f[0].severity == "error" and (f[0].expected, f[0].actual) == (4, 5)
    assert f[0].cells == ("table_3.new_received.total",)
    assert f[0].spans[0].text.endswith("申请5件")


def test_fee_amounts_and_completed_applications():
    got = figures("本年度办结申请12件。共收取信息处理费200元。")
    assert ("applications_completed", 12, False) in got and ("info_fee", 200, False) in got


def test_prose_figures_are_the_shared_model_with_approximation_unit_and_place():
    text = "本年度共收到政府信息公开申请1000余件，其中5件结转下年度办理。未收取信息处理费。"
    figures = read_prose(doc_of(text)).figures
    assert {type(f) for f in figures} == {ProseFigure}
    received = next(f for f in figures if f.key == "applications_received")
    assert (received.value, received.approximate, received.unit) == (1000, True, "件")
    assert text[received.start : received.end] == "1000余件"
    fee = next(f for f in figures if f.key == "info_fee")
    assert (fee.value, fee.approximate, fee.unit) == (0, False, "")
    assert ProseFigure("figure", 3, received.span).approximate is False
