"""Letters: the notices and replies a case's log calls for, rendered from editable Word templates,
downloaded, and replaced by the signed version the applicant sees."""

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import include, path, reverse
from docx import Document

from gongkai import urls as project_urls
from gongkai.accounts.models import Agency, Membership
from gongkai.applications import clock, letters, urls_public, urls_reports, urls_staff
from gongkai.applications.models import Letter
from gongkai.applications.services import application_submit, application_transition
from gongkai.applications.views_reports import LETTER_URLPATTERNS
from gongkai.domain.errors import DomainError
from gongkai.domain.outcomes import OutcomeFamily
from gongkai.workcalendar.selectors import working_calendar
from tests.factories import EDU, bureau, submit_application
from tests.integration.signing import sign_and_issue

# The letter pages live under /work/applications/ (urls_staff includes LETTER_URLPATTERNS); this
# module's urlconf adds them if urls_staff does not (yet), so the tests run either way.
_names = {getattr(p, "name", None) for p in urls_staff.urlpatterns}
_staff = list(urls_staff.urlpatterns) + [p for p in LETTER_URLPATTERNS if p.name not in _names]
_applications = (
    [
        path("apply/", include(urls_public)),
        path("work/applications/", include(_staff)),
        path("work/statistics/", include(urls_reports)),
    ],
    "applications",
)
urlpatterns = [
    path("", include(_applications)) if getattr(p, "namespace", None) == "applications" else p
    for p in project_urls.urlpatterns
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

APPLICANT = {
    "applicant_type": "natural_person",
    "applicant_name": "刘洋",
    "id_document_type": "resident_id",
    "id_document_number": "110101198803142317",
    "phone": "13800000000",
    "description": "2025年示范区义务教育招生划片方案",
    "delivery_form": "electronic",
    "delivery_channel": "email",
}
CLERK = {"clerk"}


@pytest.fixture
def people():
    return bureau().people


def _submit(people, applicant=APPLICANT, received=date(2025, 9, 1)):
    agency = Agency.objects.get(code=EDU)
    return submit_application(
        agency=agency, registered_by=people["jingban"], received=received, applicant=applicant
    ).application


def _move(app, action, user, roles, today, **fields):
    event = application_transition(
        application=app, action=action, actor=user, actor_roles=roles, fields=fields, today=today
    )
    app.refresh_from_db()
    return event


def _text(letter: Letter, field: str = "generated") -> str:
    data = getattr(letter, field).open("rb").read()
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def _docx(text: str) -> bytes:
    doc = Document()
    doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _walk_full_case(people):
    """补正 → corrected → third-party consultation → extension → fee → reply signed off."""
    clerk, head, leader = people["jingban"], people["zhuren"], people["lingdao"]
    app = _submit(people)
    _move(
        app,
        "request_correction",
        clerk,
        CLERK,
        date(2025, 9, 3),
        items=["请写明所需文件的名称", "请说明涉及的学校"],
        requested_on=date(2025, 9, 3),
        period_working_days=10,
    )
    _move(app, "receive_correction", clerk, CLERK, date(2025, 9, 8), received_on=date(2025, 9, 8))
    _move(
        app,
        "start_third_party_consultation",
        clerk,
        CLERK,
        date(2025, 9, 17),
        party="某培训机构",
        sent_on=date(2025, 9, 15),
        delivered_on=date(2025, 9, 17),
    )
    _move(
        app,
        "end_consultation",
        clerk,
        CLERK,
        date(2025, 9, 26),
        party="某培训机构",
        ended_on=date(2025, 9, 26),
        response="agreed",
    )
    _move(app, "request_extension", clerk, CLERK, date(2025, 10, 9), reason="需调取2019年以来的档案", working_days=20)
    _move(
        app,
        "approve_extension",
        head,
        {"office_head"},
        date(2025, 10, 10),
        working_days=20,
        approved_on=date(2025, 10, 10),
    )
    _move(
        app,
        "notify_fee",
        clerk,
        CLERK,
        date(2025, 10, 13),
        method="per_page",
        pages=100,
        amount=700,
        fee_sent_on=date(2025, 10, 13),
        notice_received_on=date(2025, 10, 13),
    )
    _move(app, "fee_paid", clerk, CLERK, date(2025, 10, 20), paid_on=date(2025, 10, 20))
    _move(
        app,
        "submit_reply_for_sign_off",
        clerk,
        CLERK,
        date(2025, 11, 13),
        outcome_code="disclosed",
        legal_basis="第三十六条（二）",
    )
    sign_and_issue(app, head=head, leader=leader, clerk=clerk, on=date(2025, 11, 14))
    return app


def _deadline(app, key, upto_action):
    log = list(app.events.order_by("seq"))
    idx = max(i for i, e in enumerate(log) if e.action == upto_action)
    deadlines = clock.deadlines_of(
        log[: idx + 1], calendar=working_calendar(), today=date(2025, 12, 31), convention="A"
    )
    return next(d.due for d in deadlines if d.key == key)


# -- which letters a case calls for ------------------------------------------------------------


def test_a_correction_request_calls_for_a_correction_notice_with_the_items_and_the_period(people):
    app = _submit(people)
    assert letters.letter_kinds_for(app) == []
    _move(
        app,
        "request_correction",
        people["jingban"],
        CLERK,
        date(2025, 9, 3),
        items=["请写明所需文件的名称", "请说明涉及的学校"],
        requested_on=date(2025, 9, 3),
        period_working_days=10,
    )
    needs = letters.letter_kinds_for(app)
    assert [n.kind for n in needs] == [letters.LetterKind.CORRECTION_NOTICE]
    letter = letters.generate_letter(application=app, kind="correction_notice", user=people["jingban"])
    text = _text(letter)
    due = working_calendar().add_working_days(date(2025, 9, 3), 10)
    for expected in (
        "政府信息公开申请补正告知书",
        "刘洋：",
        "示范区教育局",
        app.tracking_number,
        "第三十条",
        "1．请写明所需文件的名称",
        "2．请说明涉及的学校",
        "10个工作日内",
        letters.cn_date(due),
        "2025年9月1日",
        "2025年9月3日",
        "视为放弃申请",
    ):
        assert expected in text, expected
    assert letters.letter_kinds_for(app)[0].letters == (letter,)


def test_a_full_case_calls_for_every_notice_and_each_states_the_dates_the_clock_computes(people):
    app = _walk_full_case(people)
    kinds = [n.kind.value for n in letters.letter_kinds_for(app)]
    assert kinds == ["correction_notice", "third_party_consultation", "extension_notice", "fee_notice", "reply_granted"]
    made = {k: _text(letters.generate_letter(application=app, kind=k, user=people["jingban"])) for k in kinds}

    consultation = made["third_party_consultation"]
    assert "某培训机构：" in consultation and "第三十二条" in consultation and "15个工作日" in consultation
    assert letters.cn_date(_deadline(app, "consultation_reply", "start_third_party_consultation")) in consultation
    assert "刘洋" not in consultation  # the third party is not told who asked

    extension = made["extension_notice"]
    new_due = _deadline(app, "reply", "approve_extension")
    assert new_due == date(2025, 11, 20)
    for expected in (
        "第三十三条第二款",
        "需调取2019年以来的档案",
        "延长20个工作日",
        "2025年11月20日",
        letters.cn_date(_deadline(app, "reply", "request_extension")),
        "2025年10月10日",
    ):
        assert expected in extension, expected

    fee = made["fee_notice"]
    pay_due = working_calendar().add_working_days(date(2025, 10, 13), 20)
    for expected in (
        "第四十二条",
        "国办函〔2020〕109号",
        "按量计收",
        "700元",
        "柒佰元整",
        "第31—100页",
        letters.cn_date(pay_due),
        "20个工作日",
        "视为放弃申请",
    ):
        assert expected in fee, expected

    reply = made["reply_granted"]
    for expected in (
        "政府信息公开申请答复书",
        "予以公开",
        "第三十六条（二）",
        "电子文档",
        "电子邮件",
        "60日内",
        "行政复议",
        "6个月内",
        "行政诉讼",
        "第五十一条",
        "2025年11月14日",
    ):
        assert expected in reply, expected


@pytest.mark.parametrize(
    "family, moves",
    [
        (
            "granted",
            [
                ("start_processing", {}),
                ("submit_reply_for_sign_off", {"outcome_code": "disclosed", "legal_basis": "第三十六条（二）"}),
                ("sign_and_issue", {"on": date(2025, 9, 12)}),
            ],
        ),
        (
            "partially_granted",
            [
                ("start_processing", {}),
                ("submit_reply_for_sign_off", {"outcome_code": "partially_disclosed", "legal_basis": "第三十七条"}),
                ("sign_and_issue", {"on": date(2025, 9, 12)}),
            ],
        ),
        (
            "withheld",
            [
                ("start_processing", {}),
                (
                    "submit_reply_for_sign_off",
                    {"outcome_code": "withheld_process_info", "legal_basis": "第十六条第二款"},
                ),
                ("sign_and_issue", {"on": date(2025, 9, 12)}),
            ],
        ),
        (
            "unable",
            [
                ("start_processing", {}),
                ("submit_reply_for_sign_off", {"outcome_code": "does_not_exist", "legal_basis": "第三十六条（四）"}),
                ("sign_and_issue", {"on": date(2025, 9, 12)}),
            ],
        ),
        (
            "not_processed",
            [("not_an_application", {"kind": "complaint", "decided_on": date(2025, 9, 3), "referred_to": "12345热线"})],
        ),
        ("other_handling", [("start_processing", {}), ("withdraw", {"withdrawn_on": date(2025, 9, 5)})]),
    ],
)
def test_each_outcome_family_has_its_reply_citing_the_outcomes_article_and_the_remedies(people, family, moves):
    app = _submit(people)
    for action, fields in moves:
        if action == "sign_and_issue":
            sign_and_issue(app, head=people["zhuren"], leader=people["lingdao"], clerk=people["jingban"], **fields)
            continue
        _move(app, action, people["jingban"], CLERK, date(2025, 9, 15), **fields)
    need = letters.letter_kinds_for(app)[-1]
    assert need.kind == f"reply_{family}" and need.kind.label.endswith(f"（{OutcomeFamily(family).label}）")
    text = _text(letters.generate_letter(application=app, kind=need.kind, user=people["jingban"]))
    assert letters.basis_citation(app.outcome_code) in text
    assert "60日内" in text and "6个月内" in text and "行政复议" in text and "行政诉讼" in text
    assert "刘洋：" in text and app.tracking_number in text and "2025年9月1日" in text


def test_a_reply_awaiting_sign_off_can_be_drafted_for_the_signer(people):
    app = _submit(people)
    _move(app, "start_processing", people["jingban"], CLERK, date(2025, 9, 2))
    _move(
        app,
        "submit_reply_for_sign_off",
        people["jingban"],
        CLERK,
        date(2025, 9, 9),
        outcome_code="withheld_third_party",
        legal_basis="第十五条",
    )
    [need] = letters.letter_kinds_for(app)
    assert need.kind == "reply_withheld"
    text = _text(letters.generate_letter(application=app, kind=need.kind, user=people["jingban"]))
    assert "第三方合法权益" in text and "第十五条" in text


def test_a_letter_the_log_does_not_call_for_is_refused_in_chinese(people):
    app = _submit(people)
    with pytest.raises(DomainError, match="没有需要制作“收费通知”"):
        letters.generate_letter(application=app, kind="fee_notice", user=people["jingban"])
    with pytest.raises(DomainError, match="未知的文书类型"):
        letters.generate_letter(application=app, kind="love_letter", user=people["jingban"])
    assert not Letter.objects.exists()


def test_an_agency_template_in_the_media_folder_replaces_the_packaged_one(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    app = _submit(people)
    _move(
        app,
        "request_correction",
        people["jingban"],
        CLERK,
        date(2025, 9, 3),
        items=["请写明文号"],
        requested_on=date(2025, 9, 3),
        until=date(2025, 9, 30),
    )
    assert letters.template_path("correction_notice").parent == letters.PACKAGED_TEMPLATES
    (tmp_path / "letter_templates").mkdir()
    (tmp_path / "letter_templates" / "correction_notice.docx").write_bytes(
        _docx("本局自定格式：{{ tracking_number }}，请于{{ correction_period }}补正。")
    )
    assert letters.template_path("correction_notice") == tmp_path / "letter_templates" / "correction_notice.docx"
    text = _text(letters.generate_letter(application=app, kind="correction_notice", user=people["jingban"]))
    assert text == f"本局自定格式：{app.tracking_number}，请于2025年9月30日前补正。"


def test_what_the_applicant_typed_is_escaped_in_the_word_document(people):
    evil = {**APPLICANT, "applicant_name": "<script>alert(1)</script>&Co", "description": "a < b & c > d ]]> </w:t>"}
    app = _submit(people, applicant=evil)
    _move(
        app,
        "request_correction",
        people["jingban"],
        CLERK,
        date(2025, 9, 3),
        items=["<b>粗体</b> & 其他"],
        requested_on=date(2025, 9, 3),
        period_working_days=5,
    )
    text = _text(letters.generate_letter(application=app, kind="correction_notice", user=people["jingban"]))
    assert "<script>alert(1)</script>&Co：" in text
    assert "a < b & c > d ]]> </w:t>" in text and "<b>粗体</b> & 其他" in text


def test_amounts_are_written_in_capital_numerals():
    cases = {
        0: "零元整",
        100: "壹佰元整",
        700: "柒佰元整",
        2300: "贰仟叁佰元整",
        83460: "捌万叁仟肆佰陆拾元整",
        10005: "壹万零伍元整",
        100000: "壹拾万元整",
        1000010: "壹佰万零壹拾元整",
        20030: "贰万零叁拾元整",
    }
    assert {n: letters.amount_in_words(n) for n in cases} == cases


def test_dates_are_written_the_chinese_way_without_leading_zeros():
    assert letters.cn_date(date(2025, 9, 1)) == "2025年9月1日"
    assert letters.cn_date(date(2026, 12, 31)) == "2026年12月31日"


def test_the_packaged_templates_exist_for_every_kind_and_rebuild_byte_for_byte(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_templates", letters.PACKAGED_TEMPLATES / "build_templates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.TEMPLATES) == {k.value for k in letters.LetterKind}
    for built in module.main(tmp_path):
        assert built.read_bytes() == (letters.PACKAGED_TEMPLATES / built.name).read_bytes(), built.name


# -- the pages ----------------------------------------------------------------------------------


def _corrected(people):
    app = _submit(people)
    _move(
        app,
        "request_correction",
        people["jingban"],
        CLERK,
        date(2025, 9, 3),
        items=["请写明文号"],
        requested_on=date(2025, 9, 3),
        period_working_days=10,
    )
    return app


def test_the_clerk_generates_downloads_and_uploads_the_signed_letter_the_applicant_then_sees(people, client):
    app = _corrected(people)
    client.force_login(people["jingban"])
    page = client.get(reverse("applications:letters", args=[app.pk]))
    assert page.status_code == 200 and "补正告知书" in page.content.decode()
    event = app.events.get(action="request_correction")
    response = client.post(
        reverse("applications:letter_generate", args=[app.pk]),
        {"kind": "correction_notice", "event": event.pk},
        follow=True,
    )
    assert "已生成“补正告知书”" in response.content.decode()
    letter = Letter.objects.get()
    assert letter.event == event and letter.created_by == people["jingban"]
    assert list(letters.letters_for_applicant(app)) == []  # a draft is not shown to the applicant

    download = client.get(reverse("applications:letter_download", args=[app.pk, letter.pk, "generated"]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    data = b"".join(download.streaming_content)
    assert "请写明文号" in "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)

    signed = SimpleUploadedFile("盖章版.pdf", b"%PDF-1.7\n% signed\n", content_type="application/pdf")
    response = client.post(
        reverse("applications:letter_upload_signed", args=[app.pk, letter.pk]), {"file": signed}, follow=True
    )
    assert "已上传“补正告知书”的签章版本" in response.content.decode()
    letter.refresh_from_db()
    assert letter.signed and letter.signed_at is not None
    assert list(letters.letters_for_applicant(app)) == [letter]
    again = client.get(reverse("applications:letter_download", args=[app.pk, letter.pk, "signed"]))
    assert b"".join(again.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("letter.txt", b"hello", "应为PDF（.pdf）或Word（.docx）文件"),
        ("letter.pdf", b"not a pdf at all", "文件内容不是PDF"),
        ("letter.docx", b"PK\x03\x04 broken", "文件内容不是Word"),
        ("letter.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "文件过大"),
    ],
)
def test_a_signed_upload_of_the_wrong_type_or_size_is_refused_next_to_the_field(people, client, name, data, message):
    app = _corrected(people)
    letter = letters.generate_letter(application=app, kind="correction_notice", user=people["jingban"])
    client.force_login(people["jingban"])
    response = client.post(
        reverse("applications:letter_upload_signed", args=[app.pk, letter.pk]), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="upload-error"' in html and message in html
    letter.refresh_from_db()
    assert not letter.signed


def test_a_signed_word_document_is_accepted(people):
    app = _corrected(people)
    letter = letters.generate_letter(application=app, kind="correction_notice", user=people["jingban"])
    letters.upload_signed_letter(letter=letter, name="签章.DOCX", data=_docx("已盖章"), user=people["jingban"])
    letter.refresh_from_db()
    assert letter.signed.name.endswith(".docx") and _text(letter, "signed") == "已盖章"


def test_letter_forms_need_the_csrf_token(people):
    app = _corrected(people)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["jingban"])
    response = client.post(reverse("applications:letter_generate", args=[app.pk]), {"kind": "correction_notice"})
    assert response.status_code == 403 and not Letter.objects.exists()


def test_only_the_agencys_clerk_or_office_head_may_write_letters_and_others_see_no_case(people, client):
    app = _corrected(people)
    url = reverse("applications:letter_generate", args=[app.pk])
    for username in ("baomi", "lingdao", "jiandu"):
        client.force_login(people[username])
        assert client.post(url, {"kind": "correction_notice"}).status_code == 404, username
    client.force_login(people["baomi"])
    page = client.get(reverse("applications:letters", args=[app.pk]))
    assert page.status_code == 200 and 'data-testid="generate"' not in page.content.decode()
    stranger = get_user_model().objects.create_user("other-clerk")
    other = Agency.objects.create(code="other", name="其他局")
    Membership.objects.create(user=stranger, agency=other, role="clerk")
    client.force_login(stranger)
    assert client.get(reverse("applications:letters", args=[app.pk])).status_code == 404
    assert client.post(url, {"kind": "correction_notice"}).status_code == 404
    client.force_login(people["zhuren"])
    assert client.post(url, {"kind": "correction_notice"}).status_code == 302
    assert Letter.objects.count() == 1


def test_a_page_refuses_a_letter_kind_in_chinese_without_writing(people, client):
    app = _corrected(people)
    client.force_login(people["jingban"])
    response = client.post(reverse("applications:letter_generate", args=[app.pk]), {"kind": "fee_notice"}, follow=True)
    assert "没有需要制作“收费通知”的事项" in response.content.decode()
    assert not Letter.objects.exists()


def test_a_withdrawal_before_receipt_was_confirmed_gets_its_reply_dated_from_the_day_it_came_in(people):
    app = application_submit(
        agency=Agency.objects.get(code=EDU),
        channel="online",
        applicant=APPLICANT,
        submitted_on=date(2025, 9, 1),
        today=date(2025, 9, 1),
    ).application
    _move(app, "withdraw", people["jingban"], CLERK, date(2025, 9, 2), withdrawn_on=date(2025, 9, 2))
    [need] = letters.letter_kinds_for(app)
    text = _text(letters.generate_letter(application=app, kind=need.kind, user=people["jingban"]))
    assert need.kind == "reply_other_handling" and "2025年9月2日撤回" in text and "＿＿" not in text.split("收到")[0]


def test_a_reply_quotes_the_basis_the_clerk_entered_when_it_adds_to_the_outcomes_article(people):
    app = _submit(people)
    _move(app, "start_processing", people["jingban"], CLERK, date(2025, 9, 2))
    _move(
        app,
        "submit_reply_for_sign_off",
        people["jingban"],
        CLERK,
        date(2025, 9, 9),
        outcome_code="withheld_law_prohibited",
        legal_basis="《中华人民共和国未成年人保护法》第七十二条",
    )
    text = _text(letters.generate_letter(application=app, kind="reply_withheld", user=people["jingban"]))
    assert (
        "法律依据：《中华人民共和国政府信息公开条例》第十四条、第三十六条（三）；《中华人民共和国未成年人保护法》第七十二条。"
        in text
    )
