"""``manage.py generate_documents``: the shell of :func:`gongkai.demo.generate_documents.generate`."""

from django.db import connection

from gongkai.demo.bulk import BulkGenerateCommand
from gongkai.demo.generate_documents import generate


class Command(BulkGenerateCommand):
    help = "Generate N disclosed documents in bulk (for benchmarks; use a scratch database)."
    noun = "documents"
    default_count = 500_000
    progress_every = 50_000

    def generate(self, count, **kwargs):
        return generate(count, **kwargs)

    def after(self) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE disclosure_document")
