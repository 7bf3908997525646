"""The audit of one report: everything provably wrong or unreadable, each with where it was found.

``audit_document(doc)`` runs recognise → tables → prose and collects findings; every finding
names its rule, a severity, a Chinese message, the table cells (``table_3.granted.total``) and/or
the text spans (offsets into the normalised text and the original), and expected vs actual.

Rule ids:

| rule | severity | what it says |
|---|---|---|
| ``t2_*``, ``t3_*``, ``t4_*`` | per format data | the format's consistency rules (:mod:`gongkai.domain.consistency`), cells mapped to the text |
| ``source_problem`` | warning | the reader could not read part of the input (encoding, a damaged file …) |
| ``reader_error`` | error | a stage of the reader failed on this input (a bug; the rest of the audit still ran) |
| ``agency_unknown`` | warning | no agency name found |
| ``year_unknown`` | warning | no report year found (and no template year) |
| ``template_residue`` | error | template placeholders left in: ``20××`` / ``20XX``, ``XX教育局`` |
| ``other_agency`` | warning | another agency named as if it were the report's own (copy-paste) |
| ``format_mismatch`` | error | the tables/structure used are not the format of the report year |
| ``old_regulation`` | info | a report before 2019: no national table format, tables not checked |
| ``traditional_script`` | info | written in traditional characters; audited after conversion |
| ``machine_conversion`` | warning | bad machine conversion (pinyin residue, substituted words); repaired before the audit |
| ``missing_section`` | error | one of the six sections of the 2019/2021 format is not there (a table section: its table with it, one finding) |
| ``missing_table`` | error | table 二/三/四 not found under its heading (says whether the heading is there and the table lost) |
| ``partial_table`` | warning | a table was found but some of its rows were not; those cells are null |
| ``ambiguous_cells`` | warning | a row (e.g. digits glued together) has several consistent readings; cells null, readings listed (``actual``: the readings, aligned with ``cells``); or the readings agree on some cells: those read, the others null and named with their candidate values (``actual``: cell path -> values, null for a blank); or table 三 run together read taking one figure as lost (its column rules broke otherwise): the rows it may have been lost from (``actual``: their cells -> values) |
| ``unreadable_cells`` | warning / error | a row found but its numbers fit no reading (warning); a table with a heading or header but no number at all (error); table 三 read without separators whose inferred rows break its column rules (one finding for every such row; ``actual``: row key -> the readings its own total allowed); cells null |
| ``unmatched_row`` | warning | a table row with numbers whose label matches no row of the format |
| ``label_deviation`` | info | per table: the labels written differently from the official ones (each pair named; figures read all the same) |
| ``prose_table_mismatch`` | error | a figure stated in the prose differs from the table (收到申请5件 vs 表三 4) |
| ``parts_sum_mismatch`` | error / info | parts exceed their stated whole (error), or fall short of it (info: parts may be unlisted) |
| ``implausible_regulations`` | warning | a county or district organ reports 规章 made or in force (only State Council departments and governments of provinces, 设区的市 and 自治州 make 规章) |
| ``section_order`` | warning | the six parts of the 2019/2021 format are not in the format's order |
| ``section_numbering`` | info | parts numbered otherwise than 一 to 六 (e.g. after a section of the author's own) |
| ``empty_section`` | info | section 五 or 六 has its heading and nothing under it |
| ``doubled_word`` | info | a word of two to four characters written twice in a row in the prose (资金资金) |
| ``previous_report_mismatch`` | warning | the previous report given is not the same agency's report of the year before |
| ``findings_limit`` | warning | more findings than ``ReaderLimits.max_findings``: how many were left out (always first) |

Every finding says how sure it is (``certainty`` in the JSON, shown on the page and by the CLI;
:func:`model.certainty_of`): ``certain`` (确定, the report's text proves it), ``likely`` (较可能,
what a careful reader concludes, the author may have meant it) or ``unsure`` (待核实, the reader
could not settle it: cells ambiguous or unreadable, its candidates named).

At most ``limits.max_findings`` findings are listed: errors are kept before warnings and warnings
before notes (each in the order found), and one ``findings_limit`` finding at the top says how many
were left out. A hostile table of a million unmatched rows thus costs a thousand findings, not a
million.
"""

from __future__ import annotations

import re
from typing import Any

