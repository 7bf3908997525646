"""Batches really run in the background: the database task backend and its worker command."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from gongkai.audits.models import AuditedReport
from gongkai.audits.services import audit_batch_create
from gongkai.audits.uploads import Expanded

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_a_batch_waits_in_the_queue_until_the_worker_audits_it(shared_dir):
    user = get_user_model().objects.create_user("researcher")
    files = [(p.name, p.read_bytes()) for p in sorted((shared_dir / "samples").glob("sample-*.txt"))]
    with override_settings(TASKS=DB_TASKS):
        batch = audit_batch_create(user=user, title="后台审计", expanded=Expanded(files=files))
        assert set(batch.reports.values_list("status", flat=True)) == {AuditedReport.Status.QUEUED}
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert set(batch.reports.values_list("status", flat=True)) == {AuditedReport.Status.DONE}
    assert batch.reports.filter(year__isnull=False).count() >= 3
