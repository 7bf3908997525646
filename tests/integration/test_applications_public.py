"""The applicant's side, through Django's test client: apply, receipt, lookup, letters.

"Today" is fixed (gongkai.localtime.local_today) so the deadlines are hand-checkable and the tests do
not depend on next year's holiday notice being entered.
"""

import io
import re
import uuid
import zipfile
from datetime import date

import pdfplumber
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.db import connection
from django.test import Client
from django.urls import reverse

from gongkai import localtime
from gongkai.accounts.models import Agency
from gongkai.applications import clock, services, views_public
from gongkai.applications.models import Application, Attachment, CaseEvent, Letter
from gongkai.workcalendar.selectors import working_calendar
from tests.factories import HEALTH, bureau
from tests.integration.signing import sign_and_issue

TODAY = date(2026, 3, 2)  # a Monday
APPLY = "/apply/"
STATUS = "/apply/status/"

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 20
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40

VALID = {
    "applicant_type": "natural_person",
    "applicant_name": "刘洋",
    "contact_person": "",
    "id_document_type": "resident_id",
    "id_document_number": "110101199001011237",
    "phone": "13800000000",
    "email": "liuyang@example.com",
    "address": "示范区学府路1号",
    "postcode": "100000",
    "description": "2025年示范区义务教育阶段招生划片方案及其制定依据",
    "document_number_hint": "示教发〔2025〕3号",
    "delivery_form": "electronic",
    "delivery_channel": "email",
}
FREE_TEXT = ("applicant_name", "contact_person", "address", "description", "document_number_hint")
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _site(request, settings, monkeypatch):
    settings.GONGKAI_APPLY_RATE = "1000/h"
    settings.GONGKAI_LOOKUP_RATE = "1000/h"
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def agency(db):
    return bureau().agency


def _token(client: Client) -> str:
    response = client.get(APPLY)
    assert response.status_code == 200
    return re.search(r'name="submission_token" value="([0-9a-f-]{36})"', response.content.decode()).group(1)


def _upload(name: str, data: bytes) -> ContentFile:
    f = ContentFile(data, name=name)
    return f


def _post(client: Client, token: str | None = None, files=(), **changes):
    data = {**VALID, **changes, "submission_token": token if token is not None else _token(client)}
    if files:
        data["attachments"] = [_upload(n, d) for n, d in files]
    return client.post(APPLY, data)


def _submit(client: Client, token: str | None = None, **changes) -> tuple[Application, str]:
    """Submit through the form; return the stored application and the code the receipt shows."""
    response = _post(client, token, **changes)
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get(response["Location"]).content.decode()
    number = re.search(r'id="tracking-number"[^>]*>([^<]+)<', html).group(1)
    code = re.search(r'id="query-code"[^>]*>([^<]+)<', html).group(1)
    return Application.objects.get(tracking_number=number), code


def _field_block(html: str, name: str) -> str:
    """The markup of one field, from its container to the next field's."""
    start = html.index(f'id="field-{name}"')
    nxt = html.find('id="field-', start + 10)
    return html[start : nxt if nxt != -1 else len(html)]


def _lookup(client: Client, number: str, code: str):
    return client.post(STATUS, {"number": number, "code": code})


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


# -- the form -------------------------------------------------------------------------------------


def test_the_form_offers_the_six_applicant_types_and_asks_no_purpose(agency, client):
    response = client.get(APPLY)
    html = response.content.decode()
    form = response.context["form"]
    for label in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"):
        assert label in html
    labels = [str(f.label) for f in form] + list(form.fields)
    assert not [x for x in labels if "用途" in x or "目的" in x or "purpose" in x]
    assert not re.search(r'name="[^"]*(purpose|usage|yongtu)[^"]*"', html)
    assert "示范区教育局" in html and 'name="csrfmiddlewaretoken"' in html


