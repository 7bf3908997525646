"""Rules of service (送达) and filing (归档), written from the texts they follow (issue 16 §3, §6).

- 国办函〔2020〕109号 as procedure.md §5.5 restates it: "The applicant must pay within 20 working days
  from the day after receiving the notice"; §3.3 "Fee payment window [S]: 20 working days from the
  day after the applicant receives the notice". The window runs from *service*.
- UPU S10 (the international numbering of postal items, EMS and registered letters alike): two
  letters, eight serial digits, a check digit, the two-letter country code; the check digit is
  11 − (Σ digit × 8 6 4 2 3 5 9 7 mod 11), 10 → 0, 11 → 5.
- 国家档案局令第8号 keeps files 永久, 30 or 10 years, counted from 1 January after the year closed [I].
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.applications.archiving import (
    MAX_NAME_CHARS,
    numbered_name,
    retention_until,
    safe_file_name,
)
from gongkai.domain.applications.serving import (
    DeliveryEntry,
    check_delivery,
    check_tracking_number,
    late_service_warning,
    s10_check_digit,
)
from gongkai.domain.applications.workflow import Action, State, check_transition
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.clocks import ClockEvent, ClockPolicy, EventKind, application_deadlines, awaiting_service
from gongkai.domain.errors import DomainError
from gongkai.domain.fields import FieldError

CAL = WorkingCalendar.official()
SERVICE = ClockPolicy(periods_need_service=True)


def _entry(**kw) -> DeliveryEntry:
    args = {
        "method": "ems",
        "sent_on": date(2026, 3, 10),
        "recipient": "刘洋",
        "tracking_number": "EA123456785CN",
    }
    return DeliveryEntry(**{**args, **kw})


# -- tracking numbers ---------------------------------------------------------------------------------


def test_the_s10_check_digit_counted_by_hand():
    # 1×8 + 2×6 + 3×4 + 4×2 + 5×3 + 6×5 + 7×9 + 8×7 = 204; 204 mod 11 = 6; 11 − 6 = 5
    assert s10_check_digit("12345678") == 5
    # 0 everywhere: sum 0, 11 − 0 = 11 → 5
    assert s10_check_digit("00000000") == 5
    # 4×7 = 28 (last digit 4): 28 mod 11 = 6 → 5; 1×8 + 1×7 (10000001): 15 mod 11 = 4 → 7
    assert s10_check_digit("10000001") == 7


def test_an_s10_number_with_a_wrong_check_digit_is_refused_a_domestic_number_is_taken_as_typed():
    assert check_tracking_number(" ea 1234 5678 5cn ") == "EA123456785CN"
    with pytest.raises(FieldError, match="校验位不正确"):
        check_tracking_number("EA123456786CN")
    assert check_tracking_number("1100123456789") == "1100123456789"
    with pytest.raises(FieldError, match="10至30位"):
        check_tracking_number("EA12")


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_every_serial_has_exactly_one_valid_s10_number(serial):
    valid = [d for d in range(10) if _valid(f"EE{serial}{d}CN")]
    assert valid == [s10_check_digit(serial)]


def _valid(number: str) -> bool:
    try:
        check_tracking_number(number)
    except FieldError:
        return False
    return True


# -- a delivery entry ---------------------------------------------------------------------------------


def test_post_needs_its_tracking_number_and_other_methods_have_none():
    with pytest.raises(FieldError, match="挂号信送达须填写邮件号码") as err:
        check_delivery(_entry(method="registered_mail", tracking_number=""), today=date(2026, 3, 12))
    assert err.value.field == "tracking_number"
    with pytest.raises(FieldError, match="不需要填写邮件号码"):
        check_delivery(_entry(method="online"), today=date(2026, 3, 12))


def test_served_neither_before_it_was_sent_nor_after_today_nor_sent_before_the_letters_date():
    today = date(2026, 3, 12)
    with pytest.raises(FieldError, match="不能早于发出日期") as err:
        check_delivery(_entry(served_on=date(2026, 3, 9)), today=today)
    assert err.value.field == "served_on"
    with pytest.raises(FieldError, match="不能晚于今天"):
        check_delivery(_entry(served_on=date(2026, 3, 13)), today=today)
    with pytest.raises(FieldError, match="不能早于文书日期"):
        check_delivery(_entry(), today=today, letter_date=date(2026, 3, 11))
    # served the day it was sent is possible (a courier the same day)
    assert check_delivery(_entry(served_on=date(2026, 3, 10)), today=today).served_on == date(2026, 3, 10)


def test_handed_over_is_served_that_day_and_e_mail_names_its_address():
    today = date(2026, 3, 12)
    with pytest.raises(FieldError, match="当面送达"):
        check_delivery(_entry(method="in_person", tracking_number="", served_on=date(2026, 3, 11)), today=today)
    with pytest.raises(FieldError, match="电子邮箱地址"):
        check_delivery(_entry(method="email", tracking_number="", address="刘洋"), today=today)
    ok = check_delivery(_entry(method="email", tracking_number="", address=" ly@example.cn "), today=today)
    assert ok.address == "ly@example.cn"


def test_a_correction_notice_served_after_its_period_is_flagged():
    # 第三十条: a reasonable period; a notice served once it has run out leaves none
    assert "已届满" in late_service_warning(
        served_on=date(2026, 3, 20), period_ends=date(2026, 3, 18), working_days_left=-2
    )
    assert late_service_warning(served_on=date(2026, 3, 12), period_ends=date(2026, 3, 24), working_days_left=8) == ""


# -- the fee window runs from service -----------------------------------------------------------------


RECEIVED = ClockEvent(EventKind.RECEIVED, date(2024, 3, 1))


def _fee(delivered_on=None):
    return ClockEvent(EventKind.FEE_NOTIFIED, date(2024, 3, 5), delivered_on=delivered_on)


def test_the_fee_window_counts_twenty_working_days_from_the_day_after_service():
    events = [RECEIVED, _fee(delivered_on=date(2024, 3, 8))]
    d = next(
        d
        for d in application_deadlines(events, calendar=CAL, today=date(2024, 3, 8), policy=SERVICE)
        if d.key == "fee_payment"
    )
    # from the day after Fri 03-08: 11–15 (5), 18–22 (10), 25–29 (15), 4-1, 2, 3 (18),
    # 4-4..6 清明 off, Sun 4-7 make-up workday (19), 4-8 (20)
    assert d.start == date(2024, 3, 8) and d.due == date(2024, 4, 8)


def test_without_a_served_date_the_window_is_not_guessed_from_the_sending():
    events = [RECEIVED, _fee()]
    keys = [d.key for d in application_deadlines(events, calendar=CAL, today=date(2024, 5, 1), policy=SERVICE)]
    assert "fee_payment" not in keys
    assert awaiting_service(events, policy=SERVICE) == ["fee_payment"]
    # paid: nothing waits any more
    assert awaiting_service([*events, ClockEvent(EventKind.FEE_PAID, date(2024, 3, 20))], policy=SERVICE) == []


def test_a_fee_lapse_needs_a_window_that_started():
    deadlines = application_deadlines([RECEIVED, _fee()], calendar=CAL, today=date(2024, 5, 1), policy=SERVICE)
    with pytest.raises(FieldError, match="送达日期尚未登记") as err:
        check_transition(
            State.FEE_NOTIFIED, Action.FEE_LAPSED, actor_roles={"clerk"}, fields={"decided_on": date(2024, 5, 1)},
            deadlines=deadlines,
        )  # fmt: skip
    assert err.value.field == "decided_on"


def test_a_fee_notice_may_be_sent_before_its_receipt_is_known():
    row = check_transition(
        State.IN_PROGRESS,
        Action.NOTIFY_FEE,
        actor_roles={"clerk"},
        fields={"method": "per_application", "month_position": 11, "amount": 100, "fee_sent_on": date(2024, 3, 5)},
    )
    assert row.to is State.FEE_NOTIFIED


# -- filing ---------------------------------------------------------------------------------------------


def test_retention_counts_from_the_first_of_january_after_the_case_closed():
    assert retention_until(date(2026, 3, 10), 10) == date(2036, 12, 31)
    assert retention_until(date(2026, 12, 31), 30) == date(2056, 12, 31)
    assert retention_until(date(2026, 3, 10), 0) is None  # 永久
    with pytest.raises(DomainError):
        retention_until(date(2026, 3, 10), -1)


def test_names_in_a_package_carry_no_path_and_keep_their_extension():
    assert safe_file_name("../../etc/passwd") == "passwd"
    assert safe_file_name("C:\\scans\\回证<1>?.PDF") == "回证_1.pdf"
    assert safe_file_name("...") == "文件"
    assert numbered_name(4, "答复书（予以公开）", "x/y/reply-signed.docx") == "04-答复书（予以公开）.docx"
    # a title that names the file already ends with its extension: not written twice
    assert numbered_name(5, "公开的政府信息：划片方案.PDF", "划片方案.PDF") == "05-公开的政府信息：划片方案.pdf"
    assert numbered_name(6, "申请附件：说明.pdf", "说明.pdf.docx") == "06-申请附件：说明.pdf.docx"


@given(st.text(max_size=300))
def test_any_name_becomes_a_safe_short_one(name):
    safe = safe_file_name(name)
    assert safe and len(safe) <= MAX_NAME_CHARS
    assert not any(c in safe for c in '/\\:*?"<>|') and not safe.startswith(".")
