from django.core.management.base import BaseCommand
from django.utils import timezone

from gongkai.demo.annualreports import seed_annual_reports


class Command(BaseCommand):
    help = (
        "Load the annual report demo of 示范区教育局: the 2025 report made outside gongkai (its figures, for the "
        "cross-year rules) and an open 2026 workspace without prose. Safe to run again; run seed_demo first."
    )

    def handle(self, *args, **options):
        result = seed_annual_reports(timezone.localdate())
        for line in result.created:
            self.stdout.write(f"已创建：{line}")
        for line in result.kept:
            self.stdout.write(f"已存在，未改动：{line}")