def test_a_valid_submission_stores_one_application_one_log_entry_and_its_attachments(agency, client):
    app, code = _submit(client, files=[("通知.pdf", PDF), ("照片.png", PNG), ("说明.txt", "请提供。".encode())])
    assert Application.objects.count() == 1 and CaseEvent.objects.count() == 1 and Attachment.objects.count() == 3
    assert app.agency == agency and app.channel == "online" and app.state == "received"
    assert app.received_on == TODAY and app.reply_due == working_calendar().add_working_days(TODAY, 20) == date(
        2026, 3, 30
    )
    assert app.query_code_hash == services.query_code_digest(code) and len(code) == 8
    assert sorted(app.attachments.values_list("original_name", "content_type")) == [
        ("照片.png", "image/png"),
        ("说明.txt", "text/plain"),
        ("通知.pdf", "application/pdf"),
    ]
    assert app.events.get().fields["received_on"] == "2026-03-02"


def test_the_receipt_shows_number_code_receipt_date_due_date_and_what_happens_next(agency, client):
    app, code = _submit(client)
    html = client.get(reverse("applications:public_receipt", args=[app.tracking_number])).content.decode()
    assert app.tracking_number in html and code in html
    assert "请立即记下查询码" in html
    assert "2026年3月2日" in html and "系统已在提交时自动确认收到" in html and "第三十一条" in html
    assert "2026年3月30日" in html and "20个工作日" in html
    assert "接下来会怎样" in html and reverse("applications:public_receipt_pdf", args=[app.tracking_number]) in html
    assert "110***********1237" in html and "110101199001011237" not in html


def test_a_double_post_with_the_same_token_makes_one_application_and_shows_the_same_code(agency, client):
    token = _token(client)
    first = _post(client, token)
    second = _post(client, token)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Application.objects.count() == 1 and CaseEvent.objects.count() == 1
    html = client.get(second["Location"]).content.decode()
    code = re.search(r'id="query-code"[^>]*>([^<]+)<', html).group(1)
    assert Application.objects.get().query_code_hash == services.query_code_digest(code)


def test_a_resubmission_of_the_same_form_from_another_browser_soon_after_shows_the_same_code(agency, client):
    token = _token(client)
    _post(client, token)
    first = client.get(reverse("applications:public_receipt", args=[Application.objects.get().tracking_number]))
    code = re.search(r'id="query-code"[^>]*>([^<]+)<', first.content.decode()).group(1)
    other = Client()
    html = other.get(_post(other, token)["Location"]).content.decode()
    assert Application.objects.count() == 1
    assert re.search(r'id="query-code"[^>]*>([^<]+)<', html).group(1) == code


def test_a_late_resubmission_of_the_same_form_shows_the_receipt_without_the_code(agency, client, monkeypatch):
    token = _token(client)
    _post(client, token)
    cache.clear()  # the code is kept for twin requests only for minutes
    monkeypatch.setattr(views_public, "TWIN_WAIT_SECONDS", 0.2)
    other = Client()
    html = other.get(_post(other, token)["Location"]).content.decode()
    assert Application.objects.count() == 1
    assert 'id="query-code"' not in html and "系统没有重复登记" in html
    assert Application.objects.get().tracking_number in html


def test_a_twin_request_that_fails_on_the_database_still_shows_the_stored_receipt(agency, client, monkeypatch):
    token = _token(client)
    _post(client, token)

    def locked(**kwargs):  # e.g. SQLite's "database is locked" when two clicks race
        raise RuntimeError("database is locked")

    monkeypatch.setattr(services, "application_submit", locked)
    response = _post(client, token)
    assert response.status_code == 302 and Application.objects.count() == 1
    assert re.search(r'id="query-code"', client.get(response["Location"]).content.decode())


def test_a_form_token_that_comes_back_with_another_application_neither_shows_nor_loses_anything(agency, client):
    token = _token(client)  # e.g. one form page served to two people by a misbehaving cache
    first, _ = _submit(client, token=token)
    stranger = Client()
    response = _post(stranger, token, applicant_name="另一位申请人", id_document_number="11010519491231002X")
    html = stranger.get(response["Location"]).content.decode()
    assert Application.objects.count() == 2
    second = Application.objects.exclude(pk=first.pk).get()
    assert (
        second.applicant_name == "另一位申请人" and second.tracking_number in html and first.tracking_number not in html
    )
    assert re.search(r'id="query-code"', html) and "刘洋" not in html


