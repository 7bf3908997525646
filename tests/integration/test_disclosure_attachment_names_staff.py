"""The clerk may name the files of a document on the staff form, one line each."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.disclosure.models import Document
from tests.integration.test_disclosure_staff_views import PDF, as_user, env, form_data, html  # noqa: F401

pytestmark = pytest.mark.django_db


def _files():
    return [
        SimpleUploadedFile("ok.pdf", PDF, "application/pdf"),
        SimpleUploadedFile("scan.pdf", PDF, "application/pdf"),
    ]


def test_the_clerk_names_the_files_when_registering_one_line_each(client, env):
    as_user(client, env, "jingban")
    data = form_data(env, attachment_names="学区范围示意图\n", attachments=_files())
    client.post(reverse("disclosure:staff_create"), data)
    doc = Document.objects.get(title=data["title"])
    assert [a.display_name for a in doc.attachments.order_by("id")] == [
        "学区范围示意图",
        "关于做好2026年清明节假期学校安全工作的通知（附件2）",
    ]


def test_more_names_than_files_is_refused_beside_the_files(client, env):
    as_user(client, env, "jingban")
    response = client.post(
        reverse("disclosure:staff_create"), form_data(env, attachment_names="甲\n乙\n丙", attachments=_files())
    )
    assert not Document.objects.exists()
    assert "填写了3个附件显示名称，但只选择了2个附件" in html(response)
