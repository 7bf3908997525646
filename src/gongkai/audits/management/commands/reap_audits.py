from django.core.management.base import BaseCommand

from gongkai.audits import services, tasks


class Command(BaseCommand):
    help = (
        "End audits whose worker died (queue them again or fail them with a reason) and queue the reaper "
        "to run again every GONGKAI_AUDIT_REAP_MINUTES minutes. Safe to run at every start."
    )

    def handle(self, *args, **options):
        counts = services.audit_reap_stale()
        self.stdout.write(
            f"已处理中断的审计：重新排队{counts['requeued']}份，标记失败{counts['failed']}份，清理任务记录{counts['tasks']}条。"
        )
        if tasks.schedule_reaper() is not None:
            self.stdout.write("已加入定期检查任务。")