def test_the_form_and_the_case_pages_are_never_cached(agency, client):
    assert "no-store" in client.get(APPLY)["Cache-Control"]
    app, _ = _submit(client)
    for name in ("public_receipt", "public_receipt_pdf", "public_case"):
        assert "no-store" in client.get(reverse(f"applications:{name}", args=[app.tracking_number]))["Cache-Control"]


def test_a_tampered_token_still_submits_once(agency, client):
    assert _post(client, "not-a-uuid").status_code == 302
    assert Application.objects.count() == 1 and Application.objects.get().submission_token is None


# -- validation -----------------------------------------------------------------------------------


def test_invalid_fields_get_chinese_messages_next_to_them_and_typed_values_are_kept(agency, client):
    response = _post(
        client,
        applicant_type="commercial_enterprise",
        applicant_name="示范科技有限公司",
        id_document_type="credit_code",
        id_document_number="91350100M000100Y44",
        phone="",
        email="not-an-email",
        description="方案",
        document_number_hint="示教发〔2025〕3号",
    )
    assert response.status_code == 200 and Application.objects.count() == 0
    html = response.content.decode()
    expected = {
        "contact_person": "以单位名义申请时请填写联系人",
        "id_document_number": "统一社会信用代码校验位不正确",
        "phone": "请填写联系电话",
        "email": "请填写有效的电子邮箱地址",
        "description": "至少5个字",
    }
    for name, message in expected.items():
        assert message in _field_block(html, name), name
    assert "您填写的内容有5处需要修改" in html
    for kept in (
        "示范科技有限公司",
        "91350100M000100Y44",
        "not-an-email",
        "示范区学府路1号",
        "100000",
        "示教发〔2025〕3号",
    ):
        assert f'value="{kept}"' in html, kept
    assert re.search(r">\s*方案</textarea>", html)
    assert re.search(r'value="commercial_enterprise"[^>]*checked', html)
    assert re.search(r'value="email"[^>]*checked', html)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"id_document_number": "110101199001011238"}, "id_document_number", "居民身份证号码校验位不正确"),
        ({"id_document_number": "11010119900101123"}, "id_document_number", "居民身份证号码应为18位"),
        ({"id_document_number": "110101199002301234"}, "id_document_number", "出生日期不正确"),
        (
            {"id_document_type": "credit_code", "id_document_number": "91350100M000100Y43"},
            "id_document_type",
            "自然人请选择",
        ),
        ({"phone": "call me"}, "phone", "请填写有效的联系电话"),
        ({"postcode": "12345"}, "postcode", "邮政编码应为6位数字"),
        ({"description": "    "}, "description", "请描述您需要的政府信息"),
        ({"email": ""}, "email", "选择通过电子邮件获取时，请填写电子邮箱"),
        ({"delivery_channel": "post", "address": ""}, "address", "选择邮寄时，请填写通信地址"),
        ({"delivery_form": "inspect", "delivery_channel": "email"}, "delivery_channel", "当面领取"),
        ({"applicant_type": ""}, "applicant_type", "请选择申请人类型"),
        ({"delivery_form": ""}, "delivery_form", "请选择获取信息的形式"),
    ],
)
def test_each_rule_is_explained_in_chinese_beside_its_field(agency, client, changes, field, message):
    response = _post(client, **changes)
    assert response.status_code == 200 and Application.objects.count() == 0
    assert message in _field_block(response.content.decode(), field)


