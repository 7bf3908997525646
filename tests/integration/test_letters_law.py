"""The letters the 条例 asks for, written from its articles: which letter each log entry calls
for, the article it cites, its title, and the 文书编号 it carries."""

from datetime import date

import pytest
from django.db import connection

from gongkai.accounts.models import Agency
from gongkai.applications import letters
from gongkai.applications.models import Letter, LetterNumberSequence
from gongkai.domain.errors import DomainError
from gongkai.domain.fields import FieldError
from tests.factories import EDU
from tests.integration.signing import sign_and_issue
from tests.integration.test_letters import APPLICANT, CLERK, _move, _submit, _text, people  # noqa: F401

pytestmark = pytest.mark.django_db


def _signed_off(people, outcome_code, basis, details=None, applicant=APPLICANT):
    app = _submit(people, applicant=applicant)
    _move(app, "start_processing", people["jingban"], CLERK, date(2025, 9, 2))
    _move(
        app,
        "submit_reply_for_sign_off",
        people["jingban"],
        CLERK,
        date(2025, 9, 9),
        outcome_code=outcome_code,
        legal_basis=basis,
        **(details or {}),
    )
    sign_and_issue(app, head=people["zhuren"], leader=people["lingdao"], clerk=people["jingban"], on=date(2025, 9, 12))
    return app


def _reply(people, app):
    need = letters.letter_kinds_for(app)[-1]
    return need, _text(letters.generate_letter(application=app, kind=need.kind, user=people["jingban"]))


def test_a_special_query_referral_is_not_a_withholding_and_cites_article_36_7(people):
    # 第三十六条（七）: told to follow the special procedure; nothing is withheld, no reason to give
    app = _signed_off(people, "special_query_procedure", "第三十六条（七）")
    need, text = _reply(people, app)
    assert need.kind == letters.LetterKind.REPLY_SPECIAL_QUERY
    assert "第三十六条（七）" in text and "依照有关法律、行政法规的规定办理" in text
    assert "不予公开" not in text and "不予公开的具体理由" not in text
    assert "不予公开" not in need.label


def test_an_already_public_reply_is_titled_by_its_outcome_and_says_where_to_find_it(people):
    # 第三十六条（一）: tell the applicant how and where to obtain it (not 予以公开: nothing is provided)
    app = _submit(people)
    _move(app, "start_processing", people["jingban"], CLERK, date(2025, 9, 2))
    _move(
        app,
        "reply",
        people["jingban"],
        CLERK,
        date(2025, 9, 10),
        outcome_code="already_public",
        legal_basis="第三十六条（一）",
        replied_on=date(2025, 9, 10),
    )
    need, text = _reply(people, app)
    assert need.label == "答复书（已主动公开）" and "予以公开" not in need.label
    assert Letter.objects.get().title == "答复书（已主动公开）"
    assert text.splitlines()[0] == "政府信息公开申请答复书"
    assert "第三十六条（一）" in text and "已经主动公开" in text and "方式、途径" in text
    assert "向您提供（见附件）" not in text


def test_a_not_this_agency_reply_names_the_responsible_agency_and_its_contact(people):
    # 第三十六条（五）: 能够确定负责公开该政府信息的行政机关的，告知申请人该行政机关的名称、联系方式
    app = _signed_off(
        people,
        "not_this_agency",
        "第三十六条（五）",
        {"responsible_agency": "示范区市场监督管理局", "responsible_agency_contact": "0571-12345678，示范区人民路1号"},
    )
    need, text = _reply(people, app)
    assert need.kind == letters.LetterKind.REPLY_NOT_THIS_AGENCY
    assert "第三十六条（五）" in text
    assert "示范区市场监督管理局" in text and "0571-12345678，示范区人民路1号" in text
    assert "重新提出政府信息公开申请" not in text and "重新提出申请" not in text


def test_a_not_this_agency_reply_without_a_determinable_agency_says_so(people):
    app = _signed_off(people, "not_this_agency", "第三十六条（五）")
    _, text = _reply(people, app)
    assert "无法确定负责公开该政府信息的行政机关" in text


