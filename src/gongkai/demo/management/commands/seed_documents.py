from django.core.management.base import BaseCommand
from django.utils import timezone

from gongkai.demo.disclosure import seed_documents


class Command(BaseCommand):
    help = (
        "Load a year of proactive disclosure for the demo agency 示范区教育局 (columns, documents in every "
        "review stage, policies with their interpretations). Does nothing if the agency already has documents; "
        "run seed_demo first."
    )

    def handle(self, *args, **options):
        result = seed_documents(timezone.localdate())
        if result.created == 0 and not result.skipped:
            self.stdout.write("示范区教育局已有主动公开文件，未重复创建。")
            return
        self.stdout.write(f"已创建演示主动公开文件{result.created}件。")
        for line in result.skipped:
            self.stdout.write(self.style.WARNING(f"  未能完成：{line}"))
