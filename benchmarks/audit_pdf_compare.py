"""PDF reading: the PDFium objects against pdfminer's, on generated reports printed by WeasyPrint.

The PDF reader takes each page's characters and ruling lines from PDFium where the page allows it
and hands them to pdfplumber (``sources/pdf.py``); pdfminer parsed every page before. This prints,
over N generated reports (consistent tables, customary prose, 10–15 KB of text; bordered tables
with merged cells, A4, Noto CJK: ~215 KB PDFs of 4 pages), and the five samples printed the same
way, how many differ between the two readings in the text, the table cells, the problems, and the
whole ``audit --json`` output (all must be 0), and the CPU time of reading each way.

Measured on the development machine (60 reports + 5 samples, 2026-12): 0 differences in 22,229 table
cells; reading 309 ms → 117 ms a report (mean), 426 ms → 183 ms (worst). After the table finding
was made cheaper (12 reports + 5 samples, loaded machine): 0 differences in 4,789 cells; reading
214 ms → 103 ms (mean), 279 ms → 168 ms (worst).

    .venv/bin/python benchmarks/audit_pdf_compare.py [-n 60]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from benchmarks import audit_inputs as inputs  # noqa: E402
from gongkai.domain.audit import audit_bytes, clear_caches  # noqa: E402
from gongkai.domain.audit.sources import pdf as P  # noqa: E402
from tests.unit.audit import degrade as D  # noqa: E402


def generated_pdfs(n: int) -> list[tuple[str, bytes]]:
    out = []
    for seed in range(n):
        content = D.realistic_content(seed, size=10_000 + (seed * 97) % 5_000)
        page = inputs.to_html(D.as_text(D.blocks(content)), chrome=False)
        out.append((f"gen-{seed:03d}.pdf", inputs.to_pdf(page)))
    for stem, text in inputs.load_samples():
        out.append((f"{stem}.pdf", inputs.to_pdf(inputs.to_html(text, chrome=False))))
    return out


def reading(data: bytes, name: str, pdfium: bool) -> tuple[tuple[object, ...], float]:
    P.USE_PDFIUM = pdfium
    try:
        start = time.process_time()
        raw = P._read_pdf(data, name)
        used = time.process_time() - start
        clear_caches()
        report = audit_bytes(data, name).to_json()
    finally:
        P.USE_PDFIUM = True
    return (raw.text, [t.rows for t in raw.tables], raw.problems, report), used


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=60, help="generated reports (default 60)")
    args = ap.parse_args()
    t = time.perf_counter()
    docs = generated_pdfs(args.n)
    print(f"{len(docs)} PDFs printed by WeasyPrint in {time.perf_counter() - t:.0f} s")
    diffs = {"text": 0, "cells": 0, "problems": 0, "audit JSON": 0}
    cells = 0
    cpu = {False: [], True: []}
    for name, data in docs:
        old, old_cpu = reading(data, name, pdfium=False)
        new, new_cpu = reading(data, name, pdfium=True)
        cpu[False].append(old_cpu)
        cpu[True].append(new_cpu)
        cells += sum(len(row) for rows in old[1] for row in rows)
        for key, a, b in zip(diffs, old, new):
            if a != b:
                diffs[key] += 1
                print(f"  {name}: {key} differs")
    print(f"table cells read: {cells}")
    print("reports differing (pdfminer vs PDFium objects): " + ", ".join(f"{k} {v}" for k, v in diffs.items()))
    for label, flag in (("pdfminer", False), ("PDFium objects", True)):
        times = cpu[flag]
        print(
            f"reading, {label:<15} mean {1000 * sum(times) / len(times):6.1f} ms  worst {1000 * max(times):6.1f} ms (CPU)"
        )
    return 1 if any(diffs.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
