"""The suggestions and proposals register: services through the workflow's check, the history they
write, the staff pages, the public column (only published replies, personal numbers masked), the
dashboard panel and the demo."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from gongkai import localtime
from gongkai.accounts.models import Agency, Membership, Role
from gongkai.demo.accounts import seed_demo
from gongkai.domain.errors import TransitionNotAllowed
from gongkai.domain.fields import FieldError
from gongkai.proposals import services
from gongkai.proposals.models import ContactRecord, Proposal, ProposalEvent

pytestmark = pytest.mark.django_db

TODAY = date(2026, 7, 1)


@pytest.fixture
def people():
    seed_demo()
    User = get_user_model()
    users = {u: User.objects.get(username=u) for u in ("jingban", "zhuren", "lingdao", "jiandu")}
    other = User.objects.create_user("weijian", last_name="周", first_name="芳")
    Membership.objects.create(user=other, agency=Agency.objects.get(code="demo-health"), role=Role.CLERK)
    users["weijian"] = other
    return users


@pytest.fixture
def edu(people):
    return Agency.objects.get(code="demo-edu")


def _register(edu, people, **kw):
    values = {
        "kind": "suggestion",
        "number": "0112",
        "author": "王建国",
        "delegation": "城关镇代表团",
        "title": "关于增加城区学校课后服务供给的建议",
        "lead_unit": "示范区教育局",
        "co_units": "示范区财政局",
        "assigned_on": date(2026, 3, 20),
    }
    values.update(kw)
    return services.proposal_register(agency=edu, actor=people["jingban"], today=TODAY, **values)


def _act(p, action, user, today=TODAY, **fields):
    return services.proposal_act(proposal=p, action=action, actor=user, today=today, fields=fields)


def _replied(edu, people, **kw):
    p = _register(edu, people, **kw)
    p = _act(p, "accept", people["jingban"])
    p = _act(p, "contact", people["jingban"], contact_on=date(2026, 4, 1), contact_way="phone", summary="电话沟通")
    p = _act(p, "submit_reply", people["jingban"], category="A", reply_text="答复正文，联系电话13812345678。")
    return _act(p, "sign", people["lingdao"], replied_on=date(2026, 6, 1))


# -- services ---------------------------------------------------------------------------------------


def test_registering_sets_the_deadline_from_the_agencys_setting(edu, people):
    p = _register(edu, people)
    # 06-20 is a Saturday of the 端午 holiday (2026 notice): the next working day (民法典第二百零三条)
    assert p.due_on == date(2026, 6, 22) and p.state == "registered"
    assert "王建国代表" in p.reply_text  # the letter's template
    services.proposal_settings_update(agency=edu, actor=people["zhuren"], months=2, urgent_months=1)
    p2 = _register(edu, people, number="0113", assigned_on=date(2026, 3, 31))
    assert p2.due_on == date(2026, 6, 1)  # 05-31 is a Sunday
    p3 = _register(edu, people, number="0114", assigned_on=date(2026, 3, 31), urgent=True)
    assert p3.due_on == date(2026, 4, 30)
    ev = ProposalEvent.objects.get(proposal=p, action="register")
    assert ev.to_state == "registered" and ev.details["due_on"] == "2026-06-22"


def test_registration_refusals(edu, people):
    _register(edu, people)
    with pytest.raises(FieldError, match="不能重复登记"):
        _register(edu, people)
    with pytest.raises(TransitionNotAllowed):
        services.proposal_register(
            agency=edu, actor=people["lingdao"], today=TODAY, kind="proposal", number="1", author="a",
            title="t", lead_unit="u", assigned_on=TODAY,
        )  # fmt: skip
    with pytest.raises(FieldError, match="交办日期"):
        _register(edu, people, number="9", assigned_on=date(2026, 7, 2))
    with pytest.raises(TransitionNotAllowed, match="办公室主任"):
        services.proposal_settings_update(agency=edu, actor=people["jingban"], months=2, urgent_months=1)


def test_the_whole_handling_writes_one_history_row_per_move(edu, people):
    p = _replied(edu, people)
    assert p.state == "replied" and p.signed_by == people["lingdao"] and p.category == "A"
    p = _act(p, "feedback", people["jingban"], satisfaction="satisfied", feedback_on=date(2026, 6, 10))
    p = _act(p, "publish", people["jingban"])
    assert p.state == "fed_back" and p.publication == "published" and p.published_on == TODAY
    events = list(p.events.order_by("id"))
    assert [e.action for e in events] == [
        "register", "accept", "contact", "submit_reply", "sign", "feedback", "publish",
    ]  # fmt: skip
    sign = events[4]
    assert (sign.from_state, sign.to_state, sign.role, sign.actor) == (
        "awaiting_sign",
        "replied",
        "leader",
        people["lingdao"],
    )
    assert sign.details == {"replied_on": "2026-06-01"}
    assert ContactRecord.objects.filter(proposal=p).count() == 1
    assert p.history.first().history_change_reason.endswith("：公开复文")
    with pytest.raises(ValidationError):
        events[0].delete()
    with pytest.raises(ValidationError):
        events[0].save()


def test_the_leader_signs_the_clerk_cannot(edu, people):
    p = _register(edu, people)
    p = _act(p, "accept", people["jingban"])
    with pytest.raises(TransitionNotAllowed, match="答复前应与代表委员沟通"):
        _act(p, "submit_reply", people["jingban"], category="B", reply_text="x")
    p = _act(p, "contact", people["jingban"], contact_on=date(2026, 4, 1), contact_way="visit", summary="走访")
    p = _act(p, "submit_reply", people["jingban"], category="B", reply_text="x")
    with pytest.raises(TransitionNotAllowed, match="应由局领导操作"):
        _act(p, "sign", people["jingban"], replied_on=date(2026, 6, 1))
    with pytest.raises(TransitionNotAllowed):  # another agency's clerk holds no role here
        _act(p, "sign", people["weijian"], replied_on=date(2026, 6, 1))
    assert Proposal.objects.get(pk=p.pk).state == "awaiting_sign"


def test_second_handling_needs_a_new_contact_and_ends_with_the_second_feedback(edu, people):
    p = _replied(edu, people)
    p = _act(p, "rehandle", people["jingban"], feedback_on=date(2026, 6, 5), comment="希望明确时间表")
    assert (p.state, p.round, p.satisfaction) == ("second_handling", 2, "dissatisfied")
    with pytest.raises(TransitionNotAllowed, match="二次办理须重新沟通"):
        _act(p, "submit_reply", people["jingban"], category="B", reply_text="二次答复")
    p = _act(p, "contact", people["jingban"], contact_on=date(2026, 6, 8), contact_way="visit", summary="再次走访")
    p = _act(p, "submit_reply", people["jingban"], category="B", reply_text="二次答复")
    p = _act(p, "return_reply", people["lingdao"], comment="补充时间表")
    assert p.state == "second_handling"
    p = _act(p, "submit_reply", people["jingban"], category="B", reply_text="二次答复，附时间表")
    p = _act(p, "sign", people["lingdao"], replied_on=date(2026, 6, 20))
    p = _act(p, "feedback", people["jingban"], satisfaction="dissatisfied", feedback_on=date(2026, 6, 25))
    assert (p.state, p.satisfaction) == ("fed_back", "dissatisfied")


def test_withholding_records_the_reason(edu, people):
    p = _replied(edu, people)
    with pytest.raises(FieldError):
        _act(p, "withhold", people["jingban"], comment="x")
    p = _act(p, "withhold", people["jingban"], withhold_reason="privacy", comment="涉及学生个人信息")
    assert (p.publication, p.withhold_reason, p.withhold_note) == ("withheld", "privacy", "涉及学生个人信息")
    with pytest.raises(TransitionNotAllowed, match="公开选择只作一次"):
        _act(p, "publish", people["jingban"])


# -- pages ------------------------------------------------------------------------------------------


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    return TODAY


def test_the_list_marks_overdue_items(client, edu, people, today):
    late = _register(edu, people, number="1", assigned_on=date(2026, 3, 20))  # due 06-22
    _register(edu, people, number="2", assigned_on=date(2026, 5, 1))  # due 08-01
    client.force_login(people["jingban"])
    html = client.get("/work/proposals/").content.decode()
    assert f'data-id="{late.pk}" data-state="registered" class="overdue" data-overdue="yes"' in html
    assert "已逾期9日" in html and html.count('data-overdue="yes"') == 1
    only = client.get("/work/proposals/?view=overdue").content.decode()
    assert only.count('data-testid="proposal-row"') == 1


def test_register_form_and_its_chinese_errors(client, edu, people, today):
    client.force_login(people["jingban"])
    r = client.post("/work/proposals/new/", {"kind": "suggestion"})
    html = r.content.decode()
    assert r.status_code == 200 and "请填写“编号”" in html and "请填写“交办日期”" in html
    r = client.post(
        "/work/proposals/new/",
        {
            "agency": edu.pk, "kind": "proposal", "number": "0057", "author": "陈秀兰", "title": "关于心理健康教师的提案",
            "lead_unit": "示范区教育局", "assigned_on": "2026-03-25",
        },
    )  # fmt: skip
    p = Proposal.objects.get(number="0057")
    assert r.status_code == 302 and r["Location"] == f"/work/proposals/{p.pk}/"
    client.force_login(people["lingdao"])
    assert client.get("/work/proposals/new/").status_code == 403


def test_the_detail_shows_the_buttons_of_the_role_and_the_act_pages_work(client, edu, people, today):
    p = _register(edu, people)
    client.force_login(people["jingban"])
    html = client.get(f"/work/proposals/{p.pk}/").content.decode()
    assert "签收交办件" in html and "签发答复函" not in html
    r = client.post(f"/work/proposals/{p.pk}/act/accept/", {})
    assert r.status_code == 302
    r = client.post(
        f"/work/proposals/{p.pk}/act/contact/",
        {"contact_on": "2026-04-01", "contact_way": "phone", "summary": "电话沟通"},
    )
    assert r.status_code == 302
    page = client.get(f"/work/proposals/{p.pk}/act/submit_reply/").content.decode()
    assert "A 已解决或采纳" in page and "C 因条件限制等暂时不能解决" in page and "王建国代表" in page
    r = client.post(f"/work/proposals/{p.pk}/act/submit_reply/", {"reply_text": "答复"})
    assert "请填写“答复类别”" in r.content.decode()
    r = client.post(f"/work/proposals/{p.pk}/act/submit_reply/", {"reply_text": "答复", "category": "B"})
    assert r.status_code == 302
    # the clerk cannot sign: refused with the reason, not a form
    r = client.get(f"/work/proposals/{p.pk}/act/sign/")
    assert r.status_code == 403 and "应由局领导操作" in r.content.decode()
    client.force_login(people["lingdao"])
    r = client.post(f"/work/proposals/{p.pk}/act/sign/", {"replied_on": "2026-06-01"})
    assert "请勾选" in r.content.decode()
    r = client.post(f"/work/proposals/{p.pk}/act/sign/", {"replied_on": "2026-06-01", "confirm_irreversible": "on"})
    assert r.status_code == 302 and Proposal.objects.get(pk=p.pk).state == "replied"
    # another agency's user finds nothing
    client.force_login(people["weijian"])
    assert client.get(f"/work/proposals/{p.pk}/").status_code == 404


def test_the_supervising_office_reads_but_has_no_buttons(client, edu, people, today):
    p = _register(edu, people)
    client.force_login(people["jiandu"])
    html = client.get(f"/work/proposals/{p.pk}/").content.decode()
    assert p.title in html and 'data-testid="actions"' not in html
    r = client.post(f"/work/proposals/{p.pk}/act/accept/", {})
    assert r.status_code == 403 and "应由经办人或办公室主任操作" in r.content.decode()
    assert Proposal.objects.get(pk=p.pk).state == "registered"


def test_the_public_column_shows_only_published_replies_with_numbers_masked(client, edu, people, settings):
    settings.GONGKAI_AGENCY_CODE = "demo-edu"
    shown = _replied(edu, people)
    _act(shown, "publish", people["jingban"])
    withheld = _replied(edu, people, number="2", title="不公开的那件")
    _act(withheld, "withhold", people["jingban"], withhold_reason="privacy", comment="涉及个人信息")
    _replied(edu, people, number="3", title="尚未决定的那件")
    html = client.get("/xxgk/jianyitian/").content.decode()
    assert html.count('data-testid="public-reply"') == 1 and shown.title in html
    assert "不公开的那件" not in html and "尚未决定的那件" not in html
    page = client.get(f"/xxgk/jianyitian/{shown.pk}/").content.decode()
    assert "王建国" in page and "138****5678" in page and "13812345678" not in page
    assert "电话沟通" not in page  # contact records are internal
    assert client.get(f"/xxgk/jianyitian/{withheld.pk}/").status_code == 404
    assert "建议提案复文公开" in client.get("/xxgk/").content.decode()


def test_the_dashboard_shows_the_panel_counts(client, edu, people, today):
    _register(edu, people, number="1", assigned_on=date(2026, 3, 20))
    client.force_login(people["jingban"])
    html = client.get("/work/").content.decode()
    assert "建议提案已逾期" in html and "/work/proposals/?view=overdue" in html
    client.force_login(people["lingdao"])
    assert "建议提案答复函待签发" in client.get("/work/").content.decode()


def test_the_demo_holds_proposals_in_every_stage(people):
    from gongkai.demo.proposals import seed_proposals

    assert seed_proposals(date(2026, 12, 7)) == 6
    assert seed_proposals(date(2026, 12, 7)) == 0  # nothing duplicated
    states = set(Proposal.objects.values_list("state", flat=True))
    assert states == {"fed_back", "replied", "second_handling", "awaiting_sign", "handling", "registered"}
    assert Proposal.objects.filter(publication="published").count() == 2


def test_the_demos_history_is_dated_on_the_days_the_steps_happened(people):
    from gongkai.demo.proposals import seed_proposals

    seed_proposals(date(2026, 12, 7))
    p = Proposal.objects.get(number="0112")
    days = [e.at.date().isoformat() for e in p.events.order_by("id")]
    assert days[0] == "2026-03-20" and days[-1] == "2026-06-15"
