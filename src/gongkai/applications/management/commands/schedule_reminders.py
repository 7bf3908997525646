from django.core.management.base import BaseCommand

from gongkai.applications import tasks


class Command(BaseCommand):
    help = (
        "Queue the reminder job now (recompute every open case's reply deadline; the job then queues itself "
        "for each next morning). Safe to run at every start: nothing is queued while a run is waiting."
    )

    def handle(self, *args, **options):
        waiting = tasks.pending_runs()
        if waiting:
            self.stdout.write(f"提醒任务已在队列中（{waiting}个待运行），未重复加入。")
            return
        tasks.schedule_next()
        self.stdout.write("已加入提醒任务：重新计算在办申请的答复期限，此后每天早晨自动运行。")
