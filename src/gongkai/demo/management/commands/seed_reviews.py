from django.core.management.base import BaseCommand
from django.utils import timezone

from gongkai.demo.litigation import seed_reviews


class Command(BaseCommand):
    help = (
        "Register the demo year's administrative reviews and lawsuits for 示范区教育局 (table 四), linked to demo "
        "applications. Does nothing if the agency already has such cases; run seed_demo first."
    )

    def handle(self, *args, **options):
        result = seed_reviews(timezone.localdate())
        if result.created == 0 and not result.skipped:
            self.stdout.write("示范区教育局已有行政复议和行政诉讼登记，未重复创建。")
            return
        self.stdout.write(f"已登记演示行政复议和行政诉讼案件{result.created}件。")
        for line in result.skipped:
            self.stdout.write(self.style.WARNING(f"  未能创建：{line}"))