from gongkai.domain.audit import checks_prose
from gongkai.domain.audit import labels as L
from gongkai.domain.audit.collector import Collector
from gongkai.domain.audit.limits import DEFAULT_LIMITS, ReaderLimits
from gongkai.domain.audit.model import AuditFinding, AuditReport, RawDocument, Span
from gongkai.domain.audit.normalise import Document, normalise
from gongkai.domain.audit.prose import Prose, read_prose
from gongkai.domain.audit.recognise import SECTION_KEYS, SECTION_NAMES, Recognition, recognise
from gongkai.domain.audit.tables import OLD_STATS_KEYS, TABLE_NAMES, Extraction, extract_old_stats, extract_tables
from gongkai.domain.audit.tables import rows as _rows
from gongkai.domain.consistency import audit as run_rules
from gongkai.domain.report_format import ReportYearNotCovered, load_formats

_TABLE_SECTION = {"table_2": "proactive", "table_3": "applications", "table_4": "review_litigation"}
_FORMAT_NAMES = {
    "2021": "2021年格式（国办公开办函〔2021〕30号）",
    "2019": "2019年试行格式（国办公开办函〔2019〕60号）",
    "pre2019": "修订前条例下的旧式报告（无统一表格）",
}
_PLACEHOLDER_NAME = re.compile(
    r"(?:XX|xx|××|ＸＸ)[\u4e00-\u9fff]{0,8}?(?:局|委员会|委|厅|办公室|政府|市|县|区|州|镇|乡)"
)


def audit_document(
    doc: Document, *, previous: Document | AuditReport | None = None, limits: ReaderLimits = DEFAULT_LIMITS
) -> AuditReport:
    """Audit one normalised report; ``previous`` (the year before) enables the cross-year rules."""
    a = Collector(doc, limits.max_findings)
    for problem in doc.problems:
        a.add("source_problem", "warning", problem)
    rec: Recognition = a.guarded("报告标题、年度和结构", lambda: recognise(doc), Recognition())
    ex: Extraction = a.guarded("表格", lambda: extract_tables(doc, rec, max_rows=limits.max_table_rows), Extraction())
    rec.sections.update(ex.sections)  # a table section placed by its table, not by the first heading
    prose: Prose = a.guarded(
        "正文中的数字", lambda: read_prose(doc, max_figures=limits.max_prose_figures), Prose([], [])
    )
    if prose.cut:
        a.add("source_problem", "warning", f"正文中带单位的数字超过{prose.cut:,}个，其余的未核对")
    prev = a.guarded("上一年度报告", lambda: _previous(previous))

    a.guarded("机关名称和年度", lambda: _identity(a, rec))
    a.guarded("格式", lambda: _format(a, rec))
    a.guarded("文本质量", lambda: _text_quality(a, doc))
    a.guarded("报告结构", lambda: _structure(a, doc, rec, ex))
    a.guarded("部分编号", lambda: _outline(a, rec))
    a.guarded("表格标签", lambda: _labels(a, ex))
    for issue in ex.issues:
        a.add(
            issue.rule,
            issue.severity,
            issue.message,
            cells=issue.cells,
            spans=issue.spans,
            expected=issue.expected,
            actual=issue.actual,
        )
    a.guarded("表格勾稽关系", lambda: _consistency(a, rec, ex, prev))
    a.guarded("正文与表格", lambda: checks_prose.prose_vs_tables(a, prose, ex))
    a.guarded("总数与分项", lambda: checks_prose.parts(a, prose))
    a.guarded("其他机关名称", lambda: checks_prose.other_agencies_named(a, doc, rec))
    a.guarded("合理性", lambda: checks_prose.plausibility(a, rec, ex))
    a.guarded("正文文字", lambda: checks_prose.text_checks(a, doc, rec))
    a.guarded("上一年度报告", lambda: _previous_identity(a, rec, prev))
    old_stats = a.guarded("旧式统计数字", lambda: _old_stats(doc, prose) if rec.format == "pre2019" else None)

    findings = a.findings
    if a.dropped:
        findings.insert(
            0,
            AuditFinding(
                "findings_limit",
                "warning",
                f"发现的问题超过{limits.max_findings}项的上限：只列出了最重要的{len(findings)}项，另有{a.dropped}项未列出",
                actual=a.dropped,
            ),
        )
    sections: dict[str, Span | None] = {}
    for key in SECTION_KEYS:
        hit = rec.sections.get(key)
        sections[key] = doc.span(hit.start, hit.end) if hit else None
    if "fees" in rec.sections:
        hit = rec.sections["fees"]
        sections["fees"] = doc.span(hit.start, hit.end)
    return AuditReport(
        file=doc.name,
        format=rec.format,
        year=rec.year,
        agency=rec.agency,
        tables=ex.tables,
        findings=findings,
        old_stats=old_stats,
        year_is_template=rec.year_is_template,
        sections=sections,
        prose_figures=list(prose.figures),
        source_kind=doc.kind,
        text=doc.text,
        original=doc.original,
        markers={k: v for k, v in ex.markers.items() if k.split(".", 1)[0] in ex.tables},
    )