def test_the_responsible_agency_fields_fit_only_their_outcome(people):
    app = _submit(people)
    _move(app, "start_processing", people["jingban"], CLERK, date(2025, 9, 2))
    with pytest.raises(FieldError, match="不属于本机关负责公开") as err:
        _move(
            app,
            "submit_reply_for_sign_off",
            people["jingban"],
            CLERK,
            date(2025, 9, 9),
            outcome_code="does_not_exist",
            legal_basis="第三十六条（四）",
            responsible_agency="某局",
        )
    assert err.value.field == "responsible_agency"
    with pytest.raises(FieldError, match="同时填写“负责公开的行政机关”"):
        _move(
            app,
            "submit_reply_for_sign_off",
            people["jingban"],
            CLERK,
            date(2025, 9, 9),
            outcome_code="not_this_agency",
            legal_basis="第三十六条（五）",
            responsible_agency_contact="12345",
        )
    assert app.events.count() == 2


def test_asking_for_reasons_and_setting_a_later_reply_date_each_call_for_a_notice_citing_article_35(people):
    app = _submit(people)
    _move(app, "start_processing", people["jingban"], CLERK, date(2025, 9, 2))
    _move(app, "ask_reason", people["jingban"], CLERK, date(2025, 9, 4), requested_on=date(2025, 9, 4))
    _move(
        app,
        "set_delay_period",
        people["jingban"],
        CLERK,
        date(2025, 9, 15),
        reply_until=date(2025, 12, 31),
        notified_on=date(2025, 9, 15),
    )
    kinds = [n.kind for n in letters.letter_kinds_for(app)]
    assert kinds == [letters.LetterKind.REASON_REQUEST, letters.LetterKind.DELAY_PERIOD_NOTICE]
    ask = _text(letters.generate_letter(application=app, kind="reason_request", user=people["jingban"]))
    assert "第三十五条" in ask and "数量、频次明显超过合理范围" in ask and "说明申请理由" in ask
    assert "2025年9月4日" in ask and "刘洋：" in ask
    later = _text(letters.generate_letter(application=app, kind="delay_period_notice", user=people["jingban"]))
    assert "第三十五条" in later and "第三十三条规定的期限" in later and "2025年12月31日前" in later
    assert "2025年9月15日" in later


def test_consulting_another_agency_calls_for_a_letter_to_it_citing_article_34(people):
    app = _submit(people)
    _move(app, "start_processing", people["jingban"], CLERK, date(2025, 9, 2))
    _move(
        app,
        "start_agency_consultation",
        people["jingban"],
        CLERK,
        date(2025, 9, 4),
        party="示范区财政局",
        sent_on=date(2025, 9, 3),
        delivered_on=date(2025, 9, 4),
    )
    [need] = letters.letter_kinds_for(app)
    assert need.kind == letters.LetterKind.AGENCY_CONSULTATION
    letter = letters.generate_letter(application=app, kind=need.kind, user=people["jingban"])
    text = _text(letter)
    # 15 working days from 2025-09-04 (Thursday): Sep 5, 8-12, 15-19, 22-25 → 2025-09-25
    assert "示范区财政局：" in text and "第三十四条" in text and "15个工作日" in text and "视为同意公开" in text
    assert "2025年9月25日" in text
    assert "刘洋" not in text
    letters.upload_signed_letter(letter=letter, name="signed.pdf", data=b"%PDF-1.4 x", user=people["jingban"])
    assert list(letters.letters_for_applicant(app)) == []  # addressed to the other agency


def _consulted(people, response):
    app = _submit(people)
    _move(app, "start_processing", people["jingban"], CLERK, date(2025, 9, 2))
    _move(
        app,
        "start_third_party_consultation",
        people["jingban"],
        CLERK,
        date(2025, 9, 4),
        party="某培训机构",
        sent_on=date(2025, 9, 3),
        delivered_on=date(2025, 9, 4),
    )
    _move(
        app,
        "end_consultation",
        people["jingban"],
        CLERK,
        date(2025, 9, 16),
        party="某培训机构",
        ended_on=date(2025, 9, 16),
        response=response,
    )
    return app


