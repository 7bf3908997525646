"""依申请公开转主动公开 (第四十四条): information released on application marked for proactive publication.

The spec (procedure.md §6.4): "If several applicants ask for the same disclosable information, the
agency may add it to the proactive list; applicants may suggest this [R 第四十四条]." Only what was
released can be published: a case answered 予以公开 or 部分公开. The mark makes a draft in the
disclosure register, linked to the case by its 申请编号, reviewed there like any document."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.applications.models import CaseEvent
from gongkai.applications.services import application_refresh_deadline, application_transition
from gongkai.disclosure import selectors as disclosure_selectors
from gongkai.disclosure.models import Document
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.proactive.services import application_to_proactive
from tests.factories import bureau, disclosure_ready, submit_application
from tests.integration.signing import sign_and_issue

pytestmark = pytest.mark.django_db
RECEIVED = date(2025, 3, 3)


@pytest.fixture
def office():
    b = bureau()
    return b.agency, b.people, disclosure_ready(b.agency)


def _replied(agency, people, code, basis):
    app = submit_application(agency=agency, registered_by=people["jingban"], received=RECEIVED).application
    clerk = people["jingban"]
    for action, fields in (
        ("start_processing", {}),
        ("submit_reply_for_sign_off", {"outcome_code": code, "legal_basis": basis}),
    ):
        application_transition(
            application=app, action=action, actor=clerk, actor_roles={"clerk"}, fields=fields, today=RECEIVED
        )
    sign_and_issue(app, head=people["zhuren"], leader=people["lingdao"], clerk=clerk, on=date(2025, 3, 14))
    app.refresh_from_db()
    return app


def _column(columns):
    return next(iter(columns.values()))


def test_a_released_case_becomes_a_draft_in_the_register_linked_to_it_once(office):
    agency, people, columns = office
    app = _replied(agency, people, "disclosed", "第三十六条（二）")
    marked = application_to_proactive(
        application=app,
        actor=people["jingban"],
        actor_roles={"clerk"},
        title="2025年示范区义务教育招生划片方案",
        column=_column(columns),
        formed_on=date(2025, 2, 20),
        today=date(2025, 3, 17),
    )
    doc = marked.document
    assert marked.created and doc.state == "draft" and not doc.is_public
    assert doc.from_application == app.tracking_number
    event = CaseEvent.objects.get(application=app, action="proactive_publication")
    assert event.from_state == event.to_state == "replied"
    assert event.fields["index_number"] == doc.index_number
    # the clocks skip the row: the closed case's deadlines still compute
    application_refresh_deadline(application=app, today=date(2025, 3, 17))
    again = application_to_proactive(
        application=app,
        actor=people["jingban"],
        actor_roles={"clerk"},
        title="另一个标题",
        column=_column(columns),
        formed_on=date(2025, 2, 20),
        today=date(2025, 3, 18),
    )
    assert not again.created and again.document.pk == doc.pk and again.event.pk == event.pk
    assert Document.objects.filter(from_application=app.tracking_number).count() == 1
    registered = doc.created_at.year  # counted in the year it was registered
    assert list(disclosure_selectors.documents_from_applications(agency, registered)) == [doc]
    assert list(disclosure_selectors.documents_from_applications(agency, registered - 1)) == []


def test_a_refusal_released_nothing_to_publish_and_an_open_case_not_yet(office):
    agency, people, columns = office
    refused = _replied(agency, people, "withheld_third_party", "第十五条")
    with pytest.raises(DomainError) as info:
        application_to_proactive(
            application=refused,
            actor=people["jingban"],
            actor_roles={"clerk"},
            title="x",
            column=_column(columns),
            formed_on=date(2025, 2, 20),
            today=date(2025, 3, 17),
        )
    assert "第四十四条" in info.value.message
    open_case = submit_application(agency=agency, registered_by=people["jingban"], received=RECEIVED).application
    with pytest.raises(DomainError) as info:
        application_to_proactive(
            application=open_case,
            actor=people["jingban"],
            actor_roles={"clerk"},
            title="x",
            column=_column(columns),
            formed_on=date(2025, 2, 20),
            today=date(2025, 3, 17),
        )
    assert "尚未答复办结" in info.value.message
    assert not Document.objects.exclude(from_application="").exists()


def test_only_the_office_marks(office):
    agency, people, columns = office
    app = _replied(agency, people, "partially_disclosed", "第三十七条")
    with pytest.raises(TransitionNotAllowed):
        application_to_proactive(
            application=app,
            actor=people["lingdao"],
            actor_roles={"leader"},
            title="x",
            column=_column(columns),
            formed_on=date(2025, 2, 20),
            today=date(2025, 3, 17),
        )
    assert not Document.objects.exclude(from_application="").exists()


def test_the_case_page_offers_it_and_the_form_makes_the_draft_and_the_year_counts_it(office, client):
    agency, people, columns = office
    app = _replied(agency, people, "disclosed", "第三十六条（二）")
    client.force_login(people["jingban"])
    case = client.get(reverse("applications:staff_case", kwargs={"pk": app.pk})).content.decode()
    url = reverse("proactive:from_case", kwargs={"pk": app.pk})
    assert url in case and "依申请公开转主动公开" in case
    form = client.get(url)
    assert form.status_code == 200 and "登记为主动公开文件草稿" in form.content.decode()
    column = _column(columns)
    done = client.post(url, {"title": "招生划片方案", "column": column.pk, "formed_on": "2025-02-20", "body": ""})
    assert done.status_code == 302
    doc = Document.objects.get(from_application=app.tracking_number)
    again = client.get(url).content.decode()
    assert "已于" in again and doc.index_number in again
    case = client.get(reverse("applications:staff_case", kwargs={"pk": app.pk})).content.decode()
    assert "依申请公开转主动公开" in case and doc.index_number in case  # the log row
    year = client.get(reverse("proactive:year"), {"year": doc.created_at.year}).content.decode()
    assert app.tracking_number in year and "<strong>1</strong>" in year


def test_a_refused_case_page_has_no_link_and_the_form_is_refused(office, client):
    agency, people, _ = office
    app = _replied(agency, people, "withheld_third_party", "第十五条")
    client.force_login(people["jingban"])
    url = reverse("proactive:from_case", kwargs={"pk": app.pk})
    assert url not in client.get(reverse("applications:staff_case", kwargs={"pk": app.pk})).content.decode()
    assert client.get(url).status_code == 403
