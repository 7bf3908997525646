"""The background task that files a year's closed cases (django-tasks, as the audit's)."""

from django_tasks import task

from gongkai.applications.running_archive import archive_batch_run


@task()
def archive_year_task(batch_id: int) -> None:
    archive_batch_run(batch_id=batch_id)
