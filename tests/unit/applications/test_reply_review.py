"""法制审核 and 保密审查 of a draft reply (domain.applications.review), from the agency's rules and the 条例.

The reviews are agency rules (like sign-off); what the 条例 says about them is what they may NOT do:
the reply period excludes only the time of consulting a third party or another agency
(第三十三条第三款), so a review pauses nothing; and 第十七条 asks for a confidentiality review of
what is released, which is why 保密审查 can be asked for the outcomes that release information."""

from datetime import date

import pytest

from gongkai.domain.applications.review import DEFAULT_REVIEW_POLICY, NO_REVIEW, ReviewPolicy, after_review
from gongkai.domain.applications.sign_off import DEFAULT_SIGN_OFF_POLICY, SignOffPolicy
from gongkai.domain.applications.workflow import (
    TRANSITIONS,
    Action,
    State,
    available_actions,
    check_transition,
    reply_outcomes,
)
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.clocks import ClockEvent, EventKind, application_deadlines
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError
from gongkai.domain.outcomes import OUTCOMES, OutcomeFamily

A, S = Action, State
CLERK, LEGAL, SECRECY = {"clerk"}, {"legal_reviewer"}, {"confidentiality_reviewer"}
HEAD, LEADER = {"office_head"}, {"leader"}
BOTH = ReviewPolicy(legal=DEFAULT_REVIEW_POLICY.legal, secrecy=frozenset({"partially_disclosed", "disclosed"}))
DRAFT = {"outcome_code": "withheld_third_party", "legal_basis": "第十五条"}


def test_by_default_partial_disclosure_and_every_refusal_need_a_legality_review_and_nothing_a_secrecy_review():
    families = {o.code: o.family for o in OUTCOMES}
    for code in ("partially_disclosed", "withheld_state_secret", "withheld_third_party", "does_not_exist", "duplicate"):
        assert DEFAULT_REVIEW_POLICY.reviews(code) == (S.AWAITING_LEGAL_REVIEW,), code
    for code in ("disclosed", "already_public"):
        assert families[code] is OutcomeFamily.GRANTED
        assert not DEFAULT_REVIEW_POLICY.needs_review(code)
    assert DEFAULT_REVIEW_POLICY.secrecy == frozenset()


def test_a_policy_refuses_an_outcome_that_no_reply_letter_carries_in_chinese():
    with pytest.raises(DomainError) as info:
        ReviewPolicy(legal=frozenset({"withdrawn"}))
    assert "法制审核" in info.value.message


def test_a_draft_the_agency_reviews_cannot_go_to_sign_off_or_out_without_its_review():
    for action in (A.SUBMIT_REPLY_FOR_SIGN_OFF, A.REPLY):
        with pytest.raises(TransitionNotAllowed) as info:
            check_transition(
                S.IN_PROGRESS,
                action,
                actor_roles=CLERK,
                fields=DRAFT,
                policy=SignOffPolicy.nothing() if action is A.REPLY else DEFAULT_SIGN_OFF_POLICY,
                review=DEFAULT_REVIEW_POLICY,
            )
        assert "法制审核" in info.value.message and "提交审核" in info.value.message


def test_only_a_reviewed_outcome_goes_to_review_and_the_forms_offer_each_way_its_own_outcomes():
    with pytest.raises(TransitionNotAllowed):
        check_transition(
            S.IN_PROGRESS,
            A.SUBMIT_REPLY_FOR_REVIEW,
            actor_roles=CLERK,
            fields={
                "outcome_code": "disclosed",
                "legal_basis": "第三十六条（二）",
                "review_state": "awaiting_legal_review",
            },
            review=DEFAULT_REVIEW_POLICY,
        )
    to_review = reply_outcomes(S.IN_PROGRESS, A.SUBMIT_REPLY_FOR_REVIEW, review=DEFAULT_REVIEW_POLICY)
    to_sign = reply_outcomes(S.IN_PROGRESS, A.SUBMIT_REPLY_FOR_SIGN_OFF, review=DEFAULT_REVIEW_POLICY)
    assert "withheld_third_party" in to_review and "withheld_third_party" not in to_sign
    assert "disclosed" in to_sign and "disclosed" not in to_review
    buttons = available_actions(S.IN_PROGRESS, CLERK, review=DEFAULT_REVIEW_POLICY)
    assert A.SUBMIT_REPLY_FOR_REVIEW in buttons
    assert A.SUBMIT_REPLY_FOR_REVIEW not in available_actions(S.IN_PROGRESS, CLERK, review=NO_REVIEW)


