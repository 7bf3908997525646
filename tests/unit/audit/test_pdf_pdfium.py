"""The PDF reader's two sources of a page's objects agree: PDFium's, handed to pdfplumber, and
pdfminer's (what pdfplumber parses by itself). The reader takes PDFium's where the page allows it
for speed; whatever it reads must be what pdfminer's objects give. A document PDFium reads every
page of is read without pdfminer, the page boxes taken from the file's text: exactly pdfminer's, or
pdfminer opens it. benchmarks/audit_pdf_compare.py checks the same on 65 generated reports."""

from __future__ import annotations

import functools
import io

import pytest

from gongkai.domain.audit import audit_bytes, clear_caches
from gongkai.domain.audit.sources import pdf as P
from gongkai.domain.audit.sources import pdf_pdfium as PP
from gongkai.domain.audit.sources import pdf_tables as PT
from tests.unit.audit import degrade as D
from tests.unit.audit.test_sources import report_pdf_bytes

pytest.importorskip("weasyprint")
pytest.importorskip("pypdfium2")


@functools.cache
def generated_pdf(seed: int) -> bytes:
    """A generated report (consistent tables, customary prose) printed with ruled tables and merged cells."""
    from benchmarks.audit_inputs import to_html, to_pdf

    content = D.realistic_content(seed, size=10_000)
    return to_pdf(to_html(D.as_text(D.blocks(content)), chrome=False))


def reading(data: bytes, *, pdfium: bool, monkeypatch: pytest.MonkeyPatch, alone: bool = True) -> tuple[object, ...]:
    monkeypatch.setattr(PP, "USE_PDFIUM", pdfium)
    monkeypatch.setattr(PP, "PDFIUM_ALONE", alone)
    raw = P._read_pdf(data, "report.pdf")
    clear_caches()
    report = audit_bytes(data, "report.pdf").to_json()
    return raw.text, [t.rows for t in raw.tables], raw.problems, report


