"""pdfplumber's default text layout of upright characters, in one pass over the characters."""

from __future__ import annotations

import operator
from typing import Any

# -- pdfplumber's text layout, for upright characters ------------------------------------------
#
# pdfplumber lays text out in three passes over dicts (lines of characters clustered by their
# top, words split at spaces and gaps, lines of words clustered again), through generic code for
# every direction and option; this is the same computation for its defaults on upright text, the
# same comparisons in the same order, on the values it compares. tests/unit/audit/test_pdf_layout.py
# checks it against pdfplumber on a generated report's pages and on random characters.

_TOLERANCE = 3  # pdfplumber's DEFAULT_X_TOLERANCE and DEFAULT_Y_TOLERANCE
_X0 = operator.itemgetter("x0")


def _clusters(values: list[float]) -> dict[float, int]:
    """pdfplumber's ``make_cluster_dict``: each distinct value to the index of its cluster, the
    sorted values cut where one lies more than the tolerance above the one before."""
    index: dict[float, int] = {}
    n = -1
    last = 0.0
    for v in sorted(set(values)):
        if n < 0 or not v <= last + _TOLERANCE:
            n += 1
        index[v] = n
        last = v
    return index


def _layout_text(chars: list[dict[str, Any]], *, gather: bool) -> str | None:
    """The text pdfplumber lays out of ``chars`` with its default settings: ``gather`` False is a
    page's ``extract_text()`` (lines of words in the order met), True is
    ``pdfplumber.utils.extract_text`` (a cell's text: the words of a line gathered wherever they
    come). None where the characters are not all upright with a text (pdfplumber's own code is then
    used)."""
    from pdfplumber.utils.text import LIGATURES

    if not chars:
        return ""
    tops = [c["top"] for c in chars]
    line_of = _clusters(tops)
    lines: list[list[dict[str, Any]]] = [[] for _ in range(len(set(line_of.values())))]
    for c, top in zip(chars, tops):
        if c["upright"] is not True or not c["text"] or top != top:  # NaN: pdfplumber's own way
            return None
        lines[line_of[top]].append(c)
    words: list[tuple[float, str]] = []  # (top, text), in pdfplumber's order
    ligature = LIGATURES.get
    for line in lines:
        line.sort(key=_X0)
        # the word being gathered: its texts (ligatures expanded), its least top (the first of
        # equal ones, as min takes it), and the last character's x0, x1 and top
        parts: list[str] = []
        word_top = last_x0 = last_x1 = last_top = 0.0
        for c in line:
            text = c["text"]
            if text.isspace():
                if parts:
                    words.append((word_top, "".join(parts)))
                    parts = []
                continue
            x0 = c["x0"]
            top = c["top"]
            if parts and (x0 < last_x0 or x0 > last_x1 + _TOLERANCE or abs(top - last_top) > _TOLERANCE):
                words.append((word_top, "".join(parts)))
                parts = []
            if parts:
                if top < word_top:
                    word_top = top
            else:
                word_top = top
            parts.append(ligature(text, text))
            last_x0, last_x1, last_top = x0, c["x1"], top
        if parts:
            words.append((word_top, "".join(parts)))
    if not words:
        return ""
    row_of = _clusters([top for top, _ in words])
    if gather:
        rows: list[list[str]] = [[] for _ in range(len(set(row_of.values())))]
        for top, text in words:
            rows[row_of[top]].append(text)
        return "\n".join(" ".join(r) for r in rows)
    out: list[list[str]] = []
    last = -1
    for top, text in words:
        row = row_of[top]
        if row != last:
            out.append([])
            last = row
        out[-1].append(text)
    return "\n".join(" ".join(r) for r in out)
