"""Forms of the disclosure staff pages: the register form (create and edit), the form of each
review move, the validity change, the year's table 二 figures and the list filters.

Forms turn text into Python values and say in Chinese what cannot be read; the rules (required
metadata of a 规范性文件, the review table, validity moves, attachment types) are the domain's,
raised by the services and placed next to their field by the views.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms

from gongkai.disclosure.models import AnnualFigures, Column, Document, DocumentAttachment
from gongkai.domain.disclosure.attachments import (
    ACCEPTED_LABEL,
    MAX_ATTACHMENT_BYTES,
    AttachmentError,
    check_attachment,
    clean_name,
)
from gongkai.domain.disclosure.catalogue import ARTICLE_20_CHOICES, TOPICS, Channel, DocumentKind
from gongkai.domain.disclosure.validity import Validity
from gongkai.domain.disclosure.workflow import FIELD_SPECS, State, Transition
from gongkai.domain.fields import FieldKind, FieldSpec

CONFIRM_LABEL = "我已确认此操作不可撤销"
CONFIRM_REQUIRED = "此操作不可撤销，请勾选“我已确认此操作不可撤销”后再提交"
FILES_AGAIN = "其他内容已保留；浏览器不能保留已选择的文件，请重新选择附件后再提交。"
MAX_FILES_PER_UPLOAD = 20

_DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _messages(label: str, kind: str = "") -> dict[str, str]:
    out = {"required": f"请填写“{label}”", "max_length": f"“{label}”最多%(limit_value)d个字（现有%(show_value)d个）"}
    if kind == "date":
        out["invalid"] = f"“{label}”应为日期，格式如2026-03-02"
    elif kind == "integer":
        out.update(invalid=f"“{label}”应为整数", min_value=f"“{label}”不能小于%(limit_value)s")
    elif kind == "decimal":
        out.update(
            invalid=f"“{label}”应为数字",
            min_value=f"“{label}”不能为负数",
            max_decimal_places=f"“{label}”最多保留%(max)s位小数",
            max_digits=f"“{label}”的位数过多",
            max_whole_digits=f"“{label}”的整数位数过多",
        )
    elif kind == "choice":
        out["invalid_choice"] = f"“{label}”的选项无效，请重新选择"
        out["invalid_list"] = f"“{label}”的选项无效，请重新选择"
    return out


def _char(label: str, *, required: bool = False, max_length: int | None = None, **kw) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length, error_messages=_messages(label), **kw)


def _date(label: str, *, required: bool = False, **kw) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=_DATE_WIDGET, error_messages=_messages(label, "date"), **kw
    )


# -- several files in one field ------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented pattern); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(d, initial) for d in items if d]


# -- the register form ---------------------------------------------------------------------------------


def column_choices(tree: Iterable[tuple[Column, list[Column]]]) -> list[Any]:
    """The column tree as a grouped select: a top column with children is a group holding itself
    (for documents of the column as a whole) and its children."""
    out: list[Any] = []
    for top, children in tree:
        if children:
            out.append((top.name, [(top.pk, f"{top.name}（综合）"), *((c.pk, c.name) for c in children)]))
        else:
            out.append((top.pk, top.name))
    return out


def policy_label(doc: Document) -> str:
    number = f"（{doc.doc_number}）" if doc.doc_number else ""
    flag = "，需配解读" if doc.needs_interpretation else ""
    return f"{doc.title}{number} · {State(doc.state).label}{flag}"


class DocumentForm(forms.Form):
    """Register a document, or edit the content under work.

    ``mode``: "create" or "edit". On edit, the 索引号 is not shown (it never changes), the fields
    fixed at the first publication are disabled once the document was published (``fixed``), a
    published document asks for the revision reason (``needs_reason``), and the files of the
    working version may be removed.
    """

    title = _char("标题", required=True, max_length=300)
    doc_number = _char("文号", max_length=100, help_text="如：示教发〔2026〕3号；规章和行政规范性文件必填")
    index_number = _char("索引号", max_length=80, help_text="留空则按本机关索引号规则自动生成")
    issuing_office = _char("发布机构", max_length=100, help_text="留空则为本机关名称")
    formed_on = _date(
        "成文日期", required=True, help_text="信息形成或变更之日，20个工作日的公开期限从此起算（第二十六条）"
    )
    signed_on = _date("签发日期", help_text="规章和行政规范性文件必填（统计本年制发件数）")
    column = forms.TypedChoiceField(label="栏目", coerce=int, error_messages=_messages("栏目", "choice"))
    topic = forms.ChoiceField(label="主题分类", required=False, error_messages=_messages("主题分类", "choice"))
    article20_item = forms.TypedChoiceField(
        label="第二十条事项",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages=_messages("第二十条事项", "choice"),
    )
    kind = forms.ChoiceField(
        label="文件类别",
        choices=[(k.value, k.label) for k in DocumentKind],
        initial=DocumentKind.OTHER.value,
        error_messages=_messages("文件类别", "choice"),
        help_text="规章和行政规范性文件标注有效性（现行有效/已修改/已废止/已失效），计入年报表二",
    )
    needs_interpretation = forms.BooleanField(
        label="需同步发布政策解读",
        required=False,
        help_text="勾选后，须待关联的政策解读经局领导审批后方可公开（谁起草、谁解读）",
    )
    interprets = forms.TypedChoiceField(
        label="所解读的政策文件",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages=_messages("所解读的政策文件", "choice"),
        help_text="本文件是政策解读时选择；解读随政策文件一并审核、同步发布",
    )
    body = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 12}))
    channels = forms.MultipleChoiceField(
        label="公开渠道",
        required=False,
        choices=[(c.value, c.label) for c in Channel],
        widget=forms.CheckboxSelectMultiple,
        initial=[Channel.WEBSITE.value],
        error_messages=_messages("公开渠道", "choice"),
    )
    attachments = MultipleFileField(
        label="附件",
        required=False,
        help_text=f"可多选；接受{ACCEPTED_LABEL}，每个不超过{MAX_ATTACHMENT_BYTES // (1024 * 1024)}MB",
    )
    attachment_names = forms.CharField(
        label="附件显示名称",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="选填，每行一个，依次对应所选的附件；留空的按文件名（去掉随机字符）或本文件标题显示",
    )
    remove_attachments = forms.TypedMultipleChoiceField(
        label="删除附件",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_messages("删除附件", "choice"),
    )
    reason = _char(
        "修订理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="本文件已公开：保存修改将生成新版本，经审核后替换公开版本，原版本保留",
    )

    def __init__(
        self,
        data=None,
        files=None,
        *,
        mode: str,
        tree: Iterable[tuple[Column, list[Column]]],
        policies: Iterable[Document],
        attachments: Iterable[DocumentAttachment] = (),
        needs_reason: bool = False,
        fixed: bool = False,
        **kwargs,
    ):
        super().__init__(data, files, **kwargs)
        self.mode = mode
        self.fields["column"].choices = [("", "——请选择栏目——"), *column_choices(tree)]
        default = "（按栏目默认）" if mode == "create" else "（未指定）"
        self.fields["topic"].choices = [("", default), *TOPICS.items()]
        self.fields["article20_item"].choices = [("", default), *ARTICLE_20_CHOICES]
        self.fields["interprets"].choices = [("", "（不是政策解读）"), *((d.pk, policy_label(d)) for d in policies)]
        self.fields["remove_attachments"].choices = [(a.pk, a.shown_name) for a in attachments]
        if mode == "create":
            del self.fields["remove_attachments"], self.fields["reason"]
        else:
            del self.fields["index_number"]
            if not needs_reason:
                del self.fields["reason"]
            if not self.fields["remove_attachments"].choices:
                del self.fields["remove_attachments"]
        self.fixed = fixed
        if fixed:
            for name in ("kind", "needs_interpretation", "interprets"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "文件公开后不能再修改"
        self.upload_data: list[tuple[str, bytes, str]] = []

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(f"一次最多上传{MAX_FILES_PER_UPLOAD}个附件")
        problems, data = [], []
        for f in files:
            name = clean_name(f.name)
            if f.size > MAX_ATTACHMENT_BYTES:
                problems.append(f"附件“{name}”超过{MAX_ATTACHMENT_BYTES // (1024 * 1024)}MB，请压缩或拆分后上传")
                continue
            content = f.read()
            try:
                check_attachment(name, content)
            except AttachmentError as err:
                problems.append(err.message)
                continue
            data.append((name, content))
        if problems:
            raise forms.ValidationError(problems)
        names = [line.strip()[:200] for line in (self.data.get(self.add_prefix("attachment_names")) or "").splitlines()]
        if len([n for n in names if n]) > len(data):
            raise forms.ValidationError(
                f"填写了{len([n for n in names if n])}个附件显示名称，但只选择了{len(data)}个附件"
            )
        self.upload_data = [
            (name, content, names[i] if i < len(names) else "") for i, (name, content) in enumerate(data)
        ]
        return files

    @property
    def files_chosen(self) -> bool:
        return bool(self.files and self.files.getlist(self.add_prefix("attachments")))

    def values(self, *, columns: dict[int, Column], documents: dict[int, Document]) -> dict[str, Any]:
        """The metadata typed, as the services take it (Column and Document instances)."""
        cd = self.cleaned_data
        out: dict[str, Any] = {
            "title": cd["title"].strip(),
            "doc_number": (cd.get("doc_number") or "").strip(),
            "issuing_office": (cd.get("issuing_office") or "").strip(),
            "formed_on": cd["formed_on"],
            "signed_on": cd.get("signed_on"),
            "column": columns[cd["column"]],
            "topic": cd.get("topic") or "",
            "article20_item": cd.get("article20_item"),
            "body": cd.get("body") or "",
            "channels": list(cd.get("channels") or []),
        }
        if not self.fixed:
            out["kind"] = cd["kind"]
            out["needs_interpretation"] = bool(cd.get("needs_interpretation"))
            policy = cd.get("interprets")
            out["interprets"] = documents[policy] if policy is not None else None
        return out


# -- one review move -----------------------------------------------------------------------------------

_TEXTAREAS = {"reason", "comment"}


class ActionForm(forms.Form):
    """The fields one move asks for, typed as the domain's FIELD_SPECS say; whether a field is
    required is the domain's to say (FieldError), so the form marks the optional ones only."""

    def __init__(self, data=None, *, transition: Transition, today: date, **kwargs):
        super().__init__(data, **kwargs)
        self.transition = transition
        self.action = transition.action
        self.required_names = set(transition.required)
        for name in transition.field_names:
            self.fields[name] = self._field(FIELD_SPECS[name], today=today)
        if transition.irreversible:
            self.fields["confirm_irreversible"] = forms.BooleanField(label=CONFIRM_LABEL, required=False)

    def _field(self, spec: FieldSpec, *, today: date) -> forms.Field:
        label = spec.label
        required = spec.name in self.required_names
        common = {"label": label, "required": False, "help_text": "" if required else "选填"}
        if spec.kind is FieldKind.DATE:
            return forms.DateField(
                widget=_DATE_WIDGET,
                initial=today if required else None,
                error_messages=_messages(label, "date"),
                **common,
            )
        if spec.kind is FieldKind.CHOICE:
            return forms.ChoiceField(
                choices=[("", "——请选择——"), *spec.choices.items()], error_messages=_messages(label, "choice"), **common
            )
        widget = forms.Textarea(attrs={"rows": 3}) if spec.name in _TEXTAREAS else forms.TextInput()
        return forms.CharField(
            widget=widget, max_length=500 if spec.name == "reason" else 2000, error_messages=_messages(label), **common
        )

    @property
    def visible_domain_fields(self):
        return [self[n] for n in self.fields if n != "confirm_irreversible"]

    def domain_fields(self) -> dict[str, Any]:
        """The values typed, empty ones left out so the domain names what is missing."""
        out: dict[str, Any] = {}
        for name in self.transition.field_names:
            value = self.cleaned_data.get(name)
            if isinstance(value, str):
                value = value.strip()
            if value not in (None, ""):
                out[name] = value
        return out

    @property
    def confirmed(self) -> bool:
        return bool(self.cleaned_data.get("confirm_irreversible"))


