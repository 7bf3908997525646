"""The validity (有效性) of 规章 and 行政规范性文件: 现行有效 / 已修改 / 已废止 / 已失效.

A document is 现行有效 from its signing; it may be 已修改 (amended by a later document: still in
force, as amended), 已废止 (repealed by a later document: the date and the repealing document are
recorded) or 已失效 (lapsed: its term ran out or its basis fell away, without a repeal decision).
已废止 and 已失效 are final. Other documents have no validity state.

Table 二 counts a document as in force on a day if it was signed by then and had not been repealed
or lapsed by then (:func:`in_force_on`); 已修改 documents stay in force.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from gongkai.domain.disclosure.catalogue import DocumentKind
from gongkai.domain.errors import DomainError


class Validity(StrEnum):
    IN_FORCE = "in_force"
    AMENDED = "amended"
    REPEALED = "repealed"
    LAPSED = "lapsed"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def in_force(self) -> bool:
        return self in (Validity.IN_FORCE, Validity.AMENDED)

    @property
    def is_final(self) -> bool:
        return not self.in_force


_LABELS = {
    Validity.IN_FORCE: "现行有效",
    Validity.AMENDED: "已修改",
    Validity.REPEALED: "已废止",
    Validity.LAPSED: "已失效",
}

# From which state each state may be reached (现行有效 is only ever the start).
ALLOWED_CHANGES: Mapping[Validity, frozenset[Validity]] = MappingProxyType(
    {
        Validity.IN_FORCE: frozenset({Validity.AMENDED, Validity.REPEALED, Validity.LAPSED}),
        Validity.AMENDED: frozenset({Validity.AMENDED, Validity.REPEALED, Validity.LAPSED}),
        Validity.REPEALED: frozenset(),
        Validity.LAPSED: frozenset(),
    }
)


class ValidityError(DomainError):
    code = "validity_error"

    def __init__(self, field_name: str, message: str):
        self.field = field_name
        super().__init__(message)


def _validity(value: Validity | str) -> Validity:
    try:
        return Validity(value)
    except ValueError:
        raise ValidityError("validity", f"未知的有效性状态“{value}”") from None


def initial_validity(kind: DocumentKind | str) -> Validity | None:
    """现行有效 for 规章 and 行政规范性文件, none for other documents."""
    return Validity.IN_FORCE if DocumentKind(kind).has_validity else None


@dataclass(frozen=True)
class ValidityChange:
    validity: Validity
    changed_on: date
    changed_by: str  # the amending or repealing document (title or 文号); may be empty only for 已失效


def check_validity_change(
    kind: DocumentKind | str,
    current: Validity | str | None,
    new: Validity | str,
    *,
    changed_on: date | None,
    changed_by: str,
    signed_on: date | None,
    previous_change_on: date | None = None,
    today: date,
) -> ValidityChange:
    """The change, checked: kind, allowed move, a date between signing and today, the deciding document.

    ``previous_change_on``: the date of the last change (an amendment), which a later change may
    not precede.
    """
    kind = DocumentKind(kind)
    if not kind.has_validity:
        raise ValidityError("validity", f"只有规章和行政规范性文件标注有效性，本文件是“{kind.label}”")
    cur = _validity(current) if current else Validity.IN_FORCE
    new_v = _validity(new)
    if new_v not in ALLOWED_CHANGES[cur]:
        if cur.is_final:
            raise ValidityError("validity", f"文件已“{cur.label}”，有效性不能再变更")
        raise ValidityError("validity", f"有效性不能从“{cur.label}”改为“{new_v.label}”")
    if changed_on is None:
        raise ValidityError("changed_on", f"请填写{new_v.label[1:]}日期")
    if changed_on > today:
        raise ValidityError("changed_on", f"{new_v.label[1:]}日期{changed_on}晚于今天（{today}）")
    if signed_on is not None and changed_on < signed_on:
        raise ValidityError("changed_on", f"{new_v.label[1:]}日期{changed_on}早于文件签发日期{signed_on}")
    if previous_change_on is not None and changed_on < previous_change_on:
        raise ValidityError("changed_on", f"{new_v.label[1:]}日期{changed_on}早于上次变更日期{previous_change_on}")
    changed_by = changed_by.strip()
    if new_v in (Validity.AMENDED, Validity.REPEALED) and not changed_by:
        word = "修改" if new_v is Validity.AMENDED else "废止"
        raise ValidityError("changed_by", f"请填写{word}本文件的文件名称或文号")
    return ValidityChange(new_v, changed_on, changed_by)


def in_force_on(signed_on: date, validity: Validity | str, changed_on: date | None, day: date) -> bool:
    """Whether a 规章/行政规范性文件 was in force at the end of ``day``.

    Signed on or before ``day``, and not repealed or lapsed on or before ``day`` (a repeal or lapse
    dated after ``day`` had not happened yet; an amendment never ends the document).
    """
    if signed_on > day:
        return False
    v = _validity(validity)
    if v.in_force:
        return True
    return changed_on is not None and changed_on > day