def audit_raw(
    raw: RawDocument, *, previous: Document | AuditReport | None = None, limits: ReaderLimits = DEFAULT_LIMITS
) -> AuditReport:
    return audit_document(normalise(raw), previous=previous, limits=limits)


def audit_bytes(
    data: bytes,
    name: str,
    *,
    previous_bytes: bytes | None = None,
    previous_name: str | None = None,
    limits: ReaderLimits = DEFAULT_LIMITS,
) -> AuditReport:
    """Read ``data`` in whatever format it is (sources.read_source), normalise and audit it,
    within ``limits`` (:mod:`gongkai.domain.audit.limits`)."""
    prev = None
    if previous_bytes is not None:
        prev = audit_document(
            normalise(read_raw(previous_bytes, previous_name or "previous", limits=limits)), limits=limits
        )
    return audit_document(normalise(read_raw(data, name, limits=limits)), previous=prev, limits=limits)


def clear_caches() -> None:
    """Forget what earlier reports taught this process: table lines already cut into cells, row
    readings and label matches (caches keyed on text, kept because table lines and labels recur
    across a batch). Results never depend on them; a benchmark clears them to measure a report
    unlike any seen before. Compiled rules, vocabularies and converters stay: they are set-up."""
    L.clear_caches()
    _rows.clear_caches()


def read_raw(data: bytes, name: str, *, limits: ReaderLimits = DEFAULT_LIMITS) -> RawDocument:
    """The input read by :func:`gongkai.domain.audit.sources.read_source` (plain text if it is absent)."""
    try:
        from gongkai.domain.audit.sources import read_source
    except ImportError:  # the source readers are not installed: plain text only
        return _read_text(data[: limits.max_input_bytes], name)
    return read_source(data, name, limits=limits)


def _read_text(data: bytes, name: str) -> RawDocument:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return RawDocument(name=name, kind="text", text=data.decode(enc), encoding=enc)
        except UnicodeDecodeError:
            continue
    return RawDocument(
        name=name,
        kind="text",
        text=data.decode("utf-8", "replace"),
        encoding="utf-8",
        problems=("文件编码无法识别，部分字符无法读取",),
    )


# -- the parts of the audit -----------------------------------------------------------------------


def _previous(previous: Document | AuditReport | None) -> AuditReport | None:
    if previous is None or isinstance(previous, AuditReport):
        return previous
    return audit_document(previous)


def _identity(a: Collector, rec: Recognition) -> None:
    if rec.agency is None:
        a.add("agency_unknown", "warning", "未能从标题、正文或落款中识别出发布机关名称")
    if rec.year is None and not rec.year_is_template:
        a.add("year_unknown", "warning", "未能识别报告年度（标题和统计期限中都没有年份）")
    if rec.template_marks:
        text = a.doc.text
        years = [(s, e) for s, e in rec.template_marks if text[s:e].startswith("20")]
        holders = [(s, e) for s, e in rec.template_marks if not text[s:e].startswith("20")]
        parts = []
        if years:
            parts.append(f"年份“{text[years[0][0] : years[0][1]]}”{len(years)}处")
        if holders:
            s, e = holders[0]
            example = _PLACEHOLDER_NAME.match(text, s)
            parts.append(f"占位符“{text[s:e]}”{len(holders)}处（如“{example.group() if example else text[s:e]}”）")
        what = "年度未填写，" if rec.year_is_template else ""
        a.add(
            "template_residue",
            "error",
            f"报告中留有模板占位内容未替换：{'，'.join(parts)}。{what}这是一份未填写完整的模板",
            spans=rec.template_marks,
            actual=len(rec.template_marks),
        )


