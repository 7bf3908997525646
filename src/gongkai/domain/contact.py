"""The agency's published contact details: a light check of a telephone or fax number and an e-mail.

Light on purpose: a number is printed on letters and the guide as the office writes it (010-12345678,
(010)1234-5678转801, 13800138000, 400 800 1234), so the check refuses only what cannot be dialled or
mailed (letters, too few digits) and leaves the layout alone.
"""

from __future__ import annotations

import re

from gongkai.domain.fields import FieldError

_PHONE_CHARS = re.compile(r"^[0-9０-９+＋\-－—()（）\s转,，、/;；]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
MIN_DIGITS, MAX_DIGITS = 5, 30


def check_phone(field: str, value: str, label: str = "电话号码") -> str:
    """``value`` trimmed, or a FieldError (Chinese): only digits, separators, 转 and brackets."""
    value = (value or "").strip()
    if not value:
        return ""
    digits = sum(c.isdigit() for c in value)
    if not _PHONE_CHARS.match(value) or not MIN_DIGITS <= digits <= MAX_DIGITS:
        raise FieldError(field, f"{label}格式不正确：只能包含数字、“-”、括号和“转”，例如 010-12345678 或 13800138000")
    return value


def check_email(field: str, value: str) -> str:
    value = (value or "").strip()
    if value and not _EMAIL.match(value):
        raise FieldError(field, "电子邮箱格式不正确，例如 xxgk@example.gov.cn")
    return value
