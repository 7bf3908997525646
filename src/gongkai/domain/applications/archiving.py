"""Filing a closed case (归档) and the evidence list (证据目录): what goes in, in which order, under
which names, and how long the file is kept.

第四十五条 (procedure.md §1: "maintain a register → review → handling → reply → archive workflow")
makes archiving a step of the procedure. A case is filed once it is closed (a terminal state: no
move leaves one, so a filed case never changes; a 纠正 that orders a new reply opens a *new* case,
``Application.reopened_from``, which is filed on its own).

The package holds, in this order (:data:`SECTION_ORDER`): the application (what the applicant
attached, and the papers a forwarded application came with and an agent's 授权委托书), the receipt, every letter as sent, the delivery proofs, the information released, the
case log. Its index is the 卷内目录 (序号、文号、责任者、题名、日期、备注), printed first.

Retention [I]: 《机关文件材料归档范围和文书档案保管期限规定》(国家档案局令第8号) keeps files
永久, 30 years or 10 years; the spec says nothing of disclosure cases, so the default is 10 years
(``DEFAULT_RETENTION_YEARS``), which an agency changes on its archive page. A period is counted
from 1 January of the year after the file was closed (the archives' usual rule), so a case closed
in 2026 and kept 10 years is kept until 31 December 2036.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from gongkai.domain.errors import DomainError

DEFAULT_RETENTION_YEARS = 10
RETENTION_CHOICES: Mapping[int, str] = MappingProxyType({10: "定期10年", 30: "定期30年", 0: "永久"})


class Section(StrEnum):
    APPLICATION = "application"
    RECEIPT = "receipt"
    LETTER = "letter"
    DELIVERY = "delivery"
    RELEASED = "released"
    LOG = "log"

    @property
    def label(self) -> str:
        return SECTION_LABELS[self]


SECTION_LABELS: Mapping[Section, str] = MappingProxyType(
    {
        Section.APPLICATION: "申请材料",
        Section.RECEIPT: "回执",
        Section.LETTER: "文书（送达的版本）",
        Section.DELIVERY: "送达凭证",
        Section.RELEASED: "公开的政府信息",
        Section.LOG: "办理记录",
    }
)
SECTION_ORDER: tuple[Section, ...] = tuple(Section)


def retention_until(closed_on: date, years: int) -> date | None:
    """The last day a file closed on ``closed_on`` is kept; None when it is kept for ever (0 years)."""
    if years < 0:
        raise DomainError("保管期限不能为负数")
    if years == 0:
        return None
    return date(closed_on.year + years, 12, 31)


def check_can_file(*, is_terminal: bool, tracking_number: str) -> None:
    if not is_terminal:
        raise DomainError(f"申请{tracking_number}尚未办结，办结后才能归档（第四十五条：登记、审核、办理、答复、归档）")


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
MAX_NAME_CHARS = 80


def safe_file_name(name: str, *, default: str = "文件") -> str:
    """A name safe inside a zip on any system: no path, no separators or reserved characters, no
    leading dots, at most ``MAX_NAME_CHARS`` characters, the extension kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 8:
        stem, ext = name, ""
    ext = re.sub(r"[^A-Za-z0-9]", "", ext).lower()
    stem = stem.strip(" ._") or default
    room = MAX_NAME_CHARS - (len(ext) + 1 if ext else 0)
    stem = stem[:room].rstrip(" .")
    return f"{stem}.{ext}" if ext else stem


def numbered_name(number: int, title: str, original: str) -> str:
    """``03-答复书（予以公开）.docx``: the index number, the title, the original's extension (not
    twice when the title already ends with it: ``公开的政府信息：划片方案.pdf`` names the file)."""
    ext = original.rpartition(".")[2].lower() if "." in original else ""
    if ext and title.lower().endswith(f".{ext}"):
        title = title[: -len(ext) - 1]
    return safe_file_name(f"{number:02d}-{title}" + (f".{ext}" if ext else ""))


def check_total_size(sizes: list[int], *, limit: int) -> None:
    total = sum(sizes)
    if total > limit:
        raise DomainError(
            f"文件合计{total / 1024 / 1024:.1f}MB，超过单个压缩包{limit // 1024 // 1024}MB的上限，请分批导出或压缩扫描件后再试"
        )
