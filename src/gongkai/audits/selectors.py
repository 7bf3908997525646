"""Reads: the batches a user may see, their progress, one report."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from gongkai.audits.models import AuditBatch, AuditedReport


def batches_for(user) -> QuerySet[AuditBatch]:
    qs = AuditBatch.objects.all() if user.is_superuser else AuditBatch.objects.filter(created_by=user)
    return qs.annotate(
        total=Count("reports"),
        finished=Count("reports", filter=Q(reports__status__in=["done", "failed"])),
        with_errors=Count("reports", filter=Q(reports__errors__gt=0)),
    )


def batch_for(user, batch_id: int) -> AuditBatch:
    return get_object_or_404(batches_for(user), pk=batch_id)


def report_for(user, report_id: int) -> AuditedReport:
    qs = AuditedReport.objects.select_related("batch")
    if not user.is_superuser:
        qs = qs.filter(batch__created_by=user)
    return get_object_or_404(qs, pk=report_id)


@dataclass(frozen=True)
class Progress:
    total: int
    finished: int

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.finished / self.total)

    @property
    def complete(self) -> bool:
        return self.finished >= self.total


def progress_of(batch: AuditBatch) -> Progress:
    counts = batch.reports.aggregate(
        total=Count("id"), finished=Count("id", filter=Q(status__in=["done", "failed"]))
    )
    return Progress(total=counts["total"], finished=counts["finished"])


def reports_of(batch: AuditBatch) -> QuerySet[AuditedReport]:
    return batch.reports.defer("content", "text", "original", "result").order_by("position")
