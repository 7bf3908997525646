from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from gongkai.operations.heartbeat import Heartbeat, new_worker_id


class Command(BaseCommand):
    help = (
        "Run the background worker (django-tasks' db_worker) and record a heartbeat every "
        "GONGKAI_WORKER_HEARTBEAT_SECONDS for /healthz. The options are db_worker's."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", help="queues to work (db_worker's default: default)")
        parser.add_argument("--interval", help="seconds between looks at an empty queue (db_worker's default: 1)")
        parser.add_argument("--batch", action="store_true", help="work what is queued, then stop")
        parser.add_argument("--max-tasks", help="stop after this many tasks")
        parser.add_argument("--no-startup-delay", action="store_true", help="no random delay at start")

    def handle(
        self, *args, queue_name=None, interval=None, batch=False, max_tasks=None, no_startup_delay=False, **options
    ):
        worker_id = new_worker_id()
        passed = ["--worker-id", worker_id, "--no-reload"]
        for flag, value in (("--queue-name", queue_name), ("--interval", interval), ("--max-tasks", max_tasks)):
            if value is not None:
                passed += [flag, str(value)]
        passed += ["--batch"] if batch else []
        passed += ["--no-startup-delay"] if no_startup_delay else []
        heartbeat = Heartbeat(worker_id, every=float(getattr(settings, "GONGKAI_WORKER_HEARTBEAT_SECONDS", 30)))
        heartbeat.start()
        if options["verbosity"]:
            self.stdout.write(f"后台任务进程 {worker_id} 已启动（心跳间隔 {heartbeat.every:g} 秒）。")
        try:
            call_command("db_worker", *passed, verbosity=options["verbosity"])
        finally:
            heartbeat.stop()
