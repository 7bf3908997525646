"""December without next year's holiday notice: every case listed with a provisional (预计) date,
every move and letter works, and entering the notice recomputes every open case at once."""

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from docx import Document

from gongkai import localtime
from gongkai.accounts.models import Agency
from gongkai.applications import letters, tasks
from gongkai.applications.models import Application, DeadlineChange
from gongkai.applications.services import application_submit, application_transition
from gongkai.workcalendar.models import HolidayNotice
from gongkai.workcalendar.selectors import working_calendar
from tests.factories import EDU, HOLIDAY_NOTICE_PERMS, NOTICE_2027_FORM, bureau, grant, submit_application

pytestmark = pytest.mark.django_db

CLERK = {"clerk"}
APPLICANT = {
    "applicant_type": "natural_person",
    "applicant_name": "周敏",
    "id_document_type": "resident_id",
    "id_document_number": "110101199001011237",
    "phone": "13800000000",
    "description": "2026年度校舍维修项目清单",
    "delivery_form": "electronic",
    "delivery_channel": "email",
}
REASON = "2027年节假日安排尚未录入，按法定节假日推算，实际期限不早于此日"
TODAY = date(2026, 12, 7)


@pytest.fixture
def people(monkeypatch):
    bureau()
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    User = get_user_model()
    return {u: User.objects.get(username=u) for u in ("jingban", "zhuren", "lingdao")}


def _submit(people, received, name="周敏"):
    agency = Agency.objects.get(code=EDU)
    applicant = {**APPLICANT, "applicant_name": name}
    return submit_application(
        agency=agency, registered_by=people["jingban"], received=received, applicant=applicant
    ).application


def _move(app, action, user, roles, today, **fields):
    event = application_transition(
        application=app, action=action, actor=user, actor_roles=roles, fields=fields, today=today
    )
    app.refresh_from_db()
    return event


def _text(letter) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(letter.generated.open("rb").read())).paragraphs)


def test_every_open_case_is_in_the_work_list_and_the_dashboard_count_equals_it(client, people):
    early = _submit(people, date(2026, 11, 2), "十一月")  # due 2026-11-30: firm
    late = _submit(people, date(2026, 12, 4), "十二月")  # counts over weekends 2027 may claim: provisional
    assert not early.reply_due_provisional and late.reply_due_provisional
    client.force_login(people["jingban"])
    html = client.get(reverse("applications:staff_list")).content.decode()
    assert html.count('data-testid="case-row"') == 2 and "十二月" in html and "十一月" in html
    assert html.index("十一月") < html.index("十二月")  # sorted by the (provisional) reply date
    assert html.count('data-testid="provisional"') == 1 and f'title="{REASON}"' in html
    dashboard = client.get(reverse("accounts:dashboard")).content.decode()
    assert "在办申请" in dashboard
    counts = {c.key: c.value for p in client.get(reverse("accounts:dashboard")).context["panels"] for c in p.counts}
    assert counts["open"] == 2


def test_the_case_page_marks_only_the_provisional_deadlines(client, people):
    app = _submit(people, date(2026, 12, 4))
    client.force_login(people["jingban"])
    html = client.get(reverse("applications:staff_case", args=[app.pk])).content.decode()
    # the 7-working-day 补正 window ends 2026-12-15 (firm); the reply deadline is 预计
    assert "2026年12月15日" in html and html.count('data-testid="provisional"') >= 1 and REASON in html


