"""The outbox of reminders and each user's choice of channels."""

from django.conf import settings
from django.db import models

from gongkai.domain.notifications import Channel, MessageState

CHANNEL_CHOICES = [(c.value, c.label) for c in Channel]
STATE_CHOICES = [(s.value, s.label) for s in MessageState]


class Preference(models.Model):
    """How a member of staff wants to be reminded: e-mail (to the account's address), SMS (to the
    phone given here), and whether the daily digest of their due and overdue cases is sent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField("电子邮件提醒", default=True)
    sms_enabled = models.BooleanField("短信提醒", default=False)
    phone = models.CharField("接收短信的手机号码", max_length=20, blank=True)
    digest_enabled = models.BooleanField("每日待办摘要", default=True)

    class Meta:
        verbose_name = "提醒设置"
        verbose_name_plural = "提醒设置"

    def __str__(self) -> str:
        return str(self.user)


class OutboxMessage(models.Model):
    """One message to one recipient on one channel. ``key`` makes a message once only (the same 督办
    step, the same day's digest, the same applicant notice is never queued twice); ``not_before``
    holds an SMS through the quiet hours. Sending marks ``sending`` before the backend is called and
    ``sent`` after (services.outbox_send_due): a killed worker loses nothing."""

    channel = models.CharField("渠道", max_length=10, choices=CHANNEL_CHOICES)
    recipient = models.CharField("接收人地址", max_length=254)
    recipient_label = models.CharField("接收人", max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="机构"
    )
    subject = models.CharField("主题", max_length=200)
    body = models.TextField("内容")
    key = models.CharField("去重键", max_length=200, unique=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    not_before = models.DateTimeField("最早发送时间", db_index=True)
    state = models.CharField("状态", max_length=10, choices=STATE_CHOICES, default=MessageState.PENDING.value)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    claimed_at = models.DateTimeField("开始发送时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    provider_id = models.CharField("服务商回执编号", max_length=100, blank=True)
    last_error = models.CharField("最近错误", max_length=500, blank=True)

    class Meta:
        verbose_name = "待发消息"
        verbose_name_plural = "待发消息"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "not_before"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient_label or self.recipient}：{self.subject}"
