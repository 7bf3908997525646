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
| ``ambiguous_cells`` | warning | a row (e.g. digits glued together) has several consistent readings; cells null, readings listed (``actual``: the readings, aligned with ``cells``); or the readings agree on some cells: those read, the others null and named with their candidate values (``actual``: cell path -> values, null for a blank) |
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
from collections.abc import Callable
from typing import Any

from gongkai.domain.audit import labels as L
from gongkai.domain.audit.limits import DEFAULT_LIMITS, ReaderLimits
from gongkai.domain.audit.model import AuditFinding, AuditReport, RawDocument, Span
from gongkai.domain.audit.normalise import Document, normalise
from gongkai.domain.audit.prose import Prose, read_prose
from gongkai.domain.audit.recognise import SECTION_KEYS, SECTION_NAMES, Recognition, other_agencies, recognise
from gongkai.domain.audit.tables import OLD_STATS_KEYS, TABLE_NAMES, Extraction, extract_old_stats, extract_tables
from gongkai.domain.audit.tables import rows as _rows
from gongkai.domain.consistency import audit as run_rules
from gongkai.domain.report_format import ReportYearNotCovered, load_formats

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
_TABLE_SECTION = {"table_2": "proactive", "table_3": "applications", "table_4": "review_litigation"}
_FORMAT_NAMES = {
    "2021": "2021年格式（国办公开办函〔2021〕30号）",
    "2019": "2019年试行格式（国办公开办函〔2019〕60号）",
    "pre2019": "修订前条例下的旧式报告（无统一表格）",
}
MAX_SPANS = 40
_PLACEHOLDER_NAME = re.compile(
    r"(?:XX|xx|××|ＸＸ)[\u4e00-\u9fff]{0,8}?(?:局|委员会|委|厅|办公室|政府|市|县|区|州|镇|乡)"
)


class _Audit:
    """Collects the findings of one report, at most ``limit`` of them (the most severe kept)."""

    def __init__(self, doc: Document, limit: int = DEFAULT_LIMITS.max_findings):
        self.doc = doc
        self.limit = limit
        # one list per severity: concatenated they are the findings sorted by severity, stably
        self.by_severity: dict[int, list[AuditFinding]] = {}
        self.kept = 0
        self.dropped = 0

    @property
    def findings(self) -> list[AuditFinding]:
        return [f for rank in sorted(self.by_severity) for f in self.by_severity[rank]]

    def _room_for(self, rank: int) -> bool:
        """Whether a finding of this rank is kept: there is room, or a less severe one gives way."""
        if self.kept < self.limit:
            return True
        worst = max((r for r, fs in self.by_severity.items() if fs), default=-1)
        if worst <= rank:
            return False
        self.by_severity[worst].pop()
        self.kept -= 1
        self.dropped += 1
        return True

    def add(
        self,
        rule: str,
        severity: str,
        message: str,
        *,
        cells: tuple[str, ...] = (),
        spans: list[tuple[int, int]] | None = None,
        expected: Any = None,
        actual: Any = None,
    ) -> None:
        rank = _SEVERITY_ORDER.get(severity, 3)
        if not self._room_for(rank):
            self.dropped += 1
            return
        sp = tuple(self.doc.span(a, b) for a, b in (spans or [])[:MAX_SPANS])
        self.by_severity.setdefault(rank, []).append(AuditFinding(rule, severity, message, cells, sp, expected, actual))  # type: ignore[arg-type]
        self.kept += 1

    def guarded(self, stage: str, fn: Callable[[], Any], default: Any = None) -> Any:
        """Run one stage; a failure becomes a ``reader_error`` finding, never an exception."""
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - the reader must return a result on any input
            self.add("reader_error", "error", f"读取{stage}时出错（{type(exc).__name__}），该部分未检查")
            return default


def audit_document(
    doc: Document, *, previous: Document | AuditReport | None = None, limits: ReaderLimits = DEFAULT_LIMITS
) -> AuditReport:
    """Audit one normalised report; ``previous`` (the year before) enables the cross-year rules."""
    a = _Audit(doc, limits.max_findings)
    for problem in doc.problems:
        a.add("source_problem", "warning", problem)
    rec: Recognition = a.guarded("报告标题、年度和结构", lambda: recognise(doc), Recognition())
    ex: Extraction = a.guarded("表格", lambda: extract_tables(doc, rec, max_rows=limits.max_table_rows), Extraction())
    rec.sections.update(ex.sections)  # a table section placed by its table, not by the first heading
    prose: Prose = a.guarded("正文中的数字", lambda: read_prose(doc), Prose([], []))
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
    a.guarded("正文与表格", lambda: _prose_vs_tables(a, prose, ex))
    a.guarded("总数与分项", lambda: _parts(a, prose))
    a.guarded("其他机关名称", lambda: _other_agencies(a, doc, rec))
    a.guarded("合理性", lambda: _plausibility(a, rec, ex))
    a.guarded("正文文字", lambda: _text_checks(a, doc, rec))
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
    for cached in (L.similarity, L.deviates, L._ranked_label, L._ranked, _rows._split_cached, _rows._candidates):
        cached.cache_clear()


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


def _identity(a: _Audit, rec: Recognition) -> None:
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


def _format(a: _Audit, rec: Recognition) -> None:
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


def _text_quality(a: _Audit, doc: Document) -> None:
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


def _structure(a: _Audit, doc: Document, rec: Recognition, ex: Extraction) -> None:
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


def _outline(a: _Audit, rec: Recognition) -> None:
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


def _labels(a: _Audit, ex: Extraction) -> None:
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


def _text_checks(a: _Audit, doc: Document, rec: Recognition) -> None:
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


def _plausibility(a: _Audit, rec: Recognition, ex: Extraction) -> None:
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


def _consistency(a: _Audit, rec: Recognition, ex: Extraction, prev: AuditReport | None) -> None:
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


def _prose_vs_tables(a: _Audit, prose: Prose, ex: Extraction) -> None:
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


def _parts(a: _Audit, prose: Prose) -> None:
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


def _other_agencies(a: _Audit, doc: Document, rec: Recognition) -> None:
    for name, start, end in other_agencies(doc, rec):
        a.add(
            "other_agency",
            "warning",
            f"报告是“{rec.agency}”的，却在正文中写到“{name}”（疑为复制其他机关报告时未改）",
            spans=[(start, end)],
            expected=rec.agency,
            actual=name,
        )


def _previous_identity(a: _Audit, rec: Recognition, prev: AuditReport | None) -> None:
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
