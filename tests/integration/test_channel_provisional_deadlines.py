"""The work-order and proposal deadlines over a year whose holiday notice is missing: marked 预计
(a lower bound, the rule the applications follow), recounted the moment the notice is entered, each
moved date in the item's log; and the uploaded work-order sheet, which names citizens, not kept
beyond its use."""

from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from gongkai import localtime
from gongkai.accounts.models import Agency
from gongkai.domain.workorders.workflow import DeadlineRule, Unit
from gongkai.proposals import services as proposal_services
from gongkai.proposals.models import Proposal, ProposalEvent
from gongkai.workcalendar.selectors import working_calendar
from gongkai.workorders import services
from gongkai.workorders.models import ImportBatch, WorkOrder, WorkOrderEvent
from tests.factories import EDU, HOLIDAY_NOTICE_PERMS, NOTICE_2027_FORM, bureau, grant

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 28)
HEAD = ["工单编号", "受理时间", "诉求类型", "诉求标题", "诉求内容", "承办单位", "来电人"]


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def people(monkeypatch):
    b = bureau()
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    return b.people


@pytest.fixture
def edu(people):
    return Agency.objects.get(code=EDU)


def _import(edu, clerk, rows):
    batch = services.batch_upload(agency=edu, actor=clerk, platform="12345", filename="12345.xlsx", content=xlsx(rows))
    services.batch_confirm(batch=batch, actor=clerk, today=TODAY)
    batch.refresh_from_db()
    return batch


def _enter_notice(client, head):
    client.force_login(grant(head, *HOLIDAY_NOTICE_PERMS))
    response = client.post(reverse("admin:workcalendar_holidaynotice_add"), NOTICE_2027_FORM, follow=True)
    assert response.status_code == 200


def test_an_order_counted_into_2027_is_marked_and_recounted_when_the_notice_is_entered(client, edu, people):
    assert 2027 not in working_calendar().covered_years  # the season this test is about
    _import(
        edu,
        people["jingban"],
        [
            ["GD1", "2026-12-28 09:00", "咨询", "寒假安排", "问放假时间", "", "张三"],  # 5 working days: into 2027
            ["GD2", "2026-12-01 09:00", "咨询", "招生", "问招生", "", "李四"],  # due 8 December: firm
        ],
    )
    late, early = WorkOrder.objects.get(number="GD1"), WorkOrder.objects.get(number="GD2")
    assert late.due_provisional and not early.due_provisional
    assert (late.due_amount, late.due_unit) == (5, "working_days")
    provisional_due = late.due_on
    client.force_login(people["jingban"])
    page = client.get(reverse("workorders:list")).content.decode()
    assert page.count('data-testid="provisional"') == 1
    assert "2027年节假日安排尚未录入，按法定节假日推算，实际期限不早于此日" in page

    _enter_notice(client, people["zhuren"])
    late.refresh_from_db()
    official = working_calendar().due_date(date(2026, 12, 28), 5)
    assert not official.provisional
    assert (late.due_on, late.due_provisional) == (official.due, False)
    assert provisional_due <= official.due  # the provisional date was a lower bound
    moved = WorkOrderEvent.objects.get(order=late, action="deadline_recomputed")
    assert moved.details["old_due_on"] == provisional_due.isoformat()
    assert moved.details["due_on"] == official.due.isoformat() and moved.actor == people["zhuren"]
    assert not WorkOrderEvent.objects.filter(order=early, action="deadline_recomputed").exists()


def test_an_order_recounts_with_the_rule_it_was_received_under_not_a_later_setting(client, edu, people):
    _import(edu, people["jingban"], [["GD1", "2026-12-28 09:00", "咨询", "寒假安排", "问放假时间", "", "张三"]])
    services.platform_settings_update(
        agency=edu,
        actor=people["zhuren"],
        platform="12345",
        amount=15,
        unit="working_days",
        mapping=services.platform_mapping(edu, "12345"),
    )
    _enter_notice(client, people["zhuren"])
    order = WorkOrder.objects.get(number="GD1")
    assert order.due_on == working_calendar().add_working_days(date(2026, 12, 28), 5)


