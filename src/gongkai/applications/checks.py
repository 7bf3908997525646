"""Checks shared by every form that takes an applicant's identity document or an attachment.

Pure functions returning a Chinese reason or None, so the public form and the clerk's
registration refuse exactly the same things.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


# -- identity documents -------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# GB 32100-2015: the 31 symbols of the unified social credit code (no I, O, Z, S, V).
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def resident_id_problem(number: str) -> str | None:
    """Why an 18-character 居民身份证 number (GB 11643-1999) is invalid, or None."""
    if len(number) != 18:
        return f"居民身份证号码应为18位，您填写了{len(number)}位"
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return "居民身份证号码前17位应为数字，最后一位为数字或X"
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "居民身份证号码中的出生日期不正确，请核对"
    if born.year < 1900:
        return "居民身份证号码中的出生日期不正确，请核对"
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    if _ID_CHECK[total % 11] != number[17]:
        return "居民身份证号码校验位不正确，请核对后重新填写"
    return None


def credit_code_problem(code: str) -> str | None:
    """Why an 18-character 统一社会信用代码 (GB 32100-2015) is invalid, or None."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，您填写了{len(code)}位"
    if any(ch not in _CREDIT_ALPHABET for ch in code):
        return "统一社会信用代码只含数字和大写字母（不含I、O、Z、S、V），请核对"
    total = sum(_CREDIT_ALPHABET.index(ch) * w for ch, w in zip(code[:17], _CREDIT_WEIGHTS))
    check = (31 - total % 31) % 31
    if _CREDIT_ALPHABET[check] != code[17]:
        return "统一社会信用代码校验位不正确，请核对后重新填写"
    return None


# -- attachments --------------------------------------------------------------------------------

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain",
}
_KIND_LABELS = {
    "pdf": "PDF",
    "jpg": "JPG图片",
    "jpeg": "JPG图片",
    "png": "PNG图片",
    "doc": "Word（.doc）",
    "docx": "Word（.docx）",
    "txt": "纯文本",
}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", _OLE2, b"PK\x03\x04", b"MZ", b"\x7fELF", b"GIF8")


def is_docx(data: bytes) -> bool:
    """A real Word .docx: a zip holding the package's content types and its main document."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def _is_text(data: bytes) -> bool:
    if b"\x00" in data or data.startswith(_BINARY_MAGIC):
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


_SNIFFERS = {
    "pdf": lambda d: b"%PDF-" in d[:1024],
    "jpg": lambda d: d.startswith(b"\xff\xd8\xff"),
    "jpeg": lambda d: d.startswith(b"\xff\xd8\xff"),
    "png": lambda d: d.startswith(b"\x89PNG\r\n\x1a\n"),
    "doc": lambda d: d.startswith(_OLE2),
    "docx": is_docx,
    "txt": _is_text,
}


def clean_name(name: str) -> str:
    # browsers send a bare name, but some old ones send a path
    return re.split(r"[\\/]", name or "")[-1].strip() or "附件"


def attachment_problem(name: str, size: int) -> str | None:
    """What is wrong with a file judging by its name and size alone (before reading it)."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in CONTENT_TYPES:
        return f"附件“{name}”的类型不支持，只接受PDF、JPG、PNG、DOC、DOCX、TXT文件"
    if size > MAX_ATTACHMENT_BYTES:
        return f"附件“{name}”超过10MB（{size / 1024 / 1024:.1f}MB），请压缩或拆分后上传"
    if size == 0:
        return f"附件“{name}”是空文件"
    return None


def content_problem(name: str, data: bytes) -> str | None:
    ext = name.rsplit(".", 1)[-1].lower()
    if not _SNIFFERS[ext](data):
        return f"附件“{name}”的内容与扩展名不符，不是有效的{_KIND_LABELS[ext]}文件"
    return None