def test_disclosing_over_a_third_partys_objection_calls_for_the_written_notice_of_article_32(people):
    app = _consulted(people, "objected")
    # no decision yet: nothing to tell the third party
    assert [n.kind for n in letters.letter_kinds_for(app)] == [letters.LetterKind.THIRD_PARTY_CONSULTATION]
    _move(
        app,
        "submit_reply_for_sign_off",
        people["jingban"],
        CLERK,
        date(2025, 9, 20),
        outcome_code="disclosed",
        legal_basis="第三十六条（二）",
    )
    kinds = [n.kind for n in letters.letter_kinds_for(app)]
    assert letters.LetterKind.THIRD_PARTY_DISCLOSURE_NOTICE in kinds
    sign_and_issue(app, head=people["zhuren"], leader=people["lingdao"], clerk=people["jingban"], on=date(2025, 9, 22))
    letter = letters.generate_letter(application=app, kind="third_party_disclosure_notice", user=people["jingban"])
    text = _text(letter)
    for expected in (
        "某培训机构：",
        "第三十二条",
        "不同意公开",
        "公共利益造成重大影响",
        "决定公开的政府信息内容",
        "决定公开的理由",
        "2025年9月3日",
        "2025年9月16日",
        "2025年9月22日",
        "行政复议",
    ):
        assert expected in text, expected
    assert "刘洋" not in text
    letters.upload_signed_letter(letter=letter, name="signed.pdf", data=b"%PDF-1.4 x", user=people["jingban"])
    assert list(letters.letters_for_applicant(app)) == []


@pytest.mark.parametrize(
    "response, outcome_code, basis",
    [
        ("agreed", "disclosed", "第三十六条（二）"),
        ("objected", "withheld_third_party", "第十五条、第三十二条"),
    ],
)
def test_no_disclosure_notice_when_the_third_party_agreed_or_the_information_is_withheld(
    people, response, outcome_code, basis
):
    app = _consulted(people, response)
    _move(
        app,
        "submit_reply_for_sign_off",
        people["jingban"],
        CLERK,
        date(2025, 9, 20),
        outcome_code=outcome_code,
        legal_basis=basis,
    )
    assert letters.LetterKind.THIRD_PARTY_DISCLOSURE_NOTICE not in [n.kind for n in letters.letter_kinds_for(app)]
    with pytest.raises(DomainError):
        letters.generate_letter(application=app, kind="third_party_disclosure_notice", user=people["jingban"])


def test_a_quoted_request_ending_in_a_full_stop_is_not_followed_by_a_second_one(people):
    app = _submit(people, applicant={**APPLICANT, "description": "2024年度民办学校年检结果。"})
    _move(
        app,
        "request_correction",
        people["jingban"],
        CLERK,
        date(2025, 9, 3),
        items=["请写明学校名称"],
        requested_on=date(2025, 9, 3),
        period_working_days=10,
    )
    text = _text(letters.generate_letter(application=app, kind="correction_notice", user=people["jingban"]))
    assert "年检结果。”。" not in text
    assert "“2024年度民办学校年检结果”。" in text


def _correction(people, app, on):
    return _move(
        app,
        "request_correction",
        people["jingban"],
        CLERK,
        on,
        items=["请写明文号"],
        requested_on=on,
        period_working_days=10,
    )


def test_letters_carry_one_reference_sequence_per_agency_and_year_kept_by_later_drafts(people):
    a, b = _submit(people), _submit(people)
    _correction(people, a, date(2025, 9, 3))
    _correction(people, b, date(2025, 9, 3))
    first = letters.generate_letter(application=a, kind="correction_notice", user=people["jingban"])
    second = letters.generate_letter(application=b, kind="correction_notice", user=people["jingban"])
    # 示范区教育局 → 示教; the year of the letter, in 〔〕
    assert (first.reference_number, second.reference_number) == ("示教信公〔2025〕1号", "示教信公〔2025〕2号")
    assert "示教信公〔2025〕1号" in _text(first)
    redraft = letters.generate_letter(application=a, kind="correction_notice", user=people["jingban"])
    assert redraft.reference_number == "示教信公〔2025〕1号"  # the same letter, a new draft
    # a letter dated in the next year starts that year's sequence
    c = _submit(people, received=date(2026, 1, 5))
    _correction(people, c, date(2026, 1, 6))
    assert (
        letters.generate_letter(application=c, kind="correction_notice", user=people["jingban"]).reference_number
        == "示教信公〔2026〕1号"
    )
    # another agency has its own sequence
    other = Agency.objects.create(code="demo-fin", name="示范区财政局")
    assert letters.next_reference_number(agency=other, year=2025) == "示财信公〔2025〕1号"
    assert letters.next_reference_number(agency=Agency.objects.get(code=EDU), year=2025) == "示教信公〔2025〕3号"


def test_the_reference_pattern_and_short_name_are_settings(people, settings):
    settings.GONGKAI_LETTER_SHORT_NAMES = {EDU: "示范教"}
    settings.GONGKAI_LETTER_REFERENCE_PATTERN = "{short}依复〔{year}〕第{number}号"
    assert letters.next_reference_number(agency=Agency.objects.get(code=EDU), year=2026) == "示范教依复〔2026〕第1号"


