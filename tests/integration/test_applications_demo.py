"""The demo year of 示范区教育局: every state and outcome, made through the services, counted cleanly."""

from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command

from gongkai.accounts.models import Agency
from gongkai.applications import clock, statistics, tasks
from gongkai.applications.models import Application, CaseEvent, Letter
from gongkai.demo.accounts import seed_demo
from gongkai.demo.applications import credit_code, resident_id, seed_applications
from gongkai.domain.applications.workflow import State, transition_for
from gongkai.domain.consistency import audit
from gongkai.domain.outcomes import APPLICANT_TYPES, OUTCOME_CODES
from gongkai.domain.report_format import format_for_year
from gongkai.workcalendar.selectors import working_calendar

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


def _valid_resident_id(number: str) -> bool:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return len(number) == 18 and "10X98765432"[sum(int(c) * w for c, w in zip(number, weights)) % 11] == number[-1]


def test_the_demo_year_holds_every_state_and_outcome_made_by_the_rules_and_counted_cleanly():
    seed_demo()
    result = seed_applications(TODAY)
    assert result.skipped == [] and result.created >= 60
    agency = Agency.objects.get(code="demo-edu")
    apps = list(Application.objects.filter(agency=agency))
    assert {a.state for a in apps} == {s.value for s in State}
    assert {a.outcome_code for a in apps if a.outcome_code} == set(OUTCOME_CODES)
    assert {a.applicant_type for a in apps} == set(APPLICANT_TYPES)
    received_2026 = [a.received_on for a in apps if a.received_on and a.received_on.year == 2026]
    assert min(received_2026) >= date(2026, 1, 5) and max(received_2026) <= TODAY and len(received_2026) >= 55
    assert Counter(a.received_on.month for a in apps if a.received_on and a.received_on.year == 2026).keys() >= set(
        range(1, 12)
    )

    # every log follows the transition table, and the stored deadline is the domain clock's, today
    calendar = working_calendar()
    for app in apps:
        log = list(app.events.order_by("seq"))
        assert log[0].action == "submit"
        for e in log[1:]:
            row = transition_for(e.from_state, e.action)
            assert row is not None and (row.to is None or row.to.value == e.to_state), (app, e.action)
        assert log[-1].to_state == app.state
        today = app.concluded_on or TODAY
        reply = clock.reply_of(clock.deadlines_of(log, calendar=calendar, today=today, convention=app.convention))
        assert (app.reply_due, app.reply_status) == ((reply.due, str(reply.status)) if reply else (None, "")), app

    # the procedure's special moves all appear
    actions = set(CaseEvent.objects.values_list("action", flat=True))
    for action in (
        "request_correction",
        "receive_correction",
        "correction_lapsed",
        "start_third_party_consultation",
        "start_agency_consultation",
        "end_consultation",
        "approve_extension",
        "reject_extension",
        "notify_fee",
        "fee_paid",
        "fee_lapsed",
        "return_reply",
        "sign_off_reply",
        "answer_on_the_spot",
        "set_delay_period",
        "reason_accepted",
        "confirm_receipt",
        "withdraw",
        "not_an_application",
    ):
        assert action in actions, action

    # overdue, due soon, and carried over from 2025
    assert tasks.overdue_cases(agency, today=TODAY).count() >= 2
    assert tasks.due_soon_cases(agency, today=TODAY, calendar=calendar).count() >= 2
    t2026 = statistics.table3_for_year_sql(agency, 2026)
    assert t2026["carried_over"]["total"] >= 4 and t2026["carry_forward"]["total"] >= 15
    for year in (2025, 2026):
        table = statistics.table3_for_year_sql(agency, year)
        assert audit(format_for_year(year), {"table_3": table}).errors == ()
    assert statistics.table3_for_year_sql(agency, 2025)["carry_forward"] == t2026["carried_over"]

    # the fast on-time figures agree with the clock recomputed from every log
    fast, unchecked = statistics.reply_timings(agency, 2026, calendar=calendar)
    assert unchecked == [] and fast == statistics.reply_timings_from_log(agency, 2026, calendar=calendar)
    assert 0 < sum(t.on_time for t in fast.values()) < len(fast)  # mostly on time, not all

    # made-up identities are well formed
    for app in apps:
        if app.id_document_type == "resident_id":
            assert _valid_resident_id(app.id_document_number), app.id_document_number
        else:
            assert len(app.id_document_number) == 18

    # letters for concluded cases; replies kept as sent, so the applicant has a final letter
    assert Letter.objects.filter(kind__startswith="reply_").exclude(signed="").count() >= 40
    assert {"correction_notice", "third_party_consultation", "extension_notice", "fee_notice"} <= set(
        Letter.objects.values_list("kind", flat=True)
    )

    # the timestamps read like a year of work
    first = Application.objects.filter(agency=agency).order_by("submitted_at").first()
    assert first.submitted_at.date().year == 2025


