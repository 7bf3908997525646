"""Forms of the new-media pages: they turn text into values; the rules are the service's and the
domain's, whose errors name the field they belong next to."""

from __future__ import annotations

from django import forms

from gongkai.domain.publicity.importing import MAX_BYTES
from gongkai.domain.publicity.media import BRIEFING_LABELS, CONCERN_LABELS, MAX_SPEAKERS, PLATFORM_LABELS

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


def _messages(label: str, kind: str = "") -> dict[str, str]:
    messages = {"required": f"请填写“{label}”"}
    if kind == "date":
        messages["invalid"] = f"“{label}”应为日期，格式如2026-03-01"
    elif kind == "month":
        messages["invalid"] = f"“{label}”应为年月，格式如2026-03"
    elif kind == "int":
        messages["invalid"] = f"“{label}”应为整数"
        messages["min_value"] = f"“{label}”不能为负数"
    elif kind == "choice":
        messages = {"required": f"请选择“{label}”", "invalid_choice": f"“{label}”的选项无效，请重新选择"}
    return messages


def _count(label: str, required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        required=required,
        error_messages=_messages(label, "int"),
        help_text="" if required else "选填：平台不统计的留空",
    )


class _AgencyForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=None, label="机关", empty_label=None, error_messages=_messages("机关", "choice")
    )

    def __init__(self, data=None, files=None, *, agencies, **kwargs):
        super().__init__(data, files, **kwargs)
        self.fields["agency"].queryset = agencies
        if agencies.count() == 1:
            self.fields["agency"].widget = forms.HiddenInput()
            self.fields["agency"].initial = agencies.first().pk


class AccountForm(forms.Form):
    platform = forms.ChoiceField(
        label="平台", choices=[("", "——请选择——"), *PLATFORM_LABELS.items()], error_messages=_messages("平台", "choice")
    )
    name = forms.CharField(label="账号名称", max_length=100, error_messages=_messages("账号名称"))
    url = forms.URLField(
        label="网址",
        max_length=300,
        assume_scheme="https",
        required=False,
        error_messages={"invalid": "“网址”应以 http:// 或 https:// 开头"},
        help_text="选填：账号主页或网站首页的地址",
    )
    active = forms.BooleanField(label="在用（已关停的账号不再提示登记月度数据）", required=False, initial=True)


class MonthForm(forms.Form):
    account = forms.ModelChoiceField(queryset=None, label="账号", error_messages=_messages("账号", "choice"))
    month = forms.DateField(
        label="月份", widget=_MONTH, input_formats=["%Y-%m", "%Y-%m-%d"], error_messages=_messages("月份", "month")
    )
    posts = _count("发布条数", required=True)
    followers = _count("月末关注/粉丝数")
    reads = _count("阅读量")

    def __init__(self, data=None, *, accounts, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["account"].queryset = accounts


class CorrectForm(forms.Form):
    posts = _count("发布条数", required=True)
    followers = _count("月末关注/粉丝数")
    reads = _count("阅读量")


class UploadForm(_AgencyForm):
    file = forms.FileField(
        label="月度数据表格",
        help_text=f".xlsx 或 .csv，不超过{MAX_BYTES // (1024 * 1024)}MB；第一行为表头：账号名称、月份、发布条数、关注/粉丝数、阅读量（列的顺序不限）",
        error_messages={"required": "请选择要导入的表格文件", "empty": "文件是空的"},
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_BYTES:
            raise forms.ValidationError(f"文件超过{MAX_BYTES // (1024 * 1024)}MB，请分批导入")
        return f


class ConcernForm(forms.Form):
    kind = forms.ChoiceField(
        label="类别",
        choices=list(CONCERN_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages=_messages("类别", "choice"),
    )
    occurred_on = forms.DateField(label="发现日期", widget=_DATE, error_messages=_messages("发现日期", "date"))
    subject = forms.CharField(label="事项", max_length=300, error_messages=_messages("事项"))
    source = forms.CharField(
        label="来源",
        max_length=200,
        error_messages=_messages("来源"),
        help_text="如：政务微博网民留言、媒体报道、12345热线",
    )
    actions = forms.CharField(
        label="处置和回应情况",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        error_messages=_messages("处置和回应情况"),
    )
    answered_on = forms.DateField(
        label="回应日期",
        widget=_DATE,
        required=False,
        error_messages=_messages("回应日期", "date"),
        help_text="尚未回应的留空",
    )
    channel = forms.CharField(
        label="回应渠道", max_length=200, required=False, help_text="选填：如官方微博发布情况通报"
    )


class BriefingForm(forms.Form):
    kind = forms.ChoiceField(
        label="类别",
        choices=list(BRIEFING_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages=_messages("类别", "choice"),
    )
    held_on = forms.DateField(label="举行日期", widget=_DATE, error_messages=_messages("举行日期", "date"))
    topic = forms.CharField(label="主题", max_length=300, error_messages=_messages("主题"))
    place = forms.CharField(label="地点", max_length=200, required=False)
    summary = forms.CharField(
        label="发布内容摘要", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=20000
    )
    documents = forms.TypedMultipleChoiceField(
        label="解读的文件（政策文件和政策解读）",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "所选文件不在本机关的政策文件和政策解读中"},
    )
    public = forms.BooleanField(label="在政府信息公开栏目“新闻发布”中发布", required=False, initial=True)

    def __init__(self, data=None, *, documents, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["documents"].choices = [
            (
                d.pk,
                f"{'〔政策解读〕' if d.interprets_id else ''}{d.title}{'（' + d.doc_number + '）' if d.doc_number else ''}",
            )
            for d in documents
        ]
        for i in range(1, MAX_SPEAKERS + 1):
            self.fields[f"speaker_{i}_name"] = forms.CharField(label=f"发布人{i}姓名", max_length=50, required=False)
            self.fields[f"speaker_{i}_post"] = forms.CharField(label=f"发布人{i}职务", max_length=100, required=False)

    def speaker_rows(self):
        return [(self[f"speaker_{i}_name"], self[f"speaker_{i}_post"]) for i in range(1, MAX_SPEAKERS + 1)]

    def speakers(self) -> list[tuple[str, str]]:
        cd = self.cleaned_data
        return [(cd.get(f"speaker_{i}_name", ""), cd.get(f"speaker_{i}_post", "")) for i in range(1, MAX_SPEAKERS + 1)]