def test_an_hours_rule_never_waits_for_a_notice(edu, people):
    services.platform_settings_update(
        agency=edu,
        actor=people["zhuren"],
        platform="12345",
        amount=96,
        unit="hours",
        mapping=services.platform_mapping(edu, "12345"),
    )
    _import(edu, people["jingban"], [["GD1", "2026-12-28 10:00", "求助", "暖气", "教室不热", "", "王五"]])
    order = WorkOrder.objects.get()
    assert (order.due_on, order.due_provisional) == (date(2027, 1, 1), False)  # on the clock, holiday or not
    assert DeadlineRule(order.due_amount, Unit(order.due_unit)) == DeadlineRule(96, Unit.HOURS)


def test_a_proposal_due_in_the_spring_festival_is_marked_and_moves_with_the_notice(client, edu, people):
    # 交办 5 November: three months end on Friday 5 February 2027, 除夕 (a statutory holiday from 2025 on)
    proposal = proposal_services.proposal_register(
        agency=edu,
        actor=people["jingban"],
        today=TODAY,
        kind="suggestion",
        number="101",
        author="周代表",
        title="关于增加学位供给的建议",
        lead_unit="基础教育股",
        assigned_on=date(2026, 11, 5),
    )
    assert proposal.due_nominal == date(2027, 2, 5) and proposal.due_provisional
    provisional_due = proposal.due_on
    assert provisional_due > date(2027, 2, 5)  # moved past the holiday it can already name
    client.force_login(people["jingban"])
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert 'data-testid="provisional"' in page

    _enter_notice(client, people["zhuren"])
    proposal.refresh_from_db()
    # the entered notice keeps 5–13 February off; Sunday 14th too: the reply is due Monday 15th
    assert (proposal.due_on, proposal.due_provisional) == (date(2027, 2, 15), False)
    assert provisional_due <= proposal.due_on
    moved = ProposalEvent.objects.get(proposal=proposal, action="deadline_recomputed")
    assert moved.details == {"year": 2027, "old_due_on": provisional_due.isoformat(), "due_on": "2027-02-15"}


def test_a_proposal_due_on_a_firm_working_day_is_not_marked(edu, people):
    proposal = proposal_services.proposal_register(
        agency=edu,
        actor=people["jingban"],
        today=TODAY,
        kind="proposal",
        number="7",
        author="吴委员",
        title="关于校园安全的提案",
        lead_unit="安全股",
        assigned_on=date(2026, 6, 10),
    )
    assert (proposal.due_on, proposal.due_provisional) == (date(2026, 9, 10), False)
    assert not Proposal.objects.filter(due_provisional=True).exists()


def test_the_uploaded_sheet_is_emptied_once_imported_and_an_abandoned_one_deleted(edu, people):
    content = xlsx([["GD1", "2026-12-01 09:00", "咨询", "招生", "问招生", "", "李四"]])
    batch = services.batch_upload(
        agency=edu, actor=people["jingban"], platform="12345", filename="a.xlsx", content=content
    )
    assert batch.sha256 == hashlib.sha256(content).hexdigest()
    services.batch_confirm(batch=batch, actor=people["jingban"], today=TODAY)
    batch.refresh_from_db()
    assert bytes(batch.content) == b"" and batch.sha256 == hashlib.sha256(content).hexdigest()
    assert WorkOrder.objects.get().number == "GD1"  # what the sheet said is in the register

    abandoned = services.batch_upload(
        agency=edu, actor=people["jingban"], platform="12345", filename="b.xlsx", content=content
    )
    fresh = services.batch_upload(
        agency=edu, actor=people["jingban"], platform="12345", filename="c.xlsx", content=content
    )
    ImportBatch.objects.filter(pk=abandoned.pk).update(created_at=timezone.now() - timedelta(days=8))
    assert services.purge_stale_batches(now=timezone.now()) == 1
    assert set(ImportBatch.objects.values_list("pk", flat=True)) == {batch.pk, fresh.pk}