def test_a_rolled_back_letter_does_not_use_up_a_number(people):
    from django.db import transaction

    app = _submit(people)
    _correction(people, app, date(2025, 9, 3))
    with pytest.raises(RuntimeError), transaction.atomic():
        letters.generate_letter(application=app, kind="correction_notice", user=people["jingban"])
        raise RuntimeError("the request failed after the letter was made")
    assert not Letter.objects.exists()
    letter = letters.generate_letter(application=app, kind="correction_notice", user=people["jingban"])
    assert letter.reference_number == "示教信公〔2025〕1号"
    assert LetterNumberSequence.objects.get().last_number == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across connections: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_letters_never_share_a_number(people):
    import threading

    from django.db import close_old_connections, transaction

    agency = Agency.objects.get(code=EDU)
    numbers, errors = [], []

    def take():
        try:
            with transaction.atomic():
                numbers.append(letters.next_reference_number(agency=agency, year=2025))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and sorted(numbers) == sorted({f"示教信公〔2025〕{i}号" for i in range(1, 9)})


def test_the_remedies_paragraph_is_a_template_variable_an_agency_can_place(people, settings, tmp_path):
    from tests.integration.test_letters import _docx

    settings.MEDIA_ROOT = tmp_path
    app = _signed_off(people, "does_not_exist", "第三十六条（四）")
    (tmp_path / "letter_templates").mkdir()
    (tmp_path / "letter_templates" / "reply_unable.docx").write_bytes(_docx("{{ remedies }}"))
    text = _text(letters.generate_letter(application=app, kind="reply_unable", user=people["jingban"]))
    assert text == letters.remedies_for(app.agency) and "第五十一条" in text


def test_the_reply_form_asks_for_the_responsible_agency_and_the_letter_page_shows_the_reference(people, client):
    from django.urls import reverse

    app = _submit(people)
    _move(app, "start_processing", people["jingban"], CLERK, date(2025, 9, 2))
    client.force_login(people["jingban"])
    form = client.get(reverse("applications:staff_act", kwargs={"pk": app.pk, "action": "submit_reply_for_sign_off"}))
    page = form.content.decode()
    assert 'name="responsible_agency"' in page and 'name="responsible_agency_contact"' in page
    assert "第三十六条（五）" in page
    response = client.post(
        reverse("applications:staff_act", kwargs={"pk": app.pk, "action": "submit_reply_for_sign_off"}),
        {
            "outcome_code": "not_this_agency",
            "legal_basis": "第三十六条（五）",
            "responsible_agency": "示范区财政局",
            "responsible_agency_contact": "0571-88888888",
        },
    )
    assert response.status_code == 302
    assert app.events.order_by("-seq").first().fields["responsible_agency"] == "示范区财政局"
    app.refresh_from_db()
    need = letters.letter_kinds_for(app)[-1]
    client.post(
        reverse("applications:letter_generate", args=[app.pk]), {"kind": need.kind.value, "event": need.event.pk}
    )
    letter = Letter.objects.get()
    from django.utils import timezone

    # a draft awaiting sign-off has no reply date yet: numbered in the year it is drafted
    assert letter.reference_number == f"示教信公〔{timezone.localdate().year}〕1号"
    listing = client.get(reverse("applications:letters", args=[app.pk])).content.decode()
    assert letter.reference_number in listing and "答复书（不属于本机关负责公开）" in listing


def test_the_draft_reply_and_the_signed_reply_are_one_letter_with_one_number(people):
    app = _submit(people)
    _move(app, "start_processing", people["jingban"], CLERK, date(2025, 9, 2))
    _move(
        app,
        "submit_reply_for_sign_off",
        people["jingban"],
        CLERK,
        date(2025, 9, 9),
        outcome_code="does_not_exist",
        legal_basis="第三十六条（四）",
    )
    draft = letters.generate_letter(application=app, kind="reply_unable", user=people["jingban"])
    sign_and_issue(app, head=people["zhuren"], leader=people["lingdao"], clerk=people["jingban"], on=date(2025, 9, 12))
    # since the sign-off chain, the signed reply is the drafted letter itself (issued as drafted); a
    # new draft of it made after signing keeps the number
    final = letters.generate_letter(application=app, kind="reply_unable", user=people["jingban"])
    assert final.pk != draft.pk and final.reference_number == draft.reference_number
