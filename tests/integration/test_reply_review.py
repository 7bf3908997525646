"""法制审核 of a draft reply through the service and the pages: draft → 法制审核 returns it with a
reason → redraft → the review passes → the office head (then the leader) signs. The agency is left at
the default settings (法制审核 for 部分公开 and every refusal). The reply clock runs on throughout
(第三十三条第三款 leaves out only consultations)."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import Role
from gongkai.accounts.services import agency_review_settings_update
from gongkai.applications import letters
from gongkai.applications.models import CaseEvent
from gongkai.applications.services import application_transition
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from tests.factories import bureau, person, submit_application

pytestmark = pytest.mark.django_db

RECEIVED = date(2025, 3, 3)  # Monday; the 20th working day after it is Monday 2025-03-31 (no holiday in March)
DUE = date(2025, 3, 31)
DRAFT = {"outcome_code": "withheld_third_party", "legal_basis": "《中华人民共和国政府信息公开条例》第十五条"}


@pytest.fixture
def office():
    b = bureau(legal_review_outcomes=None)  # the default: 法制审核 for 部分公开 and the refusals
    b.agency.legal_review_outcomes = None
    b.agency.save(update_fields=["legal_review_outcomes"])
    people = dict(b.people)
    people["fazhi"] = person(b.agency, Role.LEGAL_REVIEWER, "fazhi", last_name="孙", first_name="丽")
    return b.agency, people


def _move(app, action, user, roles, on, **fields):
    event = application_transition(
        application=app, action=action, actor=user, actor_roles=set(roles), fields=fields, today=on
    )
    app.refresh_from_db()
    return event


def _case(agency, people):
    app = submit_application(agency=agency, registered_by=people["jingban"], received=RECEIVED).application
    _move(app, "start_processing", people["jingban"], {"clerk"}, RECEIVED)
    return app


def test_a_refusal_is_reviewed_returned_redrafted_passed_then_signed_and_the_clock_runs_on(office):
    agency, people = office
    app = _case(agency, people)
    clerk, legal, head, leader = people["jingban"], people["fazhi"], people["zhuren"], people["lingdao"]
    assert app.reply_due == DUE

    with pytest.raises(TransitionNotAllowed) as info:  # not straight to the office head
        _move(app, "submit_reply_for_sign_off", clerk, {"clerk"}, date(2025, 3, 10), **DRAFT)
    assert "法制审核" in info.value.message

    _move(app, "submit_reply_for_review", clerk, {"clerk"}, date(2025, 3, 10), **DRAFT)
    assert app.state == "awaiting_legal_review" and app.pending_outcome == "withheld_third_party"
    with pytest.raises(TransitionNotAllowed):  # the office head cannot sign before the review passed
        _move(app, "sign_off_reply", head, {"office_head"}, date(2025, 3, 11))

    _move(
        app, "return_from_review", legal, {"legal_reviewer"}, date(2025, 3, 12), comment="未说明第三方不同意公开的依据"
    )
    assert app.state == "in_progress" and app.pending_outcome == ""
    assert app.reply_due == DUE

    _move(app, "submit_reply_for_review", clerk, {"clerk"}, date(2025, 3, 13), **DRAFT)
    with pytest.raises(TransitionNotAllowed):  # a reviewer never signs
        _move(app, "sign_off_reply", legal, {"legal_reviewer"}, date(2025, 3, 14))
    _move(app, "pass_legal_review", legal, {"legal_reviewer"}, date(2025, 3, 20), comment="同意")
    assert app.state == "awaiting_sign_off" and app.pending_outcome == "withheld_third_party"
    assert app.reply_due == DUE and app.reply_status == "running"

    _move(app, "sign_off_reply", head, {"office_head"}, date(2025, 3, 21))
    _move(app, "sign_off_reply", leader, {"leader"}, date(2025, 3, 21))
    assert app.state == "reply_signed"
    assert app.reply_due == DUE

    log = list(CaseEvent.objects.filter(application=app).order_by("seq"))
    steps = [(e.action, e.from_state, e.to_state, e.actor_label) for e in log[2:]]
    assert steps == [
        ("submit_reply_for_review", "in_progress", "awaiting_legal_review", "张敏"),
        ("return_from_review", "awaiting_legal_review", "in_progress", "孙丽"),
        ("submit_reply_for_review", "in_progress", "awaiting_legal_review", "张敏"),
        ("pass_legal_review", "awaiting_legal_review", "awaiting_sign_off", "孙丽"),
        ("sign_off_reply", "awaiting_sign_off", "awaiting_leader_sign_off", "李华"),
        ("sign_off_reply", "awaiting_leader_sign_off", "reply_signed", "王强"),
    ]
    assert log[3].fields["comment"] == "未说明第三方不同意公开的依据"


def test_an_agency_that_asks_for_a_secrecy_review_gets_it_after_the_legality_review(office):
    agency, people = office
    agency_review_settings_update(agency=agency, legal=["partially_disclosed"], secrecy=["partially_disclosed"])
    app = _case(agency, people)
    draft = {"outcome_code": "partially_disclosed", "legal_basis": "第三十七条"}
    _move(app, "submit_reply_for_review", people["jingban"], {"clerk"}, date(2025, 3, 10), **draft)
    _move(app, "pass_legal_review", people["fazhi"], {"legal_reviewer"}, date(2025, 3, 11))
    assert app.state == "awaiting_secrecy_review"
    _move(app, "pass_secrecy_review", people["baomi"], {"confidentiality_reviewer"}, date(2025, 3, 12))
    assert app.state == "awaiting_sign_off"
    # a refusal the agency no longer reviews goes straight to sign-off
    other = _case(agency, people)
    _move(other, "submit_reply_for_sign_off", people["jingban"], {"clerk"}, date(2025, 3, 10), **DRAFT)
    assert other.state == "awaiting_sign_off"


def test_the_settings_refuse_an_outcome_no_reply_letter_carries(office):
    agency, _ = office
    with pytest.raises(DomainError):
        agency_review_settings_update(agency=agency, legal=["withdrawn"], secrecy=[])


def test_the_reviewer_sees_the_draft_letter_and_the_review_buttons_and_no_signature(office):
    agency, people = office
    app = _case(agency, people)
    _move(app, "submit_reply_for_review", people["jingban"], {"clerk"}, date(2025, 3, 10), **DRAFT)
    letters.generate_letter(
        application=app, kind=letters.LetterKind.reply_for(app.pending_outcome), user=people["jingban"]
    )
    client = Client()
    client.force_login(people["fazhi"])
    page = client.get(reverse("applications:staff_case", kwargs={"pk": app.pk})).content.decode()
    assert "答复待法制审核" in page and "法制审核通过" in page and "审核退回" in page
    assert "签发答复" not in page
    act = client.get(reverse("applications:staff_act", kwargs={"pk": app.pk, "action": "pass_legal_review"}))
    assert act.status_code == 200
    body = act.content.decode()
    assert "第十五条" in body  # the draft reply's text (its basis) is on the reviewer's page
    refused = client.get(reverse("applications:staff_act", kwargs={"pk": app.pk, "action": "sign_off_reply"}))
    assert "签发" in refused.content.decode() and refused.status_code in (200, 403)
    done = client.post(
        reverse("applications:staff_act", kwargs={"pk": app.pk, "action": "return_from_review"}),
        {"comment": "请补充第三方意见"},
    )
    assert done.status_code == 302
    app.refresh_from_db()
    assert app.state == "in_progress"


def test_the_reviewer_dashboard_counts_the_drafts_waiting_for_the_review(office, client):
    agency, people = office
    app = _case(agency, people)
    _move(app, "submit_reply_for_review", people["jingban"], {"clerk"}, date(2025, 3, 10), **DRAFT)
    client.force_login(people["fazhi"])
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "法制审核工作台" in html and "答复待法制审核" in html and "审核人员不签发答复" in html


def test_the_office_head_sets_the_reviews_per_outcome_on_the_settings_page(office, client):
    agency, people = office
    url = reverse("accounts:review_settings")
    client.force_login(people["jingban"])
    assert client.get(url).status_code == 403
    client.force_login(people["zhuren"])
    page = client.get(url).content.decode()
    assert "需法制审核的办理结果" in page and 'value="withheld_third_party"' in page
    assert client.post(url, {"legal": ["partially_disclosed"], "secrecy": ["disclosed"]}).status_code == 302
    agency.refresh_from_db()
    assert agency.legal_review_outcomes == ["partially_disclosed"] and agency.secrecy_review_outcomes == ["disclosed"]


def test_a_35th_article_refusal_goes_to_the_legality_review_and_then_out_without_signature(office):
    # 第三十五条 不予处理 is a refusal: by default it is reviewed; an agency that signs nothing issues it then
    agency, people = office
    agency.sign_off_outcomes = []
    agency.save(update_fields=["sign_off_outcomes"])
    app = _case(agency, people)
    clerk = people["jingban"]
    _move(app, "ask_reason", clerk, {"clerk"}, date(2025, 3, 4), requested_on=date(2025, 3, 4))
    with pytest.raises(TransitionNotAllowed):
        _move(app, "reason_unreasonable", clerk, {"clerk"}, date(2025, 3, 10), legal_basis="第三十五条")
    _move(
        app,
        "submit_reply_for_review",
        clerk,
        {"clerk"},
        date(2025, 3, 10),
        outcome_code="excessive_unreasonable",
        legal_basis="第三十五条",
    )
    assert app.state == "awaiting_legal_review"
    _move(app, "pass_legal_review", people["fazhi"], {"legal_reviewer"}, date(2025, 3, 11))
    assert app.state == "reply_ready" and app.pending_outcome == "excessive_unreasonable"
