"""Statutory clocks (procedure.md §3.3): the gold dates, pauses, corrections, statuses, refusals."""

import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.clocks import (
    ClockEvent,
    ClockPolicy,
    Deadline,
    DeadlineStatus,
    EventKind,
    application_deadlines,
    publication_deadline,
    reply_deadline,
)
from gongkai.domain.errors import CalendarNotCovered, DomainError

CAL = WorkingCalendar.official()
E, K, S = ClockEvent, EventKind, DeadlineStatus
# Far enough from the end of coverage for 20 + 20 + 15 working days to stay inside 2026.
receipts = st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 8, 31))


def deadlines(events, today, **kw) -> list[Deadline]:
    return application_deadlines(events, calendar=CAL, today=today, **kw)


def by_key(events, today, key, **kw) -> Deadline:
    return next(d for d in deadlines(events, today, **kw) if d.key == key)


def reply(events, today, **kw) -> Deadline:
    return reply_deadline(deadlines(events, today, **kw))


def received(on):
    return E(K.RECEIVED, on)


def consultation(sent, delivered, party="某公司", agency=False):
    kind = K.AGENCY_CONSULTATION_STARTED if agency else K.THIRD_PARTY_CONSULTATION_STARTED
    return E(kind, sent, delivered_on=delivered, party=party)


def ended(on, party="某公司"):
    return E(K.CONSULTATION_ENDED, on, party=party)


def _gold_cases(shared_dir, n):
    lines = (shared_dir / "calendar" / "deadline_cases.jsonl").read_text(encoding="utf-8").splitlines()
    return [c for c in map(json.loads, filter(str.strip, lines)) if c["working_days"] == n]


# -- hand-checked dates from deadline_cases.jsonl -------------------------------------------------


def test_an_extension_adds_twenty_working_days_to_the_reply_deadline():
    # gold case: received 2021-02-10, 20 + 20 working days across the Spring Festival → 2021-04-14
    events = [received(date(2021, 2, 10)), E(K.EXTENSION_GRANTED, date(2021, 3, 1), working_days=20)]
    d = reply(events, date(2021, 3, 1))
    assert d.due == date(2021, 4, 14)
    assert d.working_days == 40 and d.status is S.RUNNING
    assert "含延期20个工作日" in d.note and "第二款" in d.basis


def test_the_extended_reply_can_fall_due_on_a_make_up_saturday():
    # gold case: received 2025-12-19 + 40 working days → make-up Saturday 2026-02-14
    events = [received(date(2025, 12, 19)), E(K.EXTENSION_GRANTED, date(2026, 1, 5), working_days=20)]
    assert reply(events, date(2026, 1, 5)).due == date(2026, 2, 14)


def test_the_correction_notice_is_due_seven_working_days_after_receipt_across_the_spring_festival():
    # gold case: received 2024-02-08, 7 working days → 2024-02-23 (2024-02-18 make-up Sunday counts)
    d = by_key([received(date(2024, 2, 8))], date(2024, 2, 8), "correction_notice")
    assert d.due == date(2024, 2, 23) and d.basis == "第三十条"


def test_convention_b_moves_day_zero_of_a_holiday_receipt_and_records_it():
    # gold case: received in the 2025 Spring Festival; A gives 2025-03-03, B gives 2025-03-04
    events = [received(date(2025, 1, 30))]
    assert reply(events, date(2025, 2, 5)).due == date(2025, 3, 3)
    b = reply(events, date(2025, 2, 5), convention="B")
    assert (b.due, b.start, b.convention) == (date(2025, 3, 4), date(2025, 2, 5), "B")
    assert "顺延" in b.note


@pytest.mark.parametrize("n", [20, 40])
def test_every_gold_reply_case_is_reproduced(shared_dir, n):
    cases = _gold_cases(shared_dir, n)
    assert cases
    for c in cases:
        on = date.fromisoformat(c["received"])
        events = [received(on)] + ([E(K.EXTENSION_GRANTED, on, working_days=20)] if n == 40 else [])
        assert reply(events, on).due.isoformat() == c["due"], c


