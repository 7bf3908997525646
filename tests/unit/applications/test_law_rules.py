"""Issue 14, "Rules the domain gets wrong": each scenario written from the 条例 (2019), 国办函〔2020〕109号
and the 2026 holiday notice, with the dates counted by hand (in the comments), not by the code under test.

2026 notice (../shared/calendar/holidays.json): off 01-01..03, 02-15..23, 04-04..06, 05-01..05;
make-up working days Sun 01-04, Sat 02-14, Sat 02-28, Sat 05-09.
"""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.domain.applications.receipt import Channel, late_confirmation_warning
from gongkai.domain.applications.sign_off import SignOffPolicy
from gongkai.domain.applications.workflow import (
    Action as A,
)
from gongkai.domain.applications.workflow import (
    State as S,
)
from gongkai.domain.applications.workflow import (
    check_transition,
    drafted_outcome,
    state_after_consultation,
)
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.clocks import ClockEvent, ClockPolicy, DeadlineStatus, application_deadlines
from gongkai.domain.clocks import EventKind as K
from gongkai.domain.errors import TransitionNotAllowed
from gongkai.domain.fields import FieldError

CAL = WorkingCalendar.official()
CLERK = {"clerk"}
NONE = SignOffPolicy.nothing()


def deadlines(events, today, policy=ClockPolicy()):
    return {d.key: d for d in application_deadlines(events, calendar=CAL, today=today, policy=policy)}


def received(on):
    return ClockEvent(K.RECEIVED, on)


# -- 1. the days from the fee notice to the payment are not the office's ---------------------------

# Received Mon 2026-01-05. 20 working days: 01-06..09 (4), 12..16 (9), 19..23 (14), 26..30 (19), 02-02 (20).
FEE_CASE = [
    received(date(2026, 1, 5)),
    # sent on 01-20, received by the applicant on 01-22, paid on 02-13
    ClockEvent(K.FEE_NOTIFIED, date(2026, 1, 20), delivered_on=date(2026, 1, 22)),
    ClockEvent(K.FEE_PAID, date(2026, 2, 13)),
]


def test_the_fee_pause_runs_from_the_day_the_notice_is_sent_to_the_payment_by_default():
    d = deadlines(FEE_CASE, date(2026, 2, 13))["reply"]
    # paused (01-20, 02-13]: 01-21..23 (3), 26..30 (8), 02-02..06 (13), 09..13 (18) = 18 working days.
    # 02-02 + 18: 02-03..06 (4), 09..13 (9), Sat 14 make-up (10), 02-15..23 off, 24..27 (14), Sat 28 (15),
    # 03-02, 03, 04 (18) → 2026-03-04
    assert d.due == date(2026, 3, 4)
    assert "收费通知至缴费暂停18个工作日" in d.note and "国办函〔2020〕109号" in d.basis


def test_the_case_is_paused_not_missed_while_the_applicant_has_not_paid():
    waiting = FEE_CASE[:2]
    assert deadlines(waiting, date(2026, 2, 3))["reply"].status is DeadlineStatus.PAUSED


def test_an_agency_that_counts_the_fee_time_sees_the_old_date():
    off = ClockPolicy(fee_pauses_reply_clock=False)
    d = deadlines(FEE_CASE[:2], date(2026, 2, 3), policy=off)["reply"]
    assert d.due == date(2026, 2, 2) and d.status is DeadlineStatus.MISSED


def test_the_payment_window_counts_from_the_day_the_applicant_received_the_notice():
    d = deadlines(FEE_CASE[:2], date(2026, 1, 22))["fee_payment"]
    # 20 working days after 01-22: 23 (1), 26..30 (6), 02-02..06 (11), 09..13 (16), Sat 14 (17), 24, 25, 26 (20)
    assert d.due == date(2026, 2, 26) and d.start == date(2026, 1, 22)


# -- 2. 补正 after 开始办理, while the 7 working days last (第三十条) -----------------------------------

# Received Mon 2026-03-02: 7 working days → 03, 04, 05, 06, 09, 10, 11 → 2026-03-11
CORR_CASE = [received(date(2026, 3, 2))]
CORR = {"items": ["所需信息的文号"], "period_working_days": 10}