def test_the_legality_review_comes_first_then_the_secrecy_review_then_the_signature():
    row = check_transition(
        S.IN_PROGRESS,
        A.SUBMIT_REPLY_FOR_REVIEW,
        actor_roles=CLERK,
        fields={
            "outcome_code": "partially_disclosed",
            "legal_basis": "第三十七条",
            "review_state": "awaiting_legal_review",
        },
        review=BOTH,
    )
    assert row.to is S.AWAITING_LEGAL_REVIEW
    assert after_review(S.AWAITING_LEGAL_REVIEW, "partially_disclosed", BOTH, DEFAULT_SIGN_OFF_POLICY) is (
        S.AWAITING_SECRECY_REVIEW
    )
    assert after_review(S.AWAITING_SECRECY_REVIEW, "partially_disclosed", BOTH, DEFAULT_SIGN_OFF_POLICY) is (
        S.AWAITING_SIGN_OFF
    )
    # an outcome only 保密审查 is asked for starts there
    assert BOTH.reviews("disclosed") == (S.AWAITING_SECRECY_REVIEW,)
    # an agency that signs nothing: a passed review leaves the reply ready to issue
    assert after_review(S.AWAITING_LEGAL_REVIEW, "does_not_exist", BOTH, SignOffPolicy.nothing()) is S.REPLY_READY
    with pytest.raises(FieldError) as info:
        check_transition(
            S.AWAITING_LEGAL_REVIEW,
            A.PASS_LEGAL_REVIEW,
            actor_roles=LEGAL,
            fields={
                "outcome_code": "partially_disclosed",
                "legal_basis": "第三十七条",
                "reviewed_state": "awaiting_sign_off",
            },
            review=BOTH,
        )
    assert info.value.field == "reviewed_state" and "答复待保密审查" in info.value.message


def test_a_reviewer_reviews_and_never_signs_and_a_signer_does_not_review():
    passed = {**DRAFT, "reviewed_state": "awaiting_sign_off"}
    check_transition(
        S.AWAITING_LEGAL_REVIEW, A.PASS_LEGAL_REVIEW, actor_roles=LEGAL, fields=passed, review=DEFAULT_REVIEW_POLICY
    )
    for roles in (HEAD, LEADER, CLERK, SECRECY):
        with pytest.raises(TransitionNotAllowed) as info:
            check_transition(S.AWAITING_LEGAL_REVIEW, A.PASS_LEGAL_REVIEW, actor_roles=roles, fields=passed)
        assert "法制审核人员" in info.value.message
    for reviewer in (LEGAL, SECRECY):
        with pytest.raises(TransitionNotAllowed):
            check_transition(
                S.AWAITING_SIGN_OFF,
                A.SIGN_OFF_REPLY,
                actor_roles=reviewer,
                fields={**DRAFT, "signed_state": "awaiting_leader_sign_off"},
            )
        assert A.SIGN_OFF_REPLY not in available_actions(S.AWAITING_SIGN_OFF, reviewer)
    # the 保密审查员 reviews only in its own state
    with pytest.raises(TransitionNotAllowed):
        check_transition(
            S.AWAITING_LEGAL_REVIEW,
            A.RETURN_FROM_REVIEW,
            actor_roles=SECRECY,
            fields={"comment": "x", "resume_state": "in_progress"},
        )


def test_a_returned_draft_says_why_and_goes_back_where_it_was_drafted():
    with pytest.raises(FieldError) as info:
        check_transition(
            S.AWAITING_LEGAL_REVIEW, A.RETURN_FROM_REVIEW, actor_roles=LEGAL, fields={"resume_state": "extended"}
        )
    assert info.value.field == "comment" and "退回意见" in info.value.message
    row = check_transition(
        S.AWAITING_LEGAL_REVIEW,
        A.RETURN_FROM_REVIEW,
        actor_roles=LEGAL,
        fields={"comment": "第十五条的适用理由不充分", "resume_state": "extended"},
    )
    assert row.to is S.EXTENDED and row.returns


def test_no_review_row_adds_a_clock_event_so_the_reply_period_runs_on():
    # 第三十三条第三款 excludes only the time of consulting a third party or another agency; a review by
    # the agency's own staff is not one. Received Monday 2025-03-03 (no holiday in March 2025): the
    # 20th working day after it is Monday 2025-03-31 (4 + 5 + 5 + 5 + 1), review or not.
    review_actions = {A.SUBMIT_REPLY_FOR_REVIEW, A.PASS_LEGAL_REVIEW, A.PASS_SECRECY_REVIEW, A.RETURN_FROM_REVIEW}
    rows = [t for t in TRANSITIONS if t.action in review_actions]
    assert len(rows) == 5 and all(t.event is None for t in rows)
    received = [ClockEvent(EventKind.RECEIVED, date(2025, 3, 3))]
    deadlines = application_deadlines(
        received, calendar=WorkingCalendar.official(), today=date(2025, 3, 20), convention="A"
    )
    reply = next(d for d in deadlines if d.key == "reply")
    assert reply.due == date(2025, 3, 31)
