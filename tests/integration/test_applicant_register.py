"""The applicant register and the intake through the services and the staff pages (issue 16 §4, §5).

Data from factories (tests/factories.py); every application through ``application_submit``.
"""

from __future__ import annotations

import importlib
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from gongkai import localtime
from gongkai.accounts.models import Role, Unit
from gongkai.applications import selectors_register
from gongkai.applications.models import Applicant, Application, CaseEvent, Intake, IntakeFile
from gongkai.applications.services import application_submit, application_transition
from gongkai.domain.errors import DomainError
from gongkai.domain.fields import FieldError
from tests.factories import APPLICANT, EDU, MembershipFactory, UserFactory, bureau, submit_application

pytestmark = pytest.mark.django_db

OTHER_PERSON = {
    **APPLICANT,
    "applicant_name": "陈静",
    "id_document_number": "110101198501012348",
    "phone": "13900000001",
}


@pytest.fixture
def cast():
    b = bureau()
    unit = Unit.objects.create(agency=b.agency, name="基础教育股", kind="section")
    b.people["chengban"] = UserFactory(username="chengban")
    MembershipFactory(user=b.people["chengban"], agency=b.agency, role=Role.UNIT_STAFF, unit=unit)
    return b


@pytest.fixture
def freeze(monkeypatch):
    def _freeze(day: date):
        monkeypatch.setattr(localtime, "local_today", lambda: day)

    return _freeze


def _submit(cast, received: date, applicant=None, **kw):
    return submit_application(
        agency=kw.pop("agency", cast.agency),
        registered_by=cast.people["jingban"],
        received=received,
        applicant=applicant or APPLICANT,
        submission_token=uuid.uuid4(),
        **kw,
    ).application


def _answer(app, clerk, on: date, outcome="already_public"):
    from gongkai.domain.outcomes import outcome as outcome_of

    application_transition(
        application=app,
        action="answer_on_the_spot",
        actor=clerk,
        actor_roles={"clerk"},
        fields={"outcome_code": outcome, "legal_basis": outcome_of(outcome).basis, "replied_on": on},
        today=on,
    )
    app.refresh_from_db()
    return app


def _tree(response):
    return HTMLParser(response.content.decode())


def _testids(response, testid):
    return _tree(response).css(f'[data-testid="{testid}"]')


# -- the register -----------------------------------------------------------------------------------------


def test_the_same_applicant_is_one_register_entry_however_the_number_is_written(cast):
    a = _submit(cast, date(2026, 3, 2))
    b = _submit(cast, date(2026, 3, 3), applicant={**APPLICANT, "id_document_number": "1101 0119 9001 0112 37"})
    c = _submit(cast, date(2026, 3, 3), applicant=OTHER_PERSON)
    assert a.intake.applicant == b.intake.applicant != c.intake.applicant
    assert Applicant.objects.count() == 2 and a.intake.applicant.name == "刘洋"


def test_the_history_shows_the_applicants_other_applications_to_this_agency_only(cast):
    first = _answer(_submit(cast, date(2026, 3, 2)), cast.people["jingban"], date(2026, 3, 2))
    _submit(cast, date(2026, 3, 4), agency=cast.neighbour)  # another agency's business
    _submit(cast, date(2026, 3, 5), applicant=OTHER_PERSON)
    now = _submit(cast, date(2026, 3, 9))
    rows = selectors_register.applicant_history(now)
    assert [(r.app.tracking_number, r.outcome_label) for r in rows] == [(first.tracking_number, "已主动公开")]
    assert rows[0].subject == APPLICANT["description"]


def test_the_migration_links_existing_applications_deterministically_and_once(cast):
    a = _submit(cast, date(2026, 3, 2))
    b = _submit(cast, date(2026, 3, 3), applicant={**APPLICANT, "id_document_number": "110101199001011237 "})
    c = _submit(cast, date(2026, 3, 3), applicant=OTHER_PERSON)
    # as before the register existed
    Intake.objects.all().delete()
    Applicant.objects.all().delete()
    migration = importlib.import_module("gongkai.applications.migrations.0013_link_applications_to_applicant_register")
    migration.link(django_apps, None)
    first = {i.application_id: (i.applicant.key, i.origin) for i in Intake.objects.select_related("applicant")}
    assert first[a.pk] == first[b.pk] != first[c.pk] and first[a.pk][1] == "direct"
    assert Applicant.objects.get(key=first[a.pk][0]).name == "刘洋"
    migration.link(django_apps, None)  # again: nothing changes
    again = {i.application_id: (i.applicant.key, i.origin) for i in Intake.objects.select_related("applicant")}
    assert again == first and Intake.objects.count() == 3 and Applicant.objects.count() == 2