def test_an_organisation_with_a_valid_credit_code_and_a_contact_person_is_accepted(agency, client):
    app, _ = _submit(
        client,
        applicant_type="research_institution",
        applicant_name="示范教育研究院",
        contact_person="王敏",
        id_document_type="credit_code",
        id_document_number="91110000600037341L",
    )
    assert app.applicant_type == "research_institution" and app.contact_person == "王敏"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("通知.pdf", PNG, "附件“通知.pdf”的内容与扩展名不符，不是有效的PDF文件"),
        ("照片.png", JPG, "附件“照片.png”的内容与扩展名不符"),
        ("照片.jpg", PNG, "附件“照片.jpg”的内容与扩展名不符"),
        ("申请.docx", b"PK\x03\x04not really a zip", "附件“申请.docx”的内容与扩展名不符"),
        ("申请.doc", PDF, "附件“申请.doc”的内容与扩展名不符"),
        ("说明.txt", b"\x00\x01\x02binary", "附件“说明.txt”的内容与扩展名不符"),
        ("程序.exe", b"MZ\x90\x00", "附件“程序.exe”的类型不支持"),
        ("空.pdf", b"", "附件“空.pdf”是空文件"),
    ],
)
def test_an_attachment_whose_content_does_not_match_its_type_is_refused(agency, client, name, data, message):
    response = _post(client, files=[(name, data)])
    html = response.content.decode()
    assert response.status_code == 200 and Application.objects.count() == 0 and Attachment.objects.count() == 0
    assert message in _field_block(html, "attachments")
    assert "附件需重新选择" in html


def test_word_files_and_jpeg_pass_the_content_check(agency, client):
    app, _ = _submit(client, files=[("a.docx", _docx()), ("b.doc", OLE2), ("c.jpeg", JPG)])
    assert app.attachments.count() == 3


def test_a_file_one_byte_over_ten_megabytes_is_refused_and_one_at_the_limit_accepted(agency, client):
    limit = 10 * 1024 * 1024
    response = _post(client, files=[("大.pdf", b"%PDF-" + b"0" * (limit - 4))])
    assert "附件“大.pdf”超过10MB" in _field_block(response.content.decode(), "attachments")
    assert Application.objects.count() == 0
    app, _ = _submit(client, files=[("正好.pdf", b"%PDF-" + b"0" * (limit - 5))])
    assert app.attachments.get().size == limit


def test_more_than_five_attachments_are_refused(agency, client):
    response = _post(client, files=[(f"{i}.pdf", PDF) for i in range(6)])
    assert "最多上传5个附件，您选择了6个" in _field_block(response.content.decode(), "attachments")
    assert Application.objects.count() == 0


def test_the_form_needs_a_csrf_token(agency):
    client = Client(enforce_csrf_checks=True)
    assert client.post(APPLY, {**VALID, "submission_token": str(uuid.uuid4())}).status_code == 403
    assert Application.objects.count() == 0


# -- escaping -------------------------------------------------------------------------------------


def test_a_script_in_every_free_text_field_is_shown_escaped_on_the_receipt_and_status_pages(agency, client):
    typed = {name: f"{SCRIPT}{name}" for name in FREE_TEXT}
    app, code = _submit(
        client, applicant_type="other_org", id_document_type="other", id_document_number="ABC12345", **typed
    )
    receipt = client.get(reverse("applications:public_receipt", args=[app.tracking_number])).content.decode()
    status = client.get(reverse("applications:public_case", args=[app.tracking_number])).content.decode()
    for html in (receipt, status):
        assert "<script>alert(1)</script>" not in html
        for name in FREE_TEXT:
            assert f"&lt;script&gt;alert(1)&lt;/script&gt;{name}" in html, name
    invalid = _post(client, phone="", **typed).content.decode()
    assert "<script>alert(1)</script>" not in invalid and "&lt;script&gt;alert(1)&lt;/script&gt;description" in invalid


# -- rate limit -----------------------------------------------------------------------------------


def test_too_many_submissions_get_429_with_the_chinese_message_and_keep_the_typed_values(agency, client, settings):
    settings.GONGKAI_APPLY_RATE = "2/h"
    _post(client)
    _post(client)
    response = _post(client, applicant_name="第三次的申请人")
    html = response.content.decode()
    assert response.status_code == 429 and "提交过于频繁，请稍后再试" in html
    assert 'value="第三次的申请人"' in html and "2025年示范区义务教育阶段招生划片方案" in html
    assert Application.objects.count() == 2


