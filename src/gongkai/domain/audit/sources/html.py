"""HTML: block structure to lines, chrome dropped, tables expanded into grids (selectolax's Lexbor parser).

Kept in one module past ~600 lines on purpose: the block walk, the chrome filter and the grid
expansion share one pass over the tree and its counters (the input limits), and splitting them
would put that pass's state in three places. What runs before the tree exists (the nesting scan,
the crude reading of a page too deep to parse) is in html_nesting.py."""

from __future__ import annotations

import re
from typing import Any

from gongkai.domain.audit.limits import DEFAULT_LIMITS, ReaderLimits
from gongkai.domain.audit.model import RawDocument
from gongkai.domain.audit.sources.build import (
    _ATTR_WORDS,
    _LEADING_NUMBER,
    _SPACES,
    _Builder,
    _clean_cell,
    _join_lines,
    _rectangular,
)
from gongkai.domain.audit.sources.common import _MAX_COLSPAN
from gongkai.domain.audit.sources.html_nesting import (
    _MAX_BLOCK_DEPTH,
    _NESTING_NAMES,
    _html_as_text,
    _lowered,
    _nesting,
    _utf8,
)

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
# what the walk does with a node, by its tag (decided once per tag name, and once per tag_id of a
# page: selectolax gives a node's tag_id at half the cost of its name). _PARA: p and h1-h6, leaf
# blocks with a blank line before and after; _CELL_BLOCK: div and center, the other blocks a cell
# may hold and still be one line; _PRE: pre, the block keeping its line breaks.
# (in this order: the walk tells the blocks, _LEAF and after, and the leaves, _LEAF and _PARA, by it)
_TEXT, _INLINE, _SKIP, _BR, _HR, _TABLE, _LEAF, _PARA, _PRE, _BLOCK, _CELL_BLOCK = range(11)
_TAG_KIND: dict[Any, int] = {}
# what the walk pushes to find when it leaves a block: nothing more to do, a blank line, the end of <pre>
_END, _END_BLANK, _END_PRE = range(3)


def _tag_kind(tag: Any) -> int:
    if tag == "-text":
        kind = _TEXT
    elif tag in _SKIP_TAGS or not isinstance(tag, str) or tag.startswith("-"):
        kind = _SKIP
    elif tag == "br":
        kind = _BR
    elif tag == "hr":
        kind = _HR
    elif tag == "table":
        kind = _TABLE
    elif tag in _LEAF_BLOCKS:
        kind = _PARA if tag in _CELL_BLOCKS else _LEAF
    elif tag == "pre":
        kind = _PRE
    elif tag in _CELL_BLOCKS:
        kind = _CELL_BLOCK
    elif tag in _BLOCK_TAGS:
        kind = _BLOCK
    else:
        kind = _INLINE
    if len(_TAG_KIND) < 10_000:  # bounded: a hostile page may invent any number of tag names
        _TAG_KIND[tag] = kind
    return kind


def _node_kind(kinds: dict[int, int], node: Any) -> int:
    """The kind of ``node``, kept in the page's ``kinds`` by its tag_id.

    Per page, not per process: the tag_id of a name selectolax does not know is made for the page
    (a name of the standard has one number everywhere). Every node with one tag_id has one name,
    but in SVG and MathML, where a few names keep capitals (clipPath, foreignObject): none of them
    is a name the kinds list, so every name of a tag_id is of one kind."""
    tag = node.tag
    kind = _TAG_KIND.get(tag)
    if kind is None:
        kind = _tag_kind(tag)
    if tag is not None:  # (a node with no name: a kind of its own, never kept)
        kinds[node.tag_id] = kind
    return kind


# block elements that usually hold only text (the walk takes their text at once when they do)
_LEAF_BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd"})
# the one block a cell may hold and still be read as a single line
_CELL_BLOCKS = frozenset({"p", "div", "center", "h1", "h2", "h3", "h4", "h5", "h6"})
_KEEP_WORDS = ("报告", "報告", "政府信息公开", "政府信息公開")
_WS = re.compile(r"[ \t\n\r\f]+")


def _collapse(text: str) -> str:
    """``_WS.sub(" ", text)``: runs of white space as one space. Most lines have none to collapse,
    and say so at a fraction of the regex's cost on CJK text: the four control characters are not
    printable, and without two spaces in a row there is no run longer than one."""
    if text.isprintable() and "  " not in text:
        return text
    return _WS.sub(" ", text)


