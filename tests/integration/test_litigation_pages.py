"""The register's pages: who may read and write, forms that keep what was typed, table 四 on the list,
downloads, escaping, and the snippet for an application's case page."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse

from gongkai import localtime
from gongkai.accounts.models import Agency, Membership, Role
from gongkai.litigation import services
from gongkai.litigation.models import ReviewCase, ReviewDocument
from tests.factories import EDU, HEALTH, bureau, person, submit_application

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)
XSS = "<script>alert('x')</script>"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
APPLICANT = {
    "applicant_type": "natural_person",
    "applicant_name": "刘洋",
    "id_document_type": "resident_id",
    "id_document_number": "110101199001011237",
    "phone": "13800000000",
    "description": "2026年示范区义务教育招生划片方案",
    "delivery_form": "electronic",
    "delivery_channel": "email",
}


@pytest.fixture
def people(monkeypatch):
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    cast = bureau()
    # a clerk of the other agency under the same supervising office
    cast.people["weijian"] = person(cast.neighbour, Role.CLERK, "weijian", last_name="周", first_name="芳")
    return cast.people


@pytest.fixture
def case(people):
    c = services.review_case_register(
        agency=Agency.objects.get(code=EDU),
        kind="review",
        body="示范区人民政府",
        filed_on=date(2026, 4, 1),
        applicant_name="刘洋",
        created_by=people["jingban"],
        today=TODAY,
    )
    services.review_document_add(
        case=c, doc_type="review_application", name="复议申请书.pdf", data=PDF, actor=people["jingban"]
    )
    return c


def _application(people, agency_code=EDU):
    agency = Agency.objects.get(code=agency_code)
    return submit_application(
        agency=agency, registered_by=people["jingban"], received=date(2026, 3, 2), applicant=APPLICANT
    ).application


def _as(client, user):
    client.force_login(user)
    return client


def _urls(case):
    doc = case.documents.order_by("pk").first()
    return {
        "list": reverse("litigation:list"),
        "create": reverse("litigation:create"),
        "detail": reverse("litigation:detail", args=[case.pk]),
        "edit": reverse("litigation:edit", args=[case.pk]),
        "conclude": reverse("litigation:conclude", args=[case.pk]),
        "document_add": reverse("litigation:document_add", args=[case.pk]),
        "document": reverse("litigation:document", args=[case.pk, doc.pk]),
    }


def _errors(response) -> dict[str, str]:
    html = response.content.decode()
    return dict(re.findall(r'data-testid="error-([a-z_]+)">([^<]*)<', html))


def _cells(response) -> dict[str, int]:
    return {
        k: int(v) for k, v in re.findall(r'data-testid="cell" data-key="([a-z_]+)">(\d+)<', response.content.decode())
    }


FORM = {
    "kind": "litigation",
    "stage": "direct",
    "case_number": "（2026）示0102行初9号",
    "body": "示范区人民法院",
    "filed_on": "2026-05-06",
    "application_number": "",
    "applicant_name": "刘洋",
    "notes": "",
}


# -- access ---------------------------------------------------------------------------------------


def test_every_page_sends_an_anonymous_visitor_to_the_login_page(client, case):
    login = reverse("accounts:login")
    for name, url in _urls(case).items():
        response = client.post(url) if name == "document_add" else client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(login), name
    assert not ReviewDocument.objects.filter(case=case).exclude(doc_type="review_application").exists()


def test_a_case_of_another_agency_is_not_found(client, people, case):
    c = _as(client, people["weijian"])
    for name, url in _urls(case).items():
        if name in ("list", "create"):
            continue
        response = c.post(url, {"doc_type": "judgment"}) if name == "document_add" else c.get(url)
        assert response.status_code == 404, name
    assert (
        c.post(
            _urls(case)["conclude"], {"result": "maintained", "concluded_on": "2026-05-01", "confirm": "on"}
        ).status_code
        == 404
    )
    case.refresh_from_db()
    assert case.is_pending
    # their own register is empty and shows no case of 示范区教育局
    response = c.get(reverse("litigation:list"))
    assert response.status_code == 200 and "示范区卫生健康局" in response.content.decode()
    assert 'data-testid="review-row"' not in response.content.decode()
    assert c.get(reverse("litigation:list") + "?agency=" + EDU).status_code == 404


def test_the_supervisor_never_opens_a_review_case_nor_sees_the_applicant(client, people, case):
    # issue 17: a supervising office sees table 四's counts on its own desk, never a person's name
    urls = _urls(case)
    c = _as(client, people["jiandu"])
    assert c.get(urls["detail"]).status_code == 404
    assert c.get(urls["document"]).status_code == 404
    assert c.get(urls["list"] + "?agency=" + EDU).status_code == 404
    assert "刘洋" not in c.get(urls["list"]).content.decode()


def test_the_leader_reads_but_does_not_write(client, people, case):
    urls = _urls(case)
    for username, list_url in (("lingdao", urls["list"]),):
        c = _as(client, people[username])
        assert c.get(list_url).status_code == 200
        detail = c.get(urls["detail"])
        assert detail.status_code == 200 and 'data-testid="read-only"' in detail.content.decode()
        assert 'data-testid="edit-link"' not in detail.content.decode()
        assert 'data-testid="document-form"' not in detail.content.decode()
        assert c.get(urls["document"]).status_code == 200
        for name in ("create", "edit", "conclude"):
            response = c.get(urls[name])
            assert response.status_code == 403 and 'data-testid="refusal"' in response.content.decode(), (
                username,
                name,
            )
        assert (
            c.post(
                urls["conclude"], {"result": "maintained", "concluded_on": "2026-05-01", "confirm": "on"}
            ).status_code
            == 403
        )
        upload = SimpleUploadedFile("判决书.pdf", PDF, content_type="application/pdf")
        assert c.post(urls["document_add"], {"doc_type": "judgment", "file": upload}).status_code == 403
    case.refresh_from_db()
    assert case.is_pending and case.documents.count() == 1


def test_the_office_head_writes_like_the_clerk(client, people, case):
    c = _as(client, people["zhuren"])
    response = c.post(
        _urls(case)["edit"],
        {**FORM, "kind": "review", "stage": "", "body": "示范区人民政府复议办", "filed_on": "2026-04-01"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.body == "示范区人民政府复议办"


# -- register and edit ----------------------------------------------------------------------------


def test_the_clerk_registers_a_suit_linked_by_the_applications_tracking_number(client, people):
    app = _application(people)
    c = _as(client, people["jingban"])
    form_page = c.get(reverse("litigation:create") + f"?application={app.tracking_number}")
    assert f'value="{app.tracking_number}"' in form_page.content.decode()
    response = c.post(
        reverse("litigation:create"), {**FORM, "application_number": app.tracking_number.lower(), "applicant_name": ""}
    )
    assert _errors(response) == {} and response.status_code == 302
    case = ReviewCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("litigation:detail", args=[case.pk])
    assert (case.kind, case.stage, case.application, case.applicant_name, case.filed_on, case.created_by) == (
        "litigation",
        "direct",
        app,
        "刘洋",
        date(2026, 5, 6),
        people["jingban"],
    )
    detail = c.get(response["Location"]).content.decode()
    assert app.tracking_number in detail and "未经复议直接起诉" in detail and "尚未审结" in detail


def test_a_wrong_form_keeps_what_was_typed_and_says_what_is_wrong_next_to_each_field(client, people):
    c = _as(client, people["jingban"])
    response = c.post(
        reverse("litigation:create"),
        {**FORM, "application_number": "YSQ-2026-999999", "filed_on": "2026-13-01", "body": "法院" * 5},
    )
    assert response.status_code == 200 and not ReviewCase.objects.exists()
    errors = _errors(response)
    assert errors["application_number"] == "本机关没有编号为YSQ-2026-999999的政府信息公开申请"
    assert errors["filed_on"] == "“申请复议或立案日期”应为日期，格式如2026-03-01"
    html = response.content.decode()
    assert (
        'value="YSQ-2026-999999"' in html and 'value="法院法院法院法院法院"' in html and "（2026）示0102行初9号" in html
    )
    assert '<option value="direct" selected>' in html

    # the service's rules come back next to their fields too
    response = c.post(reverse("litigation:create"), {**FORM, "stage": "", "body": ""})
    assert _errors(response) == {"body": "请填写复议机关或受理法院"}
    response = c.post(reverse("litigation:create"), {**FORM, "stage": ""})
    assert "起诉情形" in _errors(response)["stage"]
    response = c.post(reverse("litigation:create"), {**FORM, "filed_on": "2026-11-24"})
    assert "不能晚于今天" in _errors(response)["filed_on"]
    other = _application(people, HEALTH)
    response = c.post(reverse("litigation:create"), {**FORM, "application_number": other.tracking_number})
    assert "没有编号为" in _errors(response)["application_number"]
    assert not ReviewCase.objects.exists()


def _token(response) -> str:
    return re.search(r'name="submission_token" value="([0-9a-f-]{36})"', response.content.decode()).group(1)


def test_posting_the_same_registration_form_twice_registers_one_case(client, people):
    c = _as(client, people["jingban"])
    token = _token(c.get(reverse("litigation:create")))
    first = c.post(reverse("litigation:create"), {**FORM, "submission_token": token})
    case = ReviewCase.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse("litigation:detail", args=[case.pk])
    assert "已登记行政诉讼案件。" in c.get(first["Location"]).content.decode()

    again = c.post(reverse("litigation:create"), {**FORM, "submission_token": token}, follow=True)
    assert ReviewCase.objects.count() == 1 and case.history.count() == 1
    assert again.redirect_chain == [(reverse("litigation:detail", args=[case.pk]), 302)]
    html = again.content.decode()
    assert "该案件已登记，未重复登记。" in html and "已登记行政诉讼案件。" not in html


def test_each_showing_of_the_form_has_its_own_token_and_registers_its_own_case(client, people):
    c = _as(client, people["jingban"])
    tokens = {_token(c.get(reverse("litigation:create"))) for _ in range(2)}
    assert len(tokens) == 2
    locations = {c.post(reverse("litigation:create"), {**FORM, "submission_token": t})["Location"] for t in tokens}
    assert ReviewCase.objects.count() == 2 and len(locations) == 2
    assert {str(t) for t in ReviewCase.objects.values_list("submission_token", flat=True)} == tokens


def test_a_form_shown_again_after_an_error_keeps_its_token(client, people):
    c = _as(client, people["jingban"])
    token = _token(c.get(reverse("litigation:create")))
    wrong = c.post(reverse("litigation:create"), {**FORM, "body": "", "submission_token": token})
    assert wrong.status_code == 200 and _errors(wrong) == {"body": "请填写复议机关或受理法院"}
    assert _token(wrong) == token and not ReviewCase.objects.exists()
    fixed = c.post(reverse("litigation:create"), {**FORM, "submission_token": _token(wrong)})
    again = c.post(reverse("litigation:create"), {**FORM, "submission_token": _token(wrong)})
    assert fixed["Location"] == again["Location"] and ReviewCase.objects.count() == 1
    assert str(ReviewCase.objects.get().submission_token) == token


def test_the_same_form_sent_again_for_another_agency_is_refused_with_a_fresh_token(client, people):
    user = people["weijian"]  # a clerk of both agencies, so the form lets them choose
    edu, health = Agency.objects.get(code=EDU), Agency.objects.get(code=HEALTH)
    Membership.objects.create(user=user, agency=edu, role=Role.CLERK)
    c = _as(client, user)
    token = _token(c.get(reverse("litigation:create")))
    assert (
        c.post(reverse("litigation:create"), {**FORM, "agency": edu.pk, "submission_token": token}).status_code == 302
    )
    refused = c.post(reverse("litigation:create"), {**FORM, "agency": health.pk, "submission_token": token})
    assert refused.status_code == 200 and "已用于登记其他机关的案件" in refused.content.decode()
    fresh = _token(refused)
    assert fresh != token and ReviewCase.objects.count() == 1
    assert (
        c.post(reverse("litigation:create"), {**FORM, "agency": health.pk, "submission_token": fresh}).status_code
        == 302
    )
    assert ReviewCase.objects.filter(agency=health).count() == 1


def test_editing_a_case_carries_no_token(client, people, case):
    html = _as(client, people["jingban"]).get(reverse("litigation:edit", args=[case.pk])).content.decode()
    assert "submission_token" not in html


def test_a_suit_after_review_chooses_its_review_and_both_pages_link_each_other(client, people, case):
    c = _as(client, people["jingban"])
    response = c.post(reverse("litigation:create"), {**FORM, "stage": "after_review", "prior_review": str(case.pk)})
    suit = ReviewCase.objects.get(kind="litigation")
    assert response.status_code == 302 and suit.prior_review == case
    assert (
        reverse("litigation:detail", args=[case.pk])
        in c.get(reverse("litigation:detail", args=[suit.pk])).content.decode()
    )
    assert 'data-testid="later-suit"' in c.get(reverse("litigation:detail", args=[case.pk])).content.decode()


def test_editing_shows_the_stored_values_and_saves_changes_with_history(client, people, case):
    c = _as(client, people["jingban"])
    page = c.get(_urls(case)["edit"]).content.decode()
    assert 'value="示范区人民政府"' in page and 'value="2026-04-01"' in page
    response = c.post(
        _urls(case)["edit"],
        {
            **FORM,
            "kind": "review",
            "stage": "",
            "case_number": "示政复决字〔2026〕第5号",
            "body": "示范区人民政府",
            "filed_on": "2026-04-02",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.case_number, case.filed_on) == ("示政复决字〔2026〕第5号", date(2026, 4, 2))
    detail = c.get(_urls(case)["detail"]).content.decode()
    assert "张敏修改登记信息" in detail and "2026-04-01 → 2026-04-02" in detail


# -- conclude -------------------------------------------------------------------------------------


def test_concluding_asks_for_confirmation_and_checks_the_date(client, people, case):
    c = _as(client, people["jingban"])
    url = _urls(case)["conclude"]
    response = c.post(url, {"result": "corrected", "concluded_on": "2026-05-20", "correction_note": "责令重新答复"})
    assert "confirm" in _errors(response)
    html = response.content.decode()
    assert re.search(r'value="corrected"[^>]*checked', html) and not re.search(r'value="maintained"[^>]*checked', html)
    assert "责令重新答复" in html
    response = c.post(url, {"result": "maintained", "concluded_on": "2026-03-31", "confirm": "on"})
    assert "不能早于" in _errors(response)["concluded_on"]
    response = c.post(url, {"result": "corrected", "concluded_on": "2026-05-20", "confirm": "on"})
    assert "纠正" in _errors(response)["correction_note"]
    response = c.post(url, {"concluded_on": "", "confirm": "on"})
    assert set(_errors(response)) >= {"result", "concluded_on"}
    case.refresh_from_db()
    assert case.is_pending
    response = c.post(
        url, {"result": "corrected", "concluded_on": "2026-05-20", "correction_note": "责令重新答复", "confirm": "on"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.result, case.concluded_on, case.correction_note) == ("corrected", date(2026, 5, 20), "责令重新答复")


# -- the list and table 四 -------------------------------------------------------------------------


def test_the_list_filters_and_previews_the_years_table_4(client, people, case):
    edu = Agency.objects.get(code=EDU)
    suit = services.review_case_register(
        agency=edu,
        kind="litigation",
        stage="direct",
        body="示范区人民法院",
        filed_on=date(2026, 6, 1),
        applicant_name="王建国",
        today=TODAY,
    )
    services.review_case_conclude(
        case=suit, result="maintained", concluded_on=date(2026, 9, 1), actor=None, today=TODAY
    )
    services.review_case_register(
        agency=edu, kind="review", body="示范区人民政府", filed_on=date(2025, 10, 1), applicant_name="陈静", today=TODAY
    )
    c = _as(client, people["jingban"])
    response = c.get(reverse("litigation:list"))
    html = response.content.decode()
    assert html.count('data-testid="review-row"') == 2 and "陈静" not in html
    cells = _cells(response)
    assert len(cells) == 15
    assert {k: v for k, v in cells.items() if v} == {
        "review_pending": 1,
        "review_total": 1,
        "litigation_direct_maintained": 1,
        "litigation_direct_total": 1,
    }
    for label in (
        "行政复议",
        "行政诉讼",
        "未经复议直接起诉",
        "复议后起诉",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ):
        assert f">{label}<" in html
    response = c.get(reverse("litigation:list") + "?year=2025")
    assert "陈静" in response.content.decode() and _cells(response)["review_pending"] == 1
    assert _cells(response)["litigation_direct_total"] == 0
    response = c.get(reverse("litigation:list") + "?year=all&kind=litigation&result=maintained")
    html = response.content.decode()
    assert html.count('data-testid="review-row"') == 1 and "王建国" in html
    for junk in ("?year=abc&kind=<x>", "?year=99999", "?year=0"):
        response = c.get(reverse("litigation:list") + junk)  # an unusable year falls back to this year
        assert response.status_code == 200 and len(_cells(response)) == 15, junk
    response = c.get(reverse("litigation:list") + "?year=2016")
    assert 'data-testid="no-table4"' in response.content.decode() and _cells(response) == {}


# -- documents ------------------------------------------------------------------------------------


def test_a_document_downloads_as_an_attachment_that_the_browser_must_not_sniff(client, people, case):
    c = _as(client, people["jingban"])
    response = c.get(_urls(case)["document"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF
    other = services.review_case_register(
        agency=case.agency, kind="review", body="x", filed_on=date(2026, 4, 1), applicant_name="y", today=TODAY
    )
    doc = case.documents.get()
    assert c.get(reverse("litigation:document", args=[other.pk, doc.pk])).status_code == 404


def test_uploading_a_document_checks_its_type_and_says_why_next_to_the_file(client, people, case):
    c = _as(client, people["jingban"])
    url = _urls(case)["document_add"]
    bad = SimpleUploadedFile("判决书.pdf", b"MZ\x90\x00", content_type="application/pdf")
    response = c.post(url, {"doc_type": "judgment", "file": bad})
    assert response.status_code == 400 and "内容与扩展名不符" in _errors(response)["file"]
    response = c.post(url, {"doc_type": "", "file": SimpleUploadedFile("a.pdf", PDF)})
    assert "文书类型" in _errors(response)["doc_type"]
    assert case.documents.count() == 1
    response = c.post(url, {"doc_type": "judgment", "file": SimpleUploadedFile("判决书.pdf", PDF)})
    assert response.status_code == 302 and case.documents.count() == 2
    assert "判决书.pdf" in c.get(_urls(case)["detail"]).content.decode()


# -- escaping -------------------------------------------------------------------------------------


def test_what_users_typed_is_escaped_everywhere_it_is_shown(client, people):
    c = _as(client, people["jingban"])
    c.post(reverse("litigation:create"), {**FORM, "applicant_name": XSS, "body": XSS, "case_number": XSS, "notes": XSS})
    case = ReviewCase.objects.get()
    services.review_document_add(case=case, doc_type="other", name=f"{XSS}.pdf", data=PDF, actor=None)
    services.review_case_conclude(
        case=case, result="corrected", concluded_on=date(2026, 6, 1), correction_note=XSS, actor=None, today=TODAY
    )
    for url in (
        reverse("litigation:list"),
        reverse("litigation:detail", args=[case.pk]),
        reverse("litigation:edit", args=[case.pk]),
        reverse("litigation:conclude", args=[case.pk]),
    ):
        html = c.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;" in html, url


# -- the snippet for the application's case page --------------------------------------------------


def test_the_application_snippet_lists_its_reviews_and_offers_registration_to_writers_only(people):
    app = _application(people)
    case = services.review_case_register(
        agency=app.agency, kind="review", body="示范区人民政府", filed_on=date(2026, 4, 1), application=app, today=TODAY
    )
    template = Template('{% include "litigation/_for_application.html" %}')
    request = RequestFactory().get("/")
    request.user = people["jingban"]
    html = template.render(RequestContext(request, {"application": app}))
    assert reverse("litigation:detail", args=[case.pk]) in html and "尚未审结" in html
    assert f"?application={app.tracking_number}" in html
    request.user = people["lingdao"]
    html = template.render(RequestContext(request, {"application": app}))
    assert reverse("litigation:detail", args=[case.pk]) in html and 'data-testid="register-review"' not in html
    other = _application(people)
    html = template.render(Context({"application": other}))
    assert 'data-testid="no-review-cases"' in html
