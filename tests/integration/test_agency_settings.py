"""The office head's settings page: the fee pause and the sign-off chain, read by the domain."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.accounts.models import Agency
from gongkai.applications.services import application_submit, application_transition, sign_off_policy_for
from gongkai.domain.applications.sign_off import SignOffChain
from gongkai.domain.roles import Role
from tests.factories import EDU, bureau

pytestmark = pytest.mark.django_db

APPLICANT = {
    "applicant_type": "natural_person",
    "applicant_name": "刘洋",
    "id_document_type": "resident_id",
    "id_document_number": "110101199001011237",
    "phone": "13800000000",
    "description": "2026年招生划片方案",
    "delivery_form": "electronic",
    "delivery_channel": "email",
}


@pytest.fixture
def people():
    return bureau().people


def _post(client, user, **data):
    client.force_login(user)
    return client.post(reverse("accounts:agency_settings"), data)


def test_only_the_office_head_opens_the_settings(client, people):
    client.force_login(people["jingban"])
    assert client.get(reverse("accounts:agency_settings")).status_code == 403
    client.force_login(people["zhuren"])
    page = client.get(reverse("accounts:agency_settings")).content.decode()
    assert "不计入答复期限" in page and "办公室主任审核后局领导签发" in page


def test_the_chain_chosen_per_outcome_is_the_one_the_domain_applies(client, people):
    response = _post(
        client,
        people["zhuren"],
        fee_pauses_reply_clock="on",
        chain_disclosed="office_head",
        chain_does_not_exist="head_then_leader",
        chain_withheld_state_secret="leader",
    )
    assert response.status_code == 302
    policy = sign_off_policy_for(Agency.objects.get(code=EDU))
    assert policy.signers("disclosed") == (Role.OFFICE_HEAD,)
    assert policy.signers("does_not_exist") == (Role.OFFICE_HEAD, Role.LEADER)
    assert policy.chain("withheld_state_secret") is SignOffChain.LEADER
    assert not policy.needs_sign_off("partially_disclosed")  # left at 无需签发


def test_turning_the_fee_pause_off_counts_the_waiting_days_against_the_office(client, people):
    agency = Agency.objects.get(code=EDU)
    app = application_submit(
        agency=agency,
        channel="in_person",
        applicant=APPLICANT,
        submitted_on=date(2026, 1, 5),
        handed_in_on=date(2026, 1, 5),
        registered_by=people["jingban"],
        today=date(2026, 1, 5),
    ).application
    move = dict(actor=people["jingban"], actor_roles={"clerk"})
    application_transition(application=app, action="start_processing", fields={}, today=date(2026, 1, 6), **move)
    application_transition(
        application=app,
        action="notify_fee",
        today=date(2026, 1, 22),
        fields={
            "method": "per_application",
            "month_position": 11,
            # the register holds this one application of January: the 11th needs the clerk's reason (109号)
            "month_position_reason": "申请人本月另以信函提出的10件申请尚未录入系统",
            "amount": 100,
            "fee_sent_on": date(2026, 1, 20),
            "notice_received_on": date(2026, 1, 22),
        },
        **move,
    )
    application_transition(
        application=app, action="fee_paid", fields={"paid_on": date(2026, 2, 13)}, today=date(2026, 2, 13), **move
    )
    app.refresh_from_db()
    # received 2026-01-05: 20 working days → 02-02; paused (01-20, 02-13] = 18 → 2026-03-04 (counted in
    # tests/unit/applications/test_law_rules.py)
    assert app.reply_due == date(2026, 3, 4)
    assert _post(client, people["zhuren"]).status_code == 302  # the box left unticked
    agency.refresh_from_db()
    assert agency.fee_pauses_reply_clock is False
    from gongkai.applications.services import application_refresh_deadline

    application_refresh_deadline(application=app, today=date(2026, 2, 13))
    assert app.reply_due == date(2026, 2, 2)