def test_seeding_again_changes_nothing(capsys):
    seed_demo()
    seed_applications(TODAY, with_letters=False)
    counts = (Application.objects.count(), CaseEvent.objects.count())
    again = seed_applications(TODAY, with_letters=False)
    assert again.created == 0 and (Application.objects.count(), CaseEvent.objects.count()) == counts
    call_command("seed_applications")
    assert "未重复创建" in capsys.readouterr().out
    assert (Application.objects.count(), CaseEvent.objects.count()) == counts


def test_seeding_without_the_demo_agency_says_what_to_run_first():
    from gongkai.domain.errors import DomainError

    with pytest.raises(DomainError, match="seed_demo"):
        seed_applications(TODAY)


def test_made_up_identity_numbers_carry_valid_check_characters():
    assert (
        resident_id("110101", date(1990, 1, 1), 123)
        == "11010119900101123" + resident_id("110101", date(1990, 1, 1), 123)[-1]
    )
    assert _valid_resident_id(resident_id("440305", date(1991, 6, 25), 286))
    # a published example of a unified social credit code and its check character (GB 32100-2015)
    assert credit_code("91", "350100", "M000100Y") == "91350100M000100Y43"


@pytest.mark.parametrize(
    "today",
    [date(2026, 12, 7), date(2026, 12, 31), date(2027, 1, 2), date(2027, 1, 15), date(2026, 2, 14), date(2026, 4, 30)],
)
def test_the_demo_year_can_be_made_on_any_day_of_the_year(today):
    # No 2027 holiday notice is shipped: in December and January the open cases' deadlines are
    # provisional (预计) and nothing is skipped for it.
    seed_demo()
    result = seed_applications(today, with_letters=today == date(2026, 12, 7))
    assert result.skipped == [] and result.created > 0
    agency = Agency.objects.get(code="demo-edu")
    calendar = working_calendar()
    apps = list(Application.objects.filter(agency=agency))
    assert all(a.received_on is None or a.received_on <= today for a in apps)
    for app in apps:
        log = list(app.events.order_by("seq"))
        reply = clock.reply_of(
            clock.deadlines_of(log, calendar=calendar, today=app.concluded_on or today, convention=app.convention)
        )
        if app.is_open and app.received_on:
            assert (app.reply_due, app.reply_due_provisional) == (reply.due, reply.provisional), app
    if today.month == 12 and today.day >= 7 or today.year == 2027:
        assert any(a.reply_due_provisional for a in apps if a.is_open)
    else:
        assert not any(a.reply_due_provisional for a in apps)
    assert tasks.refresh_open_deadlines(today=today)["failed"] == 0


def test_generated_applications_follow_the_sign_off_chain_and_the_clocks():
    # the benchmark generator writes its logs without the service: each must still be one the domain accepts
    from gongkai.accounts.models import Agency
    from gongkai.applications.models import Application
    from gongkai.demo.generate_applications import generate
    from gongkai.domain.applications.workflow import transition_for

    seed_demo()
    agency = Agency.objects.get(code="demo-edu")
    assert generate(300, agency=agency, today=date(2026, 11, 23), seed=4) == 300
    calendar = working_calendar()
    signed = direct = 0
    for app in Application.objects.filter(agency=agency).prefetch_related("events"):
        log = list(app.events.order_by("seq"))
        for e in log[1:]:
            assert transition_for(e.from_state, e.action) is not None, (e.from_state, e.action)
        actions = [e.action for e in log]
        if "sign_off_reply" in actions and app.state == "replied":
            signed += 1
            assert actions[-3:] == ["sign_off_reply", "sign_off_reply", "issue_reply"]
            assert app.pending_outcome == "" and app.outcome_code
        if "reply" in actions and app.state == "replied":  # a reply needing no signature: issued too
            direct += 1
            assert actions[-2:] == ["reply", "issue_reply"], actions
        if app.outcome_code and app.state == "replied":
            deadlines = clock.deadlines_of(log, calendar=calendar, today=app.concluded_on, convention=app.convention)
            assert clock.reply_of(deadlines).status in ("met", "missed")
    assert signed > 50 and direct > 0


def test_the_demo_asks_only_for_delivery_pairs_the_public_form_accepts():
    # a letter would otherwise say “按照您要求的纸质形式，通过电子邮件方式”
    from gongkai.domain.applications.delivery import delivery_problem

    seed_demo()
    seed_applications(TODAY, with_letters=False)
    pairs = set(Application.objects.values_list("delivery_form", "delivery_channel"))
    assert pairs and all(delivery_problem(f, c) is None for f, c in pairs), pairs