def test_a_correction_may_be_asked_from_in_progress_on_the_last_day_of_its_window():
    current = list(application_deadlines(CORR_CASE, calendar=CAL, today=date(2026, 3, 11)))
    t = check_transition(
        S.IN_PROGRESS,
        A.REQUEST_CORRECTION,
        actor_roles=CLERK,
        fields={**CORR, "requested_on": date(2026, 3, 11)},
        deadlines=current,
    )
    assert t.to is S.CORRECTION_REQUESTED


def test_a_correction_after_its_window_is_refused_with_the_article():
    current = list(application_deadlines(CORR_CASE, calendar=CAL, today=date(2026, 3, 12)))
    with pytest.raises(FieldError, match="第三十条") as info:
        check_transition(
            S.IN_PROGRESS,
            A.REQUEST_CORRECTION,
            actor_roles=CLERK,
            fields={**CORR, "requested_on": date(2026, 3, 12)},
            deadlines=current,
        )
    assert "2026-03-11" in info.value.message and info.value.field == "requested_on"


# A third party consulted from 03-04 (letter received 03-05); the 补正 is asked on 03-06, within the
# window, while the consultation runs; the corrected application arrives 03-12; the third party
# answers 03-20.
CONSULTED = [
    received(date(2026, 3, 2)),
    ClockEvent(K.THIRD_PARTY_CONSULTATION_STARTED, date(2026, 3, 4), delivered_on=date(2026, 3, 5), party="某公司"),
]


@pytest.mark.parametrize("state", [S.THIRD_PARTY_CONSULTATION, S.AGENCY_CONSULTATION])
def test_a_correction_may_be_asked_while_a_consultation_runs_within_its_window(state):
    current = list(application_deadlines(CONSULTED, calendar=CAL, today=date(2026, 3, 6)))
    t = check_transition(
        state,
        A.REQUEST_CORRECTION,
        actor_roles=CLERK,
        fields={**CORR, "requested_on": date(2026, 3, 6)},
        deadlines=current,
    )
    assert t.to is S.CORRECTION_REQUESTED
    late = list(application_deadlines(CONSULTED, calendar=CAL, today=date(2026, 3, 12)))
    with pytest.raises(FieldError, match="第三十条"):
        check_transition(
            state,
            A.REQUEST_CORRECTION,
            actor_roles=CLERK,
            fields={**CORR, "requested_on": date(2026, 3, 12)},
            deadlines=late,
        )


def test_the_corrected_application_goes_back_to_the_consultation_still_open():
    log = [
        *CONSULTED,
        ClockEvent(K.CORRECTION_REQUESTED, date(2026, 3, 6), working_days=10),
        ClockEvent(K.CORRECTION_RECEIVED, date(2026, 3, 12)),
    ]
    assert state_after_consultation(log, "") is S.THIRD_PARTY_CONSULTATION
    assert state_after_consultation(CORR_CASE, "") is S.IN_PROGRESS
    t = check_transition(
        S.CORRECTION_REQUESTED,
        A.RECEIVE_CORRECTION,
        actor_roles=CLERK,
        fields={"received_on": date(2026, 3, 12), "continue_state": "third_party_consultation"},
    )
    assert t.to is S.THIRD_PARTY_CONSULTATION


def test_a_consultation_still_open_when_the_corrected_application_arrives_pauses_the_new_clock():
    log = [
        *CONSULTED,
        ClockEvent(K.CORRECTION_REQUESTED, date(2026, 3, 6), working_days=10),
        ClockEvent(K.CORRECTION_RECEIVED, date(2026, 3, 12)),
        ClockEvent(K.CONSULTATION_ENDED, date(2026, 3, 20), party="某公司"),
    ]
    d = deadlines(log, date(2026, 3, 20))["reply"]
    # day 0 = 03-12 (第三十条). Unpaused: 03-13 (1), 16..20 (6), 23..27 (11), 30, 31 (13), 04-01..03 (16),
    # 04-04..06 off (清明), 07..10 (20) → 04-10. The consultation runs on into the new clock: paused
    # (03-12, 03-20] = 13, 16, 17, 18, 19, 20 = 6 working days (第三十三条第三款); 04-10 + 6: 13, 14, 15,
    # 16, 17, 20 → 2026-04-20
    assert d.due == date(2026, 4, 20)
    # a consultation that ended before the corrected application arrived does not touch the new clock
    ended_before = [*CONSULTED, ClockEvent(K.CONSULTATION_ENDED, date(2026, 3, 5), party="某公司"), *log[2:4]]
    assert deadlines(ended_before, date(2026, 3, 20))["reply"].due == date(2026, 4, 10)


