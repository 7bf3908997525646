"""Reads: the batches a user may see, their progress, one report."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from gongkai.audits.models import AuditBatch, AuditedReport, AuditFindingsPage
from gongkai.audits.presentation import FINDINGS_PER_PAGE, report_summary


def batches_for(user) -> QuerySet[AuditBatch]:
    qs = AuditBatch.objects.all() if user.is_superuser else AuditBatch.objects.filter(created_by=user)
    return qs.annotate(
        total=Count("reports"),
        finished=Count("reports", filter=Q(reports__status__in=["done", "failed"])),
        with_errors=Count("reports", filter=Q(reports__errors__gt=0)),
    )


def batch_for(user, batch_id: int) -> AuditBatch:
    return get_object_or_404(batches_for(user), pk=batch_id)


def _reports_of(user) -> QuerySet[AuditedReport]:
    qs = AuditedReport.objects.select_related("batch")
    return qs if user.is_superuser else qs.filter(batch__created_by=user)


def report_for(user, report_id: int) -> AuditedReport:
    return get_object_or_404(_reports_of(user), pk=report_id)


def report_page_for(user, report_id: int) -> AuditedReport:
    """The report for its page: without the bytes, the normalised text and the whole result
    (the page reads the summary and one page of findings)."""
    return get_object_or_404(_reports_of(user).defer("content", "text", "result"), pk=report_id)


def report_page_data(report: AuditedReport) -> dict[str, Any]:
    """The report's summary (presentation.report_summary); computed from the whole result for a
    report audited before summaries were stored."""
    if report.summary is not None:
        return report.summary
    return report_summary(AuditedReport.objects.values_list("result", flat=True).get(pk=report.pk) or {})


def findings_page(report: AuditedReport, number: int) -> list[dict[str, Any]]:
    """Page ``number`` (from 1) of the report's findings."""
    if report.summary is not None:
        page = AuditFindingsPage.objects.filter(report=report, number=number).values_list("findings", flat=True).first()
        return page or []
    result = AuditedReport.objects.values_list("result", flat=True).get(pk=report.pk) or {}
    start = (number - 1) * FINDINGS_PER_PAGE
    return result.get("findings", [])[start : start + FINDINGS_PER_PAGE]


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
    counts = batch.reports.aggregate(total=Count("id"), finished=Count("id", filter=Q(status__in=["done", "failed"])))
    return Progress(total=counts["total"], finished=counts["finished"])


def reports_of(batch: AuditBatch) -> QuerySet[AuditedReport]:
    return batch.reports.defer("content", "text", "original", "result").order_by("position")
