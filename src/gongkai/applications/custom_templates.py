"""An agency's own letter templates: upload (checked by rendering a sample), preview, reset.

The office head replaces the wording of a letter kind by uploading a .docx on the letter-templates
page (/work/applications/letter-templates/). An upload is kept only when it is a real Word document
and renders without error for a sample holding every variable a letter may print: a Jinja syntax
error, or a variable no letter has (a typo such as ``{{ aplicant_name }}``), is reported in Chinese
with the text around it, so a broken template never reaches a case. The stored template
(``LetterTemplate``) is then what :func:`gongkai.applications.letters.generate_letter` renders; the
reset deletes it and the shipped template applies again.

The preview renders the template in use for the agency's newest case that called for that letter
(its real context, as a letter generated now would read), else for a fabricated sample case.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from jinja2 import Environment, StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError

from gongkai.applications import letters
from gongkai.applications.checks import is_docx
from gongkai.applications.letters import BLANK, LetterKind
from gongkai.applications.models import Letter, LetterTemplate
from gongkai.domain.applications.letters import remedies_text, third_party_remedies_text
from gongkai.domain.fields import FieldError

MAX_BYTES = 5 * 1024 * 1024
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def sample_context(kind: LetterKind | str, agency) -> dict[str, Any]:
    """A fabricated case's context for ``kind``: every variable any letter may print (see the
    letters module's list), so a template is checked against all the names it could use."""
    kind = LetterKind(kind)
    third_party = kind is LetterKind.THIRD_PARTY_DISCLOSURE_NOTICE
    return {
        # every template
        "agency_name": agency.name,
        "tracking_number": "YSQ-2026-0001",
        "reference_number": "示教信公〔2026〕1号",
        "applicant_name": "张三（示例）",
        "received_on": "2026年3月2日",
        "description": "2026年示范区义务教育招生划片方案",
        "letter_date": "2026年3月20日",
        "contact_person": agency.contact_person or BLANK,
        "contact_phone": agency.phone or BLANK,
        "remedies": (third_party_remedies_text if third_party else remedies_text)(
            agency.review_body, agency.competent_court
        ),
        # correction_notice, reason_request, delay_period_notice
        "items": ["请写明所需政府信息的名称或者文号", "请说明所涉及的年份"],
        "correction_period": "本告知书发出之日起10个工作日内（即2026年3月17日前）",
        "requested_on": "2026年3月3日",
        "reply_until": "2026年4月30日",
        "notified_on": "2026年3月10日",
        # consultations and the third party's notice
        "party": "某培训机构（示例）",
        "sent_on": "2026年3月4日",
        "delivered_on": "2026年3月5日",
        "consultation_due": "2026年3月26日",
        "ended_on": "2026年3月20日",
        "partial": False,
        "disclosed_content": BLANK,
        "public_interest_reason": BLANK,
        # extension_notice
        "reason": "需调取历年档案",
        "working_days": 20,
        "original_due": "2026年3月30日",
        "new_due": "2026年4月28日",
        # fee_notice
        "method_label": "按量计收",
        "explanation": "第31—100页的部分10元/页",
        "amount": 700,
        "amount_in_words": "柒佰元整",
        "pay_due": "2026年4月14日",
        "payment_method": BLANK + "（请填写缴款账户或者缴款码）",
        "notice_received_on": "2026年3月16日",
        # reply_*
        "outcome_label": "予以公开",
        "family_label": "予以公开",
        "decision": "您申请获取的政府信息属于公开范围，本机关予以公开。",
        "basis_citation": "《中华人民共和国政府信息公开条例》第三十六条（二）",
        "legal_basis": "第三十六条（二）",
        "legal_basis_note": "",
        "provides": True,
        "delivery_form": "电子文档",
        "delivery_channel": "电子邮件",
        "withheld_reason": BLANK,
        "reply_date": "2026年3月20日",
        "responsible_known": True,
        "responsible_agency": "示范区市场监督管理局（示例）",
        "responsible_agency_contact": "010-12345678",
    }


def _error_text(err: TemplateError) -> str:
    """The Jinja error in Chinese, with the document's text around it when docxtpl gives it."""
    if isinstance(err, UndefinedError):
        name = str(err.message or "").split("'")[1] if "'" in str(err.message or "") else str(err.message)
        what = f"使用了文书中没有的变量“{name}”（请核对拼写，可用的变量见本页列表）"
    elif isinstance(err, TemplateSyntaxError):
        message = err.message or ""
        if "unexpected end of template" in message or "Unexpected end of template" in message:
            what = "标签没有结束（{% if %} 缺少 {% endif %}，或 {% for %} 缺少 {% endfor %}）"
        elif "unknown tag" in message:
            what = "使用了无法识别的标签"
        else:
            what = "模板标签的写法有误"
        what += f"（{message}）"
    else:
        what = f"模板无法生成文书（{err}）"
    around = [line.strip() for line in getattr(err, "docx_context", None) or () if line.strip()]
    if around:
        what += "；出错位置附近的文字：" + " / ".join(around)[:200]
    return "模板" + what


