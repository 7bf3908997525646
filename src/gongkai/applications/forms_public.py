"""The public application form (no account needed) and the status lookup form.

Every message is Chinese and attached to the field it concerns. There is deliberately no
purpose field: the 2019 条例 dropped the old requirement that a request serve the applicant's own
needs (第二十七条), so asking for a purpose would be asking for something the law does not.

Attachments are checked twice: by extension and by their first bytes (a ``.pdf`` that is really a
PNG is refused), each with its own message naming the file.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass

from django import forms

from gongkai.applications.checks import (
    CONTENT_TYPES,
    attachment_problem,
    clean_name,
    content_problem,
    credit_code_problem,
    resident_id_problem,
)
from gongkai.applications.forms_notices import check_notify_by, notify_by_field
from gongkai.applications.models import DeliveryChannel, DeliveryForm, IdDocument
from gongkai.domain.applications.delivery import DELIVERY_PAIRS, delivery_problem
from gongkai.domain.applications.tracking import QUERY_CODE_LENGTH, parse_tracking_number, tracking_number
from gongkai.domain.errors import DomainError
from gongkai.domain.outcomes import APPLICANT_TYPES

NATURAL_PERSON = "natural_person"
PERSONAL_DOCUMENTS = {IdDocument.RESIDENT_ID, IdDocument.PASSPORT, IdDocument.HK_MACAO_TAIWAN, IdDocument.OTHER}
ORGANISATION_DOCUMENTS = {IdDocument.CREDIT_CODE, IdDocument.OTHER}

MAX_ATTACHMENTS = 5
MIN_DESCRIPTION_CHARS = 5
MAX_DESCRIPTION_CHARS = 5000


@dataclass(frozen=True)
class CheckedAttachment:
    name: str
    content_type: str
    data: bytes


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.Field):
    """Several optional files; checked in the form, where each problem can name its file."""

    widget = MultipleFileInput

    def clean(self, value):
        if not value:
            return []
        return list(value) if isinstance(value, (list, tuple)) else [value]


# -- the application form -----------------------------------------------------------------------


class ApplicationForm(forms.Form):
    applicant_type = forms.ChoiceField(
        label="申请人类型",
        choices=list(APPLICANT_TYPES.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "请选择申请人类型", "invalid_choice": "请从列出的申请人类型中选择"},
    )
    applicant_name = forms.CharField(
        label="姓名或单位名称",
        max_length=200,
        help_text="自然人填写本人姓名；法人或其他组织填写单位全称。",
        error_messages={"required": "请填写申请人姓名或单位名称", "max_length": "姓名或单位名称不超过200字"},
    )
    contact_person = forms.CharField(
        label="联系人",
        max_length=100,
        required=False,
        help_text="以单位名义申请时必填。",
        error_messages={"max_length": "联系人姓名不超过100字"},
    )
    id_document_type = forms.ChoiceField(
        label="身份证明类型",
        choices=[("", "请选择")] + list(IdDocument.choices),
        error_messages={"required": "请选择身份证明类型", "invalid_choice": "请从列出的身份证明类型中选择"},
    )
    id_document_number = forms.CharField(
        label="身份证明号码",
        max_length=40,
        error_messages={"required": "请填写身份证明号码", "max_length": "身份证明号码不超过40位"},
    )
    phone = forms.CharField(
        label="联系电话",
        max_length=40,
        error_messages={"required": "请填写联系电话", "max_length": "联系电话不超过40位"},
    )
    email = forms.EmailField(
        label="电子邮箱",
        required=False,
        max_length=254,
        error_messages={"invalid": "请填写有效的电子邮箱地址，如name@example.com", "max_length": "电子邮箱地址过长"},
    )
    address = forms.CharField(
        label="通信地址", max_length=300, required=False, error_messages={"max_length": "通信地址不超过300字"}
    )
    postcode = forms.CharField(
        label="邮政编码", max_length=10, required=False, error_messages={"max_length": "邮政编码应为6位数字"}
    )
    description = forms.CharField(
        label="所需政府信息的名称或内容描述",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="请尽量写明信息的名称、形成时间、制作机关等，便于查找。",
        error_messages={"required": "请描述您需要的政府信息"},
    )
    document_number_hint = forms.CharField(
        label="文号（如知道）",
        max_length=100,
        required=False,
        error_messages={"max_length": "文号不超过100字"},
    )
    delivery_form = forms.ChoiceField(
        label="获取信息的形式",
        choices=DeliveryForm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择获取信息的形式", "invalid_choice": "请从列出的形式中选择"},
    )
    delivery_channel = forms.ChoiceField(
        label="获取信息的途径",
        choices=DeliveryChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择获取信息的途径", "invalid_choice": "请从列出的途径中选择"},
    )
    attachments = AttachmentsField(
        label="附件",
        required=False,
        help_text="可选，最多5个，每个不超过10MB；支持PDF、JPG、PNG、DOC、DOCX、TXT。",
    )
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)
    # A check digit that does not fit is usually a typing slip: the applicant is warned and may
    # correct it, or confirm the number as on the document (第二十九条 asks for 身份证明, not a
    # checksum); the office sees the note in the case log.
    accept_id_number = forms.BooleanField(label="号码与我的证件一致，仍按此号码提交", required=False)
    # issue 16 §7: the applicant may ask to be told when the receipt and the reply are ready
    notify_by = notify_by_field("受理和答复时通知我")

    # -- single fields --

    def clean_applicant_name(self) -> str:
        return self.cleaned_data["applicant_name"].strip()

    def clean_contact_person(self) -> str:
        return self.cleaned_data["contact_person"].strip()

    def clean_id_document_number(self) -> str:
        return re.sub(r"\s+", "", self.cleaned_data["id_document_number"]).upper()

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        digits = re.sub(r"\D", "", phone)
        if not re.fullmatch(r"\+?[\d\s\-()（）]+", phone) or not 7 <= len(digits) <= 20:
            raise forms.ValidationError("请填写有效的联系电话，如13800000000或010-12345678")
        return phone

    def clean_postcode(self) -> str:
        code = self.cleaned_data["postcode"].strip()
        if code and not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError("邮政编码应为6位数字")
        return code

    def clean_address(self) -> str:
        return self.cleaned_data["address"].strip()

    def clean_description(self) -> str:
        text = self.cleaned_data["description"].strip()
        if len(text) < MIN_DESCRIPTION_CHARS:
            raise forms.ValidationError(f"请具体描述您需要的政府信息，至少{MIN_DESCRIPTION_CHARS}个字")
        if len(text) > MAX_DESCRIPTION_CHARS:
            raise forms.ValidationError(f"描述不超过{MAX_DESCRIPTION_CHARS}字，您填写了{len(text)}字")
        return text

    def clean_document_number_hint(self) -> str:
        return self.cleaned_data["document_number_hint"].strip()

    def clean_submission_token(self) -> uuid.UUID | None:
        # A missing or altered token is no reason to refuse an application: it then simply has none.
        try:
            return uuid.UUID(self.cleaned_data["submission_token"])
        except (TypeError, ValueError):
            return None

    def clean_attachments(self) -> list[CheckedAttachment]:
        files = self.cleaned_data["attachments"]
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(f"最多上传{MAX_ATTACHMENTS}个附件，您选择了{len(files)}个")
        checked: list[CheckedAttachment] = []
        problems: list[str] = []
        for f in files:
            name = clean_name(f.name)
            problem = attachment_problem(name, f.size)
            if problem is None:
                data = f.read()
                problem = content_problem(name, data)
            if problem is not None:
                problems.append(problem)
                continue
            ext = name.rsplit(".", 1)[-1].lower()
            checked.append(CheckedAttachment(name[:200], CONTENT_TYPES[ext], data))
        if problems:
            raise forms.ValidationError(problems)
        return checked

    # -- fields that depend on each other --

    def clean(self):
        data = super().clean()
        kind, doc, number = data.get("applicant_type"), data.get("id_document_type"), data.get("id_document_number")
        if kind and kind != NATURAL_PERSON and not data.get("contact_person"):
            self.add_error("contact_person", "以单位名义申请时请填写联系人")
        if kind and doc:
            if kind == NATURAL_PERSON and doc not in PERSONAL_DOCUMENTS:
                self.add_error("id_document_type", "自然人请选择居民身份证、护照等个人身份证明")
                doc = None
            elif kind != NATURAL_PERSON and doc not in ORGANISATION_DOCUMENTS:
                self.add_error("id_document_type", "以单位名义申请时请选择统一社会信用代码证或其他身份证明")
                doc = None
        if doc and number:
            problem = None
            if doc == IdDocument.RESIDENT_ID:
                problem = resident_id_problem(number)
            elif doc == IdDocument.CREDIT_CODE:
                problem = credit_code_problem(number)
            elif not re.fullmatch(r"[0-9A-Z\-()（）]{4,40}", number):
                problem = "身份证明号码应为4至40位字母或数字"
            if problem and doc in (IdDocument.RESIDENT_ID, IdDocument.CREDIT_CODE) and data.get("accept_id_number"):
                self.id_number_warning = f"身份证明号码{number}未通过校验（{problem}），申请人确认与证件一致"
            elif problem and doc in (IdDocument.RESIDENT_ID, IdDocument.CREDIT_CODE):
                self.add_error(
                    "id_document_number",
                    f"{problem}。如号码确与证件一致，请勾选下方“{self.fields['accept_id_number'].label}”",
                )
                self.id_number_needs_confirmation = True
            elif problem:
                self.add_error("id_document_number", problem)
        channel, form = data.get("delivery_channel"), data.get("delivery_form")
        if channel == DeliveryChannel.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "选择通过电子邮件获取时，请填写电子邮箱")
        check_notify_by(self, data)
        if channel == DeliveryChannel.POST and not data.get("address"):
            self.add_error("address", "选择邮寄时，请填写通信地址")
        problem = delivery_problem(form, channel) if form and channel else None
        if problem:
            self.add_error("delivery_channel", problem)
        return data

    @property
    def delivery_pairs_json(self) -> str:
        """The pairs the page's script filters the channels by (the server checks them again)."""
        return json.dumps({f: list(c) for f, c in DELIVERY_PAIRS.items()})

    @property
    def registration_note(self) -> str:
        return getattr(self, "id_number_warning", "")

    def applicant(self) -> dict[str, str]:
        """The applicant fields as application_submit takes them."""
        names = (
            "applicant_type",
            "applicant_name",
            "contact_person",
            "id_document_type",
            "id_document_number",
            "phone",
            "email",
            "address",
            "postcode",
            "description",
            "document_number_hint",
            "delivery_form",
            "delivery_channel",
        )
        return {n: self.cleaned_data.get(n) or "" for n in names}

    def attachment_triples(self) -> list[tuple[str, str, bytes]]:
        return [(a.name, a.content_type, a.data) for a in self.cleaned_data.get("attachments") or []]


# -- the status lookup --------------------------------------------------------------------------


class _NotEchoed(forms.TextInput):
    """A text box that never shows what was typed again: a wrong query code is not put back in the page."""

    def format_value(self, value):
        return None


class LookupForm(forms.Form):
    number = forms.CharField(
        label="申请编号",
        max_length=40,
        help_text="回执上的申请编号，形如YSQ-2026-000001。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "YSQ-2026-000001"}),
        error_messages={"required": "请填写申请编号", "max_length": "申请编号格式不正确"},
    )
    code = forms.CharField(
        label="查询码",
        max_length=40,
        help_text=f"提交申请时显示的{QUERY_CODE_LENGTH}位查询码，不区分大小写。",
        widget=_NotEchoed(attrs={"autocomplete": "off"}),
        error_messages={"required": "请填写查询码", "max_length": "申请编号或查询码不正确"},
    )

    def clean_number(self) -> str:
        try:
            year, seq = parse_tracking_number(self.cleaned_data["number"])
        except DomainError as err:
            raise forms.ValidationError(err.message) from None
        return tracking_number(year, seq)