def test_every_gold_fifteen_day_case_is_a_consultation_window(shared_dir):
    for c in _gold_cases(shared_dir, 15):
        on = date.fromisoformat(c["received"])
        d = by_key([received(on), consultation(on, on)], on, "consultation_reply")
        assert d.due.isoformat() == c["due"], c


def test_every_gold_seven_day_case_is_a_correction_notice_deadline(shared_dir):
    for c in _gold_cases(shared_dir, 7):
        on = date.fromisoformat(c["received"])
        assert by_key([received(on)], on, "correction_notice").due.isoformat() == c["due"], c


# -- properties -----------------------------------------------------------------------------------


@given(receipts, st.integers(0, 20), st.integers(0, 20), st.integers(0, 15))
def test_the_reply_is_always_due_on_a_working_day(on, extension, pause_at, pause_len):
    start = CAL.add_working_days(on, pause_at)
    events = [received(on), consultation(start, start), ended(CAL.add_working_days(start, pause_len))]
    if extension:
        events.append(E(K.EXTENSION_GRANTED, on, working_days=extension))
    assert CAL.is_working_day(reply(events, CAL.add_working_days(start, pause_len)).due)


@given(receipts, st.integers(1, 20))
def test_an_extension_of_e_working_days_gives_the_twenty_plus_e_th_working_day(on, extension):
    events = [received(on), E(K.EXTENSION_GRANTED, on, working_days=extension)]
    assert reply(events, on).due == CAL.add_working_days(on, 20 + extension)


@given(receipts, st.integers(0, 20), st.integers(0, 15))
def test_a_pause_of_p_working_days_shifts_the_reply_by_exactly_p_working_days(on, pause_at, p):
    start = CAL.add_working_days(on, pause_at)  # sent on or before the 20th working day
    end = CAL.add_working_days(start, p)
    events = [received(on), consultation(start, start), ended(end)]
    assert reply(events, end).due == CAL.add_working_days(CAL.add_working_days(on, 20), p)


@given(receipts, st.integers(1, 7), st.integers(1, 30))
def test_a_correction_restarts_the_reply_clock_from_the_corrected_receipt(on, asked_after, answered_after):
    asked = CAL.add_working_days(on, asked_after)
    corrected = asked + timedelta(days=answered_after)
    events = [received(on), E(K.CORRECTION_REQUESTED, asked, working_days=15), E(K.CORRECTION_RECEIVED, corrected)]
    d = reply(events, corrected)
    assert d.due == CAL.add_working_days(corrected, 20)
    assert d.start == corrected and d.status is S.RUNNING


@given(receipts, st.integers(-40, 40))
def test_days_left_is_zero_on_the_due_day_positive_before_and_negative_after(on, offset):
    due = CAL.add_working_days(on, 20)
    today = max(on, due + timedelta(days=offset))
    d = reply([received(on)], today)
    if today == due:
        assert d.days_left == 0
    elif today < due:
        assert d.days_left > 0 and d.status is S.RUNNING
    else:
        assert d.days_left < 0 and d.status is S.MISSED


def test_days_left_counts_working_days_to_the_due_date():
    on = date(2024, 3, 1)  # reply due 2024-03-29
    assert reply([received(on)], date(2024, 3, 28)).days_left == 1
    assert reply([received(on)], date(2024, 3, 25)).days_left == 4
    assert reply([received(on)], date(2024, 3, 30)).days_left == -1  # Saturday after a Friday due date
    assert reply([received(on)], date(2024, 4, 2)).days_left == -2