# -- validity ------------------------------------------------------------------------------------------


class ValidityForm(forms.Form):
    """已修改 / 已废止 / 已失效 of a published 规章 or 行政规范性文件; the final ones ask for confirmation."""

    validity = forms.ChoiceField(
        label="有效性",
        choices=[("", "——请选择——"), *((v.value, v.label) for v in Validity if v is not Validity.IN_FORCE)],
        required=False,
        error_messages=_messages("有效性", "choice"),
    )
    changed_on = _date("变更日期", help_text="修改、废止或失效之日")
    changed_by = _char("修改或废止文件", max_length=300, help_text="修改或废止本文件的文件名称或文号；失效的可不填")
    confirm_irreversible = forms.BooleanField(label="我已确认：废止、失效后有效性不能再变更", required=False)

    def is_final(self) -> bool:
        value = self.cleaned_data.get("validity")
        return bool(value) and Validity(value).is_final


# -- table 二 figures ----------------------------------------------------------------------------------

FIGURES_2021 = ("licensing_decisions", "penalty_decisions", "coercion_decisions", "fee_amount")
FIGURES_2019_ONLY = (
    "licensing_items_last_year",
    "licensing_items_change",
    "other_services_items_last_year",
    "other_services_items_change",
    "other_services_decisions",
    "penalty_items_last_year",
    "penalty_items_change",
    "coercion_items_last_year",
    "coercion_items_change",
    "fee_items_last_year",
    "fee_items_change",
    "procurement_items",
    "procurement_amount",
)
_AMOUNTS = {"fee_amount", "procurement_amount"}


