"""Delivery (送达) and archiving (归档) through the services and pages (issue 16 §3, §6).

Calendar: March 2026 has no holiday; 2026-03-02 is a Monday.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import docx
import pytest
from django.urls import reverse

from gongkai import localtime
from gongkai.applications import clock, letters, selectors_delivery, services, services_archive, services_delivery
from gongkai.applications.models import ArchiveBatch, ArchivedCase, CaseEvent
from gongkai.applications.running_archive import archive_batch_run
from gongkai.domain.errors import DomainError
from gongkai.domain.fields import FieldError
from gongkai.workcalendar.selectors import working_calendar
from tests.factories import bureau, submit_application

pytestmark = pytest.mark.django_db
CLERK = {"clerk"}
PDF = b"%PDF-1.4\n% a scanned proof\n"


@pytest.fixture
def people():
    return bureau().people


def _move(app, action, user, today, **fields):
    services.application_transition(
        application=app, action=action, actor=user, actor_roles=CLERK, fields=fields, today=today
    )
    app.refresh_from_db()


def _replied(people, *, received=date(2026, 3, 2), replied=date(2026, 3, 10)):
    clerk = people["jingban"]
    app = submit_application(
        agency=clerk.memberships.first().agency, registered_by=clerk, received=received
    ).application
    _move(app, "start_processing", clerk, received)
    _move(app, "reply", clerk, replied, outcome_code="already_public", legal_basis="第三十六条（一）")
    reply = letters.generate_letter(application=app, kind="reply_already_public", user=clerk)
    _move(app, "issue_reply", clerk, replied, replied_on=replied, issued_via="post")
    return app, reply


def _ems(letter, clerk, **kw):
    args = {
        "letter": letter,
        "method": "ems",
        "sent_on": date(2026, 3, 10),
        "tracking_number": "EA123456785CN",
        "actor": clerk,
        "actor_roles": CLERK,
        "today": date(2026, 3, 12),
    }
    return services_delivery.delivery_record_create(**{**args, **kw})


# -- delivery records -------------------------------------------------------------------------------


def test_a_reply_sent_by_ems_is_recorded_with_its_tracking_number_and_later_its_served_date(people):
    app, reply = _replied(people)
    clerk = people["jingban"]
    record = _ems(reply, clerk)
    assert record.recipient == "刘洋" and record.served_on is None and record.tracking_number == "EA123456785CN"
    services_delivery.delivery_record_served(
        record=record, served_on=date(2026, 3, 12), actor=clerk, actor_roles=CLERK, today=date(2026, 3, 12)
    )
    record.refresh_from_db()
    assert record.served_on == date(2026, 3, 12)
    log = list(app.events.order_by("seq"))
    assert [e.action for e in log[-2:]] == ["record_delivery", "record_served"]
    # the case stays 已答复 and its letter is still the reply's: a delivery calls for no letter
    app.refresh_from_db()
    assert app.state == "replied"
    assert [n.kind for n in letters.letter_kinds_for(app)] == ["reply_already_public"]
    assert letters.letter_kinds_for(app)[0].letters == (reply,)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"tracking_number": ""}, "tracking_number", "邮政EMS送达须填写邮件号码"),
        ({"tracking_number": "EA123456784CN"}, "tracking_number", "校验位不正确"),
        ({"served_on": date(2026, 3, 9)}, "served_on", "不能早于发出日期"),
        ({"sent_on": date(2026, 3, 9)}, "sent_on", "不能早于文书日期"),
        ({"served_on": date(2026, 3, 13)}, "served_on", "不能晚于今天"),
        ({"method": "email", "tracking_number": ""}, "address", "电子邮箱地址"),
        ({"method": "in_person", "tracking_number": "", "served_on": date(2026, 3, 11)}, "served_on", "当面送达"),
    ],
)
def test_a_wrong_delivery_is_refused_in_chinese_and_nothing_is_written(people, changes, field, message):
    app, reply = _replied(people)
    before = app.events.count()
    with pytest.raises(FieldError, match=message) as err:
        _ems(reply, people["jingban"], **changes)
    assert err.value.field == field
    assert app.events.count() == before and not app.deliveries.exists()


def test_a_leader_cannot_record_a_delivery(people):
    _, reply = _replied(people)
    with pytest.raises(DomainError, match="经办人或办公室主任"):
        _ems(reply, people["lingdao"], actor_roles={"leader"})


def test_a_proof_must_be_what_its_name_says(people):
    _, reply = _replied(people)
    record = _ems(reply, people["jingban"])
    with pytest.raises(FieldError, match="文件内容与扩展名不符"):
        services_delivery.delivery_proof_add(
            record=record, kind="tracking", name="ems.pdf", data=b"not a pdf", actor=None, actor_roles=CLERK
        )
    proof = services_delivery.delivery_proof_add(
        record=record, kind="tracking", name="ems.pdf", data=PDF, actor=None, actor_roles=CLERK
    )
    assert proof.size == len(PDF) and len(proof.sha256) == 64


# -- the fee window runs from service (国办函〔2020〕109号) -------------------------------------------------


def _fee_notified(people, **fee):
    clerk = people["jingban"]
    app = submit_application(
        agency=clerk.memberships.first().agency, registered_by=clerk, received=date(2026, 3, 2)
    ).application
    _move(app, "start_processing", clerk, date(2026, 3, 2))
    # the 11th of the month (100 元): the other ten came in by post and are not in this test's register
    _move(app, "notify_fee", clerk, date(2026, 3, 4), method="per_application", month_position=11, amount=100,
          month_position_reason="本月另有10件邮寄申请尚未录入", fee_sent_on=date(2026, 3, 4), **fee)  # fmt: skip
    return app


def _deadlines(app, today):
    log = list(app.events.order_by("seq"))
    return {d.key: d for d in clock.deadlines_of(log, calendar=working_calendar(), today=today,
                                                 convention=app.convention, policy=clock.policy_for(app.agency))}  # fmt: skip


def test_without_a_served_date_the_fee_window_is_not_counted_and_the_case_page_asks_for_it(people, client):
    app = _fee_notified(people)
    assert "fee_payment" not in _deadlines(app, date(2026, 4, 30))
    assert [a.key for a in selectors_delivery.awaiting_service_of(app, list(app.events.order_by("seq")))] == [
        "fee_payment"
    ]
    # no lapse can be recorded on a window that never started
    with pytest.raises(FieldError, match="送达日期尚未登记"):
        _move(app, "fee_lapsed", people["jingban"], date(2026, 4, 30), decided_on=date(2026, 4, 30))
    client.force_login(people["jingban"])
    page = client.get(reverse("applications:staff_case", args=[app.pk])).content.decode()
    assert "待登记送达日期" in page and "缴费期限" in page


def test_the_fee_window_runs_from_the_day_the_notice_was_served(people):
    app = _fee_notified(people)
    clerk = people["jingban"]
    notice = letters.generate_letter(application=app, kind="fee_notice", user=clerk)
    services_delivery.delivery_record_create(
        letter=notice, method="registered_mail", tracking_number="RR123456785CN", sent_on=date(2026, 3, 4),
        served_on=date(2026, 3, 6), actor=clerk, actor_roles=CLERK, today=date(2026, 3, 6),
    )  # fmt: skip
    d = _deadlines(app, date(2026, 3, 6))["fee_payment"]
    # 20 working days from the day after Fri 03-06: 9–13 (5), 16–20 (10), 23–27 (15), 30, 31, 4-1, 4-2, 4-3 (20)
    assert d.start == date(2026, 3, 6) and d.due == date(2026, 4, 3)
    assert selectors_delivery.awaiting_service_of(app, list(app.events.order_by("seq"))) == []


def test_a_served_date_recorded_with_the_fee_notice_still_counts(people):
    app = _fee_notified(people, notice_received_on=date(2026, 3, 4))
    assert _deadlines(app, date(2026, 3, 4))["fee_payment"].due == date(2026, 4, 1)


# -- 送达回证, evidence list, archive ---------------------------------------------------------------------


def test_the_return_receipt_names_the_case_the_document_the_addressee_and_the_method(people):
    _, reply = _replied(people)
    record = _ems(reply, people["jingban"])
    from gongkai.applications import evidence

    text = "\n".join(
        c.text
        for t in docx.Document(io.BytesIO(evidence.return_receipt_docx(record))).tables
        for r in t.rows
        for c in r.cells
    )
    for expected in (
        reply.application.tracking_number,
        reply.title,
        reply.reference_number,
        "刘洋",
        "邮政EMS",
        "EA123456785CN",
        "受送达人（签名或盖章）",
    ):
        assert expected in text


def _names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_the_evidence_list_numbers_the_documents_in_order_with_a_pdf_index(people):
    app, reply = _replied(people)
    record = _ems(reply, people["jingban"], served_on=date(2026, 3, 12))
    services_delivery.delivery_proof_add(
        record=record, kind="tracking", name="../../etc/邮件查询.pdf", data=PDF, actor=None, actor_roles=CLERK
    )
    from gongkai.applications import evidence

    names = _names(evidence.evidence_zip(app, today=date(2026, 3, 12)))
    assert names[0] == "00-证据目录.pdf"
    assert names[1:] == [
        "01-政府信息公开申请（登记内容）.pdf",
        "02-政府信息公开申请回执.pdf",
        "03-答复书（已主动公开）（生成稿，未上传签章版）.docx",
        "04-答复书（已主动公开）送达凭证：邮件查询记录（妥投证明）.pdf",
        "05-办理记录.pdf",
    ]
    assert all("/" not in n and ".." not in n for n in names)


def test_a_closed_case_is_filed_once_with_its_index_and_retention(people):
    app, reply = _replied(people)
    clerk = people["jingban"]
    _ems(reply, clerk, served_on=date(2026, 3, 12))
    archived = services_archive.case_file(application=app, actor=clerk, actor_roles=CLERK, today=date(2026, 3, 13))
    assert archived.retain_until == date(2036, 12, 31) and archived.year == 2026
    names = _names(archived.package.read())
    assert names[0] == "00-卷内目录及案卷.pdf" and names[-1] == "SHA256SUMS.txt"
    again = services_archive.case_file(application=app, actor=clerk, actor_roles=CLERK, today=date(2026, 3, 14))
    assert again.pk == archived.pk and ArchivedCase.objects.count() == 1


def test_a_forwarded_application_is_filed_with_the_papers_it_came_with(people):
    """The 转办单 a forwarded application arrived with proves the day its clock counts from (第三十一条):
    it is filed with the application, dated the day it reached this office, under the forwarding
    body's number, and its bytes are those that were uploaded."""
    clerk = people["jingban"]
    papers = [("original", "转办单.pdf", "application/pdf", PDF)]
    app = submit_application(
        agency=clerk.memberships.first().agency,
        registered_by=clerk,
        received=date(2026, 3, 3),
        signed_for_on=date(2026, 3, 3),
        handed_in_on=None,
        channel="post_signed",
        intake={"origin": "gov_office", "origin_reference": "区府办转〔2026〕12号", "reached_on": date(2026, 3, 3)},
        intake_papers=papers,
    ).application
    _move(app, "start_processing", clerk, date(2026, 3, 3))
    _move(app, "reply", clerk, date(2026, 3, 10), outcome_code="already_public", legal_basis="第三十六条（一）")
    letters.generate_letter(application=app, kind="reply_already_public", user=clerk)
    _move(app, "issue_reply", clerk, date(2026, 3, 10), replied_on=date(2026, 3, 10), issued_via="in_person")
    archived = services_archive.case_file(application=app, actor=clerk, actor_roles=CLERK, today=date(2026, 3, 13))
    package = zipfile.ZipFile(io.BytesIO(archived.package.read()))
    names = package.namelist()
    assert names[1] == "01-政府信息公开申请（登记内容）.pdf" and names[2] == "02-转来的原件材料：转办单.pdf"
    assert package.read(names[2]) == PDF
    from gongkai.applications import evidence

    paper = evidence.case_items(app, today=date(2026, 3, 13))[1]
    assert (paper.reference, paper.on, paper.source) == ("区府办转〔2026〕12号", date(2026, 3, 3), "转办机关")