def test_lookups_are_rate_limited_too(agency, client, settings):
    settings.GONGKAI_LOOKUP_RATE = "3/h"
    for _ in range(3):
        assert _lookup(client, "YSQ-2026-000099", "ABCDEFGH").status_code == 404
    response = _lookup(client, "YSQ-2026-000099", "ABCDEFGH")
    assert response.status_code == 429 and "查询过于频繁，请稍后再试" in response.content.decode()


# -- lookup ---------------------------------------------------------------------------------------


def test_the_right_number_and_code_open_the_status_page_in_another_browser(agency, client):
    app, code = _submit(client)
    visitor = Client()
    response = _lookup(visitor, f" {app.tracking_number.lower()} ", code.lower())
    assert response.status_code == 302 and response["Location"] == reverse(
        "applications:public_case", args=[app.tracking_number]
    )
    html = visitor.get(response["Location"]).content.decode()
    assert "已收到" in html and "2026年3月2日" in html
    assert "2026年3月30日" in html and "还剩20个工作日" in html
    assert "提交申请" in html and "网上申请" in html
    assert 'id="query-code"' not in html and code not in html


def test_a_wrong_code_and_an_unknown_number_get_identical_answers(agency, client):
    app, code = _submit(client)
    unknown = app.tracking_number[:-1] + "9"
    visitor = Client()

    def body(response, number):
        html = response.content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return html.replace(f'value="{number}"', 'value="NUMBER"')

    wrong_code = _lookup(visitor, app.tracking_number, "ABCDEFGH" if code != "ABCDEFGH" else "BCDEFGHJ")
    no_such = _lookup(visitor, unknown, code)
    assert wrong_code.status_code == no_such.status_code == 404
    assert body(wrong_code, app.tracking_number) == body(no_such, unknown)
    assert "申请编号或查询码不正确" in wrong_code.content.decode()
    assert code not in wrong_code.content.decode()


def test_guessing_case_pages_without_the_code_reveals_nothing(agency, client):
    app, _ = _submit(client)
    unknown = app.tracking_number[:-1] + "9"
    visitor = Client()
    for name, extra in (
        ("public_receipt", []),
        ("public_receipt_pdf", []),
        ("public_case", []),
        ("public_letter", [1]),
    ):
        known = visitor.get(reverse(f"applications:{name}", args=[app.tracking_number, *extra]))
        guessed = visitor.get(reverse(f"applications:{name}", args=[unknown, *extra]))
        assert known.status_code == guessed.status_code == 302, name
        assert known["Location"].replace(app.tracking_number, "N") == guessed["Location"].replace(unknown, "N")


def test_a_malformed_number_is_explained_without_looking_anything_up(agency, client):
    response = _lookup(client, "2026-1", "ABCDEFGH")
    assert response.status_code == 200 and "申请编号格式不正确" in response.content.decode()


def test_a_case_of_another_agency_is_not_found_on_this_site(agency, client):
    app, code = _submit(client)
    Application.objects.filter(pk=app.pk).update(agency=Agency.objects.get(code=HEALTH))
    assert _lookup(Client(), app.tracking_number, code).status_code == 404


def test_ending_the_lookup_forgets_the_grant(agency, client):
    app, code = _submit(client)
    visitor = Client()
    _lookup(visitor, app.tracking_number, code)
    assert visitor.get(reverse("applications:public_case", args=[app.tracking_number])).status_code == 200
    visitor.post(reverse("applications:public_forget"))
    assert visitor.get(reverse("applications:public_case", args=[app.tracking_number])).status_code == 302


# -- history and letters --------------------------------------------------------------------------


def _people():
    User = get_user_model()
    return {u: User.objects.get(username=u) for u in ("jingban", "zhuren", "lingdao")}


def _move(app, action, user, roles, on, **fields):
    services.application_transition(
        application=app, action=action, actor=user, actor_roles=roles, fields=fields, today=on
    )


