"""The audit's cost in machine instructions per report, this tree against another commit: a
measure that does not move with the load of the machine.

On the shared development machine the CPU-time rates of ``benchmarks/audit.py`` move by 20 % and
more between runs (other processes take the caches and the turbo), more than most changes to the
reader. Valgrind's callgrind counts the instructions the interpreter executes instead: the same
count for the same code, inputs and interpreter whatever else runs (two runs of one side here
differed by 0.06 % with string hashing left random; the children run with ``PYTHONHASHSEED=0``).
An instruction is not a fixed time (a cache miss costs more than an add), so this compares two
versions of the reader on the same interpreter; the targets of issue 15 stay in reports per
second (``benchmarks/audit.py``).

Each side runs, under valgrind, a fresh interpreter that imports the reader, audits one report
(lazy imports, per-format tables), and then, in a second run, also audits every input once, cold
(``clear_caches`` before each, as ``benchmarks/audit.py`` does); the difference of the two counts
divided by the number of inputs is the cost of one report. The inputs are the realistic sets of
``benchmarks/audit.py`` (60 text reports of 10-15 KB, 20 CMS pages of 134-352 KB, 12 PDFs of
~215 KB printed by WeasyPrint), made once by this tree and given to both sides.

    .venv/bin/python benchmarks/audit_instructions.py [--against REV] [--kind text html pdf]

Valgrind slows the interpreter ~50 times: text and HTML take about a minute a side, PDF about
four. Measured 2026-12-07, c441783 against the tree after that day's speed work (helpers' merge),
millions of instructions a report: text 26.4 -> 23.0 (-12.8 %), HTML page 109.3 -> 93.9
(-14.1 %), PDF 722.7 -> 635.3 (-12.1 %).
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run by each side's interpreter under valgrind: argv = src folder, pickled inputs, kind, 0/1.
_CHILD = """
import pickle, sys
sys.path.insert(0, sys.argv[1])
from gongkai.domain.audit import audit_bytes, clear_caches
docs = pickle.load(open(sys.argv[2], "rb"))[sys.argv[3]]
audit_bytes(docs[0][1], docs[0][0]).to_json()
if sys.argv[4] == "1":
    for name, data in docs:
        clear_caches()
        audit_bytes(data, name).to_json()
"""
_COLLECTED = re.compile(r"Collected : (\d+)")


def make_inputs(kinds: list[str], into: Path) -> dict[str, int]:
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    from benchmarks import audit as bench

    makers = {
        "text": bench.realistic_text_inputs,
        "html": bench.realistic_html_inputs,
        "pdf": bench.realistic_pdf_inputs,
    }
    docs = {kind: makers[kind]() for kind in kinds}
    into.write_bytes(pickle.dumps(docs))
    return {kind: len(items) for kind, items in docs.items()}


def instructions(src: Path, inputs: Path, kind: str, audit_all: bool, script: Path) -> int:
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            str(script),
            str(src),
            str(inputs),
            kind,
            "1" if audit_all else "0",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"valgrind run failed ({done.returncode}): {done.stderr[-800:]}")
    return int(found.group(1))


def export_src(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", default="HEAD", help="the commit to compare with (default HEAD)")
    ap.add_argument("--kind", nargs="+", choices=("text", "html", "pdf"), default=["text", "html"])
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind): nothing measured")
        return 0
    with tempfile.TemporaryDirectory(prefix="gongkai-instr-") as tmp:
        folder = Path(tmp)
        script = folder / "child.py"
        script.write_text(_CHILD, encoding="utf-8")
        inputs = folder / "inputs.pkl"
        counts = make_inputs(args.kind, inputs)
        sides = {args.against: export_src(args.against, folder / "base"), "this tree": ROOT / "src"}
        print("millions of instructions per report (callgrind), cold, one interpreter per side")
        print(f"{'input':8s} {'reports':>7s} " + " ".join(f"{name[:12]:>12s}" for name in sides) + "   change")
        for kind in args.kind:
            per = []
            for src in sides.values():
                base = instructions(src, inputs, kind, False, script)
                full = instructions(src, inputs, kind, True, script)
                per.append((full - base) / counts[kind] / 1e6)
            change = (per[1] - per[0]) / per[0] * 100
            print(f"{kind:8s} {counts[kind]:7d} " + " ".join(f"{p:12.1f}" for p in per) + f"   {change:+.1f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