def test_an_open_case_cannot_be_filed(people):
    clerk = people["jingban"]
    app = submit_application(
        agency=clerk.memberships.first().agency, registered_by=clerk, received=date(2026, 3, 2)
    ).application
    with pytest.raises(DomainError, match="尚未办结"):
        services_archive.case_file(application=app, actor=clerk, actor_roles=CLERK, today=date(2026, 3, 3))


def test_a_year_is_filed_in_one_batch_and_a_second_run_skips_what_is_filed(people):
    clerk = people["jingban"]
    first, _ = _replied(people)
    second, _ = _replied(people, received=date(2026, 3, 3), replied=date(2026, 3, 11))
    services_archive.case_file(application=first, actor=clerk, actor_roles=CLERK, today=date(2026, 3, 12))
    agency = first.agency
    # the test settings run tasks at once (ImmediateBackend), on commit
    with pytest.raises(DomainError):
        services_archive.archive_batch_create(
            agency=agency, year=2027, actor=clerk, actor_roles=CLERK, today=date(2026, 3, 12)
        )
    batch = services_archive.archive_batch_create(
        agency=agency, year=2026, actor=clerk, actor_roles=CLERK, today=date(2026, 3, 12)
    )
    batch = archive_batch_run(batch_id=batch.pk, today=date(2026, 3, 12))
    assert (batch.status, batch.total, batch.filed, batch.skipped, batch.failed) == ("done", 2, 1, 1, 0)
    assert selectors_delivery.year_progress(agency.pk, 2026).complete
    again = ArchiveBatch.objects.create(agency=agency, year=2026, created_by=clerk)
    assert archive_batch_run(batch_id=again.pk, today=date(2026, 3, 12)).filed == 0


