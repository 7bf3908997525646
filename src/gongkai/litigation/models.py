"""The register of administrative reviews (行政复议) and lawsuits (行政诉讼) about disclosure matters.

Table 四 of the annual report is counted from it (``selectors.table4_figures`` through the domain's
``table4_for_year``). A case is linked to the application it arose from when there is one, and a
suit brought after a review (复议后起诉) to that review when it is registered too. The labels of
kinds, stages and results are the domain's, so the register and the report say the same words.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from gongkai.domain.annual_report.litigation import KIND_LABELS, RESULT_LABELS, STAGE_LABELS

KIND_CHOICES = list(KIND_LABELS.items())
STAGE_CHOICES = list(STAGE_LABELS.items())
RESULT_CHOICES = list(RESULT_LABELS.items())
PENDING = "pending"


class ReviewCase(models.Model):
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="review_cases", verbose_name="被申请人或被告机关"
    )
    kind = models.CharField("类别", max_length=20, choices=KIND_CHOICES)
    case_number = models.CharField("案号或复议决定书文号", max_length=100, blank=True)
    body = models.CharField("复议机关或受理法院", max_length=200)
    applicant_name = models.CharField("申请人或原告", max_length=200)
    application = models.ForeignKey(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_cases",
        verbose_name="所涉政府信息公开申请",
    )
    filed_on = models.DateField("申请复议或立案日期", db_index=True)
    stage = models.CharField("起诉情形", max_length=20, choices=STAGE_CHOICES, blank=True)
    prior_review = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="later_suits",
        verbose_name="此前的行政复议",
    )
    result = models.CharField("结果", max_length=20, choices=RESULT_CHOICES, default=PENDING)
    concluded_on = models.DateField("审结日期", null=True, blank=True)
    correction_note = models.TextField("纠正情况说明", blank=True)
    # the agency's own deadline: 书面答复 (复议) or 答辩状 (诉讼), counted from receiving the copy
    copy_received_on = models.DateField("收到申请书副本或起诉状副本日期", null=True, blank=True)
    answered_on = models.DateField("提交书面答复或答辩状日期", null=True, blank=True)
    # a 纠正 that orders a new reply: the new case, and the date the decision set (if any)
    decision_received_on = models.DateField("收到复议决定书或裁判文书日期", null=True, blank=True)
    re_reply_until = models.DateField("决定确定的重新答复期限", null=True, blank=True)
    re_reply = models.ForeignKey(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ordered_by",
        verbose_name="重新答复的申请",
    )
    notes = models.TextField("备注", blank=True)
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
    # the registration form's hidden token: a second POST of the same form finds this case instead
    submission_token = models.UUIDField("提交令牌", unique=True, null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["submission_token"])

    class Meta:
        verbose_name = "行政复议或行政诉讼案件"
        verbose_name_plural = "行政复议和行政诉讼案件"
        ordering = ["-filed_on", "-id"]
        indexes = [models.Index(fields=["agency", "filed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(result=PENDING) & models.Q(concluded_on__isnull=True))
                | (~models.Q(result=PENDING) & models.Q(concluded_on__isnull=False)),
                name="review_case_concluded_iff_result",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="review") & models.Q(stage=""))
                | (models.Q(kind="litigation") & ~models.Q(stage="")),
                name="review_case_stage_only_for_litigation",
            ),
        ]

    def __str__(self) -> str:
        return self.case_number or f"{self.get_kind_display()}（{self.applicant_name}，{self.filed_on:%Y-%m-%d}）"

    @property
    def is_pending(self) -> bool:
        return self.result == PENDING

    @property
    def group_label(self) -> str:
        """Where table 四 counts the case: 行政复议, or 行政诉讼 with its stage."""
        kind = KIND_LABELS.get(self.kind, self.kind)
        if self.kind == "litigation" and self.stage:
            return f"{kind}（{STAGE_LABELS.get(self.stage, self.stage)}）"
        return kind


class DocumentType(models.TextChoices):
    REVIEW_APPLICATION = "review_application", "行政复议申请书"
    REVIEW_NOTICE = "review_notice", "复议答复通知书"
    REVIEW_REPLY = "review_reply", "复议答复书"
    REVIEW_DECISION = "review_decision", "行政复议决定书"
    COMPLAINT = "complaint", "起诉状"
    DEFENCE = "defence", "答辩状"
    JUDGMENT = "judgment", "判决书"
    RULING = "ruling", "裁定书"
    EVIDENCE = "evidence", "证据材料"
    OTHER = "other", "其他文书"


def _document_path(instance: "ReviewDocument", filename: str) -> str:
    # ``filename`` is already random (the service makes it); nothing of the uploader's name is used
    return f"reviews/{instance.case.filed_on:%Y}/{instance.case_id}/{filename}"


class ReviewDocument(models.Model):
    case = models.ForeignKey(ReviewCase, on_delete=models.PROTECT, related_name="documents", verbose_name="案件")
    doc_type = models.CharField("文书类型", max_length=30, choices=DocumentType.choices)
    file = models.FileField("文件", upload_to=_document_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="上传人",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "复议诉讼文书"
        verbose_name_plural = "复议诉讼文书"
        ordering = ["case", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
