"""The PDF reader's two sources of a page's objects agree: PDFium's, handed to pdfplumber, and
pdfminer's (what pdfplumber parses by itself). The reader takes PDFium's where the page allows it
for speed; whatever it reads must be what pdfminer's objects give. benchmarks/audit_pdf_compare.py
checks the same on 65 generated reports."""

from __future__ import annotations

import functools
import io

import pytest

from gongkai.domain.audit import audit_bytes, clear_caches
from gongkai.domain.audit.sources import pdf as P
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


def reading(data: bytes, *, pdfium: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    monkeypatch.setattr(P, "USE_PDFIUM", pdfium)
    raw = P._read_pdf(data, "report.pdf")
    clear_caches()
    report = audit_bytes(data, "report.pdf").to_json()
    return raw.text, [t.rows for t in raw.tables], raw.problems, report


def pages_from_pdfium(data: bytes, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    taken: list[bool] = []
    inject = P._inject_pdfium_objects

    def counting(page, pdoc, index):
        taken.append(inject(page, pdoc, index))
        return taken[-1]

    monkeypatch.setattr(P, "_inject_pdfium_objects", counting)
    P._read_pdf(data, "report.pdf")
    return taken


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
    P._paint_path(path(("m", p0), ("l", p1), ("l", p2), ("l", p3), ("l", p0), ("h", p0)), True, False, out, 100, 0, 1)
    P._paint_path(path(("m", p0), ("l", p1), ("m", p3), ("l", p2)), True, False, out, 100, 0, 1)
    P._paint_path(path(("m", p0), ("l", p1), ("c", p2)), True, False, out, 100, 0, 1)
    lines, rects, curves = out
    assert [(r["x0"], r["top"], r["x1"], r["bottom"]) for r in rects] == [(10.0, 70.0, 50.0, 90.0)]
    assert [(ln["x0"], ln["top"], ln["x1"], ln["bottom"]) for ln in lines] == [(10, 90, 50, 90), (10, 70, 50, 70)]
    assert [c["pts"] for c in curves] == [[(10.0, 90.0), (50.0, 90.0), (50.0, 70.0)]]