def _format(a: Collector, rec: Recognition) -> None:
    ev, by_year = rec.format_evidence, rec.format_by_year
    if rec.format == "pre2019":
        year = rec.year
        msg = (
            ReportYearNotCovered(year).message
            if year is not None
            else "报告采用修订前条例的结构，无统一表格格式，不检查表二、表三、表四"
        )
        a.add("old_regulation", "info", msg)
    if ev is None or by_year is None or ev == by_year:
        return
    phrases = [p for p, _ in rec.evidence.get(ev, [])]
    spans = [(i, i + len(p)) for p, i in rec.evidence.get(ev, [])]
    a.add(
        "format_mismatch",
        "error",
        f"{rec.year}年度报告应使用{_FORMAT_NAMES[by_year]}，但报告使用的是{_FORMAT_NAMES[ev]}（如“{'”“'.join(phrases[:3])}”）",
        spans=spans,
        expected=by_year,
        actual=ev,
    )


def _text_quality(a: Collector, doc: Document) -> None:
    if doc.traditional:
        a.add("traditional_script", "info", "报告为繁体字，已转换为简体字后检查；定位仍对应原文")
    if doc.machine_converted:
        n, w = doc.repairs.get("pinyin_residue", 0), doc.repairs.get("machine_words", 0)
        a.add(
            "machine_conversion",
            "warning",
            f"报告文字经过错误的机器转换：留有拼音注音{n}处（如“關(guān)”），并有{w}处词语被替换（如“當局”代“政府”、“教導”代“教育”）；已还原后检查",
            actual={"pinyin_residue": n, "machine_words": w},
        )


def _structure(a: Collector, doc: Document, rec: Recognition, ex: Extraction) -> None:
    if rec.format not in ("2019", "2021"):
        return
    table_of = {key: table for table, key in _TABLE_SECTION.items()}
    for key in SECTION_KEYS:
        if key not in rec.sections:
            table = table_of.get(key)
            if table is not None and ex.status.get(table) == "absent":
                # one fact, one finding: the part is missing, and with it its table
                name = TABLE_NAMES[table]
                msg = f"报告缺少“{SECTION_NAMES[key]}”部分，全文也未找到{name}"
                a.add("missing_section", "error", msg, cells=(table,), expected=SECTION_NAMES[key])
            else:
                a.add("missing_section", "error", f"报告缺少“{SECTION_NAMES[key]}”部分", expected=SECTION_NAMES[key])
    for table, key in _TABLE_SECTION.items():
        if ex.status.get(table) != "absent":
            continue
        name = TABLE_NAMES[table]
        hit = rec.sections.get(key)
        if hit is None:
            if rec.format in ("2019", "2021"):
                continue  # said with the missing part
            msg = f"{name}缺失：报告没有“{SECTION_NAMES[key]}”部分，全文也未找到{name}"
            spans = None
        else:
            body = doc.text[hit.title_end : hit.end].strip()
            heading = doc.text[hit.start : hit.title_end]
            spans = [(hit.start, hit.title_end)]
            if not body:
                msg = f"{name}缺失：标题“{heading}”存在，但其下没有任何内容（表格可能在复制或转换时丢失）"
            else:
                msg = f"{name}缺失：“{heading}”部分只有文字，未找到可以读取的{name}"
        a.add("missing_table", "error", msg, cells=(table,), spans=spans)


_PART_NUMBERS = dict(zip(SECTION_KEYS, "一二三四五六"))


def _outline(a: Collector, rec: Recognition) -> None:
    """The six parts of the 2019/2021 format come in their order with their numbers 一 to 六
    (国办公开办函〔2021〕30号 and 〔2019〕60号, the report's outline): parts out of that order
    (a warning: a reader looking for 表三 under 三 finds something else), and parts numbered
    otherwise, e.g. after a section of the author's own (a hint), each said once."""
    if rec.format not in ("2019", "2021"):
        return
    present = [k for k in SECTION_KEYS if k in rec.sections]
    in_text = sorted(present, key=lambda k: rec.sections[k].start)
    if in_text != present:
        titles = "、".join(f"“{rec.sections[k].number}、{rec.sections[k].title}”" for k in in_text)
        a.add(
            "section_order",
            "warning",
            f"报告各部分的顺序与规范格式不一致：依次为{titles}；规范格式的顺序为"
            + "、".join(f"“{SECTION_NAMES[k]}”" for k in present),
            spans=[(rec.sections[k].start, rec.sections[k].title_end) for k in in_text],
            expected=[SECTION_NAMES[k] for k in present],
            actual=[f"{rec.sections[k].number}、{rec.sections[k].title}" for k in in_text],
        )
        return
    off = [k for k in present if rec.sections[k].number != _PART_NUMBERS[k]]
    if off:
        listed = "；".join(
            f"“{rec.sections[k].number}、{rec.sections[k].title}”（规范编号为“{_PART_NUMBERS[k]}”）" for k in off
        )
        a.add(
            "section_numbering",
            "info",
            f"报告有{len(off)}个部分的编号与规范格式不一致（可能插入了规范格式以外的部分）：{listed}",
            spans=[(rec.sections[k].start, rec.sections[k].title_end) for k in off],
            expected=[_PART_NUMBERS[k] for k in off],
            actual=[rec.sections[k].number for k in off],
        )


