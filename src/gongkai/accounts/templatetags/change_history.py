"""The change history (django-simple-history) in words: field labels and value labels, not the
stored codes (答复期限状态：计时中 → 逾期, not reply_status: running → missed)."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst

register = template.Library()


def value_label(model, name: str, value: Any) -> str:
    """A stored value as a person reads it: the choice label, the model's own label for a code
    without choices (``HISTORY_VALUE_LABELS``), 是/否, （空）."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    labels = getattr(model, "HISTORY_VALUE_LABELS", {}).get(name)
    if labels and str(value) in labels:
        return str(labels[str(value)])
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.get_internal_type() == "BooleanField" and str(value) in ("True", "False"):
        return "是" if str(value) == "True" else "否"
    return str(value)


def field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _field_named(model, label_or_name: str):
    """simple-history hands the template the field's label (capitalised verbose name); find the field."""
    for f in model._meta.get_fields():
        if getattr(f, "name", None) == label_or_name or capfirst(str(getattr(f, "verbose_name", ""))) == label_or_name:
            return f
    return None


@register.simple_tag
def history_change(record, change) -> dict[str, str]:
    """{"field", "old", "new"} of one change of a history record, in words."""
    model = getattr(record, "instance_type", None) or type(record.instance)
    get = change.get if isinstance(change, dict) else lambda k: getattr(change, k)
    field = _field_named(model, str(get("field")))
    if field is None:
        return {"field": str(get("field")), "old": str(get("old")), "new": str(get("new"))}

    def shown(value: Any) -> str:
        if value in ("None", None, ""):
            return "（空）"
        return value_label(model, field.name, value)

    return {"field": field_label(model, field.name), "old": shown(get("old")), "new": shown(get("new"))}
