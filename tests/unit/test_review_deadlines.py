"""The agency's answer and defence deadlines (日, not 工作日) and the new reply a 纠正 orders, with the
dates counted by hand on the 2026 notice (off 04-04..06, 05-01..05, 06-19..21, 09-25..27, 10-01..07;
make-up working days Sat 02-14, Sat 02-28, Sat 05-09, Sun 09-20, Sat 10-10)."""

from datetime import date

import pytest

from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.errors import DomainError
from gongkai.domain.review_deadlines import answer_deadline, re_reply_due

CAL = WorkingCalendar.official()


def test_the_written_review_answer_is_due_ten_days_after_the_copy_arrives():
    d = answer_deadline("review", date(2026, 3, 2), calendar=CAL, today=date(2026, 3, 2))
    # 03-02 + 10 days = Thu 03-12, a working day
    assert (d.last_day, d.due, d.moved, d.status) == (date(2026, 3, 12), date(2026, 3, 12), False, "running")
    # the 2023 article numbers could not be checked against an official text: the law is named, no article
    assert d.basis == "《中华人民共和国行政复议法》" and "不是工作日" in d.note
    # counted the strict way, and the page says the working-day reading is never earlier
    assert "如按工作日计算，期限不会早于此日" in d.note


def test_the_calendar_day_reading_of_the_review_answer_is_never_later_than_the_working_day_one():
    # 2026-09-21 + 10 calendar days → 10-01 (国庆节) → 10-08. Ten working days after 09-21 (中秋
    # 09-25..27 and 国庆 10-01..07 off, Sat 10-10 a make-up day): 09-22, 23, 24, 28, 29, 30, 10-08, 09,
    # 10, 12 → 10-12, later than the strict date
    d = answer_deadline("review", date(2026, 9, 21), calendar=CAL, today=date(2026, 9, 21))
    assert d.due == date(2026, 10, 8) and CAL.add_working_days(date(2026, 9, 21), 10, "A") == date(2026, 10, 12)


def test_a_last_day_on_a_weekend_moves_to_the_next_working_day():
    d = answer_deadline("review", date(2026, 3, 4), calendar=CAL, today=date(2026, 3, 4))
    # 03-04 + 10 = Sat 03-14 → Mon 03-16
    assert (d.last_day, d.due) == (date(2026, 3, 14), date(2026, 3, 16)) and "顺延至2026-03-16" in d.note


def test_a_last_day_in_the_national_day_holiday_moves_past_it():
    d = answer_deadline("review", date(2026, 9, 21), calendar=CAL, today=date(2026, 9, 21))
    # 09-21 + 10 = 10-01 (国庆节, off to 10-07) → Thu 10-08
    assert d.due == date(2026, 10, 8)


def test_the_defence_is_due_fifteen_days_after_the_complaint_arrives():
    d = answer_deadline("litigation", date(2026, 4, 20), calendar=CAL, today=date(2026, 4, 20))
    # 04-20 + 15 = 05-05 (劳动节, off 05-01..05) → Wed 05-06
    assert (d.last_day, d.due) == (date(2026, 5, 5), date(2026, 5, 6)) and "第六十七条" in d.basis


def test_a_make_up_working_saturday_is_not_moved():
    d = answer_deadline("litigation", date(2026, 2, 13), calendar=CAL, today=date(2026, 2, 13))
    # 02-13 + 15 = Sat 02-28, a make-up working day
    assert d.due == date(2026, 2, 28) and not d.moved


def test_met_and_missed():
    assert (
        answer_deadline(
            "review", date(2026, 3, 2), calendar=CAL, today=date(2026, 3, 20), answered_on=date(2026, 3, 12)
        ).status
        == "met"
    )
    assert answer_deadline("review", date(2026, 3, 2), calendar=CAL, today=date(2026, 3, 13)).status == "missed"
    with pytest.raises(DomainError):
        answer_deadline("review", date(2026, 3, 2), calendar=CAL, today=date(2026, 3, 1))


def test_a_new_reply_is_due_on_the_ordered_date_or_in_twenty_working_days():
    due, basis = re_reply_due(date(2026, 6, 1), calendar=CAL)
    # 06-02..05 (4), 08..12 (9), 15..18 (13), 06-19 off, 22..26 (18), 29 (19), 30 (20)
    assert due == date(2026, 6, 30) and "20个工作日" in basis
    assert re_reply_due(date(2026, 6, 1), calendar=CAL, ordered_until=date(2026, 6, 15)) == (
        date(2026, 6, 15),
        "行政复议决定或人民法院裁判确定的期限",
    )
    with pytest.raises(DomainError):
        re_reply_due(date(2026, 6, 1), calendar=CAL, ordered_until=date(2026, 6, 1))
