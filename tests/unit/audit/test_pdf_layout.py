"""The PDF reader's text layout is pdfplumber's: a page's ``extract_text()`` and a cell's
``pdfplumber.utils.extract_text`` give the same text as the reader's own ``_layout_text`` on
upright characters, which it uses for speed (sources/pdf.py)."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.audit.sources import pdf as P
from gongkai.domain.audit.sources import pdf_layout as PL
from gongkai.domain.audit.sources import pdf_pdfium as PP
from gongkai.domain.audit.sources import pdf_tables as PT

pdfplumber = pytest.importorskip("pdfplumber")
from pdfplumber.utils.text import extract_text  # noqa: E402


def char(text: str, x0: float, top: float, width: float = 10.0, height: float = 10.0, upright: bool = True) -> dict:
    return {
        "text": text,
        "x0": x0,
        "x1": x0 + width,
        "top": top,
        "bottom": top + height,
        "doctop": top,
        "upright": upright,
        "size": height,
        "height": height,
        "width": width,
        "y0": 842 - top - height,
        "y1": 842 - top,
        "object_type": "char",
        "page_number": 1,
    }


def plumber_page_text(chars: list[dict]) -> str:
    """pdfplumber's own extract_text of a page holding only ``chars``."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    buf = io.BytesIO()
    pdf.save(buf)
    with pdfplumber.open(io.BytesIO(buf.getvalue())) as doc:
        return P._chars_only(doc.pages[0], chars).extract_text() or ""