def _read_html(text: str, encoding: str | None, name: str, limits: ReaderLimits = DEFAULT_LIMITS) -> RawDocument:
    from selectolax.lexbor import LexborHTMLParser

    cut_note = ""
    tags = 2 * limits.max_html_nodes  # a start and an end tag for each element the walk may visit
    count = text.count("<")
    if count > tags:
        # even parsing is seconds a few MB of millions of tags: cut before the tag past the limit
        text = text[: _nth(text, "<", tags + 1)]
        cut_note = f"HTML页面的标签超过{tags:,}个，其余部分未读取"
    utf8 = _utf8(text)
    lowered = _lowered(text, utf8)
    depth, opened = _nesting(text, lowered, count)
    if depth > _MAX_BLOCK_DEPTH:
        deep = "HTML标签嵌套过深，已去掉标签按纯文本读取（表格结构已丢失）"
        return _html_as_text(text, encoding, name, f"{cut_note}；{deep}" if cut_note else deep, limits)
    # the parser is given the bytes made for the scan above: it would encode a str the same way
    # (a page with a lone surrogate is given as it stands: the parser drops the surrogate)
    tree = LexborHTMLParser(text if utf8 is None else utf8)
    root = tree.body or tree.root
    problems: list[str] = [cut_note] if cut_note else []
    out = _Builder(limits)
    if root is None:
        return RawDocument(name=name, kind="html", text="", encoding=encoding, problems=("HTML中没有可读的文字",))
    # no nav, header, footer or aside element where the scan met no such tag (the parser makes
    # them from their tags only): the selector engine is not asked for them
    chrome, holders = _prepass(root, chrome_tags=opened is None or not opened.isdisjoint(_CHROME_TAG_NAMES))
    walker = _HtmlWalker(out, chrome, problems, holders=holders, nested_is_layout=True, max_nodes=limits.max_html_nodes)
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


def _nth(text: str, char: str, n: int) -> int:
    """The index of the ``n``-th ``char`` of ``text`` (1-based; it must be there)."""
    at = -1
    for _ in range(n):
        at = text.find(char, at + 1)
    return at


_MAX_CHROME_CANDIDATES = 200


def _prepass(root: Any, *, chrome_tags: bool = True) -> tuple[set[int], set[int]]:
    """The chrome to leave out (mem_id of each element), and the elements holding some of it.

    Chrome: nav/header/footer/aside and role/class/id look-alikes. Only small pieces are removed
    (under 30% of the page text), and never one that holds a table, an ``<h1>`` or the words
    报告/政府信息公开 (it may carry the report's title). The look-up is bounded (candidates and
    text examined), so pathological markup stops the chrome removal, not the reading.

    The candidates are those a depth-first walk of the DOM meets, in document order, not entering
    the skipped elements (script, style…) nor a piece of chrome once it is left out; Lexbor's
    selector engine finds the few elements that can qualify, so the walk is not made in Python.
    ``chrome_tags``: whether the page may hold nav, header, footer or aside elements.
    """
    page = root.text(deep=True, separator="")
    # the characters other than white space (as len(_WS.sub("", page)), without making the string)
    total = len(page) - sum(page.count(c) for c in " \t\n\r\f")
    chrome: dict[int, Any] = {}
    if not total:
        return set(), set()
    budget = 4 * total + 200_000
    candidates = 0
    by_tag: dict[int, int] = {}  # the page's tag_ids: _NOT_CHROME, _CHROME_TAG or _BY_NAMES
    last = None
    for node in root.css(_CHROME_SELECTOR if chrome_tags else _CHROME_NAMES_SELECTOR):
        mem_id = node.mem_id
        if mem_id == last:  # Lexbor lists an element once per selector it matches, in a row
            continue
        last = mem_id
        verdict = by_tag.get(node.tag_id)
        if verdict is None:
            verdict = _chrome_tag(by_tag, node)
        if verdict == _NOT_CHROME or (verdict == _BY_NAMES and not _names_say_chrome(node)):
            continue
        if not _reached(node, chrome):
            continue
        # a candidate as many times as the selector without the Word classes listed it (the
        # budget and the count of candidates have always counted it so)
        content = node.text(deep=True, separator="")
        small: bool | None = None
        for _ in range(_selector_matches(node, verdict)):
            if candidates >= _MAX_CHROME_CANDIDATES or budget <= 0:
                return set(chrome), _holders(chrome.values())
            candidates += 1
            budget -= len(content)
            if budget < 0:
                continue
            if small is None:
                # (the size without white space counted first: the footer holding a page's link
                # list is tens of KB, too big to be chrome, and is not copied without its white space)
                small = (
                    len(content) - sum(content.count(c) for c in " \t\n\r\f") <= 0.3 * total
                    and not _keeps(_WS.sub("", content))
                    and node.css_first("table, h1") is None
                )
            if small:
                chrome[mem_id] = node
    return set(chrome), _holders(chrome.values())