# -- 3. consultations overlap and follow an extension (第三十二条, 第三十三条第三款) --------------------

CONSULT = {"sent_on": date(2026, 3, 11), "delivered_on": date(2026, 3, 11)}


def test_a_second_consultation_while_one_is_open_and_one_after_an_extension_are_allowed():
    assert (
        check_transition(
            S.THIRD_PARTY_CONSULTATION,
            A.START_AGENCY_CONSULTATION,
            actor_roles=CLERK,
            fields={**CONSULT, "party": "市财政局"},
        ).to
        is S.AGENCY_CONSULTATION
    )
    assert (
        check_transition(
            S.EXTENDED, A.START_THIRD_PARTY_CONSULTATION, actor_roles=CLERK, fields={**CONSULT, "party": "某公司"}
        ).to
        is S.THIRD_PARTY_CONSULTATION
    )


def test_overlapping_consultations_stop_the_clock_once():
    events = [
        received(date(2026, 3, 2)),
        ClockEvent(
            K.THIRD_PARTY_CONSULTATION_STARTED, date(2026, 3, 9), delivered_on=date(2026, 3, 10), party="某公司"
        ),
        ClockEvent(K.AGENCY_CONSULTATION_STARTED, date(2026, 3, 11), delivered_on=date(2026, 3, 11), party="市财政局"),
        ClockEvent(K.CONSULTATION_ENDED, date(2026, 3, 13), party="某公司"),
        ClockEvent(K.CONSULTATION_ENDED, date(2026, 3, 18), party="市财政局"),
    ]
    d = deadlines(events, date(2026, 3, 18))["reply"]
    # unpaused: 03-03..06 (4), 09..13 (9), 16..20 (14), 23..27 (19), 30 (20) → 03-30.
    # one pause (03-09, 03-18]: 10, 11, 12, 13, 16, 17, 18 = 7; 03-30 + 7: 31, 04-01, 02, 03, (04..06 off), 07, 08, 09
    assert d.due == date(2026, 4, 9) and d.basis == "第三十三条第二款、第三款"


def test_ending_one_consultation_returns_to_where_the_case_stood():
    started = [
        received(date(2026, 3, 2)),
        ClockEvent(K.EXTENSION_GRANTED, date(2026, 3, 20), working_days=10),
        ClockEvent(K.AGENCY_CONSULTATION_STARTED, date(2026, 3, 23), party="市财政局"),
        ClockEvent(K.THIRD_PARTY_CONSULTATION_STARTED, date(2026, 3, 24), party="某公司"),
    ]
    assert state_after_consultation(started, "某公司") is S.AGENCY_CONSULTATION
    assert state_after_consultation(started, "市财政局") is S.THIRD_PARTY_CONSULTATION
    one = started[:3]
    assert state_after_consultation(one, "市财政局") is S.EXTENDED
    assert state_after_consultation(one[:1] + one[2:], "市财政局") is S.IN_PROGRESS


# -- 4. 补正后申请内容仍不明确 needs a correction asked and answered -----------------------------------

UNCLEAR = {"outcome_code": "unclear_after_correction", "legal_basis": "第三十条", "replied_on": date(2026, 3, 25)}


def test_unclear_after_correction_without_any_correction_is_refused():
    current = list(application_deadlines([received(date(2026, 3, 2))], calendar=CAL, today=date(2026, 3, 25)))
    with pytest.raises(FieldError, match="补正"):
        check_transition(S.IN_PROGRESS, A.REPLY, actor_roles=CLERK, fields=UNCLEAR, policy=NONE, deadlines=current)


def test_unclear_after_a_correction_the_applicant_answered_is_accepted():
    events = [
        received(date(2026, 3, 2)),
        ClockEvent(K.CORRECTION_REQUESTED, date(2026, 3, 4), working_days=10),
        ClockEvent(K.CORRECTION_RECEIVED, date(2026, 3, 10)),
    ]
    current = list(application_deadlines(events, calendar=CAL, today=date(2026, 3, 25)))
    t = check_transition(S.IN_PROGRESS, A.REPLY, actor_roles=CLERK, fields=UNCLEAR, policy=NONE, deadlines=current)
    assert t.to is S.REPLY_READY and drafted_outcome(A.REPLY, UNCLEAR) == "unclear_after_correction"
    # the issue of the reply is checked by the same rule, and gives table 三 its outcome
    issued = {**UNCLEAR, "issued_via": "post"}
    t = check_transition(S.REPLY_READY, A.ISSUE_REPLY, actor_roles=CLERK, fields=issued, policy=NONE, deadlines=current)
    assert t.outcome_code(issued) == "unclear_after_correction"