def test_the_office_head_sets_the_retention_period(people):
    agency = people["zhuren"].memberships.first().agency
    with pytest.raises(DomainError, match="办公室主任"):
        services_archive.archive_setting_update(agency=agency, retention_years=30, actor_roles=CLERK)
    services_archive.archive_setting_update(agency=agency, retention_years=30, actor_roles={"office_head"})
    assert selectors_delivery.retention_years(agency) == 30


# -- pages ------------------------------------------------------------------------------------------------


def test_the_pages_record_a_delivery_and_file_the_case(people, client, monkeypatch):
    app, reply = _replied(people)
    monkeypatch.setattr(localtime, "local_today", lambda: date(2026, 3, 12))
    client.force_login(people["jingban"])
    url = reverse("applications:delivery", args=[app.pk])
    assert client.get(url).status_code == 200
    bad = client.post(reverse("applications:delivery_record", args=[app.pk]),
                      {"letter": reply.pk, "method": "ems", "sent_on": "2026-03-10"})  # fmt: skip
    assert bad.status_code == 400 and "邮政EMS送达须填写邮件号码" in bad.content.decode()
    ok = client.post(reverse("applications:delivery_record", args=[app.pk]),
                     {"letter": reply.pk, "method": "ems", "sent_on": "2026-03-10", "served_on": "2026-03-12",
                      "tracking_number": "EA123456785CN"})  # fmt: skip
    assert ok.status_code == 302
    record = app.deliveries.get()
    receipt = client.get(reverse("applications:return_receipt", args=[app.pk, record.pk]))
    assert receipt.status_code == 200 and receipt["Content-Type"].startswith("application/vnd.openxmlformats")
    evidence = client.post(reverse("applications:evidence", args=[app.pk]))
    assert evidence.status_code == 200 and _names(evidence.content)[0] == "00-证据目录.pdf"
    assert client.post(reverse("applications:archive_case", args=[app.pk])).status_code == 302
    package = client.get(reverse("applications:archive_package", args=[app.pk]))
    assert package.status_code == 200
    assert "00-卷内目录及案卷.pdf" in _names(b"".join(package.streaming_content))
    assert client.get(reverse("applications:archive") + "?year=2026").status_code == 200
    assert client.get(reverse("applications:archive_progress", args=[2026])).json()["finished"] == 1


