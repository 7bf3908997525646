"""Benchmark: text reports audited per second on one core (target: at least 500).

The set: the five development samples as published, each converted to traditional characters
(OpenCC s2t), and every sample that has tables with its tables re-flattened (the tab separators
between digits removed, as crawlers do: ``0→0→3`` becomes ``003``) and with tabs turned into
single spaces. Each report goes the whole way a CLI run takes: bytes → read_source → normalise →
recognise → tables → prose → findings → ``to_json()``.

Figures are per CPU second of the benchmark process (``time.process_time``), so they measure
one core even on a busy machine; the wall-clock rate is printed beside them. Two figures are printed: the normal run, where consistency.audit's result is memoised on the
table values (a batch repeats tables a lot: all-zero tables 三/四 above all), and a run with that
memo disabled, i.e. every report's tables checked afresh.

    .venv/bin/python benchmarks/audit_text.py [--seconds 3] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import sys
import time
from pathlib import Path

import opencc

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from gongkai.domain.audit import findings  # noqa: E402
from gongkai.domain.audit.findings import audit_bytes  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
_NUM_TAB = re.compile(r"(?<=\d)\t(?=\d)")


def corpus() -> list[tuple[str, bytes]]:
    s2t = opencc.OpenCC("s2t")
    out = []
    for path in sorted(SAMPLES.glob("sample-*.txt")):
        text = path.read_text(encoding="utf-8")
        out.append((path.name, text.encode("utf-8")))
        out.append((path.stem + ".s2t.txt", s2t.convert(text).encode("utf-8")))
        if "\t" in text:
            flattened = "\n".join(_NUM_TAB.sub("", line) for line in text.split("\n"))
            out.append((path.stem + ".flat.txt", flattened.encode("utf-8")))
            out.append((path.stem + ".spaces.txt", text.replace("\t", " ").encode("utf-8")))
    return out


def run(docs: list[tuple[str, bytes]], seconds: float) -> tuple[float, float]:
    """Reports per CPU second of this process (what one core does, whatever else the machine
    runs) and per wall-clock second."""
    n = 0
    start, cpu = time.perf_counter(), time.process_time()
    while time.process_time() - cpu < seconds:
        for name, data in docs:
            audit_bytes(data, name).to_json()
            n += 1
    return n / (time.process_time() - cpu), n / (time.perf_counter() - start)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--profile", action="store_true", help="print the 25 most expensive functions")
    args = ap.parse_args()
    docs = corpus()
    for name, data in docs:  # warm up: converters, format data, caches of compiled patterns
        audit_bytes(data, name)
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        run(docs, args.seconds)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
    rate = run(docs, args.seconds)
    size = findings.RULES_CACHE_SIZE
    findings.RULES_CACHE_SIZE = 0
    findings._RULES_CACHE.clear()
    try:
        cold = run(docs, args.seconds)
    finally:
        findings.RULES_CACHE_SIZE = size
    print(f"{len(docs)} distinct text reports, single process, {args.seconds:g} CPU seconds each run")
    print(f"reports/s per core: {rate[0]:.0f}  (wall clock {rate[1]:.0f}/s; consistency results memoised on table values)")
    print(f"reports/s per core: {cold[0]:.0f}  (wall clock {cold[1]:.0f}/s; every report's tables checked afresh)")
    print("target: 500 text reports/s per core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
