"""The applications services: one transaction per write, checked by the domain, logged forever."""

import uuid
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from gongkai.accounts.models import Agency
from gongkai.applications import clock
from gongkai.applications.models import Application, CaseEvent
from gongkai.applications.services import application_submit, application_transition, query_code_digest
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.workcalendar.selectors import working_calendar
from tests.factories import EDU, bureau
from tests.integration.signing import sign_and_issue

pytestmark = pytest.mark.django_db

APPLICANT = {
    "applicant_type": "natural_person",
    "applicant_name": "刘洋",
    "id_document_type": "resident_id",
    "id_document_number": "110101199001011237",
    "phone": "13800000000",
    "description": "2025年示范区义务教育招生划片方案",
    "delivery_form": "electronic",
    "delivery_channel": "email",
}


@pytest.fixture
def people():
    return bureau().people


def _submit(people, **kw):
    defaults = dict(
        agency=Agency.objects.get(code=EDU),
        channel="in_person",
        applicant=APPLICANT,
        submitted_on=date(2025, 9, 1),
        handed_in_on=date(2025, 9, 1),
        registered_by=people["jingban"],
        today=date(2025, 9, 1),
    )
    return application_submit(**{**defaults, **kw})


def _move(app, action, user, roles, today, **fields):
    return application_transition(
        application=app, action=action, actor=user, actor_roles=roles, fields=fields, today=today
    )


def test_a_registered_application_gets_a_number_a_code_a_log_entry_and_its_reply_deadline(people):
    s = _submit(people)
    app = s.application
    assert app.tracking_number == "YSQ-2025-000001" and app.state == "received"
    assert app.query_code_hash == query_code_digest(s.query_code) and s.query_code not in app.query_code_hash
    assert list(app.events.values_list("action", flat=True)) == ["submit"]
    assert app.reply_due == date(2025, 9, 28)  # 20 working days; 9-28 is a make-up Sunday


def test_the_same_submission_token_never_makes_a_second_application(people):
    token = uuid.uuid4()
    first = _submit(people, submission_token=token)
    again = _submit(people, submission_token=token)
    assert again.application.pk == first.application.pk and again.created is False and again.query_code is None
    assert Application.objects.count() == 1


def test_unsigned_post_waits_for_confirmation_without_a_clock(people):
    app = _submit(people, channel="post_unsigned", handed_in_on=None).application
    assert app.state == "submitted" and app.received_on is None and app.reply_due is None
    _move(app, "confirm_receipt", people["jingban"], {"clerk"}, date(2025, 9, 2), confirmed_on=date(2025, 9, 2))
    app.refresh_from_db()
    assert app.state == "received" and app.received_on == date(2025, 9, 2)
    assert app.reply_due == working_calendar().add_working_days(date(2025, 9, 2), 20)


def test_the_full_walk_keeps_the_stored_deadline_equal_to_the_domain_clock(people):
    clerk, head, leader = people["jingban"], people["zhuren"], people["lingdao"]
    app = _submit(people).application
    steps = [
        (
            "request_correction",
            clerk,
            {"clerk"},
            date(2025, 9, 3),
            {"items": ["请写明所需文件名称"], "requested_on": date(2025, 9, 3), "period_working_days": 10},
            None,
        ),
        (
            "receive_correction",
            clerk,
            {"clerk"},
            date(2025, 9, 8),
            {"received_on": date(2025, 9, 8)},
            date(2025, 10, 11),
        ),
        (
            "start_third_party_consultation",
            clerk,
            {"clerk"},
            date(2025, 9, 17),
            {"party": "某培训机构", "sent_on": date(2025, 9, 15), "delivered_on": date(2025, 9, 17)},
            None,
        ),
        (
            "end_consultation",
            clerk,
            {"clerk"},
            date(2025, 9, 26),
            {"party": "某培训机构", "ended_on": date(2025, 9, 26), "response": "agreed"},
            date(2025, 10, 23),
        ),
        (
            "request_extension",
            clerk,
            {"clerk"},
            date(2025, 10, 9),
            {"reason": "需调取档案", "working_days": 20},
            date(2025, 10, 23),
        ),
        (
            "approve_extension",
            head,
            {"office_head"},
            date(2025, 10, 10),
            {"working_days": 20, "approved_on": date(2025, 10, 10)},
            date(2025, 11, 20),
        ),
    ]
    for action, user, roles, today, fields, expected_due in steps:
        _move(app, action, user, roles, today, **fields)
        app.refresh_from_db()
        deadlines = clock.deadlines_of(
            app.events.order_by("seq"), calendar=working_calendar(), today=today, convention="A"
        )
        reply = clock.reply_of(deadlines)
        assert app.reply_due == reply.due
        if expected_due:
            assert app.reply_due == expected_due, action
    _move(
        app,
        "submit_reply_for_sign_off",
        clerk,
        {"clerk"},
        date(2025, 11, 13),
        outcome_code="disclosed",
        legal_basis="第三十六条（二）",
    )
    sign_and_issue(app, head=head, leader=leader, clerk=clerk, on=date(2025, 11, 14))
    app.refresh_from_db()
    assert (app.state, app.outcome_code, app.concluded_on, app.reply_status) == (
        "replied",
        "disclosed",
        date(2025, 11, 14),
        "met",
    )
    assert app.events.count() == 11  # submit, signed by the head and the leader, issued
    assert app.history.count() >= 9  # every saved change kept with who and when