def test_another_agencys_staff_cannot_open_the_delivery_page(people, client):
    from tests.factories import person

    app, _ = _replied(people)
    stranger = person(app.agency.__class__.objects.get(code="health"), "clerk", "stranger")
    client.force_login(stranger)
    assert client.get(reverse("applications:delivery", args=[app.pk])).status_code == 404
    assert client.post(reverse("applications:evidence", args=[app.pk])).status_code == 404
    assert CaseEvent.objects.filter(application=app, action="record_delivery").count() == 0


def test_the_demo_shows_replies_served_and_one_still_in_the_post():
    from gongkai.applications.models import DeliveryRecord
    from gongkai.demo.accounts import seed_demo
    from gongkai.demo.applications import seed_applications
    from gongkai.demo.delivery import seed_deliveries

    today = date(2026, 11, 20)
    seed_demo()
    seed_applications(today)
    assert seed_deliveries(today) >= 3
    records = list(DeliveryRecord.objects.all())
    assert {r.method for r in records} >= {"ems"} and all(r.letter.kind.startswith("reply_") for r in records)
    assert [r.served_on for r in records if r.method == "ems"].count(None) == 1
    assert seed_deliveries(today) == 0  # run again: nothing duplicated


def test_a_run_whose_worker_died_gives_way_to_a_new_one_a_live_one_does_not(people):
    from datetime import timedelta

    from django.utils import timezone

    clerk = people["jingban"]
    agency = clerk.memberships.first().agency
    live = ArchiveBatch.objects.create(
        agency=agency, year=2026, status="running", started_at=timezone.now(), created_by=clerk
    )
    with pytest.raises(DomainError, match="正在进行"):
        services_archive.archive_batch_create(
            agency=agency, year=2026, actor=clerk, actor_roles=CLERK, today=date(2026, 3, 12)
        )
    ArchiveBatch.objects.filter(pk=live.pk).update(started_at=timezone.now() - timedelta(hours=1))
    services_archive.archive_batch_create(
        agency=agency, year=2026, actor=clerk, actor_roles=CLERK, today=date(2026, 3, 12)
    )
    live.refresh_from_db()
    assert live.status == "failed" and "中断" in live.failure
