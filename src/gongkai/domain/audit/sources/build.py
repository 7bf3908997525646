"""The output builder: text with every table rendered into it as tab-separated lines, and the tables' offsets."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from gongkai.domain.audit.limits import DEFAULT_LIMITS, ReaderLimits
from gongkai.domain.audit.model import SourceTable
from gongkai.domain.audit.sources.common import _cap_rows, _render, _text_limit_note

_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _clean_cell(text: str | None) -> str:
    """One line of text for a table cell: no tab and nothing ``str.splitlines`` breaks at."""
    if not text:
        return ""
    if "\xa0" in text:
        text = text.replace("\xa0", " ")
    if not text.isprintable() and _LINE_BREAKS.search(text):  # (every line break is unprintable)
        text = _join_lines(_LINE_BREAKS.split(text))
    if "\t" in text:
        text = text.replace("\t", " ")
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_SPACES = re.compile(r" {2,}")
_BLANKS = re.compile(r"[ \t\f\r]+")
_TAG_START = re.compile(r"<[a-zA-Z!/]")
_PIPE = re.compile(r"(?<!\\)\|")
_SCRIPT_ELEMENT = re.compile(r"(?is)<(script|style|noscript|template)\b.*?</\1\s*>")
_W_PARAGRAPH_END = re.compile(r"</w:p>")
_W_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|<w:(tab)/>")
_ATTR_WORDS = re.compile(r"[\s_\-]+")
_LEADING_NUMBER = re.compile(r"\s*(\d+)")


def _join_lines(lines: Sequence[str]) -> str:
    """Join the lines of a wrapped cell: nothing between two CJK characters, a space otherwise."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out and not (_CJK.match(out[-1]) and _CJK.match(line[0])):
            out += " "
        out += line
    return out


def _rectangular(rows: Iterable[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    cleaned = [[_clean_cell(c) for c in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    if not cleaned:
        return ()
    width = max(len(r) for r in cleaned)
    return tuple(tuple(r) + ("",) * (width - len(r)) for r in cleaned)


class _Builder:
    """Collects lines and tables; tables always start on a fresh line.

    Stops at the limits: nothing more is kept once the text would pass ``max_text_chars``, and a
    table is cut to the row, column and cell limits; ``notes`` says what was left out.
    """

    def __init__(self, limits: ReaderLimits = DEFAULT_LIMITS) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._tables: list[SourceTable] = []
        self._blank = True  # at the start nothing needs separating
        self.limits = limits
        self.full = False
        self.notes: list[str] = []

    def line(self, text: str) -> None:
        if not text:
            self.blank()
            return
        self._put(text + "\n")
        self._blank = False

    def blank(self) -> None:
        if not self._blank:
            self._put("\n")
            self._blank = True

    def table(self, rows: tuple[tuple[str, ...], ...]) -> None:
        if not rows or self.full:
            return
        rows, notes = _cap_rows(rows, self.limits)
        self.notes.extend(n for n in notes if n not in self.notes)
        if not rows:
            return
        rendered = _render(rows)
        start = self._length
        if self._put(rendered + "\n"):
            self._tables.append(SourceTable(rows=rows, start=start, end=start + len(rendered)))
        self._blank = False

    def _put(self, s: str) -> bool:
        if self.full:
            return False
        if self._length + len(s) > self.limits.max_text_chars:
            self.full = True
            self.notes.append(_text_limit_note(self.limits))
            return False
        self._parts.append(s)
        self._length += len(s)
        return True

    def result(self) -> tuple[str, tuple[SourceTable, ...]]:
        text = "".join(self._parts)
        return text.rstrip("\n"), tuple(self._tables)
