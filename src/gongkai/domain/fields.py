"""Field specs of workflow actions: what a form asks for, its Chinese label, and the check of one value.

Shared by every workflow (:mod:`gongkai.domain.workflow`): a transition row names its fields, the
workflow's registry (a mapping name → :class:`FieldSpec`) says what each one is. Validation checks
the type and range of one field at a time; rules that relate fields to each other live with the
workflow that needs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from gongkai.domain.errors import DomainError


class FieldError(DomainError):
    """A field of an action is missing or invalid; ``field`` says which, so the form can show it there."""

    code = "field_error"

    def __init__(self, field_name: str, message: str):
        self.field = field_name
        super().__init__(message)


class FieldKind(StrEnum):
    DATE = "date"
    TEXT = "text"
    INTEGER = "integer"
    TEXT_LIST = "text_list"
    CHOICE = "choice"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: FieldKind
    choices: Mapping[str, str] = field(default_factory=dict)  # value → Chinese label
    minimum: int | None = None
    maximum: int | None = None

    def validate(self, value: Any) -> None:
        if value is None or (isinstance(value, str) and not value.strip()):
            raise FieldError(self.name, f"请填写“{self.label}”")
        check = _CHECKS[self.kind]
        check(self, value)


def _date(spec: FieldSpec, value: Any) -> None:
    # datetime is a date subclass; a timestamp here would make date comparisons raise later.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise FieldError(spec.name, f"“{spec.label}”应为日期，收到的是“{value!r}”")


def _text(spec: FieldSpec, value: Any) -> None:
    if not isinstance(value, str):
        raise FieldError(spec.name, f"“{spec.label}”应为文字，收到的是“{value!r}”")


def _integer(spec: FieldSpec, value: Any) -> None:
    # bool is an int subclass: True working days is a bug, not one day.
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(spec.name, f"“{spec.label}”应为整数，收到的是“{value!r}”")
    if spec.minimum is not None and value < spec.minimum:
        raise FieldError(spec.name, f"“{spec.label}”不能小于{spec.minimum}，收到的是{value}")
    if spec.maximum is not None and value > spec.maximum:
        raise FieldError(spec.name, f"“{spec.label}”不能大于{spec.maximum}，收到的是{value}")


def _text_list(spec: FieldSpec, value: Any) -> None:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise FieldError(spec.name, f"“{spec.label}”应逐项列出")
    if not value:
        raise FieldError(spec.name, f"请至少列出一项“{spec.label}”")
    for i, item in enumerate(value, 1):
        if not isinstance(item, str) or not item.strip():
            raise FieldError(spec.name, f"“{spec.label}”第{i}项为空")


def _choice(spec: FieldSpec, value: Any) -> None:
    if str(value) not in spec.choices:
        allowed = "、".join(spec.choices.values())
        raise FieldError(spec.name, f"“{spec.label}”应为{allowed}之一，收到的是“{value}”")


_CHECKS = {
    FieldKind.DATE: _date,
    FieldKind.TEXT: _text,
    FieldKind.INTEGER: _integer,
    FieldKind.TEXT_LIST: _text_list,
    FieldKind.CHOICE: _choice,
}


def field_registry(*specs: FieldSpec) -> Mapping[str, FieldSpec]:
    """A read-only registry name → spec, in the order given."""
    return MappingProxyType({s.name: s for s in specs})


def validate_fields(
    specs: Mapping[str, FieldSpec],
    fields: Mapping[str, Any],
    *,
    required: tuple[str, ...],
    one_of: tuple[tuple[str, ...], ...] = (),
    optional: tuple[str, ...] = (),
) -> None:
    """Every required field present and valid, exactly one of each ``one_of`` group, optional ones valid if given."""
    for name in required:
        specs[name].validate(fields.get(name))
    for group in one_of:
        given = [n for n in group if fields.get(n) not in (None, "")]
        labels = "或".join(f"“{specs[n].label}”" for n in group)
        if not given:
            raise FieldError(group[0], f"请填写{labels}")
        if len(given) > 1:
            raise FieldError(given[1], f"{labels}只能填写一项")
        specs[given[0]].validate(fields[given[0]])
    for name in optional:
        if fields.get(name) not in (None, ""):
            specs[name].validate(fields[name])
