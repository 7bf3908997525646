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

from gongkai.records import AppendOnlyRecord


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
        REVISED = "revised", "机关整改后报送"

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
    # the comparison's figures read from the audit's tables (domain.supervision.Figures), kept on
    # first use so that comparing 300 agencies over five years decodes no audit summary again
    figures = models.JSONField("对比数字", null=True, blank=True)
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


class FindingReview(AppendOnlyRecord):
    """The supervisor's verdict on one finding of an audited copy: confirmed (the agency must put it
    right) or dismissed (the reader was wrong, or it does not matter), always with a reason. A
    verdict is never changed: a new one is added and the newest counts, so the log keeps every step."""

    class Verdict(models.TextChoices):
        CONFIRMED = "confirmed", "确认"
        DISMISSED = "dismissed", "不予采纳"

    record_name = "审阅意见"

    filing = models.ForeignKey(ReportFiling, on_delete=models.PROTECT, related_name="reviews")
    number = models.PositiveIntegerField("发现序号")  # 1-based position in the audit's findings
    rule = models.CharField("规则", max_length=100, blank=True)
    severity = models.CharField("严重程度", max_length=10, blank=True)
    message = models.TextField("发现内容")
    verdict = models.CharField("审阅意见", max_length=10, choices=Verdict.choices)
    reason = models.TextField("理由")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField("审阅时间", auto_now_add=True)

    class Meta:
        verbose_name = "审计发现审阅意见"
        verbose_name_plural = "审计发现审阅意见"
        ordering = ["filing", "number", "-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filing} #{self.number} {self.get_verdict_display()}"


class Rectification(models.Model):
    """A rectification notice (整改通知) sent back to an agency about its annual report, and what
    became of it: the agency answers with an explanation and a revised report (audited again), the
    supervisor closes it or sends it back. Every step is a ``RectificationStep``."""

    class State(models.TextChoices):
        SENT = "sent", "已发整改通知，待机关答复"
        ANSWERED = "answered", "机关已答复，待核查"
        CLOSED = "closed", "已办结"

    class Channel(models.TextChoices):
        SYSTEM = "system", "通过本系统送达机关办公室主任"
        LETTER = "letter", "Word文书（系统外送达）"

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="rectifications")
    year = models.PositiveSmallIntegerField("报告年度")
    filing = models.ForeignKey(ReportFiling, on_delete=models.PROTECT, related_name="rectifications")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.SENT)
    channel = models.CharField("送达方式", max_length=10, choices=Channel.choices)
    notice = models.TextField("整改要求")
    due_on = models.DateField("整改期限")
    answer = models.TextField("机关说明", blank=True)
    revised = models.ForeignKey(
        ReportFiling, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="修改后的报告"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("发出时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "整改通知"
        verbose_name_plural = "整改通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "state"], name="rectification_agency_state_idx")]

    def __str__(self) -> str:
        return f"{self.agency}{self.year}年度报告整改通知"


class RectificationStep(AppendOnlyRecord):
    """One step of a rectification, append-only: sent, answered, sent back, closed."""

    record_name = "整改记录"

    rectification = models.ForeignKey(Rectification, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField("操作", max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField("操作人", max_length=100)
    comment = models.TextField("内容", blank=True)
    recorded_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改记录"
        verbose_name_plural = "整改记录"
        ordering = ["rectification", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.rectification} · {self.action}"
