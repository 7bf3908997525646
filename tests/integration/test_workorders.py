"""The work-order register: the import of a platform's sheet (preview, duplicates, errors per row,
a changed column order, the limits), the moves through the workflow's check, the export in the
platform's layout, the statistics, the pages and the dashboard panel."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from openpyxl import Workbook, load_workbook

from gongkai import localtime
from gongkai.accounts.models import Agency, Membership, Role
from gongkai.demo.accounts import seed_demo
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError
from gongkai.domain.workorders.importing import SheetError
from gongkai.workorders import selectors, services
from gongkai.workorders.models import ImportBatch, PlatformSettings, WorkOrder, WorkOrderEvent

pytestmark = pytest.mark.django_db

TODAY = date(2026, 7, 1)
HEAD = ["工单编号", "受理时间", "诉求类型", "诉求标题", "诉求内容", "承办单位", "来电人"]


def xlsx(rows, head=HEAD) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(head)
    for r in rows:
        ws.append(r)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # as a platform exports text: "=…" typed by a citizen is not a formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def people():
    seed_demo()
    User = get_user_model()
    users = {u: User.objects.get(username=u) for u in ("jingban", "zhuren", "lingdao", "jiandu")}
    other = User.objects.create_user("weijian")
    Membership.objects.create(user=other, agency=Agency.objects.get(code="demo-health"), role=Role.CLERK)
    users["weijian"] = other
    return users


@pytest.fixture
def edu(people):
    return Agency.objects.get(code="demo-edu")


ROWS = [
    ["GD2026060001", "2026-06-01 09:30", "投诉", "学校周边施工噪音", "晚间施工影响学生休息", "", "张三"],
    ["GD2026060002", "2026/6/2", "咨询", '=HYPERLINK("http://x","招生")', "问招生政策", "基础教育科", "李四"],
    ["GD2026060003", "下周", "吐槽", "", "", "", ""],
]


def _import(edu, user, rows=ROWS, head=HEAD, name="12345.xlsx", platform="12345", content=None):
    batch = services.batch_upload(
        agency=edu, actor=user, platform=platform, filename=name, content=content or xlsx(rows, head)
    )
    return batch, services.batch_preview(batch, today=TODAY)


def test_preview_then_confirm_imports_the_valid_rows_in_one_go(edu, people):
    batch, preview = _import(edu, people["jingban"])
    assert [r.line for r in preview.valid] == [2, 3]
    assert preview.rejected[0].errors[0].startswith("“受理时间”无法识别：“下周”")
    assert WorkOrder.objects.count() == 0  # the preview writes nothing
    # 1 June 2026 (Monday) + 5 working days: 8 June
    assert preview.rows[0].values["due_on"] == date(2026, 6, 8)
    services.batch_confirm(batch=batch, actor=people["jingban"], today=TODAY)
    batch.refresh_from_db()
    assert (batch.imported, batch.rejected, batch.duplicates) == (2, 1, [])
    o1, o2 = WorkOrder.objects.order_by("number")
    assert (o1.state, o2.state) == ("received", "assigned")  # a unit in the sheet assigns it
    assert o2.unit == "基础教育科"
    assert WorkOrderEvent.objects.filter(action="import").count() == 2
    with pytest.raises(TransitionNotAllowed, match="已经导入"):
        services.batch_confirm(batch=batch, actor=people["jingban"], today=TODAY)


def test_a_second_sheet_with_a_changed_column_order_skips_and_lists_duplicates(edu, people):
    batch, _ = _import(edu, people["jingban"])
    services.batch_confirm(batch=batch, actor=people["jingban"], today=TODAY)
    order = [6, 2, 1, 0, 3, 4, 5]
    head = [HEAD[i] for i in order]
    rows = [[r[i] for i in order] for r in [ROWS[0], ["GD2026060009", "2026年6月9日", "求助", "t", "c", "", ""]]]
    csv_text = "\n".join(",".join(str(c) for c in r) for r in [head, *rows]).encode("gb18030")
    batch2, preview = _import(edu, people["jingban"], content=csv_text, name="export.csv")
    assert [r.values["duplicate"] for r in preview.rows] == [True, False]
    services.batch_confirm(batch=batch2, actor=people["jingban"], today=TODAY)
    batch2.refresh_from_db()
    assert batch2.duplicates == ["GD2026060001"] and batch2.imported == 1
    assert WorkOrder.objects.filter(number="GD2026060001").count() == 1


def test_hostile_files_are_refused_whole(edu, people):
    with pytest.raises(SheetError, match="只能导入"):
        _import(edu, people["jingban"], name="x.xls")
    with pytest.raises(SheetError, match="无法打开"):
        _import(edu, people["jingban"], content=b"PK\x03\x04 not a zip")
    with pytest.raises(SheetError, match="找不到"):
        _import(edu, people["jingban"], head=["编号", "时间"], rows=[])
    from gongkai.domain.workorders.importing import MAX_BYTES
    from gongkai.workorders import sheets

    with pytest.raises(SheetError, match="文件超过5MB"):
        sheets.check_size(b"x" * (MAX_BYTES + 1))
    assert ImportBatch.objects.count() == 0


def test_only_staff_of_the_agency_import(edu, people):
    with pytest.raises(TransitionNotAllowed):
        _import(edu, people["lingdao"])
    with pytest.raises(TransitionNotAllowed):
        _import(edu, people["weijian"])


def _one(edu, people):
    batch, _ = _import(edu, people["jingban"], rows=ROWS[:1])
    services.batch_confirm(batch=batch, actor=people["jingban"], today=TODAY)
    return WorkOrder.objects.get()


def _act(o, action, user, **fields):
    return services.order_act(order=o, action=action, actor=user, today=TODAY, fields=fields)


def test_assign_reply_rate_reopen_and_the_log(edu, people):
    o = _one(edu, people)
    clerk = people["jingban"]
    o = _act(o, "assign", clerk, unit="基础教育科")
    with pytest.raises(FieldError, match="不能早于受理日期"):
        _act(o, "reply", clerk, reply_text="已处理", replied_on=date(2026, 5, 1))
    o = _act(o, "reply", clerk, reply_text="已责成施工方夜间停工", replied_on=date(2026, 6, 5))
    o = _act(o, "rate", clerk, rating="dissatisfied", rated_on=date(2026, 6, 6))
    o = _act(o, "reopen", clerk, comment="群众不满意，平台退回")
    assert (o.state, o.reopened, o.rating) == ("reopened", 1, "")
    o = _act(o, "reply", clerk, reply_text="施工方已调整作业时间", replied_on=date(2026, 6, 20))
    # the on-time rate counts the first reply (5 June, before the 8 June deadline)
    assert o.first_replied_on == date(2026, 6, 5) and o.replied_on == date(2026, 6, 20)
    assert [e.action for e in o.events.order_by("id")] == ["import", "assign", "reply", "rate", "reopen", "reply"]
    with pytest.raises(TransitionNotAllowed):
        _act(o, "rate", people["lingdao"], rating="satisfied", rated_on=date(2026, 6, 21))


def test_export_uses_the_layout_of_the_imported_sheet_and_neutralises_formulas(edu, people):
    batch, _ = _import(edu, people["jingban"])
    services.batch_confirm(batch=batch, actor=people["jingban"], today=TODAY)
    o = WorkOrder.objects.get(number="GD2026060002")
    _act(o, "reply", people["jingban"], reply_text="=1+1 招生政策见官网", replied_on=date(2026, 6, 3))
    ws = load_workbook(io.BytesIO(services.export_replies(agency=edu, platform="12345"))).active
    rows = list(ws.values)
    assert list(rows[0]) == HEAD + ["答复内容", "答复时间", "办理状态"]
    assert len(rows) == 2  # only replied orders
    assert rows[1][0] == "GD2026060002" and rows[1][6] is None  # 来电人 is not kept: left blank
    assert rows[1][3].startswith("'=HYPERLINK") and rows[1][7] == "'=1+1 招生政策见官网"


def test_statistics_count_reply_on_time_and_satisfaction(edu, people):
    batch, _ = _import(edu, people["jingban"])
    services.batch_confirm(batch=batch, actor=people["jingban"], today=TODAY)
    a, b = WorkOrder.objects.order_by("number")
    _act(a, "assign", people["jingban"], unit="安全科")
    a = _act(WorkOrder.objects.get(pk=a.pk), "reply", people["jingban"], reply_text="r", replied_on=date(2026, 6, 30))
    _act(a, "rate", people["jingban"], rating="satisfied", rated_on=date(2026, 6, 30))
    rows, total = selectors.statistics(edu, year=2026, by="category")
    assert (total.received, total.replied, total.on_time, total.rated, total.satisfied) == (2, 1, 0, 1, 1)
    assert total.sentence() == "收到工单2件，回复1件，回复率50%"
    assert {r.label: r.figures.received for r in rows} == {"投诉": 1, "咨询": 1}
    by_month, _ = selectors.statistics(edu, year=2026, by="month")
    assert [r.label for r in by_month] == ["6月"]


def test_settings_change_the_deadline_and_the_mapping(edu, people):
    with pytest.raises(TransitionNotAllowed):
        services.platform_settings_update(
            agency=edu, actor=people["jingban"], platform="12345", amount=3, unit="hours", mapping={}
        )
    services.platform_settings_update(
        agency=edu,
        actor=people["zhuren"],
        platform="12345",
        amount=48,
        unit="hours",
        mapping={"number": "单号", "received_at": "受理时间", "category": "诉求类型"},
    )
    _, preview = _import(
        edu, people["jingban"], head=["单号", "受理时间", "诉求类型"], rows=[["A1", "2026-06-05 10:00", "求助"]]
    )
    assert preview.rows[0].values["due_on"] == date(2026, 6, 7)  # 48 hours on the clock
    assert PlatformSettings.objects.get().mapping["number"] == "单号"


def test_pages_the_preview_and_the_dashboard(client, edu, people, monkeypatch):
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    client.force_login(people["jingban"])
    assert client.get("/work/workorders/").status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("12345.xlsx", xlsx(ROWS))
    r = client.post("/work/workorders/import/", {"agency": edu.pk, "platform": "12345", "file": upload})
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "“受理时间”无法识别：“下周”" in page and "可导入" in page
    batch = ImportBatch.objects.get()
    r = client.post(f"/work/workorders/import/{batch.pk}/confirm/")
    assert r.status_code == 302 and WorkOrder.objects.count() == 2
    o = WorkOrder.objects.get(number="GD2026060001")
    assert "分派承办单位" in client.get(f"/work/workorders/{o.pk}/").content.decode()
    r = client.post(f"/work/workorders/{o.pk}/act/assign/", {"unit": "安全科"})
    assert r.status_code == 302
    assert "收到工单2件" in client.get("/work/workorders/statistics/?by=platform").content.decode()
    export = client.get(f"/work/workorders/export/?agency={edu.code}&platform=12345&year=all")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "在办工单" in client.get("/work/").content.decode()
    # another agency's clerk neither sees the order nor the batch
    client.force_login(people["weijian"])
    assert client.get(f"/work/workorders/{o.pk}/").status_code == 404
    assert client.get(f"/work/workorders/import/{batch.pk}/").status_code == 404


def test_a_concurrent_duplicate_imports_nothing(edu, people):
    batch, _ = _import(edu, people["jingban"])
    batch2, _ = _import(edu, people["jingban"])
    services.batch_confirm(batch=batch2, actor=people["jingban"], today=TODAY)
    # batch's confirmation re-reads the register: its rows are now duplicates, none is created twice
    services.batch_confirm(batch=batch, actor=people["jingban"], today=TODAY)
    batch.refresh_from_db()
    assert batch.imported == 0 and len(batch.duplicates) == 2
    assert WorkOrder.objects.count() == 2
    assert DomainError


def test_the_demo_imports_two_years_of_orders_from_its_own_sheets(people):
    from gongkai.demo.workorders import seed_workorders

    made = seed_workorders(today=TODAY)
    assert made > 50 and seed_workorders(today=TODAY) == 0
    edu = Agency.objects.get(code="demo-edu")
    assert set(WorkOrder.objects.values_list("platform", flat=True)) == {"12345", "provincial", "mailbox"}
    assert ImportBatch.objects.filter(status="imported").count() == 6  # each platform, last year and this
    _, total = selectors.statistics(edu, year=2026, by="month")
    assert 0 < total.replied < total.received and total.rated > 0
    assert WorkOrder.objects.filter(reopened__gt=0).exists()
    assert not WorkOrder.objects.filter(replied_on__gt=TODAY).exists()


def test_an_order_that_is_a_disclosure_request_becomes_an_application_keeping_its_origin(
    client, edu, people, monkeypatch
):
    import uuid

    from gongkai.applications.models import Application, CaseEvent
    from tests.integration.test_applications_staff import APPLICANT

    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    o = _one(edu, people)
    client.force_login(people["jingban"])
    assert "转为依申请公开办理" in client.get(f"/work/workorders/{o.pk}/").content.decode()
    form = {
        **APPLICANT,
        "channel": "oral",
        "handed_in_on": "2026-06-01",
        "submission_token": str(uuid.uuid4()),
        "agency": str(edu.pk),
    }
    r = client.post(f"/work/workorders/{o.pk}/to-application/", form)
    assert r.status_code == 302, r.content.decode()[:2000]
    app = Application.objects.get()
    o.refresh_from_db()
    assert o.application == app and app.received_on == date(2026, 6, 1)
    first = CaseEvent.objects.get(application=app, seq=1)
    assert first.fields["note"] == "由12345政务服务便民热线工单GD2026060001转为依申请公开办理"
    assert o.events.filter(action="to_application", details__application=app.tracking_number).exists()
    assert app.tracking_number in client.get(f"/work/workorders/{o.pk}/").content.decode()
    # once only; and not by the office head, who does not register applications
    assert client.get(f"/work/workorders/{o.pk}/to-application/").status_code == 403
    with pytest.raises(TransitionNotAllowed, match="不能重复登记"):
        services.order_to_application(
            order=o, actor=people["jingban"], today=TODAY, channel="oral", applicant={}, receipt_dates={}
        )


def test_a_sheet_that_unpacks_too_big_or_an_upload_too_large_is_refused_in_chinese(client, edu, people, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.workorders import sheets

    monkeypatch.setattr(sheets, "MAX_UNPACKED", 1000)  # a zip bomb: small file, huge content
    with pytest.raises(SheetError, match="表格内容过大"):
        _import(edu, people["jingban"])
    monkeypatch.setattr("gongkai.workorders.forms.MAX_BYTES", 100)
    client.force_login(people["jingban"])
    upload = SimpleUploadedFile("12345.xlsx", xlsx(ROWS))
    r = client.post("/work/workorders/import/", {"agency": edu.pk, "platform": "12345", "file": upload})
    assert r.status_code == 200 and "请分批导出后再导入" in r.content.decode()
    assert ImportBatch.objects.count() == 0
