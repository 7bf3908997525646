"""Batches of published annual reports uploaded for audit, and what the audit said of each."""

from django.conf import settings
from django.db import models


class AuditBatch(models.Model):
    title = models.CharField("名称", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_batches", verbose_name="上传人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "审计批次"
        verbose_name_plural = "审计批次"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class AuditedReport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "审计中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    batch = models.ForeignKey(AuditBatch, on_delete=models.CASCADE, related_name="reports")
    position = models.PositiveIntegerField("序号")
    filename = models.CharField("文件名", max_length=300)
    # the uploaded bytes are kept in the database so an upload is complete or absent, never half on disk
    content = models.BinaryField("文件内容")
    size = models.PositiveIntegerField("大小（字节）")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    report_format = models.CharField("格式", max_length=10, blank=True)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    agency = models.CharField("机关", max_length=200, blank=True)
    errors = models.PositiveIntegerField("错误", default=0)
    warnings = models.PositiveIntegerField("提示", default=0)
    result = models.JSONField("审计结果", null=True, blank=True)
    text = models.TextField("规范化文本", blank=True)
    original = models.TextField("原文", blank=True)
    failure = models.TextField("失败原因", blank=True)
    # what the report page shows besides a page of findings (presentation.report_summary), so a
    # page view never decodes the whole result; None for reports audited before it existed
    summary = models.JSONField("页面摘要", null=True, blank=True)
    # when the current attempt began and how many began: a report "running" long past the audit
    # timeout had its worker killed, and the reaper queues it again or fails it (services.audit_reap_stale)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("审计次数", default=0)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "被审计报告"
        verbose_name_plural = "被审计报告"
        ordering = ["batch", "position"]
        constraints = [models.UniqueConstraint(fields=["batch", "position"], name="unique_report_position")]
        indexes = [
            models.Index(fields=["batch", "status"]),
            models.Index(fields=["status", "started_at"], name="audit_report_stale_idx"),
        ]

    def __str__(self) -> str:
        return self.filename


class AuditFindingsPage(models.Model):
    """One page of a report's findings (presentation.FINDINGS_PER_PAGE of them, in result order):
    the report page reads one of these, not the whole result."""

    report = models.ForeignKey(AuditedReport, on_delete=models.CASCADE, related_name="finding_pages")
    number = models.PositiveIntegerField("页码")  # from 1
    findings = models.JSONField("审计发现")

    class Meta:
        verbose_name = "审计发现分页"
        verbose_name_plural = "审计发现分页"
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_findings_page")]

    def __str__(self) -> str:
        return f"{self.report} · {self.number}"
