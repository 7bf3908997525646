from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="年度报告文件",
        help_text="可多选；支持TXT、HTML、Markdown、PDF、Word（.docx），或将多份报告打包为ZIP上传。",
        error_messages={"required": "请选择至少一个文件。"},
    )
    title = forms.CharField(label="批次名称", max_length=200, required=False, help_text="留空则以第一个文件名命名。")
