"""Every letter's remedies paragraph names the agency's 复议机关 and competent court (its settings).

Written from the law: 条例 第五十一条 (the rights), 行政复议法 (2023) 第二十条 (六十日 from knowing of
the act; a decision that does not name the 复议机关 lets it run up to one year, 第三款), 行政诉讼法
第四十六条 (六个月).
"""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.accounts.models import Agency
from gongkai.applications import letters
from tests.factories import EDU
from tests.integration.signing import sign_and_issue
from tests.integration.test_letters import APPLICANT, CLERK, _move, _submit, _text, people  # noqa: F401
from tests.integration.test_letters_law import _consulted, _signed_off

pytestmark = pytest.mark.django_db

CITED = (
    "《中华人民共和国政府信息公开条例》第五十一条",
    "《中华人民共和国行政复议法》第二十条",
    "《中华人民共和国行政诉讼法》第四十六条",
)


def _name(review_body, court):
    # the settings page's own save is tested below; here only the two fields change (not the sign-off chains)
    Agency.objects.filter(code=EDU).update(review_body=review_body, competent_court=court)


def test_a_reply_names_the_review_body_and_the_court_with_their_periods(people):
    _name("示范区人民政府", "示范区人民法院")
    app = _signed_off(people, "does_not_exist", "第三十六条（四）")
    text = _text(letters.generate_letter(application=app, kind="reply_unable", user=people["jingban"]))
    # 六十日 (行政复议法 第二十条) to the named 复议机关, 六个月 (行政诉讼法 第四十六条) to the named court
    assert "收到本答复书之日起60日内依法向示范区人民政府申请行政复议" in text
    assert "收到本答复书之日起6个月内依法向示范区人民法院提起行政诉讼" in text
    for citation in CITED:
        assert citation in text


def test_every_notice_to_the_applicant_names_them_too(people):
    _name("示范区人民政府", "示范区人民法院")
    app = _submit(people)
    _move(
        app,
        "request_correction",
        people["jingban"],
        CLERK,
        date(2025, 9, 3),
        items=["请写明文号"],
        requested_on=date(2025, 9, 3),
        period_working_days=10,
    )
    context = letters.letter_context(application=app, kind="correction_notice", event=app.events.order_by("seq").last())
    assert "依法向示范区人民政府申请行政复议" in context["remedies"]


def test_the_third_party_notice_names_them_with_the_third_partys_wording(people):
    _name("示范区人民政府", "示范区人民法院")
    app = _consulted(people, "objected")
    _move(
        app,
        "submit_reply_for_sign_off",
        people["jingban"],
        CLERK,
        date(2025, 9, 20),
        outcome_code="disclosed",
        legal_basis="第三十六条（二）",
    )
    sign_and_issue(app, head=people["zhuren"], leader=people["lingdao"], clerk=people["jingban"], on=date(2025, 9, 22))
    text = _text(letters.generate_letter(application=app, kind="third_party_disclosure_notice", user=people["jingban"]))
    assert "收到本告知书之日起60日内依法向示范区人民政府申请行政复议" in text
    assert "6个月内依法向示范区人民法院提起行政诉讼" in text
    assert "《中华人民共和国行政复议法》第二十条" in text


def test_unset_the_paragraph_stays_generic(people):
    _name("", "")
    app = _signed_off(people, "does_not_exist", "第三十六条（四）")
    text = _text(letters.generate_letter(application=app, kind="reply_unable", user=people["jingban"]))
    assert letters.REMEDIES in text
    assert "60日内依法申请行政复议" in text and "6个月内依法向人民法院提起行政诉讼" in text


def test_only_the_court_set_names_the_court_and_leaves_the_review_generic(people):
    _name("", "示范区人民法院")
    app = _signed_off(people, "does_not_exist", "第三十六条（四）")
    text = _text(letters.generate_letter(application=app, kind="reply_unable", user=people["jingban"]))
    assert "60日内依法申请行政复议" in text and "依法向示范区人民法院提起行政诉讼" in text


def test_the_office_head_is_warned_while_the_letters_do_not_name_them(client, people):
    _name("", "")
    client.force_login(people["zhuren"])
    for url in (reverse("accounts:dashboard"), reverse("accounts:agency_settings")):
        page = client.get(url).content.decode()
        assert 'data-testid="remedies-warning"' in page and "尚未填写行政复议机关和管辖法院" in page, url
        assert "第二十条第三款" in page
    # a clerk sees no such warning: the settings are the office head's
    client.force_login(people["jingban"])
    assert 'data-testid="remedies-warning"' not in client.get(reverse("accounts:dashboard")).content.decode()


def test_the_settings_page_saves_them_and_the_warning_goes(client, people):
    _name("", "")
    client.force_login(people["zhuren"])
    response = client.post(
        reverse("accounts:agency_settings"),
        {"fee_pauses_reply_clock": "on", "review_body": "示范区人民政府", "competent_court": "示范区人民法院"},
    )
    assert response.status_code == 302
    agency = Agency.objects.get(code=EDU)
    assert (agency.review_body, agency.competent_court) == ("示范区人民政府", "示范区人民法院")
    page = client.get(reverse("accounts:agency_settings")).content.decode()
    assert 'data-testid="remedies-warning"' not in page and "本级人民政府" in page  # the help text
    assert 'data-testid="remedies-warning"' not in client.get(reverse("accounts:dashboard")).content.decode()
