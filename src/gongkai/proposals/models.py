"""The register of deputies' suggestions and members' proposals assigned to the agency (建议提案办理).

An item moves through the states of :mod:`gongkai.domain.proposals.workflow`; every move is a row of
:class:`ProposalEvent` (append-only), every talk with the deputy or member a :class:`ContactRecord`.
The lead unit and co-units are names for now (they are often other agencies, not users here).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from gongkai.domain.proposals.workflow import (
    CATEGORY_LABELS,
    CONTACT_WAYS,
    SATISFACTION_LABELS,
    WITHHOLD_REASONS,
    Kind,
    State,
)
from gongkai.domain.roles import Role
from gongkai.records import AppendOnlyRecord

KIND_CHOICES = [(k.value, k.label) for k in Kind]
STATE_CHOICES = [(s.value, s.label) for s in State]
ROLE_CHOICES = [(r.value, r.label) for r in Role]


class ProposalSettings(models.Model):
    """The agency's deadline for replies: commonly three months from 交办, shorter for urgent items."""

    agency = models.OneToOneField(
        "accounts.Agency", on_delete=models.CASCADE, related_name="proposal_settings", verbose_name="机关"
    )
    months = models.PositiveSmallIntegerField("答复期限（月）", default=3)
    urgent_months = models.PositiveSmallIntegerField("紧急件答复期限（月）", default=1)

    class Meta:
        verbose_name = "建议提案办理期限设置"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.agency}：{self.months}个月（紧急件{self.urgent_months}个月）"


class Proposal(models.Model):
    class Publication(models.TextChoices):
        UNDECIDED = "", "未决定"
        PUBLISHED = "published", "已公开"
        WITHHELD = "withheld", "不公开"

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="proposals", verbose_name="承办机关"
    )
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    kind = models.CharField("类别", max_length=20, choices=KIND_CHOICES)
    number = models.CharField("编号", max_length=40)
    author = models.CharField("代表或委员", max_length=100)
    delegation = models.CharField("代表团或界别", max_length=100, blank=True)
    title = models.CharField("标题", max_length=300)
    text = models.TextField("内容", blank=True)
    lead_unit = models.CharField("主办单位", max_length=200)
    co_units = models.CharField("会办、协办单位", max_length=500, blank=True)
    assigned_on = models.DateField("交办日期", db_index=True)
    urgent = models.BooleanField("紧急件", default=False)
    due_on = models.DateField("答复期限", db_index=True)
    # the period's last day before a holiday or rest day moved it, and whether that move was
    # counted over a year whose holiday notice is missing (预计: recomputed once it is entered)
    due_nominal = models.DateField("期满日（未顺延）", null=True, blank=True)
    due_provisional = models.BooleanField("答复期限为预计日期", default=False)
    state = models.CharField("办理状态", max_length=20, choices=STATE_CHOICES, default=State.REGISTERED.value)
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    category = models.CharField("答复类别", max_length=1, choices=list(CATEGORY_LABELS.items()), blank=True)
    reply_text = models.TextField("答复函正文", blank=True)
    co_opinions = models.TextField("会办、协办单位意见", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="签发人",
    )
    satisfaction = models.CharField("反馈意见", max_length=30, choices=list(SATISFACTION_LABELS.items()), blank=True)
    feedback_on = models.DateField("反馈日期", null=True, blank=True)
    publication = models.CharField(
        "复文公开", max_length=20, choices=Publication.choices, default=Publication.UNDECIDED, blank=True
    )
    withhold_reason = models.CharField("不公开理由", max_length=20, choices=list(WITHHOLD_REASONS.items()), blank=True)
    withhold_note = models.TextField("不公开的具体说明", blank=True)
    published_on = models.DateField("公开日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="登记人",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "建议提案"
        verbose_name_plural = verbose_name
        ordering = ["-assigned_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "kind", "number"], name="unique_proposal_number")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}第{self.number}号：{self.title}"

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def author_word(self) -> str:
        return Kind(self.kind).author_word


class ProposalEvent(AppendOnlyRecord):
    """One move of an item: who did what, from which state to which, with what (append-only)."""

    record_name = "办理记录"

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="events", verbose_name="建议提案")
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
        verbose_name = "建议提案办理记录"
        verbose_name_plural = verbose_name
        ordering = ["at", "id"]


class ContactRecord(AppendOnlyRecord):
    """A talk with the deputy or member about the item (沟通记录): before the reply, and again in a
    second handling."""

    record_name = "沟通记录"

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="contacts", verbose_name="建议提案")
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    contact_on = models.DateField("沟通日期")
    way = models.CharField("沟通方式", max_length=20, choices=list(CONTACT_WAYS.items()))
    summary = models.TextField("沟通情况")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="记录人",
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "沟通记录"
        verbose_name_plural = verbose_name
        ordering = ["contact_on", "id"]