class FiguresForm(forms.Form):
    """The year's figures of table 二 not counted from the register; the 2019 format's extra fields
    only for report years 2019 and 2020."""

    def __init__(self, data=None, *, format_version: str, **kwargs):
        super().__init__(data, **kwargs)
        names = FIGURES_2021 + (FIGURES_2019_ONLY if format_version == "2019" else ())
        for name in names:
            model_field = AnnualFigures._meta.get_field(name)
            label = str(model_field.verbose_name)
            required = name in FIGURES_2021
            if name in _AMOUNTS:
                self.fields[name] = forms.DecimalField(
                    label=label,
                    required=required,
                    min_value=0,
                    max_digits=16,
                    decimal_places=4,
                    error_messages=_messages(label, "decimal"),
                    help_text="没有的填0" if required else "选填",
                )
            else:
                self.fields[name] = forms.IntegerField(
                    label=label,
                    required=required,
                    min_value=None if name.endswith("_change") else 0,
                    error_messages=_messages(label, "integer"),
                    help_text=(
                        "没有的填0" if required else ("减少填负数；选填" if name.endswith("_change") else "选填")
                    ),
                )

    def figures(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


# -- the list filters ----------------------------------------------------------------------------------


class ListFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *((s.value, s.label) for s in State)]
    )
    column = forms.TypedChoiceField(label="栏目", required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label="文件类别", required=False, choices=[("", "全部类别"), *((k.value, k.label) for k in DocumentKind)]
    )
    q = forms.CharField(label="标题、文号或索引号", required=False, max_length=100)

    def __init__(self, data=None, *, tree: Iterable[tuple[Column, list[Column]]], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["column"].choices = [("", "全部栏目"), *column_choices(tree)]