# -- the case page: who sees what --------------------------------------------------------------------------


def test_the_office_sees_the_history_the_leader_only_the_intake_the_others_nothing(client, cast, freeze):
    freeze(date(2026, 3, 10))
    earlier = _submit(cast, date(2026, 3, 2))
    now = _submit(cast, date(2026, 3, 9))
    url = reverse("applications:staff_case", args=[now.pk])
    for who in ("jingban", "zhuren"):
        client.force_login(cast.people[who])
        r = client.get(url)
        rows = _testids(r, "history-application")
        assert [n.css_first("a").text() for n in rows] == [earlier.tracking_number]
        assert "2026-03-02" in rows[0].text() and "招生划片方案" in rows[0].text()
        assert "近30日2件" in _testids(r, "applicant-frequency")[0].text()
    client.force_login(cast.people["lingdao"])
    r = client.get(url)
    assert _testids(r, "intake") and not _testids(r, "applicant-history")
    assert earlier.tracking_number not in r.content.decode()
    for who in ("jiandu", "chengban"):  # the supervisor and unit staff do not open the case page
        client.force_login(cast.people[who])
        assert client.get(url).status_code == 404


# -- 重复申请 (第三十六条（六）) -------------------------------------------------------------------------------------


def test_a_reworded_repeat_is_flagged_with_the_earlier_case_and_the_outcome_offered(client, cast, freeze):
    clerk = cast.people["jingban"]
    earlier = _answer(_submit(cast, date(2026, 3, 2)), clerk, date(2026, 3, 3))
    repeat = _submit(
        cast,
        date(2026, 3, 16),
        applicant={**APPLICANT, "description": "请公开示范区2025年度义务教育阶段招生划片方案"},
    )
    freeze(date(2026, 3, 16))
    client.force_login(clerk)
    r = client.get(reverse("applications:staff_case", args=[repeat.pk]))
    flagged = _testids(r, "repeat")
    assert [n.attributes["data-earlier"] for n in flagged] == [earlier.tracking_number]
    warning = _testids(r, "repeat-warning")[0].text()
    assert "2026年3月3日答复：已主动公开" in warning and "不予重复处理" in warning and "系统不作判断" in warning
    offer = _testids(r, "offer-duplicate")[0].attributes["href"]
    assert offer.endswith("?outcome_code=duplicate")
    # the offer opens the form with the outcome chosen; nothing is decided until the clerk submits
    form = _tree(client.get(offer))
    assert form.css_first('select[name="outcome_code"] option[selected]').attributes["value"] == "duplicate"
    repeat.refresh_from_db()
    assert repeat.state == "received" and repeat.outcome_code == ""


def test_a_near_miss_or_an_unanswered_or_another_applicants_request_is_not_flagged(client, cast, freeze):
    clerk = cast.people["jingban"]
    _answer(_submit(cast, date(2026, 3, 2)), clerk, date(2026, 3, 3))  # 2025年…划片方案, answered
    _answer(_submit(cast, date(2026, 3, 2), applicant=OTHER_PERSON), clerk, date(2026, 3, 3))
    next_year = _submit(
        cast, date(2026, 3, 16), applicant={**APPLICANT, "description": "2026年示范区义务教育招生划片方案"}
    )
    unanswered_first = _submit(
        cast, date(2026, 3, 17), applicant={**APPLICANT, "description": "示范区教育局2025年部门决算"}
    )
    again = _submit(cast, date(2026, 3, 18), applicant={**APPLICANT, "description": "示范区教育局2025年部门决算"})
    someone_else = _submit(
        cast, date(2026, 3, 18), applicant={**OTHER_PERSON, "id_document_number": "110101197001010010"}
    )
    for app in (next_year, again, someone_else):
        assert selectors_register.repeats_of(app) == [], app.description
    assert unanswered_first.state == "received"
    freeze(date(2026, 3, 18))
    client.force_login(clerk)
    r = client.get(reverse("applications:staff_case", args=[next_year.pk]))
    assert not _testids(r, "repeat-warning")


