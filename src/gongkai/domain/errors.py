"""Errors raised by the domain rules.

Every error carries a message in Chinese (``message``) because it is shown as is to the clerk,
in the web app, the API and the command line alike.
"""

from enum import Enum
from typing import Any, TypeVar

E = TypeVar("E", bound=Enum)


class DomainError(Exception):
    """A rule of the domain was broken; ``message`` says which, in Chinese."""

    code = "domain_error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def member(enum_type: type[E], value: Any, what: str) -> E:
    """``value`` as a member of ``enum_type``, or a DomainError naming ``what`` (e.g. 文件状态)."""
    try:
        return enum_type(value)
    except ValueError:
        raise DomainError(f"未知的{what}“{value}”") from None


class CalendarNotCovered(DomainError):
    """A working-day count reached a year whose holiday notice has not been entered."""

    code = "calendar_not_covered"

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"尚未录入{year}年节假日安排，无法按工作日计算跨入{year}年的期限。"
            f"请在“节假日安排”中录入国务院办公厅公布的{year}年安排后再试。"
        )


class InvalidHolidayNotice(DomainError):
    """A holiday notice entered by the agency does not hold together."""

    code = "invalid_holiday_notice"

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("；".join(problems))


class TransitionNotAllowed(DomainError):
    """A workflow was asked to make a move its transition table does not allow."""

    code = "transition_not_allowed"