def test_a_clock_reaching_into_2027_is_provisional_and_the_2026_ones_stay_firm():
    ds = {d.key: d for d in deadlines([received(date(2026, 12, 1))], date(2026, 12, 1))}
    notice, due = ds["correction_notice"], ds["reply"]
    # 7 working days from 2026-12-01 end on 2026-12-10, before the weekends 2027 may claim
    assert notice.due == date(2026, 12, 10) and not notice.provisional and notice.provisional_reason == ""
    # 20: Dec 2-4, 7-11, 14-18 (13), Sat 19 and Sun 20 (may be 2027 调休上班日: 15), 21-25 (20)
    assert due.provisional and due.due == date(2026, 12, 25) and due.status is S.RUNNING
    assert due.provisional_reason == "2027年节假日安排尚未录入，按法定节假日推算，实际期限不早于此日"


def test_a_provisional_reply_deadline_becomes_firm_and_not_earlier_once_the_notice_is_entered():
    from gongkai.domain.calendar import HolidayNotice, HolidayRange

    notice = HolidayNotice(2027, (HolidayRange(date(2027, 1, 1), date(2027, 1, 3), "元旦"),))
    events = [received(date(2026, 12, 10)), E(K.EXTENSION_GRANTED, date(2026, 12, 15), working_days=20)]
    provisional = reply(events, date(2026, 12, 15))
    official = reply_deadline(
        application_deadlines(events, calendar=CAL.with_notices([notice]), today=date(2026, 12, 15))
    )
    assert provisional.provisional and not official.provisional
    assert provisional.due <= official.due


def test_a_date_set_under_article_35_is_fixed_not_provisional():
    events = [received(date(2026, 12, 1)), E(K.DELAY_PERIOD_SET, date(2026, 12, 4), until=date(2027, 3, 31))]
    d = reply(events, date(2026, 12, 4))
    assert d.due == date(2027, 3, 31) and not d.provisional


def test_a_clock_before_the_first_notice_is_still_refused():
    with pytest.raises(CalendarNotCovered) as err:
        deadlines([received(date(2018, 6, 1))], date(2018, 6, 1))
    assert err.value.year == 2018


# -- consultation pauses -----------------------------------------------------------------------


def test_a_consultation_pause_runs_from_the_letter_to_the_reply():
    events = [received(date(2024, 3, 1)), consultation(date(2024, 3, 5), date(2024, 3, 7)), ended(date(2024, 3, 12))]
    d = reply(events, date(2024, 3, 20))
    # 2024-03-29 + 5 working days (Qingming 4-04..4-06, make-up Sunday 4-07) → 2024-04-08
    assert d.due == date(2024, 4, 8)
    assert "第三方征求意见暂停5个工作日" in d.note and "第三款" in d.basis


def test_a_silent_party_stops_the_clock_only_until_its_fifteen_day_window_closes():
    sent, delivered = date(2024, 3, 4), date(2024, 3, 6)
    events = [received(date(2024, 3, 1)), consultation(sent, delivered)]
    window = CAL.add_working_days(delivered, 15)
    d = reply(events, date(2024, 5, 6))
    assert d.due == CAL.add_working_days(date(2024, 3, 1), 20 + CAL.working_days_between(sent, window))
    c = by_key(events, date(2024, 5, 6), "consultation_reply")
    assert c.due == window and c.status is S.MISSED and "第三方逾期未提出意见" in c.note


def test_an_open_consultation_shows_the_reply_as_paused_until_today():
    events = [received(date(2024, 3, 1)), consultation(date(2024, 3, 5), date(2024, 3, 7))]
    d = reply(events, date(2024, 3, 14))
    assert d.status is S.PAUSED
    assert d.due == CAL.add_working_days(
        date(2024, 3, 29), CAL.working_days_between(date(2024, 3, 5), date(2024, 3, 14))
    )
    assert "截至今日" in d.note


def test_counting_the_pause_start_day_is_a_setting():
    events = [received(date(2024, 3, 1)), consultation(date(2024, 3, 5), date(2024, 3, 5)), ended(date(2024, 3, 5))]
    assert reply(events, date(2024, 3, 6)).due == date(2024, 3, 29)
    counted = reply(events, date(2024, 3, 6), policy=ClockPolicy(count_pause_start_day=True))
    assert counted.due == CAL.add_working_days(date(2024, 3, 29), 1)


