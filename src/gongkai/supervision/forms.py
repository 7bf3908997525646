from django import forms

from gongkai.audits import uploads


class ColumnForm(forms.Form):
    url = forms.URLField(
        label="政府信息公开专栏网址",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="机关网站上政府信息公开专栏（含年度报告栏目）的地址；留空则删除。",
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label="年度报告文件",
        help_text="支持TXT、HTML、Markdown、PDF、Word（.docx）。",
        error_messages={"required": "请选择文件。"},
    )
    published_on = forms.DateField(
        label="公开日期",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="机关在网站公开该报告的日期，用于判断是否在1月31日前公开；留空则以今天计。",
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > uploads.MAX_FILE_BYTES:
            raise forms.ValidationError(f"文件超过{uploads.MAX_FILE_BYTES // 1024 // 1024}MB")
        return f


class FetchForm(forms.Form):
    url = forms.URLField(
        label="年度报告网址",
        max_length=1000,
        assume_scheme="https",
        help_text="报告正文页面或PDF、Word文件的地址。系统在后台获取一次并保存副本、获取时间和SHA-256摘要。",
        error_messages={"required": "请填写网址。"},
    )
    published_on = forms.DateField(
        label="公开日期",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="网站标注的发布日期；留空则以获取日期计。",
    )


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(label="审阅意见", choices=[("confirmed", "确认"), ("dismissed", "不予采纳")])
    reason = forms.CharField(label="理由", max_length=1000, error_messages={"required": "请填写理由。"})


class RectifyForm(forms.Form):
    notice = forms.CharField(label="整改要求", widget=forms.Textarea(attrs={"rows": 8}), max_length=10000)
    due_on = forms.DateField(label="整改期限", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    channel = forms.ChoiceField(
        label="送达方式",
        choices=[("system", "通过本系统送达机关办公室主任"), ("letter", "Word文书（系统外送达）")],
        widget=forms.RadioSelect,
        initial="system",
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label="整改情况说明", widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)
    file = forms.FileField(label="修改后的年度报告", help_text="支持TXT、HTML、Markdown、PDF、Word（.docx）。")


class CloseForm(forms.Form):
    comment = forms.CharField(label="核查意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ReturnForm(forms.Form):
    comment = forms.CharField(label="仍需整改的问题", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    due_on = forms.DateField(label="新的整改期限", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
