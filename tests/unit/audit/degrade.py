"""Random consistent annual reports, rendered and damaged the way crawlers, copy-paste and OCR do.

The degradation harness of issue 15: a report is generated from a seed (every table consistent
with every rule of its format), rendered as tab-separated text (a web page copied as text),
Markdown or HTML, then damaged in one way. The reader's result is compared cell by cell with
the tables the report was made from:

* **right**: the value read is the value written;
* **open**: the reader left the cell null (and, where it says so, said why: ambiguous, unreadable);
* **wrong**: the reader gave a value that is not the one written. Never allowed.

A finding that claims something untrue of the generated report (an inconsistency, a missing part,
an unknown year) is a *false finding*: never allowed either, damaged or not.

``benchmarks/audit_degradation.py`` runs thousands of cases per damage kind;
``tests/unit/audit/test_degradation.py`` runs a few hundred.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import Any

from gongkai.demo.report_figures import consistent_tables
from gongkai.domain.annual_report.content import ReportContent
from gongkai.domain.annual_report.layout import TableLayout, table_layouts
from gongkai.domain.annual_report.markdown import as_markdown
from gongkai.domain.report_format import format_for_year

AGENCIES = (
    "某某县教育局",
    "某某市某某区教育局",
    "某某县卫生健康局",
    "某某市自然资源和规划局",
    "某某县人民政府办公室",
    "某某区住房和城乡建设局",
    "某某市人民政府",
)

# -- generation ----------------------------------------------------------------------------------


_OVERVIEW = (
    "{year}年，{agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "围绕中心工作，不断加强政府信息公开工作，主动公开、依申请公开、政府信息管理、平台建设和监督保障等各项工作稳步推进。",
    "全年共收到政府信息公开申请{received}件，均在法定期限内予以答复。",
    "进一步规范政府信息公开平台建设，及时更新栏目内容，确保信息准确、完整。",
)
_PROBLEMS = "一是公开内容的及时性有待提高；二是工作人员业务能力有待加强。下一步，我局将加强业务培训，完善工作机制。"
_OTHER = "本年度未收取信息处理费。"


def random_content(seed: int, year: int | None = None) -> ReportContent:
    rng = random.Random(seed)
    year = year if year is not None else rng.choice((2019, 2020, 2021, 2022, 2023, 2024))
    fmt = format_for_year(year)
    agency = rng.choice(AGENCIES)
    # of the names above, only 某某市人民政府 may make 规章
    tables = consistent_tables(rng, fmt, makes_rules=agency.endswith("人民政府"))
    received = tables["table_3"]["new_received"]["total"]
    overview = "\n".join(p.format(year=year, agency=agency, received=received) for p in _OVERVIEW)
    return ReportContent(agency, year, tables, sections={"overview": overview, "problems": _PROBLEMS, "other": _OTHER})


# -- rendering -----------------------------------------------------------------------------------


@dataclass
class Block:
    kind: str  # "title", "heading", "para", "table"
    text: str = ""
    table: str = ""  # table_2/3/4
    rows: list[list[str]] = field(default_factory=list)


def _grid(t: TableLayout) -> list[list[str]]:
    cells: dict[tuple[int, int], str] = {}
    for r, c, cell in t.placed():
        cells[(r, c)] = cell.text
    w = t.width
    return [[cells.get((r, k), "") for k in range(w)] for r in range(len(t.rows))]


def blocks(content: ReportContent) -> list[Block]:
    fmt = content.fmt
    layouts = {t.table_id: t for t in table_layouts(content)}
    out = [Block("title", content.title), Block("para", content.opening)]
    for section in fmt.sections:
        out.append(Block("heading", section.title))
        if section.kind == "narrative":
            out += [Block("para", p) for p in content.paragraphs(section.key)]
        else:
            out.append(Block("table", table=section.table, rows=_grid(layouts[section.table])))
    out.append(Block("para", content.agency_name))
    return out


def as_text(bs: list[Block]) -> str:
    """As a web page copied as text: one line per paragraph, table rows with tab-separated cells."""
    lines: list[str] = []
    for b in bs:
        if b.kind == "table":
            lines += ["\t".join(r).rstrip("\t") for r in b.rows]
        else:
            lines.append(b.text)
    return "\n".join(lines) + "\n"


def as_html(bs: list[Block]) -> str:
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>年报</title></head><body>",
        "<div class='nav'><a href='/'>首页</a> &gt; <a href='/xxgk/'>信息公开</a></div><div class='content'>",
    ]
    for b in bs:
        if b.kind == "table":
            parts.append("<table border='1'>")
            for r in b.rows:
                parts.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>")
            parts.append("</table>")
        elif b.kind == "title":
            parts.append(f"<h1>{escape(b.text)}</h1>")
        elif b.kind == "heading":
            parts.append(f"<p><strong>{escape(b.text)}</strong></p>")
        else:
            parts.append(f"<p>&nbsp;&nbsp;{escape(b.text)}</p>")
    parts.append("</div><div class='footer'>版权所有 主办单位：某某县人民政府</div></body></html>")
    return "\n".join(parts)


_FILLER = (
    "我局坚持把政务公开作为转变政府职能、建设法治政府的重要举措，健全完善政务公开工作机制，明确分管领导和具体经办人员，"
    "形成主要领导亲自抓、分管领导具体抓、各科室协同配合的工作格局。",
    "围绕群众关切，及时公开教育招生、学生资助、校园安全、教师招聘等重点领域信息，做好政策解读和回应关切，"
    "通过门户网站、政务新媒体等渠道发布各类信息，方便群众查阅。",
    "严格落实政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”原则，确保公开信息不涉及国家秘密、"
    "商业秘密和个人隐私，全年未发生泄密事件。",
    "加强政府信息公开平台建设，优化栏目设置，规范信息发布流程，及时更新、维护网站内容，确保信息发布准确、规范、及时。",
    "组织开展政务公开业务培训，提升工作人员的业务能力和服务水平，推动政务公开工作制度化、规范化、标准化。",
)


def realistic_content(seed: int, size: int = 12_000) -> ReportContent:
    """A report of about ``size`` bytes of UTF-8 text, as real ones are (10–15 KB): the tables
    of :func:`random_content` and as many paragraphs of customary prose as it takes."""
    content = random_content(seed)
    rng = random.Random(seed)
    base = len(as_text(blocks(content)).encode())
    paragraphs: list[str] = []
    while base + sum(len(p.encode()) + 1 for p in paragraphs) < size:
        paragraphs.append(rng.choice(_FILLER))
    half = len(paragraphs) // 2
    sections = dict(content.sections)
    sections["overview"] = "\n".join([sections["overview"], *paragraphs[:half]])
    sections["problems"] = "\n".join([sections["problems"], *paragraphs[half:]])
    return ReportContent(content.agency_name, content.year, content.tables, sections=sections)


def as_cms_html(bs: list[Block], size: int = 200_000) -> str:
    """A government CMS page of about ``size`` bytes: Word-exported tables with an inline style on
    every cell, and site chrome (menus, link lists, footer) around the report."""
    style = "border:1px solid #000;padding:0 5.4pt;font-family:仿宋_GB2312;font-size:12pt;mso-border-alt:solid windowtext .5pt"
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>政府信息公开工作年度报告</title>",
        "<style>" + "".join(f".c{i}{{margin:{i}px}}" for i in range(300)) + "</style></head><body>",
    ]
    menu = "".join(
        f"<li class='menu-item'><a href='/col/col{i}/index.html' target='_blank'>栏目{i}</a></li>" for i in range(60)
    )
    parts.append(
        f"<div class='header'><ul class='nav'>{menu}</ul></div><div class='position'>您现在的位置：首页 &gt; 政府信息公开 &gt; 年报</div>"
    )
    parts.append("<div class='article'>")
    for b in bs:
        if b.kind == "table":
            parts.append(f"<table class='MsoNormalTable' border='1' cellspacing='0' cellpadding='0' style='{style}'>")
            for r in b.rows:
                parts.append(
                    "<tr style='height:20pt'>"
                    + "".join(
                        f"<td style='{style}' valign='center'><p class='MsoNormal' align='center' style='text-align:center'>"
                        f"<span style='font-size:10.5pt;font-family:宋体'>{escape(c)}</span></p></td>"
                        for c in r
                    )
                    + "</tr>"
                )
            parts.append("</table>")
        else:
            tag = "h1" if b.kind == "title" else "p"
            parts.append(
                f"<{tag} class='MsoNormal' style='text-indent:32pt;line-height:28pt'><span style='font-size:16pt;font-family:仿宋_GB2312'>{escape(b.text)}</span></{tag}>"
            )
    parts.append("</div>")
    links = []
    i = 0
    while sum(len(p) for p in parts) + sum(len(x) for x in links) < size - 400:
        links.append(
            f"<li><a href='/art/2024/1/{i}/art_{i}.html' title='相关信息{i}'>关于印发某某工作方案的通知（第{i}号）</a><span>2024-01-01</span></li>"
        )
        i += 1
    parts.append(
        "<div class='footer'><ul class='related'>"
        + "".join(links)
        + "</ul><p>版权所有 主办单位：某某县人民政府</p></div></body></html>"
    )
    return "\n".join(parts)


# -- damage --------------------------------------------------------------------------------------

Damage = Callable[[list[Block], random.Random], str]


def _one_line(bs: list[Block], rng: random.Random) -> str:
    return re.sub(r"[\s\u3000]+", "", as_text(bs))


def _table_glued(bs: list[Block], rng: random.Random) -> str:
    for b in bs:
        if b.kind == "table":
            b.rows = [["".join(r)] for r in b.rows]
    return as_text(bs)


def _table_spaces(bs: list[Block], rng: random.Random) -> str:
    return as_text(bs).replace("\t", " ")


_FOOTERS = ("— {n} —", "第{n}页 共{m}页", "- {n} -", "{n}")


def _footers(bs: list[Block], rng: random.Random) -> str:
    n = rng.randint(2, 6)
    for b in bs:
        if b.kind == "table" and len(b.rows) > 3:
            at = rng.randint(2, len(b.rows) - 1)
            footer = rng.choice(_FOOTERS).format(n=n, m=n + rng.randint(2, 6))
            b.rows = [*b.rows[:at], [footer], *b.rows[at:]]
            n += 1
    return as_text(bs)


@functools.cache
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def _traditional(bs: list[Block], rng: random.Random) -> str:
    return _s2t().convert(as_text(bs))


_OCR = {"0": ("O", "o", "〇"), "1": ("l", "丨", "I")}


def _ocr(bs: list[Block], rng: random.Random) -> str:
    """OCR confusions in the figures of the tables: 0 read as O/o/〇, 1 as l/丨/I."""
    for b in bs:
        if b.kind != "table":
            continue
        for r in b.rows:
            for i, c in enumerate(r):
                if c.isdigit() and rng.random() < 0.25:
                    r[i] = "".join(rng.choice(_OCR[ch]) if ch in _OCR and rng.random() < 0.7 else ch for ch in c)
    return as_text(bs)


def _lost_cell(bs: list[Block], rng: random.Random) -> str:
    """One figure of table 三 or 四 lost in conversion, its separator with it."""
    tables = [b for b in bs if b.kind == "table" and b.table in ("table_3", "table_4")]
    b = rng.choice(tables)
    rows = [r for r in b.rows if any(c.isdigit() for c in r)]
    row = rng.choice(rows)
    idx = rng.choice([i for i, c in enumerate(row) if c.isdigit()])
    del row[idx]
    return as_text(bs)


def _t4_split(bs: list[Block], rng: random.Random) -> str:
    """Table 四 as three five-column tables under the sub-headings of its column groups."""
    out: list[Block] = []
    for b in bs:
        if b.kind != "table" or b.table != "table_4":
            out.append(b)
            continue
        values = b.rows[-1]
        head = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
        for k, title in enumerate(("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")):
            out.append(Block("para", title if rng.random() < 0.5 else title.replace("行政诉讼（", "").rstrip("）")))
            out.append(Block("table", table="table_4", rows=[head[:], values[5 * k : 5 * k + 5]]))
    return as_text(out)


def _t4_transposed(bs: list[Block], rng: random.Random) -> str:
    """Table 四 turned on its side: the three groups as columns, one row per result."""
    for b in bs:
        if b.kind != "table" or b.table != "table_4":
            continue
        values = b.rows[-1]
        groups = ["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"]
        if rng.random() < 0.5:
            groups = ["行政复议", "未经复议直接起诉", "复议后起诉"]
        rows = [["", *groups]]
        for i, name in enumerate(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")):
            rows.append([name, values[i], values[5 + i], values[10 + i]])
        b.rows = rows
    return as_text(bs)


def _t3_subtotal(bs: list[Block], rng: random.Random) -> str:
    """Table 三 with a 小计 column for 法人或其他组织 before 总计 (eight figures a row)."""
    for b in bs:
        if b.kind != "table" or b.table != "table_3":
            continue
        total_at = next(i for i, c in enumerate(b.rows[1]) if c == "总计")
        for k, r in enumerate(b.rows):
            if k < 3:
                r.insert(total_at, "小计" if k == 2 else "")
            elif len(r) > total_at and r[total_at].isdigit():
                r.insert(total_at, str(sum(int(v) for v in r[total_at - 5 : total_at])))
    return as_text(bs)


def _renumbered(bs: list[Block], rng: random.Random) -> str:
    """An extra prose section on proactive work after 总体情况, every later section renumbered."""
    out: list[Block] = []
    seen = 0
    for b in bs:
        if b.kind == "heading":
            seen += 1
            if seen == 2:
                out.append(Block("heading", "X、主动公开工作情况"))
                out.append(Block("para", "全面推进决策、执行、管理、服务、结果公开，主动公开各类政府信息。"))
        out.append(b)
    numerals = iter("一二三四五六七八九十")
    for b in out:
        if b.kind == "heading":
            b.text = next(numerals) + "、" + b.text.split("、", 1)[1]
    return as_text(out)


def _prose_sections(bs: list[Block], rng: random.Random) -> str:
    """Sections of prose on proactive and on-request work inserted after 总体情况, named with the
    words of the table sections (主动公开…, 依申请公开…), every later section renumbered: the
    tables must still be found under their own headings."""
    out: list[Block] = []
    seen = 0
    for b in bs:
        if b.kind == "heading":
            seen += 1
            if seen == 2:
                out.append(Block("heading", "X、主动公开工作情况"))
                out.append(Block("para", "全面推进决策、执行、管理、服务、结果公开，主动公开各类政府信息。"))
                out.append(Block("heading", "X、依申请公开工作情况"))
                out.append(Block("para", "规范依申请公开工作流程，按时答复申请人。"))
        out.append(b)
    numerals = iter("一二三四五六七八九十")
    for b in out:
        if b.kind == "heading":
            b.text = next(numerals) + "、" + b.text.split("、", 1)[1]
    return as_text(out)


DAMAGES: dict[str, Damage] = {
    "none": lambda bs, rng: as_text(bs),
    "one_line": _one_line,
    "table_glued": _table_glued,
    "table_spaces": _table_spaces,
    "footers": _footers,
    "traditional": _traditional,
    "ocr": _ocr,
    "lost_cell": _lost_cell,
    "t4_split": _t4_split,
    "renumbered": _renumbered,
    "prose_sections": _prose_sections,
    "t3_subtotal": _t3_subtotal,
    "t4_transposed": _t4_transposed,
    "t4_transposed_spaces": lambda bs, rng: _t4_transposed(bs, rng).replace("\t", " "),
    # damage on damage: what an OCR'd page looks like after a crawler collapsed it, and so on
    "one_line_ocr": lambda bs, rng: re.sub(r"[\s\u3000]+", "", _ocr(bs, rng)),
    "one_line_traditional": lambda bs, rng: _s2t().convert(_one_line(bs, rng)),
    "spaces_ocr": lambda bs, rng: _ocr(bs, rng).replace("\t", " "),
    "lost_cell_one_line": lambda bs, rng: (_lost_cell(bs, rng), _one_line(bs, rng))[1],
    "lost_cell_spaces": lambda bs, rng: (_lost_cell(bs, rng), _table_spaces(bs, rng))[1],
}
RENDERINGS = ("markdown", "html", "docx")


def case(kind: str, seed: int) -> tuple[ReportContent, str, bytes]:
    """The report of ``seed`` rendered and damaged as ``kind``: (content, file name, bytes)."""
    content = random_content(seed)
    rng = random.Random(seed * 7919 + 1)
    if kind == "markdown":
        return content, f"{seed}.md", as_markdown(content).encode()
    if kind == "html":
        return content, f"{seed}.html", as_html(blocks(content)).encode()
    if kind == "docx":  # Word: each run of tab rows a table with merged cells (the benchmark inputs' writer)
        from benchmarks.audit_inputs import to_docx

        return content, f"{seed}.docx", to_docx(as_text(blocks(content)))
    return content, f"{seed}-{kind}.txt", DAMAGES[kind](blocks(content), rng).encode()


# -- scoring -------------------------------------------------------------------------------------

# findings that say something untrue of a generated report, whatever the damage: it has every
# section and table, a year, an agency, consistent tables and prose agreeing with the tables
FALSE_RULES = frozenset(
    {
        "missing_section",
        "missing_table",
        "format_mismatch",
        "year_unknown",
        "agency_unknown",
        "template_residue",
        "other_agency",
        "prose_table_mismatch",
        "parts_sum_mismatch",
        "reader_error",
    }
)


def _is_false(rule: str) -> bool:
    return rule in FALSE_RULES or rule[:3] in ("t2_", "t3_", "t4_")


def _leaves(node: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, f"{prefix}.{k}" if prefix else k)
    else:
        yield prefix, node


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(repr(a) if isinstance(a, float) else str(a)) == Decimal(repr(b) if isinstance(b, float) else str(b))


@dataclass
class Score:
    cells: int = 0
    right: int = 0
    open: int = 0
    named: int = 0  # open cells whose written value is among the candidates a finding names
    wrong: list[str] = field(default_factory=list)
    false_findings: list[str] = field(default_factory=list)
    findings_undamaged: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.cells += other.cells
        self.right += other.right
        self.open += other.open
        self.named += other.named
        self.wrong += other.wrong
        self.false_findings += other.false_findings
        self.findings_undamaged += other.findings_undamaged


def candidates(report: Any) -> dict[str, list[Any]]:
    """Cell path -> the values findings name for it (ambiguous or unreadable cells): per cell
    (``{path: [values]}``), per row (readings aligned with the finding's cells) or per row of
    table 三 (``{row_key: [readings]}``, the cells of each row in the finding's order)."""
    out: dict[str, list[Any]] = {}
    for f in report.findings:
        a = f.actual
        if f.rule not in ("ambiguous_cells", "unreadable_cells") or not a:
            continue
        if isinstance(a, dict) and all(str(k).startswith("table_") for k in a):
            for path, values in a.items():
                out.setdefault(path, []).extend(values)
        elif isinstance(a, dict):
            for row_key, readings in a.items():
                paths = [c for c in f.cells if c.rsplit(".", 1)[0].endswith("." + row_key)]
                for r in readings:
                    for path, v in zip(paths, r):
                        out.setdefault(path, []).append(v)
        elif isinstance(a, list) and isinstance(a[0], (list, tuple)):
            for r in a:
                for path, v in zip(f.cells, r):
                    out.setdefault(path, []).append(v)
    return out


def score(content: ReportContent, report: Any, *, undamaged: bool) -> Score:
    s = Score()
    read = dict(_leaves(report.tables))
    named = candidates(report)
    for path, value in _leaves(dict(content.tables)):
        s.cells += 1
        got = read.get(path)
        if got is None:
            s.open += 1
            if any(v is not None and _same(v, value) for v in named.get(path, ())):
                s.named += 1
        elif _same(got, value):
            s.right += 1
        else:
            s.wrong.append(f"{path}: {value} read as {got}")
    for f in report.findings:
        if _is_false(f.rule):
            s.false_findings.append(f"{f.rule}: {f.message}")
        elif undamaged:
            s.findings_undamaged.append(f"{f.rule}: {f.message}")
    return s


def run_case(kind: str, seed: int) -> Score:
    from gongkai.domain.audit import audit_bytes

    content, name, data = case(kind, seed)
    report = audit_bytes(data, name)
    sc = score(content, report, undamaged=kind in ("none", *RENDERINGS))
    sc.wrong = [f"[{kind} seed={seed}] {w}" for w in sc.wrong]
    sc.false_findings = [f"[{kind} seed={seed}] {w}" for w in sc.false_findings]
    sc.findings_undamaged = [f"[{kind} seed={seed}] {w}" for w in sc.findings_undamaged]
    return sc
