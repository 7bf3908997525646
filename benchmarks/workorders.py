"""Benchmark of the work-order register at the scale of issue 18: 50,000 orders in a year for one
agency (a city bureau's 12345 load), over three platforms, five categories and a dozen units, most
replied and rated, some late, the last weeks' open.

    .venv/bin/python benchmarks/workorders.py [--orders 50000] [--runs 20]
    DATABASE_URL=postgres://user@host/db .venv/bin/python benchmarks/workorders.py

Builds a scratch database (see _scratch.py) with the demo users and the orders written in bulk (the
import's own cost is its preview and one bulk insert; the pages are what a clerk waits for), then
requests through the test client, as the clerk, and prints mean, median, p95 and worst of:

- the list, first page, and a page deep in the year (page 500);
- the list filtered to one platform, to one state, and to the overdue view;
- the statistics of the year by month (the issue's "monthly statistics"), and by unit.

Targets (issue 18): the list p95 < 150 ms, the monthly statistics < 500 ms. Each page is requested
once before timing to fill Django's own caches (templates, URL resolver); the database's page cache
is what a server has warm too. Printed figures, not a test; runs on any date (the year is today's
year, the orders stop at today).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from _scratch import scratch_database  # noqa: E402  (beside this script)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")

TARGET_MS = {"list": 150, "statistics_month": 500}
UNITS = [f"第{i}科" for i in range(1, 13)]


def _orders(agency, n: int, today, rnd: random.Random):
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from gongkai.domain.workorders.workflow import CATEGORY_LABELS
    from gongkai.workorders.models import WorkOrder

    start = today.replace(month=1, day=1)
    span = max((today - start).days, 1)
    platforms = ["12345"] * 7 + ["provincial"] * 2 + ["mailbox"]
    categories = list(CATEGORY_LABELS)
    ratings = ["satisfied"] * 6 + ["basically_satisfied"] * 2 + ["dissatisfied", ""]
    for i in range(n):
        day = start + timedelta(days=rnd.randrange(span + 1))
        received = timezone.make_aware(datetime.combine(day, time(8 + rnd.randrange(10), rnd.randrange(60))))
        due = day + timedelta(days=7)
        recent = (today - day).days < 14
        replied = None if recent and rnd.random() < 0.6 else day + timedelta(days=rnd.choice([1, 2, 3, 5, 6, 8, 12]))
        if replied is not None and replied > today:
            replied = None
        yield WorkOrder(
            agency=agency,
            platform=rnd.choice(platforms),
            number=f"B{i:07d}",
            category=rnd.choice(categories),
            title=f"诉求{i}",
            content="群众反映的问题及诉求内容",
            received_at=received,
            received_on=day,
            due_on=due,
            due_amount=5,
            due_unit="working_days",
            unit=rnd.choice(UNITS),
            state="replied" if replied else rnd.choice(["received", "assigned"]),
            replied_on=replied,
            first_replied_on=replied,
            rating=rnd.choice(ratings) if replied else "",
            rated_on=replied if replied else None,
        )


def _time(client, url: str, runs: int) -> list[float]:
    client.get(url)  # Django's caches (templates, URL resolver), as a running server has them
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--queries", action="store_true", help="print each page's SQL with its time, once")
    args = parser.parse_args()

    import django

    django.setup()
    with scratch_database("gongkai-bench-wo-"):
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.test.utils import override_settings

        from gongkai import localtime
        from gongkai.accounts.models import Agency
        from gongkai.demo.accounts import seed_demo
        from gongkai.workorders.models import WorkOrder

        seed_demo()
        today = localtime.local_today()
        agency = Agency.objects.get(code="demo-edu")
        t0 = time.perf_counter()
        WorkOrder.objects.bulk_create(_orders(agency, args.orders, today, random.Random(18)), batch_size=2000)
        with connection.cursor() as c:
            c.execute("ANALYZE")  # the planner's statistics, as autovacuum / a maintained SQLite has them
        print(f"{args.orders:,} orders of {today.year} written in {time.perf_counter() - t0:.1f} s")

        client = Client()
        client.force_login(get_user_model().objects.get(username="jingban"))
        base = "/work/workorders/"
        pages = {
            "list": f"{base}?year={today.year}",
            "list page 500": f"{base}?year={today.year}&page=500",
            "list 12345": f"{base}?year={today.year}&platform=12345",
            "list replied": f"{base}?year={today.year}&state=replied",
            "list overdue": f"{base}?view=overdue",
            "statistics_month": f"{base}statistics/?year={today.year}&by=month",
            "statistics by unit": f"{base}statistics/?year={today.year}&by=unit",
        }
        testing = override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS])
        testing.enable()
        print(f"{'page':<22}{'mean':>9}{'median':>9}{'p95':>9}{'worst':>9}  ms   target")
        for name, url in pages.items():
            if args.queries:
                from django.test.utils import CaptureQueriesContext

                with CaptureQueriesContext(connection) as captured:
                    client.get(url)
                for q in captured.captured_queries:
                    print(f"  {name}: {float(q['time']) * 1000:7.1f} ms  {q['sql'][:160]}")
                    if connection.vendor == "sqlite" and float(q["time"]) > 0.005:
                        with connection.cursor() as c:
                            c.execute("EXPLAIN QUERY PLAN " + q["sql"])
                            print("      plan:", "; ".join(row[-1] for row in c.fetchall()))
            ms = sorted(_time(client, url, args.runs))
            p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
            key = "list" if name.startswith("list") else name
            target = TARGET_MS.get(key)
            verdict = "" if target is None else (f"< {target}  {'met' if p95 < target else 'NOT MET'}")
            print(
                f"{name:<22}{statistics.mean(ms):>9.1f}{statistics.median(ms):>9.1f}{p95:>9.1f}{ms[-1]:>9.1f}      {verdict}"
            )


if __name__ == "__main__":
    main()
