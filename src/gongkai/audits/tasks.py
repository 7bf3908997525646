"""Background work of the audit (django-tasks; the database backend in the demo and production)."""

from django_tasks import task

from gongkai.audits.services import audit_report_run


@task()
def audit_report_task(report_id: int) -> None:
    audit_report_run(report_id=report_id)
