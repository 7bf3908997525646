"""Writes of archiving (归档): file one closed case, queue a year's batch, the agency's retention.

One case is filed on its page at once; a year is filed by a background task (``tasks_archive``)
whose progress the archive page polls. A closed case never changes (no move leaves a terminal
state; a 纠正 opens a new case), so a case is filed once and a second request returns the package
already filed.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from gongkai.applications.models import Application, ArchiveBatch, ArchivedCase, ArchiveSetting
from gongkai.applications.running_archive import file_case
from gongkai.applications.tasks_archive import archive_year_task
from gongkai.domain.applications.archiving import RETENTION_CHOICES
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError

WRITE_ROLES = frozenset({"clerk", "office_head"})
# a batch still "running" this long after its start had its worker die: a new run may start
STALE_AFTER = timedelta(minutes=30)


def case_file(*, application: Application, actor, actor_roles: set[str] | frozenset[str], today: date) -> ArchivedCase:
    """File one closed case now (or give the package filed before)."""
    if not set(actor_roles) & WRITE_ROLES:
        raise TransitionNotAllowed("归档由经办人或办公室主任操作")
    archived, _ = file_case(application=application, actor=actor, today=today)
    return archived


@transaction.atomic
def archive_batch_create(
    *, agency, year: int, actor, actor_roles: set[str] | frozenset[str], today: date
) -> ArchiveBatch:
    """Queue the filing of ``year``'s closed cases; refused while a run of that year is under way."""
    if not set(actor_roles) & WRITE_ROLES:
        raise TransitionNotAllowed("归档由经办人或办公室主任操作")
    if year > today.year or year < 2000:
        raise FieldError("year", f"请选择{today.year}年或以前的年度")
    now = timezone.now()
    busy = ArchiveBatch.objects.select_for_update().filter(
        agency=agency, year=year, status__in=[ArchiveBatch.Status.QUEUED, ArchiveBatch.Status.RUNNING]
    )
    for b in busy:
        if now - (b.started_at or b.created_at) < STALE_AFTER:
            raise DomainError(f"{year}年度的批量归档正在进行，请等待完成")
        b.status, b.failure, b.finished_at = ArchiveBatch.Status.FAILED, "归档进程中断，已重新开始", now
        b.save(update_fields=["status", "failure", "finished_at"])
    batch = ArchiveBatch.objects.create(agency=agency, year=year, created_by=actor)
    transaction.on_commit(lambda: archive_year_task.enqueue(batch.pk))
    return batch


@transaction.atomic
def archive_setting_update(*, agency, retention_years: int, actor_roles: set[str] | frozenset[str]) -> ArchiveSetting:
    """The agency's retention period for the cases it files from now on (filed ones keep theirs)."""
    if "office_head" not in actor_roles:
        raise TransitionNotAllowed("保管期限由办公室主任设置")
    if retention_years not in RETENTION_CHOICES:
        raise FieldError("retention_years", "保管期限应为定期10年、定期30年或永久")
    setting, _ = ArchiveSetting.objects.update_or_create(agency=agency, defaults={"retention_years": retention_years})
    return setting
