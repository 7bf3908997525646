"""Which files may be attached to a disclosed document: type by name *and* by content, and size.

Accepted: PDF, Word (.doc, .docx), Excel (.xls, .xlsx), JPG and PNG images. The extension says
what the file claims to be; the first bytes ("magic") must agree, and an Office Open XML file
must hold the part of its kind, so a renamed executable or HTML page is refused. The content type
stored (and served) is derived from the checked kind, never taken from the upload.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from gongkai.domain.errors import DomainError

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class FileKind:
    ext: str
    label: str
    content_type: str


KINDS: Mapping[str, FileKind] = MappingProxyType(
    {
        k.ext: k
        for k in (
            FileKind("pdf", "PDF", "application/pdf"),
            FileKind("doc", "Word（.doc）", "application/msword"),
            FileKind(
                "docx", "Word（.docx）", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            ),
            FileKind("xls", "Excel（.xls）", "application/vnd.ms-excel"),
            FileKind("xlsx", "Excel（.xlsx）", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            FileKind("jpg", "JPG图片", "image/jpeg"),
            FileKind("jpeg", "JPG图片", "image/jpeg"),
            FileKind("png", "PNG图片", "image/png"),
        )
    }
)
ACCEPTED_LABEL = "PDF、Word（doc/docx）、Excel（xls/xlsx）、JPG、PNG"


def _ooxml(part: str) -> Callable[[bytes], bool]:
    def check(data: bytes) -> bool:
        if not data.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return False
        return "[Content_Types].xml" in names and part in names

    return check


_SNIFFERS: Mapping[str, Callable[[bytes], bool]] = MappingProxyType(
    {
        "pdf": lambda d: d.lstrip()[:5] == b"%PDF-",
        "doc": lambda d: d.startswith(_OLE2),
        "xls": lambda d: d.startswith(_OLE2),
        "docx": _ooxml("word/document.xml"),
        "xlsx": _ooxml("xl/workbook.xml"),
        "jpg": lambda d: d.startswith(b"\xff\xd8\xff"),
        "jpeg": lambda d: d.startswith(b"\xff\xd8\xff"),
        "png": lambda d: d.startswith(b"\x89PNG\r\n\x1a\n"),
    }
)


class AttachmentError(DomainError):
    code = "attachment_error"


def clean_name(name: str) -> str:
    """The bare file name (some browsers send a path), without control characters, at most 200 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    if len(base) > 200:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 199 - len(ext)] + dot + ext) if dot and len(ext) <= 8 else base[:200]
    return base or "附件"


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_attachment(name: str, data: bytes, *, max_bytes: int = MAX_ATTACHMENT_BYTES) -> FileKind:
    """The kind of an uploaded file, or AttachmentError saying in Chinese what is wrong with it."""
    name = clean_name(name)
    kind = KINDS.get(extension(name))
    if kind is None:
        raise AttachmentError(f"附件“{name}”的类型不支持，只接受{ACCEPTED_LABEL}文件")
    if not data:
        raise AttachmentError(f"附件“{name}”是空文件")
    if len(data) > max_bytes:
        raise AttachmentError(
            f"附件“{name}”超过{max_bytes // (1024 * 1024)}MB（{len(data) / 1024 / 1024:.1f}MB），请压缩或拆分后上传"
        )
    if not _SNIFFERS[kind.ext](data):
        raise AttachmentError(f"附件“{name}”的内容与扩展名不符，不是有效的{kind.label}文件")
    return kind


# A stem that says nothing to a reader: a few Latin letters or digits (ok, 1, scan, file_01) or a
# generic word. A random token: hex or digits of 8+ characters, a UUID, joined by - or _.
_MEANINGLESS = re.compile(r"[A-Za-z0-9_\-\s]{0,12}|附件\d*|扫描件\d*|新建.*文档.*", re.IGNORECASE)
_RANDOM = re.compile(
    r"(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}|\d{8,})", re.IGNORECASE
)


def display_name(original_name: str, document_title: str, *, number: int = 1) -> str:
    """How the public page names a file: its upload name without the extension and without a
    random token (5f2c9a…_实施办法.pdf → 实施办法); when nothing meaningful is left (ok.pdf,
    scan01.pdf, 附件1.docx), the document's title, with 附件N from the second file on."""
    stem = original_name.rsplit(".", 1)[0] if "." in original_name else original_name
    stem = _RANDOM.sub("", stem).strip(" _-—.")
    if stem and not _MEANINGLESS.fullmatch(stem):
        return stem[:200]
    title = (document_title or "附件").strip()
    return (title if number == 1 else f"{title}（附件{number}）")[:200]
