"""PDF reading compared: the reader of another commit against this tree's, or pdfminer's objects
against PDFium's, on generated reports printed by WeasyPrint.

The inputs: N generated reports (consistent tables, customary prose, 10–15 KB of text; bordered
tables with merged cells, A4, Noto CJK: ~215 KB PDFs of 4 pages) and the five samples printed the
same way, printed once up front.

``--against REV`` (the default, REV = HEAD): the reader of commit REV (its ``src/``, taken with
``git archive``) and this tree's each read every PDF in a fresh interpreter, in turn, ``--rounds``
times; prints how many PDFs differ in the text, the table cells, the problems, and the whole
``audit --json`` output (all must be 0), and each side's CPU time per PDF (reading alone, and
the whole audit, cold: caches emptied before each), mean and worst, the fastest of the rounds
for each PDF.

``--pdfminer``: within this tree, every page parsed by pdfminer against the PDFium objects the
reader takes where a page allows it (``sources/pdf.py``).

Measured on the development machine (60 reports + 5 samples, 2026-12), ``--pdfminer``: 0
differences in 22,229 table cells; reading 309 ms → 117 ms a report (mean), 426 ms → 183 ms
(worst). After the table finding was made cheaper (12 reports + 5 samples, loaded machine): 0
differences in 4,789 cells; reading 214 ms → 103 ms (mean), 279 ms → 168 ms (worst). Then
``--against fcf538d`` once the layout, the edges and the character calls were made cheaper (65
PDFs, loaded machine): 0 differences in 22,229 cells; reading 86.6 ms → 66.3 ms (mean), 138.8 ms
→ 88.7 ms (worst); the whole audit 88.7 ms → 68.7 ms (11.3 → 14.5 PDFs/s).

    .venv/bin/python benchmarks/audit_pdf_compare.py [-n 60] [--against REV] [--rounds 2]
    .venv/bin/python benchmarks/audit_pdf_compare.py --pdfminer [-n 60]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]


def generated_pdfs(n: int) -> list[tuple[str, bytes]]:
    from benchmarks import audit_inputs as inputs
    from tests.unit.audit import degrade as D

    out = []
    for seed in range(n):
        content = D.realistic_content(seed, size=10_000 + (seed * 97) % 5_000)
        page = inputs.to_html(D.as_text(D.blocks(content)), chrome=False)
        out.append((f"gen-{seed:03d}.pdf", inputs.to_pdf(page)))
    for stem, text in inputs.load_samples():
        out.append((f"{stem}.pdf", inputs.to_pdf(inputs.to_html(text, chrome=False))))
    return out


# -- one side: a fresh interpreter reads every PDF of a directory ----------------------------


def read_all(folder: Path, src: Path) -> dict[str, dict[str, object]]:
    """Each PDF of ``folder`` read by the ``gongkai`` of ``src``: the reading (text, table rows,
    problems), the audit JSON, and the CPU seconds of each (cold)."""
    sys.path.insert(0, str(src))
    import gongkai
    from gongkai.domain.audit import audit_bytes, clear_caches

    assert Path(gongkai.__file__).is_relative_to(src), gongkai.__file__
    from gongkai.domain.audit.sources.pdf import _read_pdf

    out: dict[str, dict[str, object]] = {}
    files = sorted(folder.glob("*.pdf"))
    for path in files[:2]:  # warm up: imports, fonts, compiled rules
        audit_bytes(path.read_bytes(), path.name)
    for path in files:
        data = path.read_bytes()
        clear_caches()
        start = time.process_time()
        raw = _read_pdf(data, path.name)
        read_cpu = time.process_time() - start
        clear_caches()
        start = time.process_time()
        report = audit_bytes(data, path.name).to_json()
        audit_cpu = time.process_time() - start
        out[path.name] = {
            "text": raw.text,
            "cells": [[list(row) for row in t.rows] for t in raw.tables],
            "problems": list(raw.problems),
            "audit JSON": report,
            "read": read_cpu,
            "audit": audit_cpu,
        }
    return out


def run_side(src: Path, folder: Path) -> dict[str, dict[str, object]]:
    code = (
        "import json, sys; from pathlib import Path; "
        f"sys.path.insert(0, {str(ROOT)!r}); "
        "from benchmarks.audit_pdf_compare import read_all; "
        f"print(json.dumps(read_all(Path({str(folder)!r}), Path({str(src)!r}))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout)


def export_src(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def against(rev: str, docs: list[tuple[str, bytes]], rounds: int) -> int:
    keys = ("text", "cells", "problems", "audit JSON")
    with tempfile.TemporaryDirectory(prefix="gongkai-pdf-compare-") as tmp:
        folder = Path(tmp) / "pdfs"
        folder.mkdir()
        for name, data in docs:
            (folder / name).write_bytes(data)
        sides = {rev: export_src(rev, Path(tmp) / "old"), "this tree": ROOT / "src"}
        results: dict[str, list[dict[str, dict[str, object]]]] = {label: [] for label in sides}
        for _ in range(rounds):  # interleaved: the machine's load falls on both sides alike
            for label, src in sides.items():
                results[label].append(run_side(src, folder))
    old, new = (results[label][0] for label in sides)
    diffs = dict.fromkeys(keys, 0)
    for name in old:
        for key in keys:
            if old[name][key] != new[name][key]:
                diffs[key] += 1
                print(f"  {name}: {key} differs")
    cells = sum(len(row) for doc in new.values() for rows in doc["cells"] for row in rows)
    print(f"{len(docs)} PDFs, {cells} table cells read")
    print(f"PDFs differing ({rev} vs this tree): " + ", ".join(f"{k} {v}" for k, v in diffs.items()))
    print(f"CPU per PDF, the fastest of {rounds} round(s) for each, cold:")
    for label in sides:
        for what in ("read", "audit"):
            best = [min(r[name][what] for r in results[label]) for name in old]
            print(
                f"  {label:<12} {what:<6} mean {1000 * sum(best) / len(best):6.1f} ms"
                f"  worst {1000 * max(best):6.1f} ms  ({len(best) / sum(best):5.1f} PDFs/s)"
            )
    return 1 if any(diffs.values()) else 0


# -- pdfminer's objects against PDFium's, within this tree -----------------------------------


def reading(data: bytes, name: str, pdfium: bool) -> tuple[tuple[object, ...], float]:
    from gongkai.domain.audit import audit_bytes, clear_caches
    from gongkai.domain.audit.sources import pdf as P
    from gongkai.domain.audit.sources import pdf_pdfium

    pdf_pdfium.USE_PDFIUM = pdfium
    try:
        start = time.process_time()
        raw = P._read_pdf(data, name)
        used = time.process_time() - start
        clear_caches()
        report = audit_bytes(data, name).to_json()
    finally:
        pdf_pdfium.USE_PDFIUM = True
    return (raw.text, [t.rows for t in raw.tables], raw.problems, report), used


def pdfminer_against_pdfium(docs: list[tuple[str, bytes]]) -> int:
    diffs = {"text": 0, "cells": 0, "problems": 0, "audit JSON": 0}
    cells = 0
    cpu: dict[bool, list[float]] = {False: [], True: []}
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=60, help="generated reports (default 60)")
    ap.add_argument("--against", default="HEAD", metavar="REV", help="the commit to compare with (default HEAD)")
    ap.add_argument("--rounds", type=int, default=2, help="readings of every PDF on each side (default 2)")
    ap.add_argument("--pdfminer", action="store_true", help="pdfminer's objects against PDFium's, in this tree")
    args = ap.parse_args()
    t = time.perf_counter()
    docs = generated_pdfs(args.n)
    print(f"{len(docs)} PDFs printed by WeasyPrint in {time.perf_counter() - t:.0f} s")
    if args.pdfminer:
        return pdfminer_against_pdfium(docs)
    return against(args.against, docs, args.rounds)


if __name__ == "__main__":
    sys.exit(main())