def test_a_refused_move_writes_nothing(people):
    app = _submit(people).application
    before = (app.events.count(), app.history.count())
    with pytest.raises(TransitionNotAllowed):
        _move(
            app,
            "approve_extension",
            people["jingban"],
            {"clerk"},
            date(2025, 9, 2),
            working_days=20,
            approved_on=date(2025, 9, 2),
        )
    with pytest.raises(DomainError):
        _move(app, "request_correction", people["jingban"], {"clerk"}, date(2025, 9, 3), requested_on=date(2025, 9, 3))
    app.refresh_from_db()
    assert (app.events.count(), app.history.count()) == before and app.state == "received"


def test_a_second_extension_is_refused_by_the_clock_even_though_the_state_allows_it(people):
    clerk, head = people["jingban"], people["zhuren"]
    app = _submit(people).application
    _move(app, "start_processing", clerk, {"clerk"}, date(2025, 9, 2))
    _move(app, "request_extension", clerk, {"clerk"}, date(2025, 9, 20), reason="量大", working_days=10)
    _move(
        app,
        "approve_extension",
        head,
        {"office_head"},
        date(2025, 9, 22),
        working_days=10,
        approved_on=date(2025, 9, 22),
    )
    _move(
        app,
        "notify_fee",
        clerk,
        {"clerk"},
        date(2025, 9, 23),
        method="per_page",
        pages=100,
        amount=700,
        fee_sent_on=date(2025, 9, 23),
        notice_received_on=date(2025, 9, 23),
    )
    _move(app, "fee_paid", clerk, {"clerk"}, date(2025, 9, 24), paid_on=date(2025, 9, 24))
    _move(app, "request_extension", clerk, {"clerk"}, date(2025, 9, 25), reason="再次", working_days=5)
    events = app.events.count()
    with pytest.raises(DomainError, match="延期"):
        _move(
            app,
            "approve_extension",
            head,
            {"office_head"},
            date(2025, 9, 26),
            working_days=5,
            approved_on=date(2025, 9, 26),
        )
    assert app.events.count() == events


def test_the_case_log_is_append_only(people):
    event = _submit(people).application.events.get()
    event.fields = {"tampered": True}
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert CaseEvent.objects.get(pk=event.pk).fields != {"tampered": True}


def test_without_the_next_years_notice_the_case_gets_a_provisional_date_and_every_move_works(people):
    # Before the 2027 notice, the reply deadline is counted by the statutory holidays: a
    # provisional date, stored and marked, never later than the official one. The extension
    # (which depends on the deadline) is approved like any other.
    clerk, head = people["jingban"], people["zhuren"]
    app = _submit(
        people, submitted_on=date(2026, 12, 15), handed_in_on=date(2026, 12, 15), today=date(2026, 12, 15)
    ).application
    provisional = working_calendar().due_date(date(2026, 12, 15), 20)
    assert provisional.provisional
    assert (app.reply_due, app.reply_status, app.reply_due_provisional) == (provisional.due, "running", True)
    _move(app, "start_processing", clerk, {"clerk"}, date(2026, 12, 16))
    _move(app, "request_extension", clerk, {"clerk"}, date(2026, 12, 17), reason="需调取档案", working_days=20)
    _move(
        app,
        "approve_extension",
        head,
        {"office_head"},
        date(2026, 12, 18),
        working_days=20,
        approved_on=date(2026, 12, 18),
    )
    app.refresh_from_db()
    assert app.state == "extended" and app.events.count() == 4
    assert app.reply_due == working_calendar().add_working_days(provisional.due, 20) and app.reply_due_provisional


def test_a_case_whose_dates_stay_in_the_covered_year_is_not_marked_provisional(people):
    app = _submit(
        people, submitted_on=date(2026, 11, 2), handed_in_on=date(2026, 11, 2), today=date(2026, 11, 2)
    ).application
    assert app.reply_due == date(2026, 11, 30) and not app.reply_due_provisional


def test_a_returned_draft_leaves_nothing_pending_and_goes_back_to_its_state(people):
    clerk, leader = people["jingban"], people["lingdao"]
    app = _submit(people).application
    _move(app, "start_processing", clerk, {"clerk"}, date(2025, 9, 2))
    _move(
        app,
        "submit_reply_for_sign_off",
        clerk,
        {"clerk"},
        date(2025, 9, 10),
        outcome_code="does_not_exist",
        legal_basis="第三十六条（四）",
    )
    app.refresh_from_db()
    assert (app.state, app.pending_outcome) == ("awaiting_sign_off", "does_not_exist")
    _move(app, "return_reply", leader, {"leader"}, date(2025, 9, 11), comment="请补充检索情况")
    app.refresh_from_db()
    assert (app.state, app.pending_outcome, app.pending_legal_basis, app.resume_state) == ("in_progress", "", "", "")
