"""Writes of the review and litigation register. Every write is one transaction.

- ``review_case_register``: a new review (行政复议) or lawsuit (行政诉讼), pending (尚未审结); a form's
  ``submission_token`` seen before returns the case it registered (a double click registers one case).
- ``review_case_update``: correct what was registered (not the result: that is ``review_case_conclude``).
- ``review_case_conclude``: the result (维持 / 纠正 / 其他) and the date it was decided.
- ``review_document_add``: a file of the case (复议申请书, 决定书, 起诉状, 判决书…), type and size checked.

What a case must look like to be counted in table 四 is the domain's to say: every write builds the
domain's ``ReviewCaseForCount`` from the values it is about to store, so a case the report could
not count is never stored. The checks here add what only the database knows (same agency, the
linked review) and place each message on the field it concerns.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from gongkai.accounts.models import Agency
from gongkai.accounts.selectors import actor_label
from gongkai.applications.models import Application
from gongkai.applications.services import application_re_reply
from gongkai.domain.annual_report.litigation import KIND_LABELS, RESULT_LABELS, STAGE_LABELS, ReviewCaseForCount
from gongkai.domain.disclosure.attachments import AttachmentError, check_attachment, clean_name
from gongkai.domain.errors import DomainError
from gongkai.litigation.models import PENDING, DocumentType, ReviewCase, ReviewDocument

REVIEW, LITIGATION = "review", "litigation"
DIRECT, AFTER_REVIEW = "direct", "after_review"
CORRECTED = "corrected"
# Court and review papers come as scans or Word files; spreadsheets are no such paper.
DOCUMENT_EXTENSIONS = frozenset({"pdf", "doc", "docx", "jpg", "jpeg", "png"})
DOCUMENT_TYPES_LABEL = "PDF、Word（doc/docx）、JPG、PNG"

EDITABLE_FIELDS = (
    "kind",
    "case_number",
    "body",
    "applicant_name",
    "application",
    "filed_on",
    "stage",
    "prior_review",
    "notes",
    "copy_received_on",
    "answered_on",
)


class ReviewCaseError(DomainError):
    """A value of a review or lawsuit is missing or does not fit; ``field`` names it for the form."""

    code = "review_case_error"

    def __init__(self, field: str | None, message: str):
        self.field = field
        super().__init__(message)


class SubmissionTokenUsed(ReviewCaseError):
    """The form's token already registered a case of another agency: the form was sent again, changed."""

    code = "review_case_token_used"

    def __init__(self):
        super().__init__(None, "这份登记表已用于登记其他机关的案件，未重复登记。请核对机关后重新提交。")


def _text(value: Any) -> str:
    return (value or "").strip()


def _check(values: dict[str, Any], *, agency: Agency, today: date, case: ReviewCase | None = None) -> None:
    """Every rule a stored case keeps, in the order a clerk reads the form; raise at the first broken one."""
    kind, stage = values["kind"], values["stage"]
    if kind not in KIND_LABELS:
        raise ReviewCaseError("kind", "请选择类别：行政复议或行政诉讼")
    if not values["body"]:
        raise ReviewCaseError("body", "请填写复议机关或受理法院")
    if not values["applicant_name"]:
        raise ReviewCaseError("applicant_name", "请填写申请人或原告")
    filed_on = values["filed_on"]
    if filed_on is None:
        raise ReviewCaseError("filed_on", "请填写申请复议或立案日期")
    if filed_on > today:
        raise ReviewCaseError("filed_on", f"申请复议或立案日期（{filed_on:%Y-%m-%d}）不能晚于今天")
    application: Application | None = values["application"]
    if application is not None and application.agency_id != agency.pk:
        raise ReviewCaseError("application", f"申请{application.tracking_number}不是本机关受理的申请")
    if kind == REVIEW and stage:
        raise ReviewCaseError("stage", "行政复议案件不区分起诉情形，请清空“起诉情形”")
    if kind == LITIGATION and stage not in STAGE_LABELS:
        raise ReviewCaseError("stage", "行政诉讼案件请选择起诉情形：未经复议直接起诉或复议后起诉")
    prior: ReviewCase | None = values["prior_review"]
    if prior is not None:
        if kind != LITIGATION or stage != AFTER_REVIEW:
            raise ReviewCaseError("prior_review", "只有“复议后起诉”的案件才能关联此前的行政复议")
        if prior.agency_id != agency.pk or prior.kind != REVIEW or (case is not None and prior.pk == case.pk):
            raise ReviewCaseError("prior_review", "关联的案件应为本机关登记的行政复议案件")
        if prior.filed_on > filed_on:
            raise ReviewCaseError(
                "filed_on", f"复议后起诉的立案日期不能早于此前行政复议的申请日期（{prior.filed_on:%Y-%m-%d}）"
            )
    if case is not None and kind != REVIEW and case.later_suits.exists():
        raise ReviewCaseError("kind", "已有复议后起诉的案件关联本案，本案只能是行政复议")
    concluded_on = values["concluded_on"]
    if concluded_on is not None:
        if concluded_on < filed_on:
            field = "concluded_on" if case is None or case.concluded_on != concluded_on else "filed_on"
            raise ReviewCaseError(
                field, f"审结日期（{concluded_on:%Y-%m-%d}）不能早于申请复议或立案日期（{filed_on:%Y-%m-%d}）"
            )
        if concluded_on > today:
            raise ReviewCaseError("concluded_on", f"审结日期（{concluded_on:%Y-%m-%d}）不能晚于今天")
    copy, answered = values.get("copy_received_on"), values.get("answered_on")
    if copy is not None and copy < filed_on:
        raise ReviewCaseError("copy_received_on", f"收到副本的日期（{copy:%Y-%m-%d}）不能早于申请复议或立案日期")
    if copy is not None and copy > today:
        raise ReviewCaseError("copy_received_on", f"收到副本的日期（{copy:%Y-%m-%d}）不能晚于今天")
    if answered is not None and (copy is None or answered < copy):
        raise ReviewCaseError("answered_on", "请先填写收到副本的日期；提交日期不能早于收到副本的日期")
    if values["result"] == CORRECTED and not values["correction_note"]:
        raise ReviewCaseError("correction_note", "结果为纠正的，请说明纠正的内容（如责令重新答复、确认违法）")
    # the domain's own word on whether table 四 can count the case
    ReviewCaseForCount(
        kind=kind,
        filed_on=filed_on,
        stage=stage or None,
        result=values["result"],
        concluded_on=concluded_on,
    )