def pages_from_pdfium(data: bytes, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    taken: list[bool] = []
    inject = PP._inject_pdfium_objects

    def counting(page, pdoc, index):
        taken.append(inject(page, pdoc, index))
        return taken[-1]

    monkeypatch.setattr(PP, "_inject_pdfium_objects", counting)
    monkeypatch.setattr(PP, "PDFIUM_ALONE", False)  # pdfminer opens the document, for the page boxes
    P._read_pdf(data, "report.pdf")
    return taken


def read_without_pdfminer(data: bytes, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether the reader read ``data`` from PDFium alone (pdfplumber never opened it)."""
    import pdfplumber

    opened: list[bool] = []
    real_open = pdfplumber.open

    def counting(*args, **kwargs):
        opened.append(True)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(pdfplumber, "open", counting)
    P._read_pdf(data, "report.pdf")
    monkeypatch.setattr(pdfplumber, "open", real_open)
    return not opened


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_generated_report_reads_the_same_from_pdfium_as_from_pdfminer(seed, monkeypatch):
    data = generated_pdf(seed)
    with_pdfium = reading(data, pdfium=True, monkeypatch=monkeypatch)
    assert with_pdfium == reading(data, pdfium=False, monkeypatch=monkeypatch)
    assert sum(len(rows) for rows in with_pdfium[1]) > 30  # its tables were read, row by row
    assert all(pages_from_pdfium(data, monkeypatch))  # and PDFium gave every page


def test_the_sample_tables_read_the_same_from_pdfium_as_from_pdfminer(monkeypatch):
    data = report_pdf_bytes()
    assert reading(data, pdfium=True, monkeypatch=monkeypatch) == reading(data, pdfium=False, monkeypatch=monkeypatch)


def test_a_rotated_page_is_left_to_pdfminer(monkeypatch):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(generated_pdf(0))
    doc[1].set_rotation(90)
    out = io.BytesIO()
    doc.save(out)
    data = out.getvalue()
    assert pages_from_pdfium(data, monkeypatch) == [True, False, True, True][: len(doc)]
    assert reading(data, pdfium=True, monkeypatch=monkeypatch) == reading(data, pdfium=False, monkeypatch=monkeypatch)


def path(*ops):
    return list(ops)


def test_paths_are_classified_as_pdfminer_does():
    """pdfminer's paint_path: ``re`` (PDFium: m l l l l, closed) is a rect, ``m l`` a line, several
    subpaths each on its own, anything else a curve through its points."""
    out = ([], [], [])
    p0, p1, p2, p3 = (10.0, 10.0), (50.0, 10.0), (50.0, 30.0), (10.0, 30.0)
    PP._paint_path(path(("m", p0), ("l", p1), ("l", p2), ("l", p3), ("l", p0), ("h", p0)), True, False, out, 100, 0, 1)
    PP._paint_path(path(("m", p0), ("l", p1), ("m", p3), ("l", p2)), True, False, out, 100, 0, 1)
    PP._paint_path(path(("m", p0), ("l", p1), ("c", p2)), True, False, out, 100, 0, 1)
    lines, rects, curves = out
    assert [(r["x0"], r["top"], r["x1"], r["bottom"]) for r in rects] == [(10.0, 70.0, 50.0, 90.0)]
    assert [(ln["x0"], ln["top"], ln["x1"], ln["bottom"]) for ln in lines] == [(10, 90, 50, 90), (10, 70, 50, 70)]
    assert [c["pts"] for c in curves] == [[(10.0, 90.0), (50.0, 90.0), (50.0, 70.0)]]


# -- the cells of a ruled table: the reader's intersections_to_cells is pdfplumber's ------------


def _plumber_and_ours(intersections):
    from pdfplumber.table import cells_to_tables, intersections_to_cells

    theirs, ours = intersections_to_cells(intersections), PT._intersections_to_cells(intersections)
    assert PT._cells_to_tables(ours) == cells_to_tables(theirs)
    return theirs, ours


@pytest.mark.parametrize("seed", [0, 1])
def test_the_cells_of_a_generated_report_are_pdfplumbers(seed):
    import pdfplumber
    from pdfplumber.table import TableFinder

    with pdfplumber.open(io.BytesIO(generated_pdf(seed))) as pdf:
        for page in pdf.pages:
            finder = TableFinder(page)
            theirs, ours = _plumber_and_ours(finder.intersections)
            assert ours == theirs == finder.cells
            assert [t.cells for t in PT._find_tables(page)] == [t.cells for t in page.find_tables()]


def test_the_cells_of_random_rulings_are_pdfplumbers():
    """Random horizontal and vertical rules on a small lattice (gaps, partial rules, rules ending
    short of a crossing): the same cells, in the same order, as pdfplumber finds, grouped into
    the same tables."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from pdfplumber.table import edges_to_intersections

    rule = st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(0, 6))

    def edges(horizontal, vertical):
        out = []
        for y, a, b in horizontal:
            x0, x1 = sorted((a, b))
            out.append({"x0": x0 * 10.0, "x1": x1 * 10.0, "top": y * 10.0, "bottom": y * 10.0, "orientation": "h"})
        for x, a, b in vertical:
            top, bottom = sorted((a, b))
            out.append({"x0": x * 10.0, "x1": x * 10.0, "top": top * 10.0, "bottom": bottom * 10.0, "orientation": "v"})
        for e in out:
            e["width"], e["height"] = e["x1"] - e["x0"], e["bottom"] - e["top"]
        return out

    @settings(max_examples=300, deadline=None)
    @given(st.lists(rule, max_size=10), st.lists(rule, max_size=10))
    def check(horizontal, vertical):
        theirs, ours = _plumber_and_ours(edges_to_intersections(edges(horizontal, vertical), 3, 3))
        assert ours == theirs

    check()


def test_the_cell_texts_of_a_generated_report_are_pdfplumbers():
    import pdfplumber

    with pdfplumber.open(io.BytesIO(generated_pdf(0))) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                assert P._extract(table, page.chars) == table.extract()


def test_the_text_of_a_one_character_cell_is_pdfplumbers():
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from pdfplumber.utils.text import LIGATURES, extract_text

    chars = st.sampled_from(["0", "7", "-", "/", "无", " ", "\n", "\xa0", "", "ﬁ", "ﬃ", "(cid:3)", "a b", "\u3000"])

    @settings(max_examples=200, deadline=None)
    @given(st.one_of(chars, st.text(max_size=3)), st.booleans())
    def check(text, upright):
        char = {"text": text, "x0": 10.0, "x1": 15.0, "top": 20.0, "bottom": 30.0, "doctop": 20.0}
        char.update(upright=upright, size=10.0, height=10.0, width=5.0)
        ours = P._one_char_text(text, LIGATURES)
        if ours is not None:
            assert ours == extract_text([char])

    check()


def test_tables_of_random_cells_are_grouped_as_pdfplumber_groups_them():
    """Cells in any order, overlapping, repeated, touching only at a corner: the same groups."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from pdfplumber.table import cells_to_tables

    cell = st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(1, 3), st.integers(1, 3)).map(
        lambda t: (float(t[0]), float(t[1]), float(t[0] + t[2]), float(t[1] + t[3]))
    )

    @settings(max_examples=300, deadline=None)
    @given(st.lists(cell, max_size=14))
    def check(cells):
        assert PT._cells_to_tables(cells) == cells_to_tables(cells)

    check()


def test_a_surrogate_among_the_code_units_is_seen():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.one_of(st.integers(0, 0xFFFF), st.integers(0xD7FF, 0xE000)), max_size=8))
    def check(units):
        data = b"".join(u.to_bytes(2, "little") for u in units)
        assert PP._has_surrogate(data) == any(0xD800 <= u <= 0xDFFF for u in units)

    check()


# -- the page boxes without pdfminer: exactly pdfminer's, or pdfminer opens the document -------


@pytest.mark.parametrize("seed", [0, 1])
def test_a_generated_report_is_read_without_pdfminer_as_with_it(seed, monkeypatch):
    data = generated_pdf(seed)
    assert read_without_pdfminer(data, monkeypatch)
    alone = reading(data, pdfium=True, monkeypatch=monkeypatch)
    assert alone == reading(data, pdfium=True, alone=False, monkeypatch=monkeypatch)
    assert alone == reading(data, pdfium=False, monkeypatch=monkeypatch)


def test_the_page_box_is_the_one_written_not_pdfiums_single_precision():
    import pdfplumber
    import pypdfium2 as pdfium

    data = generated_pdf(0)
    scan = PP.BoxScan()
    P._pdf_inflated_size(data, 10**9, scan)
    assert not scan.unsure
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        written = (page.mediabox, page.height)
    doc = pdfium.PdfDocument(data)
    left, bottom, right, top = doc[0].get_bbox()
    assert written[1] != top  # WeasyPrint writes 841.889764: single precision does not keep it
    assert PP._page_box(scan, left, bottom, right, top) == written


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d[1].set_rotation(90),  # a rotated page
        lambda d: d[0].set_cropbox(10, 10, 500, 800),  # a crop box unlike the media box
        lambda d: d[2].set_mediabox(5, 5, 600, 847),  # a page not at the origin
    ],
)
def test_a_page_pdfminer_must_read_has_pdfminer_open_the_document(edit, monkeypatch):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(generated_pdf(0))
    edit(doc)
    out = io.BytesIO()
    doc.save(out)
    data = out.getvalue()
    assert not read_without_pdfminer(data, monkeypatch)
    assert reading(data, pdfium=True, monkeypatch=monkeypatch) == reading(data, pdfium=False, monkeypatch=monkeypatch)


def test_a_report_whose_cross_references_pdfium_repairs_has_pdfminer_open_it(monkeypatch):
    data = generated_pdf(1).replace(b"startxref", b"startxreF")
    assert pdfium_document(data) is not None  # PDFium repairs it: pdfminer decides whether it opens
    assert not read_without_pdfminer(data, monkeypatch)
    assert reading(data, pdfium=True, monkeypatch=monkeypatch) == reading(data, pdfium=False, monkeypatch=monkeypatch)


def pdfium_document(data: bytes):
    return PP._pdfium_document(data)


@pytest.mark.parametrize(
    ("text", "unsure"),
    [
        (b"<</Type /Page/MediaBox [0 0 595.275591 841.889764]/Rotate 0>>", False),
        (b"<</Type /Page/MediaBox 7 0 R>>", True),  # by reference
        (b"<</Type /Page/MediaBox [0 0 595 842]/Rotate 90>>", True),
        (b"<</Type /Page/Media#42ox [0 0 612 792]>>", True),  # an escaped key name
        (b"<</Type /Page/MediaBox [0 0 1e3 842]>>", True),  # not a plain number
    ],
)
def test_the_box_scan_is_unsure_of_what_could_hide_a_box(text, unsure):
    scan = PP.BoxScan()
    scan.feed(text)
    assert scan.unsure is unsure


def test_the_box_scan_takes_numbers_as_pdfminer_parses_them():
    scan = PP.BoxScan()
    scan.feed(b"/MediaBox [0 0 595.275591 842]/CropBox[ 0 0 595.275591 842. ]")
    assert scan.media == {(0, 0, 595.275591, 842)} and scan.crop == {(0, 0, 595.275591, 842.0)}
    assert [type(v) for v in next(iter(scan.media))] == [int, int, float, int]


def test_a_crop_box_equal_to_the_media_box_is_read_without_pdfminer_as_with_it(monkeypatch):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(generated_pdf(0))
    for i in range(len(doc)):
        doc[i].set_cropbox(*doc[i].get_mediabox())  # as Word and many printers write it
    out = io.BytesIO()
    doc.save(out)
    data = out.getvalue()
    assert b"/CropBox" in data
    assert read_without_pdfminer(data, monkeypatch)
    assert reading(data, pdfium=True, monkeypatch=monkeypatch) == reading(data, pdfium=False, monkeypatch=monkeypatch)
