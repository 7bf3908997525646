"""The public application form (no account needed) and the status lookup form.

Every message is Chinese and attached to the field it concerns. There is deliberately no
purpose field: the 2019 条例 dropped the old requirement that a request serve the applicant's own
needs (第二十七条), so asking for a purpose would be asking for something the law does not.

Attachments are checked twice: by extension and by their first bytes (a ``.pdf`` that is really a
PNG is refused), each with its own message naming the file.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date

from django import forms

from gongkai.applications.models import DeliveryChannel, DeliveryForm, IdDocument
from gongkai.domain.errors import DomainError
from gongkai.domain.outcomes import APPLICANT_TYPES
from gongkai.domain.applications.tracking import QUERY_CODE_LENGTH, parse_tracking_number, tracking_number

NATURAL_PERSON = "natural_person"
PERSONAL_DOCUMENTS = {IdDocument.RESIDENT_ID, IdDocument.PASSPORT, IdDocument.HK_MACAO_TAIWAN, IdDocument.OTHER}
ORGANISATION_DOCUMENTS = {IdDocument.CREDIT_CODE, IdDocument.OTHER}

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MIN_DESCRIPTION_CHARS = 5
MAX_DESCRIPTION_CHARS = 5000


# -- identity documents -------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# GB 32100-2015: the 31 symbols of the unified social credit code (no I, O, Z, S, V).
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def resident_id_problem(number: str) -> str | None:
    """Why an 18-character 居民身份证 number (GB 11643-1999) is invalid, or None."""
    if len(number) != 18:
        return f"居民身份证号码应为18位，您填写了{len(number)}位"
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return "居民身份证号码前17位应为数字，最后一位为数字或X"
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "居民身份证号码中的出生日期不正确，请核对"
    if born.year < 1900:
        return "居民身份证号码中的出生日期不正确，请核对"
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    if _ID_CHECK[total % 11] != number[17]:
        return "居民身份证号码校验位不正确，请核对后重新填写"
    return None


def credit_code_problem(code: str) -> str | None:
    """Why an 18-character 统一社会信用代码 (GB 32100-2015) is invalid, or None."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，您填写了{len(code)}位"
    if any(ch not in _CREDIT_ALPHABET for ch in code):
        return "统一社会信用代码只含数字和大写字母（不含I、O、Z、S、V），请核对"
    total = sum(_CREDIT_ALPHABET.index(ch) * w for ch, w in zip(code[:17], _CREDIT_WEIGHTS))
    check = (31 - total % 31) % 31
    if _CREDIT_ALPHABET[check] != code[17]:
        return "统一社会信用代码校验位不正确，请核对后重新填写"
    return None


# -- attachments --------------------------------------------------------------------------------

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain",
}
_KIND_LABELS = {"pdf": "PDF", "jpg": "JPG图片", "jpeg": "JPG图片", "png": "PNG图片", "doc": "Word（.doc）", "docx": "Word（.docx）", "txt": "纯文本"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", _OLE2, b"PK\x03\x04", b"MZ", b"\x7fELF", b"GIF8")


def _is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def _is_text(data: bytes) -> bool:
    if b"\x00" in data or data.startswith(_BINARY_MAGIC):
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


_SNIFFERS = {
    "pdf": lambda d: b"%PDF-" in d[:1024],
    "jpg": lambda d: d.startswith(b"\xff\xd8\xff"),
    "jpeg": lambda d: d.startswith(b"\xff\xd8\xff"),
    "png": lambda d: d.startswith(b"\x89PNG\r\n\x1a\n"),
    "doc": lambda d: d.startswith(_OLE2),
    "docx": _is_docx,
    "txt": _is_text,
}


def _clean_name(name: str) -> str:
    # browsers send a bare name, but some old ones send a path
    return re.split(r"[\\/]", name or "")[-1].strip() or "附件"


def attachment_problem(name: str, size: int) -> str | None:
    """What is wrong with a file judging by its name and size alone (before reading it)."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in CONTENT_TYPES:
        return f"附件“{name}”的类型不支持，只接受PDF、JPG、PNG、DOC、DOCX、TXT文件"
    if size > MAX_ATTACHMENT_BYTES:
        return f"附件“{name}”超过10MB（{size / 1024 / 1024:.1f}MB），请压缩或拆分后上传"
    if size == 0:
        return f"附件“{name}”是空文件"
    return None


def content_problem(name: str, data: bytes) -> str | None:
    ext = name.rsplit(".", 1)[-1].lower()
    if not _SNIFFERS[ext](data):
        return f"附件“{name}”的内容与扩展名不符，不是有效的{_KIND_LABELS[ext]}文件"
    return None


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
            name = _clean_name(f.name)
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
            if problem:
                self.add_error("id_document_number", problem)
        channel, form = data.get("delivery_channel"), data.get("delivery_form")
        if channel == DeliveryChannel.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "选择通过电子邮件获取时，请填写电子邮箱")
        if channel == DeliveryChannel.POST and not data.get("address"):
            self.add_error("address", "选择邮寄时，请填写通信地址")
        if form == DeliveryForm.INSPECT and channel and channel != DeliveryChannel.PICKUP:
            self.add_error("delivery_channel", "选择当场查阅、抄录时，获取途径请选择“当面领取”")
        if form == DeliveryForm.PAPER and channel in (DeliveryChannel.EMAIL, DeliveryChannel.ONLINE):
            self.add_error("delivery_channel", "纸质形式请选择邮寄或当面领取")
        return data

    def applicant(self) -> dict[str, str]:
        """The applicant fields as application_submit takes them."""
        names = (
            "applicant_type", "applicant_name", "contact_person", "id_document_type", "id_document_number", "phone",
            "email", "address", "postcode", "description", "document_number_hint", "delivery_form", "delivery_channel",
        )
        return {n: self.cleaned_data.get(n) or "" for n in names}

    def attachment_triples(self) -> list[tuple[str, str, bytes]]:
        return [(a.name, a.content_type, a.data) for a in self.cleaned_data.get("attachments") or []]


# -- the status lookup --------------------------------------------------------------------------


class LookupForm(forms.Form):
    number = forms.CharField(
        label="申请编号",
        max_length=40,
        help_text="回执上的申请编号，形如YSQ-2026-000001。",
        error_messages={"required": "请填写申请编号", "max_length": "申请编号格式不正确"},
    )
    code = forms.CharField(
        label="查询码",
        max_length=40,
        help_text=f"提交申请时显示的{QUERY_CODE_LENGTH}位查询码，不区分大小写。",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "请填写查询码", "max_length": "申请编号或查询码不正确"},
    )

    def clean_number(self) -> str:
        try:
            year, seq = parse_tracking_number(self.cleaned_data["number"])
        except DomainError as err:
            raise forms.ValidationError(err.message) from None
        return tracking_number(year, seq)