def _selector_matches(node: Any, verdict: int) -> int:
    """How many of the selectors nav, header, footer, aside, [role], [class], [id] ``node`` matches."""
    attrs = node.attributes
    return (verdict == _CHROME_TAG) + ("role" in attrs) + ("class" in attrs) + ("id" in attrs)


def _keeps(content: str) -> bool:
    """Whether a piece of the page says 报告/政府信息公开 (it may carry the report's title)."""
    return any(w in content for w in _KEEP_WORDS)


def _holders(chrome: Any) -> set[int]:
    """The elements (mem_id) with some of the ``chrome`` elements below them."""
    holders: set[int] = set()
    for node in chrome:
        parent = node.parent
        while parent is not None:
            mem_id = parent.mem_id
            if mem_id in holders:
                break
            holders.add(mem_id)
            parent = parent.parent
    return holders


def _holds_table(table: Any) -> bool:
    """Whether the walk would find a table below ``table`` (one not inside a skipped element)."""
    stop = table.mem_id
    for inner in table.css("table"):
        if inner.mem_id == stop:  # the selector engine matches the table itself too
            continue
        node = inner.parent
        while node is not None and node.mem_id != stop:
            if node.tag in _SKIP_TAGS:
                break
            node = node.parent
        else:
            return True
    return False


def _reached(node: Any, chrome: set[int]) -> bool:
    """Whether the walk reaches ``node``: no ancestor is skipped or already chrome."""
    parent = node.parent
    while parent is not None:
        if parent.tag in _SKIP_TAGS or parent.mem_id in chrome:
            return False
        parent = parent.parent
    return True


_NEVER_CHROME = frozenset({"body", "html", "table", "tr", "td", "th", "tbody", "thead", "tfoot", "main", "article"})
# whether a class and an id name chrome, by (class, id): a page repeats a few (MsoNormal…)
_CHROME_NAMES: dict[tuple[str | None, str | None], bool] = {}


# whether an element with a tag_id of the page can be chrome: never, by its tag, by its names
_NOT_CHROME, _CHROME_TAG, _BY_NAMES = range(3)


def _chrome_tag(by_tag: dict[int, int], node: Any) -> int:
    """Whether ``node`` can be chrome as far as its tag says, kept in the page's ``by_tag``
    (every name of a tag_id says the same: see :func:`_node_kind`)."""
    tag = node.tag
    if not isinstance(tag, str):
        return _NOT_CHROME
    verdict = _NOT_CHROME if tag in _NEVER_CHROME else _CHROME_TAG if tag in _CHROME_TAGS else _BY_NAMES
    by_tag[node.tag_id] = verdict
    return verdict


def _names_say_chrome(node: Any) -> bool:
    """Whether the element's role, class or id names chrome."""
    attrs = node.attributes
    if "role" in attrs and (attrs["role"] or "").strip().lower() in _CHROME_ROLES:
        return True
    names = (attrs.get("class"), attrs.get("id"))
    chrome = _CHROME_NAMES.get(names)
    if chrome is None:
        chrome = _names_chrome(*names)
        if len(_CHROME_NAMES) < 10_000:  # bounded: a hostile page may invent any number of names
            _CHROME_NAMES[names] = chrome
    return chrome


def _names_chrome(class_: str | None, id_: str | None) -> bool:
    words = f"{class_ or ''} {id_ or ''}".lower()
    if _CHROME_ANY.search(words) is None:  # the usual case (MsoNormal, content…), decided at once
        return False
    return bool(set(_ATTR_WORDS.split(words)) & _CHROME_TOKENS)


