from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from gongkai.operations import tasks


class Command(BaseCommand):
    help = (
        "Queue the nightly backup (GONGKAI_BACKUP_HOUR, into GONGKAI_BACKUP_DIR, keeping GONGKAI_BACKUP_KEEP); "
        "it then queues itself every night. Safe to run at every start: nothing is queued while a run is waiting."
    )

    def handle(self, *args, **options):
        waiting = tasks.pending_runs()
        if waiting:
            self.stdout.write(f"备份任务已在队列中（{waiting}个待运行），未重复加入。")
            return
        queued = tasks.schedule_next()
        if queued is None:
            self.stdout.write("当前的任务后端不支持定时任务，未加入每日备份（请使用数据库任务后端）。")
            return
        at = timezone.localtime(queued.task.run_after)
        self.stdout.write(
            f"已加入每日备份任务，首次运行时间：{at:%Y-%m-%d %H:%M}，备份目录 {settings.GONGKAI_BACKUP_DIR}。"
        )