def test_overlapping_consultations_stop_the_clock_once():
    events = [
        received(date(2024, 3, 1)),
        consultation(date(2024, 3, 5), date(2024, 3, 6), party="甲公司"),
        consultation(date(2024, 3, 7), date(2024, 3, 8), party="乙局", agency=True),
        ended(date(2024, 3, 11), party="甲公司"),
        ended(date(2024, 3, 12), party="乙局"),
    ]
    d = reply(events, date(2024, 3, 13))
    assert d.due == CAL.add_working_days(
        date(2024, 3, 29), CAL.working_days_between(date(2024, 3, 5), date(2024, 3, 12))
    )
    agency = [x for x in deadlines(events, date(2024, 3, 13)) if x.label.startswith("协办机关")]
    assert agency[0].basis == "第三十四条" and agency[0].status is S.MET


def test_a_consultation_begun_after_the_deadline_passed_does_not_revive_it():
    events = [received(date(2024, 3, 1)), consultation(date(2024, 4, 1), date(2024, 4, 1)), ended(date(2024, 4, 3))]
    d = reply(events, date(2024, 4, 3))
    assert d.due == date(2024, 3, 29) and d.status is S.MISSED and "不予扣除" in d.note


# -- other effects on the reply clock ------------------------------------------------------------


def test_a_fee_notice_stops_the_reply_clock_unless_the_agency_turned_it_off():
    events = [received(date(2024, 3, 1)), E(K.FEE_NOTIFIED, date(2024, 3, 5)), E(K.FEE_PAID, date(2024, 3, 12))]
    paused = reply(events, date(2024, 3, 12))
    # (03-05, 03-12]: 6, 7, 8, 11, 12 = 5 working days; 2024-03-29 + 5 → 04-01, 02, 03, (04-04..06 清明), 07 (Sun, make-up), 08
    assert paused.due == date(2024, 4, 8) and "收费通知至缴费暂停5个工作日" in paused.note
    assert reply(events, date(2024, 3, 12), policy=ClockPolicy(fee_pauses_reply_clock=False)).due == date(2024, 3, 29)


def test_the_fee_must_be_paid_within_twenty_working_days_of_receiving_the_notice():
    events = [received(date(2024, 3, 1)), E(K.FEE_NOTIFIED, date(2024, 3, 5))]
    d = by_key(events, date(2024, 4, 8), "fee_payment")
    assert d.due == CAL.add_working_days(date(2024, 3, 5), 20) and d.status is S.MISSED
    assert "视为放弃申请" in d.note
    paid = events + [E(K.FEE_PAID, date(2024, 3, 20))]
    assert by_key(paid, date(2024, 4, 8), "fee_payment").status is S.MET


def test_a_date_set_under_article_35_replaces_the_statutory_due_date():
    events = [received(date(2024, 3, 1)), E(K.DELAY_PERIOD_SET, date(2024, 3, 20), until=date(2024, 6, 28))]
    d = reply(events, date(2024, 4, 15))
    assert d.due == date(2024, 6, 28) and d.basis == "第三十五条" and d.status is S.RUNNING
    assert "2024-03-29" in d.note
    assert by_key(events, date(2024, 4, 15), "extension_decision").status is S.VOID


def test_the_extension_must_be_decided_by_the_original_due_date():
    events = [received(date(2024, 3, 1)), E(K.EXTENSION_GRANTED, date(2024, 3, 29), working_days=10)]
    d = by_key(events, date(2024, 4, 1), "extension_decision")
    assert d.due == date(2024, 3, 29) and d.status is S.MET
    undecided = by_key([received(date(2024, 3, 1))], date(2024, 3, 10), "extension_decision")
    assert undecided.due == date(2024, 3, 29) and undecided.status is S.RUNNING


# -- statuses -----------------------------------------------------------------------------------