# positions on a coarse grid so that ties, tolerance edges (exactly 3 apart) and overlaps are common
coord = st.integers(min_value=0, max_value=120).map(lambda v: v / 2)
texts = st.sampled_from(["一", "二", "3", "a", " ", "\u3000", "ﬁ", "（", "表", "\xa0"])
chars_strategy = st.lists(
    st.builds(char, texts, coord, coord, st.sampled_from([3.0, 5.0, 10.0, 12.5]), st.sampled_from([3.0, 10.0, 14.0])),
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(chars_strategy)
def test_the_layout_of_random_upright_characters_is_pdfplumbers(chars):
    assert PL._layout_text(chars, gather=True) == extract_text(chars)
    assert PL._layout_text(chars, gather=False) == plumber_page_text(chars)


def test_lines_and_words_as_pdfplumber_lays_them_out():
    chars = [
        char("二", 40, 20.5),  # a line below, listed first
        char("一", 10, 0),
        char("甲", 20, 2.5),  # within 3 of the line's top: the same line, a gap of 0 -> one word
        char("乙", 34, 1),  # more than 3 after the last: a new word
        char(" ", 44, 1),
        char("丙", 45, 1),
        char("ﬁ", 55, 1),  # a ligature expanded
        char("三", 10, 20),
    ]
    assert PL._layout_text(chars, gather=True) == extract_text(chars) == "一甲 乙 丙fi\n三 二"
    assert PL._layout_text(chars, gather=False) == plumber_page_text(chars)


def test_characters_not_upright_are_left_to_pdfplumber():
    assert PL._layout_text([char("一", 0, 0, upright=False)], gather=True) is None
    assert PL._layout_text([char("", 0, 0)], gather=False) is None
    assert PL._layout_text([], gather=False) == ""


# -- the tables of a page's rules: the reader's edges are pdfplumber's -------------------------


def blank_pdf() -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def path_object(kind: str, pts: list[tuple[float, float]]) -> dict:
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
    return {
        "object_type": kind,
        "pts": pts,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "y0": 842 - bottom,
        "y1": 842 - top,
        "stroke": True,
        "fill": False,
        "page_number": 1,
    }


# positions near each other (within the snap and join tolerances, and just beyond them) and
# lengths around the minimum lengths, so that snapping, joining and dropping all happen
pos = st.tuples(st.integers(0, 4), st.sampled_from([0.0, 0.0, 0.0, 0.5, 1.0, 2.9, 3.0, 3.25])).map(
    lambda t: 10 + t[0] * 20 + t[1]
)
line = st.tuples(pos, pos, pos).flatmap(
    lambda t: st.sampled_from(
        [path_object("line", [(t[0], t[1]), (t[2], t[1])]), path_object("line", [(t[0], t[1]), (t[0], t[2])])]
    )
)
rect = st.tuples(pos, pos, st.sampled_from([0.5, 1.0, 2.0, 3.0, 10.0, 25.0]), st.sampled_from([0.5, 3.0, 12.0])).map(
    lambda t: path_object("rect", [(t[0], t[1]), (t[0] + t[2], t[1]), (t[0] + t[2], t[1] + t[3]), (t[0], t[1] + t[3])])
)
curve = st.lists(st.tuples(pos, pos), min_size=2, max_size=5).map(lambda pts: path_object("curve", pts))


def rule(horizontal: bool, at: float, a: float, b: float, thick: float | None) -> dict:
    """A rule across a grid: a line, or a thin filled rect as browsers print table borders."""
    a, b = min(a, b), max(a, b)
    if thick is None:
        return path_object("line", [(a, at), (b, at)] if horizontal else [(at, a), (at, b)])
    if horizontal:
        return path_object("rect", [(a, at), (b, at), (b, at + thick), (a, at + thick)])
    return path_object("rect", [(at, a), (at + thick, a), (at + thick, b), (at, b)])


@st.composite
def grid(draw):
    """Rules on a 5 x 5 lattice, each ending at a lattice point or a little off it (within and
    just beyond the tolerances), some missing: ruled tables with merged cells and gaps."""

    def near(i):
        return 10 + i * 20 + draw(st.sampled_from([0.0, 0.0, 0.0, 0.5, 2.9, 3.0, 3.25, -1.0]))

    out = []
    for horizontal in (True, False):
        for at in range(5):
            for n in range(draw(st.sampled_from([0, 1, 1, 1, 2]))):
                if n == 0:  # mostly across the grid, sometimes short of an end
                    a, b = draw(st.sampled_from([0, 0, 0, 1])), draw(st.sampled_from([4, 4, 4, 3]))
                else:
                    a, b = draw(st.integers(0, 4)), draw(st.integers(0, 4))
                thick = draw(st.sampled_from([None, None, 0.75, 1.5]))
                out.append(rule(horizontal, near(at), near(a), near(b), thick))
    return out


@settings(max_examples=300, deadline=None)
@given(grid(), st.lists(line, max_size=4), st.lists(rect, max_size=4), st.lists(curve, max_size=2))
def test_the_tables_of_random_rules_are_pdfplumbers(rules, lines, rects, curves):
    """Rules on a lattice with ends off it, and lines, rects and curves near them: the same edges
    snapped, joined and crossed, and so the same cells grouped into the same tables as
    ``page.find_tables()``."""
    lines = lines + [r for r in rules if r["object_type"] == "line"]
    rects = rects + [r for r in rules if r["object_type"] == "rect"]
    with pdfplumber.open(io.BytesIO(blank_pdf())) as doc:
        page = doc.pages[0]
        page._objects = {"char": [], "line": lines, "rect": rects, "curve": curves}
        assert [t.cells for t in PT._find_tables(page)] == [t.cells for t in page.find_tables()]


@settings(max_examples=300, deadline=None)
@given(st.tuples(st.floats(allow_nan=True), st.floats(allow_nan=True)), st.tuples(st.floats(), st.floats()))
def test_a_line_object_is_the_path_object_of_its_two_points(a, b):
    import math

    def same(x, y):  # equal, NaN where NaN
        return x == y or (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))

    ours = PP._line_object(a, b, True, False, 842.0, 100.0, 2)
    theirs = PP._path_object("line", [a, b], True, False, 842.0, 100.0, 2)
    assert ours.keys() == theirs.keys()
    for key in ours:
        if key == "pts":
            assert all(same(p, q) for u, v in zip(ours[key], theirs[key]) for p, q in zip(u, v))
        else:
            assert same(ours[key], theirs[key]), key


def test_the_pages_of_a_generated_report_are_laid_out_as_pdfplumber_lays_them_out():
    pytest.importorskip("weasyprint")
    from tests.unit.audit.test_pdf_pdfium import generated_pdf

    with pdfplumber.open(io.BytesIO(generated_pdf(0))) as doc:
        for page in doc.pages:
            chars = page.chars
            assert chars
            assert PL._layout_text(chars, gather=False) == page.extract_text()
            assert PL._layout_text(chars, gather=True) == extract_text(chars)