def check_template(kind: LetterKind | str, name: str, data: bytes, *, agency) -> None:
    """Refuse (FieldError, Chinese) what is not a .docx, or does not render the sample."""
    from docxtpl import DocxTemplate

    if Path(name or "").suffix.lower() != ".docx":
        raise FieldError("file", "模板应为Word（.docx）文件；.doc 文件请先在Word中另存为 .docx")
    if not data:
        raise FieldError("file", "上传的文件是空的")
    if len(data) > MAX_BYTES:
        raise FieldError(
            "file", f"文件过大（{len(data) / 1024 / 1024:.1f}MB），模板不能超过{MAX_BYTES // 1024 // 1024}MB"
        )
    if not is_docx(data):
        raise FieldError("file", "文件内容不是Word（.docx）文档")
    env = Environment(undefined=StrictUndefined)
    try:
        DocxTemplate(io.BytesIO(data)).render(sample_context(kind, agency), env, autoescape=True)
    except TemplateError as err:
        raise FieldError("file", _error_text(err)) from None
    except Exception as err:  # a damaged package inside the zip: python-docx/lxml errors
        raise FieldError("file", f"无法读取该Word文档（{type(err).__name__}），请在Word中重新保存后上传") from None


@transaction.atomic
def save_template(*, agency, kind: LetterKind | str, name: str, data: bytes, user) -> LetterTemplate:
    kind = LetterKind(kind)
    check_template(kind, name, data, agency=agency)
    template, _ = LetterTemplate.objects.update_or_create(
        agency=agency,
        kind=kind.value,
        defaults={"content": data, "file_name": Path(name).name[:200], "uploaded_by": user},
    )
    return template


@transaction.atomic
def reset_template(*, agency, kind: LetterKind | str) -> bool:
    """Back to the shipped template; True when there was an uploaded one."""
    deleted, _ = LetterTemplate.objects.filter(agency=agency, kind=LetterKind(kind).value).delete()
    return bool(deleted)


@dataclass(frozen=True)
class Preview:
    data: bytes
    sample: str  # what it was rendered for, in Chinese


def preview(*, agency, kind: LetterKind | str) -> Preview:
    """The template in use rendered for the agency's newest case that called for this letter, else
    for the fabricated sample."""
    kind = LetterKind(kind)
    source = letters.template_source(kind, agency)
    newest = (
        Letter.objects.filter(application__agency=agency, kind=kind.value, event__isnull=False)
        .select_related("application", "event")
        .order_by("-created_at", "-id")
        .first()
    )
    if newest is not None:
        try:
            context = letters.letter_context(application=newest.application, kind=kind, event=newest.event)
        except Exception:  # noqa: BLE001 - a case the context cannot be rebuilt for: use the sample
            context = None
        if context is not None:
            context["reference_number"] = newest.reference_number or BLANK
            return Preview(
                letters.render_docx(source, context), f"按本机关申请{newest.application.tracking_number}生成"
            )
    return Preview(letters.render_docx(source, sample_context(kind, agency)), "按虚拟示例申请生成")


def template_bytes(*, agency, kind: LetterKind | str) -> bytes:
    """The template file in use, to download and edit in Word."""
    source = letters.template_source(kind, agency)
    return source.getvalue() if isinstance(source, io.BytesIO) else Path(source).read_bytes()


def templates_of(agency) -> list[tuple[LetterKind, LetterTemplate | None]]:
    uploaded = {t.kind: t for t in LetterTemplate.objects.filter(agency=agency).defer("content")}
    return [(kind, uploaded.get(kind.value)) for kind in LetterKind]


VARIABLES_HELP = (
    (
        "所有文书",
        "agency_name（本机关名称）、tracking_number（申请编号）、reference_number（文书编号）、applicant_name（申请人）、"
        "received_on（收到申请日期）、description（所需信息）、letter_date（文书日期）、contact_person（联系人）、"
        "contact_phone（联系电话）、remedies（救济途径，写明行政复议机关和管辖法院）",
    ),
    (
        "补正告知书",
        "items（需补正的事项，列表：{% for item in items %}{{ item }}{% endfor %}）、correction_period、requested_on",
    ),
    ("说明理由、延迟答复", "requested_on、reply_until、notified_on"),
    (
        "征求意见、决定公开告知",
        "party、sent_on、delivered_on、consultation_due、ended_on、partial、disclosed_content、public_interest_reason",
    ),
    ("延期答复告知书", "reason、working_days、original_due、new_due"),
    ("收费通知", "method_label、explanation、amount、amount_in_words、pay_due、payment_method、notice_received_on"),
    (
        "答复书",
        "outcome_label、family_label、decision、basis_citation、legal_basis、legal_basis_note、provides、delivery_form、"
        "delivery_channel、withheld_reason、reply_date；非本机关答复另有 responsible_known、responsible_agency、"
        "responsible_agency_contact",
    ),
)
