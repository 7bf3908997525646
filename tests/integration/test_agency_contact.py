"""The agency's contact details: set once on the office head's settings page, printed wherever the
public or a letter needs them (guide, public footer, receipts, the 受理回执 letter, every letter)."""

import io
from datetime import date

import docx
import pytest
from django.urls import reverse

from gongkai.accounts.models import Agency
from gongkai.accounts.services import agency_settings_update
from gongkai.applications.letters import BLANK, LetterKind, generate_letter
from gongkai.applications.services import application_submit, application_transition
from gongkai.domain.fields import FieldError
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
CONTACT = {
    "address": "示范区人民大道100号",
    "postcode": "100000",
    "office_hours": "工作日9:00—17:00",
    "contact_person": "李敏",
    "phone": "010-5550 1234",
    "fax": "010-5550 1235",
    "email": "xxgk@example.gov.cn",
}


@pytest.fixture
def people():
    return bureau().people


@pytest.fixture
def agency():
    return bureau().agency


def _settings_post(client, user, **data):
    client.force_login(user)
    return client.post(reverse("accounts:agency_settings"), {"fee_pauses_reply_clock": "on", **data})


def _blank(agency):
    Agency.objects.filter(pk=agency.pk).update(**{k: "" for k in CONTACT})
    agency.refresh_from_db()
    return agency


def test_the_demo_agency_is_seeded_with_contact_details(agency):
    assert agency.phone and agency.email and agency.fax and agency.address and agency.office_hours


def test_the_office_head_saves_the_contact_details_on_the_settings_page(client, people):
    response = _settings_post(client, people["zhuren"], **CONTACT)
    assert response.status_code == 302
    agency = Agency.objects.get(code=EDU)
    assert {k: getattr(agency, k) for k in CONTACT} == CONTACT


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("phone", "call me", "联系电话格式不正确"),
        ("phone", "123", "联系电话格式不正确"),
        ("fax", "010-ABCD", "传真号码格式不正确"),
        ("email", "xxgk.example.gov.cn", "电子邮箱格式不正确"),
    ],
)
def test_a_malformed_phone_fax_or_email_is_refused_next_to_its_field(client, people, field, value, message):
    before = Agency.objects.get(code=EDU)
    response = _settings_post(client, people["zhuren"], **{**CONTACT, field: value})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-testid="error-{field}"' in page and message in page
    assert getattr(Agency.objects.get(code=EDU), field) == getattr(before, field)


@pytest.mark.parametrize("phone", ["010-12345678", "(010)1234-5678转801", "13800138000", "０１０－１２３４５６７８"])
def test_the_ways_offices_write_numbers_are_accepted(agency, phone):
    assert (
        agency_settings_update(agency=agency, fee_pauses_reply_clock=True, chains={}, details={"phone": phone}).phone
        == phone
    )


def test_the_service_refuses_a_bad_email_even_without_the_form(agency):
    with pytest.raises(FieldError) as err:
        agency_settings_update(agency=agency, fee_pauses_reply_clock=True, chains={}, details={"email": "a@b"})
    assert err.value.field == "email"


def test_the_guide_shows_the_fax_and_email_it_refers_to_and_names_the_fee_rules_once(client, agency):
    agency_settings_update(agency=agency, fee_pauses_reply_clock=True, chains={}, details=CONTACT)
    page = client.get(reverse("disclosure:public_guide")).content.decode()
    assert "传真至010-5550 1235" in page and "发送电子邮件至xxgk@example.gov.cn" in page
    assert "工作日9:00—17:00" in page and "示范区人民大道100号" in page
    assert page.count("《政府信息公开信息处理费管理办法》") == 1
    assert "《政府信息公开信息处理费管理办法》《政府信息公开信息处理费管理办法》" not in page


def test_without_a_fax_the_guide_offers_no_fax(client, agency):
    agency_settings_update(agency=agency, fee_pauses_reply_clock=True, chains={}, details={**CONTACT, "fax": ""})
    page = client.get(reverse("disclosure:public_guide")).content.decode()
    assert "传真" not in page.split('id="guide-fax-email"')[1].split("</li>")[0]
    assert "发送电子邮件至xxgk@example.gov.cn" in page


def test_the_public_footer_carries_the_contact_details_and_none_when_unset(client, agency):
    agency_settings_update(agency=agency, fee_pauses_reply_clock=True, chains={}, details=CONTACT)
    page = client.get(reverse("disclosure:public_home")).content.decode()
    assert 'id="xxgk-foot"' in page and "电话：010-5550 1234" in page and "xxgk@example.gov.cn" in page
    _blank(agency)
    assert 'id="xxgk-foot"' not in client.get(reverse("disclosure:public_home")).content.decode()


def _case(agency, clerk):
    return application_submit(
        agency=agency,
        channel="in_person",
        applicant=APPLICANT,
        submitted_on=date(2026, 3, 2),
        handed_in_on=date(2026, 3, 2),
        registered_by=clerk,
        today=date(2026, 3, 2),
    )


def test_the_receipts_carry_the_office_phone(client, agency, people):
    from gongkai.applications.receipts import receipt_for
    from gongkai.workcalendar.selectors import working_calendar

    app = _case(agency, people["jingban"]).application
    receipt = receipt_for(app, query_code=None, calendar=working_calendar(), today=date(2026, 3, 2))
    assert receipt.agency_phone == agency.phone
    from django.template.loader import render_to_string

    assert f"联系电话：{agency.phone}" in render_to_string("applications/public/receipt_pdf.html", {"r": receipt})
    assert 'id="agency-phone"' in render_to_string("applications/public/receipt.html", {"r": receipt})


def _letter_text(letter) -> str:
    with letter.generated.open("rb") as f:
        return "\n".join(p.text for p in docx.Document(io.BytesIO(f.read())).paragraphs)


def test_letters_name_the_contact_person_and_phone_and_keep_a_blank_line_when_unset(agency, people):
    app = _case(agency, people["jingban"]).application
    application_transition(
        application=app,
        action="request_correction",
        actor=people["jingban"],
        actor_roles={"clerk"},
        today=date(2026, 3, 3),
        fields={"requested_on": date(2026, 3, 3), "items": ["请写明所需信息的年份"], "period_working_days": 10},
    )
    app.refresh_from_db()
    text = _letter_text(generate_letter(application=app, kind=LetterKind.CORRECTION_NOTICE, user=people["jingban"]))
    assert f"联系人：{agency.contact_person}" in text and f"联系电话：{agency.phone}" in text
    _blank(agency)
    app.refresh_from_db()
    text = _letter_text(generate_letter(application=app, kind=LetterKind.CORRECTION_NOTICE, user=people["jingban"]))
    assert f"联系人：{BLANK}" in text and f"联系电话：{BLANK}" in text