def test_the_status_page_shows_the_public_history_and_never_internal_comments_or_staff_names(
    agency, client, monkeypatch
):
    app, code = _submit(client)
    p = _people()
    clerk, head, leader = p["jingban"], p["zhuren"], p["lingdao"]
    _move(
        app,
        "request_correction",
        clerk,
        {"clerk"},
        date(2026, 3, 4),
        items=["请写明招生划片方案的年份和学段"],
        requested_on=date(2026, 3, 4),
        period_working_days=10,
    )
    _move(app, "receive_correction", clerk, {"clerk"}, date(2026, 3, 9), received_on=date(2026, 3, 9))
    _move(app, "request_extension", clerk, {"clerk"}, date(2026, 3, 30), reason="需要调取归档材料", working_days=10)
    _move(
        app,
        "approve_extension",
        head,
        {"office_head"},
        date(2026, 3, 31),
        working_days=10,
        approved_on=date(2026, 3, 31),
    )
    _move(
        app,
        "submit_reply_for_sign_off",
        clerk,
        {"clerk"},
        date(2026, 4, 1),
        outcome_code="disclosed",
        legal_basis="第三十六条（二）",
    )
    _move(app, "return_reply", head, {"office_head"}, date(2026, 4, 1), comment="内部意见：措辞再斟酌")
    _move(
        app,
        "submit_reply_for_sign_off",
        clerk,
        {"clerk"},
        date(2026, 4, 2),
        outcome_code="disclosed",
        legal_basis="第三十六条（二）",
    )
    sign_and_issue(app, head=head, leader=leader, clerk=clerk, on=date(2026, 4, 3))
    monkeypatch.setattr(localtime, "local_today", lambda: date(2026, 4, 7))

    visitor = Client()
    _lookup(visitor, app.tracking_number, code)
    html = visitor.get(reverse("applications:public_case", args=[app.tracking_number])).content.decode()
    for shown in (
        "发出补正告知",
        "需要补正的事项：请写明招生划片方案的年份和学段",
        "收到补正材料",
        "延期理由：需要调取归档材料",
        "延长答复期限10个工作日",
        "作出答复",
        "办理结果：予以公开",
        "已答复",
    ):
        assert shown in html, shown
    for hidden in ("内部意见", "措辞再斟酌", "提交签发", "退回修改", "第三十六条（二）", "签发答复"):
        assert hidden not in html, hidden
    assert html.count("作出答复") == 1  # the issue (送达), not each signature
    for user in (clerk, head, leader):
        assert f"{user.last_name}{user.first_name}" not in html and user.username not in html
    assert "已在期限内完成" in html
    reply = clock.reply_of(
        clock.deadlines_of(
            app.events.order_by("seq"), calendar=working_calendar(), today=date(2026, 4, 7), convention="A"
        )
    )
    shown = re.search(r'id="deadline-reply">.*?class="due">([^<]+)<', html, re.S).group(1)
    assert shown == f"{reply.due.year}年{reply.due.month}月{reply.due.day}日"
    receipt = client.get(reverse("applications:public_receipt", args=[app.tracking_number])).content.decode()
    assert "2026年3月30日" in receipt and 'id="moved-on"' in receipt


