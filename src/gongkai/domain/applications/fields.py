"""The fields a workflow action asks for, with Chinese labels for the form and its error messages.

One registry for every action, so the same name (``sent_on``, ``party`` …) means the same thing
and reads the same label everywhere. Validation checks the type and range of one field at a time;
rules that relate fields to each other live with the action in :mod:`.workflow`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Mapping

from gongkai.domain.clocks import MAX_EXTENSION_WORKING_DAYS
from gongkai.domain.errors import DomainError
from gongkai.domain.fees import FeeMethod
from gongkai.domain.outcomes import OUTCOMES


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

CONSULTATION_RESPONSES: Mapping[str, str] = MappingProxyType(
    {"agreed": "同意公开", "objected": "不同意公开", "no_reply": "逾期未答复"}
)
# 第三十九条第一款 names the three kinds of request that are not disclosure applications.
NOT_AN_APPLICATION_KINDS: Mapping[str, str] = MappingProxyType({"petition": "信访", "complaint": "投诉", "report": "举报"})

_D, _T, _I, _L, _C = FieldKind.DATE, FieldKind.TEXT, FieldKind.INTEGER, FieldKind.TEXT_LIST, FieldKind.CHOICE


def _specs(*specs: FieldSpec) -> Mapping[str, FieldSpec]:
    return MappingProxyType({s.name: s for s in specs})


# ``resume_state`` takes its choices from workflow.State; it is added there to avoid a cycle.
FIELDS: Mapping[str, FieldSpec] = _specs(
    FieldSpec("confirmed_on", "确认收到日期", _D),
    FieldSpec("received_on", "收到补正材料日期", _D),
    FieldSpec("requested_on", "发出日期", _D),
    FieldSpec("items", "需要补正的事项", _L),
    FieldSpec("period_working_days", "补正期限（工作日）", _I, minimum=1),
    FieldSpec("until", "补正截止日期", _D),
    FieldSpec("reply_until", "另行确定的答复期限", _D),
    FieldSpec("notified_on", "告知申请人日期", _D),
    FieldSpec("party", "征求意见对象", _T),
    FieldSpec("sent_on", "征求意见函发出日期", _D),
    FieldSpec("delivered_on", "征求意见函送达日期", _D),
    FieldSpec("ended_on", "收到意见或答复期满日期", _D),
    FieldSpec("response", "征求意见结果", _C, choices=CONSULTATION_RESPONSES),
    FieldSpec("reason", "延期理由", _T),
    FieldSpec("working_days", "延长工作日数", _I, minimum=1, maximum=MAX_EXTENSION_WORKING_DAYS),
    FieldSpec("approved_on", "批准日期", _D),
    FieldSpec("comment", "意见", _T),
    FieldSpec("method", "收费方式", _C, choices=MappingProxyType({m.value: m.label for m in FeeMethod})),
    FieldSpec("month_position", "本自然月累计申请序号", _I, minimum=1),
    FieldSpec("pages", "页数", _I, minimum=0),
    FieldSpec("amount", "收费金额（元）", _I, minimum=0),
    FieldSpec("notice_received_on", "申请人收到收费通知日期", _D),
    FieldSpec("paid_on", "缴费日期", _D),
    FieldSpec("outcome_code", "办理结果", _C, choices=MappingProxyType({o.code: o.label for o in OUTCOMES})),
    FieldSpec("legal_basis", "法律依据", _T),
    FieldSpec("replied_on", "答复日期", _D),
    FieldSpec("decided_on", "决定日期", _D),
    FieldSpec("kind", "请求类别", _C, choices=NOT_AN_APPLICATION_KINDS),
    FieldSpec("referred_to", "告知的办理渠道", _T),
    FieldSpec("withdrawn_on", "撤回日期", _D),
)


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
