"""Reminders: the morning job recomputes every open case's reply deadline, marks overdue and due
soon without new fields, requeues itself for the next morning once; and the year-end carry."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gongkai.accounts.models import Agency
from gongkai.applications import statistics, tasks
from gongkai.applications.services import application_transition
from gongkai.workcalendar.selectors import working_calendar
from tests.factories import EDU, bureau, submit_application
from tests.integration.signing import reply_and_issue

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SHANGHAI = ZoneInfo("Asia/Shanghai")
APPLICANT = {
    "applicant_type": "natural_person",
    "applicant_name": "陈静",
    "id_document_type": "resident_id",
    "id_document_number": "110105199007024624",
    "phone": "13911112222",
    "description": "学区划分方案",
    "delivery_form": "paper",
    "delivery_channel": "post",
}


@pytest.fixture
def clerk():
    return bureau().people["jingban"]


def _received(clerk, on: date):
    app = submit_application(
        agency=Agency.objects.get(code=EDU), registered_by=clerk, received=on, applicant=APPLICANT
    ).application
    application_transition(
        application=app, action="start_processing", actor=clerk, actor_roles={"clerk"}, fields={}, today=on
    )
    app.refresh_from_db()
    return app


@pytest.mark.django_db
def test_the_job_marks_a_case_overdue_once_its_deadline_has_passed_and_another_due_soon(clerk):
    cal = working_calendar()
    today = date(2026, 11, 23)
    # received so that the 20th working day falls two working days after today
    soon_received = next(
        d
        for d in (today - timedelta(days=n) for n in range(60))
        if cal.is_working_day(d) and cal.add_working_days(d, 20) <= cal.add_working_days(today, 2)
    )
    late = _received(clerk, date(2026, 10, 12))
    soon = _received(clerk, soon_received)
    fresh = _received(clerk, date(2026, 11, 20))
    assert late.reply_due == cal.add_working_days(date(2026, 10, 12), 20) and late.reply_status == "running"
    counts = tasks.refresh_open_deadlines(today=today)
    for app in (late, soon, fresh):
        app.refresh_from_db()
    assert late.reply_status == "missed" and soon.reply_status == "running"
    assert list(tasks.overdue_cases(today=today)) == [late]
    assert tasks.due_soon_cutoff(today, cal) == cal.add_working_days(today, 3)
    assert soon.reply_due <= tasks.due_soon_cutoff(today, cal)
    assert list(tasks.due_soon_cases(today=today, calendar=cal)) == [soon]
    assert counts == {"checked": 3, "changed": 1, "failed": 0, "overdue": 1, "due_soon": 1}


@pytest.mark.django_db
def test_the_number_of_working_days_for_due_soon_is_a_setting(clerk, settings):
    cal = working_calendar()
    cal_due = _received(clerk, date(2026, 10, 26)).reply_due  # 2026-11-23
    today = date(2026, 11, 19)
    assert cal.working_days_between(today, cal_due) == 2
    settings.GONGKAI_DUE_SOON_WORKING_DAYS = 1
    assert tasks.due_soon_cases(today=today, calendar=cal).count() == 0
    settings.GONGKAI_DUE_SOON_WORKING_DAYS = 5
    assert tasks.due_soon_cases(today=today, calendar=cal).count() == 1


@pytest.mark.django_db
def test_a_morning_without_change_writes_nothing_not_even_history(clerk):
    app = _received(clerk, date(2026, 9, 1))
    tasks.refresh_open_deadlines(today=date(2026, 9, 10))
    before = (app.history.count(), app.events.count())
    again = tasks.refresh_open_deadlines(today=date(2026, 9, 11))
    assert again["changed"] == 0 and (app.history.count(), app.events.count()) == before


@pytest.mark.django_db
def test_a_running_consultation_moves_the_stored_due_date_each_morning(clerk):
    app = _received(clerk, date(2026, 9, 1))
    application_transition(
        application=app,
        action="start_third_party_consultation",
        actor=clerk,
        actor_roles={"clerk"},
        fields={"party": "某公司", "sent_on": date(2026, 9, 7), "delivered_on": date(2026, 9, 8)},
        today=date(2026, 9, 8),
    )
    app.refresh_from_db()
    first = app.reply_due
    tasks.refresh_open_deadlines(today=date(2026, 9, 10))
    app.refresh_from_db()
    assert app.reply_status == "paused" and app.reply_due == working_calendar().add_working_days(first, 2)
    assert app not in tasks.overdue_cases(today=date(2026, 12, 1))  # a paused clock is never overdue


def test_the_next_run_is_tomorrow_at_six_in_the_morning_local_time():
    late_evening = datetime(2026, 11, 23, 23, 30, tzinfo=SHANGHAI)
    assert tasks.next_run_at(late_evening) == datetime(2026, 11, 24, 6, 0, tzinfo=SHANGHAI)
    just_past_midnight_local = datetime(2026, 11, 23, 16, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 on the 24th in Shanghai
    assert tasks.next_run_at(just_past_midnight_local) == datetime(2026, 11, 25, 6, 0, tzinfo=SHANGHAI)


@pytest.mark.django_db(transaction=True)
def test_the_task_requeues_itself_for_the_next_morning_and_never_twice(clerk):
    app = _received(clerk, date(2026, 9, 1))
    with override_settings(TASKS=DB_TASKS):
        call_command("schedule_reminders", verbosity=0)
        call_command("schedule_reminders", verbosity=0)  # `make run` twice: still one run waiting
        assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        done = DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL)
        waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
        assert done.task_path == waiting.task_path == tasks.refresh_deadlines_task.module_path
        assert waiting.run_after == tasks.next_run_at(done.started_at)
        assert done.return_value["checked"] == 1
        call_command("schedule_reminders", verbosity=0)
        assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    app.refresh_from_db()
    assert app.reply_status in ("running", "missed")


@pytest.mark.django_db
def test_a_backend_that_cannot_defer_runs_the_job_once_without_requeueing(clerk):
    _received(clerk, date(2026, 9, 1))
    result = tasks.schedule_next()  # the test settings' immediate backend
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value["checked"] == 1
    assert tasks.schedule_next(run_after=tasks.next_run_at(datetime(2026, 9, 1, tzinfo=SHANGHAI))) is None


# -- the year end --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_case_open_at_the_year_end_is_carried_forward_and_carried_over_into_the_next_year(clerk):
    agency = Agency.objects.get(code=EDU)
    app = _received(clerk, date(2025, 12, 22))
    y2025 = statistics.table3_for_year_sql(agency, 2025)
    y2026 = statistics.table3_for_year_sql(agency, 2026)
    assert y2025["new_received"]["natural_person"] == 1 and y2025["carry_forward"]["natural_person"] == 1
    assert y2025["results_total"]["total"] == 0
    assert y2026["carried_over"]["natural_person"] == 1 and y2026["new_received"]["total"] == 0
    assert y2026["carry_forward"]["natural_person"] == 1  # still open
    reply_and_issue(
        app, clerk=clerk, outcome_code="already_public", legal_basis="第三十六条（一）", on=date(2026, 1, 8)
    )
    y2026 = statistics.table3_for_year_sql(agency, 2026)
    assert y2026["carried_over"]["natural_person"] == 1 and y2026["granted"]["natural_person"] == 1
    assert y2026["carry_forward"]["total"] == 0
    assert statistics.table3_for_year_sql(agency, 2025)["carry_forward"]["natural_person"] == 1
