"""Settings of the benchmarks whose background work runs in real worker processes: the test
settings with the database task backend (django-tasks' db_worker), as ``make run`` and production
have it. The database is the scratch one (DATABASE_URL, set by the benchmark for its workers)."""

from gongkai.settings.test import *  # noqa: F401,F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
