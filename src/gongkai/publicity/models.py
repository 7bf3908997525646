"""The registers of new media and public communication (新媒体与新闻发布).

- :class:`MediaAccount`: the agency's accounts (政务微信公众号, 政务微博, 抖音号, 门户网站 …);
- :class:`MonthFigures`: one account's month (posts, followers at month end, reads), entered in a form
  or imported from a sheet (:class:`ImportBatch` keeps the file between the preview and the
  confirmation); one row per account and month, a correction is an edit kept in the history;
- :class:`Concern`: responses to public concerns (回应关切) and 舆情 events, with what was done;
- :class:`Briefing`: press conferences and policy briefings with their speakers and the register's
  documents they explain (政策文件, 政策解读).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from gongkai.domain.publicity.media import BRIEFING_LABELS, CONCERN_LABELS, PLATFORM_LABELS


class MediaAccount(models.Model):
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="media_accounts", verbose_name="机关"
    )
    platform = models.CharField("平台", max_length=20, choices=list(PLATFORM_LABELS.items()))
    name = models.CharField("账号名称", max_length=100)
    url = models.URLField("网址", max_length=300, blank=True)
    active = models.BooleanField("在用", default=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "政务新媒体账号"
        verbose_name_plural = verbose_name
        ordering = ["agency", "platform", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unique_media_account_name")]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}“{self.name}”"


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        IMPORTED = "imported", "已导入"

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+", verbose_name="机关")
    filename = models.CharField("文件名", max_length=200)
    content = models.BinaryField("文件内容")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    imported = models.PositiveIntegerField("导入行数", default=0)
    duplicates = models.JSONField("已登记未导入的账号月份", default=list, blank=True)
    rejected = models.PositiveIntegerField("有错误未导入的行数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    imported_at = models.DateTimeField("导入时间", null=True, blank=True)

    class Meta:
        verbose_name = "新媒体数据导入批次"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"新媒体数据导入：{self.filename}"


class MonthFigures(models.Model):
    account = models.ForeignKey(MediaAccount, on_delete=models.PROTECT, related_name="months", verbose_name="账号")
    month = models.DateField("月份")  # the month's first day
    posts = models.PositiveIntegerField("发布条数")
    followers = models.PositiveIntegerField("月末关注/粉丝数", null=True, blank=True)
    reads = models.PositiveIntegerField("阅读量", null=True, blank=True)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="rows", verbose_name="导入批次"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "新媒体月度数据"
        verbose_name_plural = verbose_name
        ordering = ["-month", "account"]
        constraints = [models.UniqueConstraint(fields=["account", "month"], name="unique_media_account_month")]

    def __str__(self) -> str:
        return f"{self.account.name} {self.month:%Y-%m}"


class Concern(models.Model):
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="public_concerns", verbose_name="机关"
    )
    kind = models.CharField("类别", max_length=20, choices=list(CONCERN_LABELS.items()))
    occurred_on = models.DateField("发现日期", db_index=True)
    subject = models.CharField("事项", max_length=300)
    source = models.CharField("来源", max_length=200)
    actions = models.TextField("处置和回应情况")
    answered_on = models.DateField("回应日期", null=True, blank=True, db_index=True)
    channel = models.CharField("回应渠道", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "回应关切和舆情事件"
        verbose_name_plural = verbose_name
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return self.subject


class Briefing(models.Model):
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="briefings", verbose_name="机关"
    )
    kind = models.CharField("类别", max_length=20, choices=list(BRIEFING_LABELS.items()))
    held_on = models.DateField("举行日期", db_index=True)
    topic = models.CharField("主题", max_length=300)
    place = models.CharField("地点", max_length=200, blank=True)
    summary = models.TextField("发布内容摘要", blank=True)
    documents = models.ManyToManyField("disclosure.Document", blank=True, related_name="+", verbose_name="解读的文件")
    public = models.BooleanField("在政府信息公开栏目发布", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "新闻发布会和政策吹风会"
        verbose_name_plural = verbose_name
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.topic}"


class Speaker(models.Model):
    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="speakers", verbose_name="发布会")
    order = models.PositiveSmallIntegerField("顺序", default=1)
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=100)

    class Meta:
        verbose_name = "发布人"
        verbose_name_plural = verbose_name
        ordering = ["briefing", "order", "id"]

    def __str__(self) -> str:
        return f"{self.post}{self.name}"
