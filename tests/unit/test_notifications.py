"""The rules of the reminders (domain.notifications): quiet hours, the SMS text, a mobile number."""

from datetime import datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.errors import DomainError
from gongkai.domain.notifications import SMS_MAX_CHARS, QuietHours, check_mobile, notice_recipient, sms_text

NIGHT = QuietHours()  # 21:00-08:00


@pytest.mark.parametrize(
    ("at", "released"),
    [
        (datetime(2026, 12, 7, 20, 59), datetime(2026, 12, 7, 20, 59)),  # before 21:00: at once
        (datetime(2026, 12, 7, 21, 0), datetime(2026, 12, 8, 8, 0)),  # the evening: next morning
        (datetime(2026, 12, 7, 23, 30), datetime(2026, 12, 8, 8, 0)),
        (datetime(2026, 12, 8, 3, 0), datetime(2026, 12, 8, 8, 0)),  # after midnight: the same morning
        (datetime(2026, 12, 8, 8, 0), datetime(2026, 12, 8, 8, 0)),  # 08:00 is no longer quiet
        (datetime(2026, 12, 31, 22, 0), datetime(2027, 1, 1, 8, 0)),  # across the year
    ],
)
def test_an_sms_due_in_the_quiet_hours_waits_until_they_end(at, released):
    assert NIGHT.release_at(at) == released


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)))
def test_a_released_time_is_never_earlier_never_quiet_and_within_eleven_hours(at):
    out = NIGHT.release_at(at)
    assert out >= at and not NIGHT.is_quiet(out.time())
    assert (out - at).total_seconds() <= 11 * 3600


def test_a_daytime_window_and_the_setting_text():
    lunch = QuietHours.parse("12:00-13:30")
    assert lunch.is_quiet(time(12, 45)) and not lunch.is_quiet(time(13, 30))
    assert lunch.release_at(datetime(2026, 12, 7, 12, 10)) == datetime(2026, 12, 7, 13, 30)
    for bad in ("25:00-08:00", "晚上", "08:00-08:00"):
        with pytest.raises(DomainError) as info:
            QuietHours.parse(bad)
        assert "免打扰" in info.value.message


def test_an_sms_is_one_line_and_cut_to_its_length():
    assert sms_text("督办", "第一行\n第二行") == "【督办】第一行 第二行"
    long = sms_text("摘要", "申" * 500)
    assert len(long) == SMS_MAX_CHARS and long.endswith("…")


def test_an_sms_goes_only_to_a_mobile_number_and_an_email_notice_needs_an_address():
    assert check_mobile("138 0013 8000") == "13800138000"
    assert check_mobile("+86 138-0013-8000") == "13800138000"
    for bad in ("010-62000001", "1380013800", "12800138000"):
        with pytest.raises(DomainError):
            check_mobile(bad)
    assert notice_recipient("email", email="a@example.cn", phone="") == "a@example.cn"
    with pytest.raises(DomainError) as info:
        notice_recipient("email", email="", phone="13800138000")
    assert "电子邮箱" in info.value.message
    assert notice_recipient("sms", email="", phone="13800138000") == "13800138000"
