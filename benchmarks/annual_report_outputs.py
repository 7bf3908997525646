"""Benchmark: the annual report's Word and PDF files for a full report, cold and warm.

Target (issue 7): each file in under 5 s.

The report: the demo agency's 2021-format report with valid random tables (every cell filled) and
about 2,000 characters of prose in each of the three prose sections (一, 五, 六), so the PDF runs
to several pages with table 三 on its landscape page.

- *cold*: a fresh Python process (Django set up, nothing rendered yet) imports the renderer and
  makes the file once: the import of python-docx / WeasyPrint, template loading and font look-up
  all count. Wall clock, best of ``--cold-runs`` processes (a shared machine only ever slows a run).
- *warm*: the same process makes the file again ``--warm-runs`` times; median and worst shown.

    .venv/bin/python benchmarks/annual_report_outputs.py [--cold-runs 2] [--warm-runs 5]
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")

TARGET = 5.0  # seconds per file
PROSE_CHARS = 2000

_SENTENCES = (
    "本机关坚持以公开为常态、不公开为例外，围绕群众关切持续深化政府信息公开工作。",
    "严格落实公开属性源头认定，公文办理时同步明确主动公开、依申请公开或不予公开。",
    "依托政府网站政府信息公开专栏，及时发布机构职能、规范性文件和重点领域信息。",
    "规范依申请公开办理流程，做到登记、审核、答复全程留痕，按期答复每一件申请。",
    "加强保密审查，对拟公开信息逐件审核，防止泄露国家秘密、商业秘密和个人隐私。",
)


def _prose(rnd: random.Random) -> str:
    paragraphs, current = [], ""
    while sum(map(len, paragraphs)) + len(current) < PROSE_CHARS:
        current += rnd.choice(_SENTENCES)
        if len(current) > 200:
            paragraphs.append(current)
            current = ""
    return "\n".join(paragraphs + [current])


def full_report(year: int = 2021):
    from gongkai.domain.annual_report.content import ReportContent
    from gongkai.domain.report_format import format_for_year

    rnd = random.Random(7)
    fmt = format_for_year(year)
    t2 = {
        s.id: {
            r.key: {
                c.key: (Decimal(rnd.randint(0, 10**6)) / 100 if c.is_decimal else rnd.randint(0, 3000))
                for c in s.columns
            }
            for r in s.rows
        }
        for s in fmt.table_2.subtables
    }
    applicant = [c.key for c in fmt.table_3.applicant_columns()]
    t3 = {r.key: {} for r in fmt.table_3.data_rows()}
    for col in applicant:
        done = 0
        for r in fmt.table_3.outcome_rows():
            t3[r.key][col] = v = rnd.randint(0, 300)
            done += v
        t3["results_total"][col] = done
        t3["carry_forward"][col] = forward = rnd.randint(0, 30)
        t3["carried_over"][col] = back = rnd.randint(0, done + forward)
        t3["new_received"][col] = done + forward - back
    for cells in t3.values():
        cells["total"] = sum(cells[c] for c in applicant)
    keys = [c.key for c in fmt.table_4.columns]
    t4 = {}
    for i in range(0, 15, 5):
        parts = [rnd.randint(0, 20) for _ in range(4)]
        t4.update(zip(keys[i : i + 4], parts))
        t4[keys[i + 4]] = sum(parts)
    sections = {key: _prose(rnd) for key in ("overview", "problems", "other")}
    return ReportContent("示范区教育局", year, {"table_2": t2, "table_3": t3, "table_4": t4}, sections=sections)


def _setup() -> None:
    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its per-step progress log


def _cold_child(kind: str) -> None:
    """In a fresh process: Django set up, then import + first render timed."""
    _setup()
    content = full_report()
    start = time.perf_counter()
    from gongkai.annualreports import render

    data = render.docx_bytes(content) if kind == "docx" else render.pdf_bytes(content)
    elapsed = time.perf_counter() - start
    print(f"{elapsed:.6f} {len(data)}")


def _cold(kind: str, runs: int) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "--cold-child", kind], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout.split()
        best, size = min(best, float(out[0])), int(out[1])
    return best, size


def _verdict(seconds: float) -> str:
    return "PASS" if seconds < TARGET else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold-runs", type=int, default=2)
    parser.add_argument("--warm-runs", type=int, default=5)
    parser.add_argument("--cold-child", choices=["docx", "pdf"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_child:
        _cold_child(args.cold_child)
        return 0

    _setup()
    from gongkai.annualreports import render

    content = full_report()
    prose = sum(len(content.section_text(k)) for k in ("overview", "problems", "other"))
    print(f"report: {content.title}, {prose} characters of prose in 3 sections, format {content.fmt.version}")
    print(f"target: each file < {TARGET:.0f} s\n")
    failed = False
    for kind, make in (("docx", render.docx_bytes), ("pdf", render.pdf_bytes)):
        cold, size = _cold(kind, args.cold_runs)
        make(content)  # warm this process
        times = []
        for _ in range(args.warm_runs):
            start = time.perf_counter()
            data = make(content)
            times.append(time.perf_counter() - start)
        median, worst = statistics.median(times), max(times)
        pages = ""
        if kind == "pdf":
            import pypdfium2

            pages = f", {len(pypdfium2.PdfDocument(data))} pages"
        print(
            f"{kind:5} cold (fresh process, import included, best of {args.cold_runs}): {cold:6.3f} s  {_verdict(cold)}"
        )
        print(
            f"{kind:5} warm (median of {args.warm_runs}): {median:6.3f} s, worst {worst:6.3f} s  {_verdict(worst)}  "
            f"[{size // 1024} KiB{pages}]"
        )
        failed |= cold >= TARGET or worst >= TARGET
    print("\nRESULT:", "FAIL" if failed else "PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