# any chrome token as a substring: a cheap filter before the exact word test above
_CHROME_ANY = re.compile("|".join(sorted(map(re.escape, _CHROME_TOKENS), key=len, reverse=True)))
# classes Word gives every paragraph and table it exports (hundreds on a page), named nothing like
# chrome: an element with one of them and no id or role is not looked at (the selector engine
# leaves it out at no cost; reading its attributes in Python was a third of the look-up)
_WORD_CLASSES = ("MsoNormal", "MsoNormalTable", "MsoTableGrid", "MsoBodyText", "MsoListParagraph", "MsoPlainText")
# every element that can be chrome (and more); without the tags, every one a page with none of them
# can hold (the selector engine takes as long for the four tags as for the three attributes)
_CHROME_NAMES_SELECTOR = ",".join(
    [
        "[role]",
        "[id]",
        "[class]" + "".join(f':not([class="{c}"])' for c in _WORD_CLASSES if not _names_chrome(c, None)),  # (none is)
    ]
)
_CHROME_SELECTOR = ",".join([*sorted(_CHROME_TAGS), _CHROME_NAMES_SELECTOR])
_CHROME_TAG_NAMES = frozenset(t.encode() for t in _CHROME_TAGS)
assert _CHROME_TAGS <= set(_NESTING_NAMES)  # (the nesting scan tells whether a page opens one)


class _HtmlWalker:
    """Depth-first walk of the DOM (iterative: deep junk nesting must not overflow the stack)."""

    def __init__(
        self,
        out: _Builder,
        skip: set[int],
        problems: list[str],
        *,
        holders: set[int] | None = None,
        nested_is_layout: bool = False,
        max_nodes: int = DEFAULT_LIMITS.max_html_nodes,
        kinds: dict[int, int] | None = None,
    ) -> None:
        self.out = out
        # nodes still to visit: a page of millions of empty elements yields no text for the text
        # limit to stop at, and would otherwise be walked whole (seconds a few MB)
        self.budget = max_nodes
        self.skip = skip
        self.holders = holders or set()  # the elements with some of ``skip`` below them
        # the page's walk: a table holding a table is page layout, its cells read as blocks (a
        # cell's own walk reads a table in it as a table)
        self.nested_is_layout = nested_is_layout
        self.problems = problems
        self.buf: list[str | None] = []  # text, and None for a <br> outside <pre>
        self.pre = 0
        self.kinds: dict[int, int] = kinds if kinds is not None else {}  # the page's, by tag_id (_node_kind)

    def flush(self) -> None:
        """The buffered inline text as lines: a line per ``<br>``, runs of white space one space.

        Outside ``<pre>`` text is buffered as it stands and ``<br>`` as None; white space is
        collapsed here, once per line, not once per text node (the same result: every run of
        white space ends as one space either way)."""
        buf = self.buf
        if not buf:
            return
        if self.pre:
            raws = "".join(buf).split("\n")
        elif None in buf:
            raws = []
            piece: list[str] = []
            for item in buf:
                if item is None:
                    raws.append(_collapse("".join(piece)))
                    piece = []
                else:
                    piece.append(item)
            raws.append(_collapse("".join(piece)))
        else:
            raws = [_collapse("".join(buf))]
        buf.clear()
        for raw in raws:
            line = raw.replace("\xa0", " ").replace("\t", " ")
            if "  " in line:
                line = _SPACES.sub(" ", line)
            line = line.strip()
            if line:
                self.out.line(line)

    def walk(self, root: Any) -> None:
        out = self.out
        buf = self.buf
        skip = self.skip
        holders = self.holders
        flush = self.flush
        kinds = self.kinds
        # a node to enter, or what to do leaving a block element (an int: _END, _END_BLANK, _END_PRE)
        stack: list[Any] = [root]
        pop = stack.pop
        push = stack.append
        budget = self.budget
        while stack and not out.full:
            node = pop()
            budget -= 1
            if budget < 0:
                self.problems.append(f"HTML页面的元素超过{self.budget:,}个，其余部分未读取")
                break
            if type(node) is int:
                if buf:
                    flush()
                if node == _END_PRE:
                    self.pre -= 1
                elif node == _END_BLANK:
                    out.blank()
                continue
            kind = kinds.get(node.tag_id)
            if kind is None:
                kind = _node_kind(kinds, node)
            if kind == _TEXT:
                value = node.text_content or ""
                if self.pre:
                    buf.append(value.replace("\r\n", "\n"))
                else:
                    buf.append(value)
                continue
            if kind == _SKIP:
                continue
            mem_id = 0
            if skip or holders:
                mem_id = node.mem_id
                if mem_id in skip:
                    continue
            if kind >= _LEAF:  # a block
                if buf:
                    flush()
                if kind == _PRE:
                    self.pre += 1
                    push(_END_PRE)
                elif kind <= _PARA:  # a leaf: p, h1-h6 (a blank line before and after), li, dt, dd
                    if kind == _PARA:
                        out.blank()
                    if not self.pre and not (holders and mem_id in holders):
                        # its text at once when nothing below it is walked other than as text (no
                        # block, no <br>/<hr>, nothing skipped; no chrome below, said the holders):
                        # what the walk would buffer, in one piece. Only the elements below are
                        # looked at: a comment, skipped, adds nothing to the text either (text()
                        # leaves comments out).
                        nodes = node.traverse(include_text=False)
                        next(nodes)  # the node itself
                        for below in nodes:
                            below_kind = kinds.get(below.tag_id)
                            if below_kind is None:
                                below_kind = _node_kind(kinds, below)
                            if below_kind != _INLINE:
                                break
                        else:  # only text and inline elements below: their text at once
                            # one line, as flush() makes of it (leaving the block)
                            line = _one_line(node.text(deep=True, separator=""))
                            if line:
                                out.line(line)
                            if kind == _PARA:
                                out.blank()
                            continue
                    push(_END_BLANK if kind == _PARA else _END)
                else:
                    push(_END)
            elif kind != _INLINE:
                if kind == _BR:
                    buf.append("\n" if self.pre else None)
                    continue
                if kind == _HR:
                    if buf:
                        flush()
                    continue
                # a table
                grid = self._data_table(node)
                if grid is not None:
                    if buf:
                        flush()
                    caption = node.css_first("caption")
                    if caption is not None:
                        cap = _clean_cell(caption.text(deep=True, separator=" "))
                        if cap:
                            out.line(cap)
                    out.table(grid)
                    continue
                # a layout table: walked as blocks
                if buf:
                    flush()
                push(_END_BLANK)
            children = list(node.iter(include_text=True))
            children.reverse()
            stack.extend(children)

    def _data_table(self, table: Any) -> tuple[tuple[str, ...], ...] | None:
        """The expanded grid of a data table, or None for a layout table (walked as blocks)."""
        if self.nested_is_layout and _holds_table(table):  # nested tables: a page laid out with tables
            return None
        # no cell's attributes read where no element of the table has a colspan or rowspan (the
        # selector engine looks at the table's elements faster than Python searches a page for
        # the words)
        spans = table.css_first("[colspan],[rowspan]") is not None
        rows = _html_rows(table, self.out.limits, spans=spans, kinds=self.kinds)
        grid = _html_grid(rows, self.problems, self.out.limits, spans=spans)
        if grid is None:
            return None
        width = max((len(r) for r in grid), default=0)
        if width <= 1 or any(len(c) > 1000 for r in grid for c in r):
            return None
        return grid


