"""The register of work orders from hotlines and online platforms (12345, 民心网, 局长信箱).

An order moves through the states of :mod:`gongkai.domain.workorders.workflow`; every move is a row
of :class:`WorkOrderEvent` (append-only). Orders mostly arrive as a platform's exported sheet: an
:class:`ImportBatch` keeps the uploaded file between the preview and the confirmation, and what the
confirmation did. The handling unit is a name for now.
"""

from django.conf import settings
from django.db import models

from gongkai.domain.roles import Role
from gongkai.domain.workorders.workflow import CATEGORY_LABELS, PLATFORM_LABELS, RATING_LABELS, State, Unit
from gongkai.records import AppendOnlyRecord

PLATFORM_CHOICES = list(PLATFORM_LABELS.items())
STATE_CHOICES = [(s.value, s.label) for s in State]
ROLE_CHOICES = [(r.value, r.label) for r in Role]
UNIT_CHOICES = [(u.value, u.label) for u in Unit]


class PlatformSettings(models.Model):
    """One platform's rule for one agency: the deadline, and how its exported sheet's columns map."""

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.CASCADE, related_name="workorder_platforms", verbose_name="机关"
    )
    platform = models.CharField("平台", max_length=20, choices=PLATFORM_CHOICES)
    amount = models.PositiveSmallIntegerField("办理时限", default=5)
    unit = models.CharField("时限单位", max_length=20, choices=UNIT_CHOICES, default=Unit.WORKING_DAYS.value)
    mapping = models.JSONField("列对应", default=dict, blank=True)  # field → header text
    layout = models.JSONField("表格列顺序", default=list, blank=True)  # headers of the last imported sheet

    class Meta:
        verbose_name = "工单平台设置"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["agency", "platform"], name="unique_workorder_platform")]

    def __str__(self) -> str:
        return f"{self.agency}：{self.get_platform_display()}"


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        IMPORTED = "imported", "已导入"

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+", verbose_name="机关")
    platform = models.CharField("平台", max_length=20, choices=PLATFORM_CHOICES)
    filename = models.CharField("文件名", max_length=200)
    # kept only between the upload and the confirmation (the preview reads it); the sheet names
    # citizens, so it is emptied once imported and a batch never confirmed is deleted after
    # GONGKAI_WORKORDER_UPLOAD_DAYS days; the digest proves which file was imported
    content = models.BinaryField("文件内容")
    sha256 = models.CharField("文件SHA-256", max_length=64, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    imported = models.PositiveIntegerField("导入件数", default=0)
    duplicates = models.JSONField("重复的工单编号", default=list, blank=True)
    rejected = models.PositiveIntegerField("有错误未导入的行数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    imported_at = models.DateTimeField("导入时间", null=True, blank=True)

    class Meta:
        verbose_name = "工单导入批次"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.get_platform_display()}导入：{self.filename}"


class WorkOrder(models.Model):
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="workorders", verbose_name="机关"
    )
    platform = models.CharField("平台", max_length=20, choices=PLATFORM_CHOICES)
    number = models.CharField("工单编号", max_length=60)
    category = models.CharField("工单类别", max_length=20, choices=list(CATEGORY_LABELS.items()))
    title = models.CharField("诉求标题", max_length=300, blank=True)
    content = models.TextField("诉求内容", blank=True)
    received_at = models.DateTimeField("受理时间")
    received_on = models.DateField("受理日期", db_index=True)  # local date of received_at: months group on it
    due_on = models.DateField("办理期限", db_index=True)
    # counted over a year whose holiday notice is not entered yet: a lower bound (预计), recomputed
    # with the rule the order was received under (kept here) once the notice is entered
    due_provisional = models.BooleanField("办理期限为预计日期", default=False)
    due_amount = models.PositiveSmallIntegerField("办理时限", null=True, blank=True)
    due_unit = models.CharField("时限单位", max_length=20, choices=UNIT_CHOICES, blank=True)
    unit = models.CharField("承办单位", max_length=200, blank=True)
    state = models.CharField("办理状态", max_length=20, choices=STATE_CHOICES, default=State.RECEIVED.value)
    reply_text = models.TextField("答复内容", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    first_replied_on = models.DateField("首次答复日期", null=True, blank=True)  # the on-time rate's date
    rating = models.CharField("群众评价", max_length=30, choices=list(RATING_LABELS.items()), blank=True)
    rated_on = models.DateField("评价日期", null=True, blank=True)
    reopened = models.PositiveSmallIntegerField("退回重办次数", default=0)
    # an order that is really a disclosure request, registered as an application (it keeps its origin:
    # the application's first log entry names the platform and number)
    application = models.ForeignKey(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="转为的政府信息公开申请",
    )
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders", verbose_name="导入批次"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "工单"
        verbose_name_plural = verbose_name
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["agency", "platform", "number"], name="unique_workorder_number")]
        # a year holds tens of thousands: the list walks (agency, received_at) backwards, the
        # statistics read a year by (agency, received_on), the counts of open orders (agency, state, due_on)
        indexes = [
            models.Index(fields=["agency", "received_on"], name="workorder_agency_month"),
            models.Index(fields=["agency", "-received_at", "-id"], name="workorder_agency_latest"),
            models.Index(fields=["agency", "state", "due_on"], name="workorder_agency_open"),
            # the list filtered to one platform or one state, newest first (counted and paged on it)
            models.Index(fields=["agency", "platform", "-received_at", "-id"], name="workorder_agency_platform"),
            models.Index(fields=["agency", "state", "-received_at", "-id"], name="workorder_agency_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}工单{self.number}"

    @property
    def state_label(self) -> str:
        return State(self.state).label


class WorkOrderEvent(AppendOnlyRecord):
    record_name = "办理记录"

    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="events", verbose_name="工单")
    action = models.CharField("操作", max_length=30)
    button = models.CharField("操作名称", max_length=40)
    from_state = models.CharField("原状态", max_length=20, choices=STATE_CHOICES, blank=True)
    to_state = models.CharField("新状态", max_length=20, choices=STATE_CHOICES)
    role = models.CharField("角色", max_length=40, choices=ROLE_CHOICES, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="操作人",
    )
    actor_label = models.CharField("操作人姓名", max_length=100)
    comment = models.TextField("意见", blank=True)
    details = models.JSONField("内容", default=dict, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "工单办理记录"
        verbose_name_plural = verbose_name
        ordering = ["at", "id"]
