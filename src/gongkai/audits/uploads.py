"""Turn what a supervisor uploads (files, or zips of them) into named byte strings to audit.

Refuses what cannot be a report before anything is stored, with a Chinese reason per file.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

ACCEPTED_SUFFIXES = {".txt", ".htm", ".html", ".md", ".markdown", ".pdf", ".docx"}
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 2000
MAX_ZIP_TOTAL_BYTES = 300 * 1024 * 1024  # uncompressed, against zip bombs


@dataclass
class Expanded:
    files: list[tuple[str, bytes]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # Chinese, one line per refused file


def _zip_member_name(info: zipfile.ZipInfo) -> str:
    # Zips made on Chinese Windows store GBK names without the UTF-8 flag; zipfile then decodes
    # them as cp437, which turns 教育局 into mojibake.
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _accept(name: str, data: bytes, out: Expanded) -> None:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        out.refused.append(f"{name}：不支持的文件类型（支持TXT、HTML、Markdown、PDF、Word .docx及其ZIP压缩包）")
    elif len(data) > MAX_FILE_BYTES:
        out.refused.append(f"{name}：文件超过{MAX_FILE_BYTES // 1024 // 1024}MB")
    elif not data:
        out.refused.append(f"{name}：文件为空")
    elif len(out.files) >= MAX_FILES:
        out.refused.append(f"{name}：一次最多审计{MAX_FILES}份报告")
    else:
        out.files.append((name, data))


def _expand_zip(name: str, data: bytes, out: Expanded) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError):
        out.refused.append(f"{name}：压缩包已损坏，无法打开")
        return
    total = 0
    for info in members:
        member = _zip_member_name(info)
        if member.startswith("__MACOSX/") or PurePosixPath(member).name.startswith("."):
            continue
        total += info.file_size
        if total > MAX_ZIP_TOTAL_BYTES or info.file_size > MAX_FILE_BYTES:
            out.refused.append(f"{name}/{member}：解压后过大，已跳过")
            continue
        try:
            content = archive.read(info)
        except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError):
            out.refused.append(f"{name}/{member}：无法解压（可能已损坏或加密）")
            continue
        _accept(f"{PurePosixPath(name).stem}/{member}", content, out)


def expand_uploads(uploads: list[tuple[str, bytes]]) -> Expanded:
    out = Expanded()
    for name, data in uploads:
        if PurePosixPath(name).suffix.lower() == ".zip":
            _expand_zip(name, data, out)
        else:
            _accept(name, data, out)
    return out