# the tag_ids of tr, of thead/tbody/tfoot and of td/th: names of the standard, one number in every
# page (made by parsing them once, at the first table)
_TABLE_IDS: list[Any] = []


def _table_ids() -> tuple[int, frozenset[int], frozenset[int]]:
    if not _TABLE_IDS:
        from selectolax.lexbor import LexborHTMLParser

        page = LexborHTMLParser("<table><thead></thead><tbody><tr><th></th><td></td></tr></tbody><tfoot>")
        ids = {n.tag: n.tag_id for n in page.root.traverse()}
        _TABLE_IDS[:] = [
            ids["tr"],
            frozenset({ids["thead"], ids["tbody"], ids["tfoot"]}),
            frozenset({ids["td"], ids["th"]}),
        ]
    tr, sections, cells = _TABLE_IDS
    return tr, sections, cells


def _html_rows(
    table: Any, limits: ReaderLimits = DEFAULT_LIMITS, *, spans: bool = True, kinds: dict[int, int] | None = None
) -> list[list[tuple[str, int, int]]]:
    """The table's own rows: [(cell text, colspan, rowspan), ...] per <tr>, one row and one column
    beyond the limits at most (so the builder sees that a limit was passed and says so)."""
    tr_id, section_ids, cell_ids = _table_ids()
    if kinds is None:
        kinds = {}
    rows: list[list[tuple[str, int, int]]] = []
    trs: list[Any] = []
    for child in table.iter():
        tag_id = child.tag_id
        if tag_id == tr_id:
            trs.append(child)
        elif tag_id in section_ids:
            trs.extend(c for c in child.iter() if c.tag_id == tr_id)
    max_cols = min(_MAX_COLSPAN, limits.max_table_columns + 1)
    max_rows = limits.max_table_rows
    max_columns = limits.max_table_columns
    for tr in trs[: max_rows + 1]:
        cells = []
        width = 0
        for td in tr.iter():
            if td.tag_id not in cell_ids:
                continue
            if width > max_columns:
                break
            if spans:
                attrs = td.attributes or {}
                colspan = _span(attrs.get("colspan"), max_cols)
                rowspan = _span(attrs.get("rowspan"), min(_MAX_ROWSPAN, max_rows + 1))
            else:
                colspan = rowspan = 1
            cells.append((_cell_text(td, kinds), colspan, rowspan))
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


