"""Attachments: the extension and the content must agree; size limits; the stored type comes from the check."""

import io
import zipfile

import pytest

from gongkai.domain.disclosure.attachments import KINDS, AttachmentError, check_attachment, clean_name

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 20
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50


def ooxml(part: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(part, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("2026年部门预算.pdf", PDF, "application/pdf"),
        ("照片.PNG", PNG, "image/png"),
        ("现场.jpeg", JPG, "image/jpeg"),
        ("通知.doc", OLE2, "application/msword"),
        ("附表.xls", OLE2, "application/vnd.ms-excel"),
        ("通知.docx", ooxml("word/document.xml"), KINDS["docx"].content_type),
        ("三公经费.xlsx", ooxml("xl/workbook.xml"), KINDS["xlsx"].content_type),
    ],
)
def test_accepted_files(name, data, content_type):
    assert check_attachment(name, data).content_type == content_type


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("setup.exe", b"MZ\x90\x00", "类型不支持"),
        ("page.html", b"<html>", "类型不支持"),
        ("noextension", PDF, "类型不支持"),
        ("empty.pdf", b"", "空文件"),
        ("fake.pdf", b"<html><script>alert(1)</script>", "内容与扩展名不符"),
        ("fake.png", JPG, "内容与扩展名不符"),
        ("fake.docx", ooxml("xl/workbook.xml"), "内容与扩展名不符"),
        ("fake.xlsx", b"PK\x03\x04garbage", "内容与扩展名不符"),
        ("renamed.doc", b"MZ\x90\x00" * 10, "内容与扩展名不符"),
    ],
)
def test_refused_files(name, data, words):
    with pytest.raises(AttachmentError) as err:
        check_attachment(name, data)
    assert words in err.value.message


def test_size_limit():
    with pytest.raises(AttachmentError, match="超过1MB"):
        check_attachment("big.pdf", PDF + b"0" * (1024 * 1024), max_bytes=1024 * 1024)


def test_clean_names():
    assert clean_name("C:\\Users\\张敏\\预算.pdf") == "预算.pdf"
    assert clean_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert clean_name("a\x00b\nc.pdf") == "abc.pdf"
    assert clean_name("") == "附件"
    long = clean_name("长" * 300 + ".pdf")
    assert len(long) == 200 and long.endswith(".pdf")