def _labels(a: Collector, ex: Extraction) -> None:
    """Label deviations, one hint per table listing every label written differently: a table
    copied with garbled labels is one observation, not seven, and it ranks below real problems
    (severity info): the figures were read under the official labels all the same."""
    by_table: dict[str, list[Any]] = {}
    seen: set[tuple[str, str, str]] = set()
    for u in ex.label_uses:
        if not L.deviates(u.written, u.official):
            continue
        k = (u.table, u.key, u.written)
        if k in seen:
            continue
        seen.add(k)
        by_table.setdefault(u.table, []).append(u)
    for table, uses in by_table.items():
        name = TABLE_NAMES[table]
        listed = "；".join(f"“{u.written}”（规范标签：“{u.official}”）" for u in uses)
        cells = tuple(f"{u.table}.{u.key}" for u in uses)
        spans = [sp for u in uses for sp in u.spans]
        a.add(
            "label_deviation",
            "info",
            f"{name}有{len(uses)}处标签与规范标签不一致（数字已按规范标签读取）：{listed}",
            cells=cells,
            spans=spans,
            expected=[u.official for u in uses],
            actual=[u.written for u in uses],
        )


def _consistency(a: Collector, rec: Recognition, ex: Extraction, prev: AuditReport | None) -> None:
    if rec.format not in ("2019", "2021") or not ex.tables:
        return
    previous = prev.tables if prev is not None and prev.tables else None
    for f in run_rules(load_formats()[rec.format], ex.tables, previous=previous).findings:
        spans = [ex.cell_spans[c] for c in f.cells if c in ex.cell_spans]
        a.add(
            f.rule,
            f.severity,
            f.message,
            cells=f.cells,
            spans=list(dict.fromkeys(spans)),
            expected=f.expected,
            actual=f.actual,
        )


def _previous_identity(a: Collector, rec: Recognition, prev: AuditReport | None) -> None:
    if prev is None:
        return
    problems = []
    if rec.agency and prev.agency and rec.agency != prev.agency:
        problems.append(f"机关为“{prev.agency}”而非“{rec.agency}”")
    if rec.year is not None and prev.year is not None and prev.year != rec.year - 1:
        problems.append(f"年度为{prev.year}而非{rec.year - 1}")
    if not prev.tables:
        problems.append("没有可读取的表格，跨年度核对无法进行")
    if problems:
        a.add(
            "previous_report_mismatch",
            "warning",
            f"所给上一年度报告{'；'.join(problems)}",
            expected=rec.year - 1 if rec.year else None,
            actual=prev.year,
        )


def _old_stats(doc: Document, prose: Prose) -> dict[str, Any]:
    """The old statistics (keys: tables.OLD_STATS_KEYS) from a table if any, else from the prose."""
    stats: dict[str, Any] = dict.fromkeys(OLD_STATS_KEYS)
    table, _spans = extract_old_stats(doc)
    stats.update(table)
    from_prose = {
        "applications_received": "applications_received",
        "applications_completed": "applications_completed",
        "review_cases": "review_cases",
        "litigation_cases": "litigation_cases",
        "info_fee": "fees_collected",
    }
    for fig in prose.figures:
        if (
            fig.key == "proactive_total"
            and stats["proactive_published"] is None
            and stats["proactive_published_at_least"] is None
        ):
            stats["proactive_published_at_least" if fig.approximate else "proactive_published"] = fig.value
        key = from_prose.get(fig.key)
        if key and stats[key] is None and not fig.approximate:
            stats[key] = fig.value
    return stats
