"""Benchmark of internal routing (承办) at the scale of issue 16: 100,000 applications, 20 units, the
cases of the last two years routed to one unit or two (会签), most answered, some returned, the
recent ones open.

    .venv/bin/python benchmarks/units.py [--count 100000] [--units 20] [--runs 20]
    DATABASE_URL=postgres://user@host/db .venv/bin/python benchmarks/units.py

Builds a scratch database (see _scratch.py), generates the applications with the demo generator
(``gongkai.demo.generate_applications``), adds units to the demo agency and writes the assignments in
bulk (their services' cost is per click; what a person waits for is the list and the statistics),
then prints mean, median, p95 and worst of:

- a unit's work list (/work/applications/units/) as its 承办人 (chengban1);
- the same list as the office's clerk, who follows every unit's work;
- the per-unit statistics of last year (``selectors_units.unit_statistics``) and the statistics page.

Targets (issue 16): the unit work list p95 < 150 ms; per-unit statistics for a year < 500 ms.
Printed figures, not a test; runs on any date (the years are today's and the one before).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from _scratch import scratch_database  # noqa: E402  (beside this script)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")

TARGET_MS = {"list": 150, "statistics": 500}


def _summary(name: str, ms: list[float], target: int | None) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    verdict = "" if target is None else f"< {target}  {'met' if p95 < target else 'NOT MET'}"
    return f"{name:<34}{statistics.mean(ms):>9.1f}{statistics.median(ms):>9.1f}{p95:>9.1f}{ms[-1]:>9.1f}   {verdict}"


def _time(fn, runs: int) -> list[float]:
    fn()  # Django's own caches (templates, URL resolver), as a running server has them
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    with scratch_database("gongkai-bench-units-"):
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.test.utils import override_settings

        from gongkai import localtime
        from gongkai.accounts.models import Agency, Unit
        from gongkai.applications import selectors_units
        from gongkai.applications.models import Application, Assignment
        from gongkai.demo.accounts import seed_demo
        from gongkai.demo.generate_applications import generate
        from gongkai.domain.applications.assignment import State as AssignmentState
        from gongkai.workcalendar.selectors import working_calendar

        seed_demo()
        User = get_user_model()
        agency = Agency.objects.get(code="demo-edu")
        clerk = User.objects.get(username="jingban")
        today = localtime.local_today()
        t0 = time.perf_counter()
        generate(args.count, agency=agency, today=today, actor=clerk)
        existing = Unit.objects.filter(agency=agency).count()
        Unit.objects.bulk_create(Unit(agency=agency, name=f"第{i}股") for i in range(max(0, args.units - existing)))
        units = list(Unit.objects.filter(agency=agency))
        rnd = random.Random(16)
        states = [AssignmentState.ANSWERED.value] * 14 + [AssignmentState.RETURNED.value] * 2
        rows = []
        recent = Application.objects.filter(received_on__gte=today.replace(year=today.year - 1, month=1, day=1))
        for app_id, received in recent.values_list("id", "received_on"):
            if received is None:
                continue
            for unit in rnd.sample(units, 2 if rnd.random() < 0.2 else 1):
                assigned = received + timedelta(days=1)
                due = assigned + timedelta(days=14)
                young = (today - assigned).days < 20
                state = AssignmentState.ASSIGNED.value if young else rnd.choice(states)
                answered = None if young else min(today, assigned + timedelta(days=rnd.choice([3, 6, 9, 12, 16, 20])))
                rows.append(
                    Assignment(
                        application_id=app_id,
                        unit=unit,
                        state=state,
                        assigned_on=assigned,
                        due=due,
                        assigned_by=clerk,
                        answered_on=answered,
                        open=young,  # bulk_create skips save(), which keeps it
                    )
                )
        Assignment.objects.bulk_create(rows, batch_size=2000)
        with connection.cursor() as c:
            c.execute("ANALYZE")
        print(
            f"{Application.objects.count():,} applications, {len(units)} units, {len(rows):,} assignments "
            f"in {time.perf_counter() - t0:.0f} s"
        )

        testing = override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS])
        testing.enable()
        staff, office = Client(), Client()
        staff.force_login(User.objects.get(username="chengban1"))
        office.force_login(clerk)
        url = "/work/applications/units/"

        def get(client, u):
            def fn():
                response = client.get(u)
                assert response.status_code == 200, (u, response.status_code)

            return fn

        last = today.year - 1
        calendar = working_calendar()
        print(f"{'':<34}{'mean':>9}{'median':>9}{'p95':>9}{'worst':>9}   ms, target")
        print(_summary("unit list, 承办人", _time(get(staff, url), args.runs), TARGET_MS["list"]))
        print(_summary("unit list, page 20, 承办人", _time(get(staff, url + "?page=20"), args.runs), TARGET_MS["list"]))
        print(_summary("unit list, office clerk", _time(get(office, url), args.runs), TARGET_MS["list"]))
        print(
            _summary(
                f"unit_statistics({last})",
                _time(lambda: selectors_units.unit_statistics(agency.pk, last, calendar=calendar), args.runs),
                TARGET_MS["statistics"],
            )
        )
        print(_summary(f"statistics page {last}", _time(get(office, f"/work/statistics/?year={last}"), 5), None))


if __name__ == "__main__":
    main()
