"""The applicant's choice to be told when the receipt and the reply are ready (issue 16 §7), one
field for both forms that take an application: the public form, where the applicant chooses, and
the clerk's registration, where the clerk writes down what the applicant asked for (by letter, at
the counter, on the telephone). Both refuse the same things."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.domain.errors import DomainError
from gongkai.domain.notifications import notice_recipient

NOTIFY_CHOICES = [
    ("", "不需要"),
    ("email", "发邮件到上面填写的邮箱"),
    ("sms", "发短信到上面填写的手机号码"),
]


def notify_by_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=NOTIFY_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "请从列出的通知方式中选择"},
    )


def check_notify_by(form: forms.Form, data: dict[str, Any]) -> None:
    """A channel needs its address: an e-mail address for e-mail, a mobile number for SMS (the
    address fields' own errors are said first)."""
    if data.get("notify_by") and "email" not in form.errors and "phone" not in form.errors:
        try:
            notice_recipient(data["notify_by"], email=data.get("email") or "", phone=data.get("phone") or "")
        except DomainError as err:
            form.add_error("notify_by", err.message)
