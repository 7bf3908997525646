"""Files on the public page are named for the reader, not by the uploader's file name."""

from datetime import date
from urllib.parse import quote

import pytest

from gongkai.domain.disclosure.attachments import display_name
from tests.integration.test_disclosure_public_views import attach, create, env, publish, text  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, shown",
    [
        ("实施办法全文.pdf", "实施办法全文"),
        ("5f2c9a1b2c3d4e5f6a7b_实施办法全文.pdf", "实施办法全文"),  # a random prefix goes
        ("2b0c3a0e-3f1d-4b8e-9a51-0c8e8d1f6a2b.pdf", "示范区招生办法"),  # nothing left: the title
        ("ok.pdf", "示范区招生办法"),
        ("scan01.pdf", "示范区招生办法"),
        ("附件1.docx", "示范区招生办法"),
        ("2026年预算表.xlsx", "2026年预算表"),
    ],
)
def test_the_display_name_is_the_meaningful_part_of_the_name_or_the_title(name, shown):
    assert display_name(name, "示范区招生办法") == shown


def test_a_second_meaningless_file_is_numbered():
    assert display_name("ok.pdf", "示范区招生办法", number=2) == "示范区招生办法（附件2）"


def test_the_public_page_and_the_download_use_the_display_name(env, client):
    doc = create(env, title="关于公布2026年小学学区划分的公告")
    first = attach(env, doc, name="ok.pdf")
    second = attach(env, doc, name="学区范围表.pdf")
    third = attach(env, doc, name="scan.pdf")
    publish(env, doc, date(2026, 3, 2))
    assert (first.display_name, second.display_name, third.display_name) == (
        "关于公布2026年小学学区划分的公告",
        "学区范围表",
        "关于公布2026年小学学区划分的公告（附件3）",
    )
    html = text(client.get(f"/xxgk/documents/{doc.pk}/"))
    assert ">关于公布2026年小学学区划分的公告</a>" in html and ">学区范围表</a>" in html
    assert "ok.pdf" not in html and "scan.pdf" not in html
    response = client.get(f"/xxgk/documents/{doc.pk}/files/{second.pk}/")
    assert quote("学区范围表.pdf") in response["Content-Disposition"]


def test_a_display_name_given_at_upload_wins(env):
    from gongkai.disclosure import services

    doc = create(env, title="关于公布2026年小学学区划分的公告")
    att = services.attachment_add(
        document=doc,
        name="ok.pdf",
        data=b"%PDF-1.4\n%%EOF\n",
        actor=env["users"]["jingban"],
        actor_roles={"clerk"},
        display_name="学区范围示意图",
    )
    assert att.display_name == "学区范围示意图" and att.download_name == "学区范围示意图.pdf"
