"""The worker's heartbeat: one row per running worker process, updated every few seconds.

``manage.py run_worker`` (django-tasks' ``db_worker`` plus a heartbeat thread) keeps its row fresh
and deletes it on a clean stop; ``/healthz`` reads the newest ``beat_at``. A row that stopped
moving is a worker that died without cleaning up (killed, machine lost): its age is the alarm.
"""

from django.db import models


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField("工作进程", max_length=64, primary_key=True)
    hostname = models.CharField("主机", max_length=200)
    pid = models.PositiveIntegerField("进程号")
    started_at = models.DateTimeField("启动时间")
    beat_at = models.DateTimeField("最近心跳", db_index=True)
    # what the worker is doing right now (empty when idle): a long audit batch is visible here
    current_task = models.CharField("当前任务", max_length=300, blank=True)
    task_started_at = models.DateTimeField("当前任务开始时间", null=True, blank=True)
    tasks_done = models.PositiveIntegerField("已完成任务数", default=0)

    class Meta:
        verbose_name = "后台任务进程心跳"
        verbose_name_plural = "后台任务进程心跳"

    def __str__(self) -> str:
        return self.worker_id