def test_a_reply_on_time_is_met_and_a_late_one_missed():
    assert reply([received(date(2024, 3, 1)), E(K.REPLIED, date(2024, 3, 29))], date(2024, 4, 30)).status is S.MET
    assert reply([received(date(2024, 3, 1)), E(K.REPLIED, date(2024, 4, 1))], date(2024, 4, 30)).status is S.MISSED


def test_a_withdrawn_application_voids_its_reply_clock():
    d = reply([received(date(2024, 3, 1)), E(K.WITHDRAWN, date(2024, 3, 4))], date(2024, 4, 30))
    assert d.status is S.VOID and "撤回申请" in d.note


def test_events_may_come_in_any_order():
    events = [
        E(K.REPLIED, date(2024, 4, 2)),
        ended(date(2024, 3, 12)),
        received(date(2024, 3, 1)),
        consultation(date(2024, 3, 5), date(2024, 3, 7)),
    ]
    assert reply(events, date(2024, 4, 10)).due == date(2024, 4, 8)


# -- correction (补正) ----------------------------------------------------------------------------


def test_a_correction_request_voids_the_running_reply_clock():
    events = [received(date(2024, 3, 1)), E(K.CORRECTION_REQUESTED, date(2024, 3, 6), working_days=10)]
    keys = [d.key for d in deadlines(events, date(2024, 3, 7))]
    assert keys == ["correction_notice", "correction_period", "reply"]
    d = reply(events, date(2024, 3, 7))
    assert d.status is S.VOID and "重新计算" in d.note


def test_the_correction_notice_is_met_on_time_and_missed_when_late():
    on = date(2024, 3, 1)
    timely = [received(on), E(K.CORRECTION_REQUESTED, date(2024, 3, 12), working_days=10)]
    late = [received(on), E(K.CORRECTION_REQUESTED, date(2024, 3, 13), working_days=10)]
    assert by_key(timely, date(2024, 3, 13), "correction_notice").status is S.MET
    assert by_key(late, date(2024, 3, 13), "correction_notice").status is S.MISSED


def test_an_unused_correction_window_lapses_without_a_breach():
    d = by_key([received(date(2024, 3, 1))], date(2024, 3, 20), "correction_notice")
    assert d.status is S.VOID and "不得再要求补正" in d.note


def test_the_correction_period_runs_from_the_notice_in_working_days_or_to_a_date():
    asked = date(2024, 3, 6)
    by_days = [received(date(2024, 3, 1)), E(K.CORRECTION_REQUESTED, asked, working_days=10)]
    d = by_key(by_days, date(2024, 4, 1), "correction_period")
    assert d.due == CAL.add_working_days(asked, 10) and d.status is S.MISSED and d.convention == "A"
    by_date = [received(date(2024, 3, 1)), E(K.CORRECTION_REQUESTED, asked, until=date(2024, 3, 22))]
    d = by_key(by_date, date(2024, 3, 8), "correction_period")
    assert d.due == date(2024, 3, 22) and d.working_days == 12 and d.status is S.RUNNING


def test_only_the_receipt_follows_convention_b():
    events = [received(date(2025, 1, 30)), E(K.CORRECTION_REQUESTED, date(2025, 2, 6), working_days=10)]
    conventions = {d.key: d.convention for d in deadlines(events, date(2025, 2, 7), convention="B")}
    assert conventions == {"correction_notice": "B", "correction_period": "A", "reply": "B"}


# -- proactive disclosure --------------------------------------------------------------------------


def test_proactive_disclosure_is_due_twenty_working_days_after_the_information_is_formed():
    d = publication_deadline(date(2024, 2, 9), calendar=CAL, today=date(2024, 2, 20))
    # gold case: 2024-02-09 + 20 working days → 2024-03-14
    assert (d.due, d.key, d.basis, d.status) == (date(2024, 3, 14), "publication", "第二十六条", S.RUNNING)
    assert (
        publication_deadline(
            date(2024, 2, 9), calendar=CAL, today=date(2024, 4, 1), published_on=date(2024, 3, 14)
        ).status
        is S.MET
    )
    assert (
        publication_deadline(
            date(2024, 2, 9), calendar=CAL, today=date(2024, 4, 1), published_on=date(2024, 3, 15)
        ).status
        is S.MISSED
    )
    assert publication_deadline(date(2024, 2, 9), calendar=CAL, today=date(2024, 4, 1)).status is S.MISSED


