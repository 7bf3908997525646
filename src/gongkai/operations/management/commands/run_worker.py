import argparse

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from gongkai.operations.heartbeat import Heartbeat, new_worker_id


class Command(BaseCommand):
    help = (
        "Run the background worker (django-tasks' db_worker) and record a heartbeat every "
        "GONGKAI_WORKER_HEARTBEAT_SECONDS for /healthz. Other arguments go to db_worker unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("db_worker_args", nargs=argparse.REMAINDER, help="arguments for db_worker")

    def handle(self, *args, db_worker_args, **options):
        worker_id = new_worker_id()
        heartbeat = Heartbeat(worker_id, every=float(getattr(settings, "GONGKAI_WORKER_HEARTBEAT_SECONDS", 30)))
        heartbeat.start()
        self.stdout.write(f"后台任务进程 {worker_id} 已启动（心跳间隔 {heartbeat.every:g} 秒）。")
        try:
            call_command("db_worker", "--worker-id", worker_id, *db_worker_args, verbosity=options["verbosity"])
        finally:
            heartbeat.stop()
