"""The PDF reader's text layout is pdfplumber's: a page's ``extract_text()`` and a cell's
``pdfplumber.utils.extract_text`` give the same text as the reader's own ``_layout_text`` on
upright characters, which it uses for speed (sources/pdf.py)."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.audit.sources import pdf as P

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
    assert P._layout_text(chars, gather=True) == extract_text(chars)
    assert P._layout_text(chars, gather=False) == plumber_page_text(chars)


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
    assert P._layout_text(chars, gather=True) == extract_text(chars) == "一甲 乙 丙fi\n三 二"
    assert P._layout_text(chars, gather=False) == plumber_page_text(chars)


def test_characters_not_upright_are_left_to_pdfplumber():
    assert P._layout_text([char("一", 0, 0, upright=False)], gather=True) is None
    assert P._layout_text([char("", 0, 0)], gather=False) is None
    assert P._layout_text([], gather=False) == ""