def test_publication_before_the_information_exists_is_refused():
    with pytest.raises(DomainError, match="公开日期"):
        publication_deadline(date(2024, 2, 9), calendar=CAL, today=date(2024, 4, 1), published_on=date(2024, 2, 1))


# -- impossible event lists ---------------------------------------------------------------------------

ON = date(2024, 3, 1)
LATER = date(2024, 5, 31)


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([], "缺少“收到申请”事件"),
        ([E(K.REPLIED, ON)], "缺少“收到申请”事件"),
        ([received(ON), received(date(2024, 3, 2))], "只能有一个"),
        (
            [
                received(ON),
                E(K.EXTENSION_GRANTED, date(2024, 3, 4), working_days=10),
                E(K.EXTENSION_GRANTED, date(2024, 3, 5), working_days=10),
            ],
            "延期答复只能一次",
        ),
        ([received(ON), E(K.EXTENSION_GRANTED, date(2024, 3, 4), working_days=21)], "1至20个工作日"),
        ([received(ON), E(K.EXTENSION_GRANTED, date(2024, 3, 4))], "1至20个工作日"),
        ([received(ON), E(K.EXTENSION_GRANTED, date(2024, 4, 1), working_days=20)], "届满前"),
        ([received(ON), E(K.DELAY_PERIOD_SET, date(2024, 4, 1), until=date(2024, 6, 1))], "届满前"),
        ([received(ON), E(K.REPLIED, date(2024, 3, 5)), E(K.FEE_NOTIFIED, date(2024, 3, 6))], "之后不能再记录"),
        ([received(ON), E(K.WITHDRAWN, date(2024, 3, 5)), E(K.REPLIED, date(2024, 3, 6))], "之后不能再记录"),
        ([received(ON), E(K.CORRECTION_RECEIVED, date(2024, 3, 5))], "未要求补正"),
        ([received(ON), E(K.CORRECTION_REQUESTED, date(2024, 3, 5))], "补正期限"),
        (
            [
                received(ON),
                E(K.CORRECTION_REQUESTED, date(2024, 3, 5), working_days=5),
                E(K.CORRECTION_RECEIVED, date(2024, 3, 8)),
                E(K.CORRECTION_REQUESTED, date(2024, 3, 11), working_days=5),
            ],
            "一次性告知",
        ),
        (
            [
                received(ON),
                E(K.CORRECTION_REQUESTED, date(2024, 3, 5), working_days=5),
                consultation(date(2024, 3, 6), None),
            ],
            "等待申请人补正",
        ),
        ([received(ON), ended(date(2024, 3, 5))], "没有正在进行"),
        ([received(ON), consultation(date(2024, 3, 5), date(2024, 3, 4))], "早于发出日期"),
        ([received(ON), consultation(date(2024, 3, 5), None), consultation(date(2024, 3, 6), None)], "尚未结束"),
        ([received(ON), E(K.FEE_PAID, date(2024, 3, 5))], "未发出收费通知"),
        ([received(ON), E(K.FEE_NOTIFIED, date(2024, 3, 4)), E(K.FEE_NOTIFIED, date(2024, 3, 5))], "只能发出一次"),
        ([received(ON), E(K.REPLIED, date(2024, 6, 3))], "晚于今天"),
    ],
)
def test_impossible_event_lists_are_refused_in_chinese(events, message):
    with pytest.raises(DomainError, match=message):
        deadlines(events, LATER)


def test_an_unknown_convention_is_refused():
    with pytest.raises(DomainError, match="期限计算规则"):
        deadlines([received(ON)], LATER, convention="C")
