"""HTML: block structure to lines, chrome dropped, tables expanded into grids (selectolax's Lexbor parser)."""

from __future__ import annotations

import re
from html import unescape as _html_unescape
from typing import Any

from gongkai.domain.audit.limits import DEFAULT_LIMITS, ReaderLimits
from gongkai.domain.audit.model import RawDocument
from gongkai.domain.audit.sources.build import (
    _ATTR_WORDS,
    _BLANKS,
    _LEADING_NUMBER,
    _SCRIPT_ELEMENT,
    _SPACES,
    _Builder,
    _clean_cell,
    _join_lines,
    _rectangular,
)
from gongkai.domain.audit.sources.common import _MAX_COLSPAN

_MAX_GRID_CELLS = 1_000_000  # a table larger than this is not span-expanded
_MAX_ROWSPAN = 65534  # the HTML limit (and never beyond the table's own rows)


_SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "iframe",
        "frame",
        "object",
        "embed",
        "svg",
        "math",
        "canvas",
        "select",
        "option",
        "button",
        "input",
        "textarea",
        "audio",
        "video",
        "map",
        "-comment",
        "-doctype",
    }
)
_BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "listing",
        "xmp",
        "plaintext",
        "frameset",
        "noframes",
    }
)
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside"})
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "menubar"})
_CHROME_TOKENS = frozenset(
    {
        "nav",
        "navbar",
        "navigation",
        "menu",
        "breadcrumb",
        "breadcrumbs",
        "crumb",
        "crumbs",
        "footer",
        "header",
        "topbar",
        "sidebar",
        "copyright",
        "share",
        "toolbar",
        # breadcrumbs on Chinese government sites: 您现在的位置 / 当前位置 (dqwz)
        "position",
        "location",
        "weizhi",
        "dqwz",
        "curpos",
    }
)
_KEEP_WORDS = ("报告", "報告", "政府信息公开", "政府信息公開")
_WS = re.compile(r"[ \t\n\r\f]+")


_NESTING_TAG = re.compile(
    r"<(/?)(div|ul|ol|dl|section|article|aside|nav|header|footer|main|blockquote|center|fieldset|figure|form|"
    r"details|dialog|menu|dir|address|hgroup|pre|listing)[\s/>]",
    re.IGNORECASE,
)
_MAX_BLOCK_DEPTH = 2000
_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(p|div|br|hr|li|tr|h[1-6]|table|section|article|ul|ol|dl|dt|dd|blockquote|pre|center|form)\b[^>]*>",
    re.IGNORECASE,
)


def _block_depth(text: str) -> int:
    """How deep block elements nest (Lexbor's parse time grows with depth × elements)."""
    depth = deepest = 0
    for m in _NESTING_TAG.finditer(text):
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > _MAX_BLOCK_DEPTH:
                    break
    return deepest


def _html_as_text(text: str, encoding: str | None, name: str, problem: str, limits: ReaderLimits) -> RawDocument:
    """Crude reading of markup the parser cannot take: block tags → line breaks, tags dropped."""
    text = _SCRIPT_ELEMENT.sub("", text)
    text = _BLOCK_TAG.sub("\n", text)
    text = _html_unescape(_TAG.sub("", text)).replace("\xa0", " ")
    lines = [_BLANKS.sub(" ", ln).strip() for ln in text.split("\n")]
    out = _Builder(limits)
    for line in lines:
        out.line(line) if line else out.blank()
    result, _ = out.result()
    return RawDocument(name=name, kind="html", text=result, encoding=encoding, problems=(problem, *out.notes))


def _read_html(text: str, encoding: str | None, name: str, limits: ReaderLimits = DEFAULT_LIMITS) -> RawDocument:
    from selectolax.lexbor import LexborHTMLParser

    if _block_depth(text) > _MAX_BLOCK_DEPTH:
        return _html_as_text(text, encoding, name, "HTML标签嵌套过深，已去掉标签按纯文本读取（表格结构已丢失）", limits)
    tree = LexborHTMLParser(text)
    root = tree.body or tree.root
    problems: list[str] = []
    out = _Builder(limits)
    if root is None:
        return RawDocument(name=name, kind="html", text="", encoding=encoding, problems=("HTML中没有可读的文字",))
    skip, layout = _prepass(root)
    walker = _HtmlWalker(out, skip, problems, layout)
    walker.walk(root)
    result, tables = out.result()
    problems.extend(out.notes)
    if not result.strip():
        title = tree.css_first("title")
        title_text = _clean_cell(title.text(deep=True)) if title is not None else ""
        if title_text:
            result = title_text
        problems.append("HTML中没有可读的正文")
    return RawDocument(
        name=name, kind="html", text=result, tables=tables, encoding=encoding, problems=tuple(dict.fromkeys(problems))
    )