def test_only_signed_letters_to_the_applicant_are_offered_and_downloaded_with_the_grant(agency, client):
    app, code = _submit(client)
    reply = Letter(application=app, kind="reply_granted", title="政府信息公开申请答复书")
    reply.generated.save("reply.docx", ContentFile(b"draft"), save=False)
    reply.signed.save("reply-signed.pdf", ContentFile(PDF), save=False)
    reply.save()
    draft = Letter(application=app, kind="correction_notice", title="补正告知书（未签章）")
    draft.generated.save("notice.docx", ContentFile(b"draft"), save=False)
    draft.save()
    third = Letter(application=app, kind="third_party_consultation", title="第三方意见征询函")
    third.generated.save("tp.docx", ContentFile(b"draft"), save=False)
    third.signed.save("tp-signed.pdf", ContentFile(PDF), save=False)
    third.save()

    visitor = Client()
    _lookup(visitor, app.tracking_number, code)
    html = visitor.get(reverse("applications:public_case", args=[app.tracking_number])).content.decode()
    assert "政府信息公开申请答复书" in html
    assert "补正告知书（未签章）" not in html and "第三方意见征询函" not in html
    download = visitor.get(reverse("applications:public_letter", args=[app.tracking_number, reply.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    for other in (draft, third):
        assert (
            visitor.get(reverse("applications:public_letter", args=[app.tracking_number, other.pk])).status_code == 404
        )
    stranger = Client()
    assert stranger.get(reverse("applications:public_letter", args=[app.tracking_number, reply.pk])).status_code == 302


def test_a_case_without_letters_says_so(agency, client):
    app, _ = _submit(client)
    html = client.get(reverse("applications:public_case", args=[app.tracking_number])).content.decode()
    assert "暂无可下载的文书" in html


# -- receipt PDF ----------------------------------------------------------------------------------


def test_the_receipt_pdf_is_a_pdf_whose_text_holds_the_number_the_code_and_the_due_date(agency, client):
    app, code = _submit(client)
    response = client.get(reverse("applications:public_receipt_pdf", args=[app.tracking_number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and "attachment" in response["Content-Disposition"]
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert app.tracking_number in text and code in text
    assert "政府信息公开申请回执" in text and "2026年3月30日" in text


# -- nothing is lost ------------------------------------------------------------------------------


def _boom(*args, **kwargs):
    raise RuntimeError("disk full")


@pytest.mark.parametrize("target", ["refresh_deadline", "attachment_storage"])
def test_a_failure_after_the_insert_leaves_nothing_and_shows_a_chinese_error_not_a_receipt(
    agency, client, monkeypatch, target
):
    owner, attribute = (
        (services, "application_refresh_deadline") if target == "refresh_deadline" else (InMemoryStorage, "_save")
    )
    real = getattr(owner, attribute)
    monkeypatch.setattr(owner, attribute, _boom)
    response = _post(client, files=[("通知.pdf", PDF)], applicant_name="不会丢失的名字")
    html = response.content.decode()
    assert response.status_code == 500
    assert "申请没有提交成功，也没有保存任何内容" in html and "附件需重新选择" in html
    assert 'value="不会丢失的名字"' in html and 'id="tracking-number"' not in html
    assert (Application.objects.count(), CaseEvent.objects.count(), Attachment.objects.count()) == (0, 0, 0)
    monkeypatch.setattr(owner, attribute, real)  # the failure passes; the same form can be sent again
    token = re.search(r'name="submission_token" value="([0-9a-f-]{36})"', html).group(1)
    assert _post(client, token).status_code == 302 and Application.objects.count() == 1


def test_a_deadline_reaching_into_an_uncovered_year_is_provisional_and_the_receipt_states_the_period(
    agency, client, monkeypatch
):
    # 2026-12-15 + 20 working days reaches into 2027, whose holiday notice is not entered: the
    # case gets the provisional date (预计); the receipt states the statutory period in words and
    # never presents that date as binding, nor asks the citizen to do anything about the calendar.
    monkeypatch.setattr(localtime, "local_today", lambda: date(2026, 12, 15))
    response = _post(client, applicant_name="十二月的申请人")
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.received_on == date(2026, 12, 15) and app.reply_due_provisional and app.reply_status == "running"
    assert app.reply_due.year == 2027
    html = client.get(response["Location"]).content.decode()
    assert "十二月的申请人" in html and "自收到申请之日起20个工作日内（按法定节假日预计不早于" in html
    assert "即最迟于" not in html and "录入" not in html


@pytest.mark.django_db(transaction=True)
def test_the_receipt_is_shown_only_after_the_application_is_committed(client, monkeypatch):
    bureau()
    seen = {}
    real_redirect = views_public.redirect

    def spying_redirect(*args, **kwargs):
        seen["in_transaction"] = connection.in_atomic_block
        seen["stored"] = Application.objects.filter(tracking_number=kwargs.get("number")).exists()
        seen["events"] = CaseEvent.objects.count()
        return real_redirect(*args, **kwargs)

    monkeypatch.setattr(views_public, "redirect", spying_redirect)
    assert _post(client).status_code == 302
    assert seen == {"in_transaction": False, "stored": True, "events": 1}
