"""The shell of the commands that generate bulk data for benchmarks (applications, documents)."""

import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.accounts.models import Agency


class BulkGenerateCommand(BaseCommand):
    """Subclasses set ``noun``, ``default_count``, ``progress_every`` and implement ``generate``."""

    noun = "records"
    default_count = 100_000
    progress_every = 20_000

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=self.default_count)
        parser.add_argument("--agency", default="demo-edu", help="agency code (default: the demo agency)")
        parser.add_argument("--seed", type=int, default=2026)

    def generate(self, count: int, *, agency, today, seed: int, actor, progress: Callable[[int], None]) -> int:
        raise NotImplementedError

    def after(self) -> None:
        """Work once everything is written (e.g. refresh the planner's statistics)."""

    def handle(self, *args, **options):
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"no agency with code {options['agency']!r} (run seed_demo first)")
        actor = get_user_model().objects.filter(username="jingban").first()
        started = time.perf_counter()
        n = self.generate(
            options["count"],
            agency=agency,
            today=timezone.localdate(),
            seed=options["seed"],
            actor=actor,
            progress=lambda k: self.stdout.write(f"  {k} …") if k % self.progress_every == 0 else None,
        )
        self.after()
        self.stdout.write(f"generated {n} {self.noun} in {time.perf_counter() - started:.1f}s")
