"""The annual report (政府信息公开工作年度报告) of an agency's year: its versions, its sign-off log, and
the reports of earlier years made outside gongkai.

- ``AnnualReport``: one per agency and year; its state is the domain workflow's
  (:mod:`gongkai.domain.annual_report.workflow`). ``current_version`` is the version under work,
  ``published_version`` the one on the public 年报 page (it stays public while a revision is written).
- ``ReportVersion``: the prose of one version and, from submission on, the snapshot of its tables and
  of their check. While drafting, ``tables`` is empty: the workspace computes the tables live from the
  year's data. The leader's approval freezes the version (``frozen``); a frozen version can never be
  saved again, whatever calls ``save()``.
- ``ReportDecision``: every move, append-only: who, in which role, when, what, with which comment.
- ``PreviousReport``: the tables of a report made outside gongkai (typed in, or read from its file by
  the audit reader), so that the cross-year rules of the first gongkai year have a previous year.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from gongkai.domain.annual_report.workflow import Action, Result, State
from gongkai.records import AppendOnlyRecord

STATE_CHOICES = [(s.value, s.label) for s in State]
RESULT_CHOICES = [(r.value, r.label) for r in Result]


class AnnualReport(models.Model):
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="annual_reports", verbose_name="机构"
    )
    year = models.PositiveSmallIntegerField("报告年度")
    state = models.CharField("状态", max_length=20, choices=STATE_CHOICES, default=State.DRAFT.value)
    current_version = models.ForeignKey(
        "ReportVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="当前版本"
    )
    published_version = models.ForeignKey(
        "ReportVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="已公开版本"
    )
    published_on = models.DateField("公开日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"
        ordering = ["agency", "-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="annualreports_unique_agency_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度报告"

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def is_public(self) -> bool:
        return self.published_version_id is not None


class ReportVersion(models.Model):
    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    sections = models.JSONField("正文", default=dict)  # {section key: text}
    tables = models.JSONField("表格快照", null=True, blank=True)  # set at submission
    check_summary = models.JSONField("检查结果", default=dict, blank=True)
    reason = models.TextField("修订理由", blank=True)
    frozen = models.BooleanField("已冻结", default=False)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    office_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="办公室主任审核人",
    )
    office_approved_at = models.DateTimeField("办公室主任审核时间", null=True, blank=True)
    leader_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="局领导审定人",
    )
    leader_approved_at = models.DateTimeField("局领导审定时间", null=True, blank=True)
    approved_on = models.DateField("审定日期（落款日期）", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "年度报告版本"
        verbose_name_plural = "年度报告版本"
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="annualreports_unique_version")]

    def __str__(self) -> str:
        return f"{self.report} 第{self.number}版"

    def save(self, *args, **kwargs):
        # the check reads the stored row, so a stale in-memory copy cannot slip a change through
        if self.pk is not None and ReportVersion.objects.filter(pk=self.pk, frozen=True).exists():
            raise ValidationError("该版本已经局领导审定并冻结，不能修改；如需修改，请修订生成新版本。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("年度报告版本不能删除。")


class ReportDecision(AppendOnlyRecord):
    """One move of a report, append-only."""

    record_name = "审核记录"

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="decisions")
    seq = models.PositiveIntegerField("序号")
    version = models.PositiveIntegerField("版本")
    action = models.CharField("操作", max_length=30)
    from_state = models.CharField("原状态", max_length=20, blank=True)
    to_state = models.CharField("新状态", max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField("操作人", max_length=100)
    role = models.CharField("角色", max_length=40, blank=True)
    result = models.CharField("结论", max_length=20, blank=True, choices=RESULT_CHOICES)
    comment = models.TextField("意见或理由", blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "年度报告审核记录"
        verbose_name_plural = "年度报告审核记录"
        ordering = ["report", "seq"]
        constraints = [models.UniqueConstraint(fields=["report", "seq"], name="annualreports_unique_decision_seq")]

    def __str__(self) -> str:
        return f"{self.report_id}#{self.seq} {self.action}"

    @property
    def action_label(self) -> str:
        if self.action == "open":
            return "开始编写"
        try:
            return Action(self.action).label
        except ValueError:
            return self.action

    @property
    def to_state_label(self) -> str:
        return State(self.to_state).label


class PreviousReport(models.Model):
    """A report of an earlier year made outside gongkai: its tables, for the cross-year rules."""

    class Source(models.TextChoices):
        ENTERED = "entered", "手工录入"
        FILE = "file", "导入文件"

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="previous_reports", verbose_name="机构"
    )
    year = models.PositiveSmallIntegerField("报告年度")
    tables = models.JSONField("表格", default=dict)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    original_name = models.CharField("原文件名", max_length=255, blank=True)
    data = models.BinaryField("原文件", null=True, blank=True, editable=False)
    findings = models.JSONField("审计发现", default=list, blank=True)  # [{rule, severity, message}]
    complete = models.BooleanField("录入了全部单元格", default=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="录入或导入人",
    )
    imported_at = models.DateTimeField("录入或导入时间", auto_now=True)
    # Shown in the public 年报 section beside the reports made in gongkai (the office head publishes it).
    published_on = models.DateField("在年报栏目公开日期", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["data"])

    class Meta:
        verbose_name = "往年年度报告（系统外）"
        verbose_name_plural = "往年年度报告（系统外）"
        ordering = ["agency", "-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="annualreports_unique_previous")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度报告（{self.get_source_display()}）"