_MAX_CHROME_CANDIDATES = 200


def _prepass(root: Any) -> tuple[set[int], set[int]]:
    """One walk of the DOM: the chrome to leave out and the tables that hold tables (layout).

    Chrome: nav/header/footer/aside and role/class/id look-alikes. Only small pieces are removed
    (under 30% of the page text), and never one that holds a table, an ``<h1>`` or the words
    报告/政府信息公开 (it may carry the report's title). The look-up is bounded (candidates and
    text examined), so pathological markup stops the chrome removal, not the reading.

    Layout tables: a table is marked when a table is found below it (the nearest enclosing table
    is marked; the ones further out were marked by it).
    """
    total = len(_WS.sub("", root.text(deep=True, separator="")))
    budget = 4 * total + 200_000
    candidates = 0
    chrome: set[int] = set()
    layout: set[int] = set()
    # (node, enclosing table's mem_id or 0)
    stack: list[tuple[Any, int]] = [(root, 0)]
    while stack:
        node, table_id = stack.pop()
        tag = node.tag
        if not isinstance(tag, str) or tag.startswith("-") or tag in _SKIP_TAGS:
            continue
        if tag == "table":
            if table_id:
                layout.add(table_id)
            table_id = node.mem_id
        elif total and candidates < _MAX_CHROME_CANDIDATES and budget > 0 and _is_chrome_candidate(node, tag):
            candidates += 1
            content = node.text(deep=True, separator="")
            budget -= len(content)
            content = _WS.sub("", content)
            if (
                budget >= 0
                and len(content) <= 0.3 * total
                and not any(w in content for w in _KEEP_WORDS)
                and node.css_first("table, h1") is None
            ):
                chrome.add(node.mem_id)
                continue
        stack.extend((child, table_id) for child in reversed(list(node.iter())))
    return chrome, layout


def _is_chrome_candidate(node: Any, tag: str) -> bool:
    if tag in ("body", "html", "table", "tr", "td", "th", "tbody", "thead", "tfoot", "main", "article"):
        return False
    if tag in _CHROME_TAGS:
        return True
    attrs = node.attributes or {}
    role = (attrs.get("role") or "").strip().lower()
    if role in _CHROME_ROLES:
        return True
    words = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
    if _CHROME_ANY.search(words) is None:  # the usual case (MsoNormal, content…), decided at once
        return False
    return bool(set(_ATTR_WORDS.split(words)) & _CHROME_TOKENS)


# any chrome token as a substring: a cheap filter before the exact word test above
_CHROME_ANY = re.compile("|".join(sorted(map(re.escape, _CHROME_TOKENS), key=len, reverse=True)))


class _HtmlWalker:
    """Depth-first walk of the DOM (iterative: deep junk nesting must not overflow the stack)."""

    def __init__(self, out: _Builder, skip: set[int], problems: list[str], layout: set[int] | None = None) -> None:
        self.out = out
        self.skip = skip
        self.layout = layout or set()
        self.problems = problems
        self.buf: list[str] = []
        self.pre = 0

    def flush(self) -> None:
        if not self.buf:
            return
        joined = "".join(self.buf)
        self.buf = []
        for raw in joined.split("\n"):
            line = raw.replace("\xa0", " ").replace("\t", " ")
            if "  " in line:
                line = _SPACES.sub(" ", line)
            line = line.strip()
            if line:
                self.out.line(line)

    def walk(self, root: Any) -> None:
        stack: list[tuple[Any, bool]] = [(root, False)]
        while stack and not self.out.full:
            node, leaving = stack.pop()
            tag = node.tag
            if leaving:
                if tag == "pre":
                    self.flush()
                    self.pre -= 1
                elif tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "table"):
                    self.flush()
                    self.out.blank()
                else:
                    self.flush()
                continue
            if tag == "-text":
                value = node.text_content or ""
                self.buf.append(value.replace("\r\n", "\n") if self.pre else _WS.sub(" ", value))
                continue
            if tag in _SKIP_TAGS or not isinstance(tag, str) or tag.startswith("-"):
                continue
            if node.mem_id in self.skip:
                continue
            if tag == "br":
                self.buf.append("\n")
                continue
            if tag == "hr":
                self.flush()
                continue
            if tag == "table":
                grid = self._data_table(node)
                if grid is not None:
                    self.flush()
                    caption = node.css_first("caption")
                    if caption is not None:
                        cap = _clean_cell(caption.text(deep=True, separator=" "))
                        if cap:
                            self.out.line(cap)
                    self.out.table(grid)
                    continue
            if tag in _BLOCK_TAGS:
                self.flush()
                if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6"):
                    self.out.blank()
                if tag == "pre":
                    self.pre += 1
                stack.append((node, True))
            children = list(node.iter(include_text=True))
            stack.extend((c, False) for c in reversed(children))

    def _data_table(self, table: Any) -> tuple[tuple[str, ...], ...] | None:
        """The expanded grid of a data table, or None for a layout table (walked as blocks)."""
        if table.mem_id in self.layout:  # nested tables: a page laid out with tables
            return None
        rows = _html_rows(table, self.out.limits)
        grid = _html_grid(rows, self.problems, self.out.limits)
        if grid is None:
            return None
        width = max((len(r) for r in grid), default=0)
        if width <= 1 or any(len(c) > 1000 for r in grid for c in r):
            return None
        return grid


