"""Benchmark of the annual report workspace with a large year: the tables and the output files.

    .venv/bin/python benchmarks/annual_report.py [--applications 100000] [--documents 500000] [--runs 7] [--keep]
    DATABASE_URL=postgres://user@host/db .venv/bin/python benchmarks/annual_report.py

Builds a scratch database (SQLite in a temporary file by default; with DATABASE_URL set, Django's
test database ``test_<name>`` on that server, so the real database is never touched), migrates it,
loads the demo users, generates ``--applications`` applications (``generate_applications``) and
``--documents`` documents (``generate_documents``) for the demo agency, enters the year's table 二
figures, then measures and prints:

- **the year's tables**: table 二 (document register + yearly figures), table 三 (applications, one
  aggregation) and table 四 (review register) counted, assembled by the domain and every rule of the
  format checked, with last year's report for the cross-year rules — what the workspace does on
  every page view while the report is drafted. Per table and in total, for last year and this year.
  Target (issue 7): < 1 s.
- **the output files**: Word (.docx) and PDF of that report with its prose (about 2,000 characters
  per prose section), generated in this warm process. Target: < 5 s for Word and PDF together.
- for information: the whole workspace page (/work/annual-reports/<year>/) through the test client.

Printed figures, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from _scratch import scratch_database  # noqa: E402  (beside this script)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")

TABLES_TARGET_MS = 1000
FILES_TARGET_MS = 5000

PROSE = {
    "overview": (
        "本年度，我局认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
        "严格落实公开属性源头认定、保密审查和发布审核制度，规范政府信息管理。依托政府门户网站政府信息公开专栏、"
        "政务新媒体和政府公报做好平台建设。加强组织领导和业务培训，将政府信息公开工作纳入年度绩效考核，强化监督保障。"
    )
    * 6,
    "problems": (
        "本年度政府信息公开工作仍存在政策解读形式较为单一、基层学校公开内容更新不够及时等问题。"
        "下一步，我局将进一步丰富政策解读形式，加强对基层学校的指导和检查，持续改进。"
    )
    * 12,
    "other": (
        "本年度无其他需要报告的事项。我局将继续落实上级年度政务公开工作要点，做好人大代表建议和政协提案办理结果公开。"
    )
    * 30,
}


def _times(fn, runs: int) -> tuple[list[float], object]:
    samples, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t) * 1000)
    return samples, result


def _row(name: str, samples: list[float], target: float | None = None) -> str:
    med, worst = statistics.median(samples), max(samples)
    verdict = "" if target is None else f"  <{target:.0f} {'OK' if worst < target else 'SLOW'}"
    return f"{name:<52} {med:9.1f} {worst:9.1f}{verdict}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    with scratch_database("gongkai-bench-ar-", keep=args.keep):
        from django.contrib.auth import get_user_model

        from gongkai.accounts.models import Agency
        from gongkai.annualreports import render, selectors, services
        from gongkai.applications.models import Application
        from gongkai.applications.statistics import table3_for_year_sql
        from gongkai.demo.accounts import seed_demo
        from gongkai.demo.generate_applications import generate as generate_applications
        from gongkai.demo.generate_documents import generate as generate_documents
        from gongkai.disclosure.models import Document
        from gongkai.disclosure.selectors import table2_figures
        from gongkai.disclosure.services import annual_figures_save
        from gongkai.domain.annual_report import assemble
        from gongkai.domain.annual_report.content import ReportContent
        from gongkai.litigation.selectors import table4_figures

        seed_demo()
        agency = Agency.objects.get(code="demo-edu")
        User = get_user_model()
        clerk = User.objects.get(username="jingban")
        today = timezone.localdate()
        t = time.perf_counter()
        generate_applications(
            args.applications,
            agency=agency,
            today=today,
            actor=clerk,
            progress=lambda n: print(f"  applications {n}", flush=True) if n % 20000 == 0 else None,
        )
        print(f"generated {Application.objects.count()} applications in {time.perf_counter() - t:.0f}s", flush=True)
        t = time.perf_counter()
        generate_documents(
            args.documents,
            agency=agency,
            today=today,
            actor=clerk,
            progress=lambda n: print(f"  documents {n}", flush=True) if n % 100000 == 0 else None,
        )
        print(f"generated {Document.objects.count()} documents in {time.perf_counter() - t:.0f}s", flush=True)
        for year in (today.year - 1, today.year):
            annual_figures_save(
                agency=agency,
                year=year,
                actor=None,
                figures={"licensing_decisions": 18, "penalty_decisions": 1, "coercion_decisions": 0, "fee_amount": "0"},
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        results = []
        for year in (today.year - 1, today.year):
            previous = selectors.previous_for(agency=agency, year=year)

            def year_tables(year=year, previous=previous):
                live = selectors.live_tables(agency=agency, year=year)
                assert live.tables is not None, live.problem
                check = assemble.check_tables(year, live.tables, previous_tables=previous.tables if previous else None)
                return live, check

            year_tables()  # warm up
            t2, _ = _times(lambda: table2_figures(agency=agency, year=year), args.runs)
            t3, table3 = _times(lambda: table3_for_year_sql(agency, year), args.runs)
            t4, _ = _times(lambda: table4_figures(agency=agency, year=year), args.runs)
            total, (live, check) = _times(year_tables, args.runs)
            failing = [r.rule for r in check.rules if r.status not in ("passed", "skipped")]
            results.append(_row(f"{year}: table 二 (register + figures)", t2))
            results.append(
                _row(
                    f"{year}: table 三 ({table3['new_received']['total']} new, "
                    f"{table3['results_total']['total']} concluded)",
                    t3,
                )
            )
            results.append(_row(f"{year}: table 四", t4))
            results.append(_row(f"{year}: 二+三+四 assembled and every rule checked", total, TABLES_TARGET_MS))
            results.append(
                f"    rules: {len(check.rules)}, not passed (besides cross-year without a previous "
                f"report): {failing or 'none'}"
            )
            if year == today.year - 1:
                # last year made outside gongkai (entered), so this year's cross-year rules run
                values = {c.name: selectors.cell_value(live.tables, c) for c in selectors.all_cells(year)}
                services.previous_report_enter(agency=agency, year=year, values=values, complete=True, actor=clerk)

        live = selectors.live_tables(agency=agency, year=today.year)
        content = ReportContent(
            agency_name=agency.name, year=today.year, tables=live.tables, sections=PROSE, dated=today
        )
        render.docx_bytes(content), render.pdf_bytes(content)  # warm up (imports, fonts)
        docx, data = _times(lambda: render.docx_bytes(content), args.runs)
        pdf, pdf_data = _times(lambda: render.pdf_bytes(content), args.runs)
        both = [a + b for a, b in zip(docx, pdf)]
        results.append(_row(f"Word (.docx, {len(data) // 1024} KB)", docx))
        results.append(_row(f"PDF ({len(pdf_data) // 1024} KB)", pdf))
        results.append(_row("Word + PDF", both, FILES_TARGET_MS))

        # for information: the workspace page, which counts the tables and checks the prose on every view
        report = services.report_open(agency=agency, year=today.year, actor=clerk, actor_roles={"clerk"}, today=today)
        services.report_save_sections(report=report, sections=PROSE, actor=clerk, actor_roles={"clerk"})
        client = Client(SERVER_NAME="localhost")
        client.force_login(clerk)
        url = f"/work/annual-reports/{today.year}/"
        client.get(url)
        page, response = _times(lambda: client.get(url), max(3, args.runs // 2))
        results.append(_row(f"(info) workspace page, HTTP {response.status_code}", page))

        print()
        print(f"{'measure':<52} {'median ms':>9} {'max ms':>9}  target")
        for line in results:
            print(line)
        return 0


if __name__ == "__main__":
    sys.exit(main())