def _values(fields: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    values = {**base, **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS}}
    for name in ("case_number", "body", "applicant_name", "stage", "notes", "correction_note"):
        values[name] = _text(values.get(name))
    if not values["applicant_name"] and values.get("application") is not None:
        values["applicant_name"] = values["application"].applicant_name
    return values


@transaction.atomic
def review_case_register(
    *,
    agency: Agency,
    kind: str,
    body: str,
    filed_on: date | None,
    applicant_name: str = "",
    case_number: str = "",
    application: Application | None = None,
    stage: str = "",
    prior_review: ReviewCase | None = None,
    notes: str = "",
    copy_received_on: date | None = None,
    answered_on: date | None = None,
    created_by=None,
    submission_token: uuid.UUID | None = None,
    today: date,
) -> ReviewCase:
    """Register a review or lawsuit as pending (尚未审结); the applicant defaults to the application's.

    A ``submission_token`` that already registered a case of ``agency`` returns that case, unchanged;
    ``newly_registered`` on the returned case says which happened. The same token on another agency's
    case is refused (``SubmissionTokenUsed``)."""
    if submission_token is not None:
        earlier = _registered_with(submission_token, agency)
        if earlier is not None:
            return earlier
    values = _values(
        {
            "kind": kind,
            "body": body,
            "filed_on": filed_on,
            "applicant_name": applicant_name,
            "case_number": case_number,
            "application": application,
            "stage": stage,
            "prior_review": prior_review,
            "notes": notes,
            "copy_received_on": copy_received_on,
            "answered_on": answered_on,
        },
        {"result": PENDING, "concluded_on": None, "correction_note": ""},
    )
    _check(values, agency=agency, today=today)
    case = ReviewCase(agency=agency, created_by=created_by, submission_token=submission_token, **values)
    case._history_user = created_by
    case._change_reason = f"{actor_label(created_by)}登记"
    try:
        with transaction.atomic():  # a savepoint: the outer transaction stays usable after a lost race
            case.save()
    except IntegrityError:
        # a second request with the same token committed its case between our look-up and our insert
        earlier = _registered_with(submission_token, agency) if submission_token is not None else None
        if earlier is None:
            raise
        return earlier
    case.newly_registered = True
    return case


def _registered_with(token: uuid.UUID, agency: Agency) -> ReviewCase | None:
    earlier = ReviewCase.objects.filter(submission_token=token).first()
    if earlier is None:
        return None
    if earlier.agency_id != agency.pk:
        raise SubmissionTokenUsed()
    earlier.newly_registered = False
    return earlier


