"""The office behind the desk walked end to end in the browser (issue 16, "Done when"), one case from
the 12345 hotline to the archive, reusing the steps of test_routing.py, test_applicant_register.py and
test_delivery_archive.py:

1. receipt: a 12345 work order registered as an application keeps its origin, the order's number
   and the day it reached the office (第三十一条); the applicant's earlier answered request is flagged
   as a possible 重复申请 with that case, and the outcome only offered (第三十六条（六）);
2. routing (承办): assigned to two units at once; 计划财务股 answers with a file and a 拟办意见,
   基础教育股 returns it as 不属于本单位; the office reassigns it to 招生考试中心 with a date of its own;
3. 督办: 招生考试中心 misses that date; the morning job reminds the unit, then tells its head, each
   step in the case log and each a reminder in the outbox by e-mail and SMS, no SMS timed for the
   night (§7); then the unit answers;
4. the office's draft reply, passed by 法制审核 (this office reviews every outcome, §2), signed off by
   the office head then the leader (the agency's chain for 予以公开), issued by post;
5. delivery by EMS with its tracking number, the date served and the tracking printout as proof;
6. the archive: the case filed, the package downloaded and opened (the index PDF first, then the
   documents in order, SHA256SUMS over them).

"Today" is frozen for the live server (``localtime.local_today``), so the walk
runs the same on any real date. March 2026, all working days: order received Mon 03-09, registered
03-10; internal deadline chosen 03-13; chased 03-16 and 03-18; reply signed 03-19, posted 03-20,
served Mon 03-23.
"""

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from gongkai import localtime
from gongkai.accounts.models import Agency, Role, Unit
from gongkai.applications.models import Application
from gongkai.applications.services import application_transition, assignments_chase
from gongkai.notifications.models import OutboxMessage, Preference
from gongkai.workorders.models import WorkOrder
from tests.factories import APPLICANT, PASSWORD, MembershipFactory, UserFactory, submit_application

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# the applicant wants the letters by post: the reply goes by EMS
BY_POST = {**APPLICANT, "delivery_form": "paper", "delivery_channel": "post"}
ZHAOKAO = "招生考试中心"  # the third unit, the one the office reassigns to


@dataclass
class Office:
    edu: Agency
    earlier: Application  # the applicant's request answered before
    order: WorkOrder  # the 12345 work order the case starts from


@pytest.fixture
def today(monkeypatch):
    def _set(day: date):
        monkeypatch.setattr(localtime, "local_today", lambda: day)

    return _set


# -- small steps shared by the stages (as in the three e2e files this walk borrows from) ---------------


def _act(page, action: str):
    page.click(f"[data-testid=action][data-action={action}]")
    expect(page.locator("form[data-testid=action-form]")).to_have_attribute("data-action", action)


def _submit(page):
    page.click("[data-testid=action-submit]")
    expect(page.locator(".messages")).to_contain_text("已")


def _switch_user(page, login, username: str, password: str = "gongkai-demo"):
    page.context.clear_cookies()
    login(username, password)