# -- 5. a fee notice within the handling period, and not before the 办法 applied -------------------

FEE = {"method": "per_application", "month_position": 11, "amount": 100}


def test_a_fee_notice_after_the_reply_due_date_is_refused():
    # received 2026-01-05 → due 2026-02-02 (counted above); sent on 02-03
    current = list(application_deadlines([received(date(2026, 1, 5))], calendar=CAL, today=date(2026, 2, 3)))
    with pytest.raises(FieldError, match="办理期限内") as info:
        check_transition(
            S.IN_PROGRESS,
            A.NOTIFY_FEE,
            actor_roles=CLERK,
            deadlines=current,
            fields={**FEE, "fee_sent_on": date(2026, 2, 3), "notice_received_on": date(2026, 2, 3)},
        )
    assert "2026-02-02" in info.value.message


def test_a_fee_notice_on_the_due_date_is_accepted():
    current = list(application_deadlines([received(date(2026, 1, 5))], calendar=CAL, today=date(2026, 2, 2)))
    t = check_transition(
        S.IN_PROGRESS,
        A.NOTIFY_FEE,
        actor_roles=CLERK,
        deadlines=current,
        fields={**FEE, "fee_sent_on": date(2026, 2, 2), "notice_received_on": date(2026, 2, 2)},
    )
    assert t.to is S.FEE_NOTIFIED


def test_a_fee_notice_before_2021_is_refused():
    with pytest.raises(FieldError, match="2021-01-01"):
        check_transition(
            S.IN_PROGRESS,
            A.NOTIFY_FEE,
            actor_roles=CLERK,
            fields={**FEE, "fee_sent_on": date(2020, 12, 10), "notice_received_on": date(2020, 12, 11)},
        )


def test_a_notice_received_before_it_was_sent_is_refused():
    with pytest.raises(FieldError):
        check_transition(
            S.IN_PROGRESS,
            A.NOTIFY_FEE,
            actor_roles=CLERK,
            fields={**FEE, "fee_sent_on": date(2026, 1, 20), "notice_received_on": date(2026, 1, 19)},
        )


# -- 6. the 20 working days are 第三十三条第二款 ---------------------------------------------------------


def test_the_reply_period_cites_the_second_paragraph():
    d = deadlines([received(date(2026, 3, 2))], date(2026, 3, 2))
    assert d["reply"].basis == "第三十三条第二款"
    assert (
        check_transition(
            S.RECEIVED,
            A.ANSWER_ON_THE_SPOT,
            actor_roles=CLERK,
            fields={
                "outcome_code": "already_public",
                "legal_basis": "第三十六条（一）",
                "replied_on": date(2026, 3, 2),
            },
        ).basis
        == "第三十三条第一款"
    )


# -- 7. an extension is requested before the period runs out (第三十三条第二款) ------------------------


def test_an_extension_requested_after_the_due_date_is_refused_at_the_request():
    late = list(application_deadlines([received(date(2026, 1, 5))], calendar=CAL, today=date(2026, 2, 3)))
    with pytest.raises(TransitionNotAllowed, match="2026-02-02"):
        check_transition(
            S.IN_PROGRESS,
            A.REQUEST_EXTENSION,
            actor_roles=CLERK,
            fields={"reason": "需要调取档案", "working_days": 10},
            deadlines=late,
        )
    on_time = list(application_deadlines([received(date(2026, 1, 5))], calendar=CAL, today=date(2026, 2, 2)))
    assert (
        check_transition(
            S.IN_PROGRESS,
            A.REQUEST_EXTENSION,
            actor_roles=CLERK,
            fields={"reason": "需要调取档案", "working_days": 10},
            deadlines=on_time,
        ).to
        is S.EXTENSION_REQUESTED
    )


# -- 8. an ordinary letter is confirmed on the day it arrives (第三十一条（二）) --------------------------


