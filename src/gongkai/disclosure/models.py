"""Proactive disclosure (主动公开): the agency's columns, the document register with its review log,
versions and attachments, and the year's figures for table 二 that do not come from the register.

What the public sees is always the ``Document`` row itself, and only while ``is_public``: a
revision of a published document is kept in a ``DocumentVersion`` row (the *pending* revision)
until it has been reviewed and published, when its content is copied onto the document and the
version row is frozen. So no unreviewed text can reach the public pages, and a page reading the
column never looks at versions.

- ``current_version``: the version under work (equal to ``public_version`` when nothing is pending);
- ``confidentiality_passed_version``: the last version whose 保密审查 passed (the domain refuses to
  publish when it is not the current one);
- ``public_version``: the version on the public column (None before the first publication).

A document never revised has no version rows: its one version is the document. The first revision
stores the published version as row 1 before opening row 2, so from then on every version that was
ever public has a frozen row (``published_on`` set), and the pending one has ``published_on`` None.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from gongkai.domain.disclosure.catalogue import ARTICLE_20_CHOICES, TOPICS, Channel, DocumentKind
from gongkai.domain.disclosure.index_numbers import DEFAULT_PATTERN, IndexNumberError, IndexPattern
from gongkai.domain.disclosure.search_text import search_text
from gongkai.domain.disclosure.validity import Validity
from gongkai.domain.disclosure.workflow import Result, State
from gongkai.records import AppendOnlyRecord

STATE_CHOICES = [(s.value, s.label) for s in State]
KIND_CHOICES = [(k.value, k.label) for k in DocumentKind]
VALIDITY_CHOICES = [(v.value, v.label) for v in Validity]
TOPIC_CHOICES = list(TOPICS.items())
CHANNEL_CHOICES = [(c.value, c.label) for c in Channel]
RESULT_CHOICES = [(r.value, r.label) for r in Result]

# The content a revision may change; the rest (kind, interpretation links, index number) is fixed at
# the first publication.
VERSIONED_FIELDS = (
    "title",
    "doc_number",
    "issuing_office",
    "formed_on",
    "signed_on",
    "column",
    "topic",
    "article20_item",
    "body",
    "channels",
)


class Column(models.Model):
    """A column (栏目) of the agency's 法定主动公开内容; two levels (the default tree's depth)."""

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="disclosure_columns", verbose_name="机构"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上级栏目"
    )
    slug = models.SlugField("栏目标识", max_length=40)
    name = models.CharField("栏目名称", max_length=60)
    order = models.PositiveIntegerField("排序", default=0)
    article20_item = models.PositiveSmallIntegerField(
        "默认第二十条事项", null=True, blank=True, choices=ARTICLE_20_CHOICES
    )
    topic = models.CharField("默认主题分类", max_length=30, blank=True, choices=TOPIC_CHOICES)
    kind = models.CharField("常见文件类别", max_length=20, blank=True, choices=KIND_CHOICES)
    interpretations = models.BooleanField("政策解读栏目", default=False)
    description = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "公开栏目"
        verbose_name_plural = "公开栏目"
        ordering = ["agency", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["agency", "slug"], name="disclosure_unique_column_slug")]

    def __str__(self) -> str:
        return f"{self.parent.name}／{self.name}" if self.parent_id and self.parent else self.name

    def clean(self) -> None:
        if self.parent_id and self.parent and self.parent.parent_id:
            raise ValidationError({"parent": "栏目最多两级：上级栏目本身不能再有上级"})
        if self.parent_id and self.parent and self.parent.agency_id != self.agency_id:
            raise ValidationError({"parent": "上级栏目属于另一机构"})

    @property
    def top_id(self) -> int:
        return self.parent_id or self.pk


class IndexNumberScheme(models.Model):
    """How an agency numbers its documents (索引号): its organisation code and pattern."""

    agency = models.OneToOneField(
        "accounts.Agency", on_delete=models.PROTECT, related_name="index_number_scheme", verbose_name="机构"
    )
    organisation_code = models.CharField("机构代码（统一社会信用代码）", max_length=40)
    pattern = models.CharField(
        "索引号规则",
        max_length=100,
        default=DEFAULT_PATTERN,
        help_text="可用字段：{agency_code} 机构代码、{year} 年份、{seq:05d} 顺序号、{column} 栏目标识",
    )

    class Meta:
        verbose_name = "索引号规则"
        verbose_name_plural = "索引号规则"

    def __str__(self) -> str:
        return f"{self.agency}：{self.pattern}"

    def clean(self) -> None:
        try:
            IndexPattern(self.pattern).format(agency_code=self.organisation_code, year=2026, seq=1, column="x")
        except IndexNumberError as err:
            raise ValidationError(err.message) from None

    def to_domain(self) -> IndexPattern:
        return IndexPattern(self.pattern)


SEARCH_SOURCES = frozenset({"title", "doc_number", "index_number", "body"})


class Document(models.Model):
    # agency, column, top_column: no index of their own. The partial indexes below start with them; a
    # plain index on column would tempt SQLite to count a column's page through the table instead of
    # through the (covering) partial index. Deleting a column (admin only) scans the table once.
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="disclosure_documents",
        verbose_name="发布机关",
        db_index=False,
    )
    title = models.CharField("标题", max_length=300)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    index_number = models.CharField("索引号", max_length=80, unique=True)
    index_year = models.PositiveSmallIntegerField("索引号年份")
    index_seq = models.PositiveIntegerField("索引号顺序号")
    issuing_office = models.CharField("发布机构", max_length=100)
    formed_on = models.DateField("成文日期")
    signed_on = models.DateField("签发日期", null=True, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    revised_on = models.DateField("修订日期", null=True, blank=True)
    column = models.ForeignKey(
        Column, on_delete=models.PROTECT, related_name="documents", verbose_name="栏目", db_index=False
    )
    # the top-level column (the column itself or its parent): lists a section with one index
    top_column = models.ForeignKey(
        Column, on_delete=models.PROTECT, related_name="+", verbose_name="一级栏目", db_index=False
    )
    topic = models.CharField("主题分类", max_length=30, blank=True, choices=TOPIC_CHOICES)
    article20_item = models.PositiveSmallIntegerField("第二十条事项", null=True, blank=True, choices=ARTICLE_20_CHOICES)
    kind = models.CharField("文件类别", max_length=20, choices=KIND_CHOICES, default=DocumentKind.OTHER.value)
    validity = models.CharField("有效性", max_length=20, blank=True, choices=VALIDITY_CHOICES)
    validity_changed_on = models.DateField("有效性变更日期", null=True, blank=True)
    repealed_by = models.CharField("修改或废止文件", max_length=300, blank=True)
    needs_interpretation = models.BooleanField("需同步发布政策解读", default=False)
    interprets = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interpretations",
        verbose_name="所解读的政策文件",
    )
    body = models.TextField("正文", blank=True)
    channels = models.JSONField("公开渠道", default=list)
    # title, 文号, 索引号 and body in one normal form (brackets, full width): what the public search
    # matches, for the index and the query alike (domain.disclosure.search_text); kept by save()
    search_text = models.TextField("检索文本", blank=True, default="", editable=False)

    state = models.CharField("状态", max_length=30, choices=STATE_CHOICES, default=State.DRAFT.value)
    current_version = models.PositiveIntegerField("当前版本", default=1)
    confidentiality_passed_version = models.PositiveIntegerField("保密审查通过的版本", null=True, blank=True)
    public_version = models.PositiveIntegerField("公开版本", null=True, blank=True)
    is_public = models.BooleanField("公开中", default=False)
    unpublished_on = models.DateField("下架日期", null=True, blank=True)
    unpublish_reason = models.CharField("下架理由", max_length=500, blank=True)

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
    # 依申请公开转主动公开 (第四十四条): the application whose released information this document
    # publishes, by its 申请编号 (the applications app is of the same layer: no foreign key to it)
    from_application = models.CharField("依申请公开转主动公开的申请编号", max_length=30, blank=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = "主动公开文件"
        verbose_name_plural = "主动公开文件"
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "index_year", "index_seq"], name="disclosure_unique_index_seq"),
        ]
        indexes = [
            # public column pages: newest first, per column, per section and for the whole agency; partial
            # (public documents only), so they are small and the filter on is_public is the index's own
            models.Index(
                fields=["column", "-published_on", "-id"],
                condition=models.Q(is_public=True),
                name="disc_doc_column_pub",
            ),
            models.Index(
                fields=["top_column", "-published_on", "-id"],
                condition=models.Q(is_public=True),
                name="disc_doc_section_pub",
            ),
            models.Index(
                fields=["agency", "-published_on", "-id"],
                condition=models.Q(is_public=True),
                name="disc_doc_agency_pub",
            ),
            # reviewers' queues and the overdue list
            models.Index(fields=["agency", "state", "formed_on"], name="disc_doc_state"),
            # table 二: 规章 and 行政规范性文件
            models.Index(fields=["agency", "kind", "signed_on"], name="disc_doc_kind"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # every save keeps the search text in step; a save of some fields adds it when one of its sources is among them
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields and set(update_fields) & SEARCH_SOURCES:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def refresh_search_text(self) -> None:
        self.search_text = search_text(
            title=self.title, doc_number=self.doc_number, index_number=self.index_number, body=self.body
        )

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def kind_label(self) -> str:
        return DocumentKind(self.kind).label

    @property
    def validity_label(self) -> str:
        return Validity(self.validity).label if self.validity else ""

    @property
    def has_pending_revision(self) -> bool:
        return self.public_version is not None and self.current_version != self.public_version

    @property
    def channel_labels(self) -> list[str]:
        labels = dict(CHANNEL_CHOICES)
        return [labels.get(c, c) for c in self.channels or ()]


class DocumentVersion(models.Model):
    """One version of a revised document: frozen once published, pending while under review."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    title = models.CharField("标题", max_length=300)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    issuing_office = models.CharField("发布机构", max_length=100)
    formed_on = models.DateField("成文日期")
    signed_on = models.DateField("签发日期", null=True, blank=True)
    column = models.ForeignKey(Column, on_delete=models.PROTECT, related_name="+", verbose_name="栏目")
    topic = models.CharField("主题分类", max_length=30, blank=True, choices=TOPIC_CHOICES)
    article20_item = models.PositiveSmallIntegerField("第二十条事项", null=True, blank=True, choices=ARTICLE_20_CHOICES)
    body = models.TextField("正文", blank=True)
    channels = models.JSONField("公开渠道", default=list)
    reason = models.CharField("修订理由", max_length=500, blank=True)
    published_on = models.DateField("公开日期", null=True, blank=True)
    discarded_on = models.DateField("放弃修订日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "文件版本"
        verbose_name_plural = "文件版本"
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="disclosure_unique_version")]

    def __str__(self) -> str:
        return f"{self.document_id} 第{self.number}版"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = DocumentVersion.objects.filter(pk=self.pk).values("published_on", "discarded_on").first()
            if stored and (stored["published_on"] or stored["discarded_on"]):
                raise ValidationError("已公开或已放弃的版本不能修改。")
        super().save(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.published_on is not None or self.discarded_on is not None

    def delete(self, *args, **kwargs):
        raise ValidationError("文件版本不能删除。")


class ReviewDecision(AppendOnlyRecord):
    """One step of a document's life, append-only: registration, every review decision, publication,
    revision, validity change — who, in which role, when, with which comment and result."""

    record_name = "审核记录"

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="decisions")
    seq = models.PositiveIntegerField("序号")
    version = models.PositiveIntegerField("版本")
    action = models.CharField("操作", max_length=40)
    from_state = models.CharField("原状态", max_length=30, blank=True)
    to_state = models.CharField("新状态", max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField("操作人", max_length=100)
    role = models.CharField("角色", max_length=40, blank=True)
    comment = models.TextField("意见或理由", blank=True)
    result = models.CharField("结论", max_length=20, blank=True, choices=RESULT_CHOICES)
    fields = models.JSONField("内容", default=dict)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["document", "seq"]
        constraints = [models.UniqueConstraint(fields=["document", "seq"], name="disclosure_unique_decision_seq")]
        indexes = [models.Index(fields=["action", "at"], name="disc_decision_action")]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.seq} {self.action}"


