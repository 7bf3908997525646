"""Agencies and who works in them in which role."""

from django.conf import settings
from django.db import models

from gongkai.domain.calendar import CONVENTION_LABELS
from gongkai.domain.roles import STAFF_ROLES, UNIT_ROLES

# The membership roles as model choices, made from the domain's one list (same names, values and labels).
Role = models.TextChoices("Role", [(r.name, (r.value, r.label)) for r in STAFF_ROLES], module=__name__)


REVIEW_BODY_HELP = (
    "答复书告知申请人向哪个机关申请行政复议。依照2023年修订的《中华人民共和国行政复议法》，县级以上地方各级"
    "人民政府工作部门的行政复议机关为本级人民政府（如“示范区人民政府”）；海关、金融、外汇管理等实行垂直领导的"
    "行政机关和税务、国家安全机关，为其上一级主管部门。留空则文书只写“依法申请行政复议”。"
)
COMPETENT_COURT_HELP = (
    "答复书告知申请人向哪个法院提起行政诉讼，如“示范区人民法院”。留空则文书只写“向人民法院提起行政诉讼”。"
)


class Agency(models.Model):
    """An administrative agency that discloses information, or an office that supervises some."""

    class Kind(models.TextChoices):
        AGENCY = "agency", "行政机关"
        SUPERVISOR = "supervisor", "政务公开主管部门"

    code = models.SlugField("机构代码", max_length=40, unique=True)
    name = models.CharField("机构名称", max_length=100, unique=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.AGENCY)
    supervised_by = models.ForeignKey(
        "self",
        verbose_name="上级政务公开主管部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_agencies",
        limit_choices_to={"kind": "supervisor"},
    )
    deadline_convention = models.CharField(
        "期限计算规则",
        max_length=1,
        choices=list(CONVENTION_LABELS.items()),
        default="A",
        help_text="非工作日收到申请时如何确定第0日；每个期限都会记录所用规则。",
    )
    sign_off_outcomes = models.JSONField(
        "需领导签发的办理结果",
        null=True,
        blank=True,
        help_text="办理结果代码列表；留空则采用默认：除“已主动公开”外的答复均需签发。",
    )
    sign_off_chains = models.JSONField(
        "签发顺序",
        null=True,
        blank=True,
        help_text="办理结果代码 → head_then_leader（办公室主任审核后局领导签发）、office_head 或 leader；未列出的按办公室主任审核后局领导签发。",
    )
    # 法制审核 / 保密审查 of a draft reply before sign-off (domain.applications.review); null: the default
    legal_review_outcomes = models.JSONField(
        "需法制审核的办理结果",
        null=True,
        blank=True,
        help_text="办理结果代码列表；留空则采用默认：部分公开和不予公开、无法提供、不予处理的答复均需法制审核。",
    )
    secrecy_review_outcomes = models.JSONField(
        "需保密审查的办理结果",
        null=True,
        blank=True,
        help_text="办理结果代码列表；留空则不进行保密审查。",
    )
    fee_pauses_reply_clock = models.BooleanField(
        "收费通知至缴费期间不计入答复期限",
        default=True,
        help_text="自发出收费通知之日起至申请人缴费之日止的期间不计入答复期限（国办函〔2020〕109号）。",
    )
    # Published contact details of the office that handles applications (the 政府信息公开工作机构):
    # printed in the guide, on receipts, letters and the public footer; blank when not set.
    address = models.CharField("办公地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    office_hours = models.CharField("办公时间", max_length=200, blank=True)
    contact_person = models.CharField("联系人", max_length=40, blank=True, help_text="答复书等文书中的联系人。")
    phone = models.CharField("联系电话", max_length=60, blank=True)
    fax = models.CharField("传真", max_length=60, blank=True)
    email = models.CharField("电子邮箱", max_length=120, blank=True)
    # Named in every letter's remedies paragraph (gongkai.applications.letters.remedies_for): a
    # decision that does not name the 复议机关 lets the review window run up to a year
    # (行政复议法 第二十条第三款).
    review_body = models.CharField("行政复议机关", max_length=100, blank=True, help_text=REVIEW_BODY_HELP)
    competent_court = models.CharField("管辖法院", max_length=100, blank=True, help_text=COMPETENT_COURT_HELP)
    # The internal deadline a unit is given when a case is routed to it (承办), unless the office sets
    # another; always capped before the statutory reply deadline (domain.applications.assignment).
    unit_deadline_days = models.PositiveSmallIntegerField(
        "承办单位内部办理期限（工作日）",
        default=10,
        help_text="交办承办单位时默认的内部办理期限，自交办之日起按工作日计算；始终早于法定答复期限。",
    )

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def names_remedy_bodies(self) -> bool:
        """Whether the letters name both the 复议机关 and the court (else the office head is warned)."""
        return bool(self.review_body.strip() and self.competent_court.strip())


_UNIT_ROLE_VALUES = sorted(r.value for r in UNIT_ROLES)


class Unit(models.Model):
    """A unit of an agency that holds information and answers the office's routing (承办):
    a 股室, a 直属单位 or a school."""

    class Kind(models.TextChoices):
        SECTION = "section", "股室"
        AFFILIATE = "affiliate", "直属单位"
        SCHOOL = "school", "学校"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units", verbose_name="机构")
    name = models.CharField("单位名称", max_length=100)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.SECTION)

    class Meta:
        verbose_name = "承办单位"
        verbose_name_plural = "承办单位"
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unique_unit_name")]

    def __str__(self) -> str:
        return f"{self.agency} · {self.name}"


class Membership(models.Model):
    """A user holds a role in an agency; one person may hold several roles."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships", verbose_name="机构")
    role = models.CharField("角色", max_length=40, choices=Role.choices)
    title = models.CharField("职务", max_length=60, blank=True)
    # Set for the unit roles (承办人, 股室负责人) only: the unit whose assigned cases the person sees.
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships", verbose_name="承办单位"
    )

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="unique_membership"),
            # a unit role is held in a unit, and only a unit role is
            models.CheckConstraint(
                condition=models.Q(role__in=_UNIT_ROLE_VALUES, unit__isnull=False)
                | (~models.Q(role__in=_UNIT_ROLE_VALUES) & models.Q(unit__isnull=True)),
                name="unit_role_has_unit",
                violation_error_message="承办人和股室负责人须指定承办单位；其他角色不指定承办单位。",
            ),
        ]
        ordering = ["agency__name", "role"]

    def __str__(self) -> str:
        return f"{self.agency} · {self.get_role_display()} · {self.user.get_full_name() or self.user.username}"
