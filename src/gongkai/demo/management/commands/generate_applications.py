"""``manage.py generate_applications``: the shell of :func:`gongkai.demo.generate_applications.generate`."""

from gongkai.demo.bulk import BulkGenerateCommand
from gongkai.demo.generate_applications import generate


class Command(BulkGenerateCommand):
    help = "Generate N consistent applications with their logs, in bulk (for benchmarks; use a scratch database)."
    noun = "applications"
    default_count = 100_000
    progress_every = 20_000

    def generate(self, count, **kwargs):
        return generate(count, **kwargs)