def _attachment_path(instance: "DocumentAttachment", filename: str) -> str:
    return f"disclosure/{instance.document.index_year}/{instance.document_id}/{filename}"


class DocumentAttachment(models.Model):
    """A file of a document. It belongs to the versions from ``version`` up to (not including)
    ``removed_in_version``; the public page shows those of the public version."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("文件", upload_to=_attachment_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    # what the public page and the download call the file (domain.disclosure.attachments.display_name:
    # the upload name without a random token, or the document's title when the name says nothing)
    display_name = models.CharField("显示名称", max_length=200, blank=True)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    version = models.PositiveIntegerField("加入的版本")
    removed_in_version = models.PositiveIntegerField("删除的版本", null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "文件附件"
        verbose_name_plural = "文件附件"
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return self.shown_name

    @property
    def shown_name(self) -> str:
        return self.display_name or self.original_name

    @property
    def download_name(self) -> str:
        """The shown name with the original extension (the type was checked by it at upload)."""
        ext = self.original_name.rsplit(".", 1)[-1] if "." in self.original_name else ""
        return (
            f"{self.shown_name}.{ext}"
            if ext and not self.shown_name.lower().endswith("." + ext.lower())
            else self.shown_name
        )

    def in_version(self, number: int | None) -> bool:
        if number is None:
            return False
        return self.version <= number and (self.removed_in_version is None or self.removed_in_version > number)


class AnnualFigures(models.Model):
    """The figures of table 二 that do not come from the register, entered once a year.

    2021 format: 行政许可 / 行政处罚 / 行政强制 decisions and the 行政事业性收费 amount (万元). The
    2019 format (report years 2019, 2020) also asks, per item, last year's number of items and the
    change, 其他对外管理服务事项 and 政府集中采购: those fields are blank when not used.
    """

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="annual_figures", verbose_name="机构"
    )
    year = models.PositiveSmallIntegerField("年度")
    licensing_decisions = models.PositiveIntegerField("行政许可本年处理决定数量", default=0)
    penalty_decisions = models.PositiveIntegerField("行政处罚本年处理决定数量", default=0)
    coercion_decisions = models.PositiveIntegerField("行政强制本年处理决定数量", default=0)
    fee_amount = models.DecimalField("行政事业性收费本年收费金额（万元）", max_digits=12, decimal_places=4, default=0)
    # 2019 format only
    licensing_items_last_year = models.PositiveIntegerField("行政许可上一年项目数量", null=True, blank=True)
    licensing_items_change = models.IntegerField("行政许可本年增/减", null=True, blank=True)
    other_services_items_last_year = models.PositiveIntegerField(
        "其他对外管理服务事项上一年项目数量", null=True, blank=True
    )
    other_services_items_change = models.IntegerField("其他对外管理服务事项本年增/减", null=True, blank=True)
    other_services_decisions = models.PositiveIntegerField("其他对外管理服务事项处理决定数量", null=True, blank=True)
    penalty_items_last_year = models.PositiveIntegerField("行政处罚上一年项目数量", null=True, blank=True)
    penalty_items_change = models.IntegerField("行政处罚本年增/减", null=True, blank=True)
    coercion_items_last_year = models.PositiveIntegerField("行政强制上一年项目数量", null=True, blank=True)
    coercion_items_change = models.IntegerField("行政强制本年增/减", null=True, blank=True)
    fee_items_last_year = models.PositiveIntegerField("行政事业性收费上一年项目数量", null=True, blank=True)
    fee_items_change = models.IntegerField("行政事业性收费本年增/减", null=True, blank=True)
    procurement_items = models.PositiveIntegerField("政府集中采购项目数量", null=True, blank=True)
    procurement_amount = models.DecimalField(
        "政府集中采购总金额", max_digits=16, decimal_places=4, null=True, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度统计数据（表二）"
        verbose_name_plural = "年度统计数据（表二）"
        ordering = ["agency", "-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="disclosure_unique_annual_figures")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年"
