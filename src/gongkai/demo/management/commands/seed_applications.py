from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from gongkai.demo.applications import seed_applications


class Command(BaseCommand):
    help = (
        "Load a realistic year of applications for the demo agency 示范区教育局 (every state and outcome). "
        "Does nothing if the agency already has applications; run seed_demo first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-letters", action="store_true", help="do not generate the Word letters")
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="as of this day (YYYY-MM-DD; default today)"
        )

    def handle(self, *args, **options):
        result = seed_applications(options["today"] or timezone.localdate(), with_letters=not options["no_letters"])
        if result.created == 0 and not result.skipped:
            self.stdout.write("示范区教育局已有申请数据，未重复创建。")
            return
        self.stdout.write(f"已创建演示申请{result.created}件，文书{result.letters}份。")
        for line in result.skipped:
            self.stdout.write(self.style.WARNING(f"  未能创建：{line}"))
