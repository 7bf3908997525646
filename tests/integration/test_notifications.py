"""Reminders by e-mail and SMS (issue 16 §7): the outbox, quiet hours, a killed worker, 督办 and the
daily digest in the outbox, the applicant's notices, the office's outbox page."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from gongkai.accounts.models import Role
from gongkai.applications import services
from gongkai.applications.models import ApplicantNotice
from gongkai.notifications import services as outbox
from gongkai.notifications.models import OutboxMessage, Preference
from gongkai.notifications.sms import LoggingBackend
from tests.factories import bureau, person
from tests.integration.signing import reply_and_issue
from tests.integration.test_applications_public import _submit as submit_online
from tests.integration.test_applications_routing import (  # noqa: F401 - fixtures
    _assign,
    b,
    case,
    staff,
    units,
)

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


@pytest.fixture(autouse=True)
def _clean():
    LoggingBackend.sent.clear()
    yield
    LoggingBackend.sent.clear()


@pytest.fixture
def reachable(db):
    bu = bureau()
    user = bu.people["jingban"]
    user.email = "zhangmin@edu.example.gov.cn"
    user.save(update_fields=["email"])
    Preference.objects.create(user=user, email_enabled=True, sms_enabled=True, phone="13900000001")
    return bu, user


def test_a_message_is_queued_once_per_occasion_and_an_sms_waits_for_the_morning(reachable):
    _, user = reachable
    evening = at(2026, 12, 7, 22, 30)
    made = outbox.notify_user(user=user, subject="督办提醒", body="申请已超期", key="t:1", now=evening)
    again = outbox.notify_user(user=user, subject="督办提醒", body="申请已超期", key="t:1", now=evening)
    assert [m.pk for m in made] == [m.pk for m in again] and OutboxMessage.objects.count() == 2
    email = OutboxMessage.objects.get(channel="email")
    sms = OutboxMessage.objects.get(channel="sms")
    assert email.not_before == evening
    assert sms.not_before == at(2026, 12, 8, 8, 0)  # quiet hours 21:00-08:00
    counts = outbox.outbox_send_due(now=at(2026, 12, 7, 22, 31))
    assert counts["sent"] == 1 and len(mail.outbox) == 1 and LoggingBackend.sent == []
    assert mail.outbox[0].to == ["zhangmin@edu.example.gov.cn"] and mail.outbox[0].subject == "督办提醒"
    assert outbox.outbox_send_due(now=at(2026, 12, 8, 7, 59))["sent"] == 0
    assert outbox.outbox_send_due(now=at(2026, 12, 8, 8, 0))["sent"] == 1
    assert LoggingBackend.sent == [("13900000001", "【督办提醒】申请已超期")]
    sms.refresh_from_db()
    assert sms.state == "sent" and sms.sent_at is not None and sms.provider_id.startswith("log-")
    assert outbox.outbox_send_due(now=at(2026, 12, 8, 9, 0))["sent"] == 0  # nothing sent twice


def test_a_message_a_killed_worker_left_sending_is_sent_again_once_stale_and_not_before(reachable, settings):
    _, user = reachable
    settings.GONGKAI_OUTBOX_STALE_MINUTES = 10
    noon = at(2026, 12, 7, 12, 0)
    (email, _sms) = outbox.notify_user(user=user, subject="摘要", body="一件逾期", key="t:2", now=noon)
    # the worker claimed the e-mail and died before marking it sent
    OutboxMessage.objects.filter(pk=email.pk).update(state="sending", claimed_at=noon, attempts=1)
    counts = outbox.outbox_send_due(now=at(2026, 12, 7, 12, 5))
    assert counts["reclaimed"] == 0 and len(mail.outbox) == 0  # another worker may still be at it
    counts = outbox.outbox_send_due(now=at(2026, 12, 7, 12, 11))
    assert counts["reclaimed"] == 1 and len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.state == "sent" and email.attempts == 2


class Broken:
    def send(self, phone, text):
        raise ConnectionError("短信平台无响应")


def test_a_failing_provider_is_retried_later_then_the_message_fails_with_its_error(reachable, settings):
    _, user = reachable
    settings.GONGKAI_SMS_BACKEND = "tests.integration.test_notifications.Broken"
    settings.GONGKAI_OUTBOX_MAX_ATTEMPTS = 2
    noon = at(2026, 12, 7, 12, 0)
    outbox.notify_user(user=user, subject="摘要", body="一件逾期", key="t:3", now=noon)
    first = outbox.outbox_send_due(now=noon)
    assert first["sent"] == 1 and first["retry"] == 1  # the e-mail went; the SMS waits
    sms = OutboxMessage.objects.get(channel="sms")
    assert sms.state == "pending" and "短信平台无响应" in sms.last_error and sms.not_before > noon
    second = outbox.outbox_send_due(now=sms.not_before)
    sms.refresh_from_db()
    assert second["failed"] == 1 and sms.state == "failed" and sms.attempts == 2


def test_each_chase_step_is_also_a_message_to_the_people_it_names(b, units, case, staff):  # noqa: F811
    for user in (staff["caiwu"], staff["caiwu_head"], b.people["zhuren"]):
        user.email = f"{user.username}@edu.example.gov.cn"
        user.save(update_fields=["email"])
    _assign(case, b, [units["caiwu"]])  # due Tuesday 13 October 2026
    services.assignments_chase(today=date(2026, 10, 14))
    services.assignments_chase(today=date(2026, 10, 14))  # the same morning again: nothing more
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == ["chengban2@edu.example.gov.cn"]
    services.assignments_chase(today=date(2026, 10, 20))  # the head, then the office head
    recipients = set(OutboxMessage.objects.values_list("recipient", flat=True))
    assert recipients == {"chengban2@edu.example.gov.cn", "guzhang2@edu.example.gov.cn", "zhuren@edu.example.gov.cn"}
    message = OutboxMessage.objects.get(recipient="zhuren@edu.example.gov.cn")
    assert case.tracking_number in message.subject and "计划财务股" in message.body and "督办" in message.subject


def test_the_daily_digest_lists_a_users_due_and_overdue_work_once_a_day(b, units, case, staff):  # noqa: F811
    clerk = b.people["jingban"]
    clerk.email = "jingban@edu.example.gov.cn"
    clerk.save(update_fields=["email"])
    staff["caiwu"].email = "chengban2@edu.example.gov.cn"
    staff["caiwu"].save(update_fields=["email"])
    _assign(case, b, [units["caiwu"]])  # internal deadline 13 October; reply due 19 October 2026
    today = date(2026, 10, 15)
    assert outbox.digests_queue(today=today) == 2
    assert outbox.digests_queue(today=today) == 0  # once a day
    to_clerk = OutboxMessage.objects.get(recipient="jingban@edu.example.gov.cn")
    assert case.tracking_number in to_clerk.body and "即将到期" in to_clerk.body
    to_unit = OutboxMessage.objects.get(recipient="chengban2@edu.example.gov.cn")
    assert "计划财务股" in to_unit.body and "已逾期" in to_unit.body
    Preference.objects.create(user=clerk, digest_enabled=False)
    assert outbox.digests_queue(today=date(2026, 10, 16)) == 1  # only the unit's


def test_an_applicant_who_opted_in_is_told_when_the_receipt_and_the_reply_are_ready(client, monkeypatch):
    from gongkai import localtime
    from tests.integration.test_applications_public import TODAY

    agency = bureau().agency
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    app, _ = submit_online(client, notify_by="sms")
    assert ApplicantNotice.objects.get(application=app).recipient == "13800000000"
    receipt = OutboxMessage.objects.get(key=f"applicant:{app.pk}:receipt:sms")
    assert app.tracking_number in receipt.body and receipt.agency == agency
    clerk = person(agency, Role.CLERK, "clerk2")
    services.application_transition(
        application=app, action="start_processing", actor=clerk, actor_roles={"clerk"}, fields={}, today=TODAY
    )
    reply_and_issue(
        app,
        clerk=clerk,
        outcome_code="already_public",
        legal_basis="第三十六条（一）",
        on=TODAY,
    )
    assert OutboxMessage.objects.filter(key=f"applicant:{app.pk}:reply:sms").exists()
    # no opt-in, no message; an e-mail notice without an address is refused on the form
    other, _ = submit_online(client, applicant_name="王芳")
    assert not OutboxMessage.objects.filter(key__startswith=f"applicant:{other.pk}:").exists()
    from tests.integration.test_applications_public import _post

    refused = _post(client, email="", delivery_channel="post", notify_by="email")
    assert refused.status_code == 200 and "选择电子邮件通知时，请填写电子邮箱" in refused.content.decode()


def test_the_office_sees_the_outbox_and_each_user_chooses_their_channels(client, reachable):
    bu, user = reachable
    outbox.notify_user(
        user=user, subject="摘要", body="一件逾期", key="t:4", agency=bu.agency, now=at(2026, 12, 7, 23, 0)
    )
    client.force_login(bu.people["zhuren"])
    page = client.get(reverse("notifications:outbox")).content.decode()
    assert page.count('data-testid="outbox-row"') == 2 and "待发送" in page and "免打扰" in page
    assert client.get(reverse("notifications:outbox"), {"channel": "sms"}).content.decode().count("outbox-row") == 1
    client.force_login(bu.people["lingdao"])
    assert client.get(reverse("notifications:outbox")).status_code == 403
    refused = client.post(
        reverse("notifications:preferences"), {"email_enabled": "on", "sms_enabled": "on", "phone": "010-1234"}
    )
    assert "手机号码" in refused.content.decode()
    saved = client.post(
        reverse("notifications:preferences"),
        {"email_enabled": "on", "sms_enabled": "on", "phone": "139 0000 0002", "digest_enabled": "on"},
    )
    assert saved.status_code == 302
    pref = Preference.objects.get(user=bu.people["lingdao"])
    assert pref.sms_enabled and pref.phone == "13900000002"


@pytest.mark.django_db(transaction=True)
def test_send_outbox_sends_what_is_due_and_starts_one_chain_that_requeues_itself(reachable):
    from django.core.management import call_command
    from django.test import override_settings
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from gongkai.notifications import tasks as outbox_tasks
    from tests.integration.test_reminders import DB_TASKS

    bu, user = reachable
    Preference.objects.filter(user=user).update(sms_enabled=False)
    outbox.notify_user(user=user, subject="摘要", body="一件逾期", key="t:5")
    with override_settings(TASKS=DB_TASKS):
        call_command("send_outbox", verbosity=0)
        assert len(mail.outbox) == 1
        call_command("send_outbox", verbosity=0)  # started twice: still one run waiting
        assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        done = DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL)
        waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
        assert done.task_path == waiting.task_path == outbox_tasks.outbox_task.module_path
        after = waiting.run_after - done.started_at  # the interval, counted from the run's own start
        assert outbox_tasks.interval() <= after < outbox_tasks.interval() + timedelta(minutes=1)
    assert len(mail.outbox) == 1  # nothing sent twice