def _one_line(text: str) -> str:
    """The line the walk makes of inline text (no ``<br>``): white space runs as one space, trimmed."""
    if text.isprintable():  # the usual line: no line break, tab or no-break space (as _collapse)
        return (_WS.sub(" ", text) if "  " in text else text).strip()
    line = _WS.sub(" ", text).replace("\xa0", " ")
    if "  " in line:
        line = _SPACES.sub(" ", line)
    return line.strip()


def _cell_text(td: Any, kinds: dict[int, int]) -> str:
    """The cell's text: its lines joined (:func:`_join_lines`). A cell whose content is inline,
    or inline within one simple block (``<td><p><span>…``, as Word exports every cell), is one
    line: its text is taken at once instead of walked."""
    block = None
    nodes = td.traverse(include_text=False)  # (a comment adds nothing to the text: see walk)
    next(nodes)  # the cell itself
    simple = True
    for below in nodes:
        kind = kinds.get(below.tag_id)
        if kind is None:
            kind = _node_kind(kinds, below)
        if kind == _INLINE:
            continue
        if (kind != _PARA and kind != _CELL_BLOCK) or block is not None:
            simple = False
            break
        block = below
    if simple:
        text = td.text(deep=True, separator="")
        if len(text) < 100_000:
            line = _one_line(text)
            if block is None:
                return line
            # text outside the block would be lines of its own: only white space may be there
            inner = block.text(deep=True, separator="")
            if len(inner) == len(text) or _one_line(inner) == line:  # (as long: the same text)
                return line
    return _cell_text_walked(td, kinds)


def _cell_text_walked(td: Any, kinds: dict[int, int]) -> str:
    sub = _Builder()
    walker = _HtmlWalker(sub, set(), [], kinds=kinds)
    walker.walk(td)
    walker.flush()
    text, _ = sub.result()
    return _join_lines([ln for ln in text.split("\n") if ln.strip()])


def _html_grid(
    rows: list[list[tuple[str, int, int]]],
    problems: list[str],
    limits: ReaderLimits = DEFAULT_LIMITS,
    *,
    spans: bool = True,
) -> tuple[tuple[str, ...], ...] | None:
    """Expand spans: text in the top-left position, empty strings in the rest of the span.
    ``spans``: whether a cell may span (False: every one is 1 by 1).

    A span never reaches beyond one column past the column limit (the builder cuts the rest)."""
    if not rows:
        return None
    n_rows = len(rows)
    max_col = limits.max_table_columns + 1
    if (not spans or not any(cs != 1 or rs != 1 for r in rows for _, cs, rs in r)) and sum(
        map(len, rows)
    ) <= _MAX_GRID_CELLS:
        # nothing spans (a table of Word's without merged cells): each row's cells as they stand,
        # the cell at index i in column i, cut at the column limit as the loop below cuts it
        return _clean_grid([[text for text, _, _ in r[:max_col]] for r in rows])
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


def _clean_grid(rows: list[list[str]]) -> tuple[tuple[str, ...], ...]:
    """:func:`_rectangular` of cells :func:`_cell_text` made: a printable one is clean already
    (one line, trimmed, no double space: what ``_clean_cell`` would make of it), and only the
    others are cleaned."""
    cleaned = [[cell if cell.isprintable() else _clean_cell(cell) for cell in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    if not cleaned:
        return ()
    width = max(len(r) for r in cleaned)
    return tuple(tuple(r) + ("",) * (width - len(r)) for r in cleaned)


def _dense(row: dict[int, str]) -> list[str]:
    if not row:
        return []
    width = max(row) + 1
    return [row.get(i, "") for i in range(width)]
