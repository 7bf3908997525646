"""The office head replaces a letter's template by uploading a .docx: checked by rendering a sample
(errors in Chinese), used for the agency's letters, previewed for a sample case, reset to ours."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from gongkai.applications import letters
from gongkai.applications.models import LetterTemplate
from tests.factories import EDU
from tests.integration.test_letters import CLERK, _docx, _move, _submit, _text, people  # noqa: F401

pytestmark = pytest.mark.django_db

KIND = "correction_notice"
OWN = "本局自定格式：{{ applicant_name }}，申请编号{{ tracking_number }}，请于{{ correction_period }}补正。联系电话：{{ contact_phone }}"


def _upload(client, data, name="补正.docx", kind=KIND):
    return client.post(
        reverse("applications:letter_template_upload", args=[kind]), {f"{kind}-file": SimpleUploadedFile(name, data)}
    )


def _paragraphs(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


@pytest.fixture
def head(client, people):
    client.force_login(people["zhuren"])
    return client


def _correction_case(people):
    app = _submit(people)
    _move(
        app,
        "request_correction",
        people["jingban"],
        CLERK,
        date(2025, 9, 3),
        items=["请写明文号"],
        requested_on=date(2025, 9, 3),
        period_working_days=10,
    )
    return app


def test_only_the_office_head_changes_templates(client, people):
    client.force_login(people["jingban"])
    assert client.get(reverse("applications:letter_templates")).status_code == 403
    assert _upload(client, _docx(OWN)).status_code == 403
    client.force_login(people["zhuren"])
    page = client.get(reverse("applications:letter_templates")).content.decode()
    assert "补正告知书" in page and "系统内置模板" in page
    assert reverse("applications:letter_templates") in client.get(reverse("accounts:agency_settings")).content.decode()


def test_an_uploaded_template_is_used_for_the_agencys_letters(head, people):
    response = _upload(head, _docx(OWN))
    assert response.status_code == 302
    stored = LetterTemplate.objects.get(kind=KIND)
    assert stored.file_name == "补正.docx" and stored.uploaded_by == people["zhuren"]
    app = _correction_case(people)
    text = _text(letters.generate_letter(application=app, kind=KIND, user=people["jingban"]))
    assert text.startswith("本局自定格式：刘洋，申请编号" + app.tracking_number)
    assert "本机关模板" in head.get(reverse("applications:letter_templates")).content.decode()
    # the letters page points to the upload, not to a folder on the server
    page = head.get(reverse("applications:letters", args=[app.pk])).content.decode()
    assert "letter_templates 文件夹" not in page and reverse("applications:letter_templates") in page


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("补正.doc", b"\xd0\xcf\x11\xe0", "模板应为Word（.docx）文件"),
        ("补正.docx", b"not a zip at all", "文件内容不是Word（.docx）文档"),
        ("补正.docx", b"", "上传的文件是空的"),
    ],
)
def test_what_is_not_a_word_document_is_refused(head, name, data, message):
    response = _upload(head, data, name=name)
    assert response.status_code == 400 and message in response.content.decode()
    assert not LetterTemplate.objects.exists()


def test_a_template_with_a_jinja_syntax_error_is_refused_in_chinese_with_the_text_around_it(head):
    response = _upload(head, _docx("{% if partial %}部分公开"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "标签没有结束" in page and "endif" in page and "部分公开" in page
    assert not LetterTemplate.objects.exists()


def test_a_misspelt_variable_is_refused_naming_it(head):
    response = _upload(head, _docx("{{ aplicant_name }}：您好"))
    page = response.content.decode()
    assert response.status_code == 400 and "没有的变量“aplicant_name”" in page
    assert not LetterTemplate.objects.exists()


def test_every_shipped_template_passes_the_upload_check(people):
    from gongkai.accounts.models import Agency
    from gongkai.applications import custom_templates

    agency = Agency.objects.get(code=EDU)
    for kind in letters.LetterKind:
        custom_templates.check_template(
            kind, "x.docx", (letters.PACKAGED_TEMPLATES / f"{kind.value}.docx").read_bytes(), agency=agency
        )


def test_the_preview_renders_the_template_for_a_fabricated_sample_without_cases(head):
    _upload(head, _docx(OWN))
    response = head.get(reverse("applications:letter_template_preview", args=[KIND]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    text = _paragraphs(b"".join(response.streaming_content))
    assert text.startswith("本局自定格式：张三（示例），申请编号YSQ-2026-0001") and "010-62000001" in text


def test_the_preview_uses_the_newest_case_that_called_for_the_letter(head, people):
    app = _correction_case(people)
    letters.generate_letter(application=app, kind=KIND, user=people["jingban"])
    _upload(head, _docx(OWN))
    text = _paragraphs(
        b"".join(head.get(reverse("applications:letter_template_preview", args=[KIND])).streaming_content)
    )
    assert text.startswith(f"本局自定格式：刘洋，申请编号{app.tracking_number}")


def test_the_shipped_template_can_be_downloaded_and_previewed(head):
    response = head.get(reverse("applications:letter_template_download", args=["reply_granted"]))
    data = b"".join(response.streaming_content)
    assert data == (letters.PACKAGED_TEMPLATES / "reply_granted.docx").read_bytes()
    preview = _paragraphs(
        b"".join(head.get(reverse("applications:letter_template_preview", args=["reply_granted"])).streaming_content)
    )
    assert "政府信息公开申请答复书" in preview and "张三（示例）" in preview


def test_reset_asks_for_confirmation_then_restores_the_shipped_template(head, people):
    _upload(head, _docx(OWN))
    url = reverse("applications:letter_template_reset", args=[KIND])
    confirm = head.get(url).content.decode()
    assert "确认恢复" in confirm and "补正.docx" in confirm
    assert LetterTemplate.objects.exists()  # the GET changes nothing
    assert head.post(url).status_code == 302
    assert not LetterTemplate.objects.exists()
    app = _correction_case(people)
    text = _text(letters.generate_letter(application=app, kind=KIND, user=people["jingban"]))
    assert "本局自定格式" not in text and "补正" in text


def test_an_unknown_kind_is_not_found(head):
    assert head.get(reverse("applications:letter_template_preview", args=["no_such_letter"])).status_code == 404
