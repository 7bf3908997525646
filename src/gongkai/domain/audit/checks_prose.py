"""The checks of what the prose says and what the text proves beyond the tables' sums: figures in
the prose against the tables, totals against their listed parts, another agency's name left in,
a county organ reporting 规章, an empty narrative section, a word written twice."""

from __future__ import annotations

import re
from typing import Any

from gongkai.domain.audit.collector import Collector
from gongkai.domain.audit.normalise import Document
from gongkai.domain.audit.prose import Prose
from gongkai.domain.audit.recognise import SECTION_NAMES, Recognition, other_agencies
from gongkai.domain.audit.tables import Extraction
from gongkai.domain.report_format import load_formats

# who makes 规章 (立法法 第九十一、九十三条): the State Council's departments and the people's
# governments of provinces, autonomous regions, municipalities, 设区的市 and 自治州. A county or
# district organ (a bureau, an office, or the county/district government itself) makes none.
_COUNTY_LEVEL = re.compile(
    r"(?:县|(?<!自治)区|旗)(?:[\u4e00-\u9fff]{0,12}?)(?:局|委员会|委|办公室|办|中心|人民政府|政府)$"
)


_NARRATIVE = ("overview", "problems", "other")
# a word of two to four characters written twice in a row (资金资金): never a numeral run
_DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,4})\1")
_NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿")


def text_checks(a: Collector, doc: Document, rec: Recognition) -> None:
    """What a careful reader of the prose notices: a narrative section left empty, a word
    written twice in a row. Only the narrative sections are read (tables run labels together)."""
    if rec.format not in ("2019", "2021"):
        return
    for key in _NARRATIVE:
        hit = rec.sections.get(key)
        if hit is None:
            continue
        body = doc.text[hit.title_end : hit.end]
        alone = doc.text[hit.title_end : hit.title_end + 1] in ("\n", "")  # a heading on its own line
        if alone and not body.strip(" \t\n\u3000:：。") and key != "overview":
            a.add(
                "empty_section",
                "info",  # worth a look, not a defect the figures show (a draft may leave it for later)
                f"“{SECTION_NAMES[key]}”部分只有标题，没有内容",
                spans=[(hit.start, hit.title_end)],
                expected=SECTION_NAMES[key],
            )
            continue
        for m in _DOUBLED.finditer(body):
            word = m.group(1)
            if set(word) & _NUMERALS or len(set(word)) == 1:
                continue
            start = hit.title_end + m.start()
            a.add(
                "doubled_word",
                "info",
                f"“{word}”连写了两次（“{m.group(0)}”），可能是笔误",
                spans=[(start, start + len(m.group(0)))],
                actual=m.group(0),
            )


# functional zones (示范区, 新区, 开发区 …) are not counties or districts: their level varies, so
# the rule says nothing about them
_ZONE = re.compile(r"示范区|新区|开发区|园区|高新区|保税区|自贸区|试验区|实验区|合作区|景区|林区|矿区|垦区")


def plausibility(a: Collector, rec: Recognition, ex: Extraction) -> None:
    """What the text proves implausible though every sum holds: a county or district organ
    reporting 规章 made or in force (it cannot make any; 规章 of higher organs it applies are not
    its own)."""
    agency = rec.agency or ""
    if rec.format not in ("2019", "2021") or not agency or "省" in agency or "自治区" in agency:
        return
    if not _COUNTY_LEVEL.search(agency) or _ZONE.search(agency):
        return
    row = ((ex.tables.get("table_2") or {}).get("art20_1") or {}).get("regulations") or {}
    stated = {k: v for k, v in row.items() if isinstance(v, (int, float)) and v > 0}
    if not stated:
        return
    cols = {c.key: c.label for c in load_formats()[rec.format].table_2.subtable("art20_1").columns}
    listed = "、".join(f"{cols.get(k, k)}{v:g}件" for k, v in stated.items())
    a.add(
        "implausible_regulations",
        "warning",
        f"表二“规章”一行填报了{listed}，但{agency}是县（区）级机关，不能制定规章"
        "（规章由国务院部门和省、自治区、直辖市、设区的市、自治州人民政府制定）；"
        "所填可能是本机关执行的上级规章或规范性文件，请核实",
        cells=tuple(f"table_2.art20_1.regulations.{k}" for k in stated),
        spans=[ex.cell_spans[c] for c in (f"table_2.art20_1.regulations.{k}" for k in stated) if c in ex.cell_spans],
        expected=0,
        actual=stated,
    )