@transaction.atomic
def review_case_update(*, case: ReviewCase, actor, today: date, **fields: Any) -> ReviewCase:
    """Change what was registered; the result stays as concluded. Unknown field names are refused."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    locked = ReviewCase.objects.select_for_update().select_related("agency").get(pk=case.pk)
    current = {name: getattr(locked, name) for name in (*EDITABLE_FIELDS, "result", "concluded_on", "correction_note")}
    values = _values(fields, current)
    _check(values, agency=locked.agency, today=today, case=locked)
    changed = [name for name in EDITABLE_FIELDS if values[name] != current[name]]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, values[name])
    locked._history_user = actor
    locked._change_reason = f"{actor_label(actor)}修改登记信息"
    locked.save(update_fields=[*changed, "updated_at"])
    return locked


@transaction.atomic
def review_case_conclude(
    *,
    case: ReviewCase,
    result: str,
    concluded_on: date | None,
    correction_note: str = "",
    actor,
    today: date,
    re_reply_ordered: bool = False,
    decision_received_on: date | None = None,
    re_reply_until: date | None = None,
) -> ReviewCase:
    """Record the result and the day it was decided (复议决定、判决或裁定作出之日).

    A 纠正 that orders the agency to answer again (``re_reply_ordered``) opens the new reply of the
    linked application (``applications.services.application_re_reply``), due on ``re_reply_until``
    or else 20 working days from ``decision_received_on``.

    A concluded case can be concluded again to correct a wrong entry; the history keeps both."""
    if result not in RESULT_LABELS or result == PENDING:
        raise ReviewCaseError("result", "请选择结果：维持、纠正或其他")
    if concluded_on is None:
        raise ReviewCaseError("concluded_on", "请填写审结日期（复议决定、判决或裁定作出之日）")
    locked = ReviewCase.objects.select_for_update().select_related("agency").get(pk=case.pk)
    values = {name: getattr(locked, name) for name in EDITABLE_FIELDS}
    values.update(
        result=result, concluded_on=concluded_on, correction_note=_text(correction_note) if result == CORRECTED else ""
    )
    _check(values, agency=locked.agency, today=today, case=locked)
    was = locked.get_result_display() if not locked.is_pending else ""
    locked.result, locked.concluded_on, locked.correction_note = (
        values["result"],
        concluded_on,
        values["correction_note"],
    )
    changed = ["result", "concluded_on", "correction_note", "updated_at"]
    if re_reply_ordered:
        # 纠正 ordering a new reply: the application is answered again, with its own deadline
        if result != CORRECTED:
            raise ReviewCaseError("re_reply_ordered", "只有结果为纠正的，才会责令重新答复")
        if locked.application is None:
            raise ReviewCaseError(
                "re_reply_ordered", "本案未关联所涉申请，无法登记重新答复；请先在登记信息中填写所涉申请编号"
            )
        if decision_received_on is None or decision_received_on < concluded_on or decision_received_on > today:
            raise ReviewCaseError(
                "decision_received_on", "请填写收到决定书或裁判文书的日期（不早于审结日期，不晚于今天）"
            )
        try:
            new = application_re_reply(
                original=locked.application,
                decision_received_on=decision_received_on,
                ordered_until=re_reply_until,
                actor=actor,
                today=today,
            )
        except DomainError as err:
            raise ReviewCaseError("re_reply_until", err.message) from None
        locked.re_reply, locked.decision_received_on, locked.re_reply_until = new, decision_received_on, re_reply_until
        changed += ["re_reply", "decision_received_on", "re_reply_until"]
    locked._history_user = actor
    label = RESULT_LABELS[result]
    locked._change_reason = (
        f"{actor_label(actor)}更正审结结果：{was} → {label}" if was else f"{actor_label(actor)}登记审结结果：{label}"
    )
    locked.save(update_fields=changed)
    return locked


def review_document_add(*, case: ReviewCase, doc_type: str, name: str, data: bytes, actor) -> ReviewDocument:
    """Store a file of the case after checking its type (name and first bytes) and size.

    The stored name is random; the content type served later is the checked kind's, never the upload's."""
    if doc_type not in DocumentType.values:
        raise ReviewCaseError("doc_type", "请选择文书类型")
    kind = check_attachment(name, data)
    if kind.ext not in DOCUMENT_EXTENSIONS:
        raise AttachmentError(f"文书“{clean_name(name)}”的类型不支持，只接受{DOCUMENT_TYPES_LABEL}文件")
    stored: ReviewDocument | None = None
    try:
        with transaction.atomic():
            locked = ReviewCase.objects.select_for_update().get(pk=case.pk)
            doc = ReviewDocument(
                case=locked,
                doc_type=doc_type,
                original_name=clean_name(name),
                content_type=kind.content_type,
                size=len(data),
                uploaded_by=actor,
            )
            doc.file.save(f"{uuid.uuid4().hex}.{kind.ext}", ContentFile(data), save=False)
            stored = doc
            doc.save()
            ReviewCase.objects.filter(pk=locked.pk).update(updated_at=doc.uploaded_at)
        return doc
    except BaseException:
        if stored is not None and stored.file.name:
            stored.file.storage.delete(stored.file.name)  # the row is rolled back: remove the file too
        raise
