"""Content sniffing: what kind of file the bytes are (magic numbers, OLE2, zips, HTML-looking text)."""

from __future__ import annotations

import io
import re
import zipfile

from gongkai.domain.audit.model import SourceKind
from gongkai.domain.audit.sources.build import _TAG_START
from gongkai.domain.audit.sources.common import _EXTENSION_KIND
from gongkai.domain.audit.sources.text import _MD_SEPARATOR, _has_markdown_table


def _magic_kind(data: bytes) -> SourceKind | None:
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        if _zip_has_document_xml(data):
            return "docx"
    return None


def _zip_has_document_xml(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except Exception:
        # a damaged zip: look for the local header of word/document.xml
        return b"word/document.xml" in data[:4_000_000]


def _is_ole2(data: bytes) -> bool:
    return data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG图片"),
    (b"\xff\xd8\xff", "JPEG图片"),
    (b"GIF87a", "GIF图片"),
    (b"GIF89a", "GIF图片"),
    (b"II*\x00", "TIFF图片"),
    (b"MM\x00*", "TIFF图片"),
    (b"Rar!\x1a\x07", "RAR压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z压缩包"),
    (b"\x1f\x8b", "gzip压缩包"),
    (b"{\\rtf", "RTF文档，请另存为.docx"),
    (b"%!PS", "PostScript文件"),
)


def _binary_signature(data: bytes) -> str | None:
    for magic, label in _BINARY_SIGNATURES:
        if data.startswith(magic):
            return label
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP图片"
    return None


_HTML_STRONG = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"<(p|div|br|table|tr|td|th|span|meta|title|h[1-6]|ul|ol|li|a|img|font|strong|b|center|section|article|style|script)[\s/>]",
    re.IGNORECASE,
)


def _looks_like_html(text: str) -> bool:
    head = text[:65536]
    if _HTML_STRONG.search(head):
        return True
    tags = {m.group(1).lower() for m in _HTML_TAG.finditer(head)}
    if head.lstrip("\ufeff \t\r\n").startswith("<") and tags:
        return True
    return len(tags) >= 3


def _text_kind(text: str, ext: str) -> SourceKind:
    if _looks_like_html(text):
        return "html"
    if "|" in text and _MD_SEPARATOR.search(text) and _has_markdown_table(text):
        return "markdown"
    by_ext = _EXTENSION_KIND.get(ext)
    if by_ext == "html" and _TAG_START.search(text[:65536]):
        return "html"
    if by_ext == "markdown":
        return "markdown"
    return "text"
