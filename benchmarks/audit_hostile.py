"""Hostile inputs against the report reader: wall time and peak memory of each, one child each.

Every input of ``tests/unit/audit/hostile.py`` is audited by ``audit_bytes`` in its own child
process (so one input's peak memory is that child's maximum resident size, from ``wait4``); the
child is capped by this script (``--memory-mb``, ``--timeout``) so a regression cannot take the
machine down: a capped child is reported as ``killed``/``MemoryError``.

    .venv/bin/python benchmarks/audit_hostile.py            # the default set, sized for minutes
    .venv/bin/python benchmarks/audit_hostile.py --full     # the sizes of issue 12 (slow before the limits)

Prints, per input: input size, seconds, peak MB, findings, characters of text, whether the JSON is
strict (no NaN/Infinity), and then the worst time and the worst memory.

2026-12-07 (issue 15, Word body streamed): ``word/document.xml`` is parsed in pieces and only up
to the text limit (``sources/docx_stream.py``) instead of whole by python-docx. The Word inputs,
base and new interleaved twice on the loaded 2-core machine, the child's CPU (user+sys, from
``wait4``) and peak: paragraphs.docx (40 MB) 2.40-2.56 s, 506 MB -> 1.78-2.43 s, 131 MB;
paragraphs-60mb.docx 2.55-2.73 s, 728 MB -> 1.83-1.94 s, 169 MB (this table's wall: 2.5 -> 1.7 s
at the quietest run). The Word reading itself of the 60 MB body: 1.7-2.3 s -> 0.8-0.9 s CPU; the
rest is the child's start (~0.5 s) and the audit of the million characters read. The small Word
inputs are unchanged (0.5 s CPU). Not streamed: the salvage of a damaged .docx (a 60 MB body
with its zip directory cut off: ~2.9 s CPU, 819 MB, as before), whose recovering parse reads
broken XML differently when fed in pieces.

2026-12-07 (issue 15, Word salvage bounded by the text limit): the salvage of a damaged .docx
inflates and parses (whole, with the recovering parser) only a prefix of ``word/document.xml``: a
256 KB probe, then one as long as the probe's text says the limit needs and half again; the whole
part, as before, when the text stays short of the limit or the item passing it runs past the
prefix. Base (6b17ab7) and new interleaved, three rounds, the child's CPU and peak:
damaged-60mb.docx 2.43-3.06 s, 819-820 MB -> 1.43-1.78 s, 172-194 MB (wall 2.4-3.1 -> 1.4-1.8 s;
1.47 s in a whole run of this table, where every input but the next is under 2 s). New row,
damaged-empty.docx (the same with empty paragraphs: no text to stop at, so parsed whole as
before): 6.3-8.3 s -> 6.3-8.6 s, 817 MB both, the probe's cost lost in the noise; of it ~1 s is
the parse and ~4.5 s the walk of 1.7 million empty paragraphs (~2.5 us each, the walk the intact
reader makes too: an intact .docx of 60 MB of empty paragraphs costs ~10 s CPU, not listed here).
No reader limit bounds the paragraphs of a body whose text stays short of max_text_chars.

2026-12-07 (issue 15, max_docx_elements): a Word body is read only while its paragraphs and tables
(those in cells and text boxes too) number at most 200,000: the streamed body stops parsing there,
python-docx's whole tree and the salvage stop walking, and the salvage's prefix grows only as far
as that many need. New row empty.docx: an intact body of 60 MB of ``<w:p/>`` (10 million
paragraphs). The Word reading alone (read_source, CPU, base h-salvage 1ed46c1 then new, back to
back on the loaded machine): damaged-empty.docx 6.0 -> 1.0 s; empty.docx 19.7 -> 0.45 s; an
intact 60 MB body of empty runs (many_paragraphs_docx(60, text="")) 8.0 -> 1.0 s. This table's
rows (wall, peak), one run of ``--only docx``: damaged-empty.docx 6.3-8.6 s, 817 MB -> 1.41 s,
177 MB (2.17 s in an earlier run under heavier load); empty.docx 0.81 s, 170 MB. A whole run of
this table afterwards: every input under 2 s (worst damaged-60mb.docx 1.76 s; damaged-empty.docx
1.36 s, empty.docx 0.86 s; mean 0.78 s). Readings of files within the limit unchanged (1,175
corpus files, the samples, the degradation table).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]


def inputs(full: bool) -> list[tuple[str, bytes]]:
    from tests.unit.audit import hostile as H

    items = [
        H.gridspan_docx(),
        H.grid_before_docx(),
        H.many_parts_docx(),
        H.extra_part_docx(1000 if full else 300),
        H.many_paragraphs_docx(295 if full else 40),
        (
            "paragraphs-60mb.docx",
            H.many_paragraphs_docx(60)[1],
        ),  # just under max_decompressed_bytes: the worst accepted
        ("damaged-60mb.docx", H.damaged_paragraphs_docx(60)[1]),  # the salvage, up to the text limit
        # the salvage of empty paragraphs: no text to stop at, only max_docx_elements stops it
        ("damaged-empty.docx", H.damaged_paragraphs_docx(60, text="")[1]),
        H.empty_paragraphs_docx(60),  # the same intact (streamed): millions of <w:p/>
        H.many_rows_text(1_000_000 if full else 200_000),
        H.pdf_bomb(5000 if full else 1000),
        H.many_rows_html(100_000),
        H.wide_html(),
        H.empty_elements_html(32 if full else 8),
        ("empty-b.html", H.empty_elements_html(32 if full else 8, "<b>x</b>")[1]),
        H.wide_markdown(),
        H.long_number_text(400),
        H.long_number_text(5000, decimal=False),
        H.long_text(5_000_000),
    ]
    return items


def child(path: str, name: str) -> int:
    from gongkai.domain.audit import audit_bytes

    def strict(value: str) -> float:
        raise ValueError(f"not JSON: {value}")

    data = Path(path).read_bytes()
    report = audit_bytes(data, name)
    out = report.to_json()
    try:
        body = json.dumps(out, ensure_ascii=False, allow_nan=False)
        json.loads(body, parse_constant=strict)
        valid = "yes"
    except ValueError:
        valid = "NO"
    print(json.dumps({"findings": len(out["findings"]), "text": len(report.text), "json": valid}))
    return 0


def run_one(name: str, data: bytes, *, memory_mb: int, timeout: float) -> dict:
    with tempfile.NamedTemporaryFile(suffix=Path(name).suffix, delete=False) as f:
        f.write(data)
        path = f.name

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))

    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", path, name],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=limit,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path[:2])},
    )
    status = None
    rusage = None
    while True:
        pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > timeout:
            proc.send_signal(signal.SIGKILL)
            _, status, rusage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    out, err = proc.stdout.read(), proc.stderr.read()
    os.unlink(path)
    row = {"name": name, "bytes": len(data), "seconds": seconds, "peak_mb": rusage.ru_maxrss / 1024}
    if proc.returncode == 0:
        row.update(json.loads(out.decode().strip().splitlines()[-1]))
    elif proc.returncode < 0:
        row["outcome"] = f"killed (signal {-proc.returncode}{', timeout' if seconds > timeout else ''})"
    else:
        last = err.decode(errors="replace").strip().splitlines()[-1:] or ["?"]
        row["outcome"] = f"exit {proc.returncode}: {last[0][:80]}"
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="issue 12's sizes")
    parser.add_argument("--memory-mb", type=int, default=4096, help="cap of each child (default 4096)")
    parser.add_argument("--timeout", type=float, default=180, help="seconds before a child is killed (default 180)")
    parser.add_argument("--only", default="", help="run only inputs whose name contains this")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    rows = []
    print(f"{'input':<22}{'MB in':>8}{'seconds':>9}{'peak MB':>9}{'findings':>10}{'text chars':>12}  json / outcome")
    for name, data in inputs(args.full):
        if args.only not in name:
            continue
        r = run_one(name, data, memory_mb=args.memory_mb, timeout=args.timeout)
        rows.append(r)
        tail = r.get("json", "") or ""
        if "outcome" in r:
            tail = r["outcome"]
        print(
            f"{name:<22}{len(data) / 1e6:>8.2f}{r['seconds']:>9.2f}{r['peak_mb']:>9.0f}"
            f"{r.get('findings', ''):>10}{r.get('text', ''):>12}  {tail}",
            flush=True,
        )
    if rows:
        slow = max(rows, key=lambda r: r["seconds"])
        big = max(rows, key=lambda r: r["peak_mb"])
        mean = sum(r["seconds"] for r in rows) / len(rows)
        print(
            f"mean {mean:.2f} s; worst time {slow['seconds']:.2f} s ({slow['name']}); worst memory {big['peak_mb']:.0f} MB ({big['name']})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