# -- the fee count (国办函〔2020〕109号) -----------------------------------------------------------------------------


def _in_progress(app, clerk, on):
    application_transition(
        application=app, action="start_processing", actor=clerk, actor_roles={"clerk"}, fields={}, today=on
    )


def test_the_fee_count_comes_from_the_register_and_another_count_needs_a_reason(client, cast, freeze):
    clerk = cast.people["jingban"]
    _submit(cast, date(2026, 2, 27))  # February: another month
    _submit(cast, date(2026, 3, 2))
    _submit(cast, date(2026, 3, 2), applicant=OTHER_PERSON)  # another applicant
    _submit(cast, date(2026, 3, 3))
    app = _submit(cast, date(2026, 3, 4))
    _submit(cast, date(2026, 3, 5))  # later in the month: not before this one
    _in_progress(app, clerk, date(2026, 3, 5))
    assert selectors_register.register_month_position(app) == 3
    freeze(date(2026, 3, 10))
    client.force_login(clerk)
    url = reverse("applications:staff_act", args=[app.pk, "notify_fee"])
    page = client.get(url)
    assert _testids(page, "fee-register-count")[0].attributes["data-value"] == "3"
    left_empty = client.post(
        url,
        {
            "method": "per_application",
            "fee_sent_on": "2026-03-10",
            "notice_received_on": "2026-03-10",
            "_calculate": "1",
        },
    )
    # the 3rd of the month: free (第四条: 10件以下（含10件）的，不收费)
    assert "本自然月第3件申请" in _testids(left_empty, "fee-explanation")[0].text()
    data = {
        "method": "per_application",
        "month_position": "12",
        "fee_sent_on": "2026-03-10",
        "notice_received_on": "2026-03-10",
        "quoted_amount": "100",
        "confirm_irreversible": "on",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    error = _testids(refused, "error-month_position_reason")[0].text()
    assert "第3件" in error and "第12件" in error and "一个自然月内累计" in error
    app.refresh_from_db()
    assert app.state == "in_progress"
    done = client.post(url, {**data, "month_position_reason": "申请含10项内容，按一事一申请拆分计算"})
    assert done.status_code == 302
    event = CaseEvent.objects.filter(application=app).last()
    assert event.fields["register_count"] == 3 and event.fields["month_position"] == 12
    assert event.fields["month_position_reason"] == "申请含10项内容，按一事一申请拆分计算"


def test_the_register_count_as_given_needs_no_reason(cast):
    clerk = cast.people["jingban"]
    apps = [_submit(cast, date(2026, 3, d)) for d in range(2, 14)]  # twelve in March
    app = apps[10]  # the 11th: 100 元 (第四条)
    _in_progress(app, clerk, date(2026, 3, 13))
    application_transition(
        application=app,
        action="notify_fee",
        actor=clerk,
        actor_roles={"clerk"},
        fields={
            "method": "per_application",
            "month_position": 11,
            "amount": 100,
            "fee_sent_on": date(2026, 3, 16),
            "notice_received_on": date(2026, 3, 16),
        },
        today=date(2026, 3, 16),
    )
    assert CaseEvent.objects.filter(application=app).last().fields["register_count"] == 11
    with pytest.raises(FieldError):  # the 11th called the 10th (free) without a reason
        _in_progress(apps[11], clerk, date(2026, 3, 16))
        application_transition(
            application=apps[11],
            action="notify_fee",
            actor=clerk,
            actor_roles={"clerk"},
            fields={
                "method": "per_application",
                "month_position": 11,
                "amount": 100,
                "fee_sent_on": date(2026, 3, 16),
                "notice_received_on": date(2026, 3, 16),
            },
            today=date(2026, 3, 16),
        )


# -- 第三十五条 ----------------------------------------------------------------------------------------------------


def test_asking_for_reasons_shows_the_number_and_frequency(client, cast, freeze):
    for d in (2, 2, 3, 4, 5):
        app = _submit(cast, date(2026, 3, d))
    freeze(date(2026, 3, 6))
    client.force_login(cast.people["jingban"])
    r = client.get(reverse("applications:staff_act", args=[app.pk, "ask_reason"]))
    shown = _testids(r, "applicant-frequency")[0].text()
    assert "累计5件" in shown and "同一日最多2件（2026年3月2日）" in shown and "第三十五条" in shown
    assert [n.text() for n in _testids(r, "frequency-month")][-1] == "5"


# -- §5 intake ---------------------------------------------------------------------------------------------------


def _register_form(cast, **overrides):
    data = {
        **APPLICANT,
        "channel": "in_person",
        "submission_token": str(uuid.uuid4()),
        "agency": str(cast.agency.pk),
        "identity_check": "copy",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_forwarded_paper_application_is_received_the_day_it_reached_the_office(client, cast, freeze):
    freeze(date(2026, 3, 10))
    client.force_login(cast.people["jingban"])
    papers = SimpleUploadedFile("转办单.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    r = client.post(
        reverse("applications:staff_register"),
        _register_form(
            cast,
            origin="gov_office",
            origin_reference="示政办转〔2026〕15号",
            reached_on="2026-03-09",
            original_submitted_on="2026-03-03",
            original_papers=papers,
        ),
    )
    assert r.status_code == 200, r.content.decode()[:3000]
    app = Application.objects.get()
    # 第三十一条: received when this agency has it (9 March), not when the applicant wrote (3 March)
    assert app.received_on == date(2026, 3, 9)
    assert (app.intake.origin, app.intake.origin_reference, app.intake.identity_check) == (
        "gov_office",
        "示政办转〔2026〕15号",
        "copy",
    )
    assert CaseEvent.objects.get(application=app, seq=1).fields["origin"] == "gov_office"
    f = IntakeFile.objects.get(application=app)
    assert f.kind == "original"
    case = client.get(reverse("applications:staff_case", args=[app.pk]))
    intake = _testids(case, "intake")[0].text()
    assert "政府办公室转来" in intake and "示政办转〔2026〕15号" in intake and "复印件" in intake
    download = reverse("applications:staff_intake_file", args=[app.pk, f.pk])
    assert client.get(download).status_code == 200
    client.force_login(cast.people["lingdao"])  # not the office: the papers carry identity numbers
    assert client.get(download).status_code == 404


def test_a_forwarded_application_with_another_receipt_day_or_without_its_number_is_refused(client, cast, freeze):
    freeze(date(2026, 3, 10))
    client.force_login(cast.people["jingban"])
    url = reverse("applications:staff_register")
    r = client.post(url, _register_form(cast, origin="petition", reached_on="2026-03-09", handed_in_on="2026-03-09"))
    assert "信访件编号" in _testids(r, "error-origin_reference")[0].text()
    r = client.post(
        url,
        _register_form(
            cast, origin="petition", origin_reference="XF-88", reached_on="2026-03-09", handed_in_on="2026-03-05"
        ),
    )
    assert "第三十一条" in _testids(r, "error-handed_in_on")[0].text()
    assert not Application.objects.exists()


def test_an_agent_is_registered_with_the_power_of_attorney_and_masked_for_the_leader(client, cast, freeze):
    freeze(date(2026, 3, 10))
    client.force_login(cast.people["jingban"])
    url = reverse("applications:staff_register")
    agent = {"agent_name": "王律师", "agent_id_number": "110101198001010014", "agent_phone": "13700000000"}
    refused = client.post(url, _register_form(cast, handed_in_on="2026-03-10", **agent))
    assert "授权委托书" in _testids(refused, "error-power_of_attorney")[0].text()
    poa = SimpleUploadedFile("委托书.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    client.post(url, _register_form(cast, handed_in_on="2026-03-10", power_of_attorney=poa, **agent))
    app = Application.objects.get()
    assert app.intake.agent_name == "王律师" and app.intake_files.get().kind == "power_of_attorney"
    case_url = reverse("applications:staff_case", args=[app.pk])
    assert "110101198001010014" in _testids(client.get(case_url), "intake")[0].text()
    client.force_login(cast.people["lingdao"])
    shown = _testids(client.get(case_url), "intake")[0].text()
    assert "王律师" in shown and "110101198001010014" not in shown and "0014" in shown


def test_a_12345_work_order_becomes_an_application_that_keeps_its_origin(client, cast, freeze):
    from gongkai.workorders import services as workorder_services
    from gongkai.workorders.models import WorkOrder

    received_at = datetime(2026, 3, 9, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    order = WorkOrder.objects.create(
        agency=cast.agency,
        platform="12345",
        number="GD2026030009",
        category="consult",
        title="申请公开招生划片方案",
        content="市民要求公开2025年示范区义务教育招生划片方案",
        received_at=received_at,
        received_on=date(2026, 3, 9),
        due_on=date(2026, 3, 16),
    )
    freeze(date(2026, 3, 10))
    client.force_login(cast.people["jingban"])
    url = reverse("workorders:to_application", args=[order.pk])
    form = _tree(client.get(url))
    assert form.css_first('input[name="reached_on"]').attributes["value"] == "2026-03-09"
    assert form.css_first('select[name="origin"]') is None  # fixed by the order
    r = client.post(
        url, {**_register_form(cast, channel="oral", identity_check="unverified"), "reached_on": "2026-03-09"}
    )
    assert r.status_code == 302
    app = Application.objects.get()
    assert (app.intake.origin, app.intake.origin_reference, app.intake.reached_on) == (
        "hotline_12345",
        "GD2026030009",
        date(2026, 3, 9),
    )
    assert app.received_on == date(2026, 3, 9)
    case = client.get(reverse("applications:staff_case", args=[app.pk]))
    assert "12345工单转来" in _testids(case, "intake")[0].text()
    with pytest.raises(DomainError):
        workorder_services.order_to_application(
            order=order,
            actor=cast.people["jingban"],
            today=date(2026, 3, 10),
            channel="oral",
            applicant={},
            receipt_dates={},
        )


def test_the_public_form_and_a_service_call_without_intake_register_a_direct_application(cast):
    app = application_submit(
        agency=cast.agency,
        channel="online",
        applicant=APPLICANT,
        submitted_on=date(2026, 3, 10),
        today=date(2026, 3, 10),
    ).application
    assert (app.intake.origin, app.intake.identity_check, app.intake.applicant.key_kind) == ("direct", "", "identity")


def test_the_unit_never_sees_the_register(client, cast, freeze):
    app = _submit(cast, date(2026, 3, 2))
    assert not IntakeFile.objects.exists()
    client.force_login(cast.people["chengban"])
    assert client.get(reverse("applications:staff_case", args=[app.pk])).status_code == 404
    assert client.get(reverse("applications:staff_intake_file", args=[app.pk, 1])).status_code == 404


def test_the_register_page_offers_the_origins_and_identity_checks(client, cast):
    client.force_login(cast.people["jingban"])
    page = _tree(client.get(reverse("applications:staff_register")))
    assert [o.text() for o in page.css('select[name="origin"] option')] == [
        "直接提交",
        "政府办公室转来",
        "12345工单转来",
        "信访转来",
    ]
    assert [o.text() for o in page.css('select[name="identity_check"] option')][1:] == [
        "窗口核验原件",
        "电子证照",
        "复印件",
        "未核验",
    ]
    assert EDU  # the site's agency is the cast's


def test_where_a_refusal_is_reviewed_first_the_offer_opens_the_review_form(client, cast, freeze):
    # the agency has 不予处理 reviewed (法制审核) before sign-off: the offer must open 提交审核, the one move
    # that may carry the outcome there (a link to 提交签发 would be refused)
    cast.agency.legal_review_outcomes = ["duplicate"]
    cast.agency.save(update_fields=["legal_review_outcomes"])
    clerk = cast.people["jingban"]
    _answer(_submit(cast, date(2026, 3, 2)), clerk, date(2026, 3, 3))
    repeat = _submit(
        cast, date(2026, 3, 16), applicant={**APPLICANT, "description": "请公开示范区2025年度义务教育阶段招生划片方案"}
    )
    freeze(date(2026, 3, 16))
    client.force_login(clerk)
    offer = _testids(client.get(reverse("applications:staff_case", args=[repeat.pk])), "offer-duplicate")[0]
    assert "/act/submit_reply_for_review/" in offer.attributes["href"]
    r = client.get(offer.attributes["href"])
    assert r.status_code == 200
    assert _tree(r).css_first('select[name="outcome_code"] option[selected]').attributes["value"] == "duplicate"
