"""What the supervising office (上级政务公开办) keeps about the agencies it oversees.

- ``DisclosureColumn``: the address of an agency's 政府信息公开专栏 (where its annual report is
  published), one per agency.
- ``ReportFiling``: one copy of an agency's annual report for a year as the supervisor received it —
  published in gongkai, uploaded, or fetched from its published address — with the audit of that
  copy (``audits.AuditedReport``, run by the audit's capped child process). A later filing of the
  same agency and year (a revised report) stands beside the earlier ones; the board shows the newest.

Who oversees whom is ``accounts.Agency.supervised_by``: a city office oversees district offices
(themselves supervisors), a district office its departments and towns.
"""

from django.conf import settings
from django.db import models


class DisclosureColumn(models.Model):
    agency = models.OneToOneField(
        "accounts.Agency", on_delete=models.CASCADE, related_name="disclosure_column", verbose_name="机构"
    )
    url = models.URLField("政府信息公开专栏网址", max_length=500)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "政府信息公开专栏"
        verbose_name_plural = "政府信息公开专栏"

    def __str__(self) -> str:
        return f"{self.agency} · {self.url}"


class ReportFiling(models.Model):
    class Source(models.TextChoices):
        GONGKAI = "gongkai", "在本系统公开"
        UPLOAD = "upload", "上传文件"
        FETCH = "fetch", "从公开网址获取"

    class Status(models.TextChoices):
        QUEUED = "queued", "排队获取中"
        FETCHING = "fetching", "正在获取"
        STORED = "stored", "已收到"
        FAILED = "failed", "获取失败"

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="report_filings", verbose_name="机构"
    )
    year = models.PositiveSmallIntegerField("报告年度")
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.STORED)
    # the annual report made in gongkai, when the copy is its published version
    annual_report = models.ForeignKey(
        "annualreports.AnnualReport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="本系统年度报告",
    )
    # the date the agency published the report: the one measured against 31 January (第五十条)
    published_on = models.DateField("公开日期", null=True, blank=True)
    url = models.URLField("公开网址", max_length=1000, blank=True)
    final_url = models.URLField("跳转后网址", max_length=1000, blank=True)
    filename = models.CharField("文件名", max_length=300, blank=True)
    content_type = models.CharField("内容类型", max_length=120, blank=True)
    # the copy as received, kept with its SHA-256 so a later dispute is settled by the bytes
    content = models.BinaryField("文件内容", null=True, blank=True)
    size = models.PositiveIntegerField("大小（字节）", null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    fetched_at = models.DateTimeField("获取时间", null=True, blank=True)
    failure = models.TextField("失败原因", blank=True)
    # a fetch "fetching" long past its time limit had its worker die: the reaper queues it again
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("获取次数", default=0)
    audit = models.ForeignKey(
        "audits.AuditedReport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="审计",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "年度报告报送记录"
        verbose_name_plural = "年度报告报送记录"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["year", "agency"], name="filing_year_agency_idx"),
            models.Index(fields=["status", "started_at"], name="filing_stale_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度报告（{self.get_source_display()}）"
