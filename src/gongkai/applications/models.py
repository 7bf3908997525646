"""Applications for disclosure (依申请公开), their append-only event log, attachments and letters.

The case's statutory clocks are never stored as truth: they are recomputed by the domain
(`gongkai.domain.clocks`) from the clock events of the ``CaseEvent`` log. ``reply_due`` and
``reply_status`` are a copy kept for sorting and filtering the work list, refreshed after every
move and by the reminder job.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from gongkai.domain.applications.archiving import DEFAULT_RETENTION_YEARS, RETENTION_CHOICES
from gongkai.domain.applications.assignment import State as AssignmentState
from gongkai.domain.applications.intake import IDENTITY_CHECK_LABELS, ORIGIN_LABELS
from gongkai.domain.applications.receipt import Channel
from gongkai.domain.applications.serving import Method as DeliveryMethod
from gongkai.domain.applications.serving import ProofKind
from gongkai.domain.applications.workflow import State
from gongkai.domain.clocks import DeadlineStatus
from gongkai.domain.outcomes import APPLICANT_TYPES, OUTCOMES
from gongkai.records import AppendOnlyRecord

STATE_CHOICES = [(s.value, s.label) for s in State]
ASSIGNMENT_STATE_CHOICES = [(s.value, s.label) for s in AssignmentState]
DEADLINE_STATUS_LABELS = {
    DeadlineStatus.RUNNING: "计时中",
    DeadlineStatus.PAUSED: "暂停计算",
    DeadlineStatus.MET: "按期",
    DeadlineStatus.MISSED: "逾期",
    DeadlineStatus.VOID: "作废",
}
CHANNEL_CHOICES = [(c.value, c.label) for c in Channel]
APPLICANT_TYPE_CHOICES = list(APPLICANT_TYPES.items())
OUTCOME_CHOICES = [(o.code, o.label) for o in OUTCOMES]


class IdDocument(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO_TAIWAN = "hmt_permit", "港澳台居民居住证或通行证"
    CREDIT_CODE = "credit_code", "统一社会信用代码证"
    OTHER = "other", "其他身份证明"


class DeliveryForm(models.TextChoices):
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子文档"
    INSPECT = "inspect", "当场查阅、抄录"


class DeliveryChannel(models.TextChoices):
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    PICKUP = "pickup", "当面领取"
    ONLINE = "online", "网上获取"


class Application(models.Model):
    # Labels of stored codes that have no model choices, for the change history (admin and case page).
    HISTORY_VALUE_LABELS = {
        "reply_status": {k.value: v for k, v in DEADLINE_STATUS_LABELS.items()},
        "resume_state": dict(STATE_CHOICES),
    }

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="applications", verbose_name="受理机关"
    )
    tracking_number = models.CharField("申请编号", max_length=30, unique=True)
    submission_year = models.PositiveSmallIntegerField("提交年份")
    sequence = models.PositiveIntegerField("年度序号")
    query_code_hash = models.CharField("查询码摘要", max_length=64)
    # one per submitted form: a double click or a resubmission finds the first application
    submission_token = models.UUIDField("提交令牌", unique=True, null=True, blank=True, editable=False)

    channel = models.CharField("申请渠道", max_length=20, choices=CHANNEL_CHOICES)
    oral = models.BooleanField("口头申请（工作人员代为填写）", default=False)
    applicant_type = models.CharField("申请人类型", max_length=30, choices=APPLICANT_TYPE_CHOICES)
    applicant_name = models.CharField("申请人姓名或名称", max_length=200)
    contact_person = models.CharField("联系人", max_length=100, blank=True)
    id_document_type = models.CharField("身份证明类型", max_length=20, choices=IdDocument.choices)
    id_document_number = models.CharField("身份证明号码", max_length=40)
    phone = models.CharField("联系电话", max_length=40)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=300, blank=True)
    postcode = models.CharField("邮政编码", max_length=10, blank=True)
    description = models.TextField("所需政府信息的名称、文号或描述")
    document_number_hint = models.CharField("文号（如知道）", max_length=100, blank=True)
    delivery_form = models.CharField("获取信息的形式", max_length=20, choices=DeliveryForm.choices)
    delivery_channel = models.CharField("获取信息的途径", max_length=20, choices=DeliveryChannel.choices)

    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    received_on = models.DateField("收到申请日期", null=True, blank=True)
    convention = models.CharField("期限计算规则", max_length=1, default="A")
    state = models.CharField("办理状态", max_length=40, choices=STATE_CHOICES, db_index=True)
    resume_state = models.CharField("签发退回后恢复的状态", max_length=40, blank=True)
    pending_outcome = models.CharField("待签发的办理结果", max_length=40, blank=True, choices=OUTCOME_CHOICES)
    pending_legal_basis = models.CharField("待签发的法律依据", max_length=300, blank=True)
    outcome_code = models.CharField("办理结果", max_length=40, blank=True, choices=OUTCOME_CHOICES)
    legal_basis = models.CharField("法律依据", max_length=300, blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True, db_index=True)
    reply_due = models.DateField("答复期限", null=True, blank=True, db_index=True)
    reply_status = models.CharField("答复期限状态", max_length=20, blank=True)
    # The stored reply_due was counted over a year whose holiday notice is missing (预计, never
    # later than the official date); recomputed when the notice is entered.
    reply_due_provisional = models.BooleanField("答复期限为预计日期", default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="登记人",
    )
    # A new reply ordered by a 纠正 (行政复议决定 or 判决 责令重新答复) is a case of its own, received the
    # day the decision was received and counted in table 三 like any received application (review_deadlines).
    reopened_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="re_replies",
        verbose_name="重新答复的原申请",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["query_code_hash", "submission_token"])

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["submission_year", "sequence"], name="unique_application_sequence"),
        ]
        indexes = [
            models.Index(fields=["agency", "state", "reply_due"]),
            models.Index(fields=["agency", "received_on"]),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def is_open(self) -> bool:
        return not State(self.state).is_terminal


class CaseEvent(AppendOnlyRecord):
    """One move of a case, append-only: who did what, when, with which details.

    The first event of every case is ``submit`` (its fields hold the receipt date, if fixed);
    every other event is a domain ``Action``. The clock events are rebuilt from this log.
    """

    record_name = "办理记录"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField("序号")
    action = models.CharField("操作", max_length=40)
    from_state = models.CharField("原状态", max_length=40, blank=True)
    to_state = models.CharField("新状态", max_length=40)
    fields = models.JSONField("内容", default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField("操作人", max_length=100)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["application", "seq"]
        constraints = [models.UniqueConstraint(fields=["application", "seq"], name="unique_case_event_seq")]


class DeadlineChange(AppendOnlyRecord):
    """A stored deadline that moved when a holiday notice was entered (or replaced).

    Written by ``services.deadlines_recompute_after_notice`` for every open case whose reply
    deadline changed, so the office head sees which dates moved and the case keeps the trace.
    """

    record_name = "期限变更记录"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="deadline_changes")
    notice_year = models.PositiveSmallIntegerField("节假日安排年份")
    old_due = models.DateField("原答复期限", null=True, blank=True)
    old_provisional = models.BooleanField("原期限为预计日期", default=False)
    new_due = models.DateField("新答复期限", null=True, blank=True)
    new_provisional = models.BooleanField("新期限为预计日期", default=False)
    reason = models.CharField("原因", max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "期限变更记录"
        verbose_name_plural = "期限变更记录"
        ordering = ["-recorded_at", "-id"]


def _attachment_path(instance: "Attachment", filename: str) -> str:
    return f"applications/{instance.application.submission_year}/{instance.application.tracking_number}/{filename}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("文件", upload_to=_attachment_path)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "申请附件"
        verbose_name_plural = "申请附件"

    def __str__(self) -> str:
        return self.original_name


def _letter_path(instance: "Letter", filename: str) -> str:
    return f"letters/{instance.application.submission_year}/{instance.application.tracking_number}/{filename}"


class Letter(models.Model):
    """A notice or reply generated for a case; the clerk may upload the signed, final version."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField("文书类型", max_length=40)
    title = models.CharField("标题", max_length=200)
    generated = models.FileField("生成的文书", upload_to=_letter_path)
    signed = models.FileField("签章版本", upload_to=_letter_path, blank=True)
    event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="letters")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField("上传签章版时间", null=True, blank=True)
    # 文书编号: given when the letter for this log entry is first generated, kept by every later
    # draft of the same letter (letters.generate_letter), never given to another letter.
    reference_number = models.CharField("文书编号", max_length=60, blank=True)

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["application", "created_at"]

    def __str__(self) -> str:
        return self.title


