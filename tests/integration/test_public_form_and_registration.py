"""The public form's 形式 × 途径 pairs, a posted letter whose ID number fails its check digit, and
the 受理回执 letter a postal applicant gets with the query code."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.applications.forms_public import ApplicationForm
from gongkai.applications.models import Application, CaseEvent
from tests.factories import bureau
from tests.integration.test_applications_staff import _by_testid, _client, _form, freeze, people  # noqa: F401

pytestmark = pytest.mark.django_db

BAD_CHECK_DIGIT = "110101198803142318"  # 110101198803142314 is valid: the applicant slipped on the last digit


def _public(**overrides):
    data = {
        "applicant_type": "natural_person",
        "applicant_name": "刘洋",
        "id_document_type": "resident_id",
        "id_document_number": "110101198803142314",
        "phone": "13800000000",
        "email": "liu@example.com",
        "address": "示范区人民路1号",
        "description": "2025年示范区义务教育招生划片方案",
        "delivery_form": "paper",
        "delivery_channel": "post",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "form, channel, ok",
    [
        ("paper", "post", True),
        ("paper", "pickup", True),
        ("paper", "email", False),
        ("electronic", "email", True),
        ("electronic", "post", False),
        ("inspect", "pickup", True),
        ("inspect", "email", False),
    ],
)
def test_the_public_form_accepts_only_sensible_form_and_channel_pairs(form, channel, ok):
    f = ApplicationForm(_public(delivery_form=form, delivery_channel=channel))
    assert f.is_valid() == ok, f.errors
    if not ok:
        assert "获取途径只能是" in f.errors["delivery_channel"][0]


def test_the_public_form_hands_the_pairs_to_its_script(client):
    bureau()
    html = client.get(reverse("applications:public_apply")).content.decode()
    assert 'data-delivery-pairs="{&quot;paper&quot;: [&quot;post&quot;, &quot;pickup&quot;]' in html
    assert "gongkai/apply.js" in html


def test_the_clerk_registers_a_wrong_check_digit_after_confirming_it_with_a_note(client, people, freeze):
    freeze(date(2025, 9, 1))
    c = _client(client, people["jingban"])
    first = c.post(reverse("applications:staff_register"), _form(id_document_number=BAD_CHECK_DIGIT))
    assert not Application.objects.exists()
    error = _by_testid(first, "error-id_document_number")[0]["text"]
    assert "校验" in error and "第二十九条" in error and "仍按申请材料上的号码登记" in first.content.decode()
    second = c.post(
        reverse("applications:staff_register"), _form(id_document_number=BAD_CHECK_DIGIT, accept_id_number="on")
    )
    app = Application.objects.get()
    assert app.id_document_number == BAD_CHECK_DIGIT
    note = CaseEvent.objects.get(application=app, seq=1).fields["note"]
    assert BAD_CHECK_DIGIT in note and "未通过校验" in note
    assert "未通过校验" in second.content.decode()  # the warning on the page


def test_the_clerk_form_refuses_a_nonsensical_pair_too(client, people, freeze):
    freeze(date(2025, 9, 1))
    response = _client(client, people["jingban"]).post(
        reverse("applications:staff_register"), _form(delivery_form="paper", delivery_channel="email")
    )
    assert not Application.objects.exists()
    assert "获取途径只能是" in _by_testid(response, "error-delivery_channel")[0]["text"]


def test_a_registered_postal_application_gets_a_printable_receipt_letter_with_its_query_code(client, people, freeze):
    freeze(date(2025, 9, 1))
    response = _client(client, people["jingban"]).post(
        reverse("applications:staff_register"),
        _form(
            channel="post_signed",
            handed_in_on=None,
            signed_for_on="2025-09-01",
            address="示范区人民路1号",
            postcode="310000",
        ),
    )
    app = Application.objects.get()
    code = _by_testid(response, "query-code")[0]["text"].strip()
    letter = _by_testid(response, "receipt-letter")[0]["text"]
    assert _by_testid(response, "receipt-letter-code")[0]["text"].strip() == code
    for expected in (
        "政府信息公开申请受理回执",
        app.tracking_number,
        "2025年9月1日",
        "20个工作日",
        "示范区人民路1号",
        "310000",
        "/apply/status/",
    ):
        assert expected in letter, expected
    assert "gongkai/print.js" in response.content.decode()


def test_the_work_list_search_finds_by_number_applicant_and_words_within_the_chosen_tab(client, people, freeze):
    from tests.integration.test_applications_staff import APPLICANT, _submit

    freeze(date(2025, 9, 10))
    a = _submit(people, applicant={**APPLICANT, "applicant_name": "陈静", "description": "2025年校车运营补贴发放明细"})
    b = _submit(people, applicant={**APPLICANT, "applicant_name": "刘洋", "description": "义务教育招生划片方案"})
    c = _client(client, people["jingban"])

    def found(**params):
        response = c.get(reverse("applications:staff_list"), params)
        return {r["attrs"]["data-tracking"] for r in _by_testid(response, "case-row")}, response

    assert found(q="校车")[0] == {a.tracking_number}
    assert found(q="刘洋")[0] == {b.tracking_number}
    assert found(q=b.tracking_number[-3:])[0] >= {b.tracking_number}
    assert found(q="刘洋 校车")[0] == set()  # every word must match
    closed, response = found(view="closed", q="刘洋")
    assert closed == set()  # combined with the tab: 刘洋's case is open
    assert 'value="刘洋"' in response.content.decode()


def test_visitors_can_print_a_blank_application_form_offering_only_the_sensible_pairs(client):
    bureau()
    response = client.get(reverse("applications:public_blank_form"))
    html = response.content.decode()
    assert response.status_code == 200
    for expected in (
        "政府信息公开申请表",
        "示范区教育局",
        "所需政府信息的名称、文号",
        "申请人签名或者盖章",
        "第二十九条",
        "统一社会信用代码",
        "gongkai/print.js",
        "gongkai/blank-form.css",
    ):
        assert expected in html, expected
    # 纸质 is offered with 邮寄 and 当面领取, never with 电子邮件
    paper_row = html[html.index("□</span>纸质") :]
    paper_row = paper_row[: paper_row.index("</tr>")]
    assert "邮寄" in paper_row and "当面领取" in paper_row and "电子邮件" not in paper_row


def test_the_application_pages_link_back_to_the_disclosure_column(client):
    bureau()
    for name in ("applications:public_apply", "applications:public_status", "applications:public_blank_form"):
        html = client.get(reverse(name)).content.decode()
        assert 'href="/xxgk/"' in html and 'data-testid="back-to-xxgk"' in html, name
        assert reverse("applications:public_blank_form") in html


def test_the_public_form_warns_of_a_wrong_check_digit_and_accepts_it_once_confirmed():
    f = ApplicationForm(_public(id_document_number=BAD_CHECK_DIGIT))
    assert not f.is_valid()
    assert (
        "校验位不正确" in f.errors["id_document_number"][0]
        and "号码与我的证件一致" in f.errors["id_document_number"][0]
    )
    assert f.id_number_needs_confirmation
    confirmed = ApplicationForm(_public(id_document_number=BAD_CHECK_DIGIT, accept_id_number="on"))
    assert confirmed.is_valid(), confirmed.errors
    assert BAD_CHECK_DIGIT in confirmed.registration_note
    assert ApplicationForm(_public()).is_valid() and ApplicationForm(_public()).registration_note == ""


def test_a_confirmed_number_reaches_the_case_log_with_a_note(client, settings):
    from django.core.cache import cache

    settings.GONGKAI_APPLY_RATE = "1000/h"
    cache.clear()
    bureau()
    page = client.get(reverse("applications:public_apply")).content.decode()
    assert 'name="accept_id_number"' not in page  # offered only once the number fails its check
    first = client.post(reverse("applications:public_apply"), _public(id_document_number=BAD_CHECK_DIGIT))
    assert 'name="accept_id_number"' in first.content.decode() and not Application.objects.exists()
    client.post(
        reverse("applications:public_apply"), _public(id_document_number=BAD_CHECK_DIGIT, accept_id_number="on")
    )
    app = Application.objects.get()
    assert "申请人确认与证件一致" in CaseEvent.objects.get(application=app, seq=1).fields["note"]
