"""Benchmark of the public disclosure column with many published documents.

    .venv/bin/python benchmarks/disclosure.py [--count 500000] [--requests 50] [--keep | --reuse [FILE]]
    DATABASE_URL=postgres://user@host/db .venv/bin/python benchmarks/disclosure.py

Builds a scratch database (SQLite in a temporary file by default; with DATABASE_URL set, Django's
test database ``test_<name>`` on that server, so the real database is never touched), migrates it,
loads the demo users and generates ``--count`` documents with ``manage.py generate_documents``
(bulk insert; the search indexes — SQLite FTS5 trigram table, PostgreSQL pg_trgm — fill as the rows
arrive). ``--reuse`` keeps the database (SQLite: in FILE) and generates only when it holds no
documents, so the measures can be repeated without generating again (on PostgreSQL the test
database is kept between runs).

Then, through Django's test client (URL resolution, middleware, view, queries, templates), p50 /
p95 / max over ``--requests`` requests each, anonymous as the public is:

- column pages: the first page of every top-level and sub-column in turn, numbered pages 2–10 of
  the largest sections, and deep cursor pages (``?after=``) 10,000 to 150,000 documents down;
- search (``selectors.search_public_documents``, as the page does): typical words (from a
  word in a fifth of the documents to one in 0.6 %), 文号 that exist (exact, one match each), and
  rare short words (one or two characters, in 1–3 % of the documents: no trigram index serves
  them, the newest-first index is read until a page is full);
- for information: a two-character word found in no document — the worst case, every document
  is read (SQLite has no index for words shorter than three characters).

Target (issue 6): column page and search p95 < 150 ms. Printed figures, not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from _scratch import scratch_database  # noqa: E402  (beside this script)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")

TARGET_MS = 150
# frequent (in 20 % of the documents) to less common (0.6 %), one to three words
TYPICAL_WORDS = (
    "课后服务",
    "校园安全",
    "招生",
    "实验小学 防溺水",
    "食品安全 检查",
    "招生简章",
    "统计公报",
    "行政处罚决定书",
)
# one or two characters (no trigram index can serve them) in 1–3 % of the documents
RARE_SHORT_WORDS = ("罚", "处罚", "决算", "统计")
ABSENT_SHORT_WORD = "汛期"
DEFAULT_REUSE = Path(tempfile.gettempdir()) / "gongkai-bench-disclosure.sqlite3"


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95, ordered[-1]


def _measure(client, urls: list[str]) -> list[float]:
    samples = []
    for url in urls:
        t = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - t) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    return samples


def _cycle(items: list[str], n: int) -> list[str]:
    return [items[i % len(items)] for i in range(n)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=50)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--keep", action="store_true", help="keep the scratch database")
    group.add_argument(
        "--reuse",
        metavar="FILE",
        nargs="?",
        const=str(DEFAULT_REUSE),
        help=f"keep the database and reuse it when it holds documents (SQLite: in FILE, default {DEFAULT_REUSE})",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    with scratch_database("gongkai-bench-", keep=args.keep, reuse=args.reuse):
        from gongkai.accounts.models import Agency
        from gongkai.demo.accounts import seed_demo
        from gongkai.disclosure.models import Column, Document

        seed_demo()
        agency = Agency.objects.get(code="demo-edu")
        have = Document.objects.filter(agency=agency).count()
        if have == 0:
            print(f"generating {args.count} documents with manage.py generate_documents …", flush=True)
            t = time.perf_counter()
            call_command("generate_documents", count=args.count, agency="demo-edu")
            generation = time.perf_counter() - t
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            print(f"generation took {generation:.0f} s ({generation / 60:.1f} min), ANALYZE included", flush=True)
        else:
            print(f"reusing {have} documents already generated")
        public = Document.objects.filter(agency=agency, is_public=True).count()
        print(f"{Document.objects.filter(agency=agency).count()} documents, {public} published")

        client = Client(SERVER_NAME="localhost")
        n = args.requests
        rng = random.Random(6)
        results: list[tuple[str, float, float, float]] = []
        info: list[tuple[str, float, float, float]] = []

        def run(name: str, urls: list[str], into=results) -> None:
            _measure(client, urls[:3])  # warm up (templates, statement caches)
            p50, p95, worst = _percentiles(_measure(client, urls))
            into.append((name, p50, p95, worst))
            print(f"  measured {name}", flush=True)

        # -- column pages
        columns = list(Column.objects.filter(agency=agency).order_by("order", "id"))
        sizes = dict(
            Document.objects.filter(agency=agency, is_public=True)
            .values_list("top_column")
            .annotate(n=Count("id"))
            .order_by()
        )
        first_pages = [reverse("disclosure:public_column", args=[c.slug]) for c in columns]
        run(f"column, first page (all {len(columns)} columns)", _cycle(first_pages, n))
        big = sorted((c for c in columns if c.parent_id is None), key=lambda c: -sizes.get(c.pk, 0))[:3]
        numbered = [f"{reverse('disclosure:public_column', args=[c.slug])}?page={p}" for c in big for p in range(2, 11)]
        run("column, pages 2–10 of the 3 largest sections", _cycle(numbered, n))
        deep = []
        for c in big:
            qs = Document.objects.filter(is_public=True, top_column=c).order_by("-published_on", "-id")
            for depth in (10_000, 50_000, 100_000, 150_000):
                if depth < sizes.get(c.pk, 0):
                    day, pk = qs.values_list("published_on", "id")[depth]
                    deep.append(f"{reverse('disclosure:public_column', args=[c.slug])}?after={day.isoformat()}.{pk}")
        rng.shuffle(deep)
        if deep:  # a small --count has no section 10,000 documents deep
            run(f"column, deep cursor pages ({len(deep)} depths, ≤150k down)", _cycle(deep, n))

        # -- search
        search = reverse("disclosure:public_search")
        run("search, typical words", _cycle([f"{search}?q={quote(w)}" for w in TYPICAL_WORDS], n))
        numbers = list(
            Document.objects.filter(agency=agency, is_public=True)
            .exclude(doc_number="")
            .values_list("doc_number", flat=True)[:20000]
        )
        picked = rng.sample(numbers, min(len(numbers), 25))
        run("search, a 文号 (exact)", _cycle([f"{search}?q={quote(x)}" for x in picked], n))
        run(
            "search, rare short words (" + "、".join(RARE_SHORT_WORDS) + ")",
            _cycle([f"{search}?q={quote(w)}" for w in RARE_SHORT_WORDS], n),
        )
        for w in RARE_SHORT_WORDS:
            hits = Document.objects.filter(agency=agency, is_public=True, title__contains=w).count()
            print(f"    {w}: in {hits} titles ({100 * hits / public:.1f} %)")
        run(
            f"search, a short word found nowhere ({ABSENT_SHORT_WORD})",
            [f"{search}?q={quote(ABSENT_SHORT_WORD)}"] * 5,
            into=info,
        )

        print()
        print(f"{'measure':<52} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target")
        for name, p50, p95, worst in results:
            verdict = "PASS" if p95 < TARGET_MS else "FAIL"
            print(f"{name:<52} {p50:8.1f} {p95:8.1f} {worst:8.1f}  p95<{TARGET_MS} {verdict}")
        for name, p50, p95, worst in info:
            print(f"{'(info) ' + name:<52} {p50:8.1f} {p95:8.1f} {worst:8.1f}  (5 requests, no target)")
        return 0


if __name__ == "__main__":
    sys.exit(main())