def test_extension_correction_and_their_letters_work_without_printing_a_provisional_date(people):
    clerk, head = people["jingban"], people["zhuren"]
    app = _submit(people, date(2026, 12, 4))
    _move(app, "start_processing", clerk, CLERK, date(2026, 12, 7))
    _move(app, "request_extension", clerk, CLERK, date(2026, 12, 7), reason="需调取档案", working_days=20)
    _move(
        app,
        "approve_extension",
        head,
        {"office_head"},
        date(2026, 12, 7),
        working_days=20,
        approved_on=date(2026, 12, 7),
    )
    assert app.state == "extended" and app.reply_due_provisional
    text = _text(letters.generate_letter(application=app, kind="extension_notice", user=clerk))
    assert "原答复期限届满后第20个工作日（按国务院办公厅公布的节假日安排计算）" in text
    assert "原答复期限届满之日（按国务院办公厅公布的节假日安排计算）" in text
    assert f"{app.reply_due.year}年{app.reply_due.month}月{app.reply_due.day}日" not in text

    other = _submit(people, date(2026, 12, 7))
    _move(
        other,
        "request_correction",
        clerk,
        CLERK,
        date(2026, 12, 7),
        items=["请写明文件名称"],
        requested_on=date(2026, 12, 7),
        period_working_days=15,
    )
    text = _text(letters.generate_letter(application=other, kind="correction_notice", user=clerk))
    assert (
        "本告知书发出之日起15个工作日内（按国务院办公厅公布的节假日安排计算）" in text
        and "即" not in text.split("15个工作日内")[1][:3]
    )


def test_a_firm_correction_period_is_still_printed_as_a_date(people):
    app = _submit(people, date(2026, 11, 2))
    _move(
        app,
        "request_correction",
        people["jingban"],
        CLERK,
        date(2026, 11, 3),
        items=["请写明文件名称"],
        requested_on=date(2026, 11, 3),
        period_working_days=10,
    )
    text = _text(letters.generate_letter(application=app, kind="correction_notice", user=people["jingban"]))
    assert "10个工作日内（即2026年11月17日前）" in text


def test_the_public_status_page_marks_the_date_and_asks_nothing_of_the_citizen(client, people):
    submitted = application_submit(
        agency=Agency.objects.get(code=EDU),
        channel="in_person",
        applicant=APPLICANT,
        submitted_on=date(2026, 12, 4),
        handed_in_on=date(2026, 12, 4),
        registered_by=people["jingban"],
        today=date(2026, 12, 4),
    )
    app = submitted.application
    response = client.post(
        reverse("applications:public_status"), {"number": app.tracking_number, "code": submitted.query_code}
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "预计" in html and "2027年节假日安排尚未公布，此日期按法定节假日预计，实际期限不早于此日" in html
    assert "录入" not in html


def test_entering_the_notice_recomputes_every_open_case_at_once_and_logs_each_change(client, people):
    late = _submit(people, date(2026, 12, 4))
    early = _submit(people, date(2026, 11, 2))
    provisional_due = late.reply_due
    client.force_login(grant(people["zhuren"], *HOLIDAY_NOTICE_PERMS))  # the office head enters notices
    data = NOTICE_2027_FORM
    response = client.post(reverse("admin:workcalendar_holidaynotice_add"), data, follow=True)
    assert response.status_code == 200 and HolidayNotice.objects.filter(year=2027).exists()
    assert "件申请的答复期限有变化" in response.content.decode()
    late.refresh_from_db()
    early.refresh_from_db()
    official = working_calendar().due_date(date(2026, 12, 4), 20)
    assert not official.provisional and (late.reply_due, late.reply_due_provisional) == (official.due, False)
    assert provisional_due <= official.due
    change = DeadlineChange.objects.get()
    assert (change.application, change.old_due, change.old_provisional, change.new_due, change.new_provisional) == (
        late,
        provisional_due,
        True,
        official.due,
        False,
    )
    assert change.actor == people["zhuren"] and change.notice_year == 2027
    assert not DeadlineChange.objects.filter(application=early).exists()  # its date did not move
    page = client.get(reverse("applications:staff_deadline_changes")).content.decode()
    assert late.tracking_number in page and "（预计）" in page
    assert "录入2027年节假日安排后重新计算期限" in [h.history_change_reason for h in late.history.all()]
    counts = {c.key: c.value for p in client.get(reverse("accounts:dashboard")).context["panels"] for c in p.counts}
    assert counts["deadline_changes"] == 1


def test_the_daily_refresh_logs_no_error_for_a_provisional_case(people, caplog):
    _submit(people, date(2026, 12, 4))
    Application.objects.update(reply_due=None, reply_status="")  # as a stale copy would be
    counts = tasks.refresh_open_deadlines(today=TODAY)
    assert counts["failed"] == 0 and counts["changed"] == 1
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
    assert Application.objects.get().reply_due_provisional