def _html_rows(table: Any, limits: ReaderLimits = DEFAULT_LIMITS) -> list[list[tuple[str, int, int]]]:
    """The table's own rows: [(cell text, colspan, rowspan), ...] per <tr>, one row and one column
    beyond the limits at most (so the builder sees that a limit was passed and says so)."""
    rows: list[list[tuple[str, int, int]]] = []
    trs: list[Any] = []
    for child in table.iter():
        if child.tag == "tr":
            trs.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            trs.extend(c for c in child.iter() if c.tag == "tr")
    max_cols = min(_MAX_COLSPAN, limits.max_table_columns + 1)
    for tr in trs[: limits.max_table_rows + 1]:
        cells = []
        width = 0
        for td in tr.iter():
            if td.tag not in ("td", "th"):
                continue
            if width > limits.max_table_columns:
                break
            attrs = td.attributes or {}
            colspan = _span(attrs.get("colspan"), max_cols)
            rowspan = _span(attrs.get("rowspan"), min(_MAX_ROWSPAN, limits.max_table_rows + 1))
            cells.append((_cell_text(td), colspan, rowspan))
            width += colspan
        rows.append(cells)
    return rows


def _span(value: str | None, limit: int) -> int:
    if not value:
        return 1
    m = _LEADING_NUMBER.match(value)
    if not m:
        return 1
    n = int(m.group(1)[:6])
    return 1 if n < 1 else min(n, limit)  # rowspan=0 ("to the end") is read as 1


def _cell_text(td: Any) -> str:
    sub = _Builder()
    walker = _HtmlWalker(sub, set(), [])
    walker.walk(td)
    walker.flush()
    text, _ = sub.result()
    return _join_lines([ln for ln in text.split("\n") if ln.strip()])


def _html_grid(
    rows: list[list[tuple[str, int, int]]], problems: list[str], limits: ReaderLimits = DEFAULT_LIMITS
) -> tuple[tuple[str, ...], ...] | None:
    """Expand spans: text in the top-left position, empty strings in the rest of the span.

    A span never reaches beyond one column past the column limit (the builder cuts the rest)."""
    if not rows:
        return None
    n_rows = len(rows)
    max_col = limits.max_table_columns + 1
    estimate = sum(sum(cs for _, cs, _ in r) for r in rows)
    expand = estimate <= _MAX_GRID_CELLS
    if not expand:
        problems.append("表格过大，合并单元格未展开")
    grid: list[dict[int, str]] = [{} for _ in range(n_rows)]
    cells_placed = 0
    for r, cells in enumerate(rows):
        c = 0
        for text, colspan, rowspan in cells:
            while c in grid[r]:
                c += 1
            if not expand:
                colspan = rowspan = 1
            if c >= max_col:
                break
            colspan = min(colspan, max_col - c)
            rowspan = min(rowspan, n_rows - r)
            for dr in range(rowspan):
                row = grid[r + dr]
                for dc in range(colspan):
                    row[c + dc] = text if (dr == 0 and dc == 0) else ""
            cells_placed += colspan * rowspan
            if cells_placed > 4 * _MAX_GRID_CELLS:
                problems.append("表格过大，已截断")
                return _rectangular([_dense(g) for g in grid[: r + 1]])
            c += colspan
    return _rectangular([_dense(g) for g in grid])


def _dense(row: dict[int, str]) -> list[str]:
    if not row:
        return []
    width = max(row) + 1
    return [row.get(i, "") for i in range(width)]
