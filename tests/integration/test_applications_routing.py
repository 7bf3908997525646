"""Routing to units (承办): the services write the assignment and the case log and leave the statutory
clocks alone; unit staff read only their unit's cases, never the applicant's identity document
number unless the office shares it; the office's case page shows who has answered; the unit panel."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from gongkai import localtime
from gongkai.accounts.models import Membership, Role, Unit
from gongkai.applications import services
from gongkai.applications.models import Application, Assignment, CaseEvent
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError
from tests.factories import UserFactory, bureau, submit_application

pytestmark = pytest.mark.django_db

RECEIVED = date(2026, 9, 15)  # reply due Monday 19 October 2026 (20 working days, 第三十三条)
TODAY = date(2026, 9, 22)  # ten working days later: Tuesday 13 October
# a unique identity number: any page that shows it to unit staff fails the test
SECRET_ID = "11010119850607123X"


@pytest.fixture
def b():
    return bureau()


@pytest.fixture
def units(b):
    jichu = Unit.objects.create(agency=b.agency, name="基础教育股", kind=Unit.Kind.SECTION)
    caiwu = Unit.objects.create(agency=b.agency, name="计划财务股", kind=Unit.Kind.SECTION)
    other = Unit.objects.create(agency=b.neighbour, name="医政股", kind=Unit.Kind.SECTION)
    return {"jichu": jichu, "caiwu": caiwu, "other": other}


def _unit_person(unit, username, role=Role.UNIT_STAFF):
    user = UserFactory(username=username)
    Membership.objects.create(user=user, agency=unit.agency, role=role, unit=unit)
    return user


@pytest.fixture
def staff(units):
    return {
        "jichu": _unit_person(units["jichu"], "chengban1"),
        "caiwu": _unit_person(units["caiwu"], "chengban2"),
        "caiwu_head": _unit_person(units["caiwu"], "guzhang2", Role.UNIT_HEAD),
    }


@pytest.fixture
def case(b):
    applicant = {
        "applicant_type": "natural_person",
        "applicant_name": "刘洋",
        "id_document_type": "resident_id",
        "id_document_number": SECRET_ID,
        "phone": "13800000000",
        "description": "2026年示范区义务教育学校招生划片方案及其制定依据",
        "delivery_form": "electronic",
        "delivery_channel": "email",
    }
    return submit_application(
        agency=b.agency, registered_by=b.people["jingban"], received=RECEIVED, applicant=applicant
    ).application


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    return TODAY


def _assign(case, b, units, **kw):
    return services.assignment_create(
        application=case,
        units=units,
        actor=b.people["jingban"],
        actor_roles={"clerk"},
        today=kw.pop("today", TODAY),
        **kw,
    )


def _act(a, user, action, roles=frozenset({"unit_staff"}), files=(), **fields):
    return services.assignment_transition(
        assignment=a, action=action, actor=user, actor_roles=set(roles), fields=fields, files=list(files), today=TODAY
    )


# -- services ----------------------------------------------------------------------------------------


def test_an_assignment_to_two_units_logs_each_and_leaves_the_statutory_clock_alone(b, units, case):
    case.refresh_from_db()
    before = (case.state, case.reply_due, case.reply_status)
    assert case.reply_due == date(2026, 10, 19)
    made = _assign(case, b, [units["jichu"], units["caiwu"]], instructions="请查找2026年划片方案")
    assert [a.due for a in made] == [date(2026, 10, 13)] * 2
    assert [a.state for a in made] == ["assigned", "assigned"]
    log = list(case.events.order_by("seq"))
    assert [e.action for e in log] == ["submit", "unit_assign", "unit_assign"]
    assert log[1].fields["unit"] == "基础教育股" and log[1].fields["internal_due"] == "2026-10-13"
    assert log[1].from_state == log[1].to_state == case.state
    case.refresh_from_db()
    assert (case.state, case.reply_due, case.reply_status) == before


def test_the_agency_default_is_capped_before_the_statutory_deadline_and_said_in_the_log(b, units, case):
    (a,) = _assign(case, b, [units["jichu"]], today=date(2026, 10, 9))
    assert a.due == date(2026, 10, 16)  # ten working days would be 22 October; the reply is due the 19th
    note = case.events.get(action="unit_assign").fields["due_note"]
    assert "已提前至2026年10月16日" in note


def test_a_requested_date_after_the_statutory_deadline_is_refused_and_nothing_written(b, units, case):
    with pytest.raises(DomainError, match="应早于法定答复期限"):
        _assign(case, b, [units["jichu"]], due=date(2026, 10, 20))
    assert not Assignment.objects.exists()
    assert case.events.count() == 1


def test_only_the_office_assigns_only_its_own_units_and_not_twice(b, units, case, staff):
    with pytest.raises(TransitionNotAllowed):
        services.assignment_create(
            application=case, units=[units["jichu"]], actor=staff["jichu"], actor_roles={"unit_staff"}, today=TODAY
        )
    with pytest.raises(FieldError, match="本机关"):
        _assign(case, b, [units["other"]])
    _assign(case, b, [units["jichu"]])
    with pytest.raises(FieldError, match="基础教育股正在承办"):
        _assign(case, b, [units["jichu"]])


def test_a_unit_answers_with_a_file_and_a_proposed_outcome_or_returns_it(b, units, case, staff):
    a1, a2 = _assign(case, b, [units["jichu"], units["caiwu"]])
    _act(a1, staff["jichu"], "return_to_office", return_kind="not_ours", reason="招生划片由计划财务股牵头制定")
    _act(a2, staff["caiwu"], "accept")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    done = _act(
        a2,
        staff["caiwu_head"],
        "answer",
        roles={"unit_head"},
        files=[("划片方案.pdf", "application/pdf", pdf)],
        proposed_outcome="disclosed",
        opinion="该方案已由本股制作并保存，不涉及第十四条、第十五条情形，建议予以公开",
    )
    assert done.state == "answered" and done.proposed_outcome == "disclosed"
    assert [f.original_name for f in done.files.all()] == ["划片方案.pdf"]
    a1.refresh_from_db()
    assert (a1.state, a1.return_kind) == ("returned", "not_ours")
    actions = list(case.events.order_by("seq").values_list("action", flat=True))
    assert actions == [
        "submit",
        "unit_assign",
        "unit_assign",
        "unit_return_to_office",
        "unit_accept",
        "unit_answer",
    ]
    case.refresh_from_db()
    assert case.state == "received"  # the office replies; a unit's answer moves nothing


def test_a_unit_acts_only_on_its_own_assignments(b, units, case, staff):
    (a,) = _assign(case, b, [units["jichu"]])
    with pytest.raises(TransitionNotAllowed, match="本单位"):
        _act(a, staff["caiwu"], "accept")
    with pytest.raises(TransitionNotAllowed):
        _act(a, staff["jichu"], "withdraw")  # the office's
    services.assignment_transition(
        assignment=a, action="withdraw", actor=b.people["zhuren"], actor_roles={"office_head"}, fields={}, today=TODAY
    )
    a.refresh_from_db()
    assert a.state == "withdrawn"
    with pytest.raises(TransitionNotAllowed):
        _act(a, staff["jichu"], "accept")


def test_the_statutory_deadline_is_computed_the_same_with_routing_in_the_log(b, units, case, staff):
    (a,) = _assign(case, b, [units["jichu"]])
    _act(a, staff["jichu"], "accept")
    services.application_refresh_deadline(application=case, today=TODAY)
    case.refresh_from_db()
    assert case.reply_due == date(2026, 10, 19)
    # the office's next move is checked by the clocks over a log that holds the unit's steps
    services.application_transition(
        application=case,
        action="start_processing",
        actor=b.people["jingban"],
        actor_roles={"clerk"},
        fields={},
        today=TODAY,
    )
    case.refresh_from_db()
    assert (case.state, case.reply_due) == ("in_progress", date(2026, 10, 19))
    a.refresh_from_db()
    assert a.state == "accepted"  # and the case's move leaves the assignment where it was


# -- pages and visibility ------------------------------------------------------------------------------


def test_unit_staff_see_only_their_units_cases_and_never_the_office_pages(client, b, units, case, staff, today):
    (a,) = _assign(case, b, [units["jichu"]])
    client.force_login(staff["caiwu"])
    assert client.get(reverse("applications:unit_assignment", args=[a.pk])).status_code == 404
    assert client.get(reverse("applications:unit_act", args=[a.pk, "accept"])).status_code == 404
    assert client.get(reverse("applications:staff_case", args=[case.pk])).status_code == 404
    page = client.get(reverse("applications:unit_list")).content.decode()
    assert case.tracking_number not in page
    client.force_login(staff["jichu"])
    assert client.get(reverse("applications:staff_case", args=[case.pk])).status_code == 404
    assert client.get(reverse("applications:staff_assign", args=[case.pk])).status_code == 404
    worklist = client.get(reverse("applications:staff_list")).content.decode()
    assert case.tracking_number not in worklist
    assert case.tracking_number in client.get(reverse("applications:unit_list")).content.decode()
    assert client.get(reverse("applications:unit_assignment", args=[a.pk])).status_code == 200


def _unit_pages(client, a):
    urls = [
        reverse("applications:unit_list"),
        reverse("applications:unit_assignment", args=[a.pk]),
        reverse("applications:unit_act", args=[a.pk, "accept"]),
        reverse("applications:unit_act", args=[a.pk, "answer"]),
        reverse("applications:unit_act", args=[a.pk, "return_to_office"]),
        reverse("accounts:dashboard"),
    ]
    out = {}
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200, url
        out[url] = resp.content.decode()
    return out


def test_unit_staff_never_see_the_identity_number_unless_the_office_shares_it(client, b, units, case, staff, today):
    (a,) = _assign(case, b, [units["jichu"]])
    (shared,) = _assign(case, b, [units["caiwu"]], share_identity=True)
    client.force_login(staff["jichu"])
    for url, html in _unit_pages(client, a).items():
        assert SECRET_ID not in html, url
        assert SECRET_ID[-6:] not in html, url
    assert "刘洋" in client.get(reverse("applications:unit_assignment", args=[a.pk])).content.decode()
    client.force_login(staff["caiwu"])
    page = client.get(reverse("applications:unit_assignment", args=[shared.pk])).content.decode()
    assert SECRET_ID in page


def test_the_office_assigns_on_the_page_and_the_case_page_shows_who_answered(client, b, units, case, staff, today):
    client.force_login(b.people["jingban"])
    page = client.get(reverse("applications:staff_case", args=[case.pk])).content.decode()
    assert "交办承办单位" in page and 'data-testid="assign-link"' in page
    resp = client.post(
        reverse("applications:staff_assign", args=[case.pk]),
        {"units": [units["jichu"].pk, units["caiwu"].pk], "instructions": "请查找"},
    )
    assert resp.status_code == 302
    a1, a2 = Assignment.objects.order_by("pk")
    client.force_login(staff["jichu"])
    resp = client.post(
        reverse("applications:unit_act", args=[a1.pk, "return_to_office"]),
        {"return_kind": "not_ours", "reason": "不属于本股职责"},
    )
    assert resp.status_code == 302
    client.force_login(b.people["jingban"])
    page = client.get(reverse("applications:staff_case", args=[case.pk])).content.decode()
    assert "已退回" in page and "不属于本单位：不属于本股职责" in page and "已交办" in page
    assert "承办单位退回办公室" in page  # the case log


def test_the_assign_form_refuses_a_date_after_the_statutory_deadline_in_chinese(client, b, units, case, today):
    client.force_login(b.people["zhuren"])
    resp = client.post(
        reverse("applications:staff_assign", args=[case.pk]), {"units": [units["jichu"].pk], "due": "2026-10-19"}
    )
    assert resp.status_code == 200
    assert "应早于法定答复期限（2026年10月19日），最晚为2026年10月16日" in resp.content.decode()
    assert not Assignment.objects.exists()


def test_the_supervisor_and_the_leader_cannot_assign(client, b, units, case, today):
    client.force_login(b.people["lingdao"])
    assert client.get(reverse("applications:staff_assign", args=[case.pk])).status_code == 403
    # the supervising office does not open the case at all (issue 17: counts only)
    client.force_login(b.people["jiandu"])
    assert client.get(reverse("applications:staff_assign", args=[case.pk])).status_code == 404


def test_the_unit_panel_counts_open_due_and_overdue(client, b, units, case, staff, monkeypatch):
    _assign(case, b, [units["jichu"]])
    second = submit_application(agency=b.agency, registered_by=b.people["jingban"], received=RECEIVED).application
    _assign(second, b, [units["jichu"]], due=date(2026, 9, 30))
    monkeypatch.setattr(localtime, "local_today", lambda: date(2026, 10, 9))
    client.force_login(staff["jichu"])
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "承办人工作台 · 基础教育股" in html
    assert 'data-count="unit_open" data-value="2"' in html
    assert 'data-count="unit_overdue" data-value="1"' in html  # 30 September has passed
    assert 'data-count="unit_due_soon" data-value="1"' in html  # 13 October: 10, 12, 13 → the third working day
    assert Application.objects.count() == 2 and CaseEvent.objects.filter(action="unit_assign").count() == 2


# -- the demo --------------------------------------------------------------------------------------------


def test_the_demo_has_two_units_with_one_staff_each_and_assigned_cases_in_several_states():
    from django.contrib.auth import get_user_model

    from gongkai.accounts.models import Agency
    from gongkai.demo.accounts import seed_demo
    from gongkai.demo.routing import seed_routing

    logins = seed_demo()
    assert ("chengban1", "承办人", "周涛（基础教育股）") in logins
    assert ("chengban2", "承办人", "吴芳（计划财务股）") in logins
    edu = Agency.objects.get(code="demo-edu")
    assert sorted(Unit.objects.filter(agency=edu).values_list("name", flat=True)) == ["基础教育股", "计划财务股"]
    clerk = get_user_model().objects.get(username="jingban")
    for _ in range(3):
        submit_application(agency=edu, registered_by=clerk, received=RECEIVED)
    assert seed_routing(TODAY) == 4
    assert seed_routing(TODAY) == 0  # run again: nothing duplicated
    states = sorted(Assignment.objects.values_list("state", flat=True))
    assert states == ["accepted", "answered", "assigned", "returned"]


# -- 督办 ----------------------------------------------------------------------------------------------------


def test_a_late_unit_is_reminded_then_its_head_then_the_office_head_each_step_once_in_the_log(b, units, case, staff):
    (a,) = _assign(case, b, [units["caiwu"]])  # due Tuesday 13 October 2026
    assert services.assignments_chase(today=date(2026, 10, 13)) == 0  # on the day: not late
    # Wednesday 14 October: the first working day past the deadline → the unit
    assert services.assignments_chase(today=date(2026, 10, 14)) == 1
    assert services.assignments_chase(today=date(2026, 10, 14)) == 0  # the same morning again: nothing
    # Friday 16 October: the third working day → its head
    assert services.assignments_chase(today=date(2026, 10, 16)) == 1
    # Tuesday 20 October: the fifth (19, 20 after 14, 15, 16) → the office head
    assert services.assignments_chase(today=date(2026, 10, 20)) == 1
    assert services.assignments_chase(today=date(2026, 10, 30)) == 0  # nothing beyond the office head
    chases = list(case.events.filter(action="unit_chase").order_by("seq"))
    assert [(e.fields["chase"], e.fields["notified"]) for e in chases] == [
        ("提醒承办单位", "孙" + staff["caiwu"].first_name),
        ("告知股室负责人", "孙" + staff["caiwu_head"].first_name),
        ("报告办公室主任", "李华"),
    ]
    assert {e.actor_label for e in chases} == {"系统"}
    case.refresh_from_db()
    assert case.reply_due == date(2026, 10, 19)  # the statutory clock does not move


def test_an_answered_unit_is_not_chased_and_a_missed_step_is_caught_up(b, units, case, staff):
    a1, a2 = _assign(case, b, [units["jichu"], units["caiwu"]])
    _act(a1, staff["jichu"], "answer", proposed_outcome="disclosed", opinion="建议公开")
    # the job did not run for a week: the unit, its head and the office head are told at once, in order
    assert services.assignments_chase(today=date(2026, 10, 22)) == 3
    assert list(case.events.filter(action="unit_chase").values_list("fields__unit", flat=True)) == ["计划财务股"] * 3


def test_the_office_follows_every_units_work_and_the_office_head_sees_the_escalations(client, b, units, case, staff):
    _assign(case, b, [units["jichu"], units["caiwu"]])
    services.assignments_chase(today=date(2026, 10, 20))  # five working days past 13 October
    client.force_login(b.people["zhuren"])
    page = client.get(reverse("applications:unit_list")).content.decode()
    assert page.count('data-testid="assignment"') == 2
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert 'data-count="unit_escalated" data-value="2"' in html
    client.force_login(b.people["lingdao"])  # not the office: no list of the units' work
    assert 'data-testid="assignment"' not in client.get(reverse("applications:unit_list")).content.decode()


def test_the_statistics_page_shows_each_units_on_time_rate_and_working_days_taken(client, b, units, case, staff):
    jichu, caiwu = _assign(case, b, [units["jichu"], units["caiwu"]])  # due 13 October
    second = submit_application(agency=b.agency, registered_by=b.people["jingban"], received=RECEIVED).application
    (caiwu2,) = _assign(second, b, [units["caiwu"]])
    _act(caiwu, staff["caiwu"], "answer", proposed_outcome="disclosed", opinion="建议公开")  # the same day: 0
    services.assignment_transition(  # 15 October, two days late: 23, 24, 28–30 Sept, 8–10, 12–15 Oct = 12
        assignment=caiwu2,
        action="answer",
        actor=staff["caiwu"],
        actor_roles={"unit_staff"},
        fields={"proposed_outcome": "does_not_exist", "opinion": "经检索，本股未制作或保存该信息"},
        today=date(2026, 10, 15),
    )
    _act(jichu, staff["jichu"], "return_to_office", return_kind="not_ours", reason="非本股职责")
    client.force_login(b.people["zhuren"])
    html = client.get(reverse("applications:statistics"), {"year": 2026, "agency": b.agency.code}).content.decode()

    def row(unit):
        m = re.search(rf'<tr data-unit="{unit}">(.*?)</tr>', html)
        return re.findall(r"<td[^>]*>([^<]*)</td>", m.group(1))

    assert row("计划财务股") == ["计划财务股", "2", "2", "0", "0", "50%", "6.0"]
    assert row("基础教育股") == ["基础教育股", "1", "0", "1", "0", "—", "—"]


def test_the_unit_list_puts_the_open_cases_first_by_deadline_in_a_fixed_number_of_queries(
    client, b, units, case, staff, today, django_assert_max_num_queries
):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    answered = _assign(case, b, [units["jichu"]])[0]
    _act(
        answered,
        staff["jichu"],
        "answer",
        files=[("a.pdf", "application/pdf", pdf)],
        proposed_outcome="disclosed",
        opinion="x",
    )
    for due in (date(2026, 10, 9), date(2026, 9, 30)):
        app = submit_application(agency=b.agency, registered_by=b.people["jingban"], received=RECEIVED).application
        _assign(app, b, [units["jichu"]], due=due)
    client.force_login(staff["jichu"])
    with django_assert_max_num_queries(12):
        html = client.get(reverse("applications:unit_list")).content.decode()
    dues = re.findall(r'<td class="nowrap">(2026年10月\d+日)', html)
    assert dues == ["2026年10月9日", "2026年10月13日"]  # 30 September first; the answered one last
    assert html.index("2026年9月30日</td>") < html.index("2026年10月9日")


def test_a_unit_role_is_held_in_a_unit_and_only_a_unit_role_is(b, units):
    from django.core.exceptions import ValidationError

    user = UserFactory(username="nounit")
    with pytest.raises(ValidationError, match="承办人和股室负责人须指定承办单位"):
        Membership(user=user, agency=b.agency, role=Role.UNIT_STAFF).full_clean()
    with pytest.raises(ValidationError, match="其他角色不指定承办单位"):
        Membership(user=user, agency=b.agency, role=Role.CLERK, unit=units["jichu"]).full_clean()
    Membership(user=user, agency=b.agency, role=Role.UNIT_HEAD, unit=units["jichu"]).full_clean()


# -- the internal deadline follows the statutory one (issue 16, "Rules and checks") ----------------------


def _move(case, b, action, today, who="jingban", roles=("clerk",), **fields):
    services.application_transition(
        application=case, action=action, actor=b.people[who], actor_roles=set(roles), fields=fields, today=today
    )
    case.refresh_from_db()


def _moves(case):
    return list(case.events.filter(action="unit_due_moved").order_by("seq"))


def test_an_extension_moves_a_default_internal_deadline_as_far_and_logs_it(b, units, case):
    (a,) = _assign(case, b, [units["jichu"]])  # 13 October; the reply is due 19 October
    _move(case, b, "start_processing", TODAY)
    _move(case, b, "request_extension", TODAY, reason="需要调取档案", working_days=20)
    _move(case, b, "approve_extension", TODAY, who="zhuren", roles=("office_head",), working_days=20, approved_on=TODAY)
    # 第三十三条第二款: 20 more working days, to Monday 16 November; the unit's deadline moves as many
    # working days, from Tuesday 13 October to Tuesday 10 November
    assert case.reply_due == date(2026, 11, 16)
    a.refresh_from_db()
    assert (a.due, a.reply_due_basis) == (date(2026, 11, 10), date(2026, 11, 16))
    (row,) = _moves(case)
    assert row.fields["unit"] == "基础教育股"
    assert (row.fields["old_internal_due"], row.fields["internal_due"]) == ("2026-10-13", "2026-11-10")
    assert "法定答复期限由2026年10月19日变更为2026年11月16日" in row.fields["due_note"]
    assert row.from_state == row.to_state == case.state  # a routing row: the case does not move
    # refreshing again changes nothing and logs nothing
    services.application_refresh_deadline(application=case, today=TODAY)
    assert len(_moves(case)) == 1


def test_the_offices_chosen_date_is_kept_when_the_statutory_deadline_moves_later(b, units, case):
    (a,) = _assign(case, b, [units["jichu"]], due=date(2026, 9, 30))
    _move(case, b, "start_processing", TODAY)
    _move(case, b, "request_extension", TODAY, reason="需要调取档案", working_days=20)
    _move(case, b, "approve_extension", TODAY, who="zhuren", roles=("office_head",), working_days=20, approved_on=TODAY)
    a.refresh_from_db()
    assert (a.due, a.reply_due_basis) == (date(2026, 9, 30), date(2026, 11, 16))
    assert _moves(case) == []


def test_a_third_party_consultation_moves_the_internal_deadline_once_when_it_ends(b, units, case, staff):
    (a,) = _assign(case, b, [units["jichu"]])
    _move(case, b, "start_processing", TODAY)
    _move(case, b, "start_third_party_consultation", TODAY, party="某公司", sent_on=TODAY, delivered_on=TODAY)
    assert case.reply_status == "paused"
    # while the statutory clock stands still (第三十二条) its date creeps forward each morning; the
    # unit's deadline waits, and the unit is not chased meanwhile
    from gongkai.applications import tasks

    tasks.refresh_open_deadlines(today=date(2026, 10, 15))
    a.refresh_from_db()
    assert a.due == date(2026, 10, 13) and _moves(case) == []
    assert services.assignments_chase(today=date(2026, 10, 15)) == 0
    ended = date(2026, 10, 15)
    _move(case, b, "end_consultation", ended, party="某公司", ended_on=ended, response="agreed")
    assert case.reply_status == "running" and case.reply_due > date(2026, 10, 19)
    from gongkai.workcalendar.selectors import working_calendar

    cal = working_calendar()
    paused = cal.working_days_between(date(2026, 10, 19), case.reply_due)
    a.refresh_from_db()
    assert cal.working_days_between(date(2026, 10, 13), a.due) == paused  # as many working days
    assert a.due < case.reply_due and a.chase_level == 0
    (row,) = _moves(case)
    assert row.fields["internal_due"] == a.due.isoformat()


def test_a_correction_moves_the_internal_deadline_with_the_restarted_clock(b, units, case):
    (a,) = _assign(case, b, [units["caiwu"]], today=date(2026, 9, 16))
    assert a.due == date(2026, 9, 30)  # ten working days, the make-up Sunday 20 September among them
    _move(
        case,
        b,
        "request_correction",
        date(2026, 9, 17),
        requested_on=date(2026, 9, 17),
        items=["请写明所需信息的年份"],
        period_working_days=10,
    )
    a.refresh_from_db()
    assert a.due == date(2026, 9, 30) and _moves(case) == []  # the void clock waits for the correction
    _move(
        case,
        b,
        "receive_correction",
        date(2026, 9, 29),
        roles=("clerk",),
        received_on=date(2026, 9, 29),
    )
    # 第三十条: the 20 working days run again from the corrected request (29 September → 2 November: 30 September, 8–10, 12–16, 19–23, 26–30 October, 2 November)
    assert case.reply_due == date(2026, 11, 2)
    a.refresh_from_db()
    from gongkai.workcalendar.selectors import working_calendar

    cal = working_calendar()
    assert cal.working_days_between(date(2026, 9, 30), a.due) == cal.working_days_between(
        date(2026, 10, 19), date(2026, 11, 2)
    )
    assert a.due < case.reply_due and len(_moves(case)) == 1


def test_a_closed_assignment_does_not_move(b, units, case, staff):
    (a,) = _assign(case, b, [units["jichu"]])
    _act(a, staff["jichu"], "answer", proposed_outcome="disclosed", opinion="拟公开")
    _move(case, b, "start_processing", TODAY)
    _move(case, b, "request_extension", TODAY, reason="需要调取档案", working_days=20)
    _move(case, b, "approve_extension", TODAY, who="zhuren", roles=("office_head",), working_days=20, approved_on=TODAY)
    a.refresh_from_db()
    assert a.due == date(2026, 10, 13) and _moves(case) == []


# -- 分项交办: parts of a request to different units --------------------------------------------------------


def test_the_office_assigns_parts_and_each_unit_sees_its_own_and_the_office_sees_who_answered_each(
    client, b, units, case, staff, today
):
    client.force_login(b.people["jingban"])
    page = client.get(reverse("applications:staff_assign", args=[case.pk])).content.decode()
    assert "基础教育股承办事项" in page and "计划财务股承办事项" in page
    resp = client.post(
        reverse("applications:staff_assign", args=[case.pk]),
        {
            "units": [units["jichu"].pk, units["caiwu"].pk],
            f"part_{units['jichu'].pk}": "第1项：2026年招生划片方案",
            f"part_{units['caiwu'].pk}": "第2项：2025年校舍维修项目清单",
        },
    )
    assert resp.status_code == 302
    jichu_a, caiwu_a = Assignment.objects.order_by("pk")
    assert (jichu_a.part, caiwu_a.part) == ("第1项：2026年招生划片方案", "第2项：2025年校舍维修项目清单")
    assert case.events.filter(action="unit_assign", fields__part="第2项：2025年校舍维修项目清单").exists()
    _act(caiwu_a, staff["caiwu"], "answer", proposed_outcome="disclosed", opinion="本股保存该清单，拟公开")
    client.force_login(staff["caiwu"])
    mine = client.get(reverse("applications:unit_assignment", args=[caiwu_a.pk])).content.decode()
    assert "第2项：2025年校舍维修项目清单" in mine and "第1项" not in mine
    client.force_login(b.people["jingban"])
    page = client.get(reverse("applications:staff_case", args=[case.pk])).content.decode()
    rows = re.findall(r'<tr data-testid="assignment".*?</tr>', page, re.S)
    assert len(rows) == 2
    assert "第1项：2026年招生划片方案" in rows[0] and "已交办" in rows[0]
    assert "第2项：2025年校舍维修项目清单" in rows[1] and "已提交承办意见" in rows[1] and "拟公开" in rows[1]


def test_a_part_left_empty_is_the_whole_request(b, units, case):
    (a,) = _assign(case, b, [units["jichu"]], parts={units["caiwu"].pk: "不是本次交办的单位"})
    assert a.part == ""
    assert "part" not in case.events.get(action="unit_assign").fields


# -- the demo on any date ----------------------------------------------------------------------------------


@pytest.mark.parametrize("today", [date(2026, 3, 20), date(2026, 10, 9), date(2027, 1, 5)])
def test_the_demo_shows_every_assignment_state_and_one_overdue_unit_chased(today):
    from gongkai.demo.accounts import seed_demo
    from gongkai.demo.applications import seed_applications
    from gongkai.demo.routing import seed_routing

    seed_demo()
    seed_applications(today, with_letters=False)
    assert seed_routing(today) >= 6
    states = set(Assignment.objects.values_list("state", flat=True))
    assert states == {"assigned", "accepted", "answered", "returned", "withdrawn"}
    late = Assignment.objects.filter(open=True, due__lt=today)
    assert late.count() == 1 and late.get().chase_level >= 1
    assert CaseEvent.objects.filter(action="unit_chase", application=late.get().application).exists()
    assert Assignment.objects.exclude(part="").count() == 2
    for a in Assignment.objects.filter(open=True).select_related("application"):
        assert a.due < a.application.reply_due  # always before the statutory deadline


def test_entering_a_holiday_notice_moves_the_internal_deadline_with_the_recounted_reply(client, b, units, monkeypatch):
    # A case received in late January 2027, before the 2027 notice: its dates are provisional (by the
    # statutory holidays only). The notice then gives the Spring Festival a longer break, the reply
    # deadline is recounted (deadlines_recompute_after_notice) and the unit's deadline moves with it.
    from gongkai.workcalendar.selectors import working_calendar
    from tests.factories import HOLIDAY_NOTICE_PERMS, grant
    from tests.factories import NOTICE_2027_FORM as NOTICE_2027

    assert 2027 not in working_calendar().covered_years
    received = date(2027, 1, 25)
    case = submit_application(agency=b.agency, registered_by=b.people["jingban"], received=received).application
    case.refresh_from_db()
    assert case.reply_due_provisional
    (a,) = _assign(case, b, [units["jichu"]], today=received)
    old_reply, old_due = case.reply_due, a.due
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: received)  # the day the notice is entered
    client.force_login(grant(b.people["zhuren"], *HOLIDAY_NOTICE_PERMS))
    resp = client.post(reverse("admin:workcalendar_holidaynotice_add"), NOTICE_2027, follow=True)
    assert resp.status_code == 200
    case.refresh_from_db()
    a.refresh_from_db()
    assert not case.reply_due_provisional and case.reply_due > old_reply
    cal = working_calendar()
    assert cal.working_days_between(old_due, a.due) == cal.working_days_between(old_reply, case.reply_due)
    assert cal.is_working_day(a.due) and a.due < case.reply_due
    (row,) = _moves(case)
    assert row.fields["internal_due"] == a.due.isoformat()
