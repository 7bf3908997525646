"""Background work of the supervisor's desk (django-tasks, as the audit's): fetch one report."""

from django_tasks import task

from gongkai.supervision.services import filing_fetch_run


@task()
def fetch_report_task(filing_id: int) -> None:
    filing_fetch_run(filing_id=filing_id)