class LetterNumberSequence(models.Model):
    """The last 文书编号 sequence number an agency gave in a year (one row per agency and year).

    A number is taken by incrementing the row inside the letter's transaction (the UPDATE locks the
    row), so two clerks generating letters at once get different numbers, and a number given is
    never given again, even when the letter is later replaced by a new draft.
    """

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="机构")
    year = models.PositiveSmallIntegerField("年度")
    last_number = models.PositiveIntegerField("已用最大序号", default=0)

    class Meta:
        verbose_name = "文书编号序列"
        verbose_name_plural = "文书编号序列"
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="unique_letter_number_sequence")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}: {self.last_number}"


class LetterTemplate(models.Model):
    """An agency's own Word template of one letter kind, uploaded on its letter-templates page; used
    instead of the shipped template until the office head resets it (the row is deleted).

    Kept in the database, not in MEDIA: a template is small (checked at upload, at most a few MB),
    is part of the agency's settings, and goes with the database's backup.
    """

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+", verbose_name="机构")
    kind = models.CharField("文书类型", max_length=40)
    content = models.BinaryField("模板文件（.docx）")
    file_name = models.CharField("上传的文件名", max_length=200)
    uploaded_at = models.DateTimeField("上传时间", auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        constraints = [models.UniqueConstraint(fields=["agency", "kind"], name="unique_letter_template")]

    def __str__(self) -> str:
        return f"{self.agency} · {self.kind}"


class Assignment(models.Model):
    """A case routed to a unit of the agency (承办): what it owes the office and by when.

    Its steps run the domain table (``domain.applications.assignment``) and each writes a row in the
    case log; nothing here moves the case or its statutory clocks. ``share_identity``: the office
    lets the unit see the applicant's identity document number (unit staff never see it otherwise).
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="assignments", verbose_name="承办单位"
    )
    state = models.CharField("承办状态", max_length=20, choices=ASSIGNMENT_STATE_CHOICES, db_index=True)
    assigned_on = models.DateField("交办日期")
    due = models.DateField("内部办理期限", db_index=True)
    instructions = models.TextField("交办说明", blank=True)
    share_identity = models.BooleanField("向承办单位提供申请人身份证明号码", default=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="交办人"
    )
    proposed_outcome = models.CharField("拟办结果", max_length=40, blank=True, choices=OUTCOME_CHOICES)
    opinion = models.TextField("拟办意见（理由）", blank=True)
    return_kind = models.CharField("退回原因类别", max_length=20, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    answered_on = models.DateField("答复或退回日期", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 督办: the last escalation step written to the case log (domain.applications.assignment.CHASE_STEPS)
    chase_level = models.PositiveSmallIntegerField("督办级别", default=0)
    # whether the unit still owes an answer, kept with the state (save() sets it): the work lists put
    # open ones first, and a stored column lets an index give that order instead of a sort of years
    # of assignments on every page
    open = models.BooleanField("在办", default=True)
    # the part of the request this unit answers (e.g. 第1项：…) when the office splits it among units
    part = models.CharField("承办事项", max_length=200, blank=True)
    # how ``due`` was set: a date the office chose stays put when the statutory deadline moves; one
    # counted by the agency's default follows it (domain.applications.assignment.follow_reply_due)
    due_chosen = models.BooleanField("办公室指定内部办理期限", default=False)
    # the statutory reply deadline ``due`` was last set against: when the case's reply_due differs
    # (a pause ended, 延期, a holiday notice) the internal deadline is moved with it
    reply_due_basis = models.DateField("所依据的法定答复期限", null=True, blank=True)

    class Meta:
        verbose_name = "交办件"
        verbose_name_plural = "交办件"
        ordering = ["application", "pk"]
        indexes = [
            models.Index(fields=["unit", "state", "due"]),
            # a unit's work list, and the office's over all its units: open first, by internal deadline
            models.Index(fields=["unit", "-open", "due", "-id"], name="assignment_unit_list"),
            models.Index(fields=["-open", "due", "-id"], name="assignment_list"),
        ]

    def __str__(self) -> str:
        return f"{self.application} → {self.unit.name}"

    def save(self, *args, **kwargs):
        self.open = AssignmentState(self.state).is_open
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "state" in update_fields:
            kwargs["update_fields"] = {*update_fields, "open"}
        super().save(*args, **kwargs)

    @property
    def state_label(self) -> str:
        return AssignmentState(self.state).label

    @property
    def is_open(self) -> bool:
        return AssignmentState(self.state).is_open


def _assignment_file_path(instance: "AssignmentFile", filename: str) -> str:
    app = instance.assignment.application
    return f"assignments/{app.submission_year}/{app.tracking_number}/{filename}"


class AssignmentFile(models.Model):
    """The information a unit found and supplies with its answer."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="files")
    file = models.FileField("文件", upload_to=_assignment_file_path)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "承办单位提供的材料"
        verbose_name_plural = "承办单位提供的材料"

    def __str__(self) -> str:
        return self.original_name


# -- delivery (送达) and archiving (归档): services_delivery, services_archive ------------------------


class DeliveryRecord(models.Model):
    """One sending of one letter and, once known, its service (送达): the evidence that and when the
    addressee was told. A letter sent twice (the post came back, then handed over) has two records.
    Each write also leaves a row in the case log (``serving.LOG_DELIVERY`` / ``LOG_SERVED``), from
    which the clocks read the served date."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="deliveries")
    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="deliveries", verbose_name="送达文书")
    method = models.CharField("送达方式", max_length=20, choices=[(m.value, m.label) for m in DeliveryMethod])
    recipient = models.CharField("受送达人", max_length=200)
    address = models.CharField("送达地址或电子邮箱", max_length=300, blank=True)
    tracking_number = models.CharField("邮件号码", max_length=40, blank=True)
    sent_on = models.DateField("发出日期")
    served_on = models.DateField("送达日期", null=True, blank=True)
    signed_by = models.CharField("签收人", max_length=100, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    warning = models.CharField("提示", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "送达记录"
        verbose_name_plural = "送达记录"
        ordering = ["application", "sent_on", "pk"]

    def __str__(self) -> str:
        return f"{self.letter} · {self.get_method_display()}"


def _proof_path(instance: "DeliveryProof", filename: str) -> str:
    app = instance.record.application
    return f"deliveries/{app.submission_year}/{app.tracking_number}/{filename}"


class DeliveryProof(models.Model):
    """A scan or printout proving a delivery: the signed 送达回证, the post's tracking record…"""

    record = models.ForeignKey(DeliveryRecord, on_delete=models.PROTECT, related_name="proofs")
    kind = models.CharField("凭证类型", max_length=30, choices=[(k.value, k.label) for k in ProofKind])
    file = models.FileField("文件", upload_to=_proof_path)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "送达凭证"
        verbose_name_plural = "送达凭证"
        ordering = ["record", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ArchiveSetting(models.Model):
    """An agency's archive settings (its archive page); without a row, the documented default."""

    agency = models.OneToOneField("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    retention_years = models.PositiveSmallIntegerField(
        "保管期限", choices=list(RETENTION_CHOICES.items()), default=DEFAULT_RETENTION_YEARS
    )

    class Meta:
        verbose_name = "归档设置"
        verbose_name_plural = "归档设置"

    def __str__(self) -> str:
        return f"{self.agency} · {self.get_retention_years_display()}"


class ArchiveBatch(models.Model):
    """Filing a year's closed cases in one run (a background task). Its progress is read from the
    filed cases themselves, so a worker killed midway loses nothing: running it again files the rest."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "归档中"
        DONE = "done", "已完成"
        FAILED = "failed", "未完成"

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("办结年度")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField("应归档件数", default=0)
    filed = models.PositiveIntegerField("本次归档件数", default=0)
    skipped = models.PositiveIntegerField("已归档跳过件数", default=0)
    failed = models.PositiveIntegerField("未能归档件数", default=0)
    failure = models.TextField("未能归档的原因", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "批量归档"
        verbose_name_plural = "批量归档"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度 · {self.get_status_display()}"


def _archive_path(instance: "ArchivedCase", filename: str) -> str:
    return f"archive/{instance.year}/{filename}"


class ArchivedCase(models.Model):
    """A closed case filed as one package (a zip: the 卷内目录 and the case as PDF, then the
    originals in order). A closed case never changes, so it is filed once."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="archived")
    year = models.PositiveSmallIntegerField("办结年度", db_index=True)
    package = models.FileField("案卷文件", upload_to=_archive_path)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField("SHA-256", max_length=64)
    items = models.PositiveSmallIntegerField("卷内文件数")
    retention_years = models.PositiveSmallIntegerField("保管期限（年，0为永久）")
    retain_until = models.DateField("保管至", null=True, blank=True)
    filed_on = models.DateField("归档日期")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(ArchiveBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")

    class Meta:
        verbose_name = "归档案卷"
        verbose_name_plural = "归档案卷"
        ordering = ["-filed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.application} 案卷"


# -- the applicant register and the intake (issue 16 §4, §5) ---------------------------------------------


class Applicant(models.Model):
    """申请人登记: one applicant across applications, matched on ``key``
    (``domain.applications.register.applicant_key``: the identity document's number, the 统一社会信用代码,
    or the name with the telephone number when neither is given). The key holds the number the
    applications already hold; no page shows it (the case page shows the application's own
    identity block, masked as before for the roles that must not see it)."""

    key_kind = models.CharField("识别依据", max_length=20)
    key = models.CharField("识别键", max_length=300, unique=True)
    applicant_type = models.CharField("申请人类型", max_length=30, choices=APPLICANT_TYPE_CHOICES)
    name = models.CharField("申请人姓名或名称", max_length=200)  # as on the first application
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "申请人登记"
        verbose_name_plural = "申请人登记"

    def __str__(self) -> str:
        return self.name


class Intake(models.Model):
    """How an application came in: its origin (直接提交 or 转来, with the forwarding body's number and
    the day it reached this office), how the applicant's identity was checked, an agent, and the
    register entry of its applicant. One per application."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="intake")
    applicant = models.ForeignKey(
        Applicant, null=True, on_delete=models.PROTECT, related_name="intakes", verbose_name="申请人登记"
    )
    origin = models.CharField(
        "申请来源", max_length=20, default="direct", choices=[(k.value, v) for k, v in ORIGIN_LABELS.items()]
    )
    origin_reference = models.CharField("转办编号", max_length=100, blank=True)
    reached_on = models.DateField("到达本机关日期", null=True, blank=True)
    original_submitted_on = models.DateField("申请人向转办机关提出日期", null=True, blank=True)
    # "" for applications registered before the field existed (not recorded)
    identity_check = models.CharField(
        "身份核验方式", max_length=20, blank=True, choices=[(k.value, v) for k, v in IDENTITY_CHECK_LABELS.items()]
    )
    agent_name = models.CharField("委托代理人姓名", max_length=100, blank=True)
    agent_id_number = models.CharField("委托代理人身份证明号码", max_length=40, blank=True)
    agent_phone = models.CharField("委托代理人联系电话", max_length=40, blank=True)

    class Meta:
        verbose_name = "申请登记信息"
        verbose_name_plural = "申请登记信息"
        indexes = [models.Index(fields=["origin"], name="intake_origin")]

    def __str__(self) -> str:
        return f"{self.application} · {self.origin}"


def _intake_file_path(instance: "IntakeFile", filename: str) -> str:
    app = instance.application
    return f"intake/{app.submission_year}/{app.tracking_number}/{filename}"


class IntakeFile(models.Model):
    """The original papers of a forwarded application (转办单, 工单, the applicant's letter) and an
    agent's power of attorney (授权委托书)."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", "转来的原件材料"
        POWER_OF_ATTORNEY = "power_of_attorney", "授权委托书"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="intake_files")
    kind = models.CharField("材料类别", max_length=20, choices=Kind.choices)
    file = models.FileField("文件", upload_to=_intake_file_path)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "登记材料"
        verbose_name_plural = "登记材料"
        ordering = ["application", "kind", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ApplicantNotice(models.Model):
    """The applicant asked (on the public form, or the clerk who registered the application) to be told when the receipt and the reply are ready, by
    e-mail or SMS to the address they gave (applications.notices queues the messages)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="applicant_notice")
    channel = models.CharField("通知方式", max_length=10, choices=[("email", "电子邮件"), ("sms", "短信")])
    recipient = models.CharField("接收地址", max_length=254)
    created_at = models.DateTimeField("选择时间", auto_now_add=True)

    class Meta:
        verbose_name = "申请人通知选择"
        verbose_name_plural = "申请人通知选择"

    def __str__(self) -> str:
        return f"{self.application} · {self.get_channel_display()}"
