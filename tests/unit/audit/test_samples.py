"""The five development samples, end to end: values and findings checked by reading each file.

What each sample says (read by hand from ../shared/samples):

- sample-01 无锡市梁溪区教育局 2021, traditional characters; headings 二/三/四 with nothing under them;
  prose: 主动发布信息共计200条 = 公告公示43 + 政务类信息56 + 工作动态101; 新收申请4件; 上年结转0件;
  不掌握3件; 结转下年度0件; 未收取信息处理费.
- sample-02 乐清市教育局 2021, web chrome and | runs; sections 二/三/四 absent; 243条 = 127 + 56 + 60
  (the 60 in the next sentence); 收到申请5件, 其中1件结转, 其余4件答复; names 永嘉县发展和改革局.
- sample-03 尖扎县教育局 2021, tab tables: 表二 规章 0/0/3, 规范性文件 3/1/8, 行政许可 0, 行政处罚 0,
  行政强制 0, 行政事业性收费 0; 表三 and 表四 all zeros; garbled labels; 13 hotline letters.
- sample-04 XX教育局, 20××, bad machine conversion into traditional characters, old structure.
- sample-05 溪湖区教育局 (本溪市) 2018, old regulation, 公开信息1000余条, 诉求29件 = 民心网20 + 电话接访9.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.domain.audit import audit_bytes, audit_document, clear_caches, normalise
from gongkai.domain.audit.model import RawDocument
from gongkai.domain.report_format import load_formats

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"


def audit_sample(n: int):
    return audit_bytes((SAMPLES / f"sample-0{n}.txt").read_bytes(), f"sample-0{n}.txt")


def rules(rep) -> list[str]:
    return [f.rule for f in rep.findings]


def only(rep, rule: str):
    found = [f for f in rep.findings if f.rule == rule]
    assert len(found) == 1, [f.message for f in found]
    return found[0]


def figure(rep, key: str):
    return [f.value for f in rep.prose_figures if f.key == key]


# -- sample-01 ---------------------------------------------------------------------------------


def test_sample01():
    rep = audit_sample(1)
    assert (rep.format, rep.year, rep.agency) == ("2021", 2021, "无锡市梁溪区教育局")
    assert rep.tables == {}  # the headings are there, the tables are lost
    missing = [f for f in rep.findings if f.rule == "missing_table"]
    assert [f.cells for f in missing] == [("table_2",), ("table_3",), ("table_4",)]
    assert all("标题" in f.message and "没有任何内容" in f.message and f.severity == "error" for f in missing)
    assert (
        rep.original[missing[1].spans[0].original_start : missing[1].spans[0].original_end]
        == "三、收到和處理政府信息公開申請情況"
    )
    assert "missing_section" not in rules(rep)
    assert "parts_sum_mismatch" not in rules(rep)  # 200 = 43 + 56 + 101
    assert figure(rep, "proactive_total") == [200] and figure(rep, "part") == [43, 56, 101]
    assert figure(rep, "applications_received") == [4] and figure(rep, "unable_not_held") == [3]
    assert figure(rep, "carry_forward") == [0] and figure(rep, "applications_carried_over") == [0]
    assert figure(rep, "info_fee") == [0]
    assert "traditional_script" in rules(rep)
    assert set(rules(rep)) == {"missing_table", "traditional_script"}


# -- sample-02 ---------------------------------------------------------------------------------


def test_sample02():
    rep = audit_sample(2)
    assert (rep.format, rep.year, rep.agency) == ("2021", 2021, "乐清市教育局")
    assert rep.tables == {}
    sections = [f.expected for f in rep.findings if f.rule == "missing_section"]
    assert sections == [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
    # a missing part is one finding: its table goes with it (no second missing_table for one fact)
    missing = [f for f in rep.findings if f.rule == "missing_section"]
    assert [f.cells for f in missing] == [("table_2",), ("table_3",), ("table_4",)]
    assert all("全文也未找到表" in f.message for f in missing)
    assert "missing_table" not in rules(rep)
    other = only(rep, "other_agency")
    assert other.actual == "永嘉县发展和改革局" and other.severity == "warning"
    assert rep.original[other.spans[0].original_start : other.spans[0].original_end] == "永嘉县发展和改革局"
    assert "parts_sum_mismatch" not in rules(rep)  # 127 + 56 + 60 = 243; 1 + 4 = 5
    assert figure(rep, "part") == [127, 56, 60]
    assert figure(rep, "applications_received") == [5] and figure(rep, "carry_forward") == [1]
    assert "prose_table_mismatch" not in rules(rep)  # no table to check them against
    assert set(rules(rep)) == {"missing_section", "other_agency"}


# -- sample-03 ---------------------------------------------------------------------------------


def test_sample03_tables():
    rep = audit_sample(3)
    assert (rep.format, rep.year, rep.agency) == ("2021", 2021, "尖扎县教育局")
    t2 = rep.tables["table_2"]
    assert t2["art20_1"] == {
        "regulations": {"made": 0, "repealed": 0, "in_force": 3},
        "normative_documents": {"made": 3, "repealed": 1, "in_force": 8},
    }
    assert t2["art20_5"] == {"administrative_licensing": {"decisions": 0}}
    assert t2["art20_6"] == {"administrative_penalty": {"decisions": 0}, "administrative_coercion": {"decisions": 0}}
    assert t2["art20_8"] == {"administrative_fees": {"fee_amount": 0}}
    fmt = load_formats()["2021"]
    t3 = rep.tables["table_3"]
    assert set(t3) == {r.key for r in fmt.table_3.data_rows()}
    assert all(v == 0 for row in t3.values() for v in row.values())  # all zero, nothing null
    # the garbled rows landed on their keys
    assert t3["partially_granted"]["total"] == 0 and t3["not_processed_excessive"]["total"] == 0
    assert t3["other_fee_unpaid"]["total"] == 0
    assert rep.tables["table_4"] == {c.key: 0 for c in fmt.table_4.columns}


def test_sample03_findings():
    rep = audit_sample(3)
    # all-zero tables are consistent; 13 complaints are no applications; but a county education
    # bureau cannot make 规章, and it reports 3 in force (issue 15's plausibility example)
    assert set(rules(rep)) == {"label_deviation", "implausible_regulations"}
    regs = only(rep, "implausible_regulations")
    assert regs.severity == "warning" and regs.cells == ("table_2.art20_1.regulations.in_force",)
    assert regs.actual == {"in_force": 3} and "尖扎县教育局" in regs.message
    assert rep.findings[0] is regs  # a real problem ranks above the label hints
    hints = [f for f in rep.findings if f.rule == "label_deviation"]
    # one hint per table, ranked below real problems, every deviating label named with its official one
    assert [(f.cells[0].split(".")[0], f.severity) for f in hints] == [("table_2", "info"), ("table_3", "info")]
    deviations = {pair for f in hints for pair in zip(f.actual, f.expected)}
    assert ("本年度止件数", "本年废止件数") in deviations
    assert ("规范性文件", "行政规范性文件") in deviations
    assert ("4. 无正当理由大理反复申请", "4.无正当理由大量反复申请") in deviations
    assert ("(三) 不予以公开", "（三）不予公开") in deviations
    t3 = hints[1]
    by_written = dict(zip(t3.actual, zip(t3.expected, t3.cells)))
    note = next(w for w in t3.actual if "勾稽关于人" in w)
    assert by_written[note][0] == load_formats()["2021"].table_3.row_header_note
    partial = next(w for w in t3.actual if "区公处理的" in w)
    assert by_written[partial][1] == "table_3.partially_granted"
    split = next(w for w, (_, cell) in by_written.items() if cell == "table_3.other_fee_unpaid")
    assert split == "2. 申请人逾期未按要求缴纳费用，行政机关不再处理其政府信息公开申请"
    # the label was split over two lines: both places are among the hint's spans
    texts = [s.text for s in t3.spans]
    assert "2. 申请人逾期未按要求缴纳" in texts and "费用，行政机关不再处理其政府信息公开申请" in texts
    assert len(t3.actual) == 5 and len(hints[0].actual) == 2  # the seven deviations of the old output


def test_sample03_cells_point_at_their_text():
    rep = audit_sample(3)
    text = rep.text
    i = text.index("规范性文件\t3\t1\t8")
    assert text[i:].startswith("规范性文件")
    assert figure(rep, "complaints_received") == [13]


# -- sample-04 ---------------------------------------------------------------------------------


def test_sample04():
    rep = audit_sample(4)
    assert (rep.format, rep.year, rep.agency, rep.year_is_template) == ("pre2019", None, "XX教育局", True)
    assert rep.tables == {}
    tmpl = only(rep, "template_residue")
    assert tmpl.severity == "error" and "20××" in tmpl.message and "XX教育局" in tmpl.message
    assert {s.text for s in tmpl.spans} == {"20××", "XX"}
    conv = only(rep, "machine_conversion")
    assert conv.actual["pinyin_residue"] >= 340
    assert re.search(r"\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", rep.text) is None  # the residue is gone
    assert "(guān)" in rep.original and "(guān)" not in rep.text
    assert "old_regulation" in rules(rep) and "missing_section" not in rules(rep) and "missing_table" not in rules(rep)
    assert rep.old_stats is not None
    assert {
        k: rep.old_stats[k] for k in ("applications_received", "review_cases", "litigation_cases", "fees_collected")
    } == {
        "applications_received": 0,
        "review_cases": 0,
        "litigation_cases": 0,
        "fees_collected": 0,
    }
    assert set(rules(rep)) == {"template_residue", "machine_conversion", "old_regulation", "traditional_script"}


# -- sample-05 ---------------------------------------------------------------------------------


def test_sample05():
    rep = audit_sample(5)
    assert (rep.format, rep.year, rep.agency) == ("pre2019", 2018, "本溪市溪湖区教育局")
    assert rep.tables == {}
    assert rep.old_stats["proactive_published"] is None  # 1000余条 is not an exact figure
    assert rep.old_stats["proactive_published_at_least"] == 1000
    assert rep.old_stats["review_cases"] == 0 and rep.old_stats["litigation_cases"] == 0
    assert figure(rep, "appeals_received") == [29] and figure(rep, "part")[:2] == [20, 9]
    assert "parts_sum_mismatch" not in rules(rep)  # 29 = 20 + 9
    assert rules(rep) == ["old_regulation"]
    assert rep.to_json()["old_stats"] == rep.old_stats


# -- every sample --------------------------------------------------------------------------------


def test_every_span_of_every_finding_is_inside_both_texts():
    for n in range(1, 6):
        rep = audit_sample(n)
        for f in rep.findings:
            for s in f.spans:
                assert rep.text[s.start : s.end] == s.text
                assert 0 <= s.original_start <= s.original_end <= len(rep.original)


def test_the_previous_report_feeds_the_cross_year_rules():
    prev = audit_sample(3)
    cur = audit_document(
        normalise(RawDocument(name="c", kind="text", text=(SAMPLES / "sample-03.txt").read_text(encoding="utf-8"))),
        previous=prev,
    )
    assert "t3_carry_continuity" not in rules(cur)  # 0 carried over = 0 carried forward
    assert "previous_report_mismatch" in rules(cur)  # same year given as the previous one


# -- robustness ----------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_audit_of_arbitrary_text_never_raises(text):
    rep = audit_document(normalise(RawDocument(name="x", kind="text", text=text)))
    assert "reader_error" not in rules(rep)
    rep.to_json()


_REPORTISH = st.lists(
    st.sampled_from(
        [
            "一、总体情况",
            "三、收到和处理政府信息公开申请情况",
            "四、结转下年度继续办理",
            "（六）其他处理",
            "2021年",
            "20××年",
            "\t",
            "\n",
            " ",
            "0",
            "7",
            "640020470",
            "0010126477",
            "其中",
            "共计200条",
            "，",
            "。",
            "申请5件",
            "结转下年度1件",
            "无行政复议",
            "XX教育局",
            "第二十条第（一）项",
            "信息内容",
            "规章",
            "本年制发件数",
            "总计",
            "行政复议",
            "結果維持",
            "(guān)",
            "|||",
            "**",
        ]
    ),
    max_size=80,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_REPORTISH)
def test_audit_of_report_like_junk_never_raises(pieces):
    rep = audit_document(normalise(RawDocument(name="x", kind="text", text="".join(pieces))))
    assert "reader_error" not in rules(rep)
    rep.to_json()


def test_binary_junk_and_a_large_input():
    rep = audit_bytes(bytes(range(256)) * 50, "junk.bin")
    assert isinstance(rep.findings, list)
    big = (SAMPLES / "sample-03.txt").read_bytes() * 300  # about 1.5 MB
    rep = audit_bytes(big, "big.txt")
    assert "reader_error" not in rules(rep)


def test_a_report_reads_the_same_whatever_the_process_saw_before():
    """Caches keyed on text (table lines, label matches) only save work: a report audited after
    others, audited again, and audited with every cache emptied says the same."""

    def everything(n: int):
        rep = audit_sample(n)
        return rep.to_json(), [(f.rule, f.spans) for f in rep.findings], rep.prose_figures, rep.sections

    first = [everything(n) for n in range(1, 6)]
    assert [everything(n) for n in reversed(range(1, 6))] == first[::-1]
    fresh = []
    for n in range(1, 6):
        clear_caches()
        fresh.append(everything(n))
    assert fresh == first