def test_an_ordinary_letter_confirmed_after_its_arrival_day_is_warned():
    warning = late_confirmation_warning(
        Channel.POST_UNSIGNED, arrived_on=date(2026, 3, 2), confirmed_on=date(2026, 3, 4)
    )
    assert "第三十一条（二）" in warning and "2026-03-02" in warning
    assert (
        late_confirmation_warning(Channel.POST_UNSIGNED, arrived_on=date(2026, 3, 2), confirmed_on=date(2026, 3, 2))
        == ""
    )
    # a signed-for letter or a web form has its own receipt day
    assert late_confirmation_warning(Channel.ONLINE, arrived_on=date(2026, 3, 2), confirmed_on=date(2026, 3, 4)) == ""


def test_a_confirmation_before_the_letter_arrived_is_refused():
    with pytest.raises(FieldError):
        check_transition(
            S.SUBMITTED,
            A.CONFIRM_RECEIPT,
            actor_roles=CLERK,
            fields={"confirmed_on": date(2026, 3, 1), "arrived_on": date(2026, 3, 2)},
        )


# -- sign-off: the agency's chain, in order; a signed reply is issued before it is a reply ---------

from gongkai.domain.applications.sign_off import SignOffChain  # noqa: E402
from gongkai.domain.applications.workflow import next_signer, signed_state  # noqa: E402

DRAFT = {"outcome_code": "disclosed", "legal_basis": "第三十六条（二）"}
BOTH = SignOffPolicy(frozenset({"disclosed", "does_not_exist"}), {"does_not_exist": SignOffChain.LEADER})


def test_with_both_configured_the_office_head_signs_first_then_the_leader():
    assert next_signer(S.AWAITING_SIGN_OFF, "disclosed", BOTH).value == "office_head"
    with pytest.raises(TransitionNotAllowed, match="办公室主任"):
        check_transition(
            S.AWAITING_SIGN_OFF,
            A.SIGN_OFF_REPLY,
            actor_roles={"leader"},
            policy=BOTH,
            fields={**DRAFT, "signed_state": "awaiting_leader_sign_off"},
        )
    t = check_transition(
        S.AWAITING_SIGN_OFF,
        A.SIGN_OFF_REPLY,
        actor_roles={"office_head"},
        policy=BOTH,
        fields={**DRAFT, "signed_state": signed_state(S.AWAITING_SIGN_OFF, "disclosed", BOTH)},
    )
    assert t.to is S.AWAITING_LEADER_SIGN_OFF
    with pytest.raises(TransitionNotAllowed):
        check_transition(
            S.AWAITING_LEADER_SIGN_OFF, A.SIGN_OFF_REPLY, actor_roles={"office_head"}, policy=BOTH, fields=DRAFT
        )
    t = check_transition(
        S.AWAITING_LEADER_SIGN_OFF, A.SIGN_OFF_REPLY, actor_roles={"leader"}, policy=BOTH, fields=DRAFT
    )
    assert t.to is S.REPLY_SIGNED and t.event is None  # signing is not replying: no clock event


def test_a_one_signer_chain_signs_once_and_a_wrong_target_is_refused():
    code = {"outcome_code": "does_not_exist", "legal_basis": "第三十六条（四）"}
    assert signed_state(S.AWAITING_SIGN_OFF, "does_not_exist", BOTH) is S.REPLY_SIGNED
    with pytest.raises(FieldError):
        check_transition(
            S.AWAITING_SIGN_OFF,
            A.SIGN_OFF_REPLY,
            actor_roles={"leader"},
            policy=BOTH,
            fields={**code, "signed_state": "awaiting_leader_sign_off"},
        )
    assert (
        check_transition(
            S.AWAITING_SIGN_OFF,
            A.SIGN_OFF_REPLY,
            actor_roles={"leader"},
            policy=BOTH,
            fields={**code, "signed_state": "reply_signed"},
        ).to
        is S.REPLY_SIGNED
    )


def test_only_the_issue_makes_the_case_replied_with_the_date_it_was_sent():
    fields = {**DRAFT, "replied_on": date(2026, 3, 20), "issued_via": "post"}
    t = check_transition(S.REPLY_SIGNED, A.ISSUE_REPLY, actor_roles=CLERK, fields=fields)
    assert t.to is S.REPLIED and t.clock_events(fields) == (ClockEvent(K.REPLIED, date(2026, 3, 20)),)
    with pytest.raises(FieldError):
        check_transition(
            S.REPLY_SIGNED, A.ISSUE_REPLY, actor_roles=CLERK, fields={**DRAFT, "replied_on": date(2026, 3, 20)}
        )
