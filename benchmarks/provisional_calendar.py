"""How far the provisional deadlines fall before the official ones, year by year.

    .venv/bin/python benchmarks/provisional_calendar.py [--max-days 60]

For each year Y from 2020 to 2026 it hides the notices of Y and later (as on a December day
before Y's notice is published), then counts every start date from 1 December of Y-1 to
31 December of Y and every N from 1 to ``--max-days`` working days, with both counting
conventions, on the hidden calendar (provisional) and on the full one (official). Counts whose
official date is itself provisional (beyond the last shipped notice) are left out.

Printed per year: the counts compared, how many were provisional, the mean and worst gap in
calendar days (official − provisional; never negative: a negative gap would be a provisional
date later than the official one, and the script says so), and how many provisional dates fell
on the official date. The property itself is tested in tests/unit/test_provisional_calendar.py;
these are figures, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.domain.calendar import MAKEUP_WINDOW_DAYS, WorkingCalendar  # noqa: E402

STATUTORY_PERIODS = (7, 15, 20, 40)  # 补正告知, 征求意见, 答复, 答复 + 延期


def compare_year(full: WorkingCalendar, year: int, max_days: int, by_n: dict[int, list[int]] | None = None) -> dict:
    hidden = full.without_years_from(year)
    gaps: list[int] = []
    later = 0
    compared = 0
    d = date(year - 1, 12, 1)
    while d <= date(year, 12, 31):
        for convention in ("A", "B"):
            for n in range(1, max_days + 1):
                official = full.due_date(d, n, convention)
                if official.provisional:
                    break  # beyond the shipped notices: no official date to compare with
                compared += 1
                provisional = hidden.due_date(d, n, convention)
                if not provisional.provisional:
                    continue
                gap = (official.due - provisional.due).days
                later += gap < 0
                gaps.append(gap)
                if by_n is not None and n in by_n:
                    by_n[n].append(gap)
        d += timedelta(days=1)
    return {
        "year": year,
        "compared": compared,
        "provisional": len(gaps),
        "mean": statistics.fmean(gaps) if gaps else 0.0,
        "worst": max(gaps) if gaps else 0,
        "exact": sum(1 for g in gaps if g == 0),
        "later": later,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-days", type=int, default=60)
    args = parser.parse_args(argv)
    full = WorkingCalendar.official()
    print(
        f"provisional vs official due dates (make-up window ±{MAKEUP_WINDOW_DAYS} days, N = 1..{args.max_days}, conventions A and B)"
    )
    print(f"{'year':>6} {'compared':>9} {'provis.':>8} {'mean gap':>9} {'worst':>6} {'exact':>7} {'later!':>7}")
    t = time.perf_counter()
    all_gaps_mean, worst, later = [], 0, 0
    by_n: dict[int, list[int]] = {n: [] for n in STATUTORY_PERIODS if n <= args.max_days}
    for year in range(2020, 2027):
        r = compare_year(full, year, args.max_days, by_n)
        print(
            f"{r['year']:>6} {r['compared']:>9} {r['provisional']:>8} {r['mean']:>8.2f}d {r['worst']:>5}d {r['exact']:>7} {r['later']:>7}"
        )
        all_gaps_mean.append((r["mean"], r["provisional"]))
        worst, later = max(worst, r["worst"]), later + r["later"]
    total = sum(n for _, n in all_gaps_mean)
    mean = sum(m * n for m, n in all_gaps_mean) / total if total else 0.0
    print(f"{'all':>6} {'':>9} {total:>8} {mean:>8.2f}d {worst:>5}d {'':>7} {later:>7}")
    print("\nby statutory period (all years, provisional counts only):")
    for n, gaps in by_n.items():
        if gaps:
            print(
                f"  N={n:>2} working days: mean gap {statistics.fmean(gaps):.2f} d, worst {max(gaps)} d, "
                f"same date {sum(1 for g in gaps if g == 0) / len(gaps):.0%}"
            )
    print(f"({time.perf_counter() - t:.1f} s)")
    if later:
        print("A PROVISIONAL DATE WAS LATER THAN THE OFFICIAL ONE: the rule is broken.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
