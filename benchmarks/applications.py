"""Benchmark of the applications pages and the table 三 aggregation with many cases.

    .venv/bin/python benchmarks/applications.py [--count 100000] [--requests 50] [--keep]
    DATABASE_URL=postgres://user@host/db .venv/bin/python benchmarks/applications.py

Builds a scratch database (SQLite in a temporary file by default; with DATABASE_URL set,
Django's test database ``test_<name>`` on that server, so the real database is never touched),
migrates it, loads the demo users, generates ``--count`` applications with
``manage.py generate_applications`` (bulk insert, logs consistent with states), then measures and
prints:

- the clerk's work list (/work/applications/, first page, default filter): p50 / p95 over
  ``--requests`` requests through Django's test client, logged in as the clerk ``jingban``;
- a case page (/work/applications/<id>/) over as many different cases: p50 / p95;
- the table 三 aggregation (``statistics.table3_for_year_sql``) for last year and this year;
- for information, the statistics page (/work/statistics/) of last year.

Targets (issue 5): list and case page p95 < 150 ms, aggregation < 500 ms. Printed figures, not a
test. Pages not (yet) served are reported as such instead of measured.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from _scratch import scratch_database  # noqa: E402  (beside this script)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")

LIST_TARGET_MS = CASE_TARGET_MS = 150
AGGREGATION_TARGET_MS = 500


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95, ordered[-1]


def _verdict(value: float, target: float) -> str:
    return "OK " if value < target else "SLOW"


def _measure(client, urls: list[str]) -> tuple[list[float], int]:
    samples, status = [], 200
    for url in urls:
        t = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - t) * 1000)
        status = response.status_code
        if status != 200:
            break
    return samples, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="generate the cases as of this day (YYYY-MM-DD; default: today). Any day of the year "
        "works: deadlines running into a year without a holiday notice are provisional",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    with scratch_database("gongkai-bench-", keep=args.keep):
        from django.contrib.auth import get_user_model

        from gongkai.accounts.models import Agency
        from gongkai.applications import statistics as stats
        from gongkai.applications.models import Application, CaseEvent
        from gongkai.demo.accounts import seed_demo
        from gongkai.demo.generate_applications import generate

        seed_demo()
        agency = Agency.objects.get(code="demo-edu")
        clerk = get_user_model().objects.get(username="jingban")
        today = args.today or timezone.localdate()
        t = time.perf_counter()
        generate(
            args.count,
            agency=agency,
            today=today,
            actor=clerk,
            progress=lambda n: print(f"  generated {n}", flush=True) if n % 20000 == 0 else None,
        )
        print(
            f"generated {Application.objects.count()} applications, {CaseEvent.objects.count()} log entries "
            f"in {time.perf_counter() - t:.1f}s"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        states = dict(Application.objects.values_list("state").annotate(n=Count("id")).order_by())
        print("by state: " + ", ".join(f"{k} {v}" for k, v in sorted(states.items(), key=lambda kv: -kv[1])))
        print(
            f"reply deadlines provisional (next year's holiday notice missing): "
            f"{Application.objects.filter(reply_due_provisional=True).count()}"
        )

        client = Client(SERVER_NAME="localhost")
        client.force_login(clerk)
        n = args.requests
        results = []

        # the work list
        try:
            list_url = reverse("applications:staff_list")
        except NoReverseMatch:
            list_url = None
        if list_url is None:
            print("work list: not present (no applications:staff_list url) — not measured")
        else:
            _measure(client, [list_url] * 3)  # warm up
            samples, status = _measure(client, [list_url] * n)
            if status != 200:
                print(f"work list {list_url}: HTTP {status} — not measured")
            else:
                p50, p95, worst = _percentiles(samples)
                results.append(("work list (first page)", p50, p95, worst, LIST_TARGET_MS))

        # case pages: different cases each time, every state represented
        rng = random.Random(5)
        ids = list(Application.objects.filter(agency=agency).values_list("id", flat=True))
        picked = rng.sample(ids, min(n, len(ids)))
        try:
            case_urls = [reverse("applications:staff_case", args=[pk]) for pk in picked]
        except NoReverseMatch:
            case_urls = []
        if not case_urls:
            print("case page: not present (no applications:staff_case url) — not measured")
        else:
            _measure(client, case_urls[:3])
            samples, status = _measure(client, case_urls)
            if status != 200:
                print(f"case page: HTTP {status} — not measured")
            else:
                p50, p95, worst = _percentiles(samples)
                results.append(("case page", p50, p95, worst, CASE_TARGET_MS))

        # the table 三 aggregation
        for year in (today.year - 1, today.year):
            stats.table3_for_year_sql(agency, year)  # warm up
            samples = []
            for _ in range(7):
                with CaptureQueriesContext(connection) as queries:
                    t = time.perf_counter()
                    table = stats.table3_for_year_sql(agency, year)
                    samples.append((time.perf_counter() - t) * 1000)
            assert len(queries) == 1, f"table 三 took {len(queries)} queries"
            p50, p95, worst = _percentiles(samples)
            results.append(
                (
                    f"table 三 {year} (1 query; {table['new_received']['total']} new)",
                    p50,
                    worst,
                    worst,
                    AGGREGATION_TARGET_MS,
                )
            )

        print()
        print(f"{'measure':<44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target")
        for name, p50, p95, worst, target in results:
            print(f"{name:<44} {p50:8.1f} {p95:8.1f} {worst:8.1f}  <{target} {_verdict(p95, target)}")

        # for information: the statistics page (clocks recomputed for every replied case of the year)
        try:
            url = reverse("applications:statistics") + f"?year={today.year - 1}"
            t = time.perf_counter()
            status = client.get(url).status_code
            print(
                f"\n(info) statistics page {today.year - 1}: HTTP {status} in {(time.perf_counter() - t) * 1000:.0f} ms"
            )
        except NoReverseMatch:
            pass
        _recompute_on_notice(today)
        return 0


def _recompute_on_notice(today) -> None:
    """For information: what entering next year's holiday notice costs (every open case recomputed)."""
    from datetime import date

    from django.db import transaction

    from gongkai.applications.models import Application
    from gongkai.applications.services import deadlines_recompute_after_notice, open_states
    from gongkai.domain.calendar import statutory_holidays
    from gongkai.workcalendar.models import HolidayNotice, HolidayPeriod
    from gongkai.workcalendar.selectors import working_calendar

    year = today.year + 1 if today.year in working_calendar().covered_years else today.year
    if year in working_calendar().covered_years:
        return
    open_cases = Application.objects.filter(state__in=open_states(), received_on__isnull=False).count()
    t = time.perf_counter()
    with transaction.atomic():
        # a stand-in notice: the statutory days plus a bridge day after 元旦, enough to move dates
        notice = HolidayNotice.objects.create(year=year, title=f"{year}年节假日安排（基准测试用）")
        for r in statutory_holidays(year):
            end = date(year, 1, 2) if r.name == "元旦" else r.end
            HolidayPeriod.objects.create(notice=notice, name=r.name, start=r.start, end=end)
        changes = deadlines_recompute_after_notice(year=year, today=today)
    print(
        f"(info) entering the {year} notice: {open_cases} open cases recomputed, {len(changes)} dates moved, "
        f"in {(time.perf_counter() - t) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
