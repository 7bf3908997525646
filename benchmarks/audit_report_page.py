"""Benchmark: the audit report page of a report with many findings (issue 12, defect 5).

    .venv/bin/python benchmarks/audit_report_page.py [--findings 20000] [--runs 40]

Builds a scratch database (SQLite in a temporary file; with DATABASE_URL set, Django's test
database on that server), a supervisor, and one audited report whose stored result holds
``--findings`` findings (``unmatched_row`` warnings, a few errors, each with a span into an original
text of one line per finding: what a 20,000-row hostile table produced before the findings limit),
then requests the report page through the test client ``--runs`` times, alternating the first page,
a middle page and the last page, and prints mean, p95 and worst milliseconds per request (the whole
view: loading the result from the database, grouping, paging, highlighting, rendering).

Target: p95 < 300 ms at 20,000 findings. Before the fix the page cut the text at every span and
asked every piece about every span (quadratic): 4,000 findings took 1.5 s, 20,000 took 27 s.
For comparison it also times the former quadratic highlight alone on ``--old-sample`` findings.
Printed figures, not a test.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from _scratch import scratch_database  # noqa: E402  (beside this script)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")
TARGET_MS = 300


def _result(n: int) -> tuple[dict, str]:
    lines, findings, pos = [], [], 0
    for i in range(n):
        line = f"其他事项{i}\t{i % 7}\t{i % 5}\t{i % 3}"
        lines.append(line)
        span = {
            "start": pos,
            "end": pos + len(line),
            "original_start": pos,
            "original_end": pos + len(line),
            "text": line,
        }
        severity = "error" if i % 1000 == 0 else "warning"
        findings.append(
            {
                "rule": "t3_sum" if severity == "error" else "unmatched_row",
                "severity": severity,
                "message": f"表三中的一行（“其他事项{i}”）与规范格式的任何一行都不对应，其中的数字未计入",
                "where": {"cells": [], "spans": [span], "expected": None, "actual": None},
            }
        )
        pos += len(line) + 1
    findings.sort(key=lambda f: f["severity"] != "error")
    text = "\n".join(lines)
    result = {
        "file": "rows.txt",
        "format": "2021",
        "year": 2023,
        "agency": "某县教育局",
        "tables": {},
        "findings": findings,
    }
    return result, text


def _old_highlight(text: str, findings: list[dict]) -> int:
    """The former page's cut (quadratic), for the comparison line."""
    marks = []
    for i, f in enumerate(findings):
        for span in f["where"]["spans"]:
            a, b = span["original_start"], span["original_end"]
            if a < b:
                marks.append((a, b, i, f["severity"]))
    cuts = sorted({0, len(text), *[m[0] for m in marks], *[m[1] for m in marks]})
    out = 0
    for a, b in zip(cuts, cuts[1:]):
        out += len([m for m in marks if m[0] <= a and b <= m[1]])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument(
        "--old-sample", type=int, default=2000, help="findings for the old-highlight comparison (0: skip)"
    )
    parser.add_argument("--profile", action="store_true", help="profile the timed requests (cProfile, top 25)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    with scratch_database("gongkai-audit-page-"):
        from gongkai.accounts.models import Agency, Membership, Role
        from gongkai.audits.models import AuditBatch, AuditedReport, AuditFindingsPage
        from gongkai.audits.presentation import finding_pages, report_summary

        user = get_user_model().objects.create_user("jiandu")
        office = Agency.objects.create(code="sup", name="某市政务公开办", kind="supervisor")
        Membership.objects.create(user=user, agency=office, role=Role.SUPERVISOR)
        result, text = _result(args.findings)
        batch = AuditBatch.objects.create(title="bench", created_by=user)
        report = AuditedReport.objects.create(
            batch=batch,
            position=1,
            filename="rows.txt",
            content=b"",
            size=0,
            status="done",
            result=result,
            text=text,
            original=text,
            errors=sum(f["severity"] == "error" for f in result["findings"]),
            warnings=sum(f["severity"] != "error" for f in result["findings"]),
            summary=report_summary(result),  # stored as the audit stores it (services.audit_report_run)
        )
        for number, page in enumerate(finding_pages(result["findings"]), start=1):
            AuditFindingsPage.objects.create(report=report, number=number, findings=page)
        client = Client()
        client.force_login(user)
        url = f"/audit/reports/{report.pk}/"
        pages = max(1, math.ceil(args.findings / 200))
        cycle = [1, max(1, pages // 2), pages]
        first = client.get(url)
        assert first.status_code == 200, first.status_code
        samples = []
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        for i in range(args.runs):
            t = time.perf_counter()
            response = client.get(url, {"page": cycle[i % 3]})
            samples.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
        if profiler is not None:
            import pstats

            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        samples.sort()
        p95 = samples[min(len(samples) - 1, math.ceil(0.95 * len(samples)) - 1)]
        print(f"report page, {args.findings} findings, {len(text)} characters of text, {pages} pages of findings")
        print(f"{'ms per request':<28}{'mean':>9}{'p95':>9}{'worst':>9}")
        verdict = "OK" if p95 < TARGET_MS else "SLOW"
        print(
            f"{'page 1 / middle / last':<28}{statistics.mean(samples):9.1f}{p95:9.1f}{max(samples):9.1f}  p95 <{TARGET_MS} {verdict}"
        )
        print(f"response size {len(first.content) / 1024:.0f} KiB")
    if args.old_sample:
        sub_result, sub_text = _result(args.old_sample)
        t = time.perf_counter()
        _old_highlight(sub_text, sub_result["findings"])
        ms = (time.perf_counter() - t) * 1000
        print(
            f"for comparison, the former highlight alone on {args.old_sample} findings: {ms:.0f} ms (grows with the square)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