# prose key -> (table cells summed, what the table row is called)
_PROSE_CELLS: dict[str, tuple[tuple[str, ...], str]] = {
    "applications_received": (("table_3", "new_received", "total"), "表三“一、本年新收政府信息公开申请数量”总计"),
    "applications_carried_over": (("table_3", "carried_over", "total"), "表三“二、上年结转政府信息公开申请数量”总计"),
    "carry_forward": (("table_3", "carry_forward", "total"), "表三“四、结转下年度继续办理”总计"),
    "unable_not_held": (("table_3", "unable_not_held", "total"), "表三“1.本机关不掌握相关政府信息”总计"),
    "applications_completed": (("table_3", "results_total", "total"), "表三“（七）总计”总计"),
    "review_cases": (("table_4", "review_total"), "表四行政复议“总计”"),
    "litigation_cases": (
        ("table_4", "litigation_direct_total", "table_4", "litigation_after_review_total"),
        "表四行政诉讼两项“总计”之和",
    ),
}


def _cell(tables: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = tables
    for k in path:
        if not isinstance(node, dict) or k not in node:
            return None
        node = node[k]
    return node


def prose_vs_tables(a: Collector, prose: Prose, ex: Extraction) -> None:
    for key, (path, what) in _PROSE_CELLS.items():
        if key == "litigation_cases":
            v1, v2 = _cell(ex.tables, path[:2]), _cell(ex.tables, path[2:])
            value = None if v1 is None or v2 is None else v1 + v2
            cells = (".".join(path[:2]), ".".join(path[2:]))
        else:
            value = _cell(ex.tables, path)
            cells = (".".join(path),)
        if value is None:
            continue
        for fig in prose.of(key):
            if fig.approximate or fig.value == value:
                continue
            spans = [(fig.span.start, fig.span.end)] + [ex.cell_spans[c] for c in cells if c in ex.cell_spans]
            note = ""
            severity = "error"
            if key == "applications_received":
                carried = _cell(ex.tables, ("table_3", "carried_over", "total"))
                if carried and fig.value == value + carried:
                    note = "（正文数字可能包含上年结转的申请）"
                    severity = "warning"
            a.add(
                "prose_table_mismatch",
                severity,
                f"正文“{fig.label}”为{_num(fig.value)}，而{what}为{_num(value)}{note}",
                cells=cells,
                spans=spans,
                expected=value,
                actual=fig.value,
            )


def _num(v: Any) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def parts(a: Collector, prose: Prose) -> None:
    for st in prose.statements:
        if st.approximate:
            continue
        whole = st.whole
        spans = [(whole.span.start, whole.span.end)] + [(p.span.start, p.span.end) for p in st.parts]
        if st.kind == "subset":
            part = st.parts[0]
            if part.value > whole.value:
                a.add(
                    "parts_sum_mismatch",
                    "error",
                    f"“{whole.label}”共{_num(whole.value)}{whole.unit}，其中“{part.label}”却有{_num(part.value)}{part.unit}，多于总数",
                    spans=spans,
                    expected=whole.value,
                    actual=part.value,
                )
            elif st.rest is not None and part.value + st.rest.value != whole.value:
                a.add(
                    "parts_sum_mismatch",
                    "error",
                    f"“{whole.label}”共{_num(whole.value)}{whole.unit}，其中{_num(part.value)}{part.unit}、其余{_num(st.rest.value)}{st.rest.unit}，"
                    f"合计{_num(part.value + st.rest.value)}，与总数不符",
                    spans=spans + [(st.rest.span.start, st.rest.span.end)],
                    expected=whole.value,
                    actual=part.value + st.rest.value,
                )
            continue
        total = sum(p.value for p in st.parts)
        if total == whole.value:
            continue
        listing = "＋".join(f"{p.label}" for p in st.parts)
        if total > whole.value:
            a.add(
                "parts_sum_mismatch",
                "error",
                f"“{whole.label}”共{_num(whole.value)}{whole.unit}，但所列分项（{listing}）合计{_num(total)}{whole.unit}，多于总数{_num(total - whole.value)}{whole.unit}",
                spans=spans,
                expected=whole.value,
                actual=total,
            )
        else:
            a.add(
                "parts_sum_mismatch",
                "info",
                f"“{whole.label}”共{_num(whole.value)}{whole.unit}，所列分项（{listing}）合计{_num(total)}{whole.unit}，少{_num(whole.value - total)}{whole.unit}，可能另有未列出的分项",
                spans=spans,
                expected=whole.value,
                actual=total,
            )


def other_agencies_named(a: Collector, doc: Document, rec: Recognition) -> None:
    for name, start, end in other_agencies(doc, rec):
        a.add(
            "other_agency",
            "warning",
            f"报告是“{rec.agency}”的，却在正文中写到“{name}”（疑为复制其他机关报告时未改）",
            spans=[(start, end)],
            expected=rec.agency,
            actual=name,
        )
