from pathlib import PurePosixPath

from django import forms

from gongkai.audits import uploads


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
        widget=MultipleFileInput(attrs={"accept": ".txt,.htm,.html,.md,.pdf,.docx,.zip"}),
        error_messages={"required": "请选择至少一个文件。"},
    )
    title = forms.CharField(label="批次名称", max_length=200, required=False, help_text="留空则以第一个文件名命名。")

    def clean_files(self):
        # Refused on the size Django measured while streaming the file to disk, before the view
        # reads it into memory (a zip is bounded by the request-size cap, its members by uploads).
        files = self.cleaned_data["files"]
        too_big = [
            f.name for f in files if PurePosixPath(f.name).suffix.lower() != ".zip" and f.size > uploads.MAX_FILE_BYTES
        ]
        if too_big:
            limit = uploads.MAX_FILE_BYTES // 1024 // 1024
            raise forms.ValidationError(f"以下文件超过{limit}MB，没有上传：{'、'.join(too_big)}")
        return files