def _download(page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    return Path(info.value.path()).read_bytes()


def _open_assignment(page, live_server, app: Application):
    """A unit's staff open the case from their unit's work list."""
    page.goto(f"{live_server.url}/work/applications/units/")
    page.click(f"text={app.tracking_number}")


def _pdf_text(data: bytes) -> str:
    """A PDF's text without line breaks (table cells wrap mid-word)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "".join(p.extract_text() or "" for p in pdf.pages).replace("\n", "")


# -- the office as it stands before the walk ----------------------------------------------------------


def _set_up_office() -> Office:
    """The demo bureau plus: the applicant's earlier request (answered on the spot 03-03), a third
    unit (招生考试中心, a 直属单位, with its 承办人 and 负责人) and the 12345 order received 03-09."""
    edu = Agency.objects.get(code="demo-edu")
    clerk = get_user_model().objects.get(username="jingban")
    earlier = submit_application(agency=edu, registered_by=clerk, received=date(2026, 3, 2)).application
    application_transition(
        application=earlier,
        action="answer_on_the_spot",
        actor=clerk,
        actor_roles={"clerk"},
        fields={"outcome_code": "already_public", "legal_basis": "第三十六条（一）", "replied_on": date(2026, 3, 3)},
        today=date(2026, 3, 3),
    )
    zhaokao = Unit.objects.create(agency=edu, name=ZHAOKAO, kind=Unit.Kind.AFFILIATE)
    for username, role, last, first in (
        ("chengban3", Role.UNIT_STAFF, "郑", "洁"),
        ("fuzeren3", Role.UNIT_HEAD, "冯", "刚"),
    ):
        user = UserFactory(username=username, last_name=last, first_name=first, email=f"{username}@example.org")
        MembershipFactory(user=user, agency=edu, role=role, unit=zhaokao)
        # reminders by e-mail and by SMS (issue 16 §7)
        Preference.objects.create(user=user, email_enabled=True, sms_enabled=True, phone="13900000003")
    # this office wants every reply's draft checked by 法制审核 before sign-off, 予以公开 included
    edu.legal_review_outcomes = sorted({*(edu.legal_review_outcomes or []), "disclosed"})
    edu.save(update_fields=["legal_review_outcomes"])
    order = WorkOrder.objects.create(
        agency=edu,
        platform="12345",
        number="GD2026030009",
        category="consult",
        title="要求公开招生划片方案",
        content="请公开示范区2025年度义务教育阶段招生划片方案",
        received_at=datetime(2026, 3, 9, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
        received_on=date(2026, 3, 9),
        due_on=date(2026, 3, 16),
    )
    return Office(edu=edu, earlier=earlier, order=order)


# -- 1. receipt -------------------------------------------------------------------------------------


def _register_the_work_order(page, live_server, office: Office) -> Application:
    page.goto(f"{live_server.url}/work/workorders/{office.order.pk}/")
    page.click("[data-testid=to-application]")
    expect(page.locator("#id_reached_on")).to_have_value("2026-03-09")
    page.select_option("#id_channel", "oral")
    page.select_option("#id_applicant_type", BY_POST["applicant_type"])
    page.fill("#id_applicant_name", BY_POST["applicant_name"])
    page.select_option("#id_id_document_type", BY_POST["id_document_type"])
    page.fill("#id_id_document_number", BY_POST["id_document_number"])
    page.fill("#id_phone", BY_POST["phone"])
    page.fill("#id_address", "示范区人民路1号")
    page.select_option("#id_delivery_form", BY_POST["delivery_form"])
    page.select_option("#id_delivery_channel", BY_POST["delivery_channel"])
    page.select_option("#id_identity_check", "unverified")
    page.set_input_files(
        "#id_original_papers", {"name": "12345工单GD2026030009.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.click("[data-testid=to-application-submit]")
    expect(page.locator(".messages")).to_contain_text("申请记录中注明来自工单GD2026030009")
    app = Application.objects.get(intake__origin_reference="GD2026030009")
    assert app.received_on == date(2026, 3, 9)  # the day the order reached the office (第三十一条)
    return app


def _check_origin_and_repeat(page, case: str, office: Office):
    """The case page keeps where the case came from, and flags the applicant's earlier request
    without deciding anything."""
    page.goto(case)
    intake = page.locator("[data-testid=intake]")
    expect(intake).to_contain_text("12345工单转来")
    expect(intake).to_contain_text("GD2026030009")
    expect(intake).to_contain_text("2026-03-09")
    expect(page.locator("[data-testid=intake-files]")).to_contain_text("12345工单GD2026030009.pdf")
    repeat = page.locator("[data-testid=repeat]")
    expect(repeat).to_have_count(1)
    expect(repeat).to_have_attribute("data-earlier", office.earlier.tracking_number)
    expect(repeat).to_contain_text("2026年3月3日答复：已主动公开")
    page.click("[data-testid=offer-duplicate]")
    expect(page.locator("#id_outcome_code")).to_have_value("duplicate")
    page.go_back()
    expect(page.locator("[data-testid=state]")).to_have_attribute("data-state", "received")
    # the office's judgement, not the system's: it wants the plan's papers from the units this time
    _act(page, "start_processing")
    _submit(page)


# -- 2. routing -------------------------------------------------------------------------------------


def _assign(page, case: str, units: list[str], *, due: str = "", instructions: str):
    page.goto(case)
    page.click("[data-testid=assign-link]")
    for unit in units:
        page.check(f"label:has-text('{unit}') input")
    page.fill("#id_due", due)
    page.fill("#id_instructions", instructions)
    page.click("[data-testid=assign-submit]")


def _unit_returns_it(page, live_server, login, app: Application):
    _switch_user(page, login, "chengban1")
    _open_assignment(page, live_server, app)
    page.click("[data-testid=action][data-action=return_to_office]")
    page.check("input[name=return_kind][value=not_ours]")
    page.fill("#id_reason", "招生划片示意图由招生考试中心制作并保存")
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=assignment-state]").first).to_have_text("已退回")


def _unit_answers(page, live_server, login, app: Application, tmp_path, *, who, password, opinion, file_name):
    _switch_user(page, login, who, password)
    _open_assignment(page, live_server, app)
    page.click("[data-testid=action][data-action=accept]")
    page.click("[data-testid=action-submit]")
    page.click("[data-testid=action][data-action=answer]")
    page.select_option("#id_proposed_outcome", "disclosed")
    page.fill("#id_opinion", opinion)
    found = tmp_path / file_name
    found.write_bytes(PDF + file_name.encode())
    page.set_input_files("#id_material", str(found))
    page.click("[data-testid=action-submit]")
    expect(page.locator("[data-testid=assignment-state]").first).to_have_text("已提交承办意见")


# -- 3. 督办 -----------------------------------------------------------------------------------------


def _morning_job(today, day: date):
    """What the morning task (applications.tasks.refresh_deadlines_task) does about the units."""
    today(day)
    assignments_chase(today=day)


# -- 4. the reply ------------------------------------------------------------------------------------


def _draft_reply(page, case: str):
    page.goto(case)
    _act(page, "submit_reply_for_review")  # the office has 予以公开 reviewed too
    page.select_option("#id_outcome_code", "disclosed")
    expect(page.locator("#id_legal_basis")).to_have_value("第三十六条（二）")
    _submit(page)
    expect(page.locator("[data-testid=state]")).to_have_text("答复待法制审核")


def _legal_review_passes(page, login, case: str):
    """The legal reviewer reads the draft, cannot sign it, and passes it: the office head's turn."""
    _switch_user(page, login, "fazhi")
    page.goto(case)
    expect(page.locator("[data-testid=action][data-action=sign_off_reply]")).to_have_count(0)
    _act(page, "pass_legal_review")
    expect(page.locator("[data-testid=pending-reply]")).to_contain_text("予以公开")
    page.fill("#id_comment", "经审核，答复内容和依据合法")
    _submit(page)
    expect(page.locator("[data-testid=state]")).to_have_text("答复待签发")


def _chase_reached_the_unit(page, login, live_server):
    """The office's outbox holds the 督办 reminders to the unit's 承办人 and its head, by e-mail and by
    SMS; no SMS may go out at night (21:00–08:00): its earliest sending time is in the day."""
    _switch_user(page, login, "jingban")
    page.goto(f"{live_server.url}/work/notifications/outbox/")
    rows = page.locator("[data-testid=outbox-row]")
    for name in ("郑洁", "冯刚"):
        mine = rows.filter(has_text=name)
        expect(mine.and_(page.locator("[data-channel=email]"))).to_have_count(1)
        expect(mine.and_(page.locator("[data-channel=sms]"))).to_have_count(1)
    for m in OutboxMessage.objects.filter(channel="sms"):
        local = timezone.localtime(m.not_before).time()
        assert time(8, 0) <= local < time(21, 0), (m.recipient_label, local)


def _sign_off(page, live_server, login, app: Application, who: str, then: str):
    _switch_user(page, login, who)
    page.goto(f"{live_server.url}/work/applications/approvals/")
    row = page.locator("[data-testid=sign-off-row]").filter(has_text=app.tracking_number)
    row.locator("a[data-action=sign_off_reply]").click()
    expect(page.locator("[data-testid=pending-reply]")).to_contain_text("予以公开")
    expect(page.locator("[data-testid=reply-letter]")).to_contain_text(app.tracking_number)
    _submit(page)
    expect(page.locator("[data-testid=state]")).to_have_text(then)


def _issue_by_post(page, live_server, case: str, app: Application):
    page.goto(f"{live_server.url}/work/applications/{app.pk}/letters/")
    need = page.locator("[data-testid=letter-need][data-kind=reply_granted]")
    need.locator("[data-testid=generate]").click()
    expect(need.locator("[data-testid=letter]")).to_have_count(1)
    page.goto(case)
    _act(page, "issue_reply")
    page.select_option("#id_issued_via", "post")
    page.check("#id_confirm_irreversible")
    _submit(page)
    expect(page.locator("[data-testid=state]")).to_have_text("已答复")


# -- 5. delivery -------------------------------------------------------------------------------------


def _post_by_ems(page, case: str):
    page.goto(case)
    page.click("[data-testid=delivery-link]")
    form = page.locator("form[data-testid=delivery-form]")
    form.locator("#id_method").select_option("ems")
    form.locator("#id_sent_on").fill("2026-03-20")
    form.locator("#id_tracking_number").fill("EA123456785CN")
    form.locator("#id_address").fill("示范区人民路1号")
    page.click("[data-testid=delivery-submit]")
    record = page.locator("[data-testid=delivery-record][data-method=ems]")
    expect(record.locator("[data-testid=served-on]")).to_contain_text("待登记送达日期")


def _record_served(page, case: str):
    page.goto(f"{case}delivery/")
    served = page.locator("form[data-testid=served-form]")
    served.locator("input[name=served_on]").fill("2026-03-23")
    served.locator("input[name=signed_by]").fill("刘洋")
    served.locator("button").click()
    record = page.locator("[data-testid=delivery-record][data-method=ems]")
    expect(record.locator("[data-testid=served-on]")).to_have_text("2026年3月23日")
    proof_form = page.locator("form[data-testid=proof-form]")
    proof_form.locator("select[name=kind]").select_option("tracking")
    proof_form.locator("input[type=file]").set_input_files(
        {"name": "EMS妥投.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% tracking printout\n"}
    )
    proof_form.locator("button").click()
    expect(page.locator("[data-testid=proof]")).to_have_text("邮件查询记录（妥投证明）")


# -- 6. the archive ----------------------------------------------------------------------------------


def _file_and_download(page, case: str) -> zipfile.ZipFile:
    page.goto(f"{case}delivery/")
    page.click("[data-testid=archive-submit]")
    expect(page.locator("[data-testid=archived]")).to_contain_text("保管至2036年12月31日")
    return zipfile.ZipFile(io.BytesIO(_download(page, "[data-testid=archive-package]")))


def _check_archive_pdf(data: bytes, app: Application):
    """The 卷内目录 at the head of the case file names the case, when it was concluded and filed, how
    long it is kept, the reply's number and the EMS item (its table cells wrap, so the titles are
    checked through the file names above rather than read back from the PDF)."""
    assert data.startswith(b"%PDF-")
    text = _pdf_text(data)
    for expected in (
        "卷内目录",
        app.tracking_number,
        "办结 2026年3月20日",
        "归档 2026年3月23日",
        "保管至2036年12月31日",
        "示教信公〔2026〕1号",
        "EA123456785CN",
    ):
        assert expected in text, expected


# -- the walk ----------------------------------------------------------------------------------------


def test_a_forwarded_case_walks_from_the_hotline_through_two_units_and_a_late_one_to_the_archive(
    demo, page, live_server, login, today, tmp_path
):
    today(date(2026, 3, 10))
    office = _set_up_office()

    # 1. receipt: the 12345 order registered as an application; origin kept, repeat flagged
    login("jingban")
    app = _register_the_work_order(page, live_server, office)
    case = f"{live_server.url}/work/applications/{app.pk}/"
    _check_origin_and_repeat(page, case, office)

    # 2. routing: two units at once (会签), the agency's default of 10 working days
    _assign(page, case, ["基础教育股", "计划财务股"], instructions="请查找2025年度义务教育阶段招生划片方案")
    rows = page.locator("[data-testid=routing] [data-testid=assignment]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("2026年3月24日")

    today(date(2026, 3, 11))
    _unit_returns_it(page, live_server, login, app)
    _unit_answers(
        page,
        live_server,
        login,
        app,
        tmp_path,
        who="chengban2",
        password="gongkai-demo",
        opinion="本股制作并保存该方案，建议予以公开",
        file_name="划片方案.pdf",
    )

    # the office sees who has answered, and reassigns what came back, with a date of its own
    _switch_user(page, login, "jingban")
    page.goto(case)
    routing = page.locator("[data-testid=routing]")
    expect(routing.locator("[data-unit=基础教育股]")).to_contain_text(
        "不属于本单位：招生划片示意图由招生考试中心制作并保存"
    )
    expect(routing.locator("[data-unit=计划财务股]")).to_contain_text("予以公开：本股制作并保存该方案，建议予以公开")
    returned = page.locator("[data-testid=event]").filter(
        has=page.locator("[data-testid=event-action]", has_text="承办单位退回办公室")
    )
    expect(returned.locator("dt")).to_have_text(["承办单位", "退回原因类别", "理由"])  # the unit's reason, not 延期理由
    _assign(page, case, [ZHAOKAO], due="2026-03-13", instructions="请提供2025年度招生划片示意图")
    expect(routing.locator(f"[data-unit={ZHAOKAO}]")).to_contain_text("2026年3月13日")

    # 3. 督办: nothing from 招生考试中心 by 03-13; the morning job chases it step by step
    _morning_job(today, date(2026, 3, 16))  # 1 working day late: the unit is reminded
    _morning_job(today, date(2026, 3, 18))  # 3 working days late: its head is told
    page.goto(case)
    expect(routing.locator(f"[data-unit={ZHAOKAO}] [data-testid=overdue]")).to_have_text("已超期")
    chases = page.locator("[data-testid=event]").filter(has=page.locator("[data-testid=event-action]", has_text="督办"))
    expect(chases).to_have_count(2)
    expect(chases.nth(0)).to_contain_text("提醒承办单位")
    expect(chases.nth(0)).to_contain_text("郑洁")
    expect(chases.nth(1)).to_contain_text("告知股室负责人")
    expect(chases.nth(1)).to_contain_text("冯刚")
    _chase_reached_the_unit(page, login, live_server)  # §7: the reminders wait in the outbox
    _unit_answers(
        page,
        live_server,
        login,
        app,
        tmp_path,
        who="chengban3",
        password=PASSWORD,
        opinion="本中心制作并保存该示意图，建议予以公开",
        file_name="划片示意图.pdf",
    )

    # 4. the office drafts the reply from the units' answers
    _switch_user(page, login, "jingban")
    page.goto(case)
    expect(routing.locator("[data-testid=assignment-state]")).to_have_text(
        ["已退回", "已提交承办意见", "已提交承办意见"]
    )
    _draft_reply(page, case)

    _legal_review_passes(page, login, case)  # §2: 法制审核 before the office head signs

    # sign-off as the agency's chain for 予以公开 requires: the office head, then the leader
    today(date(2026, 3, 19))
    _sign_off(page, live_server, login, app, "zhuren", then="答复待局领导签发")
    _sign_off(page, live_server, login, app, "lingdao", then="答复已签发待送达")

    today(date(2026, 3, 20))
    _switch_user(page, login, "jingban")
    _issue_by_post(page, live_server, case, app)

    # 5. delivery by EMS, served on Monday 03-23
    _post_by_ems(page, case)
    today(date(2026, 3, 23))
    _record_served(page, case)

    # the case log has every step, in order
    page.goto(case)
    expect(page.locator("[data-testid=state]")).to_have_attribute("data-state", "replied")
    log = [t.strip() for t in page.locator("[data-testid=event-action]").all_inner_texts()]
    for step in (
        "交办承办单位",
        "承办单位退回办公室",
        "承办单位提交承办意见",
        "督办",
        "提交审核",
        "法制审核通过",
        "签发答复",
        "登记送达日期",
    ):
        assert step in log, (step, log)

    # 6. filed, and the package opened: the index, then the documents in order, then their checksums
    package = _file_and_download(page, case)
    names = package.namelist()
    assert names == [
        "00-卷内目录及案卷.pdf",
        "01-政府信息公开申请（登记内容）.pdf",
        "02-转来的原件材料：12345工单GD2026030009.pdf",  # the work order it was forwarded with
        "03-政府信息公开申请回执.pdf",
        "04-答复书（予以公开）（生成稿，未上传签章版）.docx",
        "05-答复书（予以公开）送达凭证：邮件查询记录（妥投证明）.pdf",
        "06-公开的政府信息：划片方案.pdf",  # the units' files, in the order they answered
        "07-公开的政府信息：划片示意图.pdf",
        "08-办理记录.pdf",
        "SHA256SUMS.txt",
    ]
    sums = dict(line.split("  ")[::-1] for line in package.read("SHA256SUMS.txt").decode().splitlines())
    assert set(sums) == set(names[1:-1])
    for name in names[1:-1]:
        assert sums[name] == hashlib.sha256(package.read(name)).hexdigest()
    assert package.read(names[6]) == PDF + "划片方案.pdf".encode()
    assert package.read(names[7]) == PDF + "划片示意图.pdf".encode()
    _check_archive_pdf(package.read(names[0]), app)
    log_pdf = _pdf_text(package.read("08-办理记录.pdf"))
    for text in ("GD2026030009", "督办", "提醒承办单位", "告知股室负责人", "EA123456785CN"):
        assert text in log_pdf, text
    # the served date: a table cell may wrap mid-date, and the text layer then interleaves the cell
    # beside it ("2026年3月日期 23日"); the date's two halves follow 送达日期 in that order
    assert re.search(r"送达日期：2026年3月.{0,8}23日", log_pdf), log_pdf
