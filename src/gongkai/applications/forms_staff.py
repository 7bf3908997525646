"""Forms of the staff pages: registering an application, and the form of each workflow action.

The action form is built from the domain's transition table: the fields come from
``transition_for(state, action).field_names`` and their kinds, labels and choices from
``FIELD_SPECS``. The form only turns text into Python values; whether a field is required, in
range and consistent with the others is the domain's to say (``FieldError`` with Chinese text),
so every rule has one home.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

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
from gongkai.applications.models import Application, IdDocument
from gongkai.applications.services import APPLICANT_FIELDS
from gongkai.domain.applications.delivery import delivery_problem
from gongkai.domain.applications.letters import REPLY_DETAIL_FIELDS
from gongkai.domain.applications.receipt import DATE_LABELS, Channel
from gongkai.domain.applications.workflow import FIELD_SPECS, Action, Transition
from gongkai.domain.fields import FieldKind, FieldSpec
from gongkai.domain.outcomes import outcome

CONFIRM_LABEL = "我已确认此操作不可撤销"
CONFIRM_REQUIRED = "此操作不可撤销，请勾选“我已确认此操作不可撤销”后再提交"

_DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _messages(label: str, kind: str = "") -> dict[str, str]:
    messages = {"required": f"请填写“{label}”"}
    if kind == "date":
        messages["invalid"] = f"“{label}”应为日期，格式如2025-09-01"
    elif kind == "integer":
        messages["invalid"] = f"“{label}”应为整数"
        messages["min_value"] = f"“{label}”不能小于%(limit_value)s"
        messages["max_value"] = f"“{label}”不能大于%(limit_value)s"
    elif kind == "choice":
        messages["invalid_choice"] = f"“{label}”的选项无效，请重新选择"
    return messages


# -- registering an application ----------------------------------------------------------------

# Channels a clerk registers; the web form files its own applications (渠道“网上申请”).
REGISTER_CHANNELS = [c for c in Channel if c is not Channel.ONLINE]
RECEIPT_DATE_FIELDS = ("handed_in_on", "signed_for_on", "confirmed_on")
_DATE_HINTS = {
    "handed_in_on": "当面提交、口头申请：填写提交之日",
    "signed_for_on": "邮寄（签收）：填写本机关签收之日",
    "confirmed_on": "平信、传真、电子邮件：填写与申请人确认之日；尚未确认的留空，申请待确认收到",
}


class RegistrationForm(forms.ModelForm):
    """An application that came by letter, in person, orally, by fax or e-mail, entered by the clerk."""

    agency = forms.ModelChoiceField(queryset=None, label="受理机关", empty_label=None)
    channel = forms.ChoiceField(
        label="申请渠道",
        choices=[(c.value, c.label) for c in REGISTER_CHANNELS],
        error_messages=_messages("申请渠道", "choice"),
    )
    handed_in_on = forms.DateField(
        label=DATE_LABELS["handed_in_on"],
        required=False,
        widget=_DATE_WIDGET,
        help_text=_DATE_HINTS["handed_in_on"],
        error_messages=_messages(DATE_LABELS["handed_in_on"], "date"),
    )
    signed_for_on = forms.DateField(
        label=DATE_LABELS["signed_for_on"],
        required=False,
        widget=_DATE_WIDGET,
        help_text=_DATE_HINTS["signed_for_on"],
        error_messages=_messages(DATE_LABELS["signed_for_on"], "date"),
    )
    confirmed_on = forms.DateField(
        label=DATE_LABELS["confirmed_on"],
        required=False,
        widget=_DATE_WIDGET,
        help_text=_DATE_HINTS["confirmed_on"],
        error_messages=_messages(DATE_LABELS["confirmed_on"], "date"),
    )
    attachment = forms.FileField(
        label="申请材料（扫描件，可选）", required=False, help_text="PDF、图片、Word或文本文件，不超过10MB"
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    # 第二十九条 asks for 身份证明, not a number with a valid check digit: a posted letter with the
    # applicant's slip is registered as written, once the clerk says so, with a note in the log.
    accept_id_number = forms.BooleanField(
        label="号码校验不符，仍按申请材料上的号码登记",
        required=False,
        help_text="仅在核对申请材料后勾选；登记记录中会注明号码未通过校验",
    )

    # what the applicant asked for: told when the receipt and the reply are ready
    notify_by = notify_by_field("申请人要求受理和答复时通知")

    class Meta:
        model = Application
        fields = list(APPLICANT_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "address": forms.TextInput(),
        }

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0]
            self.fields["agency"].widget = forms.HiddenInput()
        self.fields["submission_token"].initial = uuid.uuid4()
        self.fields["description"].help_text = "所需政府信息的名称、文号或者便于查询的其他特征性描述"
        for name, field in self.fields.items():
            if name in ("agency", "submission_token"):
                continue
            kind = (
                "date"
                if isinstance(field, forms.DateField)
                else ("choice" if isinstance(field, forms.ChoiceField) else "")
            )
            field.error_messages = {**field.error_messages, **_messages(str(field.label), kind)}
            if isinstance(field, forms.ChoiceField) and list(field.choices)[:1] and list(field.choices)[0][0] == "":
                field.choices = [("", "——请选择——"), *list(field.choices)[1:]]
        self.fields["email"].error_messages["invalid"] = "请填写有效的电子邮箱地址"

    def clean_attachment(self):
        f = self.cleaned_data.get("attachment")
        if not f:
            return None
        name = clean_name(f.name)
        problem = attachment_problem(name, f.size)
        if problem is None:
            data = f.read()
            f.seek(0)
            problem = content_problem(name, data)
        if problem:
            raise forms.ValidationError(problem)
        return f

    def clean_id_document_number(self):
        number = (self.cleaned_data.get("id_document_number") or "").strip().upper()
        check = {IdDocument.RESIDENT_ID: resident_id_problem, IdDocument.CREDIT_CODE: credit_code_problem}.get(
            self.data.get("id_document_type")
        )
        problem = check(number) if check else None
        self.id_number_warning = ""
        if problem:
            if not self.data.get("accept_id_number"):
                raise forms.ValidationError(
                    f"{problem}。如申请材料上的号码确实如此，请勾选下方“{self.fields['accept_id_number'].label}”"
                    "（第二十九条要求提供身份证明，号码校验不是受理条件）"
                )
            self.id_number_warning = f"身份证明号码{number}未通过校验（{problem}），按申请材料登记"
        return number

    def clean(self):
        data = super().clean()
        problem = delivery_problem(data.get("delivery_form") or "", data.get("delivery_channel") or "")
        if problem and data.get("delivery_form") and data.get("delivery_channel"):
            self.add_error("delivery_channel", problem)
        check_notify_by(self, data)
        return data

    @property
    def registration_note(self) -> str:
        return getattr(self, "id_number_warning", "")

    def receipt_dates(self) -> dict[str, date]:
        """The channel dates typed in; the domain says which one the channel uses and refuses the others."""
        return {n: self.cleaned_data[n] for n in RECEIPT_DATE_FIELDS if self.cleaned_data.get(n)}

    def applicant(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) or "" for k in APPLICANT_FIELDS}

    def attachments(self) -> list[tuple[str, str, bytes]]:
        f = self.cleaned_data.get("attachment")
        if not f:
            return []
        name = clean_name(f.name)
        return [(name, CONTENT_TYPES[name.rsplit(".", 1)[-1].lower()], f.read())]

    def date_field_of_channel(self) -> str:
        try:
            return Channel(self.cleaned_data.get("channel") or self.data.get("channel")).date_field
        except ValueError:
            return "handed_in_on"


# -- the form of one workflow action --------------------------------------------------------------

# Fields the server fills in, never typed: the signer signs the outcome the clerk submitted, a
# returned draft goes back to the state it came from, an ended consultation to where the case
# stood without it, the fee is what the 109号 tariffs say.
SERVER_FILLED: dict[Action, tuple[str, ...]] = {
    Action.SIGN_OFF_REPLY: ("outcome_code", "legal_basis", "signed_state"),
    Action.ISSUE_REPLY: ("outcome_code", "legal_basis"),
    Action.RETURN_REPLY: ("resume_state",),
    # the reviewer reviews the draft the clerk submitted; where it goes next is the agency's settings
    Action.SUBMIT_REPLY_FOR_REVIEW: ("review_state",),
    Action.PASS_LEGAL_REVIEW: ("outcome_code", "legal_basis", "reviewed_state"),
    Action.PASS_SECRECY_REVIEW: ("outcome_code", "legal_basis", "reviewed_state"),
    Action.RETURN_FROM_REVIEW: ("resume_state",),
    Action.END_CONSULTATION: ("continue_state",),
    Action.RECEIVE_CORRECTION: ("continue_state",),
    Action.NOTIFY_FEE: ("amount", "register_count"),
}
_TEXTAREAS = {"reason", "comment", "legal_basis", "referred_to"}
# The moves where the clerk writes the reply: they also ask for the details an outcome's article
# requires the letter to state (第三十六条（五）: the responsible agency and its contact details).
REPLY_DETAIL_ACTIONS = frozenset(
    {Action.REPLY, Action.ANSWER_ON_THE_SPOT, Action.SUBMIT_REPLY_FOR_SIGN_OFF, Action.SUBMIT_REPLY_FOR_REVIEW}
)
_DETAIL_HINT = "仅在办理结果为“无法提供：不属于本机关负责公开”时填写；能够确定负责公开的行政机关的，应当告知申请人（条例第三十六条（五））"


def _is_event_date(name: str) -> bool:
    # dates of acts default to today; period ends (补正截止日期, 另行确定的答复期限) never do
    return name.endswith("_on")


class ActionForm(forms.Form):
    """The fields one action asks for, typed as the domain's FIELD_SPECS say."""

    def __init__(
        self,
        data=None,
        *,
        transition: Transition,
        outcome_codes: tuple[str, ...],
        today: date,
        initial_values: dict[str, Any] | None = None,
    ):
        super().__init__(data, initial=initial_values or {})
        self.transition = transition
        self.action = transition.action
        server = SERVER_FILLED.get(self.action, ())
        self.one_of_names = {n for g in transition.one_of for n in g}
        self.required_names = set(transition.required)
        for name in transition.field_names:
            if name in server:
                continue
            spec = FIELD_SPECS[name]
            self.fields[name] = self._field(spec, outcome_codes=outcome_codes, today=today)
        self.detail_names: list[str] = []
        if self.action in REPLY_DETAIL_ACTIONS:
            for code, names in REPLY_DETAIL_FIELDS.items():
                if code in outcome_codes:
                    self.detail_names += [n for n in names if n not in self.detail_names]
            for name in self.detail_names:
                field = self._field(FIELD_SPECS[name], outcome_codes=outcome_codes, today=today)
                field.help_text = _DETAIL_HINT
                self.fields[name] = field
        if transition.irreversible:
            self.fields["confirm_irreversible"] = forms.BooleanField(label=CONFIRM_LABEL, required=False)
        if self.action is Action.NOTIFY_FEE:
            self.fields["quoted_amount"] = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def _field(self, spec: FieldSpec, *, outcome_codes: tuple[str, ...], today: date) -> forms.Field:
        label = spec.label
        hint = "选填" if spec.name not in self.required_names else ""
        for group in self.transition.one_of:
            if spec.name in group:
                others = "、".join(f"“{FIELD_SPECS[n].label}”" for n in group if n != spec.name)
                hint = f"与{others}二者填写其一"
        common = {"label": label, "required": False, "help_text": hint}
        if spec.kind is FieldKind.DATE:
            initial = today if _is_event_date(spec.name) and spec.name in self.required_names else None
            return forms.DateField(
                widget=_DATE_WIDGET, initial=initial, error_messages=_messages(label, "date"), **common
            )
        if spec.kind is FieldKind.INTEGER:
            return forms.IntegerField(
                min_value=spec.minimum, max_value=spec.maximum, error_messages=_messages(label, "integer"), **common
            )
        if spec.kind is FieldKind.TEXT_LIST:
            common["help_text"] = "每行一项"
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
        if spec.kind is FieldKind.CHOICE:
            if spec.name == "outcome_code":
                choices = [(c, outcome(c).label) for c in outcome_codes]
            else:
                choices = list(spec.choices.items())
            return forms.ChoiceField(
                choices=[("", "——请选择——"), *choices], error_messages=_messages(label, "choice"), **common
            )
        widget = forms.Textarea(attrs={"rows": 3}) if spec.name in _TEXTAREAS else forms.TextInput()
        return forms.CharField(widget=widget, max_length=300 if spec.name == "legal_basis" else 2000, **common)

    @property
    def visible_domain_fields(self):
        return [self[n] for n in self.fields if n not in ("confirm_irreversible", "quoted_amount")]

    def domain_fields(self) -> dict[str, Any]:
        """The typed values as the domain takes them; empty ones left out so the domain names them."""
        out: dict[str, Any] = {}
        for name in (*self.transition.field_names, *self.detail_names):
            if name not in self.fields:
                continue
            value = self.cleaned_data.get(name)
            if FIELD_SPECS[name].kind is FieldKind.TEXT_LIST and isinstance(value, str):
                items = [line.strip() for line in value.splitlines() if line.strip()]
                value = items or None
            elif isinstance(value, str):
                value = value.strip()
            if value in (None, ""):
                continue
            out[name] = value
        return out

    @property
    def confirmed(self) -> bool:
        return bool(self.cleaned_data.get("confirm_irreversible"))
